// The service's header first, proving it is self-contained.
#include "plaza/identity/identity_service.h"

#include <gtest/gtest.h>

#include "identity_test_support.h"

namespace plaza::identity::testing {
namespace {

using ShopsAndStaffTest = IdentityTest;

TEST_P(ShopsAndStaffTest, CreateShopMakesItsOwner) {
  const CreatedShop created = MakeShop("north-wind");
  EXPECT_GT(created.shop.id, 0);
  EXPECT_EQ(created.owner.roles, std::vector<Role>{Role::kOwner});
  EXPECT_EQ(created.owner.email, "owner@north-wind.example");
  EXPECT_TRUE(created.owner.has_password);

  auto by_handle = service_.GetShopByHandle("North-Wind");
  PLAZA_ASSERT_OK(by_handle);
  EXPECT_EQ(by_handle->id, created.shop.id);
  EXPECT_FALSE(by_handle->settings.require_staff_2fa);
  EXPECT_EQ(service_.GetShop(created.shop.id + 100).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.GetShopByHandle("nobody").error().code, ErrorCode::kNotFound);
}

TEST_P(ShopsAndStaffTest, HandlesAreUniqueAndWellFormed) {
  MakeShop("north-wind");
  // These fail before any password is hashed.
  for (const char* bad : {"ab", "-edge", "edge-", "with space", "ünï"}) {
    const auto created = service_.CreateShop({.handle = bad,
                                              .name = "x",
                                              .owner_email = "o@x.example",
                                              .owner_name = "O",
                                              .owner_password = kOwnerPassword});
    ASSERT_FALSE(created.ok()) << bad;
    EXPECT_EQ(created.error().field, "/handle");
  }
  const auto taken = service_.CreateShop({.handle = "NORTH-WIND",
                                          .name = "Again",
                                          .owner_email = "o@x.example",
                                          .owner_name = "O",
                                          .owner_password = kOwnerPassword});
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().type, "identity/handle-taken");
}

TEST_P(ShopsAndStaffTest, OnlyOwnersChangeShopSettings) {
  const CreatedShop shop = MakeShop("north-wind");
  Principal admin = StaffPrincipal(shop.owner);
  admin.roles = {Role::kAdmin};
  EXPECT_EQ(service_.UpdateShopSettings(admin, shop.shop.id, {.require_staff_2fa = true}).error().code,
            ErrorCode::kPermissionDenied);
  auto updated = service_.UpdateShopSettings(StaffPrincipal(shop.owner), shop.shop.id, {.require_staff_2fa = true});
  PLAZA_ASSERT_OK(updated);
  EXPECT_TRUE(updated->settings.require_staff_2fa);
  EXPECT_TRUE(service_.GetShop(shop.shop.id)->settings.require_staff_2fa);
}

TEST_P(ShopsAndStaffTest, CreatingStaffNeedsStaffManage) {
  const CreatedShop shop = MakeShop("north-wind");
  const StaffMember agent = MakeStaff(shop, "agent@north-wind.example", {Role::kSupportAgent});
  const auto denied =
      service_.CreateStaff(StaffPrincipal(agent), shop.shop.id,
                           {.email = "new@north-wind.example", .name = "New", .roles = {Role::kModerator}});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(agent.roles, std::vector<Role>{Role::kSupportAgent});
}

TEST_P(ShopsAndStaffTest, OnlyAnOwnerGrantsOwner) {
  const CreatedShop shop = MakeShop("north-wind");
  const StaffMember admin = MakeStaff(shop, "admin@north-wind.example", {Role::kAdmin});
  const auto by_admin = service_.CreateStaff(StaffPrincipal(admin), shop.shop.id,
                                             {.email = "co@north-wind.example", .name = "Co", .roles = {Role::kOwner}});
  ASSERT_FALSE(by_admin.ok());
  EXPECT_EQ(by_admin.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.UpdateStaffRoles(StaffPrincipal(admin), shop.shop.id, admin.id, {Role::kOwner}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.UpdateStaffRoles(StaffPrincipal(admin), shop.shop.id, shop.owner.id, {Role::kAdmin}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.DisableStaff(StaffPrincipal(admin), shop.shop.id, shop.owner.id).error().code,
            ErrorCode::kPermissionDenied);

  // An invitation: no password, so no hash; an owner may grant owner.
  auto co_owner = service_.CreateStaff(StaffPrincipal(shop.owner), shop.shop.id,
                                       {.email = "co@north-wind.example", .name = "Co", .roles = {Role::kOwner}});
  PLAZA_ASSERT_OK(co_owner);
  EXPECT_EQ(co_owner->staff.roles, std::vector<Role>{Role::kOwner});
}

TEST_P(ShopsAndStaffTest, TheShopKeepsAnActiveOwner) {
  const CreatedShop shop = MakeShop("north-wind");
  const Principal owner = StaffPrincipal(shop.owner);
  const auto demoted = service_.UpdateStaffRoles(owner, shop.shop.id, shop.owner.id, {Role::kAdmin});
  ASSERT_FALSE(demoted.ok());
  EXPECT_EQ(demoted.error().type, "identity/last-owner");
  EXPECT_EQ(service_.DisableStaff(owner, shop.shop.id, shop.owner.id).error().type, "identity/cannot-disable-self");

  auto second = service_.CreateStaff(owner, shop.shop.id,
                                     {.email = "co@north-wind.example", .name = "Co", .roles = {Role::kOwner}});
  PLAZA_ASSERT_OK(second);
  auto now_admin = service_.UpdateStaffRoles(owner, shop.shop.id, shop.owner.id, {Role::kAdmin, Role::kAdmin});
  PLAZA_ASSERT_OK(now_admin);
  EXPECT_EQ(now_admin->roles, std::vector<Role>{Role::kAdmin});
}

TEST_P(ShopsAndStaffTest, StaffEmailsAreUniquePerShop) {
  const CreatedShop shop = MakeShop("north-wind");
  const Principal owner = StaffPrincipal(shop.owner);
  PLAZA_ASSERT_OK(
      service_.CreateStaff(owner, shop.shop.id, {.email = "a@x.example", .name = "A", .roles = {Role::kMarketer}}));
  const auto again =
      service_.CreateStaff(owner, shop.shop.id, {.email = " A@X.example", .name = "A", .roles = {Role::kMarketer}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().type, "identity/email-taken");
  EXPECT_EQ(service_.CreateStaff(owner, shop.shop.id, {.email = "b@x.example", .name = "B", .roles = {}}).error().field,
            "/roles");
}

TEST_P(ShopsAndStaffTest, ListAndGetStaff) {
  const CreatedShop shop = MakeShop("north-wind");
  const Principal owner = StaffPrincipal(shop.owner);
  auto invited =
      service_.CreateStaff(owner, shop.shop.id, {.email = "m@x.example", .name = "M", .roles = {Role::kModerator}});
  PLAZA_ASSERT_OK(invited);
  auto staff = service_.ListStaff(owner, shop.shop.id);
  PLAZA_ASSERT_OK(staff);
  ASSERT_EQ(staff->size(), 2u);
  EXPECT_EQ((*staff)[0].id, shop.owner.id);
  EXPECT_FALSE((*staff)[1].has_password);

  // A member may read their own record without staff.manage, but not anyone else's.
  const Principal moderator = StaffPrincipal(invited->staff);
  PLAZA_ASSERT_OK(service_.GetStaff(moderator, shop.shop.id, invited->staff.id));
  EXPECT_EQ(service_.GetStaff(moderator, shop.shop.id, shop.owner.id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.ListStaff(moderator, shop.shop.id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.GetStaff(owner, shop.shop.id, 9999).error().code, ErrorCode::kNotFound);
}

TEST_P(ShopsAndStaffTest, InvitedStaffSetTheirPasswordWithTheInvitation) {
  const CreatedShop shop = MakeShop("north-wind");
  auto invited = service_.CreateStaff(StaffPrincipal(shop.owner), shop.shop.id,
                                      {.email = "new@x.example", .name = "New", .roles = {Role::kMarketer}});
  PLAZA_ASSERT_OK(invited);
  ASSERT_TRUE(invited->invitation_token.has_value());

  const auto before = service_.LogInStaff(Credentials(shop.shop.id, "new@x.example", kOtherPassword));
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().type, "auth/invalid-credentials");

  // Three days is the invitation's life, so it still works after two.
  clock_.Advance(std::chrono::hours(48));
  PLAZA_ASSERT_OK(service_.ConsumePasswordReset(*invited->invitation_token, kOtherPassword, "192.0.2.9"));
  auto session = service_.LogInStaff(Credentials(shop.shop.id, "new@x.example", kOtherPassword));
  PLAZA_ASSERT_OK(session);
  EXPECT_EQ(session->principal.roles, std::vector<Role>{Role::kMarketer});
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_log WHERE shop_id = ? AND action = 'staff.invitation_accepted'",
                      {shop.shop.id}),
            1);
}

TEST_P(ShopsAndStaffTest, DisablingEndsSessionsAndLogIn) {
  const CreatedShop shop = MakeShop("north-wind");
  const StaffMember agent = MakeStaff(shop, "agent@x.example", {Role::kSupportAgent});
  auto session = service_.LogInStaff(Credentials(shop.shop.id, "agent@x.example", kOtherPassword));
  PLAZA_ASSERT_OK(session);
  PLAZA_ASSERT_OK(service_.ResolveSession(session->token, "192.0.2.1"));

  PLAZA_ASSERT_OK(service_.DisableStaff(StaffPrincipal(shop.owner), shop.shop.id, agent.id));
  EXPECT_EQ(service_.ResolveSession(session->token, "192.0.2.1").error().type, "auth/session-invalid");
  const auto again = service_.LogInStaff(Credentials(shop.shop.id, "agent@x.example", kOtherPassword));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().type, "auth/invalid-credentials");
  EXPECT_TRUE(service_.GetStaff(StaffPrincipal(shop.owner), shop.shop.id, agent.id)->disabled);
}

INSTANTIATE_TEST_SUITE_P(Backends, ShopsAndStaffTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::identity::testing
