#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "inventory_test_fixture.h"
#include "plaza/inventory/inventory.h"

namespace plaza::inventory {
namespace {

class ReservationTest : public InventoryTest {};

TEST_P(ReservationTest, SameKeyTwiceIsOneReservation) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t item = Stock(11, warehouse, 10);
  auto first = Reserve("cart-1", {{11, 3}});
  ASSERT_TRUE(first.ok()) << first.error().detail;
  auto second = Reserve("cart-1", {{11, 3}});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(LevelAt(item, warehouse).reserved, 3);
  auto different = Reserve("cart-1", {{11, 4}});
  ASSERT_FALSE(different.ok());
  EXPECT_EQ(different.error().type, "inventory/key-reused");
  EXPECT_EQ(LevelAt(item, warehouse).reserved, 3);
  ExpectLedgerConsistent();
}

TEST_P(ReservationTest, ExtendReleaseConvertCancelFulfil) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t item = Stock(12, warehouse, 10);
  ASSERT_TRUE(Reserve("a", {{12, 2}}).ok());
  ASSERT_TRUE(Reserve("b", {{12, 3}}).ok());

  clock_.Advance(std::chrono::minutes(10));
  auto extended = service_.Extend(kShop, "a", std::chrono::minutes(30));
  ASSERT_TRUE(extended.ok());
  EXPECT_EQ(extended->expires_at, clock_.Now() + std::chrono::minutes(30));

  auto released = service_.Release(kShop, "a", "cart:a");
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(released->state, ReservationState::kReleased);
  ASSERT_TRUE(service_.Release(kShop, "a", "cart:a").ok());  // idempotent
  EXPECT_EQ(LevelAt(item, warehouse).reserved, 3);
  EXPECT_EQ(service_.Extend(kShop, "a", std::chrono::minutes(5)).error().type, "inventory/reservation-closed");
  EXPECT_EQ(service_.Convert(kShop, "a", "order:1").error().type, "inventory/reservation-closed");

  auto converted = service_.Convert(kShop, "b", "order:2");
  ASSERT_TRUE(converted.ok());
  EXPECT_EQ(converted->state, ReservationState::kConverted);
  EXPECT_EQ(converted->order_ref, "order:2");
  ASSERT_TRUE(service_.Convert(kShop, "b", "order:2").ok());  // idempotent
  Level level = LevelAt(item, warehouse);
  EXPECT_EQ(level.reserved, 0);
  EXPECT_EQ(level.committed, 3);
  EXPECT_EQ(level.available(), 7);
  // A converted reservation is not released by a late release.
  EXPECT_EQ(service_.Release(kShop, "b", "cart:b")->state, ReservationState::kConverted);

  auto fulfilled = service_.Fulfil(kShop, "b", "staff:1");
  ASSERT_TRUE(fulfilled.ok()) << fulfilled.error().detail;
  level = LevelAt(item, warehouse);
  EXPECT_EQ(level.on_hand, 7);
  EXPECT_EQ(level.committed, 0);

  ASSERT_TRUE(Reserve("c", {{12, 4}}).ok());
  ASSERT_TRUE(service_.Convert(kShop, "c", "order:3").ok());
  auto cancelled = service_.Cancel(kShop, "c", "staff:1");
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->state, ReservationState::kCancelled);
  ASSERT_TRUE(service_.Cancel(kShop, "c", "staff:1").ok());  // idempotent
  EXPECT_EQ(LevelAt(item, warehouse).available(), 7);
  EXPECT_EQ(service_.GetReservation(kOtherShop, "c").error().code, ErrorCode::kNotFound);
  ExpectLedgerConsistent();
}

