#include "plaza/identity/permissions.h"

#include <gtest/gtest.h>

#include <set>

namespace plaza::identity {
namespace {

Principal Staff(std::int64_t shop_id, std::vector<Role> roles) {
  Principal principal;
  principal.kind = PrincipalKind::kStaff;
  principal.shop_id = shop_id;
  principal.user_id = 1;
  principal.roles = std::move(roles);
  principal.csrf_token = "csrf-token-of-the-session";
  return principal;
}

Principal Token(std::int64_t shop_id, std::vector<std::string> scopes) {
  Principal principal;
  principal.kind = PrincipalKind::kApiToken;
  principal.shop_id = shop_id;
  principal.api_token_id = 3;
  principal.scopes = std::move(scopes);
  return principal;
}

TEST(PermissionsTest, NamesRoundTrip) {
  std::set<std::string_view> names;
  for (Permission permission : AllPermissions()) {
    EXPECT_EQ(ParsePermission(PermissionName(permission)), permission);
    names.insert(PermissionName(permission));
  }
  EXPECT_EQ(names.size(), AllPermissions().size());
  for (Role role : AllRoles()) EXPECT_EQ(ParseRole(RoleName(role)), role);
  EXPECT_FALSE(ParseRole("superuser").has_value());
  EXPECT_FALSE(ParsePermission("shop.destroy").has_value());
}

TEST(PermissionsTest, RoleTable) {
  for (Permission permission : AllPermissions()) EXPECT_TRUE(RoleGrants(Role::kOwner, permission));
  EXPECT_FALSE(RoleGrants(Role::kAdmin, Permission::kShopManage));
  EXPECT_TRUE(RoleGrants(Role::kAdmin, Permission::kStaffManage));
  EXPECT_TRUE(RoleGrants(Role::kAdmin, Permission::kTokensManage));
  EXPECT_TRUE(RoleGrants(Role::kSupportAgent, Permission::kCareReply));
  EXPECT_TRUE(RoleGrants(Role::kSupportAgent, Permission::kOrdersManage));
  EXPECT_FALSE(RoleGrants(Role::kSupportAgent, Permission::kCatalogWrite));
  EXPECT_FALSE(RoleGrants(Role::kSupportAgent, Permission::kStaffManage));
  EXPECT_TRUE(RoleGrants(Role::kMarketer, Permission::kGrowthManage));
  EXPECT_TRUE(RoleGrants(Role::kMarketer, Permission::kCatalogWrite));
  EXPECT_FALSE(RoleGrants(Role::kMarketer, Permission::kAuditRead));
  EXPECT_TRUE(RoleGrants(Role::kModerator, Permission::kModerationAct));
  EXPECT_FALSE(RoleGrants(Role::kModerator, Permission::kLegalReview));
  EXPECT_TRUE(RoleGrants(Role::kLegalReviewer, Permission::kLegalReview));
  EXPECT_TRUE(RoleGrants(Role::kLegalReviewer, Permission::kAuditRead));
  EXPECT_FALSE(RoleGrants(Role::kLegalReviewer, Permission::kOrdersManage));
  // Only owners hold shop.manage.
  for (Role role : AllRoles()) EXPECT_EQ(RoleGrants(role, Permission::kShopManage), role == Role::kOwner);
}

TEST(PermissionsTest, ScopesNeverGrantAccountPowers) {
  for (std::string_view scope : AllScopes()) {
    const auto granted = ScopePermissions(scope);
    ASSERT_TRUE(granted.has_value()) << scope;
    for (Permission permission : *granted) {
      EXPECT_NE(permission, Permission::kShopManage) << scope;
      EXPECT_NE(permission, Permission::kStaffManage) << scope;
      EXPECT_NE(permission, Permission::kTokensManage) << scope;
      EXPECT_NE(permission, Permission::kLegalReview) << scope;
    }
  }
  EXPECT_TRUE(std::is_sorted(AllScopes().begin(), AllScopes().end()));
  EXPECT_FALSE(ScopePermissions("staff:write").has_value());
  EXPECT_FALSE(ScopePermissions("").has_value());
}

TEST(AuthorizeTest, ForeignShopLooksAbsent) {
  const Status status = Authorize(Staff(1, {Role::kOwner}), 2, Permission::kCatalogRead);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kNotFound);
  // Even when the principal would lack the permission at home, the answer is the same.
  const Status weak = Authorize(Staff(1, {Role::kModerator}), 2, Permission::kShopManage);
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().code, ErrorCode::kNotFound);
}

