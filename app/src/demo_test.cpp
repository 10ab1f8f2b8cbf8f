#include "plaza/app/demo.h"

#include <gtest/gtest.h>

#include "plaza/app/plaza_server.h"
#include "plaza/catalog/catalog.h"
#include "plaza/identity/identity_service.h"
#include "plaza/inventory/inventory.h"
#include "plaza/pricing/pricing.h"
#include "plaza/promotions/promotions.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza/store/migrations.h"
#include "plaza_test/databases.h"

namespace plaza::app {
namespace {

class DemoTest : public ::testing::TestWithParam<std::string> {
 protected:
  DemoTest() : test_db_(GetParam()), clock_(FromUnixMillis(1'795'000'000'000)) {}  // Nov 2026

  void SetUp() override {
    const Status migrated = store::Migrate(db(), AllMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  DemoSummary Seed(const DemoOptions& options) {
    auto seeded = SeedDemo(db(), clock_, options);
    EXPECT_TRUE(seeded.ok()) << seeded.error().type << ": " << seeded.error().detail;
    return seeded.ok() ? *seeded : DemoSummary{};
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
};

TEST_P(DemoTest, SeedsABelievableShopInThreeMarkets) {
  const DemoSummary summary = Seed({});
  ASSERT_TRUE(summary.created_shop);
  EXPECT_GE(summary.products, 55);

  catalog::CatalogService catalog(db(), clock_);
  auto serum = catalog.GetProductByHandle(summary.shop_id, "vitamin-c-serum");
  ASSERT_TRUE(serum.ok());
  ASSERT_EQ(serum->variants.size(), 3u);
  EXPECT_TRUE(catalog::IsVisibleOn(*serum, catalog::Channel::kTiktok));

  // Every variant is priced in EUR, GBP and USD.
  pricing::PricingService pricing(db(), clock_);
  auto markets = pricing.ListMarkets(summary.shop_id);
  ASSERT_TRUE(markets.ok());
  ASSERT_EQ(markets->size(), 3u);
  std::vector<std::int64_t> variant_ids;
  for (const catalog::Variant& variant : serum->variants) variant_ids.push_back(variant.id);
  for (const pricing::Market& market : *markets) {
    auto prices = pricing.PriceVariants(summary.shop_id, market.id, variant_ids);
    ASSERT_TRUE(prices.ok()) << market.handle << ": " << prices.error().detail;
    EXPECT_EQ(prices->front().price.currency, market.currency);
    EXPECT_GT(prices->front().price.minor, 0);
  }

  // Kits draw on their contents, the drop has a per-order limit, the calendar is a pre-order.
  inventory::InventoryService inventory(db(), clock_);
  auto kit = catalog.GetProductByHandle(summary.shop_id, "glow-duo");
  auto calendar = catalog.GetProductByHandle(summary.shop_id, "holiday-advent-calendar");
  auto drop = catalog.GetProductByHandle(summary.shop_id, "limited-berry-serum");
  ASSERT_TRUE(kit.ok() && calendar.ok() && drop.ok());
  auto kit_stock = inventory.GetVariant(summary.shop_id, kit->variants.front().id);
  ASSERT_TRUE(kit_stock.ok());
  EXPECT_EQ(kit_stock->components.size(), 2u);
  const std::int64_t ids[] = {calendar->variants.front().id, drop->variants.front().id};
  auto availability = inventory.GetAvailability(summary.shop_id, ids, inventory::SalesChannel::kOnlineStore);
  ASSERT_TRUE(availability.ok());
  EXPECT_EQ((*availability)[0].state, inventory::StockState::kPreorder);
  EXPECT_EQ((*availability)[1].max_per_order, 1);
  auto ledger = inventory.CheckLedger();
  ASSERT_TRUE(ledger.ok());
  EXPECT_TRUE(ledger->ok());
  EXPECT_GT(ledger->levels_checked, 50);

  // A delivery promise to Paris and to California.
  shipping::ShippingService shipping(db(), clock_);
  auto paris = shipping.Quote(summary.shop_id, {.destination = {"FR", ""},
                                                .currency = "EUR",
                                                .subtotal_minor = 5600,
                                                .weight_grams = 200,
                                                .preorder_arrival = {}});
  ASSERT_TRUE(paris.ok()) << paris.error().detail;
  ASSERT_FALSE(paris->options.empty());
  EXPECT_EQ(paris->options.front().price.minor, 0);  // free over 49 EUR
  EXPECT_FALSE(paris->options.front().promise.earliest.empty());
  auto california = shipping.Quote(summary.shop_id, {.destination = {"US", "CA"},
                                                     .currency = "USD",
                                                     .subtotal_minor = 3000,
                                                     .weight_grams = 300,
                                                     .preorder_arrival = {}});
  ASSERT_TRUE(california.ok()) << california.error().detail;
  EXPECT_EQ(california->options.front().price.minor, 1200);

  // The creator code belongs to its creator.
  promotions::PromotionService promotions(db(), clock_);
  auto all = promotions.List(summary.shop_id);
  ASSERT_TRUE(all.ok());
  bool found_creator_code = false;
  for (const promotions::Promotion& promotion : *all) {
    auto codes = promotions.ListCodes(summary.shop_id, promotion.id);
    ASSERT_TRUE(codes.ok());
    for (const promotions::PromotionCode& code : *codes) found_creator_code |= code.creator == "maya.glows";
  }
  EXPECT_TRUE(found_creator_code);
}

TEST_P(DemoTest, IfEmptyLeavesAnExistingShopAlone) {
  ASSERT_TRUE(Seed({}).created_shop);
  const DemoSummary again = Seed({.if_empty = true, .generated_products = 0, .progress = {}});
  EXPECT_FALSE(again.created_shop);
  EXPECT_EQ(again.products, 0);
}

TEST_P(DemoTest, GeneratedProductsAreAddedAfterEarlierOnes) {
  const DemoSummary first = Seed({.if_empty = false, .generated_products = 30, .progress = {}});
  const DemoSummary second = Seed({.if_empty = false, .generated_products = 12, .progress = {}});
  EXPECT_FALSE(second.created_shop);
  EXPECT_EQ(second.products, 12);
  catalog::CatalogService catalog(db(), clock_);
  EXPECT_TRUE(catalog.GetProductByHandle(first.shop_id, "lab-42").ok());
  EXPECT_FALSE(catalog.GetProductByHandle(first.shop_id, "lab-43").ok());
  inventory::InventoryService inventory(db(), clock_);
  auto ledger = inventory.CheckLedger();
  ASSERT_TRUE(ledger.ok());
  EXPECT_TRUE(ledger->ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, DemoTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::app
