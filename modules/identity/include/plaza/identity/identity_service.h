#pragma once
// IdentityService: shops, staff and customer accounts, sessions, password reset, TOTP
// second factor, API tokens, log-in rate limits and the audit log.
//
// Every function that acts for someone takes the acting Principal (from ResolveSession
// or ResolveApiToken) and checks it with Authorize() before touching data; every query
// filters by shop_id, so another shop's rows behave as if absent (kNotFound).
// Staff mutations write an audit row, and account creation an outbox event, in the same
// transaction as the change.
//
// Raw secrets (session tokens, API tokens, reset tokens) are returned exactly once, by
// the call that creates them; the database holds only their SHA-256. Each raw token
// names its shop ("<shop_id>.<random>", API tokens "plz_<shop_id>_<random>") so it can
// be looked up within its tenant.
//
// Thread-safety: all member functions may be called concurrently from any thread.
// Functions that verify or hash a password spend ~50-100 ms of CPU in Argon2id: call
// them from the worker pool, never from an I/O thread.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/identity/audit.h"
#include "plaza/identity/permissions.h"
#include "plaza/store/database.h"

namespace plaza::identity {

// Session lifetimes. A session ends at whichever comes first: `idle` after its last use
// (sliding expiry, renewed on use) or `absolute` after log-in (a stolen cookie cannot be
// kept alive forever by using it).
struct SessionLifetime {
  std::chrono::milliseconds idle{};
  std::chrono::milliseconds absolute{};
};
// Staff sessions carry admin power: four idle hours spans a working session with
// breaks; a day bounds the damage of a stolen cookie and makes staff sign in daily.
inline constexpr SessionLifetime kStaffSessionLifetime{std::chrono::hours(4), std::chrono::hours(24)};
// Shoppers expect to stay signed in between visits; 30 idle days and 90 in all is
// what storefronts commonly do, and a customer session cannot reach the admin.
inline constexpr SessionLifetime kCustomerSessionLifetime{std::chrono::hours(24 * 30), std::chrono::hours(24 * 90)};
// A session owing its second factor lives ten minutes: long enough to find the phone,
// short enough that a half-finished log-in does not linger.
inline constexpr std::chrono::milliseconds kPendingSessionLifetime = std::chrono::minutes(10);
// A password-reset link is valid for 30 minutes: mail usually arrives within a minute,
// and a short life limits the use of a link left in an inbox.
inline constexpr std::chrono::milliseconds kPasswordResetLifetime = std::chrono::minutes(30);
// An invitation to set a first password waits three days for the new staff member.
inline constexpr std::chrono::milliseconds kInvitationLifetime = std::chrono::hours(72);

// Log-in rate limits, counted in the database so they hold across processes. After
// kMaxFailuresPerAccount failed attempts on one (shop, email) within kFailureWindow,
// further attempts fail with kRateLimited until the oldest counted failure leaves the
// window: 5 in 15 minutes allows typos and stops online guessing at ~500 tries a day.
// The per-IP bound (per shop) is higher because offices and mobile carriers put many
// people behind one address. A successful log-in clears the account's counter, not
// the address's.
inline constexpr int kMaxFailuresPerAccount = 5;
inline constexpr int kMaxFailuresPerIp = 20;
inline constexpr std::chrono::milliseconds kFailureWindow = std::chrono::minutes(15);
// Wrong TOTP codes are limited like passwords, per staff member: six digits with three
// accepted steps could otherwise be guessed in a few hundred thousand tries.
inline constexpr int kMaxSecondFactorFailures = 5;

// Per-shop settings, changed by an owner (shop.manage).
struct ShopSettings {
  // Every staff member must use a TOTP second factor; those without one may only enrol
  // after their password is accepted.
  bool require_staff_2fa = false;
};

struct Shop {
  std::int64_t id = 0;
  std::string handle{};  // public, unique, URL-safe: 3..40 of [a-z0-9-], not starting or ending with '-'
  std::string name{};
  ShopSettings settings{};
  TimePoint created_at{};
};

struct StaffMember {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string email{};  // normalised (NormalizeEmail)
  std::string name{};
  std::vector<Role> roles{};
  bool totp_enabled = false;
  bool disabled = false;
  bool has_password = false;  // false while an invitation is outstanding
  TimePoint created_at{};
};

struct Customer {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string email{};  // normalised
  std::string name{};
  // Labels staff give a customer ("vip", "wholesale"); promotions may require one.
  // Trimmed, unique ignoring ASCII case, sorted ignoring case.
  std::vector<std::string> tags{};
  TimePoint created_at{};
};

// Bounds on a customer's tags (SetCustomerTags).
inline constexpr std::size_t kMaxCustomerTags = 50;
inline constexpr std::size_t kMaxCustomerTagLength = 100;  // characters (code points)

// A customer's tags inside the caller's transaction, for checkout to hand to promotions.
// Empty for an unknown or foreign customer.
Result<std::vector<std::string>> CustomerTags(store::Transaction& tx, std::int64_t shop_id, std::int64_t customer_id);

// Gives (`present`) or takes back one tag of a customer inside the caller's transaction,
// for rules that tag customers automatically (a VIP group's member tag). The tag is
// trimmed and checked as by SetCustomerTags; matching ignores ASCII case. When it changes
// anything it is audited as "customer.tags_changed" with actor "system" and `reason` in
// the details, and appends the outbox event "customer.tags_changed". Returns whether the
// tags changed. kNotFound for an unknown customer; "identity/too-many-tags" when the
// customer already has kMaxCustomerTags. REQUIRES: a write transaction.
Result<bool> SetSystemCustomerTag(store::Transaction& tx, std::int64_t shop_id, std::int64_t customer_id,
                                  std::string_view tag, bool present, std::string_view reason, TimePoint now);

enum class AccountKind { kStaff, kCustomer };

// A session just created. `token` goes into an HttpOnly, Secure, SameSite=Lax cookie
// (the database keeps only its hash); `principal.csrf_token` goes into the pages and
// forms the session renders.
struct NewSession {
  std::string token{};
  Principal principal{};
};

// ---- Inputs ----

struct NewShop {
  std::string handle{};
  std::string name{};
  std::string owner_email{};
  std::string owner_name{};
  std::string owner_password{};
};

struct NewStaff {
  std::string email{};
  std::string name{};
  std::vector<Role> roles{};  // at least one
  // The first password. When absent the account cannot log in until the invitee sets
  // one with the invitation token CreateStaff returns.
  std::optional<std::string> password{};
};

struct NewCustomer {
  std::string email{};
  std::string name{};
  std::string password{};
};

struct LogIn {
  std::int64_t shop_id = 0;
  std::string email{};
  std::string password{};
  // The client address, for the per-IP limit and the audit log. Empty (a CLI, a test)
  // skips the per-IP counter.
  std::string ip{};
};

struct NewApiToken {
  std::string name{};                 // for people: "ERP sync"; 1..200 bytes
  std::vector<std::string> scopes{};  // AllScopes(); at least one
};

// ---- Outputs ----

struct CreatedShop {
  Shop shop{};
  StaffMember owner{};
};

struct CreatedStaff {
  StaffMember staff{};
  // Present when NewStaff::password was absent: the raw invitation token, valid for
  // kInvitationLifetime, to be mailed to the invitee and spent with
  // ConsumePasswordReset. Returned once; only its hash is stored.
  std::optional<std::string> invitation_token{};
};

struct PasswordResetTicket {
  std::string token{};  // raw; mail it in a link, never log it
  std::string email{};  // where to send it
  std::string name{};   // to greet the recipient
  TimePoint expires_at{};
};

struct TotpEnrolment {
  std::string secret_base32{};  // for manual entry
  std::string otpauth_uri{};    // for a QR code
};

struct ApiTokenInfo {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string name{};
  std::string prefix{};  // the first characters of the raw token, to tell tokens apart
  std::vector<std::string> scopes{};
  std::int64_t created_by = 0;  // staff id
  TimePoint created_at{};
  std::optional<TimePoint> last_used_at{};  // updated at most once a minute
  bool revoked = false;
};

struct CreatedApiToken {
  std::string token{};  // raw "plz_…"; shown to the creator once and never again
  ApiTokenInfo info{};
};

struct AuditPage {
  std::vector<AuditEntry> entries{};  // newest first
  // Pass to the next ListAudit call; absent on the last page.
  std::optional<std::string> next_cursor{};
};

class IdentityService {
 public:
  // REQUIRES: IdentityMigrations() applied to `db`; crypto::InitCrypto() called.
  // Both references must outlive the service.
  IdentityService(store::Database& db, const Clock& clock);

