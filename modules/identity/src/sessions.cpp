// Log-in, sessions, password changes and password reset.

#include <functional>
#include <utility>

#include "plaza/core/crypto.h"
#include "plaza/identity/identity_service.h"
#include "plaza/identity/passwords.h"
#include "records.h"

namespace plaza::identity {

using internal::Account;
using internal::AttemptCounter;

namespace {

// A session's idle expiry is pushed forward at most this often: renewing on every
// request would turn every read into a write, and a minute is nothing against hours.
constexpr std::chrono::milliseconds kSessionTouchInterval = std::chrono::minutes(1);

// The counters a password attempt on `email` from `ip` is charged to.
std::vector<AttemptCounter> PasswordCounters(AccountKind kind, const std::string& email, std::string_view ip) {
  std::vector<AttemptCounter> counters = {{internal::AccountKindName(kind), email, kMaxFailuresPerAccount}};
  if (!ip.empty()) counters.push_back({"ip", std::string(ip), kMaxFailuresPerIp});
  return counters;
}

// The attempts charged before a password check; a correct password takes them back.
struct ChargedAttempts {
  std::int64_t shop_id = 0;
  std::vector<AttemptCounter> counters;
  std::optional<std::int64_t> ip_attempt_id;
};

// Refuses when a counter is full, else counts one attempt on each counter. Attempts
// are counted before the password is checked, in the same transaction as the check
// of the limit, so parallel guesses from several processes cannot all slip under it.
Result<ChargedAttempts> ChargeAttempts(store::Transaction& tx, std::int64_t shop_id,
                                       std::vector<AttemptCounter> counters, TimePoint now) {
  PLAZA_TRY(internal::CheckAttempts(tx, shop_id, counters, now));
  ChargedAttempts charged{shop_id, std::move(counters), std::nullopt};
  for (const AttemptCounter& counter : charged.counters) {
    PLAZA_ASSIGN_OR_RETURN(const std::int64_t attempt_id, internal::RecordAttempt(tx, shop_id, counter, now));
    if (counter.scope == "ip") charged.ip_attempt_id = attempt_id;
  }
  return charged;
}

// After a correct password: the account's counter starts afresh, and this attempt no
// longer counts against the address. Earlier failures from the address still do, so
// an attacker holding one valid account cannot use it to reset the per-IP limit.
Status RefundAttempts(store::Transaction& tx, const ChargedAttempts& charged) {
  PLAZA_TRY(
      internal::ClearAttempts(tx, charged.shop_id, charged.counters.front().scope, charged.counters.front().subject));
  if (charged.ip_attempt_id) PLAZA_TRY(internal::DeleteAttempt(tx, charged.shop_id, *charged.ip_attempt_id));
  return Ok();
}

AuthState StateAfterPassword(const Account& account, const Shop& shop) {
  if (account.kind != AccountKind::kStaff) return AuthState::kActive;
  if (account.totp_enabled) return AuthState::kSecondFactorPending;
  if (shop.settings.require_staff_2fa) return AuthState::kEnrolmentRequired;
  return AuthState::kActive;
}

struct PasswordCheck {
  ChargedAttempts charged;
  std::optional<Account> account;
};

Result<NewSession> LogInAccount(store::Database& db, const Clock& clock, AccountKind kind, const LogIn& request,
                                const std::function<const std::string&()>& dummy_hash) {
  auto email = NormalizeEmail(request.email);
  // Malformed input says nothing about which accounts exist, so it is refused without
  // hashing; over-long passwords are refused before they cost any work.
  if (!email.ok() || request.password.size() > kMaxPasswordBytes) return internal::InvalidCredentials();
  const TimePoint now = clock.Now();
  PLAZA_ASSIGN_OR_RETURN(PasswordCheck check, db.Write([&](store::Transaction& tx) -> Result<PasswordCheck> {
    PLAZA_ASSIGN_OR_RETURN(auto shop, internal::LoadShop(tx, request.shop_id));
    if (!shop) return Error::NotFound("no such shop");
    PasswordCheck result;
    PLAZA_ASSIGN_OR_RETURN(result.charged,
                           ChargeAttempts(tx, request.shop_id, PasswordCounters(kind, *email, request.ip), now));
    PLAZA_ASSIGN_OR_RETURN(result.account, internal::LoadAccountByEmail(tx, kind, request.shop_id, *email));
    return result;
  }));

  const std::optional<Account>& account = check.account;
  const bool can_log_in = account && account->password_hash && !account->disabled;
  if (!can_log_in) {
    // The same Argon2id work as for a real account, so the response time does not
    // reveal whether the email has one. The result is irrelevant: it cannot match.
    (void)crypto::VerifyPassword(request.password, dummy_hash());
    return internal::InvalidCredentials();
  }
  if (!crypto::VerifyPassword(request.password, *account->password_hash)) return internal::InvalidCredentials();

  return db.Write([&](store::Transaction& tx) -> Result<NewSession> {
    // Read again: the account may have been disabled while its password was checked.
    PLAZA_ASSIGN_OR_RETURN(auto fresh, internal::LoadAccountById(tx, kind, request.shop_id, account->id));
    if (!fresh || fresh->disabled) return internal::InvalidCredentials();
    PLAZA_ASSIGN_OR_RETURN(auto shop, internal::LoadShop(tx, request.shop_id));
    if (!shop) return Error::NotFound("no such shop");
    PLAZA_TRY(RefundAttempts(tx, check.charged));
    const AuthState state = StateAfterPassword(*fresh, *shop);
    PLAZA_ASSIGN_OR_RETURN(NewSession session, internal::InsertSession(tx, now, *fresh, state, request.ip));
    if (kind == AccountKind::kStaff) {
      boost::json::object details;
      details["state"] = internal::StateName(state);
      PLAZA_TRY(AppendAudit(tx, AuditBy(session.principal, "staff.logged_in", "staff:" + std::to_string(fresh->id),
                                        internal::Serialize(details), now)));
    }
    return session;
  });
}

AccountKind KindOf(const Principal& principal) {
  return principal.kind == PrincipalKind::kStaff ? AccountKind::kStaff : AccountKind::kCustomer;
}

// Sessions and accounts both reject an API token; password changes also need a
// completed log-in.
Status RequireActiveSession(const Principal& principal) {
  if (principal.kind == PrincipalKind::kApiToken) return internal::NotASession();
  if (principal.state != AuthState::kActive) {
    return Error::Unauthenticated("auth/second-factor-required", "finish signing in first");
  }
  return Ok();
}

Error ResetTokenInvalid() {
  return Error::Unauthenticated("auth/reset-token-invalid",
                                "the link has expired or was already used; ask for a new one");
}

struct ResetTarget {
  std::int64_t token_id = 0;
  std::string purpose;
  Account account;
};

}  // namespace

Result<NewSession> IdentityService::LogInStaff(const LogIn& request) {
  return LogInAccount(db_, clock_, AccountKind::kStaff, request,
                      [this]() -> const std::string& { return DummyHash(); });
}

Result<NewSession> IdentityService::LogInCustomer(const LogIn& request) {
  return LogInAccount(db_, clock_, AccountKind::kCustomer, request,
                      [this]() -> const std::string& { return DummyHash(); });
}

Result<Principal> IdentityService::ResolveSession(std::string_view token, std::string_view ip) {
  const std::optional<std::int64_t> shop_id = internal::ShopOfToken(token);
  if (!shop_id) return internal::SessionInvalid();
  const TimePoint now = clock_.Now();
  struct Resolved {
    Principal principal;
    TimePoint last_seen_at{};
    TimePoint absolute_expires_at{};
  };
  PLAZA_ASSIGN_OR_RETURN(Resolved resolved, db_.Read([&](store::Transaction& tx) -> Result<Resolved> {
    PLAZA_ASSIGN_OR_RETURN(auto row,
                           tx.QueryOne("SELECT id, kind, user_id, csrf_token, state, last_seen_at, idle_expires_at,"
                                       " absolute_expires_at FROM sessions WHERE shop_id = ? AND token_hash = ?",
                                       {*shop_id, internal::TokenHash(token)}));
    if (!row) return internal::SessionInvalid();
    const TimePoint idle_expires_at = FromUnixMillis(row->Int(6));
    const TimePoint absolute_expires_at = FromUnixMillis(row->Int(7));
    if (now >= idle_expires_at || now >= absolute_expires_at) return internal::SessionInvalid();
    const AccountKind kind = row->Text(1) == "staff" ? AccountKind::kStaff : AccountKind::kCustomer;
    PLAZA_ASSIGN_OR_RETURN(auto account, internal::LoadAccountById(tx, kind, *shop_id, row->Int(2)));
    // Disabling ends sessions in the same transaction; this guards rows written by a
    // process that had not yet seen the change.
    if (!account || account->disabled) return internal::SessionInvalid();
    Resolved out;
    Principal& principal = out.principal;
    principal.kind = kind == AccountKind::kStaff ? PrincipalKind::kStaff : PrincipalKind::kCustomer;
    principal.shop_id = *shop_id;
    principal.user_id = account->id;
    principal.roles = account->roles;
    principal.session_id = row->Int(0);
    principal.csrf_token = row->Text(3);
    principal.state = internal::ParseState(row->Text(4));
    principal.expires_at = std::min(idle_expires_at, absolute_expires_at);
    principal.ip = std::string(ip);
    out.last_seen_at = FromUnixMillis(row->Int(5));
    out.absolute_expires_at = absolute_expires_at;
    return out;
  }));

  Principal& principal = resolved.principal;
  if (principal.state == AuthState::kActive && now - resolved.last_seen_at >= kSessionTouchInterval) {
    const SessionLifetime lifetime =
        internal::LifetimeOf(principal.kind == PrincipalKind::kStaff ? AccountKind::kStaff : AccountKind::kCustomer);
    const TimePoint idle_expires_at = std::min(now + lifetime.idle, resolved.absolute_expires_at);
    const Status touched = db_.Write([&](store::Transaction& tx) -> Status {
      PLAZA_TRY(
          tx.Execute("UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE shop_id = ? AND id = ?",
                     {ToUnixMillis(now), ToUnixMillis(idle_expires_at), principal.shop_id, principal.session_id}));
      return Ok();
    });
    // A failed renewal only means the session may end a little sooner; the request
    // itself is authenticated, so it goes on.
    if (touched.ok()) principal.expires_at = idle_expires_at;
  }
  return std::move(principal);
}

Status IdentityService::LogOut(const Principal& principal) {
  if (principal.kind == PrincipalKind::kApiToken) return internal::NotASession();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(
        tx.Execute("DELETE FROM sessions WHERE shop_id = ? AND id = ?", {principal.shop_id, principal.session_id}));
    return Ok();
  });
}

