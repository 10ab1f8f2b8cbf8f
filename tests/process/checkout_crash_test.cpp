// kill -9 in the middle of a checkout load: after a restart every order a buyer was told
// about exists, every interrupted checkout's stock hold ends with its time-to-live, and
// the inventory ledger still adds up.

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "plaza/app/demo.h"
#include "plaza/app/plaza_server.h"
#include "plaza/catalog/catalog.h"
#include "plaza/core/crypto.h"
#include "plaza/http/testing/client.h"
#include "plaza/inventory/inventory.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza/store/migrations.h"
#include "plaza_test/databases.h"
#include "plaza_test/process.h"

namespace plaza::testing {
namespace {

using namespace std::chrono_literals;

// Longer than the checkout hold (orders::OrderOptions::reservation_ttl, 15 minutes).
constexpr auto kBeyondEveryHold = std::chrono::minutes(16);

class CheckoutCrashTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    crypto::InitCrypto();
    test_db_ = std::make_unique<TestDatabase>(GetParam());
    ASSERT_TRUE(store::Migrate(db(), app::AllMigrations()).ok());
    data_dir_ = MakeTempDir("plaza-checkout-crash");
    auto seeded = app::SeedDemo(
        db(), clock_, {.if_empty = false, .generated_products = 0, .progress = {}, .media_dir = data_dir_ + "/media"});
    ASSERT_TRUE(seeded.ok()) << seeded.error().detail;
    shop_id_ = seeded->shop_id;

    catalog::CatalogService catalog(db(), clock_);
    auto product = catalog.GetProductByHandle(shop_id_, "hyaluronic-serum");
    ASSERT_TRUE(product.ok());
    variant_id_ = product->variants.front().id;
    inventory::InventoryService inventory(db(), clock_);
    auto item = inventory.EnsureVariantItem(shop_id_, variant_id_);
    auto locations = inventory.ListLocations(shop_id_);
    ASSERT_TRUE(item.ok() && locations.ok());
    ASSERT_TRUE(inventory
                    .Receive(shop_id_, {.item_id = item->id,
                                        .location_id = locations->front().id,
                                        .quantity = 5000,
                                        .reason = "crash test",
                                        .actor = "test"})
                    .ok());
    shipping::ShippingService shipping(db(), clock_);
    auto quote = shipping.Quote(
        shop_id_,
        {.destination = {"FR", ""}, .currency = "EUR", .subtotal_minor = 1, .weight_grams = 1, .preorder_arrival = {}});
    ASSERT_TRUE(quote.ok() && !quote->options.empty());
    rate_id_ = quote->options.front().rate_id;
  }

  void TearDown() override {
    process_.reset();
    test_db_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(data_dir_, ignored);
  }

  store::Database& db() { return test_db_->db(); }

  void StartServer() {
    port_ = FreePort();
    process_ = std::make_unique<PlazaProcess>(
        PLAZA_BINARY,
        std::vector<std::string>{"serve", "--database", test_db_->url(), "--listen",
                                 "127.0.0.1:" + std::to_string(port_), "--data-dir", data_dir_, "--worker-threads", "4",
                                 "--db-pool-size", "4", "--log-level", "warn"},
        data_dir_ + "/plaza.log");
    ASSERT_TRUE(process_->Start());
    ASSERT_TRUE(process_->WaitUntilHealthy(port_, 20s)) << process_->Log();
  }

  // One storefront checkout, from an empty cart to a placed order. Returns the order id
  // the server acknowledged, or 0 when any step failed (the server died, say).
  std::int64_t Checkout(http::testing::HttpClient& client, const std::string& key) const {
    const std::string carts = "/api/v1/shops/aurelle/carts";
    auto cart = client.PostJson(carts, R"({"country":"FR"})");
    if (!cart.ok() || cart->status != 201) return 0;
    const std::string path = carts + "/" + std::string(cart->Json().at("token").as_string());
    auto line =
        client.PostJson(path + "/lines", R"({"variant_id":)" + std::to_string(variant_id_) + R"(,"quantity":1})");
    if (!line.ok() || line->status != 200) return 0;
    auto checkout = client.PostJson(path + "/checkout", "{}");
    if (!checkout.ok() || checkout->status != 200) return 0;
    http::Headers json;
    json.Set("Content-Type", "application/json");
    const std::pair<const char*, std::string> steps[] = {
        {"/contact", R"({"email":"buyer@example.fr"})"},
        {"/shipping-address",
         R"({"name":"Camille","line1":"10 rue de Rivoli","city":"Paris","postal_code":"75001","country":"FR"})"},
        {"/shipping-method", R"({"rate_id":)" + std::to_string(rate_id_) + "}"}};
    for (const auto& [suffix, body] : steps) {
      auto response = client.Send("PUT", path + suffix, body, json);
      if (!response.ok() || response->status != 200) return 0;
    }
    http::Headers idempotent;
    idempotent.Set("Idempotency-Key", key);
    auto order = client.PostJson(
        path + "/order", R"({"payment":{"card_number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"}})",
        idempotent);
    if (!order.ok() || order->status != 201) return 0;
    return order->Json().at("id").as_int64();
  }

