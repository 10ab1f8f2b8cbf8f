// The storefront's cart, checkout, account and policy pages through real HTTP, the way
// a browser without scripts uses them: form posts, 303 redirects and cookies.

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <cctype>
#include <map>
#include <thread>
#include <vector>

#include "plaza/core/text.h"
#include "plaza/inventory/inventory.h"
#include "plaza/pricing/pricing.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// The value attribute of the hidden input `name` in `html`, or "".
std::string HiddenValue(const std::string& html, std::string_view name) {
  const std::string marker = "name=\"" + std::string(name) + "\" value=\"";
  const auto at = html.find(marker);
  if (at == std::string::npos) return {};
  const auto start = at + marker.size();
  return html.substr(start, html.find('"', start) - start);
}

std::string UrlEncode(std::string_view value) {
  std::string out;
  for (const char raw : value) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += raw;
    } else {
      constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string FormBody(const std::map<std::string, std::string>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += name + "=" + UrlEncode(value);
  }
  return body;
}

class StorefrontCheckoutPagesTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("aurelle");
    sellable_ = SellInFrance(shop_, {.title = "Linen shirt <script>alert(1)</script>",
                                     .sku = "LIN-1",
                                     .weight_grams = 300,
                                     .price_minor = 4900,
                                     .stock = 5,
                                     .location = "Paris",
                                     .rate_name = "Colissimo",
                                     .shipping_minor = 490,
                                     .transit_min_days = 2,
                                     .transit_max_days = 4});
  }

  std::string Origin() const { return "http://127.0.0.1:" + std::to_string(port()); }

  // The cookies a browser would send back.
  std::string CookieHeader() const {
    std::string header;
    for (const auto& [name, value] : jar_) header += (header.empty() ? "" : "; ") + name + "=" + value;
    return header;
  }

  void Keep(const http::Headers& headers) {
    for (const char* name : {"plaza_cart", "plaza_customer", "plaza_ref", "plaza_market"}) {
      for (const auto& [field, value] : headers) {
        if (!http::EqualsIgnoreCase(field, "Set-Cookie") || !value.starts_with(std::string(name) + "=")) continue;
        const std::string kept = SetCookieValue(headers, name);
        if (kept.empty()) {
          jar_.erase(name);
        } else {
          jar_[name] = kept;
        }
      }
    }
  }

  http::testing::ClientResponse Get(const std::string& target) {
    auto response = client().Get(target, {{"Cookie", CookieHeader()}, {"Accept", "text/html"}});
    EXPECT_TRUE(response.ok()) << target;
    if (!response.ok()) return {};
    Keep(response->headers);
    return std::move(response).value();
  }

  http::testing::ClientResponse Post(const std::string& target, const std::map<std::string, std::string>& fields,
                                     const std::string& origin = {}) {
    http::Headers headers{{"Content-Type", "application/x-www-form-urlencoded"},
                          {"Origin", origin.empty() ? Origin() : origin},
                          {"Cookie", CookieHeader()}};
    auto response = client().Send("POST", target, FormBody(fields), headers);
    EXPECT_TRUE(response.ok()) << target;
    if (!response.ok()) return {};
    Keep(response->headers);
    return std::move(response).value();
  }

  static std::string Location(const http::testing::ClientResponse& response) {
    return std::string(response.headers.Get("Location").value_or(""));
  }

  void AddToCart(std::int64_t quantity) {
    auto added = Post("/cart/add",
                      {{"variant_id", std::to_string(sellable_.variant_id)}, {"quantity", std::to_string(quantity)}});
    ASSERT_EQ(added.status, 303) << added.body;
    ASSERT_EQ(Location(added), "/cart");
  }

  // From the cart to the payment step with a valid French address.
  void CheckOutToPayment(const std::string& name = "Camille Martin") {
    auto started = Post("/checkout", {});
    ASSERT_EQ(started.status, 303) << started.body;
    ASSERT_EQ(Location(started), "/checkout/contact");
    auto contact = Post("/checkout/contact", {{"email", "camille@example.fr"}});
    ASSERT_EQ(contact.status, 303) << contact.body;
    ASSERT_EQ(Location(contact), "/checkout/address");
    auto address = Post("/checkout/address", {{"name", name},
                                              {"line1", "10 rue de Rivoli"},
                                              {"city", "Paris"},
                                              {"postal_code", "75001"},
                                              {"country", "FR"}});
    ASSERT_EQ(address.status, 303) << address.body;
    ASSERT_EQ(Location(address), "/checkout/shipping");
    auto options = Get("/checkout/shipping");
    ASSERT_EQ(options.status, 200);
    EXPECT_TRUE(Contains(options.body, "Colissimo")) << options.body;
    EXPECT_TRUE(Contains(options.body, "Arrives ")) << options.body;
    auto shipping = Post("/checkout/shipping", {{"rate_id", std::to_string(sellable_.rate_id)}});
    ASSERT_EQ(shipping.status, 303) << shipping.body;
    ASSERT_EQ(Location(shipping), "/checkout/payment");
  }

  std::map<std::string, std::string> PaymentForm(const std::string& card_number) {
    auto page = Get("/checkout/payment");
    EXPECT_EQ(page.status, 200);
    const std::string key = HiddenValue(page.body, "idempotency_key");
    EXPECT_FALSE(key.empty()) << page.body;
    return {{"idempotency_key", key},
            {"card_number", card_number},
            {"exp_month", "12"},
            {"exp_year", "2031"},
            {"cvc", "123"}};
  }

  // The order's JSON as staff see it through the API.
  boost::json::value StaffOrder(const std::string& id) {
    const Credentials staff = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
    return Call("GET", "/api/v1/shops/aurelle/orders/" + id, staff).Json();
  }

  std::int64_t OrderCount() {
    const Credentials staff = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
    const auto list = Call("GET", "/api/v1/shops/aurelle/orders", staff).Json();
    if (!list.is_object() || !list.as_object().contains("orders")) return -1;
    return static_cast<std::int64_t>(list.at("orders").as_array().size());
  }

  static std::string OrderIdFrom(const std::string& location) {
    const std::string prefix = "/checkout/orders/";
    return location.starts_with(prefix) ? location.substr(prefix.size()) : std::string();
  }

  TestShop shop_;
  SellableVariant sellable_;
  std::map<std::string, std::string> jar_;
};

