// The feed pages over HTTP on SQLite and PostgreSQL: the following timeline pages with
// "Older posts" and escapes hostile text, anonymous visitors get discovery without private
// profiles, notifications are listed and marked read one by one or all at once (CSRF
// checked, someone else's notification absent), replies and mentions link to the comment
// on its post until it is hidden, the header counts unread notifications,
// the purchase-sharing choice on /account, and the product page's "From the community"
// with "N people you follow bought this" counting only buyers who chose to share, four
// posts a page.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "plaza/catalog/catalog.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::size_t Occurrences(const std::string& text, std::string_view part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

// The href of the first link whose text is `label`.
std::string LinkTo(const std::string& body, std::string_view label) {
  const auto end = body.find("\">" + std::string(label) + "</a>");
  if (end == std::string::npos) return {};
  const auto start = body.rfind("href=\"", end);
  if (start == std::string::npos) return {};
  std::string href = body.substr(start + 6, end - start - 6);
  // The page escapes "&" in attributes.
  for (auto at = href.find("&amp;"); at != std::string::npos; at = href.find("&amp;", at + 1)) {
    href.replace(at, 5, "&");
  }
  return href;
}

class FeedPagesTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("feedpages");
    base_ = "/api/v1/shops/" + shop_.handle;
  }

  Credentials Member(const std::string& handle, const std::string& display_name, bool is_private = false) {
    return JoinCommunity(shop_, handle, {.display_name = display_name, .is_private = is_private}).session;
  }

  std::int64_t PostAs(const Credentials& author, const std::string& text, std::int64_t product_id = 0) {
    boost::json::object body{{"text", text}};
    if (product_id != 0) body["products"] = boost::json::array{boost::json::object{{"product_id", product_id}}};
    auto created = Call("POST", base_ + "/customer/social/posts", author, boost::json::serialize(body));
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.Json().at("id").as_int64() : 0;
  }

  void Follow(const Credentials& follower, const std::string& handle) {
    auto followed = Call("PUT", base_ + "/customer/social/following/" + handle, follower);
    EXPECT_EQ(followed.status, 200) << followed.body;
  }

  static std::string CookieOf(const Credentials& customer) {
    return std::string(customer.headers.Get("Cookie").value_or(""));
  }

  http::testing::ClientResponse Page(const std::string& path, const Credentials* customer = nullptr) {
    http::Headers headers{{"Accept", "text/html"}};
    if (customer != nullptr) headers.Set("Cookie", CookieOf(*customer));
    auto response = client().Get(path, headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  http::testing::ClientResponse Form(const std::string& path, const Credentials& customer, std::string body) {
    http::Headers headers{{"Cookie", CookieOf(customer)}, {"Content-Type", "application/x-www-form-urlencoded"}};
    auto response = client().Send("POST", path, std::move(body), headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  std::int64_t UnreadCount(const Credentials& customer) {
    auto listed = Call("GET", base_ + "/customer/social/notifications", customer);
    EXPECT_EQ(listed.status, 200) << listed.body;
    return listed.status == 200 ? listed.Json().at("unread_count").as_int64() : -1;
  }

  std::int64_t FirstNotificationId(const Credentials& customer) {
    auto listed = Call("GET", base_ + "/customer/social/notifications", customer);
    EXPECT_EQ(listed.status, 200) << listed.body;
    if (listed.status != 200) return 0;
    const boost::json::value body = listed.Json();
    const auto& items = body.at("notifications").as_array();
    return items.empty() ? 0 : items[0].at("id").as_int64();
  }

  bool SharesPurchases(const Credentials& customer) {
    auto sharing = Call("GET", base_ + "/customer/social/purchase-sharing", customer);
    EXPECT_EQ(sharing.status, 200) << sharing.body;
    return sharing.status == 200 && sharing.Json().at("share_purchases").as_bool();
  }

  TestShop shop_;
  std::string base_;
};

TEST_P(FeedPagesTest, TheTimelinePagesWithOlderPostsAndEscapesHostileText) {
  const Credentials ana = Member("ana", "Ana");
  const Credentials ben = Member("ben", "Ben");
  const Credentials eve = Member("eve", "Eve");
  Follow(ana, "ben");
  Follow(ana, "eve");
  // A new member posts five times an hour and twenty times a day: two authors take
  // turns, and the clock moves on an hour after each ten posts.
  for (int i = 1; i <= 21; ++i) {
    PostAs(i % 2 == 0 ? eve : ben,
           "post number " + std::to_string(i) + (i == 21 ? " <img src=x onerror=alert(1)>" : ""));
    if (i % 10 == 0) clock().Advance(std::chrono::minutes(61));
  }

  auto first = Page("/feed", &ana);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Occurrences(first.body, "<h1"), 1U);
  EXPECT_TRUE(Contains(first.body, "<a href=\"/feed\" aria-current=\"page\">Following</a>")) << first.body;
  EXPECT_TRUE(Contains(first.body, "post number 21 &lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_FALSE(Contains(first.body, "<img src=x"));
  EXPECT_TRUE(Contains(first.body, "post number 2"));
  EXPECT_FALSE(Contains(first.body, "post number 1</p>")) << "the oldest post belongs to the second page";
  const std::string older = LinkTo(first.body, "Older posts");
  ASSERT_TRUE(older.starts_with("/feed?after=")) << first.body;

  auto second = Page(older, &ana);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_TRUE(Contains(second.body, "post number 1</p>")) << second.body;
  EXPECT_FALSE(Contains(second.body, "post number 21"));
  EXPECT_TRUE(LinkTo(second.body, "Older posts").empty());

  // Someone following nobody is pointed to discovery; a broken cursor is refused.
  const Credentials cleo = Member("cleo", "Cleo");
  auto empty = Page("/feed", &cleo);
  ASSERT_EQ(empty.status, 200);
  EXPECT_TRUE(Contains(empty.body, "Discover people to follow"));
  EXPECT_FALSE(Contains(empty.body, "post number"));
  EXPECT_EQ(Page("/feed?after=not-a-cursor", &ana).status, 400);
}

TEST_P(FeedPagesTest, AnonymousVisitorsGetDiscoveryWithoutPrivateProfiles) {
  const Credentials ben = Member("ben", "Ben");
  const Credentials dan = Member("dan", "Dan", /*is_private=*/true);
  PostAs(ben, "a public hello");
  PostAs(dan, "a private hello");

  auto anonymous = Page("/feed");
  ASSERT_EQ(anonymous.status, 200) << anonymous.body;
  EXPECT_TRUE(Contains(anonymous.body, "a public hello"));
  EXPECT_FALSE(Contains(anonymous.body, "a private hello"));
  EXPECT_FALSE(Contains(anonymous.body, ">Following</a>"));
  EXPECT_TRUE(Contains(anonymous.body, "/account/login?next=%2Ffeed"));
  // The header links the community for everyone, notifications only for a customer.
  EXPECT_TRUE(Contains(anonymous.body, "<a href=\"/feed\">Community</a>"));
  EXPECT_TRUE(Contains(anonymous.body, "<a href=\"/groups\">Groups</a>"));
  EXPECT_TRUE(Contains(anonymous.body, "<a href=\"/ideas\">Ideas</a>"));
  EXPECT_FALSE(Contains(anonymous.body, "/account/notifications"));

  const Credentials ana = Member("ana", "Ana");
  auto discover = Page("/feed?tab=discover", &ana);
  ASSERT_EQ(discover.status, 200);
  EXPECT_TRUE(Contains(discover.body, "aria-current=\"page\">Discover</a>"));
  EXPECT_TRUE(Contains(discover.body, "a public hello"));
  EXPECT_FALSE(Contains(discover.body, "a private hello"));
}

TEST_P(FeedPagesTest, NotificationsAreListedCountedAndMarkedRead) {
  const Credentials ana = Member("ana", "<b>Ana</b>");
  const Credentials ben = Member("ben", "Ben");
  const Credentials cleo = Member("cleo", "Cleo");
  Follow(ana, "ben");

  auto anonymous = Page("/account/notifications");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(anonymous.headers.Get("Location").value_or(""), "/account/login?next=%2Faccount%2Fnotifications");

  auto page = Page("/account/notifications", &ben);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Contains(page.body, "<a href=\"/people/ana\">&lt;b&gt;Ana&lt;/b&gt;</a> started following you."))
      << page.body;
  EXPECT_FALSE(Contains(page.body, "<b>Ana</b>"));
  EXPECT_TRUE(Contains(page.body, "1 unread notification."));
  EXPECT_TRUE(
      Contains(page.body, "Notifications <span class=\"unread-count\">1<span class=\"visually-hidden\"> unread"));
  const std::int64_t id = FirstNotificationId(ben);
  ASSERT_NE(id, 0);
  const std::string mark = "/account/notifications/" + std::to_string(id) + "/read";
  EXPECT_TRUE(Contains(page.body, "action=\"" + mark + "\""));

  // Without the session's token nothing changes; another customer's id is absent.
  EXPECT_EQ(Form(mark, ben, "csrf_token=wrong").status, 403);
  EXPECT_EQ(UnreadCount(ben), 1);
  EXPECT_EQ(Form(mark, cleo, "csrf_token=" + cleo.csrf_token).status, 404);
  EXPECT_EQ(UnreadCount(ben), 1);

  auto marked = Form(mark, ben, "csrf_token=" + ben.csrf_token);
  EXPECT_EQ(marked.status, 303);
  EXPECT_EQ(marked.headers.Get("Location").value_or(""), "/account/notifications");
  EXPECT_EQ(UnreadCount(ben), 0);
  auto read = Page("/account/notifications", &ben);
  EXPECT_FALSE(Contains(read.body, "Mark as read"));
  EXPECT_FALSE(Contains(read.body, "class=\"unread-count\""));
  EXPECT_TRUE(Contains(read.body, "started following you."));

  // Two new ones, then all at once.
  Follow(cleo, "ben");
  const std::int64_t post = PostAs(cleo, "hi @ben");
  ASSERT_NE(post, 0);
  EXPECT_EQ(UnreadCount(ben), 2);
  auto mentions = Page("/account/notifications", &ben);
  EXPECT_TRUE(Contains(mentions.body, "mentioned you."));
  EXPECT_TRUE(Contains(mentions.body, "href=\"/posts/" + std::to_string(post) + "\">View</a>"));
  EXPECT_EQ(Form("/account/notifications/read-all", ben, "csrf_token=").status, 403);
  EXPECT_EQ(UnreadCount(ben), 2);
  auto all = Form("/account/notifications/read-all", ben, "csrf_token=" + ben.csrf_token);
  EXPECT_EQ(all.status, 303);
  EXPECT_EQ(all.headers.Get("Location").value_or(""), "/account/notifications?marked=2");
  EXPECT_EQ(UnreadCount(ben), 0);
  EXPECT_TRUE(Contains(Page("/account/notifications?marked=2", &ben).body, "2 notifications marked as read."));

  // A customer without a profile is sent to create one.
  const Credentials nobody = SignUpCustomer(shop_, "nobody@example.com");
  auto without = Page("/account/notifications", &nobody);
  EXPECT_EQ(without.status, 200);
  EXPECT_TRUE(Contains(without.body, "/account/profile/new?next=%2Faccount%2Fnotifications"));
}

TEST_P(FeedPagesTest, ReplyAndMentionNotificationsLinkToTheCommentOnItsPost) {
  const Credentials ana = Member("ana", "Ana");
  const Credentials ben = Member("ben", "Ben");
  const Credentials cleo = Member("cleo", "Cleo");
  const std::int64_t post = PostAs(ana, "new shade");
  ASSERT_NE(post, 0);
  const std::string comments = base_ + "/customer/social/posts/" + std::to_string(post) + "/comments";
  auto commented = Call("POST", comments, ben, R"({"text":"lovely"})");
  ASSERT_EQ(commented.status, 201) << commented.body;
  const std::int64_t comment = commented.Json().at("id").as_int64();
  auto replied = Call("POST", comments, ana, R"({"text":"thanks @cleo","parent_id":)" + std::to_string(comment) + "}");
  ASSERT_EQ(replied.status, 201) << replied.body;
  const std::int64_t reply = replied.Json().at("id").as_int64();

  // Ben hears of Ana's reply, Cleo of her mention; both lead to the reply on the post.
  const std::string to_reply = "/posts/" + std::to_string(post) + "#comment-" + std::to_string(reply);
  auto of_ben = Page("/account/notifications", &ben);
  ASSERT_EQ(of_ben.status, 200) << of_ben.body;
  EXPECT_TRUE(Contains(of_ben.body, "replied to you."));
  EXPECT_EQ(LinkTo(of_ben.body, "View"), to_reply) << of_ben.body;
  auto of_cleo = Page("/account/notifications", &cleo);
  EXPECT_TRUE(Contains(of_cleo.body, "mentioned you."));
  EXPECT_EQ(LinkTo(of_cleo.body, "View"), to_reply) << of_cleo.body;
  // The post's page gives the comment the id the link points at.
  EXPECT_TRUE(
      Contains(Page("/posts/" + std::to_string(post), &ben).body, "id=\"comment-" + std::to_string(reply) + "\""));

  // Once the comment Ana answered is hidden by a moderator, her reply is off the page too,
  // and the notification no longer links to it.
  const Status hidden = db().Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("UPDATE social_comments SET visibility = 'hidden' WHERE shop_id = ? AND id = ?",
                         {shop_.id, comment}));
    return Ok();
  });
  ASSERT_TRUE(hidden.ok()) << hidden.error().detail;
  auto after = Page("/account/notifications", &ben);
  EXPECT_TRUE(Contains(after.body, "replied to you."));
  EXPECT_FALSE(Contains(after.body, "#comment-")) << after.body;
  EXPECT_EQ(LinkTo(after.body, "View"), "");
}

