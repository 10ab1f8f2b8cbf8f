#include "plaza/identity/permissions.h"

#include <algorithm>
#include <array>
#include <utility>

#include "plaza/core/crypto.h"
#include "plaza/core/enum_names.h"

namespace plaza::identity {
namespace {

using P = Permission;

constexpr std::array kAllPermissions = {
    P::kShopManage,      P::kStaffManage,   P::kTokensManage,  P::kWebhooksManage, P::kChannelsManage,
    P::kAuditRead,       P::kCustomersRead, P::kCatalogRead,   P::kCatalogWrite,   P::kInventoryManage,
    P::kOrdersRead,      P::kOrdersManage,  P::kCareReply,     P::kModerationAct,  P::kLegalReview,
    P::kGrowthManage,    P::kAnalyticsRead, P::kShippingWrite, P::kPricingWrite,   P::kPromotionsWrite,
    P::kCustomersManage,
};

constexpr std::array kAllRoles = {Role::kOwner,    Role::kAdmin,     Role::kSupportAgent,
                                  Role::kMarketer, Role::kModerator, Role::kLegalReviewer};

constexpr NameTable<Permission, kAllPermissions.size()> kPermissionNames = {{
    {P::kShopManage, "shop.manage"},
    {P::kStaffManage, "staff.manage"},
    {P::kTokensManage, "tokens.manage"},
    {P::kWebhooksManage, "webhooks.manage"},
    {P::kChannelsManage, "channels.manage"},
    {P::kAuditRead, "audit.read"},
    {P::kCustomersRead, "customers.read"},
    {P::kCatalogRead, "catalog.read"},
    {P::kCatalogWrite, "catalog.write"},
    {P::kInventoryManage, "inventory.manage"},
    {P::kOrdersRead, "orders.read"},
    {P::kOrdersManage, "orders.manage"},
    {P::kCareReply, "care.reply"},
    {P::kModerationAct, "moderation.act"},
    {P::kLegalReview, "legal.review"},
    {P::kGrowthManage, "growth.manage"},
    {P::kAnalyticsRead, "analytics.read"},
    {P::kShippingWrite, "shipping.write"},
    {P::kPricingWrite, "pricing.write"},
    {P::kPromotionsWrite, "promotions.write"},
    {P::kCustomersManage, "customers.manage"},
}};

constexpr NameTable<Role, kAllRoles.size()> kRoleNames = {{
    {Role::kOwner, "owner"},
    {Role::kAdmin, "admin"},
    {Role::kSupportAgent, "support_agent"},
    {Role::kMarketer, "marketer"},
    {Role::kModerator, "moderator"},
    {Role::kLegalReviewer, "legal_reviewer"},
}};

// The role table. Owners hold everything; admins everything but the shop's own
// settings, which decide security for everyone (2FA) and so stay with the owner.
constexpr std::array kAdminPermissions = {
    P::kStaffManage,   P::kTokensManage,  P::kWebhooksManage, P::kChannelsManage,  P::kAuditRead,
    P::kCustomersRead, P::kCatalogRead,   P::kCatalogWrite,   P::kInventoryManage, P::kOrdersRead,
    P::kOrdersManage,  P::kCareReply,     P::kModerationAct,  P::kLegalReview,     P::kGrowthManage,
    P::kAnalyticsRead, P::kShippingWrite, P::kPricingWrite,   P::kPromotionsWrite, P::kCustomersManage,
};
constexpr std::array kSupportAgentPermissions = {P::kCustomersRead, P::kCustomersManage, P::kCatalogRead,
                                                 P::kOrdersRead,    P::kOrdersManage,    P::kCareReply};
constexpr std::array kMarketerPermissions = {P::kCatalogRead,   P::kCatalogWrite, P::kGrowthManage,
                                             P::kAnalyticsRead, P::kPricingWrite, P::kPromotionsWrite};
constexpr std::array kModeratorPermissions = {P::kCatalogRead, P::kCustomersRead, P::kModerationAct};
constexpr std::array kLegalReviewerPermissions = {P::kCatalogRead, P::kAuditRead, P::kLegalReview};

// Scopes name a resource and read or write; write implies read of the same resource.
constexpr std::array kScopeAnalyticsRead = {P::kAnalyticsRead};
constexpr std::array kScopeAuditRead = {P::kAuditRead};
constexpr std::array kScopeCareWrite = {P::kCareReply};
constexpr std::array kScopeCatalogRead = {P::kCatalogRead};
constexpr std::array kScopeCatalogWrite = {P::kCatalogRead, P::kCatalogWrite};
constexpr std::array kScopeChannelsWrite = {P::kChannelsManage};
constexpr std::array kScopeCustomersRead = {P::kCustomersRead};
constexpr std::array kScopeCustomersWrite = {P::kCustomersRead, P::kCustomersManage};
constexpr std::array kScopeGrowthWrite = {P::kGrowthManage};
constexpr std::array kScopeInventoryWrite = {P::kCatalogRead, P::kInventoryManage};
constexpr std::array kScopeModerationWrite = {P::kModerationAct};
constexpr std::array kScopeOrdersRead = {P::kOrdersRead};
constexpr std::array kScopeOrdersWrite = {P::kOrdersRead, P::kOrdersManage};
constexpr std::array kScopePricingWrite = {P::kCatalogRead, P::kPricingWrite};
constexpr std::array kScopePromotionsWrite = {P::kPromotionsWrite};
constexpr std::array kScopeShippingWrite = {P::kShippingWrite};
constexpr std::array kScopeWebhooksWrite = {P::kWebhooksManage};

struct ScopeEntry {
  std::string_view name;
  std::span<const Permission> permissions;
};

// Sorted by name.
constexpr std::array kScopes = {
    ScopeEntry{"analytics:read", kScopeAnalyticsRead},
    ScopeEntry{"audit:read", kScopeAuditRead},
    ScopeEntry{"care:write", kScopeCareWrite},
    ScopeEntry{"catalog:read", kScopeCatalogRead},
    ScopeEntry{"catalog:write", kScopeCatalogWrite},
    ScopeEntry{"channels:write", kScopeChannelsWrite},
    ScopeEntry{"customers:read", kScopeCustomersRead},
    ScopeEntry{"customers:write", kScopeCustomersWrite},
    ScopeEntry{"growth:write", kScopeGrowthWrite},
    ScopeEntry{"inventory:write", kScopeInventoryWrite},
    ScopeEntry{"moderation:write", kScopeModerationWrite},
    ScopeEntry{"orders:read", kScopeOrdersRead},
    ScopeEntry{"orders:write", kScopeOrdersWrite},
    ScopeEntry{"pricing:write", kScopePricingWrite},
    ScopeEntry{"promotions:write", kScopePromotionsWrite},
    ScopeEntry{"shipping:write", kScopeShippingWrite},
    ScopeEntry{"webhooks:write", kScopeWebhooksWrite},
};

constexpr std::array<std::string_view, kScopes.size()> kScopeNames = [] {
  std::array<std::string_view, kScopes.size()> names{};
  for (std::size_t i = 0; i < kScopes.size(); ++i) names[i] = kScopes[i].name;
  return names;
}();

bool Contains(std::span<const Permission> permissions, Permission permission) {
  return std::find(permissions.begin(), permissions.end(), permission) != permissions.end();
}

}  // namespace

std::span<const Permission> AllPermissions() {
  return kAllPermissions;
}
std::span<const Role> AllRoles() {
  return kAllRoles;
}

std::string_view PermissionName(Permission permission) {
  return NameIn(kPermissionNames, permission, "unknown");
}

std::optional<Permission> ParsePermission(std::string_view name) {
  return ParseIn(kPermissionNames, name);
}

std::string_view RoleName(Role role) {
  return NameIn(kRoleNames, role, "unknown");
}

std::optional<Role> ParseRole(std::string_view name) {
  return ParseIn(kRoleNames, name);
}

std::span<const Permission> RolePermissions(Role role) {
  switch (role) {
    case Role::kOwner:
      return kAllPermissions;
    case Role::kAdmin:
      return kAdminPermissions;
    case Role::kSupportAgent:
      return kSupportAgentPermissions;
    case Role::kMarketer:
      return kMarketerPermissions;
    case Role::kModerator:
      return kModeratorPermissions;
    case Role::kLegalReviewer:
      return kLegalReviewerPermissions;
  }
  return {};
}

bool RoleGrants(Role role, Permission permission) {
  return Contains(RolePermissions(role), permission);
}

std::optional<std::span<const Permission>> ScopePermissions(std::string_view scope) {
  const auto* entry = std::lower_bound(kScopes.begin(), kScopes.end(), scope,
                                       [](const ScopeEntry& e, std::string_view key) { return e.name < key; });
  if (entry == kScopes.end() || entry->name != scope) return std::nullopt;
  return entry->permissions;
}

std::span<const std::string_view> AllScopes() {
  return kScopeNames;
}

std::string Principal::ActorLabel() const {
  switch (kind) {
    case PrincipalKind::kStaff:
      return "staff:" + std::to_string(user_id);
    case PrincipalKind::kCustomer:
      return "customer:" + std::to_string(user_id);
    case PrincipalKind::kApiToken:
      return "api_token:" + std::to_string(api_token_id);
  }
  return "unknown";
}

bool Holds(const Principal& principal, Permission permission) {
  switch (principal.kind) {
    case PrincipalKind::kStaff:
      return std::any_of(principal.roles.begin(), principal.roles.end(),
                         [&](Role role) { return RoleGrants(role, permission); });
    case PrincipalKind::kApiToken:
      return std::any_of(principal.scopes.begin(), principal.scopes.end(), [&](const std::string& scope) {
        const auto granted = ScopePermissions(scope);
        return granted && Contains(*granted, permission);
      });
    case PrincipalKind::kCustomer:
      return false;
  }
  return false;
}

Status Authorize(const Principal& principal, std::int64_t shop_id, Permission permission) {
  // The shop check comes first so that nothing below, not even the state of a
  // session, tells a foreign caller anything about this shop.
  if (principal.shop_id != shop_id) return Error::NotFound("no such resource");
  switch (principal.state) {
    case AuthState::kActive:
      break;
    case AuthState::kSecondFactorPending:
      return Error::Unauthenticated("auth/second-factor-required", "enter the code from your authenticator app first");
    case AuthState::kEnrolmentRequired:
      return Error::Unauthenticated("auth/second-factor-enrolment-required",
                                    "this shop requires two-factor authentication; set it up first");
  }
  if (!Holds(principal, permission)) {
    return Error::Forbidden("this needs the " + std::string(PermissionName(permission)) + " permission");
  }
  return Ok();
}

Status CheckCsrf(const Principal& principal, std::string_view presented) {
  if (principal.kind == PrincipalKind::kApiToken) return Ok();
  // An empty stored token would match an empty presented one; sessions always get one,
  // so an empty value here means a principal built by hand and is refused.
  if (principal.csrf_token.empty() || !crypto::ConstantTimeEquals(principal.csrf_token, presented)) {
    return Error{ErrorCode::kPreconditionFailed,
                 "auth/csrf",
                 "the form is stale or was not sent by this site; reload and retry",
                 {}};
  }
  return Ok();
}

}  // namespace plaza::identity
