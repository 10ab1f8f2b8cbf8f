#include "password_pages.h"

#include "form.h"
#include "html.h"
#include "plaza/identity/passwords.h"
#include "same_origin.h"

namespace plaza::web {
namespace {

using http::Request;
using http::Response;

struct TokenPage {
  std::string_view path;        // where the link points and the form posts
  std::string_view title;       // the page's heading
  std::string_view intro;       // one sentence of what happens
  std::string_view login_path;  // where to log in afterwards
};

constexpr TokenPage kInvitation{"/admin/invitation", "Accept your invitation",
                                "Choose the password for your staff account; you log in with it next.", "/admin/login"};
constexpr TokenPage kCustomerReset{"/account/reset", "Choose a new password",
                                   "Your other sessions end when the new password is set.", "/account/login"};

Response Render(const TokenPage& page, std::string_view token, std::string_view error, int status) {
  HtmlWriter html;
  html.Raw("<div class=\"card\"><h1>")
      .Text(page.title)
      .Raw("</h1><p>")
      .Text(page.intro)
      .Raw("</p>")
      .Fragment(ErrorBox(error))
      .Raw("<form method=\"post\" action=\"")
      .Text(page.path)
      .Raw("\"><input type=\"hidden\" name=\"token\" value=\"")
      .Text(token)
      .Raw(
          "\"><label for=\"password\">New password</label>"
          "<input id=\"password\" name=\"password\" type=\"password\" required minlength=\"")
      .Text(std::to_string(identity::kMinPasswordBytes))
      .Raw(
          "\" autocomplete=\"new-password\" aria-describedby=\"password-hint\">"
          "<p id=\"password-hint\" class=\"muted\">At least ")
      .Text(std::to_string(identity::kMinPasswordBytes))
      .Raw(" characters.</p><button type=\"submit\">Set password</button></form></div>");
  Response response = Response::Html(Layout(page.title, {html.Take()}), status);
  response.SetHeader("Cache-Control", "no-store");
  // The token is in this page's URL: keep it out of other sites' Referer headers.
  response.SetHeader("Referrer-Policy", "no-referrer");
  return response;
}

void Register(http::Router& router, const PageServices& services, const TokenPage& page) {
  router.Get(page.path,
             [&page](Request& request) { return Render(page, request.Query("token").value_or(""), "", 200); });
  router.Post(page.path, [&services, &page](Request& request) -> Response {
    if (CrossOrigin(request)) return Render(page, "", "This form was sent from another site.", 403);
    auto form = ReadForm(request);
    if (!form.ok()) return Render(page, "", form.error().detail, 400);
    const std::string token = (*form)["token"];
    const Status spent = services.identity.ConsumePasswordReset(token, (*form)["password"], request.remote_address);
    if (!spent.ok()) {
      const bool bad_token = spent.error().code == ErrorCode::kUnauthenticated;
      return Render(page, token,
                    bad_token ? "This link has expired or was already used; ask for a new one." : spent.error().detail,
                    bad_token ? 401 : 400);
    }
    return Response::Redirect(std::string(page.login_path));
  });
}

}  // namespace

void RegisterPasswordPages(http::Router& router, const PageServices& services) {
  Register(router, services, kInvitation);
  Register(router, services, kCustomerReset);
}

}  // namespace plaza::web
