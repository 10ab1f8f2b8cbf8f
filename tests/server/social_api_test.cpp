// Social profiles over HTTP: a customer's profile, follow requests to a private profile,
// what visitors and blocked customers see, hostile input, and shop boundaries.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class SocialApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("socialite");
    base_ = "/api/v1/shops/" + shop_.handle;
  }

  Credentials WithProfile(const std::string& handle, bool is_private = false) {
    Credentials customer = SignUpCustomer(shop_, handle + "@example.com");
    auto created = Call("POST", base_ + "/customer/social/profile", customer,
                        R"({"handle":")" + handle + R"(","display_name":"The )" + handle + R"(","bio":"About )" +
                            handle + R"(","links":["https://example.com/)" + handle + R"("],"is_private":)" +
                            (is_private ? "true" : "false") + "}");
    EXPECT_EQ(created.status, 201) << created.body;
    return customer;
  }

  http::testing::ClientResponse Public(const std::string& path) {
    auto response = client().Get(base_ + path);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  TestShop shop_;
  std::string base_;
};

TEST_P(SocialApiTest, CreatingAProfileNeedsASessionAndItsCsrfToken) {
  Credentials ana = SignUpCustomer(shop_, "ana@example.com");
  EXPECT_EQ(Call("GET", base_ + "/customer/social/profile", ana).ProblemType(), "/problems/social/no-profile");
  Credentials no_csrf = ana;
  no_csrf.headers.Set("X-CSRF-Token", "wrong");
  const std::string body = R"({"handle":"ana","display_name":"Ana"})";
  EXPECT_EQ(Call("POST", base_ + "/customer/social/profile", no_csrf, body).ProblemType(), "/problems/auth/csrf");
  EXPECT_EQ(Call("POST", base_ + "/customer/social/profile", Credentials{}, body).status, 401);
  auto created = Call("POST", base_ + "/customer/social/profile", ana, body);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json().at("kind").as_string(), "customer");
  auto again = Call("POST", base_ + "/customer/social/profile", ana, R"({"handle":"ana2","display_name":"Ana"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.ProblemType(), "/problems/social/customer-has-profile");
}

