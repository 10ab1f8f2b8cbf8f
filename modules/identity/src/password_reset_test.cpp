#include <gtest/gtest.h>

#include "identity_test_support.h"

namespace plaza::identity::testing {
namespace {

using PasswordResetTest = IdentityTest;

TEST_P(PasswordResetTest, ATokenWorksOnceAndEndsSessions) {
  const CreatedShop shop = MakeShop("north-wind");
  auto session = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(session);

  auto ticket = service_.RequestPasswordReset(AccountKind::kStaff, shop.shop.id, " OWNER@north-wind.example", "");
  PLAZA_ASSERT_OK(ticket);
  ASSERT_TRUE(ticket->has_value());
  EXPECT_EQ((*ticket)->email, shop.owner.email);
  EXPECT_EQ((*ticket)->expires_at, clock_.Now() + kPasswordResetLifetime);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM password_reset_tokens WHERE token_hash = ?", {(*ticket)->token}), 0);

  PLAZA_ASSERT_OK(service_.ConsumePasswordReset((*ticket)->token, kOtherPassword, "192.0.2.4"));
  EXPECT_FALSE(service_.ResolveSession(session->token, "").ok());
  const Status again = service_.ConsumePasswordReset((*ticket)->token, "yet another secret", "");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().type, "auth/reset-token-invalid");
  EXPECT_FALSE(service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword)).ok());
  PLAZA_ASSERT_OK(service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOtherPassword)));
}

TEST_P(PasswordResetTest, TokensExpireAfterThirtyMinutes) {
  const CreatedShop shop = MakeShop("north-wind");
  auto ticket = service_.RequestPasswordReset(AccountKind::kStaff, shop.shop.id, shop.owner.email, "");
  PLAZA_ASSERT_OK(ticket);
  ASSERT_TRUE(ticket->has_value());
  clock_.Advance(kPasswordResetLifetime);
  EXPECT_EQ(service_.ConsumePasswordReset((*ticket)->token, kOtherPassword, "").error().type,
            "auth/reset-token-invalid");
}

TEST_P(PasswordResetTest, SpendingOneTokenSpendsTheOthers) {
  const CreatedShop shop = MakeShop("north-wind");
  auto first = service_.RequestPasswordReset(AccountKind::kStaff, shop.shop.id, shop.owner.email, "");
  auto second = service_.RequestPasswordReset(AccountKind::kStaff, shop.shop.id, shop.owner.email, "");
  PLAZA_ASSERT_OK(first);
  PLAZA_ASSERT_OK(second);
  ASSERT_TRUE(first->has_value() && second->has_value());
  PLAZA_ASSERT_OK(service_.ConsumePasswordReset((*second)->token, kOtherPassword, ""));
  EXPECT_FALSE(service_.ConsumePasswordReset((*first)->token, "yet another secret", "").ok());
}

TEST_P(PasswordResetTest, UnknownAccountsGetNoTicketAndNoError) {
  const CreatedShop shop = MakeShop("north-wind");
  auto staff = service_.RequestPasswordReset(AccountKind::kStaff, shop.shop.id, "nobody@north-wind.example", "");
  PLAZA_ASSERT_OK(staff);
  EXPECT_FALSE(staff->has_value());
  // The owner has a staff account, not a customer one.
  auto customer = service_.RequestPasswordReset(AccountKind::kCustomer, shop.shop.id, shop.owner.email, "");
  PLAZA_ASSERT_OK(customer);
  EXPECT_FALSE(customer->has_value());
}

TEST_P(PasswordResetTest, RequestsPerAccountAreCapped) {
  const CreatedShop shop = MakeShop("north-wind");
  for (int request = 0; request < kMaxFailuresPerAccount; ++request) {
    auto ticket = service_.RequestPasswordReset(AccountKind::kStaff, shop.shop.id, shop.owner.email, "");
    PLAZA_ASSERT_OK(ticket);
    EXPECT_TRUE(ticket->has_value()) << request;
  }
  auto capped = service_.RequestPasswordReset(AccountKind::kStaff, shop.shop.id, shop.owner.email, "");
  PLAZA_ASSERT_OK(capped);
  EXPECT_FALSE(capped->has_value());
  clock_.Advance(kFailureWindow);
  auto later = service_.RequestPasswordReset(AccountKind::kStaff, shop.shop.id, shop.owner.email, "");
  PLAZA_ASSERT_OK(later);
  EXPECT_TRUE(later->has_value());
}

TEST_P(PasswordResetTest, WeakNewPasswordKeepsTheTokenUsable) {
  const CreatedShop shop = MakeShop("north-wind");
  auto ticket = service_.RequestPasswordReset(AccountKind::kStaff, shop.shop.id, shop.owner.email, "");
  PLAZA_ASSERT_OK(ticket);
  ASSERT_TRUE(ticket->has_value());
  EXPECT_EQ(service_.ConsumePasswordReset((*ticket)->token, "short", "").error().field, "/password");
  PLAZA_ASSERT_OK(service_.ConsumePasswordReset((*ticket)->token, kOtherPassword, ""));
}

TEST_P(PasswordResetTest, CustomersResetToo) {
  const CreatedShop shop = MakeShop("north-wind");
  PLAZA_ASSERT_OK(service_.SignUpCustomer(
      shop.shop.id, {.email = "ann@example.com", .name = "Ann", .password = "plum tree in bloom"}, ""));
  auto ticket = service_.RequestPasswordReset(AccountKind::kCustomer, shop.shop.id, "ann@example.com", "");
  PLAZA_ASSERT_OK(ticket);
  ASSERT_TRUE(ticket->has_value());
  PLAZA_ASSERT_OK(service_.ConsumePasswordReset((*ticket)->token, kOtherPassword, ""));
  PLAZA_ASSERT_OK(service_.LogInCustomer(Credentials(shop.shop.id, "ann@example.com", kOtherPassword)));
}

INSTANTIATE_TEST_SUITE_P(Backends, PasswordResetTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::identity::testing
