// Checkout in steps, each a page with one form: contact, address, shipping method,
// payment. Each step posts to itself; a refused value comes back on the same page at its
// field (role="alert", aria-describedby) with what was typed still in place, and a step
// that succeeded redirects (303) to the next. The cart's state in the orders module is
// the only record of progress, so the steps survive a reload or a second tab.
//
// Placing the order carries an Idempotency-Key minted when the payment form was
// rendered: a double click, a retry after a time-out or a reload of the POST places one
// order. A refused card renders a fresh key, so the next attempt is a new payment.
//
// Besides a card, the buyer may pay by bank transfer or cash on delivery: the order is
// placed with its payment pending until staff record the money, and the confirmation
// page says so. Card fields sent with a manual method (scripts off, nothing hid them)
// are ignored.

#include <charconv>

#include "cart_view.h"
#include "plaza/core/crypto.h"
#include "plaza/core/text.h"
#include "plaza/orders/address.h"
#include "plaza/orders/order_service.h"
#include "plaza/payments/manual_provider.h"
#include "plaza/payments/payment_service.h"
#include "routes.h"
#include "shop_page.h"

namespace plaza::web::storefront {
namespace {

using http::Request;
using http::Response;

enum class Step { kContact, kAddress, kShipping, kPayment };

constexpr std::pair<Step, std::string_view> kSteps[] = {{Step::kContact, "contact"},
                                                        {Step::kAddress, "address"},
                                                        {Step::kShipping, "shipping"},
                                                        {Step::kPayment, "payment"}};
constexpr std::string_view kStepTitles[] = {"Contact", "Address", "Shipping", "Payment"};

std::string StepPath(Step step) {
  return "/checkout/" + std::string(kSteps[static_cast<int>(step)].second);
}

// The first step the cart still needs.
Step NextStep(const orders::Cart& cart) {
  if (cart.email.empty()) return Step::kContact;
  if (!cart.shipping_address) return Step::kAddress;
  if (!cart.shipping) return Step::kShipping;
  return Step::kPayment;
}

// Field-level errors of a step, by input name; "" holds an error for the whole form.
using FieldErrors = std::map<std::string, std::string, std::less<>>;

std::string ErrorAt(const FieldErrors& errors, std::string_view field) {
  const auto found = errors.find(field);
  return found == errors.end() ? std::string() : found->second;
}

// The input an error's JSON pointer names ("/shipping_address/postal_code" -> "postal_code").
std::string FieldOf(const Error& error) {
  const auto slash = error.field.rfind('/');
  return slash == std::string::npos ? std::string() : error.field.substr(slash + 1);
}

const pricing::Market* CartMarket(const Visit& visit, const orders::Cart& cart) {
  for (const pricing::Market& market : visit.markets) {
    if (market.id == cart.market_id) return &market;
  }
  return nullptr;
}

Trusted StepNav(Step current, const orders::Cart& cart) {
  HtmlWriter html;
  html.Raw("<nav aria-label=\"Checkout steps\"><ol class=\"steps\">");
  const int reachable = static_cast<int>(NextStep(cart));
  for (const auto& [step, slug] : kSteps) {
    const int index = static_cast<int>(step);
    html.Raw("<li>");
    if (step == current) {
      html.Raw("<span aria-current=\"step\">").Text(kStepTitles[index]).Raw("</span>");
    } else if (index <= reachable) {
      html.Raw("<a href=\"").Text(StepPath(step)).Raw("\">").Text(kStepTitles[index]).Raw("</a>");
    } else {
      html.Text(kStepTitles[index]);
    }
    html.Raw("</li>");
  }
  html.Raw("</ol></nav>");
  return {html.Take()};
}

Trusted OrderSummary(const orders::Cart& cart) {
  HtmlWriter html;
  html.Raw(
      "<aside class=\"summary\" aria-labelledby=\"summary-heading\"><h2 id=\"summary-heading\">Your order</h2><ul>");
  for (const orders::CartLineView& line : cart.lines) {
    html.Raw("<li>")
        .Text(line.title)
        .Raw(" × ")
        .Text(std::to_string(line.quantity))
        .Raw(" <span class=\"amount\">")
        .Text(FormatAmount(line.total, cart.currency))
        .Raw("</span></li>");
  }
  html.Raw("</ul>").Fragment(CartTotals(cart));
  if (cart.shipping) {
    html.Raw("<p>").Text(cart.shipping->name).Raw(": ").Text(cart.shipping->promise_text).Raw("</p>");
  }
  html.Raw("<p><a href=\"/cart\">Edit cart</a></p></aside>");
  return {html.Take()};
}

Response CheckoutPage(const PageServices& services, const Visit& visit, const orders::Cart& cart, Step step,
                      const Trusted& form, int status) {
  HtmlWriter html;
  html.Raw("<h1>Checkout</h1>")
      .Fragment(StepNav(step, cart))
      .Raw("<div class=\"checkout\"><section class=\"checkout-step\" aria-labelledby=\"step-heading\">")
      .Fragment(form)
      .Raw("</section>")
      .Fragment(OrderSummary(cart))
      .Raw("</div>");
  return ShopPage(services, visit,
                  PrivatePage("Checkout: " + std::string(kStepTitles[static_cast<int>(step)]), StepPath(step)),
                  {html.Take()}, status);
}

Trusted StepForm(Step step, std::string_view heading, const FieldErrors& errors, const Trusted& fields,
                 std::string_view button) {
  HtmlWriter html;
  html.Raw("<h2 id=\"step-heading\">")
      .Text(heading)
      .Raw("</h2>")
      .Fragment(Alert(ErrorAt(errors, "")))
      .Raw("<form method=\"post\" action=\"")
      .Text(StepPath(step))
      .Raw("\" novalidate>")
      .Fragment(fields)
      .Raw("<button type=\"submit\">")
      .Text(button)
      .Raw("</button></form>");
  return {html.Take()};
}

Response ContactStep(const PageServices& services, const Visit& visit, const orders::Cart& cart, std::string_view email,
                     const FieldErrors& errors, int status = 200) {
  const Trusted fields = LabelledInput({.id = "email",
                                        .label = "E-mail",
                                        .value = email,
                                        .error = ErrorAt(errors, "email"),
                                        .type = "email",
                                        .attributes = "autocomplete=\"email\" required"});
  return CheckoutPage(services, visit, cart, Step::kContact,
                      StepForm(Step::kContact, "Contact", errors, fields, "Continue to address"), status);
}

Response AddressStep(const PageServices& services, const Visit& visit, const orders::Cart& cart,
                     const orders::Address& address, const FieldErrors& errors, int status = 200) {
  HtmlWriter fields;
  struct Line {
    std::string_view name;
    std::string_view label;
    std::string_view attributes;
  };
  constexpr Line kLines[] = {
      {"name", "Full name", "autocomplete=\"name\" required"},
      {"company", "Company (optional)", "autocomplete=\"organization\""},
      {"line1", "Address", "autocomplete=\"address-line1\" required"},
      {"line2", "Apartment, suite, etc. (optional)", "autocomplete=\"address-line2\""},
      {"city", "City", "autocomplete=\"address-level2\" required"},
      {"region", "State, province or region (where required)", "autocomplete=\"address-level1\""},
      {"postal_code", "Postal code", "autocomplete=\"postal-code\" required"},
  };
  for (const Line& line : kLines) {
    std::string value;
    for (const auto& [name, member] : orders::kAddressFields) {
      if (name == line.name) value = address.*member;
    }
    fields.Fragment(LabelledInput({.id = line.name,
                                   .label = line.label,
                                   .value = value,
                                   .error = ErrorAt(errors, line.name),
                                   .attributes = line.attributes}));
  }
  // The country decides the market and so the prices: the buyer picks among the
  // market's countries, and another market is chosen in the header.
  const std::string country_error = ErrorAt(errors, "country");
  fields.Raw(
      "<div class=\"field\"><label for=\"country\">Country</label><select id=\"country\" name=\"country\" "
      "autocomplete=\"country\"");
  if (!country_error.empty()) fields.Raw(" aria-invalid=\"true\" aria-describedby=\"country-error\"");
  fields.Raw(">");
  std::vector<std::string> countries;
  if (const pricing::Market* market = CartMarket(visit, cart)) countries = market->countries;
  if (countries.empty()) countries.push_back(cart.country);
  const std::string chosen = address.country.empty() ? cart.country : address.country;
  for (const std::string& country : countries) {
    fields.Raw("<option value=\"")
        .Text(country)
        .Raw(country == chosen ? "\" selected>" : "\">")
        .Text(country)
        .Raw("</option>");
  }
  fields.Raw("</select>");
  if (!country_error.empty()) {
    fields.Raw("<p class=\"field-error\" role=\"alert\" id=\"country-error\">").Text(country_error).Raw("</p>");
  }
  fields.Raw("</div>").Fragment(LabelledInput({.id = "phone",
                                               .label = "Phone (optional)",
                                               .value = address.phone,
                                               .error = ErrorAt(errors, "phone"),
                                               .type = "tel",
                                               .attributes = "autocomplete=\"tel\""}));
  return CheckoutPage(services, visit, cart, Step::kAddress,
                      StepForm(Step::kAddress, "Shipping address", errors, {fields.Take()}, "Continue to shipping"),
                      status);
}

Response ShippingStep(const PageServices& services, const Visit& visit, const orders::Cart& cart,
                      const FieldErrors& errors, int status = 200) {
  HtmlWriter fields;
  if (cart.shipping_options.empty()) {
    fields.Raw(
        "<p role=\"alert\">This shop does not ship to that address. <a href=\"/checkout/address\">Change the "
        "address</a>.</p>");
    HtmlWriter html;
    html.Raw("<h2 id=\"step-heading\">Shipping method</h2>").Fragment({fields.Take()});
    return CheckoutPage(services, visit, cart, Step::kShipping, {html.Take()}, status);
  }
  const std::string error = ErrorAt(errors, "rate_id");
  fields.Raw("<fieldset");
  if (!error.empty()) fields.Raw(" aria-describedby=\"rate_id-error\"");
  fields.Raw("><legend>Shipping method</legend>");
  if (!error.empty()) {
    fields.Raw("<p class=\"field-error\" role=\"alert\" id=\"rate_id-error\">").Text(error).Raw("</p>");
  }
  for (std::size_t i = 0; i < cart.shipping_options.size(); ++i) {
    const orders::ShippingChoice& option = cart.shipping_options[i];
    const std::string id = "rate-" + std::to_string(option.rate_id);
    const bool checked = cart.shipping ? cart.shipping->rate_id == option.rate_id : i == 0;
    fields.Raw("<div class=\"choice\"><input type=\"radio\" name=\"rate_id\" id=\"")
        .Text(id)
        .Raw("\" value=\"")
        .Text(std::to_string(option.rate_id))
        .Raw(checked ? "\" checked><label for=\"" : "\"><label for=\"")
        .Text(id)
        .Raw("\">")
        .Text(option.name)
        .Raw(" · ")
        .Text(option.price == 0 ? std::string("Free") : FormatAmount(option.price, cart.currency))
        .Raw(" · <span class=\"promise\">")
        .Text(option.promise_text)
        .Raw("</span></label></div>");
  }
  fields.Raw("</fieldset>");
  return CheckoutPage(services, visit, cart, Step::kShipping,
                      StepForm(Step::kShipping, "Shipping method", errors, {fields.Take()}, "Continue to payment"),
                      status);
}

struct PaymentEntry {
  std::string method = "card";
  std::string number;
  std::string exp_month;
  std::string exp_year;
  std::string cvc;
};

constexpr std::pair<std::string_view, std::string_view> kPaymentMethods[] = {
    {"card", "Card"}, {"bank_transfer", "Bank transfer"}, {"cash_on_delivery", "Cash on delivery"}};

Response PaymentStep(const PageServices& services, const Visit& visit, const orders::Cart& cart,
                     const PaymentEntry& card, const FieldErrors& errors, int status = 200) {
  HtmlWriter fields;
  fields.Raw("<input type=\"hidden\" name=\"idempotency_key\" value=\"")
      .Text(crypto::RandomToken(16))
      .Raw("\"><fieldset class=\"payment-methods\"><legend>Payment method</legend>");
  for (const auto& [value, label] : kPaymentMethods) {
    fields.Raw("<div class=\"choice\"><input type=\"radio\" name=\"payment_method\" id=\"pm-")
        .Text(value)
        .Raw("\" value=\"")
        .Text(value)
        .Raw(card.method == value ? "\" checked" : "\"")
        .Raw("><label for=\"pm-")
        .Text(value)
        .Raw("\">")
        .Text(label)
        .Raw("</label></div>");
  }
  // Not `required`: with a manual method chosen and scripts off, the card fields stay
  // empty and the form must still submit; the card is checked on the server.
  fields.Raw("</fieldset><fieldset class=\"card-fields\"><legend>Card</legend>")
      .Fragment(LabelledInput({.id = "card_number",
                               .label = "Card number",
                               .value = card.number,
                               .error = ErrorAt(errors, "card_number"),
                               .attributes = "inputmode=\"numeric\" autocomplete=\"cc-number\""}))
      .Fragment(LabelledInput({.id = "exp_month",
                               .label = "Expiry month (MM)",
                               .value = card.exp_month,
                               .error = ErrorAt(errors, "exp_month"),
                               .attributes = "inputmode=\"numeric\" autocomplete=\"cc-exp-month\" maxlength=\"2\""}))
      .Fragment(LabelledInput({.id = "exp_year",
                               .label = "Expiry year (YYYY)",
                               .value = card.exp_year,
                               .error = ErrorAt(errors, "exp_year"),
                               .attributes = "inputmode=\"numeric\" autocomplete=\"cc-exp-year\" maxlength=\"4\""}))
      .Fragment(LabelledInput({.id = "cvc",
                               .label = "Security code (CVC)",
                               .value = "",
                               .error = ErrorAt(errors, "cvc"),
                               .attributes = "inputmode=\"numeric\" autocomplete=\"cc-csc\" maxlength=\"4\""}))
      .Raw("</fieldset><p>You pay <strong>")
      .Text(FormatAmount(cart.total, cart.currency))
      .Raw("</strong>.</p>");
  return CheckoutPage(services, visit, cart, Step::kPayment,
                      StepForm(Step::kPayment, "Payment", errors, {fields.Take()}, "Place order"), status);
}

// The visitor's cart when it is in checkout; otherwise the answer (back to the cart).
std::variant<orders::Cart, Response> CartInCheckout(const PageServices& services, Visit& visit) {
  auto cart = VisitorCart(services, visit);
  if (!cart.ok()) return MessagePage(services, visit, "Checkout", Explain(cart.error()), 503);
  if (!*cart || (*cart)->state != orders::CartState::kCheckout || (*cart)->lines.empty()) {
    return RedirectAfterPost(visit, "/cart");
  }
  return std::move(**cart);
}

FieldErrors ErrorsOf(const Error& error) {
  return {{FieldOf(error), Explain(error)}};
}

std::optional<int> ParseSmallInt(std::string_view text) {
  int value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// What the buyer typed, checked for shape before it reaches the payment provider.
FieldErrors CheckCard(const PaymentEntry& card, orders::PaymentInput& payment) {
  FieldErrors errors;
  std::string digits;
  for (const char c : card.number) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.size() < 12 || digits.size() > 19) errors["card_number"] = "Enter the card number (12 to 19 digits).";
  const auto month = ParseSmallInt(text::TrimAscii(card.exp_month));
  if (!month || *month < 1 || *month > 12) errors["exp_month"] = "Enter the expiry month as 1 to 12.";
  auto year = ParseSmallInt(text::TrimAscii(card.exp_year));
  if (year && *year < 100) *year += 2000;
  if (!year || *year < 2000 || *year > 2200) errors["exp_year"] = "Enter the expiry year, e.g. 2030.";
  payment.method = "card";
  payment.card_number = digits;
  payment.exp_month = month.value_or(0);
  payment.exp_year = year.value_or(0);
  payment.cvc = std::string(text::TrimAscii(card.cvc));
  return errors;
}

// Checkout needs the cart; the step handlers share the fetch and the guard.
template <typename Handler>
http::Handler StepGet(const PageServices& services, Step step, Handler render) {
  return [&services, step, render](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    auto found = CartInCheckout(services, *visit);
    if (auto* answer = std::get_if<Response>(&found)) return std::move(*answer);
    const orders::Cart& cart = std::get<orders::Cart>(found);
    // A later step is reached only through the ones before it.
    if (static_cast<int>(step) > static_cast<int>(NextStep(cart))) {
      return RedirectAfterPost(*visit, StepPath(NextStep(cart)));
    }
    return render(*visit, cart);
  };
}

template <typename Handler>
http::Handler StepPost(const PageServices& services, Handler handle) {
  return [&services, handle](Request& request) -> Response {
    auto begun = BeginGuestPost(services, request);
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    GuestPost& post = std::get<GuestPost>(begun);
    auto found = CartInCheckout(services, post.visit);
    if (auto* answer = std::get_if<Response>(&found)) return std::move(*answer);
    return handle(post, std::get<orders::Cart>(found), request);
  };
}

orders::Address AddressFromForm(const FormFields& form) {
  orders::Address address;
  for (const auto& [name, member] : orders::kAddressFields) address.*member = FormValue(form, name);
  return address;
}

}  // namespace

void RegisterCheckoutPages(http::Router& router, const PageServices& services) {
  // The cart's "Check out" button: holds the stock and locks the lines.
  router.Post("/checkout", [&services](Request& request) -> Response {
    auto begun = BeginGuestPost(services, request);
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    GuestPost& post = std::get<GuestPost>(begun);
    auto cart = VisitorCart(services, post.visit);
    if (!cart.ok()) return MessagePage(services, post.visit, "Checkout", Explain(cart.error()), 503);
    if (!*cart || (*cart)->lines.empty()) return RedirectAfterPost(post.visit, "/cart");
    auto started = services.orders.StartCheckout(post.visit.shop.id, (*cart)->token);
    if (!started.ok()) {
      if (started.error().type == "inventory/insufficient-stock")
        return RedirectAfterPost(post.visit, "/cart?notice=sold-out");
      return MessagePage(services, post.visit, "Checkout", Explain(started.error()),
                         started.error().code == ErrorCode::kConflict ? 409 : 422);
    }
    return RedirectAfterPost(post.visit, StepPath(NextStep(*started)));
  });

  router.Get("/checkout", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    auto found = CartInCheckout(services, *visit);
    if (auto* answer = std::get_if<Response>(&found)) return std::move(*answer);
    return RedirectAfterPost(*visit, StepPath(NextStep(std::get<orders::Cart>(found))));
  });

