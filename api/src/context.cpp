#include "context.h"

#include <charconv>
#include <stdexcept>

#include "plaza/core/text.h"
#include "plaza/identity/permissions.h"

namespace plaza::api {
namespace {

bool IsUnsafe(http::Method method) {
  return method == http::Method::kPost || method == http::Method::kPut || method == http::Method::kPatch ||
         method == http::Method::kDelete;
}

std::string_view CookieName(SessionKind kind) {
  return kind == SessionKind::kStaff ? kStaffSessionCookie : kCustomerSessionCookie;
}

// The host[:port] part of an Origin or URL ("https://shop.example:8443" -> "shop.example:8443").
std::string_view HostOf(std::string_view origin) {
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return {};
  origin.remove_prefix(scheme_end + 3);
  return origin.substr(0, origin.find('/'));
}

}  // namespace

http::Middleware Authenticate(const ApiServices& services, SessionKind kind, bool allow_api_tokens) {
  return [&services, kind, allow_api_tokens](http::Request& request, const http::Handler& next) -> http::Response {
    const std::string_view ip = ClientIp(request);
    if (auto authorization = request.Header("Authorization")) {
      constexpr std::string_view kBearer = "Bearer ";
      if (!allow_api_tokens || !authorization->starts_with(kBearer)) {
        return Problem(request,
                       Error::Unauthenticated("auth/token-invalid",
                                              "this route takes a session cookie, not an Authorization header"));
      }
      auto principal = services.identity.ResolveApiToken(authorization->substr(kBearer.size()), ip);
      if (!principal.ok()) return Problem(request, principal.error());
      if (principal->shop_id != ShopOf(request)) return Problem(request, Error::NotFound("no such shop"));
      request.Emplace<identity::Principal>(std::move(principal).value());
      return next(request);
    }
    const auto token = request.Cookie(CookieName(kind));
    if (!token) {
      return Problem(request,
                     Error::Unauthenticated("auth/required",
                                            kind == SessionKind::kStaff ? "log in as staff first" : "log in first"));
    }
    auto principal = services.identity.ResolveSession(*token, ip);
    if (!principal.ok()) return Problem(request, principal.error());
    const bool kind_matches = (kind == SessionKind::kStaff) == (principal->kind == identity::PrincipalKind::kStaff);
    if (!kind_matches) return Problem(request, Error::Unauthenticated("auth/session-invalid", "wrong kind of session"));
    if (IsUnsafe(request.method)) {
      const Status csrf = identity::CheckCsrf(*principal, request.Header(kCsrfHeader).value_or(""));
      if (!csrf.ok()) return Problem(request, csrf.error());
    }
    if (principal->shop_id != ShopOf(request)) return Problem(request, Error::NotFound("no such shop"));
    request.Emplace<identity::Principal>(std::move(principal).value());
    return next(request);
  };
}

http::Middleware RequireSameOrigin() {
  return [](http::Request& request, const http::Handler& next) -> http::Response {
    const auto origin = request.Header("Origin");
    const auto host = request.Header("Host");
    if (origin && *origin != "null" && host && HostOf(*origin) != *host) {
      return Problem(request, Error{ErrorCode::kPermissionDenied, "auth/cross-origin",
                                    "this request came from another site", "Origin"});
    }
    if (origin && *origin == "null") {
      return Problem(request, Error{ErrorCode::kPermissionDenied, "auth/cross-origin",
                                    "this request came from an opaque origin", "Origin"});
    }
    return next(request);
  };
}

const identity::Principal& Caller(const http::Request& request) {
  const auto* principal = request.Find<identity::Principal>();
  // A programmer error (a route registered outside the authenticated group), never
  // caused by input; the server turns the exception into a logged 500.
  if (principal == nullptr) throw std::logic_error("route is not behind Authenticate");
  return *principal;
}

Result<std::int64_t> IdFromPath(const http::Request& request, std::string_view name) {
  const std::string_view text = request.PathParam(name);
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) {
    return Error::NotFound("no such resource");
  }
  return id;
}

http::Middleware ScopeToShop(const ApiServices& services) {
  return [&services](http::Request& request, const http::Handler& next) -> http::Response {
    const std::string_view shop = request.PathParam("shop");
    Result<identity::Shop> found = Error::NotFound("no such shop");
    if (!shop.empty() && shop.find_first_not_of("0123456789") == std::string_view::npos) {
      auto id = IdFromPath(request, "shop");
      if (id.ok()) found = services.identity.GetShop(*id);
    } else {
      found = services.identity.GetShopByHandle(shop);
    }
    if (!found.ok()) return Problem(request, found.error());
    request.Emplace<ShopScope>(ShopScope{found->id});
    return next(request);
  };
}

std::int64_t ShopOf(const http::Request& request) {
  const auto* scope = request.Find<ShopScope>();
  if (scope == nullptr) throw std::logic_error("route is not behind ScopeToShop");
  return scope->shop_id;
}

std::string_view ClientIp(const http::Request& request) {
  return request.remote_address;
}

http::Cookie SessionCookie(const ApiServices& services, SessionKind kind, const std::string& token,
                           TimePoint expires_at) {
  http::Cookie cookie;
  cookie.name = std::string(CookieName(kind));
  cookie.value = token;
  cookie.secure = services.secure_cookies;
  cookie.same_site = http::SameSite::kLax;
  const auto remaining = std::chrono::duration_cast<std::chrono::seconds>(expires_at - services.clock.Now());
  cookie.max_age = std::max(remaining, std::chrono::seconds(1));
  return cookie;
}

http::Cookie ExpiredSessionCookie(const ApiServices& services, SessionKind kind) {
  http::Cookie cookie;
  cookie.name = std::string(CookieName(kind));
  cookie.secure = services.secure_cookies;
  cookie.max_age = std::chrono::seconds(0);
  return cookie;
}

http::Response Problem(const http::Request& request, const Error& error) {
  return http::Response::Problem(error, request.request_id);
}

}  // namespace plaza::api