TEST_P(FeedPagesTest, PurchaseSharingIsChosenOnTheAccountPage) {
  const Credentials nobody = SignUpCustomer(shop_, "nobody@example.com");
  auto without = Page("/account", &nobody);
  ASSERT_EQ(without.status, 200) << without.body;
  EXPECT_TRUE(Contains(without.body, "/account/profile/new?next=%2Faccount"));
  EXPECT_FALSE(Contains(without.body, "name=\"share_purchases\""));

  const Credentials ana = Member("ana", "Ana");
  auto account = Page("/account", &ana);
  ASSERT_EQ(account.status, 200);
  EXPECT_TRUE(
      Contains(account.body, "name=\"share_purchases\" value=\"on\" aria-describedby=\"share-purchases-hint\">"))
      << account.body;

  EXPECT_EQ(Form("/account/purchase-sharing", ana, "share_purchases=on").status, 403);
  EXPECT_FALSE(SharesPurchases(ana));
  auto on = Form("/account/purchase-sharing", ana, "share_purchases=on&csrf_token=" + ana.csrf_token);
  EXPECT_EQ(on.status, 303);
  EXPECT_EQ(on.headers.Get("Location").value_or(""), "/account?sharing=on");
  EXPECT_TRUE(SharesPurchases(ana));
  auto shown = Page("/account?sharing=on", &ana);
  EXPECT_TRUE(Contains(shown.body, "aria-describedby=\"share-purchases-hint\" checked>"));
  EXPECT_TRUE(Contains(shown.body, "People who follow you can now see what you buy."));

  auto off = Form("/account/purchase-sharing", ana, "csrf_token=" + ana.csrf_token);
  EXPECT_EQ(off.headers.Get("Location").value_or(""), "/account?sharing=off");
  EXPECT_FALSE(SharesPurchases(ana));
}

