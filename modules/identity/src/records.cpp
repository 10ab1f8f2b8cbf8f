#include "records.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "plaza/core/crypto.h"
#include "plaza/core/text.h"

namespace plaza::identity::internal {
namespace {

std::optional<std::int64_t> ParseShopId(std::string_view digits) {
  std::int64_t shop_id = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), shop_id);
  if (error != std::errc() || end != digits.data() + digits.size() || shop_id <= 0) return std::nullopt;
  return shop_id;
}

// Raw tokens arrive from outside; anything far longer than the tokens issued here is
// refused before hashing or parsing.
constexpr std::size_t kMaxTokenBytes = 128;

std::vector<std::string_view> SplitOn(std::string_view joined, char separator) {
  std::vector<std::string_view> parts;
  while (!joined.empty()) {
    const std::size_t end = joined.find(separator);
    const std::string_view part = joined.substr(0, end);
    if (!part.empty()) parts.push_back(part);
    if (end == std::string_view::npos) break;
    joined.remove_prefix(end + 1);
  }
  return parts;
}

constexpr std::string_view kStaffAccountColumns =
    "id, shop_id, email, name, password_hash, roles, disabled, totp_enabled, totp_secret, totp_pending_secret,"
    " totp_last_step, created_at";
constexpr std::string_view kCustomerAccountColumns = "id, shop_id, email, name, password_hash, created_at";

Account AccountFromRow(AccountKind kind, const store::Row& row) {
  Account account;
  account.kind = kind;
  account.id = row.Int(0);
  account.shop_id = row.Int(1);
  account.email = row.Text(2);
  account.name = row.Text(3);
  account.password_hash = row.OptionalText(4);
  if (kind == AccountKind::kStaff) {
    account.roles = SplitRoles(row.Text(5));
    account.disabled = row.Bool(6);
    account.totp_enabled = row.Bool(7);
    account.totp_secret = row.OptionalText(8);
    account.totp_pending_secret = row.OptionalText(9);
    account.totp_last_step = row.Int(10);
    account.created_at = FromUnixMillis(row.Int(11));
  } else {
    account.created_at = FromUnixMillis(row.Int(5));
  }
  return account;
}

Result<std::optional<Account>> LoadAccount(store::Transaction& tx, AccountKind kind, std::int64_t shop_id,
                                           std::string_view key_column, store::Param key) {
  const bool staff = kind == AccountKind::kStaff;
  const std::string sql = "SELECT " + std::string(staff ? kStaffAccountColumns : kCustomerAccountColumns) + " FROM " +
                          (staff ? "staff_users" : "customers") + " WHERE shop_id = ? AND " + std::string(key_column) +
                          " = ?";
  const store::Param params[] = {shop_id, std::move(key)};
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, std::span<const store::Param>(params)));
  if (!row) return std::optional<Account>();
  return std::optional<Account>(AccountFromRow(kind, *row));
}

}  // namespace

std::string NewShopToken(std::int64_t shop_id) {
  return std::to_string(shop_id) + "." + crypto::RandomToken(kTokenRandomBytes);
}

std::string NewApiTokenValue(std::int64_t shop_id) {
  return std::string(kApiTokenPrefix) + std::to_string(shop_id) + "_" + crypto::RandomToken(kTokenRandomBytes);
}

std::optional<std::int64_t> ShopOfToken(std::string_view token) {
  if (token.size() > kMaxTokenBytes) return std::nullopt;
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot + 1 == token.size()) return std::nullopt;
  return ParseShopId(token.substr(0, dot));
}

std::optional<std::int64_t> ShopOfApiToken(std::string_view token) {
  if (token.size() > kMaxTokenBytes || !token.starts_with(kApiTokenPrefix)) return std::nullopt;
  token.remove_prefix(kApiTokenPrefix.size());
  const std::size_t underscore = token.find('_');
  if (underscore == std::string_view::npos || underscore + 1 == token.size()) return std::nullopt;
  return ParseShopId(token.substr(0, underscore));
}

