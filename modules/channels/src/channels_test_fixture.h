#pragma once
// A fresh database with the store and channels schemas, for the channels tests; each
// test runs once per backend (plaza::testing::TestBackends()).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plaza/channels/migrations.h"
#include "plaza/core/clock.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::channels {

inline constexpr std::int64_t kShop = 1;
inline constexpr std::int64_t kOtherShop = 2;

class ChannelsDatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  ChannelsDatabaseTest() : test_db_(GetParam()), clock_(FromUnixMillis(1'700'000'000'000)) {}

  void SetUp() override {
    const Status migrated =
        store::Migrate(db(), std::vector<store::MigrationSet>{store::StoreMigrations(), ChannelsMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
};

}  // namespace plaza::channels
