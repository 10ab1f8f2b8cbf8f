// Carts, checkout and place-order over HTTP: the flash sale (300 buyers, 100 units) and
// one order per Idempotency-Key, on every backend.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "plaza/inventory/inventory.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class OrdersHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("flash");
    const SellableVariant sellable = SellInFrance(shop_, {.title = "Drop",
                                                          .sku = "DROP-1",
                                                          .weight_grams = 300,
                                                          .price_minor = 4900,
                                                          .stock = 100,
                                                          .location = "Paris",
                                                          .rate_name = "Standard",
                                                          .shipping_minor = 490,
                                                          .transit_min_days = 2,
                                                          .transit_max_days = 4});
    variant_id_ = sellable.variant_id;
    rate_id_ = sellable.rate_id;
  }

  // One buyer's whole checkout on its own connection; returns the last response.
  http::testing::ClientResponse Buy(
      http::testing::HttpClient& client, const std::string& key,
      const std::string& payment = R"({"card_number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"})") {
    const std::string base = "/api/v1/shops/flash/carts";
    auto cart = client.PostJson(base, R"({"country":"FR"})");
    if (!cart.ok() || cart->status != 201) return cart.ok() ? *cart : http::testing::ClientResponse{};
    const std::string token(cart->Json().at("token").as_string());
    const std::string path = base + "/" + token;
    const std::pair<std::string, std::string> steps[] = {
        {path + "/lines", R"({"variant_id":)" + std::to_string(variant_id_) + R"(,"quantity":1})"},
        {path + "/checkout", "{}"}};
    for (const auto& [target, body] : steps) {
      auto response = client.PostJson(target, body);
      if (!response.ok()) return {};
      if (response->status != 200) return *response;
    }
    const std::pair<std::string, std::string> puts[] = {
        {path + "/contact", R"({"email":"buyer@example.fr"})"},
        {path + "/shipping-address",
         R"({"name":"Camille","line1":"10 rue de Rivoli","city":"Paris","postal_code":"75001","country":"FR"})"},
        {path + "/shipping-method", R"({"rate_id":)" + std::to_string(rate_id_) + "}"}};
    for (const auto& [target, body] : puts) {
      http::Headers headers;
      headers.Set("Content-Type", "application/json");
      auto response = client.Send("PUT", target, body, headers);
      if (!response.ok()) return {};
      if (response->status != 200) return *response;
    }
    http::Headers headers;
    headers.Set("Idempotency-Key", key);
    auto order = client.PostJson(
        path + "/order", R"({"payment":)" + payment + R"(,"attribution":{"utm_source":"tiktok","ttclid":"tt-1"}})",
        headers);
    return order.ok() ? *order : http::testing::ClientResponse{};
  }

  TestShop shop_;
  std::int64_t variant_id_ = 0;
  std::int64_t rate_id_ = 0;
};

TEST_P(OrdersHttpTest, ThreeHundredBuyersForOneHundredUnits) {
  std::atomic<int> orders{0};
  std::atomic<int> sold_out{0};
  std::atomic<int> other{0};
  std::mutex mutex;
  std::vector<std::string> unexpected;
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> buyers;
  for (int i = 0; i < 300; ++i) {
    buyers.emplace_back([&, i] {
      http::testing::HttpClient client(port(), std::chrono::seconds(120));
      const auto response = Buy(client, "buyer-" + std::to_string(i));
      if (response.status == 201) {
        ++orders;
      } else if (response.status == 409 && response.body.find("inventory/insufficient-stock") != std::string::npos) {
        ++sold_out;
      } else {
        ++other;
        std::lock_guard lock(mutex);
        unexpected.push_back(std::to_string(response.status) + " " + response.body);
      }
    });
  }
  for (auto& buyer : buyers) buyer.join();
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  std::cout << GetParam() << ": 300 buyers over HTTP in " << elapsed.count() << " ms\n";
  for (const std::string& answer : unexpected) ADD_FAILURE() << answer;
  EXPECT_EQ(orders.load(), 100);
  EXPECT_EQ(sold_out.load(), 200);
  EXPECT_EQ(other.load(), 0);
  inventory::InventoryService inventory(db(), clock());
  auto availability = inventory.GetAvailability(shop_.id, std::vector<std::int64_t>{variant_id_},
                                                inventory::SalesChannel::kOnlineStore);
  ASSERT_TRUE(availability.ok());
  EXPECT_EQ(availability->at(0).available, 0);
  auto ledger = inventory.CheckLedger(shop_.id);
  ASSERT_TRUE(ledger.ok());
  EXPECT_TRUE(ledger->ok());
}

