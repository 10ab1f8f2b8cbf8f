// Posts over HTTP: shoppable posts priced in the viewer's market with their promise,
// what private profiles and blocks hide through every route, concurrent likes,
// threaded comments, shares, hashtag pages, hostile input and shop boundaries.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "plaza/catalog/catalog.h"
#include "plaza/http/testing/client.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class PostsApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("plazapost");
    base_ = "/api/v1/shops/" + shop_.handle;
  }

  Credentials WithProfile(const std::string& handle, bool is_private = false, const TestShop* shop = nullptr) {
    const TestShop& in = shop ? *shop : shop_;
    Credentials customer = SignUpCustomer(in, handle + "@example.com");
    auto created = Call("POST", "/api/v1/shops/" + in.handle + "/customer/social/profile", customer,
                        R"({"handle":")" + handle + R"(","display_name":"The )" + handle + R"(","is_private":)" +
                            (is_private ? "true" : "false") + "}");
    EXPECT_EQ(created.status, 201) << created.body;
    return customer;
  }

  std::int64_t Post(const Credentials& author, const std::string& body) {
    auto created = Call("POST", base_ + "/customer/social/posts", author, body);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.Json().at("id").as_int64() : 0;
  }

  http::testing::ClientResponse Public(const std::string& path) {
    auto response = client().Get(base_ + path);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  // The product of a variant SellInFrance set up, through the catalog's public reads.
  std::int64_t ProductOf(std::int64_t variant_id) {
    auto product = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      const std::int64_t ids[] = {variant_id};
      PLAZA_ASSIGN_OR_RETURN(auto summaries, catalog::GetVariantSummaries(tx, shop_.id, ids));
      if (summaries.empty()) return Error::NotFound("no such variant");
      return summaries.front().product_id;
    });
    EXPECT_TRUE(product.ok());
    return product.ok() ? *product : 0;
  }

  TestShop shop_;
  std::string base_;
};

TEST_P(PostsApiTest, AShoppablePostShowsTheLivePriceStockAndPromiseInTheViewersMarket) {
  Credentials ana = WithProfile("ana");
  WithProfile("ben");
  const SellableVariant scarf = SellInFrance(shop_, {.title = "Silk scarf",
                                                     .sku = "SCARF-1",
                                                     .weight_grams = 200,
                                                     .price_minor = 4900,
                                                     .stock = 50,
                                                     .location = "Paris",
                                                     .rate_name = "Colissimo",
                                                     .shipping_minor = 590});
  const std::int64_t product_id = ProductOf(scarf.variant_id);
  const std::string text = "<img src=x onerror=alert(1)> my new #Scarf from @ben & @nobody";
  boost::json::object body{{"text", text},
                           {"products", boost::json::array{boost::json::object{{"product_id", product_id},
                                                                               {"variant_id", scarf.variant_id}}}}};
  const std::int64_t id = Post(ana, boost::json::serialize(body));
  ASSERT_GT(id, 0);

  auto shown = Public("/social/posts/" + std::to_string(id) + "?country=FR");
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.headers.Get("Content-Type").value_or(""), "application/json");
  const boost::json::value shown_json = shown.Json();
  const auto& post = shown_json.as_object();
  EXPECT_EQ(post.at("text").as_string(), text);
  EXPECT_EQ(post.at("author").at("handle").as_string(), "ana");
  ASSERT_EQ(post.at("mentions").as_array().size(), 1u);
  EXPECT_EQ(post.at("mentions").at(0).at("handle").as_string(), "ben");
  EXPECT_EQ(post.at("hashtags").at(0).as_string(), "scarf");
  const auto& tag = post.at("products").at(0).as_object();
  EXPECT_EQ(tag.at("state").as_string(), "available");
  EXPECT_EQ(tag.at("title").as_string(), "Silk scarf");
  const auto& offer = tag.at("offer").as_object();
  EXPECT_EQ(offer.at("price").at("amount").as_int64(), 4900);
  EXPECT_EQ(offer.at("price").at("currency").as_string(), "EUR");
  EXPECT_EQ(offer.at("availability").as_string(), "in_stock");
  ASSERT_TRUE(offer.at("arrives").is_object()) << shown.body;
  EXPECT_FALSE(offer.at("arrives").at("text").as_string().empty());
}

