#pragma once
// Per-request helpers shared by the API's handlers: the authenticated principal, the
// shop named in the path, cookies, and the uniform JSON answers.

#include <cstdint>
#include <string_view>

#include "plaza/api/api.h"
#include "plaza/http/request.h"
#include "plaza/http/response.h"
#include "plaza/http/router.h"
#include "plaza/identity/permissions.h"

namespace plaza::api {

enum class SessionKind { kStaff, kCustomer };

// The shop a "/shops/{shop}/…" request is about, stored by ScopeToShop.
struct ShopScope {
  std::int64_t shop_id = 0;
};

// Middleware for every "/shops/{shop}" route: resolves the shop (numeric id or handle)
// and stores a ShopScope, or answers 404.
http::Middleware ScopeToShop(const ApiServices& services);

// REQUIRES: the route is behind ScopeToShop.
std::int64_t ShopOf(const http::Request& request);

// Middleware: resolves the caller from an API token (Authorization: Bearer) or from the
// session cookie of `kind`, answers 401 when there is none, and enforces CSRF on
// cookie-authenticated unsafe methods. A caller of another shop than the ShopScope gets
// 404, exactly as if the shop's resources did not exist. Handlers then read
// Caller(request). REQUIRES: behind ScopeToShop.
http::Middleware Authenticate(const ApiServices& services, SessionKind kind, bool allow_api_tokens);

// Middleware for routes that start a session (log-in, sign-up): a browser POST whose
// Origin names another site is refused, so a foreign page cannot log a visitor into
// an attacker's account (log-in CSRF). Requests without Origin (non-browser clients)
// pass.
http::Middleware RequireSameOrigin();

// REQUIRES: the route is behind Authenticate.
const identity::Principal& Caller(const http::Request& request);

// A positive integer path parameter such as "{id}"; kNotFound when it is not one, so
// malformed ids and absent ones look alike.
Result<std::int64_t> IdFromPath(const http::Request& request, std::string_view name);

// The client address as the identity module records it.
std::string_view ClientIp(const http::Request& request);

// Session cookie for `session`, or the cookie that deletes it.
http::Cookie SessionCookie(const ApiServices& services, SessionKind kind, const std::string& token,
                           TimePoint expires_at);
http::Cookie ExpiredSessionCookie(const ApiServices& services, SessionKind kind);

// problem+json for `error`, with the request's id.
http::Response Problem(const http::Request& request, const Error& error);

// Wraps a handler body returning Result<Response> so errors become problems.
template <typename Body>
http::Handler Handle(Body body) {
  return [body = std::move(body)](http::Request& request) -> http::Response {
    Result<http::Response> result = body(request);
    if (!result.ok()) return Problem(request, result.error());
    return std::move(result).value();
  };
}

}  // namespace plaza::api