TEST_P(OrdersHttpTest, RetriesWithOneKeyAnswerOneOrder) {
  http::testing::HttpClient client(port());
  const auto first = Buy(client, "once");
  ASSERT_EQ(first.status, 201) << first.body;
  const std::int64_t order_id = first.Json().at("id").as_int64();
  EXPECT_EQ(first.Json().at("attribution").at("ttclid").as_string(), "tt-1");
  auto credentials = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  auto orders = Call("GET", "/api/v1/shops/flash/orders", credentials);
  ASSERT_EQ(orders.status, 200) << orders.body;
  ASSERT_EQ(orders.Json().at("orders").as_array().size(), 1U);
  EXPECT_EQ(orders.Json().at("orders").as_array()[0].at("id").as_int64(), order_id);
}

TEST_P(OrdersHttpTest, StaffMarkABankTransferPaidOnce) {
  http::testing::HttpClient client(port());
  const auto placed = Buy(client, "transfer", R"({"method":"bank_transfer"})");
  ASSERT_EQ(placed.status, 201) << placed.body;
  EXPECT_EQ(placed.Json().at("status").as_string(), "placed");
  const std::string order = "/api/v1/shops/flash/orders/" + std::to_string(placed.Json().at("id").as_int64());
  Credentials staff = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  staff.headers.Set("Idempotency-Key", "mark-1");
  const auto marked = Call("POST", order + "/mark-paid", staff, "{}");
  ASSERT_EQ(marked.status, 200) << marked.body;
  EXPECT_EQ(marked.Json().at("status").as_string(), "paid");
  const auto replayed = Call("POST", order + "/mark-paid", staff, "{}");
  EXPECT_EQ(replayed.status, 200) << replayed.body;
  staff.headers.Set("Idempotency-Key", "mark-2");
  const auto again = Call("POST", order + "/mark-paid", staff, "{}");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json().at("status").as_string(), "paid");
  auto paid_events = db().Read([&](store::Transaction& tx) {
    return tx.QueryOne("SELECT COUNT(*) FROM outbox_events WHERE shop_id = ? AND event_type = 'order.paid'",
                       {shop_.id});
  });
  ASSERT_TRUE(paid_events.ok() && *paid_events);
  EXPECT_EQ((**paid_events).Int(0), 1);

  const auto card = Buy(client, "card");
  ASSERT_EQ(card.status, 201) << card.body;
  staff.headers.Set("Idempotency-Key", "mark-card");
  const auto refused =
      Call("POST", "/api/v1/shops/flash/orders/" + std::to_string(card.Json().at("id").as_int64()) + "/mark-paid",
           staff, "{}");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.ProblemType(), "/problems/orders/not-manual-payment");
  const auto unknown = Buy(client, "cheque", R"({"method":"cheque"})");
  EXPECT_EQ(unknown.status, 422) << unknown.body;
}

TEST_P(OrdersHttpTest, BadQuantitiesArePreciseProblems) {
  http::testing::HttpClient client(port());
  auto cart = client.PostJson("/api/v1/shops/flash/carts", R"({"country":"FR"})");
  ASSERT_TRUE(cart.ok());
  ASSERT_EQ(cart->status, 201) << cart->body;
  const std::string lines = "/api/v1/shops/flash/carts/" + std::string(cart->Json().at("token").as_string()) + "/lines";
  for (const std::string quantity : {"0", "-1", "1000001", "9223372036854775807"}) {
    auto response =
        client.PostJson(lines, R"({"variant_id":)" + std::to_string(variant_id_) + R"(,"quantity":)" + quantity + "}");
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, 422) << quantity << ": " << response->body;
    EXPECT_NE(response->body.find("/quantity"), std::string::npos) << response->body;
  }
  auto unknown = client.PostJson(lines, R"({"variant_id":987654321,"quantity":1})");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->status, 422) << unknown->body;
  EXPECT_NE(unknown->body.find("orders/unknown-variant"), std::string::npos) << unknown->body;
  auto mismatch = client.PostJson("/api/v1/shops/flash/carts", R"({"country":"FR","currency":"USD"})");
  ASSERT_TRUE(mismatch.ok());
  EXPECT_EQ(mismatch->status, 422) << mismatch->body;
  EXPECT_NE(mismatch->body.find("orders/currency-mismatch"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, OrdersHttpTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