std::string TokenHash(std::string_view token) {
  return text::HexEncode(crypto::Sha256(token));
}

std::string JoinRoles(std::span<const Role> roles) {
  std::string joined;
  for (Role role : roles) {
    if (!joined.empty()) joined += ',';
    joined += RoleName(role);
  }
  return joined;
}

std::vector<Role> SplitRoles(std::string_view joined) {
  std::vector<Role> roles;
  // A name this build does not know (written by a newer release) grants nothing.
  for (std::string_view name : SplitOn(joined, ',')) {
    if (auto role = ParseRole(name)) roles.push_back(*role);
  }
  return roles;
}

std::string JoinScopes(std::span<const std::string> scopes) {
  std::string joined;
  for (const std::string& scope : scopes) {
    if (!joined.empty()) joined += ',';
    joined += scope;
  }
  return joined;
}

std::vector<std::string> SplitScopes(std::string_view joined) {
  std::vector<std::string> scopes;
  for (std::string_view scope : SplitOn(joined, ',')) scopes.emplace_back(scope);
  return scopes;
}

bool HasRole(std::span<const Role> roles, Role role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Result<std::vector<Role>> CanonicalRoles(std::vector<Role> roles) {
  if (roles.empty()) return Error::Invalid("validation/roles", "give the staff member at least one role", "/roles");
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

std::string_view AccountKindName(AccountKind kind) {
  return kind == AccountKind::kStaff ? "staff" : "customer";
}

std::string_view StateName(AuthState state) {
  switch (state) {
    case AuthState::kActive:
      return "active";
    case AuthState::kSecondFactorPending:
      return "second_factor_pending";
    case AuthState::kEnrolmentRequired:
      return "enrolment_required";
  }
  return "active";
}

AuthState ParseState(std::string_view name) {
  if (name == "active") return AuthState::kActive;
  if (name == "enrolment_required") return AuthState::kEnrolmentRequired;
  // Anything unexpected is treated as the most restricted state.
  return AuthState::kSecondFactorPending;
}

boost::json::array RolesJson(std::span<const Role> roles) {
  boost::json::array array;
  for (Role role : roles) array.emplace_back(RoleName(role));
  return array;
}

std::string Serialize(const boost::json::object& object) {
  return boost::json::serialize(object);
}

Error InvalidCredentials() {
  return Error::Unauthenticated("auth/invalid-credentials", "the email or password is not right");
}

Error SessionInvalid() {
  return Error::Unauthenticated("auth/session-invalid", "the session has ended; sign in again");
}

Error NotASession() {
  return Error::Invalid("auth/not-a-session", "this needs a signed-in session, not an API token");
}

bool IsUniqueViolation(const Error& error) {
  return error.type == "db/unique-violation";
}

Shop ShopFromRow(const store::Row& row) {
  Shop shop;
  shop.id = row.Int(0);
  shop.handle = row.Text(1);
  shop.name = row.Text(2);
  shop.settings.require_staff_2fa = row.Bool(3);
  shop.created_at = FromUnixMillis(row.Int(4));
  return shop;
}

Result<std::optional<Account>> LoadAccountByEmail(store::Transaction& tx, AccountKind kind, std::int64_t shop_id,
                                                  std::string_view email) {
  return LoadAccount(tx, kind, shop_id, "email", email);
}

Result<std::optional<Account>> LoadAccountById(store::Transaction& tx, AccountKind kind, std::int64_t shop_id,
                                               std::int64_t id) {
  return LoadAccount(tx, kind, shop_id, "id", id);
}

Result<std::vector<Account>> LoadShopStaff(store::Transaction& tx, std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT " + std::string(kStaffAccountColumns) +
                                                     " FROM staff_users WHERE shop_id = ? ORDER BY id",
                                                 {shop_id}));
  std::vector<Account> staff;
  for (const store::Row& row : result.rows) staff.push_back(AccountFromRow(AccountKind::kStaff, row));
  return staff;
}

