#include "cart_view.h"

#include <cctype>
#include <utility>

#include "../form.h"
#include "../same_origin.h"
#include "plaza/core/money.h"
#include "plaza/orders/order_service.h"
#include "shop_page.h"

namespace plaza::web::storefront {
namespace {

// Moves an open cart's sellable lines into a new cart of the visit's market. Lines that
// do not sell there (not priced in that market) are left behind rather than failing the
// move: the buyer sees what the new market offers.
Result<orders::Cart> MoveToMarket(const PageServices& services, const Visit& visit, const orders::Cart& old) {
  PLAZA_ASSIGN_OR_RETURN(orders::Cart moved,
                         services.orders.CreateCart(visit.shop.id, {.country = visit.market->countries.front(),
                                                                    .currency = visit.market->currency,
                                                                    .customer_id = old.customer_id}));
  for (const orders::CartLineView& line : old.lines) {
    if (!line.problem.empty()) continue;
    auto added = services.orders.AddLine(visit.shop.id, moved.token, {line.variant_id, line.quantity});
    if (added.ok()) moved = std::move(added).value();
  }
  if (!old.codes.empty()) {
    auto coded = services.orders.SetCodes(visit.shop.id, moved.token, old.codes);
    if (coded.ok()) moved = std::move(coded).value();
  }
  if (old.state == orders::CartState::kCheckout) (void)services.orders.LeaveCheckout(visit.shop.id, old.token);
  return moved;
}

bool InOtherMarket(const Visit& visit, const orders::Cart& cart) {
  return visit.market && !visit.market->countries.empty() && cart.market_id != visit.market->id;
}

}  // namespace

std::string FormValue(const FormFields& form, std::string_view name) {
  const auto found = form.find(name);
  return found == form.end() ? std::string() : found->second;
}

std::string FormatAmount(std::int64_t minor, const std::string& currency) {
  return FormatMoney(Money{minor, currency});
}

Result<std::optional<orders::Cart>> VisitorCart(const PageServices& services, Visit& visit) {
  if (visit.cart_token.empty()) return std::optional<orders::Cart>();
  auto cart = services.orders.GetCart(visit.shop.id, visit.cart_token);
  if (!cart.ok()) {
    if (cart.error().code == ErrorCode::kNotFound) return std::optional<orders::Cart>();
    return std::move(cart).error();
  }
  if (cart->state == orders::CartState::kOrdered) return std::optional<orders::Cart>();
  if (InOtherMarket(visit, *cart)) {
    PLAZA_ASSIGN_OR_RETURN(orders::Cart moved, MoveToMarket(services, visit, *cart));
    visit.cart_token = moved.token;
    visit.cookies.push_back(CartCookie(services, moved.token));
    return std::optional<orders::Cart>(std::move(moved));
  }
  return std::optional<orders::Cart>(std::move(cart).value());
}

Result<orders::Cart> EditableCart(const PageServices& services, Visit& visit) {
  PLAZA_ASSIGN_OR_RETURN(std::optional<orders::Cart> cart, VisitorCart(services, visit));
  if (cart) {
    if (cart->state == orders::CartState::kCheckout) return services.orders.LeaveCheckout(visit.shop.id, cart->token);
    return std::move(*cart);
  }
  if (!visit.market || visit.market->countries.empty()) {
    return Error::Unavailable("this shop does not sell online yet");
  }
  std::optional<std::int64_t> customer_id;
  if (visit.customer) customer_id = visit.customer->user_id;
  PLAZA_ASSIGN_OR_RETURN(orders::Cart created,
                         services.orders.CreateCart(visit.shop.id, {.country = visit.market->countries.front(),
                                                                    .currency = visit.market->currency,
                                                                    .customer_id = customer_id}));
  visit.cart_token = created.token;
  visit.cookies.push_back(CartCookie(services, created.token));
  return created;
}

PageMeta PrivatePage(std::string title, std::string path) {
  PageMeta meta;
  meta.title = std::move(title);
  meta.path = std::move(path);
  meta.noindex = true;
  return meta;
}

http::Response RedirectAfterPost(const Visit& visit, std::string location) {
  http::Response response = http::Response::Redirect(std::move(location));
  CarryCookies(visit, response);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

Trusted CartTotals(const orders::Cart& cart) {
  HtmlWriter html;
  const auto row = [&](std::string_view label, std::int64_t amount, std::string_view css = "") {
    html.Raw("<div");
    if (!css.empty()) html.Raw(" class=\"").Text(css).Raw("\"");
    html.Raw("><dt>").Text(label).Raw("</dt><dd>").Text(FormatAmount(amount, cart.currency)).Raw("</dd></div>");
  };
  html.Raw("<dl class=\"totals\">");
  row("Subtotal", cart.subtotal);
  if (cart.discount_total != 0) row("Discount", -cart.discount_total);
  if (cart.shipping) row("Shipping", cart.shipping_total);
  row(cart.prices_include_tax ? "Tax included" : "Tax", cart.tax_total);
  row("Total", cart.total, "grand-total");
  html.Raw("</dl>");
  return {html.Take()};
}

Trusted OrderDetails(const orders::Order& order) {
  HtmlWriter html;
  html.Raw(
      "<table class=\"order-lines\"><caption>Items</caption><thead><tr><th scope=\"col\">Item</th>"
      "<th scope=\"col\">Quantity</th><th scope=\"col\">Total</th></tr></thead><tbody>");
  for (const orders::OrderLine& line : order.lines) {
    html.Raw("<tr><th scope=\"row\">")
        .Text(line.title)
        .Raw("</th><td>")
        .Text(std::to_string(line.quantity))
        .Raw("</td><td>")
        .Text(FormatAmount(line.total, order.currency))
        .Raw("</td></tr>");
  }
  html.Raw("</tbody></table>");
  orders::Cart totals;
  totals.currency = order.currency;
  totals.prices_include_tax = order.prices_include_tax;
  totals.subtotal = order.subtotal;
  totals.discount_total = order.discount_total;
  totals.shipping = order.shipping;
  totals.shipping_total = order.shipping_total;
  totals.tax_total = order.tax_total;
  totals.total = order.total;
  html.Fragment(CartTotals(totals));
  const orders::Address& address = order.shipping_address;
  html.Raw("<h2>Delivery</h2><p>")
      .Text(order.shipping.name)
      .Raw(": ")
      .Text(order.shipping.promise_text)
      .Raw("</p><address>");
  for (const std::string* part : {&address.name, &address.company, &address.line1, &address.line2}) {
    if (!part->empty()) html.Text(*part).Raw("<br>");
  }
  html.Text(address.postal_code + " " + address.city);
  if (!address.region.empty()) html.Raw(", ").Text(address.region);
  html.Raw("<br>").Text(address.country).Raw("</address>");
  return {html.Take()};
}

std::optional<orders::Order> VisibleOrder(const PageServices& services, const Visit& visit, std::int64_t order_id) {
  if (order_id < 1) return std::nullopt;
  auto order = services.orders.GetOrder(visit.shop.id, order_id);
  if (!order.ok()) return std::nullopt;
  if (visit.customer && order->customer_id == visit.customer->user_id) return std::move(order).value();
  if (visit.cart_token.empty()) return std::nullopt;
  auto cart = services.orders.GetCart(visit.shop.id, visit.cart_token);
  if (cart.ok() && cart->order_id == order_id) return std::move(order).value();
  return std::nullopt;
}

Trusted LabelledInput(const InputSpec& spec) {
  HtmlWriter html;
  const std::string error_id = std::string(spec.id) + "-error";
  html.Raw("<div class=\"field\"><label for=\"")
      .Text(spec.id)
      .Raw("\">")
      .Text(spec.label)
      .Raw("</label><input id=\"")
      .Text(spec.id)
      .Raw("\" name=\"")
      .Text(spec.id)
      .Raw("\" type=\"")
      .Text(spec.type)
      .Raw("\" value=\"")
      .Text(spec.value)
      .Raw("\"");
  if (!spec.attributes.empty()) html.Raw(" ").Raw(spec.attributes);
  if (!spec.error.empty()) {
    html.Raw(" aria-invalid=\"true\" aria-describedby=\"").Text(error_id).Raw("\"");
  }
  html.Raw(">");
  if (!spec.error.empty()) {
    html.Raw("<p class=\"field-error\" role=\"alert\" id=\"").Text(error_id).Raw("\">").Text(spec.error).Raw("</p>");
  }
  html.Raw("</div>");
  return {html.Take()};
}

Trusted Alert(std::string_view message) {
  if (message.empty()) return {};
  HtmlWriter html;
  html.Raw("<p class=\"error\" role=\"alert\">").Text(message).Raw("</p>");
  return {html.Take()};
}

http::Response MessagePage(const PageServices& services, const Visit& visit, std::string_view title,
                           std::string_view message, int status) {
  HtmlWriter html;
  html.Raw("<h1>")
      .Text(title)
      .Raw("</h1>")
      .Fragment(Alert(message))
      .Raw("<p><a href=\"/cart\">Back to the cart</a></p>");
  return ShopPage(services, visit, PrivatePage(std::string(title), "/cart"), {html.Take()}, status);
}

http::Response CrossSiteRefused(const PageServices& services, const Visit& visit) {
  return MessagePage(services, visit, "Form refused",
                     "This form was sent from another site, so nothing was changed. Use the form on this shop's page.",
                     403);
}

std::variant<GuestPost, http::Response> BeginGuestPost(const PageServices& services, const http::Request& request) {
  auto visit = BeginVisit(services, request);
  if (!visit.ok()) return http::Response::Problem(visit.error(), request.request_id);
  if (CrossOrigin(request)) return CrossSiteRefused(services, *visit);
  auto form = ReadForm(request);
  if (!form.ok()) return MessagePage(services, *visit, "Form not understood", form.error().detail, 400);
  return GuestPost{std::move(visit).value(), std::move(form).value()};
}

std::string Explain(const Error& error) {
  if (error.type == "orders/payment-declined") {
    return "The card was declined. Check the number and expiry date, or use another card.";
  }
  if (error.type == "inventory/insufficient-stock") {
    return "Some items are no longer in stock in the quantity in your cart. Adjust the cart and try again.";
  }
  if (error.type == "inventory/reservation-closed") {
    return "Your checkout was open too long and the items were released. Check the cart and start checkout again.";
  }
  if (error.type == "orders/cart-locked") return "The cart is in checkout; go back to the cart to change it.";
  std::string message = error.detail;
  if (!message.empty()) {
    message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
    if (message.back() != '.') message += '.';
  }
  return message;
}

}  // namespace plaza::web::storefront