  router.Get("/checkout/contact",
             StepGet(services, Step::kContact, [&services](const Visit& visit, const orders::Cart& cart) {
               std::string email = cart.email;
               // A logged-in customer starts from the account's address.
               if (email.empty() && visit.customer) {
                 auto customer = services.identity.GetCustomer(*visit.customer, visit.shop.id, visit.customer->user_id);
                 if (customer.ok()) email = customer->email;
               }
               return ContactStep(services, visit, cart, email, {});
             }));
  router.Post("/checkout/contact",
              StepPost(services, [&services](GuestPost& post, const orders::Cart& cart, const Request&) -> Response {
                const std::string email(text::TrimAscii(FormValue(post.form, "email")));
                auto changed = services.orders.SetContact(post.visit.shop.id, cart.token, email);
                if (!changed.ok()) {
                  FieldErrors errors{{"email", "Enter an e-mail address like name@example.com."}};
                  if (FieldOf(changed.error()) != "email") errors = ErrorsOf(changed.error());
                  return ContactStep(services, post.visit, cart, email, errors, 422);
                }
                return RedirectAfterPost(post.visit, StepPath(Step::kAddress));
              }));

  router.Get("/checkout/address",
             StepGet(services, Step::kAddress, [&services](const Visit& visit, const orders::Cart& cart) {
               return AddressStep(services, visit, cart, cart.shipping_address.value_or(orders::Address{}), {});
             }));
  router.Post("/checkout/address",
              StepPost(services, [&services](GuestPost& post, const orders::Cart& cart, const Request&) -> Response {
                const orders::Address address = AddressFromForm(post.form);
                auto changed = services.orders.SetShippingAddress(post.visit.shop.id, cart.token, address);
                if (!changed.ok())
                  return AddressStep(services, post.visit, cart, address, ErrorsOf(changed.error()), 422);
                return RedirectAfterPost(post.visit, StepPath(Step::kShipping));
              }));