StaffMember StaffFromAccount(const Account& account) {
  StaffMember staff;
  staff.id = account.id;
  staff.shop_id = account.shop_id;
  staff.email = account.email;
  staff.name = account.name;
  staff.roles = account.roles;
  staff.totp_enabled = account.totp_enabled;
  staff.disabled = account.disabled;
  staff.has_password = account.password_hash.has_value();
  staff.created_at = account.created_at;
  return staff;
}

Customer CustomerFromAccount(const Account& account) {
  Customer customer;
  customer.id = account.id;
  customer.shop_id = account.shop_id;
  customer.email = account.email;
  customer.name = account.name;
  customer.created_at = account.created_at;
  return customer;
}

Result<std::optional<Shop>> LoadShop(store::Transaction& tx, std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT " + std::string(kShopColumns) + " FROM shops WHERE id = ?", {shop_id}));
  if (!row) return std::optional<Shop>();
  return std::optional<Shop>(ShopFromRow(*row));
}

SessionLifetime LifetimeOf(AccountKind kind) {
  return kind == AccountKind::kStaff ? kStaffSessionLifetime : kCustomerSessionLifetime;
}

Result<NewSession> InsertSession(store::Transaction& tx, TimePoint now, const Account& account, AuthState state,
                                 std::string_view ip) {
  const SessionLifetime lifetime = LifetimeOf(account.kind);
  const bool active = state == AuthState::kActive;
  const TimePoint idle_expires_at = now + (active ? lifetime.idle : kPendingSessionLifetime);
  const TimePoint absolute_expires_at = now + (active ? lifetime.absolute : kPendingSessionLifetime);
  NewSession session;
  session.token = NewShopToken(account.shop_id);
  Principal& principal = session.principal;
  principal.kind = account.kind == AccountKind::kStaff ? PrincipalKind::kStaff : PrincipalKind::kCustomer;
  principal.shop_id = account.shop_id;
  principal.user_id = account.id;
  principal.roles = account.roles;
  principal.csrf_token = crypto::RandomToken(kTokenRandomBytes);
  principal.state = state;
  principal.expires_at = std::min(idle_expires_at, absolute_expires_at);
  principal.ip = std::string(ip);
  // Expired sessions of this account are removed whenever it opens a new one, which
  // bounds how many rows one account can accumulate without a sweeper.
  PLAZA_TRY(
      tx.Execute("DELETE FROM sessions WHERE shop_id = ? AND kind = ? AND user_id = ?"
                 " AND (idle_expires_at <= ? OR absolute_expires_at <= ?)",
                 {account.shop_id, AccountKindName(account.kind), account.id, ToUnixMillis(now), ToUnixMillis(now)}));
  PLAZA_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne("INSERT INTO sessions (shop_id, token_hash, kind, user_id, csrf_token, state, created_at,"
                  " last_seen_at, idle_expires_at, absolute_expires_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                  " RETURNING id",
                  {account.shop_id, TokenHash(session.token), AccountKindName(account.kind), account.id,
                   principal.csrf_token, StateName(state), ToUnixMillis(now), ToUnixMillis(now),
                   ToUnixMillis(idle_expires_at), ToUnixMillis(absolute_expires_at), ip}));
  if (!row) return Error::Internal("the session was not inserted");
  principal.session_id = row->Int(0);
  return session;
}

Status DeleteSessionsOf(store::Transaction& tx, AccountKind kind, std::int64_t shop_id, std::int64_t user_id,
                        std::optional<std::int64_t> except_session_id) {
  if (except_session_id) {
    PLAZA_TRY(tx.Execute("DELETE FROM sessions WHERE shop_id = ? AND kind = ? AND user_id = ? AND id <> ?",
                         {shop_id, AccountKindName(kind), user_id, *except_session_id}));
  } else {
    PLAZA_TRY(tx.Execute("DELETE FROM sessions WHERE shop_id = ? AND kind = ? AND user_id = ?",
                         {shop_id, AccountKindName(kind), user_id}));
  }
  return Ok();
}

