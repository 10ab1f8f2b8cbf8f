#pragma once
// The fixture of the identity integration tests: a fresh database on one backend with
// the store and identity schemas, a manual clock, and helpers that keep the number of
// Argon2id hashes per test small (each costs ~50-100 ms).

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "plaza/core/clock.h"
#include "plaza/core/text.h"
#include "plaza/identity/identity_service.h"
#include "plaza/identity/migrations.h"
#include "plaza/identity/totp.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::identity::testing {

// 2023-11-14T22:13:20Z: any fixed instant works; a fixed one keeps failures repeatable.
inline constexpr std::int64_t kStartMillis = 1'700'000'000'000;
inline constexpr char kOwnerPassword[] = "correct horse battery";
inline constexpr char kOtherPassword[] = "another long secret";

#define PLAZA_ASSERT_OK(expr)                                                              \
  do {                                                                                     \
    const auto& plaza_assert_result = (expr);                                              \
    ASSERT_TRUE(plaza_assert_result.ok())                                                  \
        << plaza_assert_result.error().type << ": " << plaza_assert_result.error().detail; \
  } while (false)

class IdentityTest : public ::testing::TestWithParam<std::string> {
 protected:
  IdentityTest() : test_db_(GetParam()), clock_(FromUnixMillis(kStartMillis)), service_(test_db_.db(), clock_) {}

  void SetUp() override {
    const std::vector<store::MigrationSet> sets = {store::StoreMigrations(), IdentityMigrations()};
    const Status migrated = store::Migrate(db(), sets);
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  // Creates a shop whose owner has kOwnerPassword (one hash).
  CreatedShop MakeShop(const std::string& handle) {
    auto created = service_.CreateShop({.handle = handle,
                                        .name = "Shop " + handle,
                                        .owner_email = "owner@" + handle + ".example",
                                        .owner_name = "Owner of " + handle,
                                        .owner_password = kOwnerPassword});
    EXPECT_TRUE(created.ok()) << created.error().type << ": " << created.error().detail;
    return created.ok() ? std::move(created).value() : CreatedShop{};
  }

  // An active staff principal as ResolveSession would build it, without a session row:
  // for calls that only check permissions, so tests need not log in (and hash).
  static Principal StaffPrincipal(const StaffMember& staff) {
    Principal principal;
    principal.kind = PrincipalKind::kStaff;
    principal.shop_id = staff.shop_id;
    principal.user_id = staff.id;
    principal.roles = staff.roles;
    principal.ip = "192.0.2.1";
    return principal;
  }

  // Creates a staff member with a password (one hash).
  StaffMember MakeStaff(const CreatedShop& shop, const std::string& email, std::vector<Role> roles) {
    auto created = service_.CreateStaff(
        StaffPrincipal(shop.owner), shop.shop.id,
        {.email = email, .name = "Staff " + email, .roles = std::move(roles), .password = std::string(kOtherPassword)});
    EXPECT_TRUE(created.ok()) << created.error().type << ": " << created.error().detail;
    return created.ok() ? created->staff : StaffMember{};
  }

  LogIn Credentials(std::int64_t shop_id, const std::string& email, const std::string& password,
                    const std::string& ip = "192.0.2.1") {
    return LogIn{.shop_id = shop_id, .email = email, .password = password, .ip = ip};
  }

  // The code an authenticator app shows now for `secret_base32`.
  std::string CodeNow(const std::string& secret_base32) {
    const auto secret = text::Base32Decode(secret_base32);
    return totp::CodeForStep(*secret, totp::StepAt(clock_.Now()));
  }

  std::int64_t CountRows(const std::string& sql, std::initializer_list<store::Param> params) {
    auto row = db().Read([&](store::Transaction& tx) { return tx.QueryOne(sql, params); });
    EXPECT_TRUE(row.ok()) << row.error().detail;
    return row.ok() && *row ? (*row)->Int(0) : -1;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  IdentityService service_;
};

}  // namespace plaza::identity::testing
