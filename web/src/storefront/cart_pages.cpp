// The cart: add from a product page, change quantities, remove lines, enter discount
// codes, and start checkout. Every change is a POST form answered with a 303 back to
// /cart, so the page works without scripts and a reload never repeats a change. Guest
// forms carry no token; cross-site posts are refused by their Origin / Sec-Fetch-Site
// (same_origin.h) on top of the SameSite=Lax cart cookie.

#include <algorithm>
#include <charconv>
#include <functional>

#include "cart_view.h"
#include "plaza/core/text.h"
#include "plaza/orders/order_service.h"
#include "plaza/orders/totals.h"
#include "routes.h"
#include "shop_page.h"

namespace plaza::web::storefront {
namespace {

using http::Request;
using http::Response;

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

std::string_view LineProblem(std::string_view type) {
  if (type == "pricing/not-priced") return "Not sold in this market. Remove it to check out.";
  return "No longer available. Remove it to check out.";
}

// Messages a redirect to /cart may ask for; fixed texts, so a link cannot put words on the page.
std::string_view Notice(std::string_view key) {
  if (key == "sold-out") {
    return "Some items sold out while you were checking out. The cart shows what is left; adjust it and check "
           "out again.";
  }
  if (key == "expired") {
    return "Your checkout was open too long and the items were released. Check the cart and start checkout again.";
  }
  if (key == "moved") return "Your cart was moved to the market you chose; prices are in its currency.";
  return "";
}

Trusted CartLines(const orders::Cart& cart) {
  HtmlWriter html;
  html.Raw(
      "<table class=\"cart-lines\"><caption class=\"visually-hidden\">Items in your cart</caption><thead><tr>"
      "<th scope=\"col\">Item</th><th scope=\"col\">Price</th><th scope=\"col\">Quantity</th>"
      "<th scope=\"col\">Total</th><th scope=\"col\"><span class=\"visually-hidden\">Remove</span></th></tr></thead>"
      "<tbody>");
  for (const orders::CartLineView& line : cart.lines) {
    const std::string id = std::to_string(line.variant_id);
    html.Raw("<tr><th scope=\"row\">").Text(line.title);
    if (!line.sku.empty()) html.Raw(" <span class=\"muted\">").Text(line.sku).Raw("</span>");
    if (!line.problem.empty()) {
      html.Raw("<p class=\"line-problem\" role=\"alert\">").Text(LineProblem(line.problem)).Raw("</p>");
    }
    html.Raw("</th><td>")
        .Text(FormatAmount(line.unit_price, cart.currency))
        .Raw("</td><td><form method=\"post\" action=\"/cart/update\" class=\"inline\">")
        .Raw("<input type=\"hidden\" name=\"variant_id\" value=\"")
        .Text(id)
        .Raw("\"><label for=\"quantity-")
        .Text(id)
        .Raw("\" class=\"visually-hidden\">Quantity of ")
        .Text(line.title)
        .Raw("</label><input id=\"quantity-")
        .Text(id)
        .Raw("\" name=\"quantity\" type=\"number\" min=\"0\" max=\"")
        .Text(std::to_string(orders::kMaxLineQuantity))
        .Raw("\" inputmode=\"numeric\" value=\"")
        .Text(std::to_string(line.quantity))
        .Raw("\"> <button type=\"submit\" class=\"secondary\">Update</button></form></td><td>")
        .Text(FormatAmount(line.total, cart.currency))
        .Raw("</td><td><form method=\"post\" action=\"/cart/remove\" class=\"inline\">")
        .Raw("<input type=\"hidden\" name=\"variant_id\" value=\"")
        .Text(id)
        .Raw("\"><button type=\"submit\" class=\"secondary\" aria-label=\"Remove ")
        .Text(line.title)
        .Raw("\">Remove</button></form></td></tr>");
  }
  html.Raw("</tbody></table>");
  return {html.Take()};
}

Trusted CodesForm(const orders::Cart& cart, std::string_view code_error) {
  HtmlWriter html;
  html.Raw("<section aria-labelledby=\"codes-heading\" class=\"codes\"><h2 id=\"codes-heading\">Discount code</h2>");
  if (!cart.discounts.empty()) {
    html.Raw("<ul class=\"discounts\">");
    for (const orders::DiscountView& discount : cart.discounts) {
      html.Raw("<li>").Text(discount.title);
      if (!discount.code.empty()) html.Raw(" (<code>").Text(discount.code).Raw("</code>)");
      html.Raw(": −").Text(FormatAmount(discount.amount, cart.currency)).Raw("</li>");
    }
    html.Raw("</ul>");
  }
  std::string rejected(code_error);
  for (const orders::CodeProblem& problem : cart.rejected_codes) {
    if (!rejected.empty()) rejected += " ";
    rejected += "The code " + problem.code + " does not apply: " + problem.detail + ".";
  }
  html.Raw("<form method=\"post\" action=\"/cart/codes\">")
      .Fragment(LabelledInput({.id = "code",
                               .label = "Discount code",
                               .value = "",
                               .error = rejected,
                               .attributes = "autocomplete=\"off\""}))
      .Raw("<button type=\"submit\" class=\"secondary\">Apply code</button></form>");
  for (const std::string& code : cart.codes) {
    html.Raw(
            "<form method=\"post\" action=\"/cart/codes\" class=\"inline\"><input type=\"hidden\" name=\"remove\" "
            "value=\"")
        .Text(code)
        .Raw("\"><button type=\"submit\" class=\"secondary\">Remove code ")
        .Text(code)
        .Raw("</button></form> ");
  }
  html.Raw("</section>");
  return {html.Take()};
}

Response CartPage(const PageServices& services, const Visit& visit, const std::optional<orders::Cart>& cart,
                  std::string_view message, int status = 200, std::string_view code_error = "") {
  HtmlWriter html;
  html.Raw("<h1>Your cart</h1>").Fragment(Alert(message));
  if (!cart || cart->lines.empty()) {
    html.Raw("<p>Your cart is empty.</p><p><a href=\"/\">Continue shopping</a></p>");
  } else {
    bool blocked = false;
    for (const orders::CartLineView& line : cart->lines) blocked = blocked || !line.problem.empty();
    html.Fragment(CartLines(*cart))
        .Fragment(CodesForm(*cart, code_error))
        .Raw("<section aria-labelledby=\"summary-heading\" class=\"summary\"><h2 id=\"summary-heading\">Summary</h2>")
        .Fragment(CartTotals(*cart))
        .Raw("<p class=\"muted\">Shipping is calculated at checkout.</p>");
    if (blocked) {
      html.Raw("<p>Remove the items that can no longer be bought to check out.</p>");
    } else {
      html.Raw("<form method=\"post\" action=\"/checkout\"><button type=\"submit\">Check out</button></form>");
    }
    html.Raw("</section>");
  }
  return ShopPage(services, visit, PrivatePage("Your cart", "/cart"), {html.Take()}, status);
}

// After a failed change: the cart as it stands, with the reason.
Response Refused(const PageServices& services, GuestPost& post, const Error& error) {
  auto cart = VisitorCart(services, post.visit);
  return CartPage(services, post.visit, cart.ok() ? *cart : std::nullopt, Explain(error),
                  error.code == ErrorCode::kConflict ? 409 : 422);
}

using CartChange = std::function<Result<orders::Cart>(const orders::Cart& cart, const FormFields& form)>;

void PostCartChange(http::Router& router, const PageServices& services, std::string_view path, CartChange change) {
  router.Post(path, [&services, change = std::move(change)](Request& request) -> Response {
    auto begun = BeginGuestPost(services, request);
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    GuestPost& post = std::get<GuestPost>(begun);
    auto cart = EditableCart(services, post.visit);
    if (!cart.ok()) return Refused(services, post, cart.error());
    auto changed = change(*cart, post.form);
    if (!changed.ok()) return Refused(services, post, changed.error());
    return RedirectAfterPost(post.visit, "/cart");
  });
}

Result<std::int64_t> VariantOf(const FormFields& form) {
  const auto id = ParseInt(FormValue(form, "variant_id"));
  if (!id || *id < 1) return Error::Invalid("validation/required", "choose a product variant", "/variant_id");
  return *id;
}

Result<std::int64_t> QuantityOf(const FormFields& form, std::int64_t absent) {
  const std::string text = FormValue(form, "quantity");
  if (text.empty()) return absent;
  const auto quantity = ParseInt(text);
  if (!quantity) return Error::Invalid("validation/number", "enter the quantity as a whole number", "/quantity");
  return *quantity;
}

}  // namespace

void RegisterCartPages(http::Router& router, const PageServices& services) {
  router.Get("/cart", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    const std::string token_before = visit->cart_token;
    auto cart = VisitorCart(services, *visit);
    if (!cart.ok()) return CartPage(services, *visit, std::nullopt, Explain(cart.error()), 503);
    const bool moved = *cart && (*cart)->token != token_before;
    return CartPage(services, *visit, *cart, Notice(moved ? "moved" : request.Query("notice").value_or("")));
  });