TEST_P(ReservationTest, CheckoutComposesInItsOwnTransaction) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t item = Stock(13, warehouse, 5);
  // A failure later in the caller's transaction undoes the reservation too.
  const Status failed = db().Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(service_.Reserve(tx, kShop, {.key = "co", .lines = {{13, 2}}, .actor = "cart:co"}));
    return Error::Conflict("payments/declined", "card declined");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(LevelAt(item, warehouse).reserved, 0);
  EXPECT_EQ(service_.GetReservation(kShop, "co").error().code, ErrorCode::kNotFound);

  const Status placed = db().Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(service_.Reserve(tx, kShop, {.key = "co", .lines = {{13, 2}}, .actor = "cart:co"}));
    PLAZA_TRY(service_.Convert(tx, kShop, "co", "order:9"));
    return Ok();
  });
  ASSERT_TRUE(placed.ok()) << placed.error().detail;
  EXPECT_EQ(LevelAt(item, warehouse).committed, 2);
  ExpectLedgerConsistent();
}

TEST_P(ReservationTest, ExpiryRestoresStock) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t item = Stock(14, warehouse, 4);
  ASSERT_TRUE(
      service_.Reserve(kShop, {.key = "short", .lines = {{14, 3}}, .ttl = std::chrono::minutes(5), .actor = "c"}).ok());
  ASSERT_TRUE(
      service_.Reserve(kShop, {.key = "long", .lines = {{14, 1}}, .ttl = std::chrono::minutes(20), .actor = "c"}).ok());
  EXPECT_EQ(AvailabilityOf(14).available, 0);
  auto none = service_.ExpireReservations(clock_.Now());
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);

  clock_.Advance(std::chrono::minutes(6));
  auto expired = service_.ExpireReservations(clock_.Now());
  ASSERT_TRUE(expired.ok()) << expired.error().detail;
  EXPECT_EQ(*expired, 1);
  EXPECT_EQ(service_.GetReservation(kShop, "short")->state, ReservationState::kExpired);
  EXPECT_EQ(service_.GetReservation(kShop, "long")->state, ReservationState::kActive);
  EXPECT_EQ(LevelAt(item, warehouse).reserved, 1);
  EXPECT_EQ(AvailabilityOf(14).available, 3);
  EXPECT_EQ(service_.Convert(kShop, "short", "order:1").error().type, "inventory/reservation-closed");

  auto ledger = service_.ListLedger(kShop, {.item_id = item, .limit = 1});
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ((*ledger)[0].kind, MovementKind::kRelease);
  EXPECT_EQ((*ledger)[0].actor, "system:expiry");
  ExpectLedgerConsistent();
}

TEST_P(ReservationTest, RestockOnReturnAndWriteOff) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t returns = MakeLocation("Returns desk");
  const std::int64_t item = Stock(15, warehouse, 5);
  ASSERT_TRUE(Reserve("o", {{15, 2}}).ok());
  ASSERT_TRUE(service_.Convert(kShop, "o", "order:5").ok());
  ASSERT_TRUE(service_.Fulfil(kShop, "o", "staff:1").ok());
  ASSERT_TRUE(service_.Restock(kShop, {{15, 1}}, returns, "return", "order:5").ok());
  ASSERT_TRUE(service_.Restock(kShop, {{15, 1}}, std::nullopt, "damaged in transit", "order:5").ok());
  EXPECT_EQ(LevelAt(item, warehouse).on_hand, 3);
  EXPECT_EQ(LevelAt(item, returns).on_hand, 1);
  auto ledger = service_.ListLedger(kShop, {.item_id = item, .limit = 2});
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ((*ledger)[0].kind, MovementKind::kWriteOff);
  EXPECT_EQ((*ledger)[1].kind, MovementKind::kReturn);
  EXPECT_EQ(service_.Restock(kShop, {{15, 1}}, 987654, "return", "order:5").error().field, "/location_id");
  EXPECT_EQ(service_.Restock(kShop, {{16, 1}}, returns, "return", "order:5").error().type, "inventory/unknown-variant");
  ExpectLedgerConsistent();
}

// Reserves until the store stops asking for a retry, as a checkout would.
Result<Reservation> ReserveRetrying(InventoryService& service, const ReservationRequest& request) {
  for (;;) {
    auto reserved = service.Reserve(kShop, request);
    if (reserved.ok() || reserved.error().type != "db/retry") return reserved;
  }
}

