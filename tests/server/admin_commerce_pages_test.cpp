// The merchant admin's commerce pages over real HTTP with the form log-in: the
// dashboard's figures, products created and refused through the form, stock set from
// the inventory page, refunds from the order page, CSRF, permissions, tenant isolation
// and escaping.

#include <gtest/gtest.h>

#include "plaza/catalog/catalog.h"
#include "plaza/inventory/inventory.h"
#include "plaza/orders/order_service.h"
#include "plaza/pricing/pricing.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class AdminCommercePagesTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("aurelle");
    const SellableVariant sellable = SellInFrance(shop_, {.title = "Silk scarf",
                                                          .sku = "SCARF-1",
                                                          .weight_grams = 100,
                                                          .price_minor = 4900,
                                                          .stock = 5,
                                                          .location = "Paris",
                                                          .rate_name = "Standard",
                                                          .shipping_minor = 490});
    variant_id_ = sellable.variant_id;
    rate_id_ = sellable.rate_id;
    cookie_ = FormLogIn("aurelle", "owner%40aurelle.example", shop_.owner_password);
  }

  std::string FormLogIn(const std::string& shop, const std::string& email, const std::string& password) {
    http::Headers headers{{"Content-Type", "application/x-www-form-urlencoded"}};
    auto response =
        client().Send("POST", "/admin/login", "shop=" + shop + "&email=" + email + "&password=" + password, headers);
    EXPECT_TRUE(response.ok());
    if (!response.ok()) return {};
    EXPECT_EQ(response->status, 303) << response->body;
    return "plaza_staff=" + SetCookieValue(response->headers, "plaza_staff");
  }

  http::testing::ClientResponse Get(const std::string& path, const std::string& cookie) {
    auto response = client().Get(path, {{"Cookie", cookie}});
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  // The CSRF token a page's forms carry.
  std::string CsrfOf(const std::string& path, const std::string& cookie) {
    const std::string body = Get(path, cookie).body;
    const std::string marker = "name=\"csrf_token\" value=\"";
    const auto at = body.find(marker);
    EXPECT_NE(at, std::string::npos) << body;
    if (at == std::string::npos) return {};
    const auto start = at + marker.size();
    return body.substr(start, body.find('"', start) - start);
  }

  http::testing::ClientResponse PostForm(const std::string& path, const std::string& cookie, const std::string& form) {
    http::Headers headers{{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}};
    auto response = client().Send("POST", path, form, headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  // One buyer's checkout over the API (as a signed-in customer when `as` carries their
  // session), paying with `payment`; returns the order id.
  std::int64_t Buy(
      const std::string& key, const http::Headers& as = {},
      const std::string& payment = R"({"card_number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"})") {
    const auto with = [&](std::initializer_list<std::pair<std::string, std::string>> extra) {
      http::Headers headers = as;
      for (const auto& [name, value] : extra) headers.Set(name, value);
      return headers;
    };
    const std::string base = "/api/v1/shops/aurelle/carts";
    auto cart = client().PostJson(base, R"({"country":"FR"})", as);
    EXPECT_TRUE(cart.ok() && cart->status == 201);
    if (!cart.ok() || cart->status != 201) return 0;
    std::string token(cart->Json().at("token").as_string());
    if (!as.empty()) {
      // Signing in makes the guest's cart the customer's.
      auto merged =
          client().PostJson("/api/v1/shops/aurelle/customer/carts/merge", R"({"token":")" + token + R"("})", as);
      EXPECT_TRUE(merged.ok() && merged->status == 200) << (merged.ok() ? merged->body : "");
      if (!merged.ok() || merged->status != 200) return 0;
      token = std::string(merged->Json().at("token").as_string());
    }
    const std::string path = base + "/" + token;
    EXPECT_EQ(
        client()
            .PostJson(path + "/lines", R"({"variant_id":)" + std::to_string(variant_id_) + R"(,"quantity":1})", as)
            ->status,
        200);
    EXPECT_EQ(client().PostJson(path + "/checkout", "{}", as)->status, 200);
    const http::Headers json = with({{"Content-Type", "application/json"}});
    EXPECT_EQ(client().Send("PUT", path + "/contact", R"({"email":"buyer@example.fr"})", json)->status, 200);
    EXPECT_EQ(client()
                  .Send("PUT", path + "/shipping-address",
                        R"({"name":"Camille","line1":"10 rue de Rivoli","city":"Paris","postal_code":"75001",)"
                        R"("country":"FR"})",
                        json)
                  ->status,
              200);
    EXPECT_EQ(client()
                  .Send("PUT", path + "/shipping-method", R"({"rate_id":)" + std::to_string(rate_id_) + "}", json)
                  ->status,
              200);
    auto order = client().PostJson(
        path + "/order",
        R"({"payment":)" + payment + R"(,"attribution":{"utm_source":"tiktok","utm_campaign":"spring"}})",
        with({{"Idempotency-Key", key}}));
    EXPECT_TRUE(order.ok() && order->status == 201) << (order.ok() ? order->body : "");
    if (!order.ok() || order->status != 201) return 0;
    return order->Json().at("id").as_int64();
  }

  inventory::Availability Stock() {
    inventory::InventoryService inventory(db(), clock());
    auto availability = inventory.GetAvailability(shop_.id, std::vector<std::int64_t>{variant_id_},
                                                  inventory::SalesChannel::kOnlineStore);
    EXPECT_TRUE(availability.ok());
    return availability.ok() ? availability->front() : inventory::Availability{};
  }

  std::int64_t ItemId() {
    inventory::InventoryService inventory(db(), clock());
    auto item = inventory.EnsureVariantItem(shop_.id, variant_id_);
    EXPECT_TRUE(item.ok());
    return item.ok() ? item->id : 0;
  }

  std::int64_t LocationId() {
    inventory::InventoryService inventory(db(), clock());
    auto locations = inventory.ListLocations(shop_.id);
    EXPECT_TRUE(locations.ok() && !locations->empty());
    return locations.ok() && !locations->empty() ? locations->front().id : 0;
  }

  std::int64_t MarketId() {
    pricing::PricingService pricing(db(), clock());
    auto markets = pricing.ListMarkets(shop_.id);
    EXPECT_TRUE(markets.ok() && !markets->empty());
    return markets.ok() && !markets->empty() ? markets->front().id : 0;
  }

  orders::Order OrderOf(std::int64_t order_id) {
    auto order = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT refunded_total FROM order_orders WHERE id = ?", {order_id}));
      return row ? row->Int(0) : -1;
    });
    orders::Order result;
    result.refunded_total = order.ok() ? *order : -1;
    auto status = db().Read([&](store::Transaction& tx) -> Result<std::string> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT status, total FROM order_orders WHERE id = ?", {order_id}));
      if (row) result.total = row->Int(1);
      return row ? row->Text(0) : std::string();
    });
    result.status = orders::ParseOrderStatus(status.ok() ? *status : "").value_or(orders::OrderStatus::kPlaced);
    return result;
  }

  std::size_t ProductCount() {
    catalog::CatalogService catalog(db(), clock());
    auto page = catalog.ListProducts(shop_.id, {.limit = 100});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->products.size() : 0;
  }

  TestShop shop_;
  std::int64_t variant_id_ = 0;
  std::int64_t rate_id_ = 0;
  std::string cookie_;
};

