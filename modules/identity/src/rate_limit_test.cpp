#include <gtest/gtest.h>

#include "identity_test_support.h"

namespace plaza::identity::testing {
namespace {

using RateLimitTest = IdentityTest;

TEST_P(RateLimitTest, FiveFailuresLockTheAccountForTheWindow) {
  const CreatedShop shop = MakeShop("north-wind");
  for (int attempt = 0; attempt < kMaxFailuresPerAccount; ++attempt) {
    clock_.Advance(std::chrono::minutes(1));
    const auto failed = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, "wrong password!"));
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().type, "auth/invalid-credentials") << attempt;
  }
  // The right password does not help while locked, and a second process (another
  // service on the same database) sees the same lock.
  IdentityService other_process(db(), clock_);
  for (IdentityService* service : {&service_, &other_process}) {
    const auto locked = service->LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
    ASSERT_FALSE(locked.ok());
    EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
    // The first failure was at minute 1 and the window is 15 minutes: it leaves at minute
    // 16, eleven minutes from now.
    EXPECT_NE(locked.error().detail.find("660 seconds"), std::string::npos) << locked.error().detail;
  }
  // Once the oldest failure leaves the window, one more attempt is allowed.
  clock_.Advance(std::chrono::minutes(11));
  PLAZA_ASSERT_OK(service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword)));
}

TEST_P(RateLimitTest, SuccessClearsTheAccountCounter) {
  const CreatedShop shop = MakeShop("north-wind");
  for (int attempt = 0; attempt < kMaxFailuresPerAccount - 1; ++attempt) {
    ASSERT_FALSE(service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, "wrong password!")).ok());
  }
  PLAZA_ASSERT_OK(service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword)));
  for (int attempt = 0; attempt < kMaxFailuresPerAccount - 1; ++attempt) {
    ASSERT_FALSE(service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, "wrong password!")).ok());
  }
  PLAZA_ASSERT_OK(service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword)));
}

TEST_P(RateLimitTest, UnknownEmailsCountAndLockToo) {
  const CreatedShop shop = MakeShop("north-wind");
  for (int attempt = 0; attempt < kMaxFailuresPerAccount; ++attempt) {
    EXPECT_EQ(service_.LogInCustomer(Credentials(shop.shop.id, "ghost@example.com", "whatever it is")).error().type,
              "auth/invalid-credentials");
  }
  // Locked exactly like a real account, so the lock does not reveal existence either.
  EXPECT_EQ(service_.LogInCustomer(Credentials(shop.shop.id, "ghost@example.com", "whatever it is")).error().code,
            ErrorCode::kRateLimited);
}

TEST_P(RateLimitTest, OneAddressIsLimitedAcrossAccounts) {
  const CreatedShop shop = MakeShop("north-wind");
  for (int attempt = 0; attempt < kMaxFailuresPerIp; ++attempt) {
    const std::string email = "guess" + std::to_string(attempt % 4) + "@example.com";
    ASSERT_EQ(service_.LogInStaff(Credentials(shop.shop.id, email, "wrong password!", "203.0.113.9")).error().type,
              "auth/invalid-credentials")
        << attempt;
  }
  const auto locked = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword, "203.0.113.9"));
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
  // Another address is unaffected.
  PLAZA_ASSERT_OK(service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword, "203.0.113.10")));
}

TEST_P(RateLimitTest, AResetLiftsTheAccountLock) {
  const CreatedShop shop = MakeShop("north-wind");
  for (int attempt = 0; attempt < kMaxFailuresPerAccount; ++attempt) {
    ASSERT_FALSE(service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, "wrong password!")).ok());
  }
  auto ticket = service_.RequestPasswordReset(AccountKind::kStaff, shop.shop.id, shop.owner.email, "");
  PLAZA_ASSERT_OK(ticket);
  ASSERT_TRUE(ticket->has_value());
  PLAZA_ASSERT_OK(service_.ConsumePasswordReset((*ticket)->token, kOtherPassword, ""));
  PLAZA_ASSERT_OK(service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOtherPassword)));
}

INSTANTIATE_TEST_SUITE_P(Backends, RateLimitTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::identity::testing