  std::int64_t CountWhere(const std::string& sql) {
    auto count = db().Read([&](store::Transaction& tx) { return tx.QueryOne(sql, {shop_id_}); });
    EXPECT_TRUE(count.ok()) << count.error().detail;
    return count.ok() ? (*count)->Int(0) : -1;
  }

  std::unique_ptr<TestDatabase> test_db_;
  SystemClock clock_;
  std::int64_t shop_id_ = 0;
  std::int64_t variant_id_ = 0;
  std::int64_t rate_id_ = 0;
  std::string data_dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<PlazaProcess> process_;
};

TEST_P(CheckoutCrashTest, KillNineMidCheckoutLosesNoAcknowledgedOrderAndNoStock) {
  StartServer();
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::set<std::int64_t> acknowledged;
  std::vector<std::thread> buyers;
  for (int buyer = 0; buyer < 6; ++buyer) {
    buyers.emplace_back([&, buyer] {
      http::testing::HttpClient client(port_, 5s);
      for (int attempt = 0; !stop.load(); ++attempt) {
        const std::int64_t order = Checkout(client, "crash-" + std::to_string(buyer) + "-" + std::to_string(attempt));
        if (order == 0) continue;
        std::lock_guard lock(mutex);
        acknowledged.insert(order);
      }
    });
  }
  // Let orders accumulate, then kill the server mid-flight.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mutex);
      if (acknowledged.size() >= 20) break;
    }
    std::this_thread::sleep_for(20ms);
  }
  process_->Signal(SIGKILL);
  ASSERT_TRUE(process_->WaitForExit(10s).has_value());
  stop.store(true);
  for (auto& buyer : buyers) buyer.join();
  ASSERT_GE(acknowledged.size(), 20u) << process_->Log();

  StartServer();
  // Every order a buyer was told about exists.
  auto stored = db().Read([&](store::Transaction& tx) -> Result<std::set<std::int64_t>> {
    PLAZA_ASSIGN_OR_RETURN(auto rows, tx.Execute("SELECT id FROM order_orders WHERE shop_id = ?", {shop_id_}));
    std::set<std::int64_t> ids;
    for (const auto& row : rows.rows) ids.insert(row.Int(0));
    return ids;
  });
  ASSERT_TRUE(stored.ok()) << stored.error().detail;
  for (std::int64_t order : acknowledged) EXPECT_TRUE(stored->contains(order)) << "lost order " << order;
  // Each order holds exactly its own converted reservation: none of a crashed checkout
  // was half-converted.
  EXPECT_EQ(CountWhere("SELECT COUNT(*) FROM inventory_reservations WHERE shop_id = ? AND state = 'converted'"),
            static_cast<std::int64_t>(stored->size()));

  // Holds of checkouts the crash interrupted end with their time-to-live: the expiry job
  // of the restarted server, run here at a moment past every hold, leaves none active.
  inventory::InventoryService inventory(db(), clock_);
  auto expired = inventory.ExpireReservations(clock_.Now() + kBeyondEveryHold);
  ASSERT_TRUE(expired.ok()) << expired.error().detail;
  EXPECT_EQ(CountWhere("SELECT COUNT(*) FROM inventory_reservations WHERE shop_id = ? AND state = 'active'"), 0);
  auto ledger = inventory.CheckLedger();
  ASSERT_TRUE(ledger.ok()) << ledger.error().detail;
  EXPECT_TRUE(ledger->ok()) << ledger->mismatches.size() << " ledger mismatches";
}

INSTANTIATE_TEST_SUITE_P(Backends, CheckoutCrashTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