TEST_P(AdminCommercePagesTest, DashboardShowsTodaysOrdersAndRevenue) {
  auto before = Get("/admin", cookie_);
  ASSERT_EQ(before.status, 200);
  EXPECT_NE(before.body.find("data-stat=\"orders-today\">0<"), std::string::npos) << before.body;
  ASSERT_NE(Buy("dash-1"), 0);
  ASSERT_NE(Buy("dash-2"), 0);
  auto page = Get("/admin", cookie_);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-stat=\"orders-today\">2<"), std::string::npos) << page.body;
  // Two orders of 49.00 with 4.90 shipping.
  EXPECT_NE(page.body.find("data-stat=\"revenue-today\">EUR 107.80<"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("<svg role=\"img\""), std::string::npos);
  EXPECT_NE(page.body.find("class=\"visually-hidden\""), std::string::npos);
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
}

TEST_P(AdminCommercePagesTest, ProductCreatedThroughTheFormIsInTheCatalog) {
  const std::string csrf = CsrfOf("/admin/products/new", cookie_);
  const std::string market = std::to_string(MarketId());
  auto created = PostForm("/admin/products/new", cookie_,
                          "csrf_token=" + csrf +
                              "&title=Linen+shirt&handle=&description_html=Soft&vendor=Aurelle&product_type=Shirt"
                              "&tags=summer%2C+linen&status=active&channel_online_store=1&channel_meta=1"
                              "&variant_rows=1&variants_0_sku=LIN-1&variants_0_gtin=&variants_0_price_" +
                              market +
                              "=39.90&media_rows=1&media_0_url=https%3A%2F%2Fcdn.example%2Flinen.jpg"
                              "&media_0_alt=A+linen+shirt&attribute_rows=0");
  ASSERT_EQ(created.status, 303) << created.body;
  EXPECT_NE(created.headers.Get("Location").value_or("").find("notice=created"), std::string::npos);

  catalog::CatalogService catalog(db(), clock());
  auto product = catalog.GetProductByHandle(shop_.id, "linen-shirt");
  ASSERT_TRUE(product.ok()) << product.error().detail;
  EXPECT_EQ(product->status, catalog::ProductStatus::kActive);
  EXPECT_EQ(product->vendor, "Aurelle");
  ASSERT_EQ(product->variants.size(), 1u);
  EXPECT_EQ(product->variants[0].sku, "LIN-1");
  ASSERT_EQ(product->media.size(), 1u);
  EXPECT_EQ(product->media[0].alt, "A linen shirt");
  EXPECT_TRUE(catalog::IsVisibleOn(*product, catalog::Channel::kOnlineStore));
  EXPECT_TRUE(catalog::IsVisibleOn(*product, catalog::Channel::kMeta));
  EXPECT_FALSE(catalog::IsVisibleOn(*product, catalog::Channel::kTiktok));
  pricing::PricingService pricing(db(), clock());
  auto prices = pricing.VariantPrices(shop_.id, product->variants[0].id);
  ASSERT_TRUE(prices.ok());
  ASSERT_EQ(prices->size(), 1u);
  EXPECT_EQ(prices->front().amount, 3990);
  // The variant can be stocked from its page.
  auto page = Get("/admin/products/" + std::to_string(product->id), cookie_);
  EXPECT_NE(page.body.find("Manage stock"), std::string::npos);
  EXPECT_NE(page.body.find("value=\"39.90\""), std::string::npos);

  // Editing keeps the variant's id, changes its price and takes the product off Meta.
  const std::string path = "/admin/products/" + std::to_string(product->id);
  const std::string variant = std::to_string(product->variants[0].id);
  auto saved = PostForm(path, cookie_,
                        "csrf_token=" + csrf +
                            "&title=Linen+shirt+II&handle=linen-shirt&status=active&channel_online_store=1"
                            "&variant_rows=1&variants_0_id=" +
                            variant + "&variants_0_sku=LIN-1&variants_0_price_" + market + "=42.00&media_rows=0");
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto edited = catalog.GetProduct(shop_.id, product->id);
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(edited->title, "Linen shirt II");
  ASSERT_EQ(edited->variants.size(), 1u);
  EXPECT_EQ(edited->variants[0].id, product->variants[0].id);
  EXPECT_FALSE(catalog::IsVisibleOn(*edited, catalog::Channel::kMeta));
  EXPECT_EQ(pricing.VariantPrices(shop_.id, edited->variants[0].id)->front().amount, 4200);
}