  IdentityService(const IdentityService&) = delete;
  IdentityService& operator=(const IdentityService&) = delete;

  // ---- Shops ----

  // Creates a shop and its first owner (an operator action: `plaza seed-demo`, tests,
  // or a deployment's own sign-up flow, so no principal). kConflict type
  // "identity/handle-taken" when the handle is in use.
  Result<CreatedShop> CreateShop(const NewShop& request);
  // Public shop data, for routing storefronts; no principal needed.
  Result<Shop> GetShop(std::int64_t shop_id);
  Result<Shop> GetShopByHandle(std::string_view handle);
  // The shop created first: the storefront's shop when none is configured. kNotFound
  // before any shop exists.
  Result<Shop> FirstShop();
  // Needs shop.manage.
  Result<Shop> UpdateShopSettings(const Principal& actor, std::int64_t shop_id, const ShopSettings& settings);

  // ---- Staff ----

  // Needs staff.manage; granting `owner` needs the actor to be an owner.
  // kConflict type "identity/email-taken" when the email already has a staff account.
  Result<CreatedStaff> CreateStaff(const Principal& actor, std::int64_t shop_id, const NewStaff& request);
  // Needs staff.manage, or the actor being that staff member.
  Result<StaffMember> GetStaff(const Principal& actor, std::int64_t shop_id, std::int64_t staff_id);
  // Needs staff.manage. Ordered by id.
  Result<std::vector<StaffMember>> ListStaff(const Principal& actor, std::int64_t shop_id);
  // Needs staff.manage; adding or removing `owner`, or changing an owner's roles, needs
  // the actor to be an owner. The shop always keeps one active owner (kConflict type
  // "identity/last-owner").
  Result<StaffMember> UpdateStaffRoles(const Principal& actor, std::int64_t shop_id, std::int64_t staff_id,
                                       const std::vector<Role>& roles);
  // Needs staff.manage (owner for disabling an owner); ends all the member's sessions.
  // Nobody can disable themselves or the last active owner.
  Status DisableStaff(const Principal& actor, std::int64_t shop_id, std::int64_t staff_id);
  // Needs staff.manage (owner for an owner's): removes the member's second factor, for
  // a lost phone. If the shop requires 2FA the member must enrol again at next log-in.
  Status ResetStaffTotp(const Principal& actor, std::int64_t shop_id, std::int64_t staff_id);