  PostCartChange(router, services, "/cart/add",
                 [&services](const orders::Cart& cart, const FormFields& form) -> Result<orders::Cart> {
                   PLAZA_ASSIGN_OR_RETURN(const std::int64_t variant_id, VariantOf(form));
                   PLAZA_ASSIGN_OR_RETURN(const std::int64_t quantity, QuantityOf(form, 1));
                   return services.orders.AddLine(cart.shop_id, cart.token, {variant_id, quantity});
                 });

  // Quantity 0 removes the line, as buyers expect of a quantity box.
  PostCartChange(router, services, "/cart/update",
                 [&services](const orders::Cart& cart, const FormFields& form) -> Result<orders::Cart> {
                   PLAZA_ASSIGN_OR_RETURN(const std::int64_t variant_id, VariantOf(form));
                   PLAZA_ASSIGN_OR_RETURN(const std::int64_t quantity, QuantityOf(form, 1));
                   if (quantity == 0) return services.orders.RemoveLine(cart.shop_id, cart.token, variant_id);
                   return services.orders.UpdateLine(cart.shop_id, cart.token, {variant_id, quantity});
                 });

  PostCartChange(router, services, "/cart/remove",
                 [&services](const orders::Cart& cart, const FormFields& form) -> Result<orders::Cart> {
                   PLAZA_ASSIGN_OR_RETURN(const std::int64_t variant_id, VariantOf(form));
                   return services.orders.RemoveLine(cart.shop_id, cart.token, variant_id);
                 });

  // One code is added per post ("code"), or one removed ("remove"); the others stay.
  PostCartChange(router, services, "/cart/codes",
                 [&services](const orders::Cart& cart, const FormFields& form) -> Result<orders::Cart> {
                   std::vector<std::string> codes;
                   const std::string removed = FormValue(form, "remove");
                   for (const std::string& code : cart.codes) {
                     if (code != removed) codes.push_back(code);
                   }
                   const std::string added(text::TrimAscii(FormValue(form, "code")));
                   if (!added.empty() && std::find(codes.begin(), codes.end(), added) == codes.end()) {
                     codes.push_back(added);
                   }
                   return services.orders.SetCodes(cart.shop_id, cart.token, codes);
                 });
}

}  // namespace plaza::web::storefront