  router.Get("/checkout/shipping",
             StepGet(services, Step::kShipping, [&services](const Visit& visit, const orders::Cart& cart) {
               return ShippingStep(services, visit, cart, {});
             }));
  router.Post("/checkout/shipping",
              StepPost(services, [&services](GuestPost& post, const orders::Cart& cart, const Request&) -> Response {
                std::int64_t rate_id = 0;
                const std::string text = FormValue(post.form, "rate_id");
                const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), rate_id);
                if (ec != std::errc() || ptr != text.data() + text.size() || rate_id < 1) {
                  return ShippingStep(services, post.visit, cart, {{"rate_id", "Choose a shipping method."}}, 422);
                }
                auto changed = services.orders.SelectShipping(post.visit.shop.id, cart.token, rate_id);
                if (!changed.ok()) {
                  return ShippingStep(services, post.visit, cart, {{"rate_id", Explain(changed.error())}}, 422);
                }
                return RedirectAfterPost(post.visit, StepPath(Step::kPayment));
              }));

  router.Get("/checkout/payment",
             StepGet(services, Step::kPayment, [&services](const Visit& visit, const orders::Cart& cart) {
               return PaymentStep(services, visit, cart, {}, {});
             }));
  // Not through StepPost: a repeat of this form after the order exists must still reach
  // PlaceOrder, which answers it with the order the first submission placed.
  router.Post("/checkout/payment", [&services](Request& request) -> Response {
    auto begun = BeginGuestPost(services, request);
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    GuestPost& post = std::get<GuestPost>(begun);
    if (post.visit.cart_token.empty()) return RedirectAfterPost(post.visit, "/cart");
    PaymentEntry card{.number = FormValue(post.form, "card_number"),
                      .exp_month = FormValue(post.form, "exp_month"),
                      .exp_year = FormValue(post.form, "exp_year"),
                      .cvc = FormValue(post.form, "cvc")};
    if (const std::string method = FormValue(post.form, "payment_method"); !method.empty()) card.method = method;
    orders::PlaceOrderInput input;
    FieldErrors card_errors;
    if (card.method == "card") {
      card_errors = CheckCard(card, input.payment);
    } else {
      input.payment.method = card.method;  // the orders module refuses a method it does not know
    }
    input.idempotency_key = FormValue(post.form, "idempotency_key");
    // The digest tells a repeat of this very form from another form under the same key,
    // without keeping the card number.
    input.fingerprint = text::HexEncode(crypto::Sha256(request.body));
    input.attribution = post.visit.attribution;
    Result<orders::Order> placed = Error::Invalid("validation/card", "check the card details");
    if (card_errors.empty()) placed = services.orders.PlaceOrder(post.visit.shop.id, post.visit.cart_token, input);
    if (placed.ok()) return RedirectAfterPost(post.visit, "/checkout/orders/" + std::to_string(placed->id));

    const Error& error = placed.error();
    auto current = services.orders.GetCart(post.visit.shop.id, post.visit.cart_token);
    if (!current.ok()) return RedirectAfterPost(post.visit, "/cart");
    if (current->state == orders::CartState::kOrdered && current->order_id) {
      return RedirectAfterPost(post.visit, "/checkout/orders/" + std::to_string(*current->order_id));
    }
    if (!card_errors.empty()) return PaymentStep(services, post.visit, *current, card, card_errors, 422);
    if (error.type == "orders/payment-declined") {
      return PaymentStep(services, post.visit, *current, card, {{"card_number", Explain(error)}}, 422);
    }
    if (error.type == "inventory/insufficient-stock") return RedirectAfterPost(post.visit, "/cart?notice=sold-out");
    if (error.type == "inventory/reservation-closed") return RedirectAfterPost(post.visit, "/cart?notice=expired");
    if (error.type == "orders/checkout-incomplete") {
      return RedirectAfterPost(post.visit,
                               current->state == orders::CartState::kCheckout ? StepPath(NextStep(*current)) : "/cart");
    }
    return PaymentStep(services, post.visit, *current, card, {{"", Explain(error)}},
                       error.code == ErrorCode::kConflict ? 409 : 422);
  });

  router.Get("/checkout/orders/{id}", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    std::int64_t order_id = 0;
    const std::string_view text = request.PathParam("id");
    std::from_chars(text.data(), text.data() + text.size(), order_id);
    auto order = VisibleOrder(services, *visit, order_id);
    if (!order)
      return MessagePage(services, *visit, "Order not found", "There is no order of yours with that number.", 404);
    // A bank transfer or cash on delivery still to arrive: the order is only held.
    std::optional<std::string> awaited_method;
    if (order->payment_id && order->status == orders::OrderStatus::kPlaced) {
      auto payment = services.payments.Get(visit->shop.id, *order->payment_id);
      if (payment.ok() && payment->provider == payments::kManualProviderName &&
          payment->status == payments::PaymentStatus::kPending)
        awaited_method = payment->method == "bank_transfer" ? "bank transfer" : "cash on delivery";
    }
    HtmlWriter html;
    html.Raw("<h1>Thank you for your order</h1><p class=\"lead\">Order number <strong>#")
        .Text(std::to_string(order->id));
    if (awaited_method) {
      html.Raw("</strong> is reserved for you. You chose to pay by ")
          .Text(*awaited_method)
          .Raw(": the order will be confirmed once your payment arrives, and the confirmation goes to ")
          .Text(order->email)
          .Raw(".</p>");
    } else {
      html.Raw("</strong>. A confirmation goes to ").Text(order->email).Raw(".</p>");
    }
    html.Fragment(OrderDetails(*order));
    if (!visit->customer) {
      html.Raw("<p><a href=\"/account/signup\">Create an account</a> to follow your orders and start returns.</p>");
    }
    html.Raw("<p><a href=\"/\">Continue shopping</a></p>");
    return ShopPage(services, *visit,
                    PrivatePage("Order #" + std::to_string(order->id), "/checkout/orders/" + std::to_string(order->id)),
                    {html.Take()});
  });
}

}  // namespace plaza::web::storefront