TEST_P(StorefrontCheckoutPagesTest, AddToCartShowsTheLineAndTheTotal) {
  AddToCart(2);
  EXPECT_FALSE(jar_["plaza_cart"].empty());
  auto cart = Get("/cart");
  ASSERT_EQ(cart.status, 200);
  EXPECT_TRUE(Contains(cart.body, "Linen shirt &lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_FALSE(Contains(cart.body, "<script>alert(1)"));
  EXPECT_TRUE(Contains(cart.body, "value=\"2\""));
  EXPECT_TRUE(Contains(cart.body, "EUR 98.00")) << cart.body;
  EXPECT_TRUE(Contains(cart.body, "<meta name=\"robots\" content=\"noindex\">"));
  EXPECT_TRUE(Contains(cart.body, "Cart (2)"));
}

TEST_P(StorefrontCheckoutPagesTest, UpdateAndRemoveLines) {
  AddToCart(1);
  const std::string variant = std::to_string(sellable_.variant_id);
  auto updated = Post("/cart/update", {{"variant_id", variant}, {"quantity", "3"}});
  ASSERT_EQ(updated.status, 303) << updated.body;
  EXPECT_TRUE(Contains(Get("/cart").body, "EUR 147.00"));

  auto refused = Post("/cart/update", {{"variant_id", variant}, {"quantity", "lots"}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(Contains(refused.body, "whole number"));

  auto removed = Post("/cart/remove", {{"variant_id", variant}});
  ASSERT_EQ(removed.status, 303);
  EXPECT_TRUE(Contains(Get("/cart").body, "Your cart is empty."));
}

TEST_P(StorefrontCheckoutPagesTest, CheckoutFromACampaignLinkPlacesOneOrderWithItsAttribution) {
  auto landing = Get("/cart?utm_source=instagram&utm_campaign=spring");
  ASSERT_EQ(landing.status, 200);
  ASSERT_FALSE(jar_["plaza_ref"].empty());
  AddToCart(1);
  CheckOutToPayment();
  const auto form = PaymentForm("4242 4242 4242 4242");
  auto placed = Post("/checkout/payment", form);
  ASSERT_EQ(placed.status, 303) << placed.body;
  const std::string order_id = OrderIdFrom(Location(placed));
  ASSERT_FALSE(order_id.empty()) << Location(placed);

  auto confirmation = Get(Location(placed));
  ASSERT_EQ(confirmation.status, 200);
  EXPECT_TRUE(Contains(confirmation.body, "Order number <strong>#" + order_id));
  EXPECT_TRUE(Contains(confirmation.body, "EUR 53.90")) << confirmation.body;  // 49.00 + 4.90 shipping
  EXPECT_TRUE(Contains(confirmation.body, "Arrives "));
  EXPECT_TRUE(Contains(confirmation.body, "noindex"));

  // The same form again (a double click, a reload of the POST) answers with the same order.
  auto again = Post("/checkout/payment", form);
  ASSERT_EQ(again.status, 303) << again.body;
  EXPECT_EQ(Location(again), Location(placed));
  EXPECT_EQ(OrderCount(), 1);

  const auto order = StaffOrder(order_id);
  ASSERT_TRUE(order.is_object()) << order_id;
  EXPECT_EQ(order.at("attribution").at("utm_source").as_string(), "instagram");
  EXPECT_EQ(order.at("attribution").at("utm_campaign").as_string(), "spring");
  EXPECT_EQ(order.at("email").as_string(), "camille@example.fr");

  // The header no longer counts the ordered cart.
  EXPECT_TRUE(Contains(confirmation.body, "Cart (0)"));
  // Another visitor cannot open the confirmation by its number.
  jar_.clear();
  EXPECT_EQ(Get("/checkout/orders/" + order_id).status, 404);
  // And the buyer's cart is empty again.
  EXPECT_EQ(Get("/cart").status, 200);
}

TEST_P(StorefrontCheckoutPagesTest, BankTransferReservesTheOrderUntilThePaymentArrives) {
  AddToCart(1);
  CheckOutToPayment();
  auto page = Get("/checkout/payment");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "<legend>Payment method</legend>")) << page.body;
  EXPECT_TRUE(Contains(page.body, "id=\"pm-card\" value=\"card\" checked")) << page.body;
  EXPECT_TRUE(Contains(page.body, "<label for=\"pm-bank_transfer\">Bank transfer</label>"));
  EXPECT_TRUE(Contains(page.body, "<label for=\"pm-cash_on_delivery\">Cash on delivery</label>"));
  // With scripts off the card fields are still sent, empty: they do not stand in the way.
  auto form = PaymentForm("");
  form["payment_method"] = "bank_transfer";
  form["exp_month"] = "";
  form["exp_year"] = "";
  auto placed = Post("/checkout/payment", form);
  ASSERT_EQ(placed.status, 303) << placed.body;
  const std::string order_id = OrderIdFrom(Location(placed));
  ASSERT_FALSE(order_id.empty()) << Location(placed);

  auto confirmation = Get(Location(placed));
  ASSERT_EQ(confirmation.status, 200);
  EXPECT_TRUE(Contains(confirmation.body, "is reserved for you. You chose to pay by bank transfer"))
      << confirmation.body;
  EXPECT_TRUE(Contains(confirmation.body, "will be confirmed once your payment arrives"));
  EXPECT_EQ(StaffOrder(order_id).at("status").as_string(), "placed");
  EXPECT_EQ(OrderCount(), 1);
}

TEST_P(StorefrontCheckoutPagesTest, TwoSubmitsAtOnceMakeOneOrder) {
  AddToCart(1);
  CheckOutToPayment();
  const std::string body = FormBody(PaymentForm("4242424242424242"));
  const http::Headers headers{
      {"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", Origin()}, {"Cookie", CookieHeader()}};
  std::vector<std::string> locations(2);
  std::vector<std::thread> clicks;
  for (std::size_t i = 0; i < locations.size(); ++i) {
    clicks.emplace_back([&, i] {
      http::testing::HttpClient own(port());
      auto response = own.Send("POST", "/checkout/payment", body, headers);
      if (response.ok() && response->status == 303) locations[i] = Location(*response);
    });
  }
  for (std::thread& click : clicks) click.join();
  EXPECT_EQ(OrderCount(), 1);
  // Whichever submit the browser shows, it leads to the one order.
  for (const std::string& location : locations) {
    if (!location.empty()) {
      EXPECT_FALSE(OrderIdFrom(location).empty()) << location;
    }
  }
  EXPECT_TRUE(!locations[0].empty() || !locations[1].empty());
  if (!locations[0].empty() && !locations[1].empty()) {
    EXPECT_EQ(locations[0], locations[1]);
  }
}

TEST_P(StorefrontCheckoutPagesTest, BadAddressIsReportedAtItsFieldWithTheValueKept) {
  AddToCart(1);
  ASSERT_EQ(Post("/checkout", {}).status, 303);
  ASSERT_EQ(Post("/checkout/contact", {{"email", "camille@example.fr"}}).status, 303);
  auto refused = Post("/checkout/address", {{"name", "<script>alert(3)</script>"},
                                            {"line1", "10 rue de Rivoli"},
                                            {"city", "Paris"},
                                            {"postal_code", "7500"},
                                            {"country", "FR"}});
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "aria-describedby=\"postal_code-error\""));
  EXPECT_TRUE(Contains(refused.body, "<p class=\"field-error\" role=\"alert\" id=\"postal_code-error\">"));
  EXPECT_TRUE(Contains(refused.body, "value=\"7500\""));
  EXPECT_TRUE(Contains(refused.body, "value=\"&lt;script&gt;alert(3)&lt;/script&gt;\""));
  EXPECT_FALSE(Contains(refused.body, "<script>alert(3)"));
  // The shipping step is not reachable without an address; the cart is intact.
  auto skipped = Get("/checkout/shipping");
  EXPECT_EQ(skipped.status, 303);
  EXPECT_EQ(Location(skipped), "/checkout/address");
  EXPECT_TRUE(Contains(Get("/cart").body, "EUR 49.00"));
}

