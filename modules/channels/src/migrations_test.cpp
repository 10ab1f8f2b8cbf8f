#include "plaza/channels/migrations.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "channels_test_fixture.h"

namespace plaza::channels {
namespace {

class ChannelsMigrationsTest : public ChannelsDatabaseTest {};

TEST_P(ChannelsMigrationsTest, ApplyOnceNextToTheStoreSchema) {
  // SetUp applied them; a second run (another process starting) changes nothing.
  ASSERT_TRUE(
      store::Migrate(db(), std::vector<store::MigrationSet>{store::StoreMigrations(), ChannelsMigrations()}).ok());
  auto applied = store::AppliedMigrations(db());
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(std::count(applied->begin(), applied->end(), "store:1"), 1);
  EXPECT_EQ(std::count(applied->begin(), applied->end(), "channels:1"), 1);
  EXPECT_EQ(ChannelsMigrations().component, "channels");
}

INSTANTIATE_TEST_SUITE_P(Backends, ChannelsMigrationsTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::channels