  // ---- Customers ----

  // Creates the account and logs it in. kConflict type "identity/email-taken" when
  // the email already has an account in this shop. Appends "customer.created".
  Result<NewSession> SignUpCustomer(std::int64_t shop_id, const NewCustomer& request, std::string_view ip);
  // Needs customers.read, or the actor being that customer.
  Result<Customer> GetCustomer(const Principal& actor, std::int64_t shop_id, std::int64_t customer_id);
  // Needs customers.manage: replaces the customer's tags with `tags` (each trimmed).
  // kInvalidArgument "identity/invalid-tag" (empty, too long, control characters),
  // "identity/duplicate-tag" (the same tag twice, ignoring case) or
  // "identity/too-many-tags", with `field` "/tags/<index>" or "/tags". Audited as
  // "customer.tags_changed"; appends the outbox event "customer.tags_changed".
  Result<Customer> SetCustomerTags(const Principal& actor, std::int64_t shop_id, std::int64_t customer_id,
                                   const std::vector<std::string>& tags);

  // ---- Log-in and sessions ----

  // Verifies the password and opens a session. Unknown email, wrong password, disabled
  // account and invitation not yet accepted all fail alike with kUnauthenticated type
  // "auth/invalid-credentials", after the same Argon2id work. kRateLimited when a
  // limit above is reached (detail says when to retry). A staff member with 2FA, or in a
  // shop requiring it, gets a session in state kSecondFactorPending or
  // kEnrolmentRequired that authorises nothing else.
  Result<NewSession> LogInStaff(const LogIn& request);
  Result<NewSession> LogInCustomer(const LogIn& request);

