#pragma once
// An HTTP response as a handler builds it. The server adds the request id, the default
// security headers, Date and Content-Length when it writes the response.

#include <boost/json/value.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "plaza/core/error.h"
#include "plaza/http/headers.h"

namespace plaza::http {

enum class SameSite { kStrict, kLax, kNone };

// One Set-Cookie (RFC 6265 §4.1). The defaults are the safe ones for a session cookie:
// invisible to scripts, sent only over TLS, not on cross-site sub-requests.
struct Cookie {
  std::string name;   // REQUIRES: a non-empty RFC 9110 token
  std::string value;  // REQUIRES: cookie-octets only (no space, quote, comma, ";" or "\")
  std::string path = "/";
  std::string domain{};  // empty: host-only cookie
  // Absent: a session cookie; zero or negative: delete the cookie now.
  std::optional<std::chrono::seconds> max_age{};
  bool http_only = true;
  bool secure = true;
  SameSite same_site = SameSite::kLax;
};

// Value type; cheap to move. Not thread-safe.
struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  // `value` serialised, Content-Type application/json.
  static Response Json(const boost::json::value& value, int status = 200);
  // Content-Type text/html; charset=utf-8. REQUIRES: `html` is already escaped.
  static Response Html(std::string html, int status = 200);
  // Content-Type text/plain; charset=utf-8.
  static Response Text(std::string text, int status = 200);
  // 204, no body.
  static Response NoContent();
  // RFC 9457 problem+json for `error`: status from HttpStatusFor (problem.h), body with
  // type, title, status, detail, field and `request_id` (pass the request's). 429 and
  // 503 get "Retry-After: 1" unless the caller replaces it with a better estimate.
  static Response Problem(const Error& error, std::string_view request_id = {});
  // A redirect to `location` (303 See Other by default: after a POST the browser GETs
  // the target). REQUIRES: `location` is a relative path or an absolute URL that the
  // caller has checked is on an allowed origin (no open redirects).
  static Response Redirect(std::string location, int status = 303);

  // Appends a Set-Cookie field for `cookie`. Several cookies may be set.
  Response& SetCookie(const Cookie& cookie);
  // Sets header `name` to `value`, replacing earlier values; returns *this for chaining.
  Response& SetHeader(std::string_view name, std::string value);
};

// The Set-Cookie field value for `cookie` ("sid=abc; Path=/; Max-Age=3600; HttpOnly; …").
std::string FormatSetCookie(const Cookie& cookie);

}  // namespace plaza::http
