// VIP groups: membership that follows a customer tag or paid orders, the member tag the
// group gives, and the member-only drop promotion through a real cart.

#include <gtest/gtest.h>

#include <algorithm>

#include "community_test_fixture.h"
#include "plaza/community/groups.h"
#include "plaza/identity/audit.h"

namespace plaza::community {
namespace {

using testing::CommunityTest;

bool HasTag(const std::vector<std::string>& tags, const std::string& tag) {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

class VipTest : public CommunityTest {
 protected:
  Group VipGroup(const VipRule& rule, GroupAccess access = GroupAccess::kPrivate) {
    auto group = groups_.CreateGroup(shop_, brand_, {.handle = "insiders", .name = "Insiders", .access = access});
    EXPECT_TRUE(group.ok());
    auto vip = groups_.SetVipRule(staff_, shop_, group->id, rule);
    EXPECT_TRUE(vip.ok()) << vip.error().type << ": " << vip.error().detail;
    return vip.ok() ? *vip : Group{};
  }

  void SetUp() override {
    CommunityTest::SetUp();
    brand_ = Profile("aurelle");
  }

  std::int64_t brand_ = 0;
};

TEST_P(VipTest, CustomerTagDecidesWhoJoinsAndMembersCarryTheGroupTag) {
  const Group group = VipGroup({.customer_tag = "Gold", .member_tag = "insider"});
  const auto gold = Customer("goldie");
  const auto plain = Customer("plain");
  PLAZA_ASSERT_OK(identity_.SetCustomerTags(staff_, shop_, gold.customer_id, {"gold"}));

  auto refused = groups_.Join(shop_, plain.profile_id, group.id);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "community/not-eligible");
  EXPECT_EQ(refused.error().detail, "This group is for customers tagged \"Gold\".");
  // A profile without a customer account never qualifies.
  EXPECT_EQ(groups_.Join(shop_, Profile("creator"), group.id).error().type, "community/not-eligible");

  auto joined = groups_.Join(shop_, gold.profile_id, group.id);
  PLAZA_ASSERT_OK(joined);
  EXPECT_EQ(*joined, JoinOutcome::kJoined);  // no request: qualifying is the approval
  EXPECT_TRUE(HasTag(Tags(gold.customer_id), "insider"));
  EXPECT_FALSE(HasTag(Tags(plain.customer_id), "insider"));
  // The tag was given by the system, audited as such.
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_log WHERE shop_id = ? AND actor = 'system' AND "
                      "action = 'customer.tags_changed' AND target = ?",
                      {shop_, "customer:" + std::to_string(gold.customer_id)}),
            1);

  PLAZA_ASSERT_OK(groups_.Leave(shop_, gold.profile_id, group.id));
  EXPECT_FALSE(HasTag(Tags(gold.customer_id), "insider"));
}

TEST_P(VipTest, ReevaluationRemovesMembersWhoLostTheTag) {
  const Group group = VipGroup({.customer_tag = "gold", .member_tag = "insider"});
  const auto first = Customer("first");
  const auto second = Customer("second");
  for (const auto& customer : {first, second}) {
    PLAZA_ASSERT_OK(identity_.SetCustomerTags(staff_, shop_, customer.customer_id, {"gold"}));
    PLAZA_ASSERT_OK(groups_.Join(shop_, customer.profile_id, group.id));
  }
  PLAZA_ASSERT_OK(identity_.SetCustomerTags(staff_, shop_, second.customer_id, {"insider"}));
  auto sweep = groups_.ReevaluateVip(staff_, shop_, group.id);
  PLAZA_ASSERT_OK(sweep);
  EXPECT_EQ(sweep->removed, 1);
  EXPECT_EQ(sweep->kept, 2);  // the owner and the first customer
  EXPECT_FALSE(groups_.ViewGroupById(shop_, group.id, second.profile_id)->standing.role.has_value());
  EXPECT_FALSE(HasTag(Tags(second.customer_id), "insider"));
  EXPECT_TRUE(HasTag(Tags(first.customer_id), "insider"));
  // Staff took the member tag away by hand: re-evaluation gives it back to a member.
  PLAZA_ASSERT_OK(identity_.SetCustomerTags(staff_, shop_, first.customer_id, {"gold"}));
  sweep = groups_.ReevaluateVip(staff_, shop_, group.id);
  PLAZA_ASSERT_OK(sweep);
  EXPECT_EQ(sweep->retagged, 1);
  EXPECT_TRUE(HasTag(Tags(first.customer_id), "insider"));
  EXPECT_EQ(groups_.ViewGroupById(shop_, group.id, brand_)->group.members_count, 2);
}

