#pragma once
// Private helpers shared by the service's source files: token formats, row mapping,
// account loading, session creation, log-in attempt counting and audit details.
// Every function taking a shop_id filters by it.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/identity/identity_service.h"
#include "plaza/identity/permissions.h"
#include "plaza/store/database.h"

namespace plaza::identity::internal {

// ---- Tokens ----

// Random bytes in every raw token: 256 bits cannot be guessed or enumerated.
inline constexpr std::size_t kTokenRandomBytes = 32;
inline constexpr std::string_view kApiTokenPrefix = "plz_";

// "<shop_id>.<random>": session and reset tokens.
std::string NewShopToken(std::int64_t shop_id);
// "plz_<shop_id>_<random>".
std::string NewApiTokenValue(std::int64_t shop_id);
// The shop a raw token names; nullopt when the token is malformed.
std::optional<std::int64_t> ShopOfToken(std::string_view token);
std::optional<std::int64_t> ShopOfApiToken(std::string_view token);
// Hex SHA-256 of a raw token: what the database stores and looks up.
std::string TokenHash(std::string_view token);

// ---- Encodings ----

std::string JoinRoles(std::span<const Role> roles);
std::vector<Role> SplitRoles(std::string_view joined);
std::string JoinScopes(std::span<const std::string> scopes);
std::vector<std::string> SplitScopes(std::string_view joined);
bool HasRole(std::span<const Role> roles, Role role);
// Sorted, without duplicates; kInvalidArgument (field "/roles") when empty.
Result<std::vector<Role>> CanonicalRoles(std::vector<Role> roles);

std::string_view AccountKindName(AccountKind kind);  // "staff" | "customer"
std::string_view StateName(AuthState state);
AuthState ParseState(std::string_view name);

boost::json::array RolesJson(std::span<const Role> roles);
std::string Serialize(const boost::json::object& object);

// ---- Errors shared by several operations ----

Error InvalidCredentials();
Error SessionInvalid();
Error NotASession();
bool IsUniqueViolation(const Error& error);

// ---- Rows ----

// Column list and mapper for shops.
inline constexpr std::string_view kShopColumns = "id, handle, name, require_staff_2fa, created_at";
Shop ShopFromRow(const store::Row& row);

// Everything about one account that log-in and 2FA need. Customers have no roles,
// TOTP or disabled flag.
struct Account {
  AccountKind kind = AccountKind::kStaff;
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string email;
  std::string name;
  std::optional<std::string> password_hash;
  std::vector<Role> roles;
  bool disabled = false;
  bool totp_enabled = false;
  std::optional<std::string> totp_secret;
  std::optional<std::string> totp_pending_secret;
  std::int64_t totp_last_step = 0;
  TimePoint created_at{};
};

Result<std::optional<Account>> LoadAccountByEmail(store::Transaction& tx, AccountKind kind, std::int64_t shop_id,
                                                  std::string_view email);
Result<std::optional<Account>> LoadAccountById(store::Transaction& tx, AccountKind kind, std::int64_t shop_id,
                                               std::int64_t id);
// Every staff member of the shop, ordered by id.
Result<std::vector<Account>> LoadShopStaff(store::Transaction& tx, std::int64_t shop_id);
StaffMember StaffFromAccount(const Account& account);
Customer CustomerFromAccount(const Account& account);

Result<std::optional<Shop>> LoadShop(store::Transaction& tx, std::int64_t shop_id);

// ---- Sessions ----

SessionLifetime LifetimeOf(AccountKind kind);

// Inserts a session and returns its raw token and principal.
Result<NewSession> InsertSession(store::Transaction& tx, TimePoint now, const Account& account, AuthState state,
                                 std::string_view ip);
// Ends every session of one account, optionally sparing one.
Status DeleteSessionsOf(store::Transaction& tx, AccountKind kind, std::int64_t shop_id, std::int64_t user_id,
                        std::optional<std::int64_t> except_session_id = std::nullopt);
// Marks every unused reset or invitation token of one account as used.
Status SpendResetTokensOf(store::Transaction& tx, AccountKind kind, std::int64_t shop_id, std::int64_t user_id,
                          TimePoint now);

// ---- Log-in attempts (rate limiting) ----

// One counter: its scope ("staff", "customer", "ip", "second_factor"), what it counts
// (an email, an address, a staff id) and how many failures it tolerates per window.
struct AttemptCounter {
  std::string_view scope;
  std::string subject;
  int limit = 0;
};

// kRateLimited when any counter has `limit` attempts within kFailureWindow; the detail
// says when the oldest of them leaves the window.
Status CheckAttempts(store::Transaction& tx, std::int64_t shop_id, std::span<const AttemptCounter> counters,
                     TimePoint now);
// Counts one attempt and forgets the counter's attempts that left the window.
// Returns the attempt's id.
Result<std::int64_t> RecordAttempt(store::Transaction& tx, std::int64_t shop_id, const AttemptCounter& counter,
                                   TimePoint now);
Status ClearAttempts(store::Transaction& tx, std::int64_t shop_id, std::string_view scope, std::string_view subject);
Status DeleteAttempt(store::Transaction& tx, std::int64_t shop_id, std::int64_t attempt_id);

// ---- Principals ----

// kUnauthenticated / kPermissionDenied unless `principal` is a session of a staff
// member in state kActive, or kEnrolmentRequired too when `allow_enrolment`.
Status RequireStaffSession(const Principal& principal, bool allow_enrolment);

}  // namespace plaza::identity::internal
