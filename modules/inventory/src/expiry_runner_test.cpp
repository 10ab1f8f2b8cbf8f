#include "plaza/inventory/expiry_runner.h"

#include <gtest/gtest.h>

#include "inventory_test_fixture.h"

namespace plaza::inventory {
namespace {

class ExpiryRunnerTest : public InventoryTest {};

TEST_P(ExpiryRunnerTest, ExpiresDueReservationsOnItsFirstPass) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t item = Stock(41, warehouse, 3);
  ASSERT_TRUE(
      service_.Reserve(kShop, {.key = "gone", .lines = {{41, 2}}, .ttl = std::chrono::minutes(1), .actor = "c"}).ok());
  clock_.Advance(std::chrono::minutes(2));
  ExpiryRunner runner(service_, clock_, std::chrono::hours(1));
  runner.Start();
  runner.Stop();
  EXPECT_EQ(service_.GetReservation(kShop, "gone")->state, ReservationState::kExpired);
  EXPECT_EQ(LevelAt(item, warehouse).reserved, 0);
  runner.Stop();  // idempotent
}

INSTANTIATE_TEST_SUITE_P(Backends, ExpiryRunnerTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::inventory