TEST_P(AdminCommercePagesTest, BadValuesShowTheFieldErrorAndWriteNothing) {
  const std::size_t products = ProductCount();
  const std::string csrf = CsrfOf("/admin/products/new", cookie_);
  const std::string market = std::to_string(MarketId());
  auto negative = PostForm("/admin/products/new", cookie_,
                           "csrf_token=" + csrf + "&title=Cheap+%3Cthing%3E&status=active&variant_rows=1" +
                               "&variants_0_sku=NEG-1&variants_0_price_" + market + "=-5.00");
  EXPECT_EQ(negative.status, 422);
  EXPECT_NE(negative.body.find("id=\"f-variants_0_price_" + market + "-error\""), std::string::npos) << negative.body;
  EXPECT_NE(negative.body.find("aria-invalid=\"true\""), std::string::npos);
  // What was typed is kept, escaped.
  EXPECT_NE(negative.body.find("value=\"Cheap &lt;thing&gt;\""), std::string::npos);
  EXPECT_NE(negative.body.find("value=\"-5.00\""), std::string::npos);
  EXPECT_EQ(ProductCount(), products);

  auto duplicate = PostForm(
      "/admin/products/new", cookie_,
      "csrf_token=" + csrf + "&title=Another&handle=silk-scarf&status=draft&variant_rows=1" + "&variants_0_sku=DUP-1");
  EXPECT_EQ(duplicate.status, 422);
  EXPECT_NE(duplicate.body.find("id=\"f-handle-error\""), std::string::npos) << duplicate.body;
  EXPECT_NE(duplicate.body.find("value=\"silk-scarf\""), std::string::npos);
  EXPECT_EQ(ProductCount(), products);
}