Status IdentityService::RevokeAllSessions(const Principal& principal) {
  // Only a completed log-in may do this, or a stolen password alone (owing its second
  // factor) could sign the real owner out everywhere.
  PLAZA_TRY(RequireActiveSession(principal));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(internal::DeleteSessionsOf(tx, KindOf(principal), principal.shop_id, principal.user_id));
    if (principal.kind == PrincipalKind::kStaff) {
      PLAZA_TRY(AppendAudit(
          tx, AuditBy(principal, "staff.sessions_revoked", "staff:" + std::to_string(principal.user_id), "{}", now)));
    }
    return Ok();
  });
}

Status IdentityService::ChangeOwnPassword(const Principal& principal, std::string_view current_password,
                                          std::string_view new_password) {
  PLAZA_TRY(RequireActiveSession(principal));
  if (current_password.size() > kMaxPasswordBytes) return internal::InvalidCredentials();
  const AccountKind kind = KindOf(principal);
  const TimePoint now = clock_.Now();
  PLAZA_ASSIGN_OR_RETURN(PasswordCheck check, db_.Write([&](store::Transaction& tx) -> Result<PasswordCheck> {
    PasswordCheck result;
    PLAZA_ASSIGN_OR_RETURN(result.account, internal::LoadAccountById(tx, kind, principal.shop_id, principal.user_id));
    if (!result.account || result.account->disabled) return internal::SessionInvalid();
    // The new password is checked before any attempt is charged: a weak choice is a
    // typo to fix, not a guess.
    PLAZA_TRY(CheckPasswordPolicy(new_password, result.account->email));
    PLAZA_ASSIGN_OR_RETURN(
        result.charged,
        ChargeAttempts(tx, principal.shop_id, PasswordCounters(kind, result.account->email, principal.ip), now));
    return result;
  }));
  const Account& account = *check.account;
  if (!account.password_hash || !crypto::VerifyPassword(current_password, *account.password_hash)) {
    return internal::InvalidCredentials();
  }
  PLAZA_ASSIGN_OR_RETURN(const std::string new_hash, crypto::HashPassword(new_password));
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(RefundAttempts(tx, check.charged));
    const std::string table = kind == AccountKind::kStaff ? "staff_users" : "customers";
    PLAZA_TRY(tx.Execute("UPDATE " + table + " SET password_hash = ? WHERE shop_id = ? AND id = ?",
                         {new_hash, principal.shop_id, principal.user_id}));
    // Whoever may have learnt the old password loses their sessions; this one stays.
    PLAZA_TRY(internal::DeleteSessionsOf(tx, kind, principal.shop_id, principal.user_id, principal.session_id));
    PLAZA_TRY(internal::SpendResetTokensOf(tx, kind, principal.shop_id, principal.user_id, now));
    if (kind == AccountKind::kStaff) {
      PLAZA_TRY(AppendAudit(
          tx, AuditBy(principal, "staff.password_changed", "staff:" + std::to_string(principal.user_id), "{}", now)));
    }
    return Ok();
  });
}

