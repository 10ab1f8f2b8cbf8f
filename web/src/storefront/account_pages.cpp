// The customer account: sign-up, log-in and log-out through plain forms, the order
// history, one order with its status, and the return request. The session is the API's
// `plaza_customer` cookie (HttpOnly, SameSite=Lax, Secure when the server says so), so a
// customer logged in here is logged in to the API and back. Log-in and sign-up are
// guarded like the guest forms (same_origin.h); forms of a logged-in customer carry the
// session's CSRF token. A guest cart joins the customer's cart on log-in.

#include <charconv>

#include "../form.h"
#include "../same_origin.h"
#include "cart_view.h"
#include "feed_sections.h"
#include "plaza/core/clock.h"
#include "plaza/orders/order_service.h"
#include "review_sections.h"
#include "routes.h"
#include "safe_next.h"
#include "shop_page.h"

namespace plaza::web::storefront {
namespace {

using http::Request;
using http::Response;

http::Cookie CustomerCookie(const PageServices& services, const std::string& token, TimePoint expires_at) {
  http::Cookie cookie;
  cookie.name = std::string(kCustomerCookie);
  cookie.value = token;
  cookie.secure = services.secure_cookies;
  cookie.same_site = http::SameSite::kLax;
  cookie.max_age = std::max(std::chrono::duration_cast<std::chrono::seconds>(expires_at - services.clock.Now()),
                            std::chrono::seconds(1));
  return cookie;
}

http::Cookie Expired(const PageServices& services, std::string_view name) {
  http::Cookie cookie;
  cookie.name = std::string(name);
  cookie.secure = services.secure_cookies;
  cookie.max_age = std::chrono::seconds(0);
  return cookie;
}

using FieldErrors = std::map<std::string, std::string, std::less<>>;

std::string ErrorAt(const FieldErrors& errors, std::string_view field) {
  const auto found = errors.find(field);
  return found == errors.end() ? std::string() : found->second;
}

// The hidden field that carries a local `next` path through a sign-in form.
Trusted NextField(std::string_view next) {
  HtmlWriter html;
  if (const auto safe = SafeNext(next)) {
    html.Raw("<input type=\"hidden\" name=\"next\" value=\"").Text(*safe).Raw("\">");
  }
  return {html.Take()};
}

Response LogInPage(const PageServices& services, const Visit& visit, std::string_view email, std::string_view error,
                   std::string_view next, int status = 200) {
  HtmlWriter html;
  html.Raw("<div class=\"card\"><h1>Log in</h1>")
      .Fragment(Alert(error))
      .Raw("<form method=\"post\" action=\"/account/login\">")
      .Fragment(NextField(next))
      .Fragment(LabelledInput({.id = "email",
                               .label = "E-mail",
                               .value = email,
                               .error = "",
                               .type = "email",
                               .attributes = "autocomplete=\"username\" required"}))
      .Fragment(LabelledInput({.id = "password",
                               .label = "Password",
                               .value = "",
                               .error = "",
                               .type = "password",
                               .attributes = "autocomplete=\"current-password\" required"}))
      .Raw("<button type=\"submit\">Log in</button></form><p>New here? <a href=\"")
      .Text(WithNext("/account/signup", next))
      .Raw("\">Create an account</a></p></div>");
  return ShopPage(services, visit, PrivatePage("Log in", "/account/login"), {html.Take()}, status);
}

Response SignUpPage(const PageServices& services, const Visit& visit, std::string_view name, std::string_view email,
                    const FieldErrors& errors, std::string_view next, int status = 200) {
  HtmlWriter html;
  html.Raw("<div class=\"card\"><h1>Create an account</h1>")
      .Fragment(Alert(ErrorAt(errors, "")))
      .Raw("<form method=\"post\" action=\"/account/signup\" novalidate>")
      .Fragment(NextField(next))
      .Fragment(LabelledInput({.id = "name",
                               .label = "Name",
                               .value = name,
                               .error = ErrorAt(errors, "name"),
                               .attributes = "autocomplete=\"name\" required"}))
      .Fragment(LabelledInput({.id = "email",
                               .label = "E-mail",
                               .value = email,
                               .error = ErrorAt(errors, "email"),
                               .type = "email",
                               .attributes = "autocomplete=\"email\" required"}))
      .Fragment(LabelledInput({.id = "password",
                               .label = "Password",
                               .value = "",
                               .error = ErrorAt(errors, "password"),
                               .type = "password",
                               .attributes = "autocomplete=\"new-password\" required"}))
      .Raw("<button type=\"submit\">Create account</button></form><p>Already have an account? <a href=\"")
      .Text(WithNext("/account/login", next))
      .Raw("\">Log in</a></p></div>");
  return ShopPage(services, visit, PrivatePage("Create an account", "/account/signup"), {html.Take()}, status);
}

// The answer to a successful log-in or sign-up: the session cookie, the guest cart
// joined to the customer's, and the page the visitor came from (a local `next`) or the
// account page.
// `email` is the one the customer just proved (signed up or logged in with).
Response LoggedIn(const PageServices& services, Visit& visit, const identity::NewSession& session,
                  std::string_view email, std::string_view next) {
  if (!visit.cart_token.empty()) {
    // An order this browser just placed as a guest joins the account it opens next;
    // a failure here leaves the order where it was and must not block the log-in.
    (void)services.orders.ClaimGuestOrder(visit.shop.id, visit.cart_token, session.principal.user_id, email);
    auto merged = services.orders.MergeOnLogin(visit.shop.id, visit.cart_token, session.principal.user_id);
    if (merged.ok() && merged->token != visit.cart_token) {
      visit.cookies.push_back(CartCookie(services, merged->token));
    }
  }
  Response response = RedirectAfterPost(visit, SafeNext(next).value_or("/account"));
  response.SetCookie(CustomerCookie(services, session.token, session.principal.expires_at));
  return response;
}

std::string FieldOf(const Error& error) {
  const auto slash = error.field.rfind('/');
  return slash == std::string::npos ? std::string() : error.field.substr(slash + 1);
}

std::string Day(TimePoint at) {
  return FormatRfc3339(at).substr(0, 10);
}

std::string StatusLabel(orders::OrderStatus status) {
  std::string label(orders::OrderStatusName(status));
  for (char& c : label) c = c == '_' ? ' ' : c;
  label[0] = static_cast<char>(label[0] - 'a' + 'A');
  return label;
}

std::string ReturnLabel(orders::ReturnStatus status) {
  std::string label(orders::ReturnStatusName(status));
  label[0] = static_cast<char>(label[0] - 'a' + 'A');
  return label;
}

// When the customer may still ask to return the order, by the rules RequestReturn
// applies: something shipped, and the window since delivery (or shipping) is open.
bool ReturnOpen(const orders::Order& order, int window_days, TimePoint now) {
  bool shipped_units = false;
  for (const orders::OrderLine& line : order.lines) {
    shipped_units = shipped_units || line.fulfilled_quantity > line.returned_quantity;
  }
  if (!shipped_units) return false;
  const std::optional<TimePoint> since = order.delivered_at ? order.delivered_at : order.fulfilled_at;
  return !since || now <= *since + std::chrono::days(window_days);
}

Response OrderPage(const PageServices& services, const Visit& visit, const orders::Order& order,
                   std::string_view message, std::string_view reason, const FieldErrors& errors, int status = 200) {
  HtmlWriter html;
  html.Raw("<h1>Order #")
      .Text(std::to_string(order.id))
      .Raw("</h1>")
      .Fragment(Alert(message))
      .Raw("<p>Placed ")
      .Text(Day(order.placed_at))
      .Raw(" · Status: <strong>")
      .Text(StatusLabel(order.status))
      .Raw("</strong></p>")
      .Fragment(OrderDetails(order));

  auto returns = services.orders.ListReturns(visit.shop.id, order.id);
  if (returns.ok() && !returns->empty()) {
    html.Raw("<h2>Returns</h2><ul>");
    for (const orders::Return& item : *returns) {
      html.Raw("<li>Requested ").Text(Day(item.requested_at)).Raw(": ").Text(ReturnLabel(item.status)).Raw("</li>");
    }
    html.Raw("</ul>");
  }

  auto window = services.orders.GetReturnWindow(visit.shop.id);
  if (window.ok() && ReturnOpen(order, *window, services.clock.Now())) {
    html.Raw(
            "<section aria-labelledby=\"return-heading\"><h2 id=\"return-heading\">Start a return</h2><p>Returns are "
            "accepted for ")
        .Text(std::to_string(*window))
        .Raw(" days after delivery. <a href=\"/policies/returns\">Returns policy</a></p>")
        .Fragment(Alert(ErrorAt(errors, "")))
        .Raw("<form method=\"post\" action=\"/account/orders/")
        .Text(std::to_string(order.id))
        .Raw("/returns\">")
        .Fragment(CsrfField(*visit.customer));
    for (const orders::OrderLine& line : order.lines) {
      const std::int64_t returnable = line.fulfilled_quantity - line.returned_quantity;
      if (returnable <= 0) continue;
      const std::string id = "return-" + std::to_string(line.id);
      html.Fragment(
          LabelledInput({.id = id,
                         .label = "Quantity of " + line.title + " to return (up to " + std::to_string(returnable) + ")",
                         .value = "0",
                         .error = ErrorAt(errors, id),
                         .type = "number",
                         .attributes = "min=\"0\" max=\"" + std::to_string(returnable) + "\""}));
    }
    const std::string reason_error = ErrorAt(errors, "reason");
    html.Raw(
        "<div class=\"field\"><label for=\"reason\">Reason</label><textarea id=\"reason\" name=\"reason\" rows=\"3\" "
        "maxlength=\"1000\" required");
    if (!reason_error.empty()) html.Raw(" aria-invalid=\"true\" aria-describedby=\"reason-error\"");
    html.Raw(">").Text(reason).Raw("</textarea>");
    if (!reason_error.empty()) {
      html.Raw("<p class=\"field-error\" role=\"alert\" id=\"reason-error\">").Text(reason_error).Raw("</p>");
    }
    html.Raw("</div><button type=\"submit\">Start a return</button></form></section>");
  }
  html.Raw("<p><a href=\"/account\">All orders</a></p>");
  return ShopPage(services, visit, PrivatePage("Order #" + std::to_string(order.id), "/account"), {html.Take()},
                  status);
}

std::optional<orders::Order> CustomersOrder(const PageServices& services, const Visit& visit, std::string_view text) {
  std::int64_t order_id = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), order_id);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  auto order = services.orders.GetOrder(visit.shop.id, order_id);
  if (!order.ok() || order->customer_id != visit.customer->user_id) return std::nullopt;
  return std::move(order).value();
}

}  // namespace