Status SpendResetTokensOf(store::Transaction& tx, AccountKind kind, std::int64_t shop_id, std::int64_t user_id,
                          TimePoint now) {
  PLAZA_TRY(
      tx.Execute("UPDATE password_reset_tokens SET used_at = ?"
                 " WHERE shop_id = ? AND account_kind = ? AND user_id = ? AND used_at IS NULL",
                 {ToUnixMillis(now), shop_id, AccountKindName(kind), user_id}));
  return Ok();
}

Status CheckAttempts(store::Transaction& tx, std::int64_t shop_id, std::span<const AttemptCounter> counters,
                     TimePoint now) {
  const std::int64_t window_start = ToUnixMillis(now - kFailureWindow);
  std::optional<TimePoint> retry_at;
  for (const AttemptCounter& counter : counters) {
    // The limit-th most recent attempt in the window: while it exists the counter is
    // full, and it is the one whose leaving the window frees a slot.
    PLAZA_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT at FROM login_attempts WHERE shop_id = ? AND scope = ? AND subject = ? AND at > ?"
                              " ORDER BY at DESC LIMIT 1 OFFSET " +
                                  std::to_string(counter.limit - 1),
                              {shop_id, counter.scope, counter.subject, window_start}));
    if (!row) continue;
    const TimePoint frees_at = FromUnixMillis(row->Int(0)) + kFailureWindow;
    if (!retry_at || frees_at > *retry_at) retry_at = frees_at;
  }
  if (!retry_at) return Ok();
  const auto wait = std::chrono::ceil<std::chrono::seconds>(*retry_at - now);
  return Error::RateLimited("too many failed attempts; try again in " + std::to_string(wait.count()) + " seconds");
}

Result<std::int64_t> RecordAttempt(store::Transaction& tx, std::int64_t shop_id, const AttemptCounter& counter,
                                   TimePoint now) {
  PLAZA_TRY(tx.Execute("DELETE FROM login_attempts WHERE shop_id = ? AND scope = ? AND subject = ? AND at <= ?",
                       {shop_id, counter.scope, counter.subject, ToUnixMillis(now - kFailureWindow)}));
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("INSERT INTO login_attempts (shop_id, scope, subject, at)"
                                               " VALUES (?, ?, ?, ?) RETURNING id",
                                               {shop_id, counter.scope, counter.subject, ToUnixMillis(now)}));
  if (!row) return Error::Internal("the log-in attempt was not recorded");
  return row->Int(0);
}

Status ClearAttempts(store::Transaction& tx, std::int64_t shop_id, std::string_view scope, std::string_view subject) {
  PLAZA_TRY(tx.Execute("DELETE FROM login_attempts WHERE shop_id = ? AND scope = ? AND subject = ?",
                       {shop_id, scope, subject}));
  return Ok();
}

Status DeleteAttempt(store::Transaction& tx, std::int64_t shop_id, std::int64_t attempt_id) {
  PLAZA_TRY(tx.Execute("DELETE FROM login_attempts WHERE shop_id = ? AND id = ?", {shop_id, attempt_id}));
  return Ok();
}

Status RequireStaffSession(const Principal& principal, bool allow_enrolment) {
  if (principal.kind == PrincipalKind::kApiToken) return NotASession();
  if (principal.kind != PrincipalKind::kStaff) return Error::Forbidden("only staff accounts have this");
  switch (principal.state) {
    case AuthState::kActive:
      return Ok();
    case AuthState::kEnrolmentRequired:
      if (allow_enrolment) return Ok();
      return Error::Unauthenticated("auth/second-factor-enrolment-required",
                                    "this shop requires two-factor authentication; set it up first");
    case AuthState::kSecondFactorPending:
      return Error::Unauthenticated("auth/second-factor-required", "enter the code from your authenticator app first");
  }
  return Error::Internal("unknown session state");
}

}  // namespace plaza::identity::internal
