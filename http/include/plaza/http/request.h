#pragma once
// An HTTP request as a handler sees it: parsed, size-checked and decoded by the server,
// independent of the network library underneath. Tests in other layers build one by
// hand and call their handlers directly, without a socket.

#include <any>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

#include "plaza/http/headers.h"

namespace plaza::http {

// The methods Plaza routes. Any other token the client sends becomes kOther (the server
// answers 501 without consulting the router).
enum class Method : std::uint8_t { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

// "GET", "POST" …; "OTHER" for kOther.
std::string_view MethodName(Method method);
// Case-sensitive, as RFC 9110 §9.1 says method tokens are.
Method ParseMethod(std::string_view token);

// Decoded name/value pairs in the order they appeared (query parameters, path
// parameters). Linear search: there are few of them.
class Params {
 public:
  using Param = std::pair<std::string, std::string>;
  using const_iterator = std::vector<Param>::const_iterator;

  // The first value of `name`, if present.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Every value of `name` (e.g. `?tag=a&tag=b`).
  std::vector<std::string_view> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  void Add(std::string name, std::string value) { params_.emplace_back(std::move(name), std::move(value)); }
  void Clear() { params_.clear(); }

  std::size_t size() const { return params_.size(); }
  bool empty() const { return params_.empty(); }
  const_iterator begin() const { return params_.begin(); }
  const_iterator end() const { return params_.end(); }

 private:
  std::vector<Param> params_;
};

// Owned by the server for the duration of one exchange and handed by reference to the
// middleware chain and the handler, all on one worker thread: no locking needed, and
// nothing may keep a reference to it after the handler returns.
struct Request {
  Method method = Method::kGet;
  // The request-target's path, still percent-encoded exactly as sent ("/a%20b"). The
  // router matches encoded segments so that an encoded "/" inside a parameter cannot
  // split it.
  std::string path;
  // Query parameters, percent-decoded ("+" is a space, as HTML forms send it) and
  // checked to be valid UTF-8.
  Params query;
  Headers headers;
  // The whole body, at most ServerOptions::max_body_bytes long.
  std::string body;
  // Filled by the router: `{shop_id}` in the pattern becomes a decoded, UTF-8-checked
  // parameter named "shop_id".
  Params path_params;
  // The pattern of the matched route ("/api/v1/shops/{shop_id}"), empty when none
  // matched. Metrics and logs label by it, never by the raw path.
  std::string route_pattern;
  // The sanitised X-Request-Id the client sent, or one the server generated; echoed in
  // the response and written on every log line about this request.
  std::string request_id;
  // The peer's IP address as text ("127.0.0.1", "::1"); with
  // ServerOptions::trust_forwarded_for, the left-most X-Forwarded-For entry instead.
  std::string remote_address;

  // Convenience lookups; the views live as long as the request.
  std::optional<std::string_view> Header(std::string_view name) const { return headers.Get(name); }
  std::optional<std::string_view> Query(std::string_view name) const { return query.Get(name); }
  // REQUIRES: the matched pattern declares `{name}` (so a handler can rely on it).
  std::string_view PathParam(std::string_view name) const;
  // The value of cookie `name` from the Cookie header(s) (RFC 6265 §5.4), unquoted.
  std::optional<std::string_view> Cookie(std::string_view name) const;
  // True when the client asked for a WebSocket upgrade (RFC 6455 §4.2.1).
  bool IsWebSocketUpgrade() const;

  // Per-request values that middleware hands to handlers (the authenticated principal,
  // the shop, the idempotency record), looked up by type. Emplacing a type that is
  // already present replaces it.
  template <typename T, typename... Args>
  T& Emplace(Args&&... args) {
    for (std::any& slot : locals_) {
      if (slot.type() == typeid(T)) return slot.emplace<T>(std::forward<Args>(args)...);
    }
    return locals_.emplace_back().emplace<T>(std::forward<Args>(args)...);
  }
  // The value of type T a middleware stored, or nullptr.
  template <typename T>
  T* Find() {
    for (std::any& slot : locals_) {
      if (T* value = std::any_cast<T>(&slot)) return value;
    }
    return nullptr;
  }
  template <typename T>
  const T* Find() const {
    for (const std::any& slot : locals_) {
      if (const T* value = std::any_cast<T>(&slot)) return value;
    }
    return nullptr;
  }

 private:
  std::vector<std::any> locals_;
};

}  // namespace plaza::http