TEST_P(VipTest, ThePeriodicPassReevaluatesEveryVipGroupAsTheSystem) {
  const Group group = VipGroup({.customer_tag = "gold", .member_tag = "insider"});
  const auto member = Customer("member");
  PLAZA_ASSERT_OK(identity_.SetCustomerTags(staff_, shop_, member.customer_id, {"gold"}));
  PLAZA_ASSERT_OK(groups_.Join(shop_, member.profile_id, group.id));
  auto quiet = groups_.ReevaluateAllVip();
  PLAZA_ASSERT_OK(quiet);
  EXPECT_EQ(quiet->removed, 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_log WHERE action = 'group.vip_reevaluated'"), 0);
  PLAZA_ASSERT_OK(identity_.SetCustomerTags(staff_, shop_, member.customer_id, {"insider"}));
  auto sweep = groups_.ReevaluateAllVip();
  PLAZA_ASSERT_OK(sweep);
  EXPECT_EQ(sweep->removed, 1);
  EXPECT_TRUE(Tags(member.customer_id).empty());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_log WHERE shop_id = ? AND actor = 'system' AND "
                      "action = 'group.vip_reevaluated'",
                      {shop_}),
            1);
}

TEST_P(VipTest, PaidOrderCountDecidesWhoJoins) {
  SetUpCommerce();
  const auto [product_id, variant_id] = Product("Scarf", 4000);
  const Group group = VipGroup({.min_paid_orders = 2});
  const auto buyer = Customer("buyer");
  PLAZA_ASSERT_OK(Buy(buyer.customer_id, variant_id, "order-1"));
  auto refused = groups_.Join(shop_, buyer.profile_id, group.id);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().detail, "This group is for customers with at least 2 paid orders; you have 1.");
  PLAZA_ASSERT_OK(Buy(buyer.customer_id, variant_id, "order-2"));
  PLAZA_ASSERT_OK(groups_.Join(shop_, buyer.profile_id, group.id));
  // Another customer's orders count for nobody else.
  const auto other = Customer("other");
  EXPECT_EQ(groups_.Join(shop_, other.profile_id, group.id).error().type, "community/not-eligible");
}

TEST_P(VipTest, MemberOnlyDropPromotionAppliesAtCheckoutToMembersAndNotToOthers) {
  SetUpCommerce();
  const auto [product_id, variant_id] = Product("Limited jacket", 20000);
  const Group group = VipGroup({.customer_tag = "gold", .member_tag = "insiders-drop"});
  const TimePoint drop_start = clock_.Now() + std::chrono::hours(1);
  promotions::PromotionDefinition drop;
  drop.title = "Insiders' early access";
  drop.kind = promotions::PromotionKind::kPercentage;
  drop.automatic = true;
  drop.percent_off = 2000;  // 20%
  drop.applies_to.product_ids = {product_id};
  drop.customer_tags = {"insiders-drop"};
  drop.starts_at = drop_start;
  drop.ends_at = drop_start + std::chrono::hours(48);
  PLAZA_ASSERT_OK(promotions_.Create(shop_, drop));

  const auto member = Customer("member");
  const auto outsider = Customer("outsider");
  PLAZA_ASSERT_OK(identity_.SetCustomerTags(staff_, shop_, member.customer_id, {"gold"}));
  PLAZA_ASSERT_OK(groups_.Join(shop_, member.profile_id, group.id));
  EXPECT_EQ(groups_.Join(shop_, outsider.profile_id, group.id).error().type, "community/not-eligible");

  // Before the window nobody gets it.
  auto early = CartWith(member.customer_id, variant_id);
  PLAZA_ASSERT_OK(early);
  EXPECT_EQ(early->discount_total, 0);

  clock_.Set(drop_start);
  auto member_cart = CartWith(member.customer_id, variant_id);
  PLAZA_ASSERT_OK(member_cart);
  EXPECT_EQ(member_cart->discount_total, 4000);
  auto outsider_cart = CartWith(outsider.customer_id, variant_id);
  PLAZA_ASSERT_OK(outsider_cart);
  EXPECT_EQ(outsider_cart->discount_total, 0);
  auto guest_cart = CartWith(std::nullopt, variant_id);
  PLAZA_ASSERT_OK(guest_cart);
  EXPECT_EQ(guest_cart->discount_total, 0);

  // The member pays the drop price; the order records the discount.
  auto order = Buy(member.customer_id, variant_id, "member-order");
  PLAZA_ASSERT_OK(order);
  EXPECT_EQ(order->discount_total, 4000);
  auto outsider_order = Buy(outsider.customer_id, variant_id, "outsider-order");
  PLAZA_ASSERT_OK(outsider_order);
  EXPECT_EQ(outsider_order->discount_total, 0);

  // Leaving the group ends the early access.
  PLAZA_ASSERT_OK(groups_.Leave(shop_, member.profile_id, group.id));
  auto after_leaving = CartWith(member.customer_id, variant_id);
  PLAZA_ASSERT_OK(after_leaving);
  EXPECT_EQ(after_leaving->discount_total, 0);
}

