// Staff TOTP: enrolment, disabling, and completing a log-in that owes a second factor.

#include <algorithm>

#include "plaza/core/crypto.h"
#include "plaza/core/text.h"
#include "plaza/identity/identity_service.h"
#include "plaza/identity/totp.h"
#include "records.h"

namespace plaza::identity {

using internal::Account;

namespace {

std::string StaffTarget(std::int64_t staff_id) {
  return "staff:" + std::to_string(staff_id);
}

// People type codes as "287 082"; only the digits count.
std::string DigitsOnly(std::string_view code) {
  std::string digits;
  for (char c : code) {
    if (c != ' ') digits += c;
  }
  return digits;
}

// Checks `code` against `secret_base32` for `staff`, charging a failure to the
// member's second-factor counter and refusing a step at or before the last one
// accepted (so a code cannot be replayed within its window). Returns false for a wrong
// code: the caller commits, so the failure stays counted, and reports the error after.
Result<bool> AcceptCode(store::Transaction& tx, const Account& staff, const std::string& secret_base32,
                        std::string_view code, TimePoint now) {
  const internal::AttemptCounter counter{"second_factor", std::to_string(staff.id), kMaxSecondFactorFailures};
  PLAZA_TRY(internal::CheckAttempts(tx, staff.shop_id, std::span(&counter, 1), now));
  const auto secret = text::Base32Decode(secret_base32);
  if (!secret) return Error::Internal("a stored TOTP secret is not base32");
  const std::optional<std::int64_t> step = totp::MatchStep(*secret, DigitsOnly(code), now);
  if (!step || *step <= staff.totp_last_step) {
    PLAZA_TRY(internal::RecordAttempt(tx, staff.shop_id, counter, now));
    return false;
  }
  PLAZA_TRY(tx.Execute("UPDATE staff_users SET totp_last_step = ? WHERE shop_id = ? AND id = ?",
                       {*step, staff.shop_id, staff.id}));
  PLAZA_TRY(internal::ClearAttempts(tx, staff.shop_id, counter.scope, counter.subject));
  return true;
}

Result<Account> LoadSelf(store::Transaction& tx, const Principal& principal) {
  PLAZA_ASSIGN_OR_RETURN(auto staff,
                         internal::LoadAccountById(tx, AccountKind::kStaff, principal.shop_id, principal.user_id));
  if (!staff || staff->disabled) return internal::SessionInvalid();
  return std::move(*staff);
}

// Replaces the session `principal` came with by a fresh active one: a new token and
// CSRF token at the moment the session gains power, so a token seen before cannot ride
// along. kUnauthenticated when the old session has already ended.
Result<NewSession> UpgradeSession(store::Transaction& tx, const Principal& principal, const Account& staff,
                                  TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(auto deleted, tx.Execute("DELETE FROM sessions WHERE shop_id = ? AND id = ?"
                                                  " AND absolute_expires_at > ?",
                                                  {principal.shop_id, principal.session_id, ToUnixMillis(now)}));
  if (deleted.affected_rows != 1) return internal::SessionInvalid();
  PLAZA_ASSIGN_OR_RETURN(NewSession session, internal::InsertSession(tx, now, staff, AuthState::kActive, principal.ip));
  boost::json::object details;
  details["state"] = internal::StateName(AuthState::kActive);
  details["second_factor"] = true;
  PLAZA_TRY(AppendAudit(
      tx, AuditBy(session.principal, "staff.logged_in", StaffTarget(staff.id), internal::Serialize(details), now)));
  return session;
}

}  // namespace

Result<TotpEnrolment> IdentityService::BeginTotpEnrolment(const Principal& principal) {
  PLAZA_TRY(internal::RequireStaffSession(principal, /*allow_enrolment=*/true));
  return db_.Write([&](store::Transaction& tx) -> Result<TotpEnrolment> {
    PLAZA_ASSIGN_OR_RETURN(Account staff, LoadSelf(tx, principal));
    if (staff.totp_enabled) {
      return Error::Conflict("identity/totp-already-enabled", "two-factor authentication is already on");
    }
    PLAZA_ASSIGN_OR_RETURN(auto shop, internal::LoadShop(tx, principal.shop_id));
    if (!shop) return Error::NotFound("no such shop");
    TotpEnrolment enrolment;
    enrolment.secret_base32 = text::Base32Encode(crypto::RandomBytes(totp::kSecretBytes));
    enrolment.otpauth_uri = totp::OtpAuthUri(shop->name, staff.email, enrolment.secret_base32);
    PLAZA_TRY(tx.Execute("UPDATE staff_users SET totp_pending_secret = ? WHERE shop_id = ? AND id = ?",
                         {enrolment.secret_base32, principal.shop_id, principal.user_id}));
    return enrolment;
  });
}

Result<std::optional<NewSession>> IdentityService::ConfirmTotpEnrolment(const Principal& principal,
                                                                        std::string_view code) {
  PLAZA_TRY(internal::RequireStaffSession(principal, /*allow_enrolment=*/true));
  const TimePoint now = clock_.Now();
  struct Outcome {
    bool accepted = false;
    std::optional<NewSession> session;
  };
  PLAZA_ASSIGN_OR_RETURN(Outcome outcome, db_.Write([&](store::Transaction& tx) -> Result<Outcome> {
    PLAZA_ASSIGN_OR_RETURN(Account staff, LoadSelf(tx, principal));
    if (staff.totp_enabled) {
      return Error::Conflict("identity/totp-already-enabled", "two-factor authentication is already on");
    }
    if (!staff.totp_pending_secret) {
      return Error::Conflict("identity/totp-not-started", "start setting up two-factor authentication first");
    }
    Outcome result;
    PLAZA_ASSIGN_OR_RETURN(result.accepted, AcceptCode(tx, staff, *staff.totp_pending_secret, code, now));
    if (!result.accepted) return result;
    PLAZA_TRY(
        tx.Execute("UPDATE staff_users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL,"
                   " totp_enabled = 1 WHERE shop_id = ? AND id = ?",
                   {principal.shop_id, principal.user_id}));
    PLAZA_TRY(AppendAudit(tx, AuditBy(principal, "staff.totp_enabled", StaffTarget(staff.id), "{}", now)));
    if (principal.state == AuthState::kEnrolmentRequired) {
      staff.totp_enabled = true;
      PLAZA_ASSIGN_OR_RETURN(result.session, UpgradeSession(tx, principal, staff, now));
    }
    return result;
  }));
  if (!outcome.accepted) {
    return Error::Invalid("auth/totp-invalid", "the code is not right; enter the one your app shows now", "/code");
  }
  return std::move(outcome.session);
}

Status IdentityService::DisableTotp(const Principal& principal, std::string_view code) {
  PLAZA_TRY(internal::RequireStaffSession(principal, /*allow_enrolment=*/false));
  const TimePoint now = clock_.Now();
  PLAZA_ASSIGN_OR_RETURN(const bool accepted, db_.Write([&](store::Transaction& tx) -> Result<bool> {
    PLAZA_ASSIGN_OR_RETURN(auto shop, internal::LoadShop(tx, principal.shop_id));
    if (!shop) return Error::NotFound("no such shop");
    if (shop->settings.require_staff_2fa) {
      return Error::Conflict("identity/totp-required", "this shop requires two-factor authentication");
    }
    PLAZA_ASSIGN_OR_RETURN(Account staff, LoadSelf(tx, principal));
    if (!staff.totp_enabled || !staff.totp_secret) {
      return Error::Conflict("identity/totp-not-enabled", "two-factor authentication is not on");
    }
    PLAZA_ASSIGN_OR_RETURN(const bool ok, AcceptCode(tx, staff, *staff.totp_secret, code, now));
    if (!ok) return false;
    PLAZA_TRY(
        tx.Execute("UPDATE staff_users SET totp_enabled = 0, totp_secret = NULL, totp_pending_secret = NULL"
                   " WHERE shop_id = ? AND id = ?",
                   {principal.shop_id, principal.user_id}));
    PLAZA_TRY(AppendAudit(tx, AuditBy(principal, "staff.totp_disabled", StaffTarget(staff.id), "{}", now)));
    return true;
  }));
  if (!accepted) {
    return Error::Invalid("auth/totp-invalid", "the code is not right; enter the one your app shows now", "/code");
  }
  return Ok();
}

Result<NewSession> IdentityService::VerifySecondFactor(const Principal& pending, std::string_view code) {
  if (pending.kind != PrincipalKind::kStaff || pending.state != AuthState::kSecondFactorPending) {
    return Error::Conflict("auth/second-factor-not-pending", "this session does not owe a second factor");
  }
  const TimePoint now = clock_.Now();
  PLAZA_ASSIGN_OR_RETURN(
      std::optional<NewSession> session, db_.Write([&](store::Transaction& tx) -> Result<std::optional<NewSession>> {
        PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT state FROM sessions WHERE shop_id = ? AND id = ?"
                                                     " AND absolute_expires_at > ?",
                                                     {pending.shop_id, pending.session_id, ToUnixMillis(now)}));
        if (!row || internal::ParseState(row->Text(0)) != AuthState::kSecondFactorPending) {
          return internal::SessionInvalid();
        }
        PLAZA_ASSIGN_OR_RETURN(Account staff, LoadSelf(tx, pending));
        // The factor may have been reset by a manager since the password was accepted.
        if (!staff.totp_enabled || !staff.totp_secret) return internal::SessionInvalid();
        PLAZA_ASSIGN_OR_RETURN(const bool accepted, AcceptCode(tx, staff, *staff.totp_secret, code, now));
        if (!accepted) return std::optional<NewSession>();
        PLAZA_ASSIGN_OR_RETURN(NewSession upgraded, UpgradeSession(tx, pending, staff, now));
        return std::optional<NewSession>(std::move(upgraded));
      }));
  if (!session) return Error::Unauthenticated("auth/totp-invalid", "the code is not right or was already used");
  return std::move(*session);
}

}  // namespace plaza::identity
