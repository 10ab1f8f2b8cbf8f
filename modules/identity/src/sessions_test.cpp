#include <gtest/gtest.h>

#include "identity_test_support.h"
#include "plaza/core/crypto.h"

namespace plaza::identity::testing {
namespace {

using SessionsTest = IdentityTest;

constexpr char kCustomerPassword[] = "plum tree in bloom";

TEST_P(SessionsTest, SignUpNormalisesTheEmailAndSignsIn) {
  const CreatedShop shop = MakeShop("north-wind");
  auto signed_up = service_.SignUpCustomer(
      shop.shop.id, {.email = "  Ann@Example.COM ", .name = " Ann ", .password = kCustomerPassword}, "198.51.100.7");
  PLAZA_ASSERT_OK(signed_up);
  const Principal& principal = signed_up->principal;
  EXPECT_EQ(principal.kind, PrincipalKind::kCustomer);
  EXPECT_EQ(principal.state, AuthState::kActive);
  EXPECT_FALSE(principal.csrf_token.empty());

  auto customer = service_.GetCustomer(principal, shop.shop.id, principal.user_id);
  PLAZA_ASSERT_OK(customer);
  EXPECT_EQ(customer->email, "ann@example.com");
  EXPECT_EQ(customer->name, "Ann");

  auto resolved = service_.ResolveSession(signed_up->token, "198.51.100.8");
  PLAZA_ASSERT_OK(resolved);
  EXPECT_EQ(resolved->user_id, principal.user_id);
  EXPECT_EQ(resolved->session_id, principal.session_id);
  EXPECT_EQ(resolved->csrf_token, principal.csrf_token);
  EXPECT_EQ(resolved->ip, "198.51.100.8");
  // Customers reach no staff function.
  EXPECT_EQ(Authorize(*resolved, shop.shop.id, Permission::kCatalogRead).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.ListStaff(*resolved, shop.shop.id).error().code, ErrorCode::kPermissionDenied);
}

TEST_P(SessionsTest, OnlyTheSessionHashIsStored) {
  const CreatedShop shop = MakeShop("north-wind");
  auto signed_up = service_.SignUpCustomer(
      shop.shop.id, {.email = "ann@example.com", .name = "Ann", .password = kCustomerPassword}, "");
  PLAZA_ASSERT_OK(signed_up);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", {signed_up->token}), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sessions WHERE token_hash = ?",
                      {text::HexEncode(crypto::Sha256(signed_up->token))}),
            1);
}

TEST_P(SessionsTest, PasswordPolicyAppliesAtSignUp) {
  const CreatedShop shop = MakeShop("north-wind");
  for (const char* weak : {"short", "aaaaaaaaaaaaaa", "ann@example.com"}) {
    const auto result =
        service_.SignUpCustomer(shop.shop.id, {.email = "ann@example.com", .name = "Ann", .password = weak}, "");
    ASSERT_FALSE(result.ok()) << weak;
    EXPECT_EQ(result.error().field, "/password");
  }
}

