// Groups and the idea board over HTTP: what visitors, strangers, invitees and members see
// of private and invite-only groups on every route, joining, VIP rules, supports, staff
// decisions, hostile input and shop boundaries.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class CommunityApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("gathering");
    base_ = "/api/v1/shops/" + shop_.handle;
    owner_ = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  }

  struct Person {
    Credentials session;
    std::int64_t profile_id = 0;
  };

  Person WithProfile(const std::string& handle) {
    Person person{SignUpCustomer(shop_, handle + "@example.com")};
    auto created = Call("POST", base_ + "/customer/social/profile", person.session,
                        R"({"handle":")" + handle + R"(","display_name":"The )" + handle + R"("})");
    EXPECT_EQ(created.status, 201) << created.body;
    person.profile_id = created.status == 201 ? created.Json().at("id").as_int64() : 0;
    return person;
  }

  std::int64_t MakeGroup(const Person& owner, const std::string& handle, const std::string& access) {
    auto created = Call("POST", base_ + "/customer/social/groups", owner.session,
                        R"({"handle":")" + handle + R"(","name":"The )" + handle +
                            R"(","rules":"Be kind.","access":")" + access + R"("})");
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.Json().at("id").as_int64() : 0;
  }

  int PublicStatus(const std::string& path) {
    auto response = client().Get(base_ + path);
    EXPECT_TRUE(response.ok());
    return response.ok() ? response->status : 0;
  }

  bool Lists(const http::testing::ClientResponse& response, std::int64_t group_id) {
    const boost::json::value listed = response.Json();
    for (const auto& group : listed.at("groups").as_array()) {
      if (group.at("id").as_int64() == group_id) return true;
    }
    return false;
  }

  TestShop shop_;
  std::string base_;
  Credentials owner_;
};

TEST_P(CommunityApiTest, InviteOnlyGroupIsAbsentOnEveryRouteUntilInvited) {
  Person maker = WithProfile("maker");
  Person stranger = WithProfile("stranger");
  const std::int64_t group = MakeGroup(maker, "secret", "invite_only");
  const std::string id = std::to_string(group);
  EXPECT_EQ(PublicStatus("/social/groups/secret"), 404);
  EXPECT_EQ(PublicStatus("/social/groups/secret/members"), 404);
  auto anonymous_list = client().Get(base_ + "/social/groups");
  ASSERT_TRUE(anonymous_list.ok());
  EXPECT_FALSE(Lists(*anonymous_list, group));
  EXPECT_FALSE(Lists(Call("GET", base_ + "/customer/social/groups", stranger.session), group));
  const std::string customer_group = base_ + "/customer/social/groups/" + id;
  EXPECT_EQ(Call("GET", customer_group, stranger.session).status, 404);
  EXPECT_EQ(Call("GET", customer_group + "/members", stranger.session).status, 404);
  EXPECT_EQ(Call("PUT", customer_group + "/membership", stranger.session).status, 404);
  EXPECT_EQ(Call("DELETE", customer_group + "/membership", stranger.session).status, 404);
  EXPECT_EQ(Call("PATCH", customer_group, stranger.session, R"({"name":"Mine"})").status, 404);
  EXPECT_EQ(Call("GET", customer_group + "/requests", stranger.session).status, 404);
  EXPECT_EQ(
      Call("PUT", customer_group + "/invitations/" + std::to_string(stranger.profile_id), stranger.session).status,
      404);
  EXPECT_EQ(
      Call("POST", base_ + "/customer/social/posts", stranger.session, R"({"text":"hello","group_id":)" + id + "}")
          .status,
      404);

  ASSERT_EQ(Call("PUT", customer_group + "/invitations/" + std::to_string(stranger.profile_id), maker.session).status,
            204);
  auto seen = Call("GET", customer_group, stranger.session);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_TRUE(seen.Json().at("standing").at("invited").as_bool());
  EXPECT_FALSE(seen.Json().at("content_visible").as_bool());
  auto joined = Call("PUT", customer_group + "/membership", stranger.session);
  ASSERT_EQ(joined.status, 200) << joined.body;
  EXPECT_EQ(joined.Json().at("state").as_string(), "joined");
  EXPECT_EQ(Call("GET", customer_group + "/members", stranger.session).Json().at("members").as_array().size(), 2u);
  EXPECT_EQ(
      Call("POST", base_ + "/customer/social/posts", stranger.session, R"({"text":"hello","group_id":)" + id + "}")
          .status,
      201);
  // Still nothing for visitors.
  EXPECT_EQ(PublicStatus("/social/groups/secret"), 404);
}

