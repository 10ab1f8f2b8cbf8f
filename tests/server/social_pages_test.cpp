// The post pages over HTTP: composing a post with a photo and a tagged product (the card
// shows the rendition paths, the live price, stock and arrives-by), hostile text escaped
// with @handle and #tag links, CSRF and cross-site refusals that store nothing, like and
// save forms with their 303 targets, threaded comments with masked and held text, the
// share link with UTM and ref, a private author's post hidden from strangers, deleting a
// post, and the hashtag page.

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>

#include "plaza/catalog/catalog.h"
#include "plaza_test/images.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

constexpr std::string_view kBoundary = "----PlazaSocialPagesBoundary";

std::string Part(std::string_view name, std::string_view value) {
  return "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
         "\"\r\n\r\n" + std::string(value) + "\r\n";
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::string Escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '@') {
      out += "%40";
    } else if (c == '/') {
      out += "%2F";
    } else if (c == ' ') {
      out += '+';
    } else if (c == '#') {
      out += "%23";
    } else if (c == '&') {
      out += "%26";
    } else {
      out += c;
    }
  }
  return out;
}

class SocialPagesTest : public ServerFixture {
 protected:
  SocialPagesTest() : media_dir_(MakeTempDir("plaza-social-pages")) {}
  ~SocialPagesTest() override {
    std::error_code ignored;  // a leftover temporary directory is harmless
    std::filesystem::remove_all(media_dir_, ignored);
  }

