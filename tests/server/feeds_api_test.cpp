// Feeds and notifications over HTTP: a customer follows another and sees their post in
// the timeline, the followed one is notified and reads it, purchase sharing is a choice,
// and the public discovery and product feeds answer anonymous visitors.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class FeedsApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("feedshop");
    base_ = "/api/v1/shops/" + shop_.handle;
  }

  Credentials WithProfile(const std::string& handle) {
    Credentials customer = SignUpCustomer(shop_, handle + "@example.com");
    auto created = Call("POST", base_ + "/customer/social/profile", customer,
                        R"({"handle":")" + handle + R"(","display_name":"The )" + handle + R"("})");
    EXPECT_EQ(created.status, 201) << created.body;
    return customer;
  }

  std::int64_t PostAs(const Credentials& author, const std::string& text) {
    auto created = Call("POST", base_ + "/customer/social/posts", author, R"({"text":")" + text + R"("})");
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.Json().at("id").as_int64() : 0;
  }

  TestShop shop_;
  std::string base_;
};

TEST_P(FeedsApiTest, FollowingShowsPostsInTheTimelineAndNotifies) {
  Credentials ana = WithProfile("ana");
  Credentials ben = WithProfile("ben");
  const std::int64_t post = PostAs(ben, "new drop");
  EXPECT_TRUE(Call("GET", base_ + "/customer/social/timeline", ana).Json().at("posts").as_array().empty());
  ASSERT_EQ(Call("PUT", base_ + "/customer/social/following/ben", ana).status, 200);

  auto timeline = Call("GET", base_ + "/customer/social/timeline?limit=10", ana);
  ASSERT_EQ(timeline.status, 200) << timeline.body;
  const boost::json::value timeline_body = timeline.Json();
  const auto& posts = timeline_body.at("posts").as_array();
  ASSERT_EQ(posts.size(), 1U);
  EXPECT_EQ(posts[0].at("id").as_int64(), post);
  EXPECT_EQ(posts[0].at("author").at("handle").as_string(), "ben");
  EXPECT_TRUE(timeline_body.at("next_cursor").is_null());
  EXPECT_EQ(Call("GET", base_ + "/customer/social/timeline?cursor=zz", ana).ProblemType(),
            "/problems/social/invalid-cursor");

  auto notifications = Call("GET", base_ + "/customer/social/notifications", ben);
  ASSERT_EQ(notifications.status, 200) << notifications.body;
  const boost::json::value notifications_body = notifications.Json();
  EXPECT_EQ(notifications_body.at("unread_count").as_int64(), 1);
  const auto& items = notifications_body.at("notifications").as_array();
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].at("kind").as_string(), "follow");
  EXPECT_EQ(items[0].at("actor").at("handle").as_string(), "ana");
  EXPECT_TRUE(items[0].at("read_at").is_null());
  const std::int64_t id = items[0].at("id").as_int64();
  // Someone else's notification is absent; marking needs the session's CSRF token.
  EXPECT_EQ(Call("POST", base_ + "/customer/social/notifications/" + std::to_string(id) + "/read", ana).status, 404);
  Credentials no_csrf = ben;
  no_csrf.headers.Set("X-CSRF-Token", "wrong");
  EXPECT_EQ(
      Call("POST", base_ + "/customer/social/notifications/" + std::to_string(id) + "/read", no_csrf).ProblemType(),
      "/problems/auth/csrf");
  EXPECT_EQ(Call("POST", base_ + "/customer/social/notifications/" + std::to_string(id) + "/read", ben).status, 204);
  auto after = Call("GET", base_ + "/customer/social/notifications?unread=true", ben);
  const boost::json::value after_body = after.Json();
  EXPECT_EQ(after_body.at("unread_count").as_int64(), 0);
  EXPECT_TRUE(after_body.at("notifications").as_array().empty());
  EXPECT_EQ(Call("POST", base_ + "/customer/social/notifications/read-all", ben).Json().at("marked").as_int64(), 0);
  EXPECT_EQ(Call("GET", base_ + "/customer/social/notifications?unread=maybe", ben).status, 422);
}

TEST_P(FeedsApiTest, PurchaseSharingIsAChoiceAndSocialProofCountsOnlySharers) {
  Credentials ana = WithProfile("ana");
  WithProfile("ben");
  auto initial = Call("GET", base_ + "/customer/social/purchase-sharing", ana);
  ASSERT_EQ(initial.status, 200) << initial.body;
  EXPECT_FALSE(initial.Json().at("share_purchases").as_bool());
  auto turned_on = Call("PUT", base_ + "/customer/social/purchase-sharing", ana, R"({"share_purchases":true})");
  ASSERT_EQ(turned_on.status, 200) << turned_on.body;
  EXPECT_TRUE(turned_on.Json().at("share_purchases").as_bool());
  EXPECT_EQ(Call("PUT", base_ + "/customer/social/purchase-sharing", ana, R"({"share":true})").status, 422);
  ASSERT_EQ(Call("PUT", base_ + "/customer/social/following/ben", ana).status, 200);
  auto proof = Call("GET", base_ + "/customer/social/products/1/followed-buyers", ana);
  ASSERT_EQ(proof.status, 200) << proof.body;
  EXPECT_EQ(proof.Json().at("count").as_int64(), 0);
  EXPECT_TRUE(proof.Json().at("examples").as_array().empty());
  // Without a profile there is nothing to share.
  Credentials nobody = SignUpCustomer(shop_, "nobody@example.com");
  EXPECT_EQ(Call("GET", base_ + "/customer/social/purchase-sharing", nobody).ProblemType(),
            "/problems/social/no-profile");
}

TEST_P(FeedsApiTest, PublicDiscoveryAndProductFeedsAnswerVisitors) {
  Credentials ben = WithProfile("ben");
  const std::int64_t post = PostAs(ben, "hello #summer");
  auto discovery = client().Get(base_ + "/social/discovery?limit=5");
  ASSERT_TRUE(discovery.ok());
  ASSERT_EQ(discovery->status, 200) << discovery->body;
  const boost::json::value discovery_body = discovery->Json();
  const auto& posts = discovery_body.at("posts").as_array();
  ASSERT_EQ(posts.size(), 1U);
  EXPECT_EQ(posts[0].at("id").as_int64(), post);
  auto product = client().Get(base_ + "/social/products/999/posts");
  ASSERT_TRUE(product.ok());
  EXPECT_EQ(product->status, 200);
  EXPECT_TRUE(product->Json().at("posts").as_array().empty());
  auto bad = client().Get(base_ + "/social/discovery?limit=1000");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 422);
}

INSTANTIATE_TEST_SUITE_P(Backends, FeedsApiTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
