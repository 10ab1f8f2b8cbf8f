#include "plaza/http/response.h"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <cassert>
#include <string>
#include <utility>

#include "plaza/http/problem.h"

namespace plaza::http {
namespace {

// These checks back assertions only: cookie names, values and attributes come from code
// (tokens, ids, paths), never from user input.
[[maybe_unused]] bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 6265 §4.1.1 cookie-octet.
[[maybe_unused]] bool IsCookieOctet(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte == 0x21 || (byte >= 0x23 && byte <= 0x2B) || (byte >= 0x2D && byte <= 0x3A) ||
         (byte >= 0x3C && byte <= 0x5B) || (byte >= 0x5D && byte <= 0x7E);
}

[[maybe_unused]] bool IsSafeAttribute(std::string_view s) {
  for (char c : s) {
    if (c == ';' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  }
  return true;
}

}  // namespace

Response Response::Json(const boost::json::value& value, int status) {
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", "application/json");
  response.body = boost::json::serialize(value);
  return response;
}

Response Response::Html(std::string html, int status) {
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", "text/html; charset=utf-8");
  response.body = std::move(html);
  return response;
}

Response Response::Text(std::string text, int status) {
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", "text/plain; charset=utf-8");
  response.body = std::move(text);
  return response;
}

Response Response::NoContent() {
  Response response;
  response.status = 204;
  return response;
}

Response Response::Problem(const Error& error, std::string_view request_id) {
  if (error.code == ErrorCode::kInternal) {
    // The body hides the detail (ProblemBody), so this is where it is kept.
    spdlog::error("internal error request_id={} type={} detail={}", request_id, error.type, error.detail);
  }
  Response response;
  response.status = HttpStatusFor(error);
  response.headers.Set("Content-Type", std::string(kProblemContentType));
  if (response.status == 429 || response.status == 503) {
    // A conservative hint; callers that know better (a rate limiter's window) replace it.
    response.headers.Set("Retry-After", "1");
  }
  response.body = boost::json::serialize(ProblemBody(error, request_id));
  return response;
}

Response Response::Redirect(std::string location, int status) {
  assert(status >= 300 && status < 400);
  Response response;
  response.status = status;
  response.headers.Set("Location", std::move(location));
  return response;
}

Response& Response::SetCookie(const Cookie& cookie) {
  headers.Add("Set-Cookie", FormatSetCookie(cookie));
  return *this;
}

Response& Response::SetHeader(std::string_view name, std::string value) {
  headers.Set(name, std::move(value));
  return *this;
}

std::string FormatSetCookie(const Cookie& cookie) {
  assert(!cookie.name.empty());
  for ([[maybe_unused]] char c : cookie.name) assert(IsTokenChar(c));
  for ([[maybe_unused]] char c : cookie.value) assert(IsCookieOctet(c));
  assert(IsSafeAttribute(cookie.path) && IsSafeAttribute(cookie.domain));

  std::string out = cookie.name + "=" + cookie.value;
  if (!cookie.path.empty()) out += "; Path=" + cookie.path;
  if (!cookie.domain.empty()) out += "; Domain=" + cookie.domain;
  if (cookie.max_age) {
    long long seconds = cookie.max_age->count();
    out += "; Max-Age=" + std::to_string(seconds > 0 ? seconds : 0);
  }
  if (cookie.http_only) out += "; HttpOnly";
  // Browsers reject SameSite=None without Secure, so None forces it.
  if (cookie.secure || cookie.same_site == SameSite::kNone) out += "; Secure";
  switch (cookie.same_site) {
    case SameSite::kStrict:
      out += "; SameSite=Strict";
      break;
    case SameSite::kLax:
      out += "; SameSite=Lax";
      break;
    case SameSite::kNone:
      out += "; SameSite=None";
      break;
  }
  return out;
}

}  // namespace plaza::http