TEST_P(SocialApiTest, HostileInputIsRefusedPreciselyOrKeptAsText) {
  Credentials ana = SignUpCustomer(shop_, "ana@example.com");
  auto zero_width = Call("POST", base_ + "/customer/social/profile", ana,
                         "{\"handle\":\"an\xE2\x80\x8B"
                         "a\",\"display_name\":\"Ana\"}");
  EXPECT_EQ(zero_width.status, 422);
  EXPECT_EQ(zero_width.ProblemType(), "/problems/social/invalid-handle");
  EXPECT_EQ(zero_width.Json().at("field").as_string(), "/handle");
  EXPECT_NE(std::string(zero_width.Json().at("detail").as_string()).find("U+200B at position 3"), std::string::npos);
  auto overlong = Call("POST", base_ + "/customer/social/profile", ana,
                       R"({"handle":")" + std::string(40, 'a') + R"(","display_name":"Ana"})");
  EXPECT_EQ(overlong.status, 422);
  EXPECT_EQ(overlong.ProblemType(), "/problems/social/handle-length");
  auto bad_link =
      Call("POST", base_ + "/customer/social/profile", ana,
           R"json({"handle":"ana","display_name":"Ana","links":["https://ok.example","javascript:alert(1)"]})json");
  EXPECT_EQ(bad_link.status, 422);
  EXPECT_EQ(bad_link.Json().at("field").as_string(), "/links/1");

  const std::string bio = "<script>alert(\"x\")</script> & <img src=x onerror=alert(1)>";
  boost::json::object body{{"handle", "ana"}, {"display_name", "<b>Ana</b>"}, {"bio", bio}};
  auto created = Call("POST", base_ + "/customer/social/profile", ana, boost::json::serialize(body));
  ASSERT_EQ(created.status, 201) << created.body;
  auto shown = Public("/social/profiles/ana");
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.headers.Get("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(shown.Json().at("bio").as_string(), bio);
  EXPECT_EQ(shown.Json().at("display_name").as_string(), "<b>Ana</b>");
}

TEST_P(SocialApiTest, PrivateProfileFollowRequestFlow) {
  Credentials ana = WithProfile("ana", /*is_private=*/true);
  Credentials ben = WithProfile("ben");

  auto anonymous = Public("/social/profiles/ANA");
  ASSERT_EQ(anonymous.status, 200);
  EXPECT_FALSE(anonymous.Json().at("content_visible").as_bool());
  EXPECT_FALSE(anonymous.Json().as_object().contains("bio"));
  EXPECT_EQ(Public("/social/profiles/ana/followers").ProblemType(), "/problems/social/private-profile");
  EXPECT_EQ(Call("GET", base_ + "/customer/social/profiles/ana/followers", ben).status, 403);

  auto requested = Call("PUT", base_ + "/customer/social/following/ana", ben);
  ASSERT_EQ(requested.status, 200) << requested.body;
  EXPECT_EQ(requested.Json().at("state").as_string(), "requested");
  auto requests = Call("GET", base_ + "/customer/social/follow-requests", ana);
  ASSERT_EQ(requests.status, 200);
  ASSERT_EQ(requests.Json().at("profiles").as_array().size(), 1u);
  EXPECT_EQ(requests.Json().at("profiles").at(0).at("handle").as_string(), "ben");
  EXPECT_EQ(Call("POST", base_ + "/customer/social/follow-requests/ben/approve", ana).status, 204);
  EXPECT_EQ(Call("POST", base_ + "/customer/social/follow-requests/ben/approve", ana).status, 404);

  auto seen = Call("GET", base_ + "/customer/social/profiles/ana", ben);
  ASSERT_EQ(seen.status, 200);
  EXPECT_TRUE(seen.Json().at("content_visible").as_bool());
  EXPECT_EQ(seen.Json().at("bio").as_string(), "About ana");
  EXPECT_TRUE(seen.Json().at("relationship").at("following").as_bool());
  EXPECT_EQ(seen.Json().at("followers_count").as_int64(), 1);
  auto followers = Call("GET", base_ + "/customer/social/profiles/ana/followers?limit=1", ben);
  ASSERT_EQ(followers.status, 200) << followers.body;
  EXPECT_TRUE(followers.Json().at("next_cursor").is_null());
  EXPECT_EQ(Call("GET", base_ + "/customer/social/profiles/ana/followers?limit=x", ben).status, 422);
  EXPECT_EQ(Call("GET", base_ + "/customer/social/profiles/ana/followers?cursor=zz", ben).ProblemType(),
            "/problems/social/invalid-cursor");

  EXPECT_EQ(Call("DELETE", base_ + "/customer/social/following/ana", ben).status, 204);
  EXPECT_EQ(Call("GET", base_ + "/customer/social/profile", ana).Json().at("followers_count").as_int64(), 0);
}

TEST_P(SocialApiTest, BlockedCustomersGet404AndFollowsEnd) {
  Credentials ana = WithProfile("ana");
  Credentials ben = WithProfile("ben");
  ASSERT_EQ(Call("PUT", base_ + "/customer/social/following/ana", ben).status, 200);
  ASSERT_EQ(Call("PUT", base_ + "/customer/social/following/ben", ana).status, 200);
  EXPECT_EQ(Call("PUT", base_ + "/customer/social/blocks/ben", ana).status, 204);

  EXPECT_EQ(Call("GET", base_ + "/customer/social/profiles/ana", ben).status, 404);
  EXPECT_EQ(Call("GET", base_ + "/customer/social/profiles/ana/following", ben).status, 404);
  EXPECT_EQ(Call("PUT", base_ + "/customer/social/following/ana", ben).status, 404);
  auto mine = Call("GET", base_ + "/customer/social/profile", ana);
  EXPECT_EQ(mine.Json().at("followers_count").as_int64(), 0);
  EXPECT_EQ(mine.Json().at("following_count").as_int64(), 0);
  auto blocked_view = Call("GET", base_ + "/customer/social/profiles/ben", ana);
  ASSERT_EQ(blocked_view.status, 200);
  EXPECT_TRUE(blocked_view.Json().at("relationship").at("blocking").as_bool());
  EXPECT_EQ(Call("PUT", base_ + "/customer/social/following/ben", ana).ProblemType(), "/problems/social/blocked");

  EXPECT_EQ(Call("PUT", base_ + "/customer/social/mutes/ben", ana).status, 204);
  EXPECT_TRUE(
      Call("GET", base_ + "/customer/social/profiles/ben", ana).Json().at("relationship").at("muting").as_bool());
  EXPECT_EQ(Call("DELETE", base_ + "/customer/social/mutes/ben", ana).status, 204);
  EXPECT_EQ(Call("DELETE", base_ + "/customer/social/blocks/ben", ana).status, 204);
  EXPECT_EQ(Call("GET", base_ + "/customer/social/profiles/ana", ben).status, 200);
}

TEST_P(SocialApiTest, ProfilesAndSessionsStayInTheirShop) {
  WithProfile("ana");
  TestShop other = CreateShop("othershop");
  Credentials foreigner = SignUpCustomer(other, "far@example.com");
  ASSERT_EQ(Call("POST", "/api/v1/shops/othershop/customer/social/profile", foreigner,
                 R"({"handle":"far","display_name":"Far"})")
                .status,
            201);
  EXPECT_EQ(client().Get("/api/v1/shops/othershop/social/profiles/ana")->status, 404);
  EXPECT_EQ(Public("/social/profiles/far").status, 404);
  // A session of one shop is not a session in another.
  EXPECT_EQ(Call("GET", base_ + "/customer/social/profile", foreigner).status, 404);
  EXPECT_EQ(Call("PUT", base_ + "/customer/social/following/ana", foreigner).status, 404);
  // The same handle is free in another shop.
  Credentials twin = SignUpCustomer(other, "twin@example.com");
  EXPECT_EQ(Call("POST", "/api/v1/shops/othershop/customer/social/profile", twin,
                 R"({"handle":"ANA","display_name":"Other Ana"})")
                .status,
            201);
}

TEST_P(SocialApiTest, StaffManageBrandAndCreatorProfilesOnly) {
  const Credentials owner = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  auto brand = Call("POST", base_ + "/social/managed-profiles", owner,
                    R"({"handle":"Socialite","display_name":"Socialite","kind":"brand","bio":"Official"})");
  ASSERT_EQ(brand.status, 201) << brand.body;
  EXPECT_EQ(brand.Json().at("kind").as_string(), "brand");
  const std::string brand_id = std::to_string(brand.Json().at("id").as_int64());
  EXPECT_EQ(Call("POST", base_ + "/social/managed-profiles", owner,
                 R"({"handle":"someone","display_name":"X","kind":"customer"})")
                .Json()
                .at("field")
                .as_string(),
            "/kind");
  const Credentials support = StaffWithRoles(shop_, "agent@example.com", {identity::Role::kSupportAgent});
  EXPECT_EQ(Call("GET", base_ + "/social/managed-profiles/" + brand_id, support).status, 403);

  Credentials ana = WithProfile("ana");
  auto followed = Call("PUT", base_ + "/customer/social/following/socialite", ana);
  ASSERT_EQ(followed.status, 200) << followed.body;
  auto updated = Call("PATCH", base_ + "/social/managed-profiles/" + brand_id, owner, R"({"bio":"New season"})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.Json().at("followers_count").as_int64(), 1);
  EXPECT_EQ(Public("/social/profiles/socialite").Json().at("bio").as_string(), "New season");
  // A customer's own profile is not staff's to edit here.
  const std::string ana_id =
      std::to_string(Call("GET", base_ + "/customer/social/profile", ana).Json().at("id").as_int64());
  EXPECT_EQ(Call("PATCH", base_ + "/social/managed-profiles/" + ana_id, owner, R"({"bio":"x"})").status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, SocialApiTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