  // The principal of a session token, with `ip` recorded in it. Renews the idle expiry
  // (at most once a minute, to spare the database a write per request).
  // kUnauthenticated type "auth/session-invalid" when unknown, expired or revoked.
  Result<Principal> ResolveSession(std::string_view token, std::string_view ip);
  // Ends the principal's session.
  Status LogOut(const Principal& principal);
  // Ends every session of the principal's account, this one included ("sign out
  // everywhere").
  Status RevokeAllSessions(const Principal& principal);
  // For staff and customers with an active session: checks `current_password`, sets the
  // new one and ends the account's other sessions. kUnauthenticated type
  // "auth/invalid-credentials" when `current_password` is wrong (rate limited as log-in).
  Status ChangeOwnPassword(const Principal& principal, std::string_view current_password,
                           std::string_view new_password);

  // ---- Password reset ----

  // Always succeeds for a well-formed email, whether or not an account exists, so the
  // answer reveals nothing: returns a ticket to mail only when the account exists, is
  // enabled, and has asked fewer than kMaxFailuresPerAccount times in kFailureWindow
  // (so nobody can flood an inbox).
  Result<std::optional<PasswordResetTicket>> RequestPasswordReset(AccountKind kind, std::int64_t shop_id,
                                                                  std::string_view email, std::string_view ip);
  // Spends a reset or invitation token: sets the new password, ends all of the
  // account's sessions and every other outstanding reset token of the account.
  // kUnauthenticated type "auth/reset-token-invalid" when unknown, used or expired.
  Status ConsumePasswordReset(std::string_view token, std::string_view new_password, std::string_view ip);

  // ---- Second factor (staff, TOTP) ----

  // Starts enrolment for the principal's own staff account; allowed in state kActive
  // and kEnrolmentRequired. Replaces any unconfirmed enrolment. kConflict type
  // "identity/totp-already-enabled" when enabled.
  Result<TotpEnrolment> BeginTotpEnrolment(const Principal& principal);
  // Confirms enrolment with a current code and enables 2FA. When the principal's
  // session was kEnrolmentRequired, that session is replaced by a fresh active one,
  // returned here (set its token as the new cookie); otherwise returns nullopt.
  // kInvalidArgument type "auth/totp-invalid" on a wrong code.
  Result<std::optional<NewSession>> ConfirmTotpEnrolment(const Principal& principal, std::string_view code);
  // Turns the principal's own 2FA off after checking a current code. kConflict type
  // "identity/totp-required" when the shop requires 2FA.
  Status DisableTotp(const Principal& principal, std::string_view code);
  // Completes a kSecondFactorPending log-in: on a correct code not used before, the
  // pending session is replaced by a fresh active one (new token and CSRF token).
  // kUnauthenticated type "auth/totp-invalid" on a wrong or replayed code; after
  // kMaxSecondFactorFailures wrong codes in kFailureWindow, kRateLimited.
  Result<NewSession> VerifySecondFactor(const Principal& pending, std::string_view code);

  // ---- API tokens ----

  // Needs tokens.manage, and every scope's permissions held by the actor (nobody can
  // mint a token stronger than themselves). kInvalidArgument type "validation/scope"
  // for an unknown scope.
  Result<CreatedApiToken> CreateApiToken(const Principal& actor, std::int64_t shop_id, const NewApiToken& request);
  // Needs tokens.manage. Revoked tokens included; ordered by id.
  Result<std::vector<ApiTokenInfo>> ListApiTokens(const Principal& actor, std::int64_t shop_id);
  // Needs tokens.manage. Revoking twice is not an error.
  Status RevokeApiToken(const Principal& actor, std::int64_t shop_id, std::int64_t token_id);
  // The principal of a raw API token (an "Authorization: Bearer plz_…" header).
  // kUnauthenticated type "auth/token-invalid" when unknown or revoked.
  Result<Principal> ResolveApiToken(std::string_view token, std::string_view ip);

  // ---- Audit log ----

  // Needs audit.read. Newest first; `limit` is clamped to 1..200 (a page an admin
  // screen shows, bounded so one request cannot read the whole log). kInvalidArgument
  // type "validation/cursor" for a malformed cursor.
  Result<AuditPage> ListAudit(const Principal& actor, std::int64_t shop_id, std::optional<std::string> cursor,
                              int limit);

 private:
  // The dummy hash verified for unknown accounts, computed on first need.
  const std::string& DummyHash();

  store::Database& db_;
  const Clock& clock_;
  std::once_flag dummy_hash_once_;
  std::string dummy_hash_;
};

}  // namespace plaza::identity