TEST_P(StorefrontCheckoutPagesTest, DeclinedCardIsReportedInlineAndNothingIsLost) {
  AddToCart(1);
  CheckOutToPayment();
  auto declined = Post("/checkout/payment", PaymentForm("4000000000000002"));
  ASSERT_EQ(declined.status, 422) << declined.body;
  EXPECT_TRUE(Contains(declined.body, "aria-describedby=\"card_number-error\""));
  EXPECT_TRUE(Contains(declined.body, "The card was declined."));
  EXPECT_TRUE(Contains(declined.body, "value=\"4000000000000002\""));
  EXPECT_EQ(OrderCount(), 0);

  // The re-rendered form carries a fresh key; the buyer retries with another card.
  const std::string key = HiddenValue(declined.body, "idempotency_key");
  ASSERT_FALSE(key.empty());
  auto placed = Post("/checkout/payment", {{"idempotency_key", key},
                                           {"card_number", "4242424242424242"},
                                           {"exp_month", "12"},
                                           {"exp_year", "2031"},
                                           {"cvc", "123"}});
  ASSERT_EQ(placed.status, 303) << placed.body;
  EXPECT_FALSE(OrderIdFrom(Location(placed)).empty());
  EXPECT_EQ(OrderCount(), 1);
}

TEST_P(StorefrontCheckoutPagesTest, MissingCardFieldsAreReportedAtEachField) {
  AddToCart(1);
  CheckOutToPayment();
  auto form = PaymentForm("");
  form["exp_month"] = "13";
  auto refused = Post("/checkout/payment", form);
  ASSERT_EQ(refused.status, 422);
  EXPECT_TRUE(Contains(refused.body, "id=\"card_number-error\""));
  EXPECT_TRUE(Contains(refused.body, "id=\"exp_month-error\""));
  EXPECT_FALSE(Contains(refused.body, "id=\"exp_year-error\""));
  EXPECT_EQ(OrderCount(), 0);
}