TEST_P(FeedPagesTest, TheProductPageShowsCommunityPostsAndOptedInBuyers) {
  const SellableVariant scarf = SellInFrance(shop_, {.title = "Scarf",
                                                     .sku = "SC-1",
                                                     .weight_grams = 200,
                                                     .price_minor = 3900,
                                                     .stock = 10,
                                                     .location = "Lyon",
                                                     .rate_name = "Standard",
                                                     .shipping_minor = 490});
  catalog::CatalogService catalog(db(), clock());
  auto summaries = catalog.GetVariantSummaries(shop_.id, std::vector<std::int64_t>{scarf.variant_id});
  ASSERT_TRUE(summaries.ok() && summaries->size() == 1);
  auto product = catalog.GetProduct(shop_.id, summaries->at(0).product_id);
  ASSERT_TRUE(product.ok());
  const std::string path = "/products/" + product->handle;

  const Credentials ana = Member("ana", "Ana");
  const Credentials ben = Member("ben", "Ben");
  const Credentials cleo = Member("cleo", "Cleo");
  PostAs(ben, "my new scarf <script>x</script>", product->id);
  PostAs(cleo, "not about the scarf");

  auto anonymous = Page(path);
  ASSERT_EQ(anonymous.status, 200) << anonymous.body;
  EXPECT_TRUE(Contains(anonymous.body, "From the community"));
  EXPECT_TRUE(Contains(anonymous.body, "my new scarf &lt;script&gt;x&lt;/script&gt;"));
  EXPECT_FALSE(Contains(anonymous.body, "class=\"post-products\"")) << "the page's own product is not tagged again";
  EXPECT_TRUE(Contains(Page("/people/ben").body, "class=\"post-products\"")) << "elsewhere the post shows its tag";
  EXPECT_FALSE(Contains(anonymous.body, "not about the scarf"));
  EXPECT_FALSE(Contains(anonymous.body, "you follow bought this"));

  // Ben and Cleo bought it; only Ben shares his purchases, so only he is counted.
  BuyInFrance(shop_, ben.user_id, scarf, false);
  BuyInFrance(shop_, cleo.user_id, scarf, false);
  Follow(ana, "ben");
  Follow(ana, "cleo");
  EXPECT_FALSE(Contains(Page(path, &ana).body, "you follow bought this"));
  ASSERT_EQ(Form("/account/purchase-sharing", ben, "share_purchases=on&csrf_token=" + ben.csrf_token).status, 303);
  auto proof = Page(path, &ana);
  ASSERT_EQ(proof.status, 200);
  EXPECT_TRUE(Contains(proof.body, "1 person you follow bought this: <a href=\"/people/ben\">Ben</a>.")) << proof.body;
  EXPECT_FALSE(Contains(proof.body, "href=\"/people/cleo\">Cleo</a>."));
  EXPECT_TRUE(Contains(proof.body, "/posts/new?product=" + product->handle));

  // Four posts a page: four more push Ben's to the next one; a cursor that does not read
  // starts again from the newest rather than failing the product page.
  for (int i = 1; i <= 4; ++i) PostAs(cleo, "scarf look " + std::to_string(i), product->id);
  auto first = Page(path);
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(Contains(first.body, "scarf look 4"));
  EXPECT_FALSE(Contains(first.body, "my new scarf"));
  std::string more = LinkTo(first.body, "More posts about this product");
  ASSERT_TRUE(more.starts_with(path + "?community_after=")) << first.body;
  more = more.substr(0, more.find('#'));
  auto second = Page(more);
  ASSERT_EQ(second.status, 200);
  EXPECT_TRUE(Contains(second.body, "my new scarf"));
  EXPECT_FALSE(Contains(second.body, "scarf look 4"));
  EXPECT_TRUE(LinkTo(second.body, "More posts about this product").empty());
  auto stale = Page(path + "?community_after=not-a-cursor");
  ASSERT_EQ(stale.status, 200);
  EXPECT_TRUE(Contains(stale.body, "scarf look 4"));
}

INSTANTIATE_TEST_SUITE_P(Backends, FeedPagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