Result<std::optional<PasswordResetTicket>> IdentityService::RequestPasswordReset(AccountKind kind, std::int64_t shop_id,
                                                                                 std::string_view email,
                                                                                 std::string_view ip) {
  PLAZA_ASSIGN_OR_RETURN(const std::string normalized, NormalizeEmail(email));
  const TimePoint now = clock_.Now();
  using MaybeTicket = std::optional<PasswordResetTicket>;
  return db_.Write([&](store::Transaction& tx) -> Result<MaybeTicket> {
    PLAZA_ASSIGN_OR_RETURN(auto shop, internal::LoadShop(tx, shop_id));
    if (!shop) return Error::NotFound("no such shop");
    PLAZA_ASSIGN_OR_RETURN(auto account, internal::LoadAccountByEmail(tx, kind, shop_id, normalized));
    if (!account || account->disabled) return MaybeTicket();
    PLAZA_ASSIGN_OR_RETURN(
        auto recent,
        tx.QueryOne("SELECT COUNT(*) FROM password_reset_tokens WHERE shop_id = ? AND account_kind = ?"
                    " AND user_id = ? AND purpose = 'reset' AND created_at > ?",
                    {shop_id, internal::AccountKindName(kind), account->id, ToUnixMillis(now - kFailureWindow)}));
    // Quietly send nothing more once an account had its share of mails this window,
    // so the form cannot be used to flood someone's inbox.
    if (recent && recent->Int(0) >= kMaxFailuresPerAccount) return MaybeTicket();
    PasswordResetTicket ticket;
    ticket.token = internal::NewShopToken(shop_id);
    ticket.email = account->email;
    ticket.name = account->name;
    ticket.expires_at = now + kPasswordResetLifetime;
    PLAZA_TRY(
        tx.Execute("INSERT INTO password_reset_tokens (shop_id, token_hash, account_kind, user_id, purpose, created_at,"
                   " expires_at) VALUES (?, ?, ?, ?, 'reset', ?, ?)",
                   {shop_id, internal::TokenHash(ticket.token), internal::AccountKindName(kind), account->id,
                    ToUnixMillis(now), ToUnixMillis(ticket.expires_at)}));
    if (kind == AccountKind::kStaff) {
      // Anyone can ask, so the actor is unknown; the address tells an owner where
      // unexpected requests came from.
      AuditEntry entry;
      entry.shop_id = shop_id;
      entry.actor = "anonymous";
      entry.action = "staff.password_reset_requested";
      entry.target = "staff:" + std::to_string(account->id);
      entry.details_json = "{}";
      entry.ip = std::string(ip);
      entry.at = now;
      PLAZA_TRY(AppendAudit(tx, entry));
    }
    return MaybeTicket(std::move(ticket));
  });
}

