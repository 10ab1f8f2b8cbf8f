// The staff pages. Log-in is a plain HTML form that works without scripts; the session
// cookie is the same one the API uses, and every form that changes state carries the
// session's CSRF token in a hidden field.

#include "plaza/web/pages.h"

#include "admin/admin_page.h"
#include "admin/routes.h"
#include "assets.h"
#include "form.h"
#include "html.h"
#include "password_pages.h"
#include "plaza/store/outbox_dispatcher.h"
#include "same_origin.h"
#include "storefront/routes.h"

namespace plaza::web {
namespace {

using http::Request;
using http::Response;

using admin::kStaffCookie;
using admin::NextStep;
using admin::StaffSession;

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

  admin::RegisterAdmin(router, services);
  RegisterPasswordPages(router, services);

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