TEST_P(ReservationTest, ThreeHundredBuyersOneHundredUnits) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t annex = MakeLocation("Annex", 1);
  const std::int64_t item = Stock(21, warehouse, 60);
  Receive(item, annex, 40);
  constexpr int kBuyers = 300;
  std::atomic<int> succeeded{0};
  std::atomic<int> sold_out{0};
  std::atomic<int> other{0};
  std::vector<std::thread> buyers;
  buyers.reserve(kBuyers);
  for (int buyer_idx = 0; buyer_idx < kBuyers; ++buyer_idx) {
    buyers.emplace_back([&, buyer_idx] {
      auto reserved = ReserveRetrying(
          service_, {.key = "buyer-" + std::to_string(buyer_idx), .lines = {{21, 1}}, .actor = "cart:buyer"});
      if (reserved.ok()) {
        ++succeeded;
      } else if (reserved.error().type == "inventory/insufficient-stock") {
        ++sold_out;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& buyer : buyers) buyer.join();
  EXPECT_EQ(succeeded.load(), 100);
  EXPECT_EQ(sold_out.load(), 200);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(AvailabilityOf(21).available, 0);
  EXPECT_EQ(LevelAt(item, warehouse).reserved + LevelAt(item, annex).reserved, 100);
  ExpectLedgerConsistent();
}

TEST_P(ReservationTest, ConcurrentReplaysOfOneKeyHoldStockOnce) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t item = Stock(22, warehouse, 10);
  constexpr int kReplays = 20;
  std::atomic<int> succeeded{0};
  std::vector<std::int64_t> ids(kReplays, 0);
  std::vector<std::thread> callers;
  for (int caller_idx = 0; caller_idx < kReplays; ++caller_idx) {
    callers.emplace_back([&, caller_idx] {
      auto reserved = ReserveRetrying(service_, {.key = "same", .lines = {{22, 3}}, .actor = "cart:same"});
      if (reserved.ok()) {
        ++succeeded;
        ids[static_cast<std::size_t>(caller_idx)] = reserved->id;
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(succeeded.load(), kReplays);
  for (const std::int64_t id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(LevelAt(item, warehouse).reserved, 3);
  ExpectLedgerConsistent();
}

TEST_P(ReservationTest, ConcurrentKitsAndLooseItemsShareStock) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  // Variant 31 is a loose lens; kit 32 holds two lenses and a body (variant 33's item).
  const std::int64_t lens = Stock(31, warehouse, 50);
  const std::int64_t body = Stock(33, warehouse, 50);
  ASSERT_TRUE(service_.SetVariantComponents(kShop, 32, {{lens, 2}, {body, 1}}).ok());
  constexpr int kBuyers = 120;
  std::atomic<std::int64_t> lenses_sold{0};
  std::vector<std::thread> buyers;
  for (int buyer_idx = 0; buyer_idx < kBuyers; ++buyer_idx) {
    buyers.emplace_back([&, buyer_idx] {
      const bool kit = buyer_idx % 2 == 0;
      auto reserved = ReserveRetrying(
          service_, {.key = "b" + std::to_string(buyer_idx), .lines = {{kit ? 32 : 31, 1}}, .actor = "cart:buyer"});
      if (reserved.ok()) lenses_sold += kit ? 2 : 1;
    });
  }
  for (std::thread& buyer : buyers) buyer.join();
  const Level lens_level = LevelAt(lens, warehouse);
  EXPECT_EQ(lens_level.reserved, lenses_sold.load());
  EXPECT_LE(lens_level.reserved, 50);
  EXPECT_GE(lens_level.available(), 0);
  // Every buyer wanted at least one lens, and 120 buyers want more than 50: sold out.
  EXPECT_LE(lens_level.available(), 1);
  EXPECT_GE(LevelAt(body, warehouse).available(), 0);
  ExpectLedgerConsistent();
}

INSTANTIATE_TEST_SUITE_P(Backends, ReservationTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::inventory
