// Shop A's staff must not see or change shop B's rows, whatever ids they pass: every
// answer is the same kNotFound an absent row gets.

#include <gtest/gtest.h>

#include "identity_test_support.h"

namespace plaza::identity::testing {
namespace {

class TenantIsolationTest : public IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    if (HasFatalFailure()) return;
    a_ = MakeShop("shop-a");
    b_ = MakeShop("shop-b");
    owner_a_ = StaffPrincipal(a_.owner);
    owner_b_ = StaffPrincipal(b_.owner);
  }

  // Takes the result rather than its error, so a call that wrongly succeeds fails the
  // test instead of reading an error that is not there.
  template <typename ResultType>
  static void ExpectNotFound(const ResultType& result) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kNotFound) << result.error().detail;
  }

  CreatedShop a_;
  CreatedShop b_;
  Principal owner_a_;
  Principal owner_b_;
};

TEST_P(TenantIsolationTest, Shops) {
  ExpectNotFound(service_.UpdateShopSettings(owner_a_, b_.shop.id, {.require_staff_2fa = true}));
  EXPECT_FALSE(service_.GetShop(b_.shop.id)->settings.require_staff_2fa);
}

TEST_P(TenantIsolationTest, Staff) {
  // Naming the other shop fails at authorisation...
  ExpectNotFound(service_.ListStaff(owner_a_, b_.shop.id));
  ExpectNotFound(service_.GetStaff(owner_a_, b_.shop.id, b_.owner.id));
  ExpectNotFound(
      service_.CreateStaff(owner_a_, b_.shop.id, {.email = "spy@x.example", .name = "Spy", .roles = {Role::kOwner}}));
  // ...and naming one's own shop with the other shop's staff id fails in the queries.
  ExpectNotFound(service_.GetStaff(owner_a_, a_.shop.id, b_.owner.id));
  ExpectNotFound(service_.UpdateStaffRoles(owner_a_, a_.shop.id, b_.owner.id, {Role::kModerator}));
  ExpectNotFound(service_.DisableStaff(owner_a_, a_.shop.id, b_.owner.id));
  ExpectNotFound(service_.ResetStaffTotp(owner_a_, a_.shop.id, b_.owner.id));
  auto b_owner = service_.GetStaff(owner_b_, b_.shop.id, b_.owner.id);
  PLAZA_ASSERT_OK(b_owner);
  EXPECT_EQ(b_owner->roles, std::vector<Role>{Role::kOwner});
  EXPECT_FALSE(b_owner->disabled);
  EXPECT_EQ(service_.ListStaff(owner_a_, a_.shop.id)->size(), 1u);
}

TEST_P(TenantIsolationTest, Customers) {
  auto ann = service_.SignUpCustomer(b_.shop.id,
                                     {.email = "ann@example.com", .name = "Ann", .password = "plum tree in bloom"}, "");
  PLAZA_ASSERT_OK(ann);
  const std::int64_t ann_id = ann->principal.user_id;
  ExpectNotFound(service_.GetCustomer(owner_a_, b_.shop.id, ann_id));
  ExpectNotFound(service_.GetCustomer(owner_a_, a_.shop.id, ann_id));
  // The same email is a different account in another shop.
  EXPECT_FALSE(service_.LogInCustomer(Credentials(a_.shop.id, "ann@example.com", "plum tree in bloom")).ok());
  auto reset = service_.RequestPasswordReset(AccountKind::kCustomer, a_.shop.id, "ann@example.com", "");
  PLAZA_ASSERT_OK(reset);
  EXPECT_FALSE(reset->has_value());
  PLAZA_ASSERT_OK(service_.GetCustomer(owner_b_, b_.shop.id, ann_id));
}

TEST_P(TenantIsolationTest, SessionsAndResetTokens) {
  auto session = service_.LogInStaff(Credentials(b_.shop.id, b_.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(session);
  // A token re-labelled with another shop's id finds nothing there.
  const std::string random_part = session->token.substr(session->token.find('.'));
  EXPECT_FALSE(service_.ResolveSession(std::to_string(a_.shop.id) + random_part, "").ok());
  auto principal = service_.ResolveSession(session->token, "");
  PLAZA_ASSERT_OK(principal);
  EXPECT_EQ(principal->shop_id, b_.shop.id);
  ExpectNotFound(Authorize(*principal, a_.shop.id, Permission::kCatalogRead));

  auto ticket = service_.RequestPasswordReset(AccountKind::kStaff, b_.shop.id, b_.owner.email, "");
  PLAZA_ASSERT_OK(ticket);
  ASSERT_TRUE(ticket->has_value());
  const std::string token = (*ticket)->token;
  EXPECT_FALSE(
      service_.ConsumePasswordReset(std::to_string(a_.shop.id) + token.substr(token.find('.')), kOtherPassword, "")
          .ok());
  // B's owner can still use it: the failed attempt above touched nothing.
  PLAZA_ASSERT_OK(service_.ConsumePasswordReset(token, kOtherPassword, ""));
}

TEST_P(TenantIsolationTest, ApiTokens) {
  auto b_token = service_.CreateApiToken(owner_b_, b_.shop.id, {.name = "B", .scopes = {"audit:read"}});
  PLAZA_ASSERT_OK(b_token);
  ExpectNotFound(service_.ListApiTokens(owner_a_, b_.shop.id));
  ExpectNotFound(service_.RevokeApiToken(owner_a_, b_.shop.id, b_token->info.id));
  ExpectNotFound(service_.RevokeApiToken(owner_a_, a_.shop.id, b_token->info.id));
  EXPECT_TRUE(service_.ListApiTokens(owner_a_, a_.shop.id)->empty());
  auto principal = service_.ResolveApiToken(b_token->token, "");
  PLAZA_ASSERT_OK(principal);
  ExpectNotFound(service_.ListAudit(*principal, a_.shop.id, std::nullopt, 10));
  const std::string& raw = b_token->token;
  const std::string relabelled = "plz_" + std::to_string(a_.shop.id) + raw.substr(raw.find('_', 4));
  EXPECT_FALSE(service_.ResolveApiToken(relabelled, "").ok());
}

TEST_P(TenantIsolationTest, AuditLog) {
  ExpectNotFound(service_.ListAudit(owner_a_, b_.shop.id, std::nullopt, 50));
  auto page = service_.ListAudit(owner_a_, a_.shop.id, std::nullopt, 50);
  PLAZA_ASSERT_OK(page);
  ASSERT_FALSE(page->entries.empty());
  for (const AuditEntry& entry : page->entries) EXPECT_EQ(entry.shop_id, a_.shop.id);
}

TEST_P(TenantIsolationTest, SecondFactorAndPasswordCountersAreSeparate) {
  for (int attempt = 0; attempt < kMaxFailuresPerAccount; ++attempt) {
    ASSERT_FALSE(service_.LogInCustomer(Credentials(a_.shop.id, "ann@example.com", "wrong password!")).ok());
  }
  EXPECT_EQ(service_.LogInCustomer(Credentials(a_.shop.id, "ann@example.com", "wrong password!")).error().code,
            ErrorCode::kRateLimited);
  // The lock on shop A's ann does not reach shop B's.
  EXPECT_EQ(service_.LogInCustomer(Credentials(b_.shop.id, "ann@example.com", "wrong password!")).error().type,
            "auth/invalid-credentials");
}

INSTANTIATE_TEST_SUITE_P(Backends, TenantIsolationTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::identity::testing