TEST_P(VipTest, RuleChangesAreCheckedAuditedAndApplied) {
  auto group = groups_.CreateGroup(shop_, brand_, {.handle = "club", .name = "Club", .access = GroupAccess::kPublic});
  PLAZA_ASSERT_OK(group);
  const auto member = Customer("member");
  PLAZA_ASSERT_OK(groups_.Join(shop_, member.profile_id, group->id));
  EXPECT_EQ(groups_.SetVipRule(staff_, shop_, group->id, VipRule{}).error().type, "community/invalid-vip-rule");
  EXPECT_EQ(
      groups_.SetVipRule(staff_, shop_, group->id, VipRule{.customer_tag = "gold", .min_paid_orders = 1}).error().type,
      "community/invalid-vip-rule");
  EXPECT_EQ(groups_.SetVipRule(staff_, shop_, group->id, VipRule{.min_paid_orders = 0}).error().field,
            "/min_paid_orders");
  EXPECT_EQ(
      groups_.SetVipRule(staff_, shop_, group->id, VipRule{.customer_tag = "gold", .member_tag = "GOLD"}).error().field,
      "/member_tag");
  EXPECT_EQ(groups_.SetVipRule(staff_, shop_, group->id, VipRule{.customer_tag = " gold"}).error().field,
            "/customer_tag");
  identity::Principal marketer = staff_;
  marketer.roles = {identity::Role::kMarketer};
  EXPECT_EQ(groups_.SetVipRule(marketer, shop_, group->id, VipRule{.customer_tag = "gold"}).error().code,
            ErrorCode::kPermissionDenied);

  // Turning an existing group VIP removes members who do not qualify, and is audited.
  auto vip = groups_.SetVipRule(staff_, shop_, group->id, VipRule{.customer_tag = "gold", .member_tag = "club"});
  PLAZA_ASSERT_OK(vip);
  EXPECT_EQ(vip->members_count, 1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_log WHERE shop_id = ? AND action = 'group.vip_changed'", {shop_}), 1);
  EXPECT_EQ(groups_.UpdateGroup(shop_, brand_, group->id, {.access = GroupAccess::kInviteOnly}).error().type,
            "community/vip-invite-only");
  // A second group cannot hand out the same member tag.
  auto second = groups_.CreateGroup(shop_, brand_, {.handle = "club2", .name = "Club 2"});
  PLAZA_ASSERT_OK(second);
  EXPECT_EQ(
      groups_.SetVipRule(staff_, shop_, second->id, VipRule{.customer_tag = "x", .member_tag = "CLUB"}).error().type,
      "community/member-tag-taken");
  // Back to an ordinary group: members stay, the member tag goes.
  PLAZA_ASSERT_OK(identity_.SetCustomerTags(staff_, shop_, member.customer_id, {"gold"}));
  PLAZA_ASSERT_OK(groups_.Join(shop_, member.profile_id, group->id));
  EXPECT_TRUE(HasTag(Tags(member.customer_id), "club"));
  auto plain = groups_.SetVipRule(staff_, shop_, group->id, std::nullopt);
  PLAZA_ASSERT_OK(plain);
  EXPECT_FALSE(plain->vip.has_value());
  EXPECT_EQ(plain->members_count, 2);
  EXPECT_FALSE(HasTag(Tags(member.customer_id), "club"));
}

INSTANTIATE_TEST_SUITE_P(Backends, VipTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::community
