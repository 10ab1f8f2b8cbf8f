#pragma once
// The fixture of the orders integration tests: a fresh database on one backend with
// every commerce schema, the real catalog, inventory, pricing, promotions, shipping and
// payments services, a manual clock, and a shop with one market (FR, EUR, prices with
// 20% VAT), a shipping zone and helpers to stock variants and run a buyer through checkout.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "plaza/catalog/catalog.h"
#include "plaza/catalog/migrations.h"
#include "plaza/core/clock.h"
#include "plaza/core/crypto.h"
#include "plaza/identity/migrations.h"
#include "plaza/inventory/inventory.h"
#include "plaza/inventory/migrations.h"
#include "plaza/orders/migrations.h"
#include "plaza/orders/order_service.h"
#include "plaza/payments/manual_provider.h"
#include "plaza/payments/migrations.h"
#include "plaza/payments/payment_service.h"
#include "plaza/payments/test_provider.h"
#include "plaza/pricing/migrations.h"
#include "plaza/pricing/pricing.h"
#include "plaza/promotions/migrations.h"
#include "plaza/promotions/promotions.h"
#include "plaza/shipping/migrations.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::orders::testing {

// Monday 2026-11-23 09:00 UTC: a business day before the shipping cut-off.
inline constexpr std::int64_t kStartMillis = 1'795'424'400'000;
inline constexpr std::int64_t kShop = 1;
inline constexpr std::int64_t kOtherShop = 2;
inline constexpr char kGoodCard[] = "4242424242424242";
inline constexpr char kDeclinedCard[] = "4000000000000002";

#define PLAZA_ASSERT_OK(expr)                                                              \
  do {                                                                                     \
    const auto& plaza_assert_result = (expr);                                              \
    ASSERT_TRUE(plaza_assert_result.ok())                                                  \
        << plaza_assert_result.error().type << ": " << plaza_assert_result.error().detail; \
  } while (false)

// Keeps every message, for assertions.
class RecordingMailer final : public Mailer {
 public:
  Status Send(const MailMessage& message) override {
    std::lock_guard lock(mutex_);
    messages_.push_back(message);
    return Ok();
  }
  std::vector<MailMessage> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<MailMessage> messages_;
};

// Counts the statements of each transaction, to prove place-order runs a bounded number
// whatever the cart holds.
class CountingDatabase final : public store::Database {
 public:
  explicit CountingDatabase(store::Database& inner) : inner_(inner) {}
  store::Dialect dialect() const override { return inner_.dialect(); }
  Status RunTransaction(store::TxMode mode, const std::function<Status(store::Transaction&)>& body) override {
    return inner_.RunTransaction(mode, [&](store::Transaction& tx) -> Status {
      Counting counting(tx);
      Status status = body(counting);
      if (status.ok() && counting.placed_order) last_place_order_statements_ = counting.statements;
      return status;
    });
  }
  Status Ping() override { return inner_.Ping(); }
  store::PoolStats Stats() const override { return inner_.Stats(); }
  // Statements of the last committed transaction that wrote an order.
  int last_place_order_statements() const { return last_place_order_statements_; }

 private:
  class Counting final : public store::Transaction {
   public:
    explicit Counting(store::Transaction& inner) : inner_(inner) {}
    store::Dialect dialect() const override { return inner_.dialect(); }
    Result<store::QueryResult> Execute(std::string_view sql, std::span<const store::Param> params) override {
      ++statements;
      if (sql.find("INSERT INTO order_orders") != std::string_view::npos) placed_order = true;
      return inner_.Execute(sql, params);
    }
    using store::Transaction::Execute;
    int statements = 0;
    bool placed_order = false;

   private:
    store::Transaction& inner_;
  };

  store::Database& inner_;
  std::atomic<int> last_place_order_statements_{0};
};

class OrdersTest : public ::testing::TestWithParam<std::string> {
 protected:
  OrdersTest()
      : test_db_(GetParam()),
        counting_(test_db_.db()),
        clock_(FromUnixMillis(kStartMillis)),
        catalog_(db(), clock_),
        inventory_(db(), clock_),
        pricing_(db(), clock_),
        promotions_(db(), clock_),
        shipping_(db(), clock_),
        provider_(db(), clock_),
        payments_(db(), clock_, {&provider_, &manual_provider_}, &provider_),
        mailer_(),
        service_(counting_, clock_, inventory_, shipping_, payments_, mailer_, {}) {}

  static void SetUpTestSuite() { crypto::InitCrypto(); }

  void SetUp() override {
    const std::vector<store::MigrationSet> sets = {
        store::StoreMigrations(),         identity::IdentityMigrations(), catalog::CatalogMigrations(),
        inventory::InventoryMigrations(), pricing::PricingMigrations(),   promotions::PromotionsMigrations(),
        shipping::ShippingMigrations(),   payments::PaymentsMigrations(), OrdersMigrations()};
    const Status migrated = store::Migrate(db(), sets);
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
    auto market = pricing_.CreateMarket(
        kShop,
        {.handle = "eu", .name = "Europe", .countries = {"DE", "FR"}, .currency = "EUR", .prices_include_tax = true});
    PLAZA_ASSERT_OK(market);
    market_id_ = market->id;
    PLAZA_ASSERT_OK(pricing_.SetTaxRate(kShop, market_id_,
                                        {.region = "FR", .tax_class = "standard", .rate = {20, 100}, .name = "TVA"}));
    auto location = inventory_.CreateLocation(kShop, {.name = "Paris"});
    PLAZA_ASSERT_OK(location);
    location_id_ = location->id;
    auto zone = shipping_.CreateZone(kShop, {.name = "France", .destinations = {{.country = "FR"}}});
    PLAZA_ASSERT_OK(zone);
    auto rate = shipping_.CreateRate(kShop, zone->id,
                                     {.name = "Standard",
                                      .kind = shipping::RateKind::kFlat,
                                      .currency = "EUR",
                                      .price_minor = 490,
                                      .transit_min_days = 2,
                                      .transit_max_days = 4});
    PLAZA_ASSERT_OK(rate);
    rate_id_ = rate->id;
  }