TEST_P(PostsApiTest, HostileTextIsRefusedWithThePositionOrKeptAsText) {
  Credentials ana = WithProfile("ana");
  auto zero_width = Call("POST", base_ + "/customer/social/posts", ana, "{\"text\":\"buy\xE2\x80\x8Bnow\"}");
  EXPECT_EQ(zero_width.status, 422);
  EXPECT_EQ(zero_width.ProblemType(), "/problems/social/invisible-character");
  EXPECT_EQ(zero_width.Json().at("field").as_string(), "/text");
  auto huge = Call("POST", base_ + "/customer/social/posts", ana, R"({"text":")" + std::string(2201, 'a') + R"("})");
  EXPECT_EQ(huge.status, 422);
  EXPECT_EQ(huge.ProblemType(), "/problems/validation/too-long");
  auto very_huge =
      Call("POST", base_ + "/customer/social/posts", ana, R"({"text":")" + std::string(200'000, 'a') + R"("})");
  EXPECT_GE(very_huge.status, 400);
  EXPECT_LT(very_huge.status, 500);
  auto empty = Call("POST", base_ + "/customer/social/posts", ana, R"({"text":""})");
  EXPECT_EQ(empty.ProblemType(), "/problems/social/empty-post");
  auto unknown_field = Call("POST", base_ + "/customer/social/posts", ana, R"({"text":"hi","html":"<b>"})");
  EXPECT_EQ(unknown_field.ProblemType(), "/problems/validation/unknown-field");
  auto bad_tag = Call("POST", base_ + "/customer/social/posts", ana, R"({"products":[{"product_id":"x"}]})");
  EXPECT_EQ(bad_tag.status, 422);
  const std::int64_t id = Post(ana, R"({"text":"ok"})");
  auto comment = Call("POST", base_ + "/customer/social/posts/" + std::to_string(id) + "/comments", ana,
                      "{\"text\":\"x\xE2\x80\xAEy\"}");
  EXPECT_EQ(comment.ProblemType(), "/problems/social/invisible-character");
  const std::string html = "</script><script>alert(1)</script>";
  auto kept = Call("POST", base_ + "/customer/social/posts/" + std::to_string(id) + "/comments", ana,
                   boost::json::serialize(boost::json::object{{"text", html}}));
  ASSERT_EQ(kept.status, 201) << kept.body;
  EXPECT_EQ(kept.Json().at("text").as_string(), html);
}

