// The staff pages. Log-in is a plain HTML form that works without scripts; the session
// cookie is the same one the API uses, and every form that changes state carries the
// session's CSRF token in a hidden field.

#include "plaza/web/pages.h"

#include "assets.h"
#include "form.h"
#include "html.h"
#include "plaza/store/outbox_dispatcher.h"
#include "storefront/routes.h"

namespace plaza::web {
namespace {

using http::Request;
using http::Response;

constexpr std::string_view kStaffCookie = "plaza_staff";

Response Page(std::string_view title, const Trusted& content, int status = 200) {
  Response response = Response::Html(Layout(title, content), status);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::Cookie StaffCookie(const PageServices& services, const identity::NewSession& session) {
  http::Cookie cookie;
  cookie.name = std::string(kStaffCookie);
  cookie.value = session.token;
  cookie.secure = services.secure_cookies;
  cookie.max_age =
      std::max(std::chrono::duration_cast<std::chrono::seconds>(session.principal.expires_at - services.clock.Now()),
               std::chrono::seconds(1));
  return cookie;
}

http::Cookie ClearedStaffCookie(const PageServices& services) {
  http::Cookie cookie;
  cookie.name = std::string(kStaffCookie);
  cookie.secure = services.secure_cookies;
  cookie.max_age = std::chrono::seconds(0);
  return cookie;
}

// Where a freshly authenticated staff session goes next.
std::string NextStep(const identity::Principal& principal) {
  switch (principal.state) {
    case identity::AuthState::kSecondFactorPending:
      return "/admin/second-factor";
    case identity::AuthState::kEnrolmentRequired:
      return "/admin/enrol";
    case identity::AuthState::kActive:
      return "/admin";
  }
  return "/admin";
}

// A browser form post from another site (log-in CSRF) is refused.
bool CrossOrigin(const Request& request) {
  const auto origin = request.Header("Origin");
  const auto host = request.Header("Host");
  if (!origin) return false;
  if (*origin == "null" || !host) return true;
  const auto scheme_end = origin->find("://");
  return scheme_end == std::string_view::npos || origin->substr(scheme_end + 3) != *host;
}

Trusted ErrorBox(std::string_view message) {
  if (message.empty()) return {};
  HtmlWriter html;
  html.Raw("<p class=\"error\" role=\"alert\">").Text(message).Raw("</p>");
  return {html.Take()};
}

Response LoginPage(std::string_view shop, std::string_view email, std::string_view error, int status = 200) {
  HtmlWriter html;
  html.Raw("<div class=\"card\"><h1>Staff log-in</h1>")
      .Fragment(ErrorBox(error))
      .Raw(
          "<form method=\"post\" action=\"/admin/login\">"
          "<label for=\"shop\">Shop</label><input id=\"shop\" name=\"shop\" required autocomplete=\"organization\" "
          "value=\"")
      .Text(shop)
      .Raw(
          "\"><label for=\"email\">E-mail</label>"
          "<input id=\"email\" name=\"email\" type=\"email\" required autocomplete=\"username\" value=\"")
      .Text(email)
      .Raw(
          "\"><label for=\"password\">Password</label>"
          "<input id=\"password\" name=\"password\" type=\"password\" required autocomplete=\"current-password\">"
          "<button type=\"submit\">Log in</button></form></div>");
  return Page("Staff log-in", {html.Take()}, status);
}

Response CodePage(std::string_view title, std::string_view action, const Trusted& intro, std::string_view csrf,
                  std::string_view error, int status = 200) {
  HtmlWriter html;
  html.Raw("<div class=\"card\"><h1>")
      .Text(title)
      .Raw("</h1>")
      .Fragment(ErrorBox(error))
      .Fragment(intro)
      .Raw("<form method=\"post\" action=\"")
      .Text(action)
      .Raw(
          "\">"
          "<input type=\"hidden\" name=\"csrf_token\" value=\"")
      .Text(csrf)
      .Raw(
          "\">"
          "<label for=\"code\">Six-digit code from your authenticator app</label>"
          "<input id=\"code\" name=\"code\" inputmode=\"numeric\" pattern=\"[0-9]{6}\" maxlength=\"6\" required "
          "autocomplete=\"one-time-code\"><button type=\"submit\">Continue</button></form></div>");
  return Page(title, {html.Take()}, status);
}

// The staff principal of the request's cookie, or nullopt (expired, absent, revoked).
std::optional<identity::Principal> StaffSession(const PageServices& services, const Request& request) {
  const auto token = request.Cookie(kStaffCookie);
  if (!token) return std::nullopt;
  auto principal = services.identity.ResolveSession(*token, request.remote_address);
  if (!principal.ok() || principal->kind != identity::PrincipalKind::kStaff) return std::nullopt;
  return std::move(principal).value();
}

Trusted StaffTable(const std::vector<identity::StaffMember>& staff) {
  HtmlWriter html;
  html.Raw(
      "<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">E-mail</th><th scope=\"col\">Roles</th>"
      "<th scope=\"col\">2FA</th></tr></thead><tbody>");
  for (const auto& member : staff) {
    html.Raw("<tr><td>").Text(member.name).Raw("</td><td>").Text(member.email).Raw("</td><td>");
    for (std::size_t i = 0; i < member.roles.size(); ++i) {
      html.Raw(i ? ", " : "").Text(identity::RoleName(member.roles[i]));
    }
    html.Raw("</td><td>")
        .Raw(member.totp_enabled ? "on" : "off")
        .Raw(member.disabled ? " (disabled)" : "")
        .Raw("</td></tr>");
  }
  html.Raw("</tbody></table>");
  return {html.Take()};
}

Response Dashboard(const PageServices& services, const identity::Principal& staff) {
  auto shop = services.identity.GetShop(staff.shop_id);
  if (!shop.ok()) return Page("Not available", ErrorBox(shop.error().detail), 503);
  HtmlWriter html;
  html.Raw("<header class=\"bar\"><h1>")
      .Text(shop->name)
      .Raw(
          "</h1><form method=\"post\" action=\"/admin/logout\">"
          "<input type=\"hidden\" name=\"csrf_token\" value=\"")
      .Text(staff.csrf_token)
      .Raw("\"><button type=\"submit\">Log out</button></form></header><p class=\"muted\">Shop handle <code>")
      .Text(shop->handle)
      .Raw("</code> · signed in as staff #")
      .Text(std::to_string(staff.user_id))
      .Raw(" · roles: ");
  for (std::size_t i = 0; i < staff.roles.size(); ++i) html.Raw(i ? ", " : "").Text(identity::RoleName(staff.roles[i]));
  html.Raw("</p>");

  if (identity::Holds(staff, identity::Permission::kStaffManage)) {
    html.Raw("<h2>Staff</h2>");
    auto members = services.identity.ListStaff(staff, staff.shop_id);
    html.Fragment(members.ok() ? StaffTable(*members) : ErrorBox(members.error().detail));
  }
  if (identity::Holds(staff, identity::Permission::kWebhooksManage)) {
    html.Raw("<h2>Webhooks</h2>");
    auto subscriptions = services.webhooks.List(staff.shop_id);
    if (!subscriptions.ok()) {
      html.Fragment(ErrorBox(subscriptions.error().detail));
    } else if (subscriptions->empty()) {
      html.Raw("<p class=\"muted\">No subscriptions yet. Create one with <code>POST /api/v1/shops/")
          .Text(shop->handle)
          .Raw("/webhooks</code>.</p>");
    } else {
      html.Raw(
          "<table><thead><tr><th scope=\"col\">URL</th><th scope=\"col\">Events</th><th scope=\"col\">Active</th>"
          "</tr></thead><tbody>");
      for (const auto& subscription : *subscriptions) {
        html.Raw("<tr><td><code>").Text(subscription.url).Raw("</code></td><td>");
        for (std::size_t i = 0; i < subscription.event_types.size(); ++i) {
          html.Raw(i ? ", " : "").Text(subscription.event_types[i]);
        }
        html.Raw("</td><td>").Raw(subscription.active ? "yes" : "no").Raw("</td></tr>");
      }
      html.Raw("</tbody></table>");
    }
    auto dead = store::ListDeadLetters(services.db, {.shop_id = staff.shop_id, .limit = store::kMaxDeadLetterPage});
    if (dead.ok()) {
      html.Raw("<p>Dead-lettered deliveries: <strong>").Text(std::to_string(dead->size())).Raw("</strong></p>");
    }
  }
  if (identity::Holds(staff, identity::Permission::kAuditRead)) {
    html.Raw("<h2>Recent activity</h2>");
    // The overview shows a glance; the API pages through the rest.
    constexpr int kRecentEntries = 10;
    auto audit = services.identity.ListAudit(staff, staff.shop_id, std::nullopt, kRecentEntries);
    if (audit.ok()) {
      html.Raw(
          "<table><thead><tr><th scope=\"col\">When (UTC)</th><th scope=\"col\">Who</th>"
          "<th scope=\"col\">What</th><th scope=\"col\">Target</th></tr></thead><tbody>");
      for (const auto& entry : audit->entries) {
        html.Raw("<tr><td>")
            .Text(FormatRfc3339(entry.at))
            .Raw("</td><td>")
            .Text(entry.actor)
            .Raw("</td><td>")
            .Text(entry.action)
            .Raw("</td><td>")
            .Text(entry.target)
            .Raw("</td></tr>");
      }
      html.Raw("</tbody></table>");
    }
  }
  return Page(shop->name, {html.Take()});
}

}  // namespace

void RegisterPages(http::Server& server, const PageServices& services) {
  server.SetResponseHook([](const Request&, Response& response) {
    const auto type = response.headers.Get("Content-Type");
    if (type && type->starts_with("text/html")) {
      response.SetHeader("Content-Security-Policy", std::string(kPageSecurityPolicy));
    }
  });
  http::Router& router = server.router();
  router.SetNotFoundHandler([](Request& request) -> Response {
    const bool browser = request.Header("Accept").value_or("").find("text/html") != std::string_view::npos;
    if (!browser || request.path.starts_with("/api/")) {
      return Response::Problem(Error::NotFound("no route matches this path"), request.request_id);
    }
    HtmlWriter html;
    html.Raw("<h1>Page not found</h1><p>There is nothing at <code>")
        .Text(request.path)
        .Raw("</code>.</p><p><a href=\"/\">Go to the front page</a></p>");
    return Page("Not found", {html.Take()}, 404);
  });

  router.Get("/assets/{name}", [](Request& request) -> Response {
    const std::optional<Asset> asset = FindAsset(request.PathParam("name"));
    if (!asset) return Response::Problem(Error::NotFound("no such asset"), request.request_id);
    Response response = Response::Text(std::string(asset->body));
    response.SetHeader("Content-Type", std::string(asset->content_type));
    // A versioned URL never changes content; an unversioned one may, on the next release.
    const bool versioned = request.Query("v") == asset->version;
    response.SetHeader("Cache-Control", versioned ? "public, max-age=31536000, immutable" : "public, max-age=300");
    return response;
  });

  storefront::RegisterStorefront(router, services);

  router.Get("/admin/login", [&services](Request& request) {
    if (auto staff = StaffSession(services, request)) return Response::Redirect(NextStep(*staff));
    return LoginPage(request.Query("shop").value_or(""), "", "");
  });

  router.Post("/admin/login", [&services](Request& request) -> Response {
    if (CrossOrigin(request)) return LoginPage("", "", "This form was sent from another site.", 403);
    auto form = ReadForm(request);
    if (!form.ok()) return LoginPage("", "", form.error().detail, 400);
    const auto field = [&](std::string_view name) {
      auto found = form->find(name);
      return found == form->end() ? std::string() : found->second;
    };
    const std::string shop_handle = field("shop");
    const std::string email = field("email");
    auto shop = services.identity.GetShopByHandle(shop_handle);
    if (!shop.ok()) return LoginPage(shop_handle, email, "There is no shop with that handle.", 404);
    auto session = services.identity.LogInStaff(
        {.shop_id = shop->id, .email = email, .password = field("password"), .ip = request.remote_address});
    if (!session.ok()) {
      const int status = session.error().code == ErrorCode::kRateLimited ? 429 : 401;
      const std::string message = session.error().code == ErrorCode::kRateLimited
                                      ? session.error().detail
                                      : "That e-mail and password do not match a staff account of this shop.";
      return LoginPage(shop_handle, email, message, status);
    }
    return Response::Redirect(NextStep(session->principal)).SetCookie(StaffCookie(services, *session));
  });

  router.Get("/admin/second-factor", [&services](Request& request) -> Response {
    auto staff = StaffSession(services, request);
    if (!staff) return Response::Redirect("/admin/login");
    if (staff->state != identity::AuthState::kSecondFactorPending) return Response::Redirect(NextStep(*staff));
    return CodePage("Second factor", "/admin/second-factor", {}, staff->csrf_token, "");
  });

  router.Post("/admin/second-factor", [&services](Request& request) -> Response {
    auto staff = StaffSession(services, request);
    if (!staff) return Response::Redirect("/admin/login");
    auto form = ReadForm(request);
    if (!form.ok())
      return CodePage("Second factor", "/admin/second-factor", {}, staff->csrf_token, form.error().detail, 400);
    if (!identity::CheckCsrf(*staff, (*form)["csrf_token"]).ok()) {
      return CodePage("Second factor", "/admin/second-factor", {}, staff->csrf_token, "The form expired; try again.",
                      403);
    }
    auto session = services.identity.VerifySecondFactor(*staff, (*form)["code"]);
    if (!session.ok()) {
      return CodePage("Second factor", "/admin/second-factor", {}, staff->csrf_token, session.error().detail, 401);
    }
    return Response::Redirect("/admin").SetCookie(StaffCookie(services, *session));
  });

  router.Get("/admin/enrol", [&services](Request& request) -> Response {
    auto staff = StaffSession(services, request);
    if (!staff) return Response::Redirect("/admin/login");
    auto enrolment = services.identity.BeginTotpEnrolment(*staff);
    if (!enrolment.ok()) return Response::Redirect(NextStep(*staff));
    HtmlWriter intro;
    intro
        .Raw(
            "<p>This shop requires a second factor. Add this key to your authenticator app, then enter the code it "
            "shows.</p><p>Key: <code>")
        .Text(enrolment->secret_base32)
        .Raw("</code></p><p class=\"muted\">Or open: <code>")
        .Text(enrolment->otpauth_uri)
        .Raw("</code></p>");
    return CodePage("Set up a second factor", "/admin/enrol", {intro.Take()}, staff->csrf_token, "");
  });

  router.Post("/admin/enrol", [&services](Request& request) -> Response {
    auto staff = StaffSession(services, request);
    if (!staff) return Response::Redirect("/admin/login");
    auto form = ReadForm(request);
    if (!form.ok() || !identity::CheckCsrf(*staff, (*form)["csrf_token"]).ok()) {
      return Response::Redirect("/admin/enrol");
    }
    auto session = services.identity.ConfirmTotpEnrolment(*staff, (*form)["code"]);
    if (!session.ok())
      return CodePage("Set up a second factor", "/admin/enrol", {}, staff->csrf_token, session.error().detail, 401);
    Response response = Response::Redirect("/admin");
    if (*session) response.SetCookie(StaffCookie(services, **session));
    return response;
  });

  router.Get("/admin", [&services](Request& request) -> Response {
    auto staff = StaffSession(services, request);
    if (!staff) return Response::Redirect("/admin/login");
    if (staff->state != identity::AuthState::kActive) return Response::Redirect(NextStep(*staff));
    return Dashboard(services, *staff);
  });

  router.Post("/admin/logout", [&services](Request& request) -> Response {
    auto staff = StaffSession(services, request);
    if (!staff) return Response::Redirect("/admin/login");
    auto form = ReadForm(request);
    if (!form.ok() || !identity::CheckCsrf(*staff, (*form)["csrf_token"]).ok()) {
      return Page("Log out", ErrorBox("The form expired; reload the page and try again."), 403);
    }
    // A failed log-out still clears the cookie; the session then expires on its own.
    (void)services.identity.LogOut(*staff);
    return Response::Redirect("/admin/login").SetCookie(ClearedStaffCookie(services));
  });
}

}  // namespace plaza::web
