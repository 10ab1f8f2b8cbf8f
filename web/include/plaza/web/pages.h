#pragma once
// Server-rendered pages: the shop's front page and the staff area (log-in with the
// second factor, and the admin overview). Every dynamic value goes through the HTML
// escaper; pages carry a Content-Security-Policy without inline scripts; forms post
// with the session's CSRF token.

#include "plaza/channels/webhooks.h"
#include "plaza/core/clock.h"
#include "plaza/http/server.h"
#include "plaza/identity/identity_service.h"
#include "plaza/store/database.h"

namespace plaza::web {

// What the pages need; every reference must outlive the server.
struct PageServices {
  identity::IdentityService& identity;
  channels::WebhookService& webhooks;
  store::Database& db;
  const Clock& clock;
  bool secure_cookies = false;
};

// The Content-Security-Policy every HTML page is served with: same-origin resources
// only, no inline scripts, no framing.
inline constexpr std::string_view kPageSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

// Registers the pages and /assets/*, sets the CSP hook and the HTML 404 page for browsers.
void RegisterPages(http::Server& server, const PageServices& services);

}  // namespace plaza::web