TEST_P(AdminCommercePagesTest, SettingStockToZeroSellsOut) {
  ASSERT_EQ(Stock().available, 5);
  const std::string item = std::to_string(ItemId());
  auto list = Get("/admin/inventory", cookie_);
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("Silk scarf (SCARF-1)"), std::string::npos) << list.body;
  const std::string path = "/admin/inventory/items/" + item;
  const std::string csrf = CsrfOf(path, cookie_);
  auto bad = PostForm(
      path + "/set", cookie_,
      "csrf_token=" + csrf + "&form=set&location_id=" + std::to_string(LocationId()) + "&on_hand=-1&reason=Count");
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("id=\"f-on_hand-error\""), std::string::npos);
  EXPECT_EQ(Stock().available, 5);

  auto set = PostForm(path + "/set", cookie_,
                      "csrf_token=" + csrf + "&form=set&location_id=" + std::to_string(LocationId()) +
                          "&on_hand=0&reason=Broken+in+transit");
  ASSERT_EQ(set.status, 303) << set.body;
  EXPECT_EQ(Stock().state, inventory::StockState::kOutOfStock);
  EXPECT_EQ(Stock().available, 0);
  auto ledger = Get(path, cookie_);
  EXPECT_NE(ledger.body.find("Broken in transit"), std::string::npos);
  EXPECT_NE(ledger.body.find("staff:"), std::string::npos);
}

TEST_P(AdminCommercePagesTest, RefundFromTheOrderPageRestocksAndRecordsIt) {
  const std::int64_t order_id = Buy("refund-1");
  ASSERT_NE(order_id, 0);
  ASSERT_EQ(Stock().available, 4);
  const std::string path = "/admin/orders/" + std::to_string(order_id);
  auto page = Get(path, cookie_);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("spring"), std::string::npos);  // the campaign it came from
  const std::string csrf = CsrfOf(path, cookie_);
  auto refunded = PostForm(path + "/refund", cookie_, "csrf_token=" + csrf + "&amount=&restock=1");
  ASSERT_EQ(refunded.status, 303) << refunded.body;
  const orders::Order order = OrderOf(order_id);
  EXPECT_EQ(order.status, orders::OrderStatus::kCancelled);
  EXPECT_EQ(order.refunded_total, order.total);
  EXPECT_EQ(Stock().available, 5);

  // A partial refund of another order, without restocking.
  const std::int64_t second = Buy("refund-2");
  ASSERT_NE(second, 0);
  const std::string second_path = "/admin/orders/" + std::to_string(second);
  auto too_much = PostForm(second_path + "/refund", cookie_, "csrf_token=" + csrf + "&amount=abc");
  EXPECT_EQ(too_much.status, 422);
  EXPECT_NE(too_much.body.find("id=\"f-amount-error\""), std::string::npos) << too_much.body;
  auto partial = PostForm(second_path + "/refund", cookie_, "csrf_token=" + csrf + "&amount=10.00");
  ASSERT_EQ(partial.status, 303) << partial.body;
  EXPECT_EQ(OrderOf(second).refunded_total, 1000);
  EXPECT_EQ(Stock().available, 4);
}

TEST_P(AdminCommercePagesTest, MarkAsPaidRecordsABankTransfer) {
  const std::int64_t card = Buy("card-1");
  ASSERT_NE(card, 0);
  EXPECT_EQ(Get("/admin/orders/" + std::to_string(card), cookie_).body.find("Mark as paid"), std::string::npos);

  const std::int64_t order_id = Buy("transfer-1", {}, R"({"method":"bank_transfer"})");
  ASSERT_NE(order_id, 0);
  ASSERT_EQ(OrderOf(order_id).status, orders::OrderStatus::kPlaced);
  const std::string path = "/admin/orders/" + std::to_string(order_id);
  auto page = Get(path, cookie_);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("action=\"" + path + "/mark-paid\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find(">Mark as paid</button>"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Capture payment"), std::string::npos);
  const std::string csrf = CsrfOf(path, cookie_);
  auto marked = PostForm(path + "/mark-paid", cookie_, "csrf_token=" + csrf);
  ASSERT_EQ(marked.status, 303) << marked.body;
  EXPECT_EQ(marked.headers.Get("Location").value_or(""), path + "?notice=paid");
  EXPECT_EQ(OrderOf(order_id).status, orders::OrderStatus::kPaid);
  auto after = Get(path + "?notice=paid", cookie_);
  EXPECT_NE(after.body.find("Payment recorded."), std::string::npos) << after.body;
  EXPECT_EQ(after.body.find("Mark as paid"), std::string::npos);
}