  store::Database& db() { return test_db_.db(); }

  // An active, published product with one variant priced `price` and `stock` units.
  std::int64_t MakeVariant(const std::string& title, std::int64_t price, std::int64_t stock,
                           catalog::ProductStatus status = catalog::ProductStatus::kActive) {
    auto product = catalog_.CreateProduct(kShop, {.title = title,
                                                  .status = status,
                                                  .channels = {catalog::Channel::kOnlineStore},
                                                  .variants = {{.sku = title + "-SKU", .weight_grams = 300}}});
    EXPECT_TRUE(product.ok()) << product.error().type << ": " << product.error().detail;
    if (!product.ok()) return 0;
    const std::int64_t variant_id = product->variants.at(0).id;
    EXPECT_TRUE(
        pricing_
            .SetPrices(kShop, market_id_, std::vector<pricing::PriceInput>{{.variant_id = variant_id, .amount = price}})
            .ok());
    auto item = inventory_.EnsureVariantItem(kShop, variant_id, title + "-SKU");
    EXPECT_TRUE(item.ok());
    if (stock > 0 && item.ok()) {
      auto received = inventory_.Receive(kShop, {.item_id = item->id,
                                                 .location_id = location_id_,
                                                 .quantity = stock,
                                                 .reason = "initial",
                                                 .actor = "staff:1"});
      EXPECT_TRUE(received.ok()) << received.error().detail;
    }
    return variant_id;
  }

  static Address Paris() {
    return {.name = "Camille Martin",
            .line1 = "10 rue de Rivoli",
            .city = "Paris",
            .postal_code = "75001",
            .country = "FR"};
  }

  // Calls `call` again, as a client told "try again" would, while it answers kUnavailable
  // (the database stayed too busy and the transaction was rolled back, so nothing was
  // written): under a sanitizer build on a loaded machine a burst of hundreds of threads
  // can outlast the retry budget of one transaction. Any other answer is returned as is.
  template <typename Call>
  static auto RetryWhileUnavailable(Call&& call) {
    constexpr int kAttempts = 5;
    auto result = call();
    for (int attempt = 1; attempt < kAttempts && !result.ok() && result.error().code == ErrorCode::kUnavailable;
         ++attempt) {
      result = call();
    }
    return result;
  }

  // A cart for FR holding `lines`, checked out up to (not including) placing the order.
  // Errors name the step that failed in their detail.
  Result<Cart> ReadyCart(const std::vector<LineInput>& lines, const std::vector<std::string>& codes = {}) {
    auto step = [](const char* name, auto call) -> Result<Cart> {
      Result<Cart> result = RetryWhileUnavailable(call);
      if (!result.ok()) {
        Error error = std::move(result).error();
        error.detail = std::string(name) + ": " + error.detail;
        return error;
      }
      return result;
    };
    PLAZA_ASSIGN_OR_RETURN(Cart cart, step("create", [&] { return service_.CreateCart(kShop, {.country = "FR"}); }));
    for (const LineInput& line : lines) {
      PLAZA_ASSIGN_OR_RETURN(cart, step("add", [&] { return service_.AddLine(kShop, cart.token, line); }));
    }
    if (!codes.empty()) {
      PLAZA_ASSIGN_OR_RETURN(cart, step("codes", [&] { return service_.SetCodes(kShop, cart.token, codes); }));
    }
    PLAZA_ASSIGN_OR_RETURN(cart, step("checkout", [&] { return service_.StartCheckout(kShop, cart.token); }));
    PLAZA_ASSIGN_OR_RETURN(
        cart, step("contact", [&] { return service_.SetContact(kShop, cart.token, "camille@example.fr"); }));
    PLAZA_ASSIGN_OR_RETURN(cart,
                           step("address", [&] { return service_.SetShippingAddress(kShop, cart.token, Paris()); }));
    return step("shipping", [&] { return service_.SelectShipping(kShop, cart.token, rate_id_); });
  }

  static PlaceOrderInput Input(const std::string& key, const std::string& card = kGoodCard) {
    return {.idempotency_key = key,
            .fingerprint = "test",
            .payment = {.method = "card", .card_number = card, .exp_month = 12, .exp_year = 2030, .cvc = "123"}};
  }

  Result<std::int64_t> CountRows(const std::string& sql) {
    return db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql));
      return row ? row->Int(0) : 0;
    });
  }

  std::int64_t Available(std::int64_t variant_id) {
    auto availability =
        inventory_.GetAvailability(kShop, std::vector<std::int64_t>{variant_id}, inventory::SalesChannel::kOnlineStore);
    EXPECT_TRUE(availability.ok());
    return availability.ok() ? availability->at(0).available : -1;
  }

  plaza::testing::TestDatabase test_db_;
  CountingDatabase counting_;
  ManualClock clock_;
  catalog::CatalogService catalog_;
  inventory::InventoryService inventory_;
  pricing::PricingService pricing_;
  promotions::PromotionService promotions_;
  shipping::ShippingService shipping_;
  payments::TestPaymentProvider provider_;
  payments::ManualPaymentProvider manual_provider_;
  payments::PaymentService payments_;
  RecordingMailer mailer_;
  OrderService service_;
  std::int64_t market_id_ = 0;
  std::int64_t location_id_ = 0;
  std::int64_t rate_id_ = 0;
};

}  // namespace plaza::orders::testing