void RegisterAccountPages(http::Router& router, const PageServices& services) {
  router.Get("/account/login", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    const std::string_view next = request.Query("next").value_or("");
    if (visit->customer) return RedirectAfterPost(*visit, SafeNext(next).value_or("/account"));
    return LogInPage(services, *visit, "", "", next);
  });

  router.Post("/account/login", [&services](Request& request) -> Response {
    auto begun = BeginGuestPost(services, request);
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    GuestPost& post = std::get<GuestPost>(begun);
    const std::string email = FormValue(post.form, "email");
    auto session = services.identity.LogInCustomer({.shop_id = post.visit.shop.id,
                                                    .email = email,
                                                    .password = FormValue(post.form, "password"),
                                                    .ip = request.remote_address});
    if (!session.ok()) {
      const bool limited = session.error().code == ErrorCode::kRateLimited;
      return LogInPage(services, post.visit, email,
                       limited ? Explain(session.error()) : "That e-mail and password do not match an account.",
                       FormValue(post.form, "next"), limited ? 429 : 401);
    }
    return LoggedIn(services, post.visit, *session, email, FormValue(post.form, "next"));
  });

  router.Get("/account/signup", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    const std::string_view next = request.Query("next").value_or("");
    if (visit->customer) return RedirectAfterPost(*visit, SafeNext(next).value_or("/account"));
    return SignUpPage(services, *visit, "", "", {}, next);
  });

  router.Post("/account/signup", [&services](Request& request) -> Response {
    auto begun = BeginGuestPost(services, request);
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    GuestPost& post = std::get<GuestPost>(begun);
    const std::string name(text::TrimAscii(FormValue(post.form, "name")));
    const std::string email(text::TrimAscii(FormValue(post.form, "email")));
    if (name.empty() || name.size() > 200) {
      return SignUpPage(services, post.visit, name, email, {{"name", "Enter your name (up to 200 characters)."}},
                        FormValue(post.form, "next"), 422);
    }
    auto session = services.identity.SignUpCustomer(
        post.visit.shop.id, {.email = email, .name = name, .password = FormValue(post.form, "password")},
        request.remote_address);
    if (!session.ok()) {
      const Error& error = session.error();
      std::string field = FieldOf(error);
      if (error.type == "identity/email-taken") field = "email";
      const int status = error.code == ErrorCode::kConflict ? 409 : error.code == ErrorCode::kRateLimited ? 429 : 422;
      return SignUpPage(services, post.visit, name, email, {{field, Explain(error)}}, FormValue(post.form, "next"),
                        status);
    }
    return LoggedIn(services, post.visit, *session, email, FormValue(post.form, "next"));
  });

  router.Post("/account/logout", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    if (!visit->customer) return RedirectAfterPost(*visit, "/account/login");
    auto form = ReadForm(request);
    if (!form.ok() || !identity::CheckCsrf(*visit->customer, FormValue(*form, "csrf_token")).ok()) {
      return MessagePage(services, *visit, "Log out", "The form expired; reload the page and try again.", 403);
    }
    // A failed log-out still clears the cookies; the session then expires on its own.
    (void)services.identity.LogOut(*visit->customer);
    // The cart belongs to the account now; the next visitor of this browser starts afresh.
    Response response = RedirectAfterPost(*visit, "/");
    response.SetCookie(Expired(services, kCustomerCookie));
    response.SetCookie(Expired(services, kCartCookie));
    return response;
  });

  router.Get("/account", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    if (!visit->customer) return RedirectAfterPost(*visit, "/account/login");
    auto orders = services.orders.ListOrders(visit->shop.id, {.customer_id = visit->customer->user_id});
    HtmlWriter html;
    html.Raw("<h1>Your account</h1><form method=\"post\" action=\"/account/logout\">")
        .Fragment(CsrfField(*visit->customer))
        .Raw(
            "<button type=\"submit\" class=\"secondary\">Log out</button></form>"
            "<p><a href=\"/account/profile\">Your community profile</a></p><h2>Orders</h2>");
    if (!orders.ok()) {
      html.Fragment(Alert(Explain(orders.error())));
    } else if (orders->empty()) {
      html.Raw("<p>No orders yet. <a href=\"/\">Start shopping</a></p>");
    } else {
      html.Raw(
          "<table class=\"orders\"><thead><tr><th scope=\"col\">Order</th><th scope=\"col\">Placed</th>"
          "<th scope=\"col\">Status</th><th scope=\"col\">Total</th></tr></thead><tbody>");
      for (const orders::Order& order : *orders) {
        const std::string number = std::to_string(order.id);
        html.Raw("<tr><th scope=\"row\"><a href=\"/account/orders/")
            .Text(number)
            .Raw("\">#")
            .Text(number)
            .Raw("</a></th><td>")
            .Text(Day(order.placed_at))
            .Raw("</td><td>")
            .Text(StatusLabel(order.status))
            .Raw("</td><td>")
            .Text(FormatAmount(order.total, order.currency))
            .Raw("</td></tr>");
      }
      html.Raw("</tbody></table>");
    }
    html.Fragment(PurchaseSharingSection(services, *visit, request));
    html.Fragment(ReviewEmailSection(services, *visit, request));
    return ShopPage(services, *visit, PrivatePage("Your account", "/account"), {html.Take()});
  });

  router.Get("/account/orders/{id}", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    if (!visit->customer) return RedirectAfterPost(*visit, "/account/login");
    auto order = CustomersOrder(services, *visit, request.PathParam("id"));
    if (!order)
      return MessagePage(services, *visit, "Order not found", "There is no order of yours with that number.", 404);
    const bool requested = request.Query("return") == "requested";
    return OrderPage(services, *visit, *order, requested ? "Your return request was sent. We will e-mail you." : "", "",
                     {});
  });

  router.Post("/account/orders/{id}/returns", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    if (!visit->customer) return RedirectAfterPost(*visit, "/account/login");
    auto order = CustomersOrder(services, *visit, request.PathParam("id"));
    if (!order)
      return MessagePage(services, *visit, "Order not found", "There is no order of yours with that number.", 404);
    auto form = ReadForm(request);
    if (!form.ok() || !identity::CheckCsrf(*visit->customer, FormValue(*form, "csrf_token")).ok()) {
      return OrderPage(services, *visit, *order, "", "", {{"", "The form expired; reload the page and try again."}},
                       403);
    }
    const std::string reason = FormValue(*form, "reason");
    orders::ReturnRequestInput input{.lines = {}, .reason = reason};
    std::vector<std::string> line_fields;
    for (const orders::OrderLine& line : order->lines) {
      const std::string field = "return-" + std::to_string(line.id);
      const std::string text = FormValue(*form, field);
      std::int64_t quantity = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), quantity);
      if (text.empty() || (ec == std::errc() && ptr == text.data() + text.size() && quantity == 0)) continue;
      if (ec != std::errc() || ptr != text.data() + text.size() || quantity < 0) {
        return OrderPage(services, *visit, *order, "", reason, {{field, "Enter a whole number."}}, 422);
      }
      input.lines.push_back({line.id, quantity});
      line_fields.push_back(field);
    }
    auto requested = services.orders.RequestReturn(visit->shop.id, visit->customer->user_id, order->id, input);
    if (!requested.ok()) {
      const Error& error = requested.error();
      std::string field = FieldOf(error);
      // "/lines/2/quantity" names the request's third line: the page's input for it.
      const auto lines_at = error.field.find("/lines/");
      if (lines_at != std::string::npos) {
        std::size_t index = 0;
        const std::string rest = error.field.substr(lines_at + 7);
        std::from_chars(rest.data(), rest.data() + rest.size(), index);
        field = index < line_fields.size() ? line_fields[index] : std::string();
      }
      if (error.field == "/lines") field = "";
      return OrderPage(services, *visit, *order, "", reason, {{field, Explain(error)}},
                       error.code == ErrorCode::kConflict ? 409 : 422);
    }
    return RedirectAfterPost(*visit, "/account/orders/" + std::to_string(order->id) + "?return=requested");
  });
}

}  // namespace plaza::web::storefront