TEST_P(StorefrontCheckoutPagesTest, SoldOutAtPlaceOrderSendsTheBuyerBackToTheCart) {
  AddToCart(5);
  CheckOutToPayment();
  const auto form = PaymentForm("4242424242424242");
  // The buyer leaves the payment page open past the hold, and another buyer takes one.
  clock().Advance(std::chrono::hours(1));
  inventory::InventoryService inventory(db(), clock());
  ASSERT_TRUE(inventory.ExpireReservations(clock().Now()).ok());
  const auto first_buyer = jar_;
  jar_.clear();
  AddToCart(1);
  CheckOutToPayment();
  ASSERT_EQ(Post("/checkout/payment", PaymentForm("4242424242424242")).status, 303);
  jar_ = first_buyer;

  auto placed = Post("/checkout/payment", form);
  ASSERT_EQ(placed.status, 303) << placed.body;
  EXPECT_TRUE(Location(placed).starts_with("/cart?notice=")) << Location(placed);
  auto cart = Get(Location(placed));
  EXPECT_TRUE(Contains(cart.body, "<p class=\"error\" role=\"alert\">")) << cart.body;
  EXPECT_TRUE(Contains(cart.body, "value=\"5\""));
  EXPECT_EQ(OrderCount(), 1);
}

TEST_P(StorefrontCheckoutPagesTest, SwitchingMarketMovesTheCartIntoTheNewCurrency) {
  pricing::PricingService pricing(db(), clock());
  auto uk = pricing.CreateMarket(shop_.id,
                                 {.handle = "uk", .name = "United Kingdom", .countries = {"GB"}, .currency = "GBP"});
  ASSERT_TRUE(uk.ok()) << uk.error().detail;
  ASSERT_TRUE(pricing.SetPrices(shop_.id, uk->id, std::vector<pricing::PriceInput>{{sellable_.variant_id, 4200}}).ok());
  AddToCart(2);
  const std::string euro_cart = jar_["plaza_cart"];
  EXPECT_TRUE(Contains(Get("/cart").body, "EUR 98.00"));

  auto moved = Get("/cart?market=uk");
  ASSERT_EQ(moved.status, 200);
  EXPECT_TRUE(Contains(moved.body, "Your cart was moved to the market you chose")) << moved.body;
  EXPECT_TRUE(Contains(moved.body, "GBP 84.00")) << moved.body;
  EXPECT_TRUE(Contains(moved.body, "value=\"2\""));
  EXPECT_NE(jar_["plaza_cart"], euro_cart);
  // Back on the cart, in the market it now belongs to, nothing moves again.
  auto again = Get("/cart");
  EXPECT_FALSE(Contains(again.body, "was moved"));
  EXPECT_TRUE(Contains(again.body, "GBP 84.00"));
}