  std::map<std::string, std::string> ExtraFlags() const override { return {{"media_dir", media_dir_}}; }

  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("social");
    base_ = "/api/v1/shops/" + shop_.handle;
    const SellableVariant scarf = SellInFrance(shop_, {.title = "Wool scarf",
                                                       .sku = "SC-1",
                                                       .weight_grams = 200,
                                                       .price_minor = 4500,
                                                       .stock = 20,
                                                       .location = "Lyon",
                                                       .rate_name = "Standard",
                                                       .shipping_minor = 490});
    catalog::CatalogService catalog(db(), clock());
    auto summaries = catalog.GetVariantSummaries(shop_.id, std::vector<std::int64_t>{scarf.variant_id});
    ASSERT_TRUE(summaries.ok() && summaries->size() == 1);
    product_id_ = summaries->at(0).product_id;
    product_handle_ = summaries->at(0).product_handle;
  }

  Credentials Member(const std::string& handle, bool is_private = false) {
    return JoinCommunity(shop_, handle, {.is_private = is_private}).session;
  }

  static std::string CookieOf(const Credentials& customer) {
    return std::string(customer.headers.Get("Cookie").value_or(""));
  }

  http::testing::ClientResponse Page(const std::string& path, const std::string& cookie = {}) {
    http::Headers headers{{"Accept", "text/html"}};
    if (!cookie.empty()) headers.Set("Cookie", cookie);
    auto response = client().Get(path, headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  http::testing::ClientResponse Form(const std::string& path, const Credentials& customer, std::string body,
                                     const std::string& origin = {}) {
    http::Headers headers{{"Cookie", CookieOf(customer)}, {"Content-Type", "application/x-www-form-urlencoded"}};
    if (!origin.empty()) headers.Set("Origin", origin);
    auto response = client().Send("POST", path, std::move(body), headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  http::testing::ClientResponse Compose(const Credentials& customer, const std::string& csrf, const std::string& text,
                                        std::string_view photo = {}, std::optional<std::int64_t> tag = {}) {
    std::string form = Part("csrf_token", csrf) + Part("text", text);
    if (tag) form += Part("tag_" + std::to_string(*tag), std::to_string(*tag));
    if (!photo.empty()) {
      form += "--" + std::string(kBoundary) +
              "\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"me.png\"\r\n"
              "Content-Type: image/png\r\n\r\n" +
              std::string(photo) + "\r\n";
    }
    form += "--" + std::string(kBoundary) + "--\r\n";
    http::Headers headers{{"Cookie", CookieOf(customer)},
                          {"Content-Type", "multipart/form-data; boundary=" + std::string(kBoundary)}};
    auto response = client().Send("POST", "/posts/new", std::move(form), headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  // Publishes through the compose page and answers the new post's path.
  std::string Publish(const Credentials& customer, const std::string& text) {
    auto posted = Compose(customer, customer.csrf_token, text);
    EXPECT_EQ(posted.status, 303) << posted.body;
    return std::string(posted.headers.Get("Location").value_or(""));
  }

  std::int64_t Count(const std::string& table) {
    auto count = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM " + table + " WHERE shop_id = ?", {shop_.id}));
      return row->Int(0);
    });
    return count.ok() ? *count : -1;
  }

  std::string media_dir_;
  TestShop shop_;
  std::string base_;
  std::int64_t product_id_ = 0;
  std::string product_handle_;
};

TEST_P(SocialPagesTest, ComposeWithAPhotoAndATaggedProductShowsTheLiveOffer) {
  const Credentials ana = Member("ana");
  auto form = Page("/posts/new?product=" + product_handle_, CookieOf(ana));
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_TRUE(Contains(form.body, "name=\"tag_" + std::to_string(product_id_) + "\" value=\"" +
                                      std::to_string(product_id_) + "\" checked"))
      << form.body;
  EXPECT_TRUE(Contains(form.body, "enctype=\"multipart/form-data\""));

  // The picker's search lists matching products, unchecked.
  auto search = Page("/posts/new?q=scarf", CookieOf(ana));
  ASSERT_EQ(search.status, 200);
  EXPECT_TRUE(Contains(
      search.body, "name=\"tag_" + std::to_string(product_id_) + "\" value=\"" + std::to_string(product_id_) + "\">"))
      << search.body;

  auto posted = Compose(ana, ana.csrf_token, "New scarf!", media::testing::Png(800, 600), product_id_);
  ASSERT_EQ(posted.status, 303) << posted.body;
  const std::string path(posted.headers.Get("Location").value_or(""));
  ASSERT_TRUE(std::regex_match(path, std::regex("/posts/[0-9]+"))) << path;

  auto page = Page(path);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Contains(page.body, "<h1 id=\"post-"));
  EXPECT_TRUE(std::regex_search(page.body, std::regex("<img src=\"/api/v1/shops/[0-9]+/media/[0-9]+/[^/\"]+/([0-9]+)"
                                                      "\\.webp\" srcset=\"[^\"]+\" sizes=\"[^\"]+\" width=\"\\1\" "
                                                      "height=\"[0-9]+\"")))
      << page.body;
  EXPECT_TRUE(Contains(page.body, "href=\"/products/" + product_handle_ + "\">Wool scarf</a>"));
  EXPECT_TRUE(Contains(page.body, "€45.00")) << page.body;
  EXPECT_TRUE(Contains(page.body, "In stock"));
  EXPECT_TRUE(Contains(page.body, "<span class=\"promise\">Arrives")) << page.body;
  // Others may report it; its author deletes instead.
  EXPECT_TRUE(Contains(page.body, "/report?kind=post"));
  EXPECT_EQ(Page(path, CookieOf(ana)).body.find("/report?kind=post"), std::string::npos);
  EXPECT_TRUE(Contains(Page(path, CookieOf(ana)).body, "Delete post"));
}

TEST_P(SocialPagesTest, HostileTextIsEscapedAndHandlesAndHashtagsAreLinked) {
  const Credentials ana = Member("ana");
  Member("bob");
  const std::string path =
      Publish(ana, "<script>alert(1)</script> hello @bob \"quoted\" #Summer_Sale\n\nsecond <b>paragraph</b>");
  auto page = Page(path);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_FALSE(Contains(page.body, "<script>alert(1)"));
  EXPECT_FALSE(Contains(page.body, "<b>paragraph"));
  EXPECT_TRUE(Contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt; hello <a href=\"/people/bob\">@bob</a>"))
      << page.body;
  EXPECT_TRUE(Contains(page.body, "<a href=\"/hashtags/summer_sale\">#Summer_Sale</a></p><p>second &lt;b&gt;"))
      << page.body;
  EXPECT_TRUE(Contains(page.body, "&quot;quoted&quot;"));
  EXPECT_TRUE(Contains(page.body, "/report?kind=post&amp;id="));
  // A visitor who is not signed in is offered to log in, coming back to the post.
  EXPECT_TRUE(Contains(page.body, "/account/login?next=" + Escape(path)));
}

TEST_P(SocialPagesTest, FormsWithoutTheTokenOrFromAnotherSiteChangeNothing) {
  const Credentials ana = Member("ana");
  auto forged = Compose(ana, "not-the-token", "forged", media::testing::Png(64, 64));
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(Count("social_posts"), 0);
  EXPECT_EQ(Count("media_assets"), 0);

  const std::string path = Publish(ana, "mine");
  const Credentials bob = Member("bob");
  EXPECT_EQ(Form(path + "/like", bob, "csrf_token=wrong").status, 403);
  EXPECT_EQ(Form(path + "/like", bob, "csrf_token=" + bob.csrf_token, "https://evil.example").status, 403);
  EXPECT_EQ(Count("social_post_likes"), 0);
  EXPECT_EQ(Form(path + "/comments", bob, "csrf_token=wrong&text=hi").status, 403);
  EXPECT_EQ(Count("social_comments"), 0);

  // Signed out: to the log-in page; signed in without a profile: to create one.
  auto anonymous = client().Get("/posts/new", {{"Accept", "text/html"}});
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->status, 303);
  EXPECT_EQ(anonymous->headers.Get("Location").value_or(""), "/account/login?next=%2Fposts%2Fnew");
  const Credentials plain = SignUpCustomer(shop_, "plain@example.fr");
  auto no_profile = Page("/posts/new?group=friends", CookieOf(plain));
  EXPECT_EQ(no_profile.status, 303);
  EXPECT_EQ(no_profile.headers.Get("Location").value_or(""),
            "/account/profile/new?next=%2Fposts%2Fnew%3Fgroup%3Dfriends");
}