TEST(AuthorizeTest, MissingPermissionIsDenied) {
  EXPECT_TRUE(Authorize(Staff(1, {Role::kSupportAgent}), 1, Permission::kCareReply).ok());
  const Status status = Authorize(Staff(1, {Role::kSupportAgent}), 1, Permission::kStaffManage);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(status.error().detail.find("staff.manage"), std::string::npos);
}

TEST(AuthorizeTest, RolesAddUp) {
  const Principal both = Staff(1, {Role::kModerator, Role::kMarketer});
  EXPECT_TRUE(Authorize(both, 1, Permission::kModerationAct).ok());
  EXPECT_TRUE(Authorize(both, 1, Permission::kGrowthManage).ok());
  EXPECT_FALSE(Authorize(both, 1, Permission::kOrdersManage).ok());
}

TEST(AuthorizeTest, CustomersHoldNoStaffPermission) {
  Principal customer = Staff(1, {});
  customer.kind = PrincipalKind::kCustomer;
  for (Permission permission : AllPermissions()) {
    const Status status = Authorize(customer, 1, permission);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kPermissionDenied);
  }
}

TEST(AuthorizeTest, PendingSessionsAuthoriseNothing) {
  for (AuthState state : {AuthState::kSecondFactorPending, AuthState::kEnrolmentRequired}) {
    Principal pending = Staff(1, {Role::kOwner});
    pending.state = state;
    for (Permission permission : AllPermissions()) {
      const Status status = Authorize(pending, 1, permission);
      ASSERT_FALSE(status.ok());
      EXPECT_EQ(status.error().code, ErrorCode::kUnauthenticated);
    }
  }
}

TEST(AuthorizeTest, TokensAreLimitedToTheirScopes) {
  const Principal token = Token(1, {"webhooks:write", "orders:write"});
  EXPECT_TRUE(Authorize(token, 1, Permission::kWebhooksManage).ok());
  EXPECT_TRUE(Authorize(token, 1, Permission::kOrdersManage).ok());
  EXPECT_TRUE(Authorize(token, 1, Permission::kOrdersRead).ok());  // write implies read
  EXPECT_EQ(Authorize(token, 1, Permission::kAuditRead).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Authorize(token, 1, Permission::kStaffManage).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Authorize(token, 2, Permission::kWebhooksManage).error().code, ErrorCode::kNotFound);
  // A scope this build does not know grants nothing.
  EXPECT_FALSE(Authorize(Token(1, {"everything:write"}), 1, Permission::kCatalogRead).ok());
}

TEST(CsrfTest, ComparesTheSessionToken) {
  const Principal session = Staff(1, {Role::kOwner});
  EXPECT_TRUE(CheckCsrf(session, "csrf-token-of-the-session").ok());
  for (std::string_view wrong :
       {"", "csrf-token-of-the-sessio", "csrf-token-of-the-session!", "CSRF-TOKEN-OF-THE-SESSION"}) {
    const Status status = CheckCsrf(session, wrong);
    ASSERT_FALSE(status.ok()) << wrong;
    EXPECT_EQ(status.error().code, ErrorCode::kPreconditionFailed);
    EXPECT_EQ(status.error().type, "auth/csrf");
  }
}

TEST(CsrfTest, ASessionWithoutTokenMatchesNothing) {
  Principal session = Staff(1, {Role::kOwner});
  session.csrf_token.clear();
  EXPECT_FALSE(CheckCsrf(session, "").ok());
}

TEST(CsrfTest, ApiTokensNeedNone) {
  EXPECT_TRUE(CheckCsrf(Token(1, {"audit:read"}), "").ok());
}

TEST(PrincipalTest, ActorLabels) {
  EXPECT_EQ(Staff(1, {}).ActorLabel(), "staff:1");
  EXPECT_EQ(Token(1, {}).ActorLabel(), "api_token:3");
}

}  // namespace
}  // namespace plaza::identity
