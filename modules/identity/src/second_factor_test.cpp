#include <gtest/gtest.h>

#include "identity_test_support.h"

namespace plaza::identity::testing {
namespace {

class SecondFactorTest : public IdentityTest {
 protected:
  // Logs the owner in and turns TOTP on; returns the secret.
  std::string EnrolOwner(const CreatedShop& shop) {
    auto session = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
    EXPECT_TRUE(session.ok());
    if (!session.ok()) return {};
    auto enrolment = service_.BeginTotpEnrolment(session->principal);
    EXPECT_TRUE(enrolment.ok());
    if (!enrolment.ok()) return {};
    auto confirmed = service_.ConfirmTotpEnrolment(session->principal, CodeNow(enrolment->secret_base32));
    EXPECT_TRUE(confirmed.ok()) << confirmed.error().detail;
    EXPECT_FALSE(confirmed.ok() && confirmed->has_value());  // an active session needs no new one
    return enrolment->secret_base32;
  }
};

TEST_P(SecondFactorTest, EnrolmentGivesAnAuthenticatorUri) {
  const CreatedShop shop = MakeShop("north-wind");
  auto session = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(session);
  auto enrolment = service_.BeginTotpEnrolment(session->principal);
  PLAZA_ASSERT_OK(enrolment);
  EXPECT_EQ(text::Base32Decode(enrolment->secret_base32)->size(), totp::kSecretBytes);
  EXPECT_EQ(enrolment->otpauth_uri,
            "otpauth://totp/Shop%20north-wind:owner%40north-wind.example?secret=" + enrolment->secret_base32 +
                "&issuer=Shop%20north-wind&algorithm=SHA1&digits=6&period=30");
  const auto wrong = service_.ConfirmTotpEnrolment(session->principal, "000000");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().type, "auth/totp-invalid");
  EXPECT_FALSE(service_.GetStaff(session->principal, shop.shop.id, shop.owner.id)->totp_enabled);
}

TEST_P(SecondFactorTest, LogInOwesTheCodeAndAuthorisesNothingUntilThen) {
  const CreatedShop shop = MakeShop("north-wind");
  const std::string secret = EnrolOwner(shop);
  clock_.Advance(std::chrono::seconds(totp::kStepSeconds));

  auto pending = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(pending);
  EXPECT_EQ(pending->principal.state, AuthState::kSecondFactorPending);
  EXPECT_EQ(pending->principal.expires_at, clock_.Now() + kPendingSessionLifetime);
  auto resolved = service_.ResolveSession(pending->token, "");
  PLAZA_ASSERT_OK(resolved);
  EXPECT_EQ(resolved->state, AuthState::kSecondFactorPending);
  for (Permission permission : AllPermissions()) {
    EXPECT_EQ(Authorize(*resolved, shop.shop.id, permission).error().type, "auth/second-factor-required");
  }
  EXPECT_FALSE(service_.ListStaff(*resolved, shop.shop.id).ok());
  EXPECT_FALSE(service_.ListAudit(*resolved, shop.shop.id, std::nullopt, 10).ok());
  EXPECT_FALSE(service_.CreateApiToken(*resolved, shop.shop.id, {.name = "x", .scopes = {"audit:read"}}).ok());
  EXPECT_FALSE(service_.BeginTotpEnrolment(*resolved).ok());
  EXPECT_FALSE(service_.RevokeAllSessions(*resolved).ok());
  EXPECT_FALSE(service_.ChangeOwnPassword(*resolved, kOwnerPassword, kOtherPassword).ok());
  EXPECT_FALSE(service_.GetStaff(*resolved, shop.shop.id, shop.owner.id).ok());

  auto upgraded = service_.VerifySecondFactor(*resolved, CodeNow(secret));
  PLAZA_ASSERT_OK(upgraded);
  EXPECT_EQ(upgraded->principal.state, AuthState::kActive);
  EXPECT_NE(upgraded->token, pending->token);
  EXPECT_NE(upgraded->principal.csrf_token, pending->principal.csrf_token);
  EXPECT_FALSE(service_.ResolveSession(pending->token, "").ok());
  auto active = service_.ResolveSession(upgraded->token, "");
  PLAZA_ASSERT_OK(active);
  PLAZA_ASSERT_OK(Authorize(*active, shop.shop.id, Permission::kShopManage));
}

TEST_P(SecondFactorTest, ACodeCannotBeUsedTwice) {
  const CreatedShop shop = MakeShop("north-wind");
  const std::string secret = EnrolOwner(shop);
  // The enrolment code itself cannot complete a log-in within its window.
  const std::string enrolment_code = CodeNow(secret);
  auto pending = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(pending);
  const auto replayed = service_.VerifySecondFactor(pending->principal, enrolment_code);
  ASSERT_FALSE(replayed.ok());
  EXPECT_EQ(replayed.error().type, "auth/totp-invalid");

  clock_.Advance(std::chrono::seconds(totp::kStepSeconds));
  const std::string code = CodeNow(secret);
  PLAZA_ASSERT_OK(service_.VerifySecondFactor(pending->principal, code));

  // A second log-in in the same step cannot reuse the code another one just used.
  auto other = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(other);
  EXPECT_FALSE(service_.VerifySecondFactor(other->principal, code).ok());
  // Nor may a code from before it.
  EXPECT_FALSE(service_.VerifySecondFactor(other->principal, enrolment_code).ok());
}

TEST_P(SecondFactorTest, WrongCodesAreRateLimited) {
  const CreatedShop shop = MakeShop("north-wind");
  const std::string secret = EnrolOwner(shop);
  clock_.Advance(std::chrono::seconds(totp::kStepSeconds));
  auto pending = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(pending);
  const std::string right = CodeNow(secret);
  const std::string wrong = right == "000000" ? "111111" : "000000";
  for (int attempt = 0; attempt < kMaxSecondFactorFailures; ++attempt) {
    EXPECT_EQ(service_.VerifySecondFactor(pending->principal, wrong).error().type, "auth/totp-invalid");
  }
  const auto limited = service_.VerifySecondFactor(pending->principal, right);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
}

TEST_P(SecondFactorTest, AShopRequiringTwoFactorForcesEnrolment) {
  const CreatedShop shop = MakeShop("north-wind");
  PLAZA_ASSERT_OK(service_.UpdateShopSettings(StaffPrincipal(shop.owner), shop.shop.id, {.require_staff_2fa = true}));
  auto pending = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(pending);
  const Principal& principal = pending->principal;
  EXPECT_EQ(principal.state, AuthState::kEnrolmentRequired);
  EXPECT_EQ(Authorize(principal, shop.shop.id, Permission::kCatalogRead).error().type,
            "auth/second-factor-enrolment-required");
  // No code is owed yet, so there is nothing to verify.
  EXPECT_FALSE(service_.VerifySecondFactor(principal, "123456").ok());

  auto enrolment = service_.BeginTotpEnrolment(principal);
  PLAZA_ASSERT_OK(enrolment);
  auto confirmed = service_.ConfirmTotpEnrolment(principal, CodeNow(enrolment->secret_base32));
  PLAZA_ASSERT_OK(confirmed);
  ASSERT_TRUE(confirmed->has_value());
  EXPECT_EQ((*confirmed)->principal.state, AuthState::kActive);
  EXPECT_FALSE(service_.ResolveSession(pending->token, "").ok());
  auto active = service_.ResolveSession((*confirmed)->token, "");
  PLAZA_ASSERT_OK(active);
  PLAZA_ASSERT_OK(Authorize(*active, shop.shop.id, Permission::kCatalogRead));

  // Turning it off is refused while the shop requires it.
  clock_.Advance(std::chrono::seconds(totp::kStepSeconds));
  EXPECT_EQ(service_.DisableTotp(*active, CodeNow(enrolment->secret_base32)).error().type, "identity/totp-required");
}

TEST_P(SecondFactorTest, DisableAndManagerReset) {
  const CreatedShop shop = MakeShop("north-wind");
  const std::string secret = EnrolOwner(shop);
  const StaffMember admin = MakeStaff(shop, "admin@x.example", {Role::kAdmin});
  // An admin cannot reset an owner's factor; another owner could.
  EXPECT_EQ(service_.ResetStaffTotp(StaffPrincipal(admin), shop.shop.id, shop.owner.id).error().code,
            ErrorCode::kPermissionDenied);

  clock_.Advance(std::chrono::seconds(totp::kStepSeconds));
  auto pending = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(pending);
  auto session = service_.VerifySecondFactor(pending->principal, CodeNow(secret));
  PLAZA_ASSERT_OK(session);
  EXPECT_EQ(service_.DisableTotp(session->principal, "000000").error().type, "auth/totp-invalid");
  clock_.Advance(std::chrono::seconds(totp::kStepSeconds));
  PLAZA_ASSERT_OK(service_.DisableTotp(session->principal, CodeNow(secret)));
  auto plain = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(plain);
  EXPECT_EQ(plain->principal.state, AuthState::kActive);
  EXPECT_EQ(
      CountRows("SELECT COUNT(*) FROM audit_log WHERE action IN ('staff.totp_enabled', 'staff.totp_disabled')", {}), 2);
}

TEST_P(SecondFactorTest, AResetFactorEndsSessionsAndPendingLogIns) {
  const CreatedShop shop = MakeShop("north-wind");
  auto co_owner = service_.CreateStaff(StaffPrincipal(shop.owner), shop.shop.id,
                                       {.email = "co@x.example", .name = "Co", .roles = {Role::kOwner}});
  PLAZA_ASSERT_OK(co_owner);
  const std::string secret = EnrolOwner(shop);
  auto pending = service_.LogInStaff(Credentials(shop.shop.id, shop.owner.email, kOwnerPassword));
  PLAZA_ASSERT_OK(pending);
  PLAZA_ASSERT_OK(service_.ResetStaffTotp(StaffPrincipal(co_owner->staff), shop.shop.id, shop.owner.id));
  EXPECT_FALSE(service_.ResolveSession(pending->token, "").ok());
  EXPECT_FALSE(service_.GetStaff(StaffPrincipal(shop.owner), shop.shop.id, shop.owner.id)->totp_enabled);
}

INSTANTIATE_TEST_SUITE_P(Backends, SecondFactorTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::identity::testing