Status IdentityService::ConsumePasswordReset(std::string_view token, std::string_view new_password,
                                             std::string_view ip) {
  const std::optional<std::int64_t> shop_id = internal::ShopOfToken(token);
  if (!shop_id) return ResetTokenInvalid();
  const std::string token_hash = internal::TokenHash(token);
  const TimePoint now = clock_.Now();
  PLAZA_ASSIGN_OR_RETURN(ResetTarget target, db_.Read([&](store::Transaction& tx) -> Result<ResetTarget> {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, account_kind, user_id, purpose, expires_at, used_at"
                                                 " FROM password_reset_tokens WHERE shop_id = ? AND token_hash = ?",
                                                 {*shop_id, token_hash}));
    if (!row || !row->IsNull(5) || now >= FromUnixMillis(row->Int(4))) return ResetTokenInvalid();
    const AccountKind kind = row->Text(1) == "staff" ? AccountKind::kStaff : AccountKind::kCustomer;
    PLAZA_ASSIGN_OR_RETURN(auto account, internal::LoadAccountById(tx, kind, *shop_id, row->Int(2)));
    if (!account || account->disabled) return ResetTokenInvalid();
    return ResetTarget{row->Int(0), row->Text(3), std::move(*account)};
  }));
  PLAZA_TRY(CheckPasswordPolicy(new_password, target.account.email));
  PLAZA_ASSIGN_OR_RETURN(const std::string new_hash, crypto::HashPassword(new_password));
  const Account& account = target.account;
  return db_.Write([&](store::Transaction& tx) -> Status {
    // Spending the token is the first write and is conditional, so of two concurrent
    // uses exactly one gets past it.
    PLAZA_ASSIGN_OR_RETURN(auto spent, tx.Execute("UPDATE password_reset_tokens SET used_at = ? WHERE shop_id = ?"
                                                  " AND id = ? AND used_at IS NULL AND expires_at > ?",
                                                  {ToUnixMillis(now), *shop_id, target.token_id, ToUnixMillis(now)}));
    if (spent.affected_rows != 1) return ResetTokenInvalid();
    const std::string table = account.kind == AccountKind::kStaff ? "staff_users" : "customers";
    PLAZA_ASSIGN_OR_RETURN(auto updated,
                           tx.Execute("UPDATE " + table + " SET password_hash = ? WHERE shop_id = ? AND id = ?" +
                                          (account.kind == AccountKind::kStaff ? " AND disabled = 0" : ""),
                                      {new_hash, *shop_id, account.id}));
    if (updated.affected_rows != 1) return ResetTokenInvalid();
    PLAZA_TRY(internal::DeleteSessionsOf(tx, account.kind, *shop_id, account.id));
    PLAZA_TRY(internal::SpendResetTokensOf(tx, account.kind, *shop_id, account.id, now));
    // Proving control of the mailbox also lifts a lock-out someone else caused.
    PLAZA_TRY(internal::ClearAttempts(tx, *shop_id, internal::AccountKindName(account.kind), account.email));
    if (account.kind == AccountKind::kStaff) {
      AuditEntry entry;
      entry.shop_id = *shop_id;
      entry.actor = "staff:" + std::to_string(account.id);
      entry.action = target.purpose == "invitation" ? "staff.invitation_accepted" : "staff.password_reset";
      entry.target = entry.actor;
      entry.details_json = "{}";
      entry.ip = std::string(ip);
      entry.at = now;
      PLAZA_TRY(AppendAudit(tx, entry));
    }
    return Ok();
  });
}

}  // namespace plaza::identity
