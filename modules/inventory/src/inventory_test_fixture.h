#pragma once
// A fresh database with the store and inventory schemas, a manual clock and a service;
// each test runs once per backend (plaza::testing::TestBackends()).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/inventory/inventory.h"
#include "plaza/inventory/migrations.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::inventory {

inline constexpr std::int64_t kShop = 1;
inline constexpr std::int64_t kOtherShop = 2;

class InventoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  InventoryTest() : test_db_(GetParam()), clock_(FromUnixMillis(1'700'000'000'000)) {}

  void SetUp() override {
    const Status migrated =
        store::Migrate(db(), std::vector<store::MigrationSet>{store::StoreMigrations(), InventoryMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  std::int64_t MakeLocation(const std::string& name, int priority = 0, std::int64_t shop_id = kShop) {
    auto location = service_.CreateLocation(shop_id, {.name = name, .priority = priority});
    EXPECT_TRUE(location.ok()) << location.error().detail;
    return location.ok() ? location->id : 0;
  }

  // A variant with its own item and `on_hand` units received at `location_id`; returns the item id.
  std::int64_t Stock(std::int64_t variant_id, std::int64_t location_id, std::int64_t on_hand,
                     std::int64_t shop_id = kShop) {
    auto item = service_.EnsureVariantItem(shop_id, variant_id);
    EXPECT_TRUE(item.ok()) << item.error().detail;
    if (!item.ok()) return 0;
    if (on_hand > 0) Receive(item->id, location_id, on_hand, shop_id);
    return item->id;
  }

  void Receive(std::int64_t item_id, std::int64_t location_id, std::int64_t quantity, std::int64_t shop_id = kShop) {
    auto level = service_.Receive(shop_id, {.item_id = item_id,
                                            .location_id = location_id,
                                            .quantity = quantity,
                                            .reason = "delivery",
                                            .actor = "staff:1"});
    EXPECT_TRUE(level.ok()) << level.error().detail;
  }

  Result<Reservation> Reserve(const std::string& key, std::vector<Line> lines,
                              SalesChannel channel = SalesChannel::kOnlineStore) {
    return service_.Reserve(kShop, {.key = key, .channel = channel, .lines = std::move(lines), .actor = "cart:t"});
  }

  Availability AvailabilityOf(std::int64_t variant_id, SalesChannel channel = SalesChannel::kOnlineStore) {
    const std::vector<std::int64_t> ids = {variant_id};
    auto availability = service_.GetAvailability(kShop, ids, channel);
    EXPECT_TRUE(availability.ok()) << availability.error().detail;
    return availability.ok() ? availability->at(0) : Availability{};
  }

  Level LevelAt(std::int64_t item_id, std::int64_t location_id) {
    auto levels = service_.ItemLevels(kShop, item_id);
    EXPECT_TRUE(levels.ok());
    if (levels.ok()) {
      for (const Level& level : *levels) {
        if (level.location_id == location_id) return level;
      }
    }
    return Level{.item_id = item_id, .location_id = location_id};
  }

  void ExpectLedgerConsistent() {
    auto report = service_.CheckLedger();
    ASSERT_TRUE(report.ok()) << report.error().detail;
    for (const LedgerMismatch& mismatch : report->mismatches) {
      ADD_FAILURE() << "item " << mismatch.item_id << " location " << mismatch.location_id.value_or(0) << " "
                    << mismatch.field << ": stored " << mismatch.stored << ", ledger " << mismatch.ledger;
    }
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  InventoryService service_{db(), clock_};
};

}  // namespace plaza::inventory