TEST_P(SessionsTest, LogInLogOut) {
  const CreatedShop shop = MakeShop("north-wind");
  PLAZA_ASSERT_OK(service_.SignUpCustomer(
      shop.shop.id, {.email = "ann@example.com", .name = "Ann", .password = kCustomerPassword}, ""));
  const auto wrong = service_.LogInCustomer(Credentials(shop.shop.id, "ann@example.com", "not the password"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().type, "auth/invalid-credentials");
  // A staff log-in does not find customer accounts.
  EXPECT_FALSE(service_.LogInStaff(Credentials(shop.shop.id, "ann@example.com", kCustomerPassword)).ok());

  auto session = service_.LogInCustomer(Credentials(shop.shop.id, "ANN@example.com", kCustomerPassword));
  PLAZA_ASSERT_OK(session);
  auto principal = service_.ResolveSession(session->token, "");
  PLAZA_ASSERT_OK(principal);
  PLAZA_ASSERT_OK(service_.LogOut(*principal));
  EXPECT_EQ(service_.ResolveSession(session->token, "").error().type, "auth/session-invalid");
}

TEST_P(SessionsTest, MalformedTokensDoNotResolve) {
  MakeShop("north-wind");
  for (const char* token : {"", "garbage", "1.", ".abc", "x.abc", "-1.abc", "1.abc", "plz_1_abc"}) {
    EXPECT_EQ(service_.ResolveSession(token, "").error().type, "auth/session-invalid") << token;
  }
  EXPECT_FALSE(service_.ResolveSession(std::string(4096, '1'), "").ok());
}

// Customer sessions: 30 idle days, 90 in all.
TEST_P(SessionsTest, IdleExpirySlidesUntilTheAbsoluteLimit) {
  const CreatedShop shop = MakeShop("north-wind");
  auto session = service_.SignUpCustomer(
      shop.shop.id, {.email = "ann@example.com", .name = "Ann", .password = kCustomerPassword}, "");
  PLAZA_ASSERT_OK(session);
  // Used every 29 days, the session outlives its 30-day idle limit...
  for (int visit = 1; visit <= 3; ++visit) {
    clock_.Advance(std::chrono::hours(24 * 29));
    PLAZA_ASSERT_OK(service_.ResolveSession(session->token, ""));
  }
  // ...but not the 90-day absolute one (87 days have passed; 3 more end it).
  clock_.Advance(std::chrono::hours(24 * 3) - std::chrono::milliseconds(1));
  auto last = service_.ResolveSession(session->token, "");
  PLAZA_ASSERT_OK(last);
  EXPECT_EQ(last->expires_at, FromUnixMillis(kStartMillis) + kCustomerSessionLifetime.absolute);
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(service_.ResolveSession(session->token, "").error().type, "auth/session-invalid");
}

TEST_P(SessionsTest, UnusedSessionsEndAfterTheIdleLimit) {
  const CreatedShop shop = MakeShop("north-wind");
  auto session = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(session);
  EXPECT_EQ(session->principal.expires_at, clock_.Now() + kStaffSessionLifetime.idle);
  clock_.Advance(kStaffSessionLifetime.idle - std::chrono::milliseconds(1));
  PLAZA_ASSERT_OK(service_.ResolveSession(session->token, ""));  // renews the idle limit
  clock_.Advance(kStaffSessionLifetime.idle - std::chrono::milliseconds(1));
  PLAZA_ASSERT_OK(service_.ResolveSession(session->token, ""));
  clock_.Advance(kStaffSessionLifetime.idle);
  EXPECT_EQ(service_.ResolveSession(session->token, "").error().type, "auth/session-invalid");
}

TEST_P(SessionsTest, RevokeAllEndsEverySession) {
  const CreatedShop shop = MakeShop("north-wind");
  auto first = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  auto second = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(first);
  PLAZA_ASSERT_OK(second);
  auto principal = service_.ResolveSession(first->token, "");
  PLAZA_ASSERT_OK(principal);
  PLAZA_ASSERT_OK(service_.RevokeAllSessions(*principal));
  EXPECT_FALSE(service_.ResolveSession(first->token, "").ok());
  EXPECT_FALSE(service_.ResolveSession(second->token, "").ok());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.sessions_revoked'", {}), 1);
}

TEST_P(SessionsTest, CsrfTokenBelongsToItsSession) {
  const CreatedShop shop = MakeShop("north-wind");
  auto first = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  auto second = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(first);
  PLAZA_ASSERT_OK(second);
  auto principal = service_.ResolveSession(first->token, "");
  PLAZA_ASSERT_OK(principal);
  PLAZA_ASSERT_OK(CheckCsrf(*principal, first->principal.csrf_token));
  EXPECT_NE(first->principal.csrf_token, second->principal.csrf_token);
  const Status foreign = CheckCsrf(*principal, second->principal.csrf_token);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_FALSE(CheckCsrf(*principal, first->token).ok());
}

TEST_P(SessionsTest, ChangingThePasswordEndsOtherSessions) {
  const CreatedShop shop = MakeShop("north-wind");
  auto here = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  auto elsewhere = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(here);
  PLAZA_ASSERT_OK(elsewhere);
  auto principal = service_.ResolveSession(here->token, "");
  PLAZA_ASSERT_OK(principal);

  const Status wrong = service_.ChangeOwnPassword(*principal, "not my password", kOtherPassword);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().type, "auth/invalid-credentials");
  EXPECT_EQ(service_.ChangeOwnPassword(*principal, kOwnerPassword, "tiny").error().field, "/password");

  PLAZA_ASSERT_OK(service_.ChangeOwnPassword(*principal, kOwnerPassword, kOtherPassword));
  PLAZA_ASSERT_OK(service_.ResolveSession(here->token, ""));
  EXPECT_FALSE(service_.ResolveSession(elsewhere->token, "").ok());
  EXPECT_FALSE(service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword)).ok());
  PLAZA_ASSERT_OK(service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOtherPassword)));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.password_changed'", {}), 1);
}

TEST_P(SessionsTest, UnknownShopIsNotFound) {
  const auto result = service_.LogInCustomer(Credentials(4242, "ann@example.com", kCustomerPassword));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, SessionsTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::identity::testing