TEST_P(CommunityApiTest, PrivateGroupShowsItsHeaderButNotItsContentAndRequestsNeedAModerator) {
  Person maker = WithProfile("maker");
  Person asker = WithProfile("asker");
  const std::int64_t group = MakeGroup(maker, "inner", "private");
  const std::string customer_group = base_ + "/customer/social/groups/" + std::to_string(group);
  auto header = client().Get(base_ + "/social/groups/inner");
  ASSERT_TRUE(header.ok());
  ASSERT_EQ(header->status, 200);
  EXPECT_EQ(header->Json().at("rules").as_string(), "Be kind.");
  EXPECT_FALSE(header->Json().at("content_visible").as_bool());
  EXPECT_EQ(PublicStatus("/social/groups/inner/members"), 403);
  EXPECT_EQ(Call("GET", customer_group + "/members", asker.session).ProblemType(), "/problems/community/members-only");
  auto post = Call("POST", base_ + "/customer/social/posts", maker.session,
                   R"({"text":"members only","group_id":)" + std::to_string(group) + "}");
  ASSERT_EQ(post.status, 201) << post.body;
  const std::string post_id = std::to_string(post.Json().at("id").as_int64());
  EXPECT_EQ(PublicStatus("/social/posts/" + post_id), 404);
  EXPECT_EQ(Call("POST", base_ + "/customer/social/posts", asker.session,
                 R"({"text":"let me in","group_id":)" + std::to_string(group) + "}")
                .ProblemType(),
            "/problems/community/members-only");

  auto requested = Call("PUT", customer_group + "/membership", asker.session);
  ASSERT_EQ(requested.status, 200);
  EXPECT_EQ(requested.Json().at("state").as_string(), "requested");
  EXPECT_EQ(Call("GET", customer_group + "/requests", asker.session).ProblemType(),
            "/problems/community/not-moderator");
  auto requests = Call("GET", customer_group + "/requests", maker.session);
  ASSERT_EQ(requests.status, 200);
  ASSERT_EQ(requests.Json().at("requests").as_array().size(), 1u);
  EXPECT_EQ(
      Call("POST", customer_group + "/requests/" + std::to_string(asker.profile_id) + "/approve", maker.session).status,
      204);
  auto inside = Call("GET", customer_group, asker.session);
  EXPECT_TRUE(inside.Json().at("content_visible").as_bool());
  EXPECT_EQ(inside.Json().at("standing").at("role").as_string(), "member");
  EXPECT_EQ(Call("PUT", customer_group + "/pins/" + post_id, asker.session).status, 403);
  EXPECT_EQ(Call("PUT", customer_group + "/pins/" + post_id, maker.session).status, 204);
}

TEST_P(CommunityApiTest, StaffSetAVipRuleAndOnlyQualifyingCustomersJoin) {
  Person brand = WithProfile("brand");
  Person gold = WithProfile("goldie");
  Person plain = WithProfile("plain");
  const std::int64_t group = MakeGroup(brand, "insiders", "private");
  const std::string staff_group = base_ + "/community/groups/" + std::to_string(group);
  auto bad = Call("PUT", staff_group + "/vip", owner_, R"({"customer_tag":"gold","min_paid_orders":2})");
  EXPECT_EQ(bad.ProblemType(), "/problems/community/invalid-vip-rule");
  auto vip = Call("PUT", staff_group + "/vip", owner_, R"({"customer_tag":"gold","member_tag":"insider"})");
  ASSERT_EQ(vip.status, 200) << vip.body;
  EXPECT_EQ(vip.Json().at("vip").at("member_tag").as_string(), "insider");
  // Tag the customer through the staff API, as a merchant would.
  const std::int64_t customer_id = gold.session.user_id;
  auto tagged =
      Call("PUT", base_ + "/customers/" + std::to_string(customer_id) + "/tags", owner_, R"({"tags":["gold"]})");
  ASSERT_EQ(tagged.status, 200) << tagged.body;
  const std::string join = base_ + "/customer/social/groups/" + std::to_string(group) + "/membership";
  auto refused = Call("PUT", join, plain.session);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.ProblemType(), "/problems/community/not-eligible");
  auto joined = Call("PUT", join, gold.session);
  ASSERT_EQ(joined.status, 200) << joined.body;
  EXPECT_EQ(joined.Json().at("state").as_string(), "joined");
  auto customer = Call("GET", base_ + "/customers/" + std::to_string(customer_id), owner_);
  ASSERT_EQ(customer.status, 200) << customer.body;
  const boost::json::value customer_json = customer.Json();
  const auto& tags = customer_json.at("tags").as_array();
  EXPECT_NE(std::find(tags.begin(), tags.end(), boost::json::value("insider")), tags.end());
  auto sweep = Call("POST", staff_group + "/vip/reevaluate", owner_);
  ASSERT_EQ(sweep.status, 200) << sweep.body;
  EXPECT_EQ(sweep.Json().at("removed").as_int64(), 0);
  // A marketer may not decide who carries customer tags.
  Credentials marketer = StaffWithRoles(shop_, "marketer@example.com", {identity::Role::kMarketer});
  EXPECT_EQ(Call("DELETE", staff_group + "/vip", marketer).status, 403);
}