TEST_P(SocialPagesTest, LikeAndSaveComeBackToTheListTheyWereOn) {
  const Credentials ana = Member("ana");
  const std::string path = Publish(ana, "likeable #knits");
  const Credentials bob = Member("bob");
  auto liked = Form(path + "/like", bob, "csrf_token=" + bob.csrf_token + "&return_to=%2Fhashtags%2Fknits");
  ASSERT_EQ(liked.status, 303) << liked.body;
  EXPECT_EQ(liked.headers.Get("Location").value_or(""), "/hashtags/knits");
  // Another host is never a target.
  auto saved = Form(path + "/save", bob, "csrf_token=" + bob.csrf_token + "&return_to=%2F%2Fevil.example%2F");
  ASSERT_EQ(saved.status, 303);
  EXPECT_EQ(saved.headers.Get("Location").value_or(""), path);

  auto page = Page(path, CookieOf(bob));
  EXPECT_TRUE(Contains(page.body, "1 like · 0 comments · 1 save · 0 shares")) << page.body;
  EXPECT_TRUE(Contains(page.body, "/unlike\">")) << page.body;
  EXPECT_TRUE(Contains(page.body, "aria-pressed=\"true\">Liked</button>"));
  EXPECT_TRUE(Contains(page.body, "aria-pressed=\"true\">Saved</button>"));

  ASSERT_EQ(Form(path + "/unlike", bob, "csrf_token=" + bob.csrf_token).status, 303);
  EXPECT_TRUE(Contains(Page(path, CookieOf(bob)).body, "0 likes · 0 comments · 1 save"));
}

TEST_P(SocialPagesTest, CommentsAreThreadedWithMaskedHeldAndDeletedOnesShownHonestly) {
  const Credentials owner = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  ASSERT_EQ(Call("POST", base_ + "/moderation/rules", owner, R"({"pattern":"darn","action":"mask"})").status, 201);
  ASSERT_EQ(Call("POST", base_ + "/moderation/rules", owner, R"({"pattern":"casino","action":"hold"})").status, 201);
  const Credentials ana = Member("ana");
  const Credentials bob = Member("bob");
  const std::string path = Publish(ana, "A question for you");

  auto first = Form(path + "/comments", bob, "csrf_token=" + bob.csrf_token + "&text=Nice+darn+scarf");
  ASSERT_EQ(first.status, 303) << first.body;
  const std::string location(first.headers.Get("Location").value_or(""));
  std::smatch match;
  ASSERT_TRUE(std::regex_match(location, match, std::regex(".*#comment-([0-9]+)"))) << location;
  const std::string comment_id = match[1];
  auto reply = Form(path + "/comments", ana,
                    "csrf_token=" + ana.csrf_token + "&parent_id=" + comment_id + "&text=%3Ci%3EThanks%3C%2Fi%3E");
  ASSERT_EQ(reply.status, 303) << reply.body;
  ASSERT_EQ(Form(path + "/comments", bob, "csrf_token=" + bob.csrf_token + "&text=visit+my+casino").status, 303);

  auto seen_by_ana = Page(path, CookieOf(ana));
  EXPECT_TRUE(Contains(seen_by_ana.body, "Nice ****")) << seen_by_ana.body;
  EXPECT_FALSE(Contains(seen_by_ana.body, "darn"));
  EXPECT_TRUE(std::regex_search(seen_by_ana.body, std::regex("id=\"comment-" + comment_id +
                                                             "\">.*<ol class=\"replies\"><li class=\"comment\" "
                                                             "id=\"comment-[0-9]+\">.*&lt;i&gt;Thanks")))
      << seen_by_ana.body;
  EXPECT_TRUE(Contains(seen_by_ana.body, "<label for=\"reply-" + comment_id + "\">Your reply to The bob</label>"));
  // The held comment is its author's alone, marked as such.
  EXPECT_FALSE(Contains(seen_by_ana.body, "casino"));
  auto seen_by_bob = Page(path, CookieOf(bob));
  EXPECT_TRUE(Contains(seen_by_bob.body, "visit my casino"));
  EXPECT_TRUE(Contains(seen_by_bob.body, "Awaiting review: only you can see this comment"));

  // A refused comment comes back with the error at its field.
  auto empty = Form(path + "/comments", bob, "csrf_token=" + bob.csrf_token + "&text=+");
  EXPECT_EQ(empty.status, 422);
  EXPECT_TRUE(Contains(empty.body, "role=\"alert\" id=\"comment-text-error\">Write something")) << empty.body;

  // Deleting a comment with a reply leaves its place in the thread.
  ASSERT_EQ(Form(path + "/comments/" + comment_id + "/delete", ana, "csrf_token=" + ana.csrf_token).status, 404);
  ASSERT_EQ(Form(path + "/comments/" + comment_id + "/delete", bob, "csrf_token=" + bob.csrf_token).status, 303);
  auto after = Page(path);
  EXPECT_TRUE(Contains(after.body, "This comment was deleted.")) << after.body;
  EXPECT_TRUE(Contains(after.body, "&lt;i&gt;Thanks"));
}