TEST_P(AdminCommercePagesTest, PostsWithoutTheCsrfTokenChangeNothing) {
  const std::int64_t order_id = Buy("csrf-1");
  ASSERT_NE(order_id, 0);
  const std::string path = "/admin/orders/" + std::to_string(order_id) + "/refund";
  EXPECT_EQ(PostForm(path, cookie_, "amount=&restock=1").status, 403);
  EXPECT_EQ(PostForm(path, cookie_, "csrf_token=forged&amount=&restock=1").status, 403);
  EXPECT_EQ(OrderOf(order_id).refunded_total, 0);
  EXPECT_EQ(Stock().available, 4);
  const std::string item = "/admin/inventory/items/" + std::to_string(ItemId()) + "/set";
  EXPECT_EQ(PostForm(item, cookie_,
                     "csrf_token=forged&form=set&location_id=" + std::to_string(LocationId()) + "&on_hand=0&reason=x")
                .status,
            403);
  EXPECT_EQ(PostForm("/admin/products/new", cookie_, "title=Forged&variant_rows=0").status, 403);
  EXPECT_EQ(Stock().available, 4);
  catalog::CatalogService catalog(db(), clock());
  EXPECT_FALSE(catalog.GetProductByHandle(shop_.id, "forged").ok());
}

TEST_P(AdminCommercePagesTest, StaffWithoutOrdersManageCannotRefund) {
  const std::int64_t order_id = Buy("perm-1");
  ASSERT_NE(order_id, 0);
  // Marketers edit the catalogue but hold neither orders.read nor orders.manage.
  const Credentials marketer = StaffWithRoles(shop_, "marketer@aurelle.example", {identity::Role::kMarketer});
  const std::string cookie(marketer.headers.Get("Cookie").value_or(""));
  ASSERT_FALSE(cookie.empty());
  const std::string path = "/admin/orders/" + std::to_string(order_id);
  EXPECT_EQ(Get(path, cookie).status, 403);
  auto refund = PostForm(path + "/refund", cookie, "csrf_token=" + marketer.csrf_token + "&amount=");
  EXPECT_EQ(refund.status, 403);
  EXPECT_EQ(OrderOf(order_id).refunded_total, 0);
}

TEST_P(AdminCommercePagesTest, AnotherShopsStaffNeverSeeThisShopsRecords) {
  const std::int64_t order_id = Buy("iso-1");
  ASSERT_NE(order_id, 0);
  catalog::CatalogService catalog(db(), clock());
  auto product = catalog.GetProductByHandle(shop_.id, "silk-scarf");
  ASSERT_TRUE(product.ok());
  const TestShop other = CreateShop("rival");
  const std::string rival = FormLogIn("rival", "owner%40rival.example", other.owner_password);
  const std::string csrf = CsrfOf("/admin/products/new", rival);
  const std::string product_path = "/admin/products/" + std::to_string(product->id);
  const std::string order_path = "/admin/orders/" + std::to_string(order_id);
  const std::string item_path = "/admin/inventory/items/" + std::to_string(ItemId());
  for (const std::string& path : {product_path, order_path, item_path}) {
    auto page = Get(path, rival);
    EXPECT_EQ(page.status, 404) << path;
    EXPECT_EQ(page.body.find("Silk scarf"), std::string::npos) << path;
    EXPECT_EQ(page.body.find("buyer@example.fr"), std::string::npos) << path;
  }
  EXPECT_EQ(PostForm(product_path, rival, "csrf_token=" + csrf + "&title=Taken&status=draft&variant_rows=0").status,
            404);
  EXPECT_EQ(PostForm(order_path + "/refund", rival, "csrf_token=" + csrf + "&amount=").status, 404);
  EXPECT_EQ(PostForm(order_path + "/cancel", rival, "csrf_token=" + csrf).status, 404);
  EXPECT_EQ(
      PostForm(item_path + "/set", rival,
               "csrf_token=" + csrf + "&form=set&location_id=" + std::to_string(LocationId()) + "&on_hand=0&reason=x")
          .status,
      404);
  EXPECT_EQ(catalog.GetProduct(shop_.id, product->id)->title, "Silk scarf");
  EXPECT_EQ(OrderOf(order_id).refunded_total, 0);
  EXPECT_EQ(Stock().available, 4);
  // The rival's own lists stay empty.
  EXPECT_EQ(Get("/admin/orders", rival).body.find("buyer@example.fr"), std::string::npos);
  EXPECT_EQ(Get("/admin/products", rival).body.find("Silk scarf"), std::string::npos);
}