TEST_P(StorefrontCheckoutPagesTest, CrossSitePostsAreRefused) {
  auto forged = Post("/cart/add", {{"variant_id", std::to_string(sellable_.variant_id)}, {"quantity", "1"}},
                     "https://evil.example");
  EXPECT_EQ(forged.status, 403);
  EXPECT_TRUE(jar_["plaza_cart"].empty());

  AddToCart(1);
  http::Headers headers{{"Content-Type", "application/x-www-form-urlencoded"},
                        {"Sec-Fetch-Site", "cross-site"},
                        {"Cookie", CookieHeader()}};
  auto fetched = client().Send("POST", "/cart/remove", "variant_id=" + std::to_string(sellable_.variant_id), headers);
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(fetched->status, 403);
  EXPECT_TRUE(Contains(Get("/cart").body, "EUR 49.00"));
}

TEST_P(StorefrontCheckoutPagesTest, CustomerSignsUpOrdersAndStartsAReturn) {
  AddToCart(2);  // as a guest: the cart follows the customer
  auto signed_up = Post("/account/signup",
                        {{"name", "Camille"}, {"email", "camille@example.fr"}, {"password", "a-long-enough-password"}});
  ASSERT_EQ(signed_up.status, 303) << signed_up.body;
  EXPECT_EQ(Location(signed_up), "/account");
  ASSERT_FALSE(jar_["plaza_customer"].empty());
  EXPECT_TRUE(Contains(Get("/cart").body, "EUR 98.00"));

  ASSERT_EQ(Post("/checkout", {}).status, 303);
  // The contact step starts from the account's e-mail.
  EXPECT_TRUE(Contains(Get("/checkout/contact").body, "value=\"camille@example.fr\""));
  CheckOutToPayment();
  auto placed = Post("/checkout/payment", PaymentForm("4242424242424242"));
  ASSERT_EQ(placed.status, 303) << placed.body;
  const std::string order_id = OrderIdFrom(Location(placed));

  auto account = Get("/account");
  ASSERT_EQ(account.status, 200);
  EXPECT_TRUE(Contains(account.body, "href=\"/account/orders/" + order_id + "\""));

  // Nothing shipped yet: no return form.
  auto before = Get("/account/orders/" + order_id);
  ASSERT_EQ(before.status, 200);
  EXPECT_FALSE(Contains(before.body, "Start a return</button>"));

  const Credentials staff = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  const auto order = StaffOrder(order_id);
  const std::string line_id = std::to_string(order.at("lines").at(0).at("id").as_int64());
  auto fulfilled = Call("POST", "/api/v1/shops/aurelle/orders/" + order_id + "/fulfilments", staff,
                        R"({"lines":[{"order_line_id":)" + line_id + R"(,"quantity":2}]})");
  ASSERT_EQ(fulfilled.status, 200) << fulfilled.body;

  auto page = Get("/account/orders/" + order_id);
  ASSERT_EQ(page.status, 200);
  ASSERT_TRUE(Contains(page.body, "Start a return</button>")) << page.body;
  const std::string csrf = HiddenValue(page.body, "csrf_token");
  ASSERT_FALSE(csrf.empty());

  auto forged = Post("/account/orders/" + order_id + "/returns",
                     {{"csrf_token", "guess"}, {"return-" + line_id, "1"}, {"reason", "Too small"}});
  EXPECT_EQ(forged.status, 403);

  auto too_many = Post("/account/orders/" + order_id + "/returns",
                       {{"csrf_token", csrf}, {"return-" + line_id, "3"}, {"reason", "Too small"}});
  ASSERT_EQ(too_many.status, 422) << too_many.body;
  EXPECT_TRUE(Contains(too_many.body, "id=\"return-" + line_id + "-error\""));
  EXPECT_TRUE(Contains(too_many.body, ">Too small</textarea>"));

  auto requested = Post("/account/orders/" + order_id + "/returns",
                        {{"csrf_token", csrf}, {"return-" + line_id, "1"}, {"reason", "Too small"}});
  ASSERT_EQ(requested.status, 303) << requested.body;
  auto after = Get(Location(requested));
  EXPECT_TRUE(Contains(after.body, "Your return request was sent."));
  EXPECT_TRUE(Contains(after.body, "Requested"));
  const auto returns = Call("GET", "/api/v1/shops/aurelle/returns", staff).Json();
  EXPECT_TRUE(Contains(boost::json::serialize(returns), "Too small"));

  // Log out with the form's token, then back in through the log-in form.
  const std::string logout_csrf = HiddenValue(Get("/account").body, "csrf_token");
  auto out = Post("/account/logout", {{"csrf_token", logout_csrf}});
  ASSERT_EQ(out.status, 303);
  EXPECT_TRUE(jar_["plaza_customer"].empty());
  EXPECT_EQ(Location(Get("/account")), "/account/login");
  auto wrong = Post("/account/login", {{"email", "camille@example.fr"}, {"password", "wrong"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_TRUE(Contains(wrong.body, "value=\"camille@example.fr\""));
  auto in = Post("/account/login", {{"email", "camille@example.fr"}, {"password", "a-long-enough-password"}});
  ASSERT_EQ(in.status, 303);
  EXPECT_TRUE(Contains(Get("/account").body, "#" + order_id));
  // Another customer does not see the order.
  jar_.clear();
  Credentials other = SignUpCustomer(shop_, "other@example.fr");
  auto foreign =
      client().Get("/account/orders/" + order_id, {{"Cookie", std::string(other.headers.Get("Cookie").value_or(""))}});
  ASSERT_TRUE(foreign.ok());
  EXPECT_EQ(foreign->status, 404);
}

TEST_P(StorefrontCheckoutPagesTest, SignUpErrorsStayAtTheirFields) {
  SignUpCustomer(shop_, "taken@example.fr");
  auto taken = Post("/account/signup",
                    {{"name", "Camille"}, {"email", "taken@example.fr"}, {"password", "a-long-enough-password"}});
  EXPECT_EQ(taken.status, 409);
  EXPECT_TRUE(Contains(taken.body, "id=\"email-error\""));
  auto weak = Post("/account/signup", {{"name", "Camille"}, {"email", "new@example.fr"}, {"password", "short"}});
  EXPECT_EQ(weak.status, 422);
  EXPECT_TRUE(Contains(weak.body, "id=\"password-error\""));
  EXPECT_TRUE(Contains(weak.body, "value=\"new@example.fr\""));
}

TEST_P(StorefrontCheckoutPagesTest, PoliciesShowTheConfiguredSettings) {
  shipping::ShippingService shipping(db(), clock());
  shipping::FulfilmentSettings settings;
  settings.time_zone = "Europe/Paris";
  settings.processing_days = 2;
  settings.cutoff_minute = 13 * 60 + 30;
  ASSERT_TRUE(shipping.PutSettings(shop_.id, settings).ok());
  ASSERT_TRUE(shipping.AddHoliday(shop_.id, {.date = "2026-12-25", .country = "", .name = "Christmas <b>"}).ok());
  const Credentials staff = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  ASSERT_EQ(Call("PUT", "/api/v1/shops/aurelle/order-settings", staff, R"({"return_window_days":21})").status, 200);

  auto policy = Get("/policies/shipping");
  ASSERT_EQ(policy.status, 200);
  EXPECT_TRUE(Contains(policy.body, "13:30"));
  EXPECT_TRUE(Contains(policy.body, "Europe/Paris"));
  EXPECT_TRUE(Contains(policy.body, "2 days"));
  EXPECT_TRUE(Contains(policy.body, "Colissimo"));
  EXPECT_TRUE(Contains(policy.body, "EUR 4.90"));
  EXPECT_TRUE(Contains(policy.body, "2–4 days"));
  EXPECT_TRUE(Contains(policy.body, "2026-12-25"));
  EXPECT_TRUE(Contains(policy.body, "Christmas &lt;b&gt;"));
  EXPECT_FALSE(Contains(policy.body, "noindex"));

  auto returns = Get("/policies/returns");
  ASSERT_EQ(returns.status, 200);
  EXPECT_TRUE(Contains(returns.body, "<strong>21 days</strong>"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StorefrontCheckoutPagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
