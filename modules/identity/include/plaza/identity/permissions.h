#pragma once
// Who may do what: staff roles, API-token scopes, the permissions both map to, the
// authenticated Principal of a request, and the one function that decides access.
//
// Every access decision in Plaza goes through Authorize(); handlers and modules never
// compare role names themselves. All functions here are pure and thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"

namespace plaza::identity {

// A staff member's job in a shop. A member may hold several; they add up.
enum class Role {
  kOwner,          // everything, including shop settings and granting `owner`
  kAdmin,          // runs the shop day to day: everything but shop.manage
  kSupportAgent,   // customer care: customers, orders, inbox replies
  kMarketer,       // catalogue content, growth programmes, analytics
  kModerator,      // community and UGC moderation
  kLegalReviewer,  // takedown and claims review, with read access to the audit log
};

// One thing a principal may be allowed to do. Names (PermissionName) are stable and
// appear in docs/identity.md and in API error details.
enum class Permission {
  kShopManage,       // "shop.manage": shop settings (e.g. require staff 2FA)
  kStaffManage,      // "staff.manage": invite, change roles, disable, reset 2FA
  kTokensManage,     // "tokens.manage": create, list and revoke API tokens
  kWebhooksManage,   // "webhooks.manage"
  kChannelsManage,   // "channels.manage": connect external networks and their credentials
  kAuditRead,        // "audit.read"
  kCustomersRead,    // "customers.read"
  kCatalogRead,      // "catalog.read"
  kCatalogWrite,     // "catalog.write"
  kInventoryManage,  // "inventory.manage"
  kOrdersRead,       // "orders.read"
  kOrdersManage,     // "orders.manage": refunds, cancellations, fulfilment
  kCareReply,        // "care.reply": answer in the customer-care inbox
  kModerationAct,    // "moderation.act": hide, approve, remove community content
  kLegalReview,      // "legal.review": decide takedown requests and claims
  kGrowthManage,     // "growth.manage": creator programmes, codes, campaigns
  kAnalyticsRead,    // "analytics.read": attribution and measurement reports
  kShippingWrite,    // "shipping.write": shipping zones, rates, fulfilment settings, holidays
  kPricingWrite,     // "pricing.write": markets, variant prices, tax rates
  kPromotionsWrite,  // "promotions.write": promotions, discount codes, their usage
  kCustomersManage,  // "customers.manage": customer tags (which promotions a customer gets)
};

// Every permission, in declaration order (for docs, tests and admin screens).
std::span<const Permission> AllPermissions();
// Every role, in declaration order.
std::span<const Role> AllRoles();

std::string_view PermissionName(Permission permission);  // "staff.manage"
std::optional<Permission> ParsePermission(std::string_view name);
std::string_view RoleName(Role role);  // "support_agent"
std::optional<Role> ParseRole(std::string_view name);

// The one role -> permissions table.
std::span<const Permission> RolePermissions(Role role);
bool RoleGrants(Role role, Permission permission);

// API-token scopes ("webhooks:write", "audit:read" …) and the permissions each grants.
// No scope grants shop.manage, staff.manage, tokens.manage or legal.review: a leaked
// token must not be able to mint accounts or further tokens, and legal decisions are
// made by a person. Returns nullopt for an unknown scope.
std::optional<std::span<const Permission>> ScopePermissions(std::string_view scope);
// Every known scope, sorted.
std::span<const std::string_view> AllScopes();

enum class PrincipalKind { kStaff, kCustomer, kApiToken };

// How far a session has got through log-in.
enum class AuthState {
  kActive,               // fully authenticated
  kSecondFactorPending,  // password accepted; a TOTP code is still owed (VerifySecondFactor)
  kEnrolmentRequired,    // password accepted; the shop requires 2FA and none is enrolled:
                         // the session may only enrol (BeginTotpEnrolment/ConfirmTotpEnrolment)
};

// The authenticated caller of one request, as IdentityService::ResolveSession or
// ResolveApiToken produced it. A plain value: copy it freely; it is not refreshed if
// the account changes afterwards (the next request resolves again).
struct Principal {
  PrincipalKind kind = PrincipalKind::kStaff;
  std::int64_t shop_id = 0;
  // The staff member or customer. For kApiToken, the staff member who created the
  // token; informational only, since a token's power comes from its scopes alone.
  std::int64_t user_id = 0;
  std::vector<Role> roles{};          // kStaff only
  std::vector<std::string> scopes{};  // kApiToken only, as granted ("audit:read")
  std::int64_t session_id = 0;        // sessions; 0 for kApiToken
  std::int64_t api_token_id = 0;      // kApiToken; 0 otherwise
  std::string csrf_token{};           // sessions; empty for kApiToken (no cookies, no CSRF)
  AuthState state = AuthState::kActive;
  // When the session ends if not used again (the earlier of its idle and absolute
  // expiry); TimePoint::max() for API tokens, which last until revoked.
  TimePoint expires_at{};
  std::string ip{};  // the client address this request came from

  // "staff:12", "customer:7", "api_token:3": how the audit log names the actor.
  std::string ActorLabel() const;
};

// Decides whether `principal` may exercise `permission` on shop `shop_id`:
//   - a principal of another shop gets kNotFound, so a foreign shop's resources are
//     indistinguishable from absent ones;
//   - a session still owing its second factor gets kUnauthenticated with type
//     "auth/second-factor-required" (or "auth/second-factor-enrolment-required");
//   - a principal of this shop whose roles or scopes lack `permission` gets
//     kPermissionDenied (customers hold no staff permissions).
Status Authorize(const Principal& principal, std::int64_t shop_id, Permission permission);

// True when the principal's roles or scopes include `permission`, ignoring shop and
// session state; for showing or hiding controls, never for enforcing.
bool Holds(const Principal& principal, Permission permission);

// Checks the CSRF token sent with a state-changing request made with a session
// cookie, in constant time. API-token principals pass: they authenticate with a
// header a foreign site cannot make a browser send. Fails with kPreconditionFailed,
// type "auth/csrf".
Status CheckCsrf(const Principal& principal, std::string_view presented);

}  // namespace plaza::identity
