#include <gtest/gtest.h>

#include "identity_test_support.h"
#include "plaza/core/crypto.h"

namespace plaza::identity::testing {
namespace {

using ApiTokensTest = IdentityTest;

TEST_P(ApiTokensTest, CreateResolveAndRevoke) {
  const CreatedShop shop = MakeShop("north-wind");
  const Principal owner = StaffPrincipal(shop.owner);
  auto created = service_.CreateApiToken(
      owner, shop.shop.id, {.name = "ERP sync", .scopes = {"webhooks:write", "audit:read", "audit:read"}});
  PLAZA_ASSERT_OK(created);
  const std::string expected_start = "plz_" + std::to_string(shop.shop.id) + "_";
  EXPECT_TRUE(created->token.starts_with(expected_start)) << created->token;
  EXPECT_TRUE(created->token.starts_with(created->info.prefix));
  EXPECT_EQ(created->info.prefix.size(), expected_start.size() + 6);
  EXPECT_EQ(created->info.scopes, (std::vector<std::string>{"audit:read", "webhooks:write"}));
  EXPECT_EQ(created->info.created_by, shop.owner.id);
  EXPECT_FALSE(created->info.last_used_at.has_value());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?",
                      {text::HexEncode(crypto::Sha256(created->token))}),
            1);

  clock_.Advance(std::chrono::minutes(5));
  auto principal = service_.ResolveApiToken(created->token, "203.0.113.5");
  PLAZA_ASSERT_OK(principal);
  EXPECT_EQ(principal->kind, PrincipalKind::kApiToken);
  EXPECT_EQ(principal->api_token_id, created->info.id);
  EXPECT_EQ(principal->ActorLabel(), "api_token:" + std::to_string(created->info.id));
  PLAZA_ASSERT_OK(Authorize(*principal, shop.shop.id, Permission::kWebhooksManage));
  PLAZA_ASSERT_OK(Authorize(*principal, shop.shop.id, Permission::kAuditRead));
  EXPECT_EQ(Authorize(*principal, shop.shop.id, Permission::kCatalogWrite).error().code, ErrorCode::kPermissionDenied);
  PLAZA_ASSERT_OK(service_.ListAudit(*principal, shop.shop.id, std::nullopt, 10));
  // A token cannot manage tokens or staff, whatever its scopes.
  EXPECT_EQ(service_.CreateApiToken(*principal, shop.shop.id, {.name = "more", .scopes = {"audit:read"}}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.LogOut(*principal).error().type, "auth/not-a-session");

  auto listed = service_.ListApiTokens(owner, shop.shop.id);
  PLAZA_ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, "ERP sync");
  EXPECT_EQ((*listed)[0].last_used_at, clock_.Now());

  PLAZA_ASSERT_OK(service_.RevokeApiToken(owner, shop.shop.id, created->info.id));
  PLAZA_ASSERT_OK(service_.RevokeApiToken(owner, shop.shop.id, created->info.id));  // twice is fine
  EXPECT_EQ(service_.ResolveApiToken(created->token, "").error().type, "auth/token-invalid");
  EXPECT_TRUE(service_.ListApiTokens(owner, shop.shop.id)->front().revoked);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_log WHERE action IN ('token.created', 'token.revoked')", {}), 2);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_log WHERE details LIKE ?", {"%" + created->token + "%"}), 0);
}

TEST_P(ApiTokensTest, ScopesAreChecked) {
  const CreatedShop shop = MakeShop("north-wind");
  const Principal owner = StaffPrincipal(shop.owner);
  EXPECT_EQ(service_.CreateApiToken(owner, shop.shop.id, {.name = "x", .scopes = {"staff:write"}}).error().type,
            "validation/scope");
  EXPECT_EQ(service_.CreateApiToken(owner, shop.shop.id, {.name = "x", .scopes = {}}).error().type, "validation/scope");
  EXPECT_EQ(service_.CreateApiToken(owner, shop.shop.id, {.name = " ", .scopes = {"audit:read"}}).error().field,
            "/name");
}

TEST_P(ApiTokensTest, ManagingTokensNeedsTheRight) {
  const CreatedShop shop = MakeShop("north-wind");
  Principal marketer = StaffPrincipal(shop.owner);
  marketer.roles = {Role::kMarketer};
  EXPECT_EQ(service_.CreateApiToken(marketer, shop.shop.id, {.name = "x", .scopes = {"catalog:write"}}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.ListApiTokens(marketer, shop.shop.id).error().code, ErrorCode::kPermissionDenied);
  Principal admin = StaffPrincipal(shop.owner);
  admin.roles = {Role::kAdmin};
  PLAZA_ASSERT_OK(service_.CreateApiToken(admin, shop.shop.id, {.name = "x", .scopes = {"catalog:write"}}));
}

TEST_P(ApiTokensTest, MalformedTokensDoNotResolve) {
  MakeShop("north-wind");
  for (const char* token : {"", "plz_", "plz_1", "plz_1_", "plz_x_abc", "plz_1_abc", "1.abc", "Bearer plz_1_abc"}) {
    EXPECT_EQ(service_.ResolveApiToken(token, "").error().type, "auth/token-invalid") << token;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTokensTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::identity::testing