TEST_P(PostsApiTest, PrivateProfilesPostsAreHiddenThroughEveryRoute) {
  Credentials ana = WithProfile("ana", /*is_private=*/true);
  Credentials ben = WithProfile("ben");
  Credentials eve = WithProfile("eve");
  const std::int64_t id = Post(ana, R"({"text":"friends only #hidden"})");
  const std::string post = "/social/posts/" + std::to_string(id);
  ASSERT_EQ(Call("PUT", base_ + "/customer/social/following/ana", ben).status, 200);
  ASSERT_EQ(Call("POST", base_ + "/customer/social/follow-requests/ben/approve", ana).status, 204);

  // Anonymous visitors.
  EXPECT_EQ(Public(post).status, 404);
  EXPECT_EQ(Public(post + "/comments").status, 404);
  EXPECT_EQ(Public("/social/profiles/ana/posts").ProblemType(), "/problems/social/private-profile");
  EXPECT_TRUE(Public("/social/hashtags/hidden/posts").Json().at("posts").as_array().empty());
  // A customer who does not follow.
  const std::string mine = base_ + "/customer" + post;
  EXPECT_EQ(Call("GET", mine, eve).status, 404);
  EXPECT_EQ(Call("GET", mine + "/comments", eve).status, 404);
  EXPECT_EQ(Call("POST", mine + "/comments", eve, R"({"text":"hi"})").status, 404);
  EXPECT_EQ(Call("PUT", mine + "/like", eve).status, 404);
  EXPECT_EQ(Call("PUT", mine + "/save", eve).status, 404);
  EXPECT_EQ(Call("POST", mine + "/shares", eve).status, 404);
  EXPECT_EQ(Call("DELETE", mine, eve).status, 404);
  EXPECT_EQ(Call("GET", base_ + "/customer/social/profiles/ana/posts", eve).status, 403);
  EXPECT_TRUE(Call("GET", base_ + "/customer/social/hashtags/hidden/posts", eve).Json().at("posts").as_array().empty());
  // The approved follower.
  EXPECT_EQ(Call("GET", mine, ben).status, 200);
  EXPECT_EQ(Call("PUT", mine + "/like", ben).status, 200);
  EXPECT_EQ(Call("GET", base_ + "/customer/social/profiles/ana/posts", ben).Json().at("posts").as_array().size(), 1u);
  EXPECT_EQ(Call("GET", base_ + "/customer/social/hashtags/hidden/posts", ben).Json().at("posts").as_array().size(),
            1u);
}

TEST_P(PostsApiTest, ABlockedCustomerGets404EverywhereLikeForADeletedPost) {
  Credentials ana = WithProfile("ana");
  Credentials eve = WithProfile("eve");
  const std::int64_t id = Post(ana, R"({"text":"public #open"})");
  const std::string mine = base_ + "/customer/social/posts/" + std::to_string(id);
  ASSERT_EQ(Call("PUT", mine + "/save", eve).status, 200);
  ASSERT_EQ(Call("PUT", base_ + "/customer/social/blocks/eve", ana).status, 204);
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{{"GET", mine},
                                                                                     {"GET", mine + "/comments"},
                                                                                     {"PUT", mine + "/like"},
                                                                                     {"DELETE", mine + "/like"},
                                                                                     {"PUT", mine + "/save"},
                                                                                     {"POST", mine + "/shares"}}) {
    EXPECT_EQ(Call(method, path, eve).status, 404) << method << " " << path;
  }
  EXPECT_EQ(Call("POST", mine + "/comments", eve, R"({"text":"hi"})").status, 404);
  EXPECT_EQ(Call("GET", base_ + "/customer/social/profiles/ana/posts", eve).status, 404);
  EXPECT_TRUE(Call("GET", base_ + "/customer/social/hashtags/open/posts", eve).Json().at("posts").as_array().empty());
  EXPECT_TRUE(Call("GET", base_ + "/customer/social/saves", eve).Json().at("posts").as_array().empty());
  // Visitors without a session are nobody in particular.
  EXPECT_EQ(Public("/social/posts/" + std::to_string(id)).status, 200);
}

TEST_P(PostsApiTest, ConcurrentLikesFromManyCustomersAreAllCounted) {
  Credentials ana = WithProfile("ana");
  const std::int64_t id = Post(ana, R"({"text":"like me"})");
  constexpr int kFans = 6;
  std::vector<Credentials> fans;
  for (int i = 0; i < kFans; ++i) fans.push_back(WithProfile("fan" + std::to_string(i)));
  const std::string target = base_ + "/customer/social/posts/" + std::to_string(id) + "/like";
  std::vector<int> statuses(kFans, 0);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < fans.size(); ++i) {
    threads.emplace_back([&, i] {
      http::testing::HttpClient own(port());
      auto response = own.Send("PUT", target, "", fans[i].headers);
      statuses[i] = response.ok() ? response->status : -1;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int status : statuses) EXPECT_EQ(status, 200);
  auto shown = Public("/social/posts/" + std::to_string(id));
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.Json().at("counts").at("likes").as_int64(), kFans);
  // Liking again changes nothing; unliking takes one away.
  EXPECT_EQ(Call("PUT", target, fans[0]).Json().at("counts").at("likes").as_int64(), kFans);
  auto unliked = Call("DELETE", target, fans[0]);
  EXPECT_EQ(unliked.Json().at("counts").at("likes").as_int64(), kFans - 1);
  EXPECT_FALSE(unliked.Json().at("liked").as_bool());
}

TEST_P(PostsApiTest, CommentsSavesSharesAndHashtagPages) {
  Credentials ana = WithProfile("ana");
  Credentials ben = WithProfile("ben");
  const std::int64_t id = Post(ana, R"({"text":"#Launch day"})");
  const std::string mine = base_ + "/customer/social/posts/" + std::to_string(id);
  auto top = Call("POST", mine + "/comments", ben, R"({"text":"congrats @ana"})");
  ASSERT_EQ(top.status, 201) << top.body;
  const std::int64_t top_id = top.Json().at("id").as_int64();
  auto reply = Call("POST", mine + "/comments", ana, R"({"text":"thanks","parent_id":)" + std::to_string(top_id) + "}");
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.Json().at("depth").as_int64(), 2);
  auto thread = Public("/social/posts/" + std::to_string(id) + "/comments");
  ASSERT_EQ(thread.status, 200);
  const boost::json::value thread_json = thread.Json();
  const auto& first = thread_json.at("comments").at(0);
  EXPECT_EQ(first.at("text").as_string(), "congrats @ana");
  EXPECT_EQ(first.at("replies").at(0).at("text").as_string(), "thanks");
  EXPECT_EQ(Call("DELETE", base_ + "/customer/social/comments/" + std::to_string(top_id), ana).status, 404);
  EXPECT_EQ(Call("DELETE", base_ + "/customer/social/comments/" + std::to_string(top_id), ben).status, 204);
  auto tombstone = Public("/social/posts/" + std::to_string(id) + "/comments");
  EXPECT_TRUE(tombstone.Json().at("comments").at(0).at("deleted").as_bool());
  EXPECT_TRUE(tombstone.Json().at("comments").at(0).at("text").is_null());

  ASSERT_EQ(Call("PUT", mine + "/save", ben).status, 200);
  auto saves = Call("GET", base_ + "/customer/social/saves", ben);
  ASSERT_EQ(saves.status, 200);
  ASSERT_EQ(saves.Json().at("posts").as_array().size(), 1u);
  EXPECT_TRUE(saves.Json().at("posts").at(0).at("saved").as_bool());

  auto share = Call("POST", mine + "/shares", ben, R"({"channel":"whatsapp"})");
  ASSERT_EQ(share.status, 201) << share.body;
  const std::string url(share.Json().at("url").as_string());
  EXPECT_NE(url.find("/posts/" + std::to_string(id) + "?"), std::string::npos) << url;
  EXPECT_NE(url.find("utm_source=whatsapp"), std::string::npos) << url;
  EXPECT_NE(url.find("utm_medium=social"), std::string::npos) << url;
  EXPECT_NE(url.find("utm_campaign=post_share"), std::string::npos) << url;
  EXPECT_NE(url.find("&ref=ben"), std::string::npos) << url;
  EXPECT_EQ(Call("POST", mine + "/shares", ben, R"({"channel":"a b"})").ProblemType(),
            "/problems/social/invalid-channel");

  auto tagged = Public("/social/hashtags/LAUNCH/posts");
  ASSERT_EQ(tagged.status, 200);
  ASSERT_EQ(tagged.Json().at("posts").as_array().size(), 1u);
  EXPECT_EQ(tagged.Json().at("posts").at(0).at("counts").at("comments").as_int64(), 1);
  EXPECT_EQ(tagged.Json().at("posts").at(0).at("counts").at("shares").as_int64(), 1);
  EXPECT_EQ(Public("/social/hashtags/123/posts").ProblemType(), "/problems/social/invalid-hashtag");

  EXPECT_EQ(Call("DELETE", mine, ben).status, 404);
  EXPECT_EQ(Call("DELETE", mine, ana).status, 204);
  EXPECT_EQ(Public("/social/posts/" + std::to_string(id)).status, 404);
  EXPECT_TRUE(Public("/social/hashtags/launch/posts").Json().at("posts").as_array().empty());
}

TEST_P(PostsApiTest, AnotherShopsPostIdsAnswer404) {
  TestShop other = CreateShop("elsewhere");
  Credentials far = WithProfile("far", false, &other);
  auto created = Call("POST", "/api/v1/shops/elsewhere/customer/social/posts", far, R"({"text":"over there"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(created.Json().at("id").as_int64());
  auto comment = Call("POST", "/api/v1/shops/elsewhere/customer/social/posts/" + id + "/comments", far,
                      R"({"text":"far comment"})");
  ASSERT_EQ(comment.status, 201);
  const std::string comment_id = std::to_string(comment.Json().at("id").as_int64());

  Credentials ana = WithProfile("ana");
  const std::string mine = base_ + "/customer/social/posts/" + id;
  EXPECT_EQ(Public("/social/posts/" + id).status, 404);
  EXPECT_EQ(Public("/social/posts/" + id + "/comments").status, 404);
  EXPECT_EQ(Public("/social/profiles/far/posts").status, 404);
  EXPECT_EQ(Call("GET", mine, ana).status, 404);
  EXPECT_EQ(Call("PUT", mine + "/like", ana).status, 404);
  EXPECT_EQ(Call("PUT", mine + "/save", ana).status, 404);
  EXPECT_EQ(Call("POST", mine + "/shares", ana).status, 404);
  EXPECT_EQ(Call("POST", mine + "/comments", ana, R"({"text":"hi"})").status, 404);
  EXPECT_EQ(Call("DELETE", base_ + "/customer/social/comments/" + comment_id, ana).status, 404);
  // The other shop's own session does not reach into this shop either.
  EXPECT_EQ(Call("GET", mine, far).status, 404);
  EXPECT_EQ(Call("DELETE", base_ + "/customer/social/comments/" + comment_id, far).status, 404);
  // And the post is untouched.
  auto there = client().Get("/api/v1/shops/elsewhere/social/posts/" + id);
  ASSERT_TRUE(there.ok());
  EXPECT_EQ(there->Json().at("counts").at("likes").as_int64(), 0);
  EXPECT_EQ(there->Json().at("counts").at("comments").as_int64(), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, PostsApiTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