TEST_P(CommunityApiTest, IdeasAreSupportedReviewedAndDecided) {
  Person author = WithProfile("dreamer");
  ASSERT_EQ(Call("PUT", base_ + "/community/idea-settings", owner_, R"({"support_threshold":2})").status, 200);
  auto created = Call("POST", base_ + "/customer/social/ideas", author.session,
                      R"({"title":"<b>Paper lamp</b>","description":"Folds flat.\nShips small."})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(created.Json().at("id").as_int64());
  const std::string support = base_ + "/customer/social/ideas/" + id + "/support";
  EXPECT_EQ(Call("PUT", support, author.session).ProblemType(), "/problems/community/self-support");
  for (const std::string fan : {"fan_one", "fan_two"}) {
    Person person = WithProfile(fan);
    auto supported = Call("PUT", support, person.session);
    ASSERT_EQ(supported.status, 200) << supported.body;
    EXPECT_TRUE(supported.Json().at("supported").as_bool());
  }
  auto shown = client().Get(base_ + "/social/ideas/" + id);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->Json().at("supports_count").as_int64(), 2);
  EXPECT_EQ(shown->Json().at("status").as_string(), "review");
  EXPECT_EQ(shown->Json().at("title").as_string(), "<b>Paper lamp</b>");
  auto in_review = Call("GET", base_ + "/community/ideas?status=review", owner_);
  ASSERT_EQ(in_review.status, 200);
  EXPECT_EQ(in_review.Json().at("ideas").as_array().size(), 1u);
  EXPECT_EQ(Call("GET", base_ + "/community/ideas?status=bogus", owner_).status, 422);
  auto accepted = Call("POST", base_ + "/community/ideas/" + id + "/accept", owner_);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const std::string product_id = std::to_string(accepted.Json().at("product_id").as_int64());
  auto product = Call("GET", base_ + "/products/" + product_id, owner_);
  ASSERT_EQ(product.status, 200) << product.body;
  EXPECT_EQ(product.Json().at("status").as_string(), "draft");
  EXPECT_NE(std::string(product.Json().at("description_html").as_string()).find("@dreamer"), std::string::npos);

  auto second = Call("POST", base_ + "/customer/social/ideas", author.session,
                     R"({"title":"Glass lamp","description":"Heavy."})");
  const std::string second_id = std::to_string(second.Json().at("id").as_int64());
  EXPECT_EQ(Call("POST", base_ + "/community/ideas/" + second_id + "/decline", owner_, R"({})").status, 422);
  auto declined = Call("POST", base_ + "/community/ideas/" + second_id + "/decline", owner_,
                       R"({"reason":"Too fragile to ship."})");
  ASSERT_EQ(declined.status, 200) << declined.body;
  EXPECT_EQ(declined.Json().at("decline_reason").as_string(), "Too fragile to ship.");
}

TEST_P(CommunityApiTest, HostileInputIsRefusedWithItsField) {
  Person maker = WithProfile("maker");
  auto control =
      Call("POST", base_ + "/customer/social/groups", maker.session, "{\"handle\":\"okay\",\"name\":\"bell\\u0007\"}");
  EXPECT_EQ(control.status, 422);
  EXPECT_EQ(control.Json().at("field").as_string(), "/name");
  auto access = Call("POST", base_ + "/customer/social/groups", maker.session,
                     R"({"handle":"okay","name":"Okay","access":"secret"})");
  EXPECT_EQ(access.Json().at("field").as_string(), "/access");
  auto unknown = Call("POST", base_ + "/customer/social/groups", maker.session,
                      R"({"handle":"okay","name":"Okay","owner_profile_id":1})");
  EXPECT_EQ(unknown.ProblemType(), "/problems/validation/unknown-field");
  auto huge = Call("POST", base_ + "/customer/social/ideas", maker.session,
                   R"({"title":"ok","description":")" + std::string(30'000, 'x') + R"("})");
  EXPECT_EQ(huge.status, 422);
  EXPECT_EQ(Call("GET", base_ + "/customer/social/groups/not-a-number", maker.session).status, 404);
  EXPECT_EQ(Call("GET", base_ + "/customer/social/groups?cursor=abc", maker.session).status, 422);
}

TEST_P(CommunityApiTest, AnotherShopsGroupsAndIdeasAreAbsent) {
  Person maker = WithProfile("maker");
  const std::int64_t group = MakeGroup(maker, "open", "public");
  auto idea = Call("POST", base_ + "/customer/social/ideas", maker.session, R"({"title":"Idea","description":"Text"})");
  ASSERT_EQ(idea.status, 201);
  const TestShop other = CreateShop("elsewhere");
  const std::string other_base = "/api/v1/shops/" + other.handle;
  auto other_list = client().Get(other_base + "/social/groups");
  ASSERT_TRUE(other_list.ok());
  EXPECT_TRUE(other_list->Json().at("groups").as_array().empty());
  auto response = client().Get(other_base + "/social/groups/open");
  EXPECT_EQ(response->status, 404);
  response = client().Get(other_base + "/social/ideas/" + std::to_string(idea.Json().at("id").as_int64()));
  EXPECT_EQ(response->status, 404);
  Credentials other_owner = LogInStaff(other, other.owner_email, other.owner_password);
  EXPECT_EQ(Call("GET", other_base + "/community/groups/" + std::to_string(group), other_owner).status, 404);
  EXPECT_EQ(Call("GET", base_ + "/community/groups/" + std::to_string(group), other_owner).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, CommunityApiTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