TEST_P(AdminCommercePagesTest, HostileProductTitlesAreEscaped) {
  catalog::CatalogService catalog(db(), clock());
  auto product = catalog.CreateProduct(shop_.id, {.handle = "hostile",
                                                  .title = "<script>alert(1)</script>",
                                                  .vendor = "\"><img src=x onerror=alert(2)>",
                                                  .status = catalog::ProductStatus::kActive});
  ASSERT_TRUE(product.ok()) << product.error().detail;
  for (const std::string& path : {std::string("/admin/products"), "/admin/products/" + std::to_string(product->id)}) {
    auto page = Get(path, cookie_);
    ASSERT_EQ(page.status, 200) << path;
    EXPECT_EQ(page.body.find("<script>alert(1)"), std::string::npos) << path;
    EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << path;
    EXPECT_EQ(page.body.find("<img src=x"), std::string::npos) << path;
  }
}

TEST_P(AdminCommercePagesTest, ShipDeliverAndTakeAReturnBackIntoStock) {
  const Credentials customer = SignUpCustomer(shop_, "camille@example.fr");
  const std::int64_t order_id = Buy("return-1", customer.headers);
  ASSERT_NE(order_id, 0);
  const std::string path = "/admin/orders/" + std::to_string(order_id);
  const std::string csrf = CsrfOf(path, cookie_);
  ASSERT_EQ(PostForm(path + "/fulfil", cookie_, "csrf_token=" + csrf).status, 303);
  EXPECT_EQ(OrderOf(order_id).status, orders::OrderStatus::kFulfilled);
  ASSERT_EQ(PostForm(path + "/delivered", cookie_, "csrf_token=" + csrf).status, 303);
  EXPECT_EQ(OrderOf(order_id).status, orders::OrderStatus::kDelivered);
  EXPECT_EQ(Stock().available, 4);

  auto line = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM order_lines WHERE order_id = ?", {order_id}));
    return row ? row->Int(0) : 0;
  });
  ASSERT_TRUE(line.ok());
  auto requested =
      Call("POST", "/api/v1/shops/aurelle/customer/orders/" + std::to_string(order_id) + "/returns", customer,
           R"({"lines":[{"order_line_id":)" + std::to_string(*line) + R"(,"quantity":1}],"reason":"Too small"})");
  ASSERT_EQ(requested.status, 201) << requested.body;
  const std::string return_id = std::to_string(requested.Json().at("id").as_int64());
  const std::string base = path + "/returns/" + return_id;
  EXPECT_NE(Get(path, cookie_).body.find("Too small"), std::string::npos);
  ASSERT_EQ(PostForm(base + "/approve", cookie_, "csrf_token=" + csrf).status, 303);
  ASSERT_EQ(PostForm(base + "/receive", cookie_,
                     "csrf_token=" + csrf + "&disposition_" + return_id + "_" + std::to_string(*line) +
                         "=restock&location_id=" + std::to_string(LocationId()))
                .status,
            303);
  EXPECT_EQ(Stock().available, 5);
  ASSERT_EQ(PostForm(base + "/refund", cookie_, "csrf_token=" + csrf + "&return_amount_" + return_id + "=").status,
            303);
  EXPECT_GT(OrderOf(order_id).refunded_total, 0);
  // A return of this order is not reachable under another order's number.
  const std::int64_t other = Buy("return-2");
  ASSERT_NE(other, 0);
  EXPECT_EQ(PostForm("/admin/orders/" + std::to_string(other) + "/returns/" + return_id + "/approve", cookie_,
                     "csrf_token=" + csrf)
                .status,
            422);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdminCommercePagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