TEST_P(SocialPagesTest, ShareShowsTheLinkWithCampaignAndSharer) {
  const Credentials ana = Member("ana");
  const std::string path = Publish(ana, "share me");
  const Credentials bob = Member("bob");
  auto shared = Form(path + "/share", bob, "csrf_token=" + bob.csrf_token + "&channel=whatsapp");
  ASSERT_EQ(shared.status, 303) << shared.body;
  const std::string location(shared.headers.Get("Location").value_or(""));
  EXPECT_TRUE(location.starts_with(path + "?shared=")) << location;
  auto page = Page(location.substr(0, location.find('#')), CookieOf(bob));
  ASSERT_EQ(page.status, 200);
  const std::string id = path.substr(std::string("/posts/").size());
  EXPECT_TRUE(Contains(page.body, path +
                                      "?utm_source=whatsapp&amp;utm_medium=social&amp;utm_campaign=post_share&amp;"
                                      "utm_content=post_" +
                                      id + "&amp;ref=bob"))
      << page.body;
  EXPECT_TRUE(Contains(page.body, "https://wa.me/?text="));
  EXPECT_TRUE(Contains(page.body, "1 share"));
  // Only a link to this post is ever shown from the query.
  auto forged = Page(path + "?shared=%2Fposts%2F999%3Fx%3D1", CookieOf(bob));
  EXPECT_FALSE(Contains(forged.body, "id=\"share-link\""));
}

TEST_P(SocialPagesTest, APrivateAuthorsPostIsHiddenFromStrangersAndDeletedPostsAreGone) {
  const Credentials eve = Member("eve", /*is_private=*/true);
  const std::string path = Publish(eve, "for my followers #secret");
  EXPECT_EQ(Page(path).status, 404);
  const Credentials bob = Member("bob");
  EXPECT_EQ(Page(path, CookieOf(bob)).status, 404);
  EXPECT_EQ(Form(path + "/like", bob, "csrf_token=" + bob.csrf_token).status, 404);
  EXPECT_FALSE(Contains(Page("/hashtags/secret").body, "for my followers"));
  EXPECT_EQ(Page(path, CookieOf(eve)).status, 200);

  EXPECT_EQ(Form(path + "/delete", bob, "csrf_token=" + bob.csrf_token).status, 404);
  auto deleted = Form(path + "/delete", eve, "csrf_token=" + eve.csrf_token + "&return_to=" + Escape(path));
  ASSERT_EQ(deleted.status, 303);
  EXPECT_EQ(deleted.headers.Get("Location").value_or(""), "/feed");
  EXPECT_EQ(Page(path, CookieOf(eve)).status, 404);
  EXPECT_EQ(Count("social_posts"), 0);
}

TEST_P(SocialPagesTest, TheHashtagPageListsItsPostsNewestFirst) {
  const Credentials ana = Member("ana");
  Publish(ana, "first #Knits");
  clock().Advance(std::chrono::minutes(5));
  Publish(ana, "second #knits");
  Publish(ana, "other #wool");
  auto page = Page("/hashtags/KNITS");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Contains(page.body, "<h1>#knits</h1>"));
  const auto second = page.body.find("second");
  const auto first = page.body.find("first");
  ASSERT_NE(second, std::string::npos);
  ASSERT_NE(first, std::string::npos);
  EXPECT_LT(second, first);
  EXPECT_FALSE(Contains(page.body, "/hashtags/wool"));
  EXPECT_TRUE(Contains(page.body, "<h2 id=\"post-")) << page.body;
  EXPECT_TRUE(Contains(page.body, "5 min ago"));
  EXPECT_EQ(Page("/hashtags/123").status, 404);
  EXPECT_TRUE(Contains(Page("/hashtags/nothing_here").body, "No posts with this hashtag yet."));
}

INSTANTIATE_TEST_SUITE_P(Backends, SocialPagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
