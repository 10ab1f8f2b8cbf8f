#include "plaza/social/feeds.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plaza/catalog/catalog.h"
#include "plaza/catalog/migrations.h"
#include "plaza/social/feeds_migrations.h"
#include "plaza/social/migrations.h"
#include "plaza/social/notifications.h"
#include "plaza/social/posts.h"
#include "plaza/social/profiles.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"
#include "profile_test_support.h"

namespace plaza::social {
namespace {

constexpr std::int64_t kShop = 1;
constexpr std::int64_t kOtherShop = 2;
constexpr auto kHour = std::chrono::hours(1);

class FeedServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  FeedServiceTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(1'700'000'000'000)),
        profiles_(db(), clock_),
        notifications_(db(), clock_),
        posts_(db(), clock_, notifications_),
        feeds_(db(), clock_, posts_),
        catalog_(db(), clock_) {}

  void SetUp() override {
    const Status migrated =
        store::Migrate(db(), std::vector<store::MigrationSet>{store::StoreMigrations(), catalog::CatalogMigrations(),
                                                              SocialMigrations(), SocialFeedsMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  Profile Make(const std::string& handle, bool is_private = false, std::int64_t shop = kShop) {
    return MakeTestProfile(profiles_, handle, is_private, shop);
  }

  std::int64_t PostOf(const Profile& author, const std::string& text, std::vector<ProductTagInput> products = {}) {
    auto post = posts_.CreatePost(author.shop_id, author.id, NewPost{.text = text, .products = std::move(products)});
    EXPECT_TRUE(post.ok()) << post.error().detail;
    return post.ok() ? post->id : 0;
  }

  void Sql(const std::string& sql, std::initializer_list<store::Param> params) {
    const Status status = db().Write([&](store::Transaction& tx) -> Status {
      PLAZA_TRY(tx.Execute(sql, params));
      return Ok();
    });
    ASSERT_TRUE(status.ok()) << status.error().detail;
  }

  void SetLikes(std::int64_t post_id, std::int64_t likes) {
    Sql("UPDATE social_posts SET like_count = ? WHERE id = ?", {likes, post_id});
  }

  static std::vector<std::int64_t> Ids(const PostPage& page) {
    std::vector<std::int64_t> ids;
    for (const Post& post : page.posts) ids.push_back(post.id);
    return ids;
  }

  // Every post of a feed, following cursors; fails the test on an error.
  template <typename Read>
  std::vector<std::int64_t> ReadAll(Read&& read, int limit = kMaxPageSize) {
    std::vector<std::int64_t> ids;
    PageRequest request{.limit = limit};
    for (int pages = 0; pages < 50; ++pages) {
      Result<PostPage> page = read(request);
      EXPECT_TRUE(page.ok()) << page.error().detail;
      if (!page.ok()) break;
      for (const Post& post : page->posts) ids.push_back(post.id);
      if (page->next_cursor.empty()) break;
      request.cursor = page->next_cursor;
    }
    return ids;
  }

  std::vector<std::int64_t> TimelineOf(const Profile& viewer, int limit = kMaxPageSize) {
    return ReadAll([&](const PageRequest& page) { return feeds_.Timeline(kShop, viewer.id, page); }, limit);
  }

  std::vector<std::int64_t> DiscoveryFor(std::optional<std::int64_t> viewer, int limit = kMaxPageSize) {
    return ReadAll([&](const PageRequest& page) { return feeds_.Discovery(kShop, viewer, page); }, limit);
  }

  std::int64_t MakeProduct(const std::string& title) {
    catalog::ProductInput input;
    input.title = title;
    input.status = catalog::ProductStatus::kActive;
    input.channels = {catalog::Channel::kOnlineStore};
    auto product = catalog_.CreateProduct(kShop, input);
    EXPECT_TRUE(product.ok()) << product.error().detail;
    return product.ok() ? product->id : 0;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  ProfileService profiles_;
  NotificationService notifications_;
  PostService posts_;
  FeedService feeds_;
  catalog::CatalogService catalog_;
};

TEST_P(FeedServiceTest, TimelineHoldsFollowedAndOwnPostsNewestFirstAcrossPages) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Profile cat = Make("cat");
  ASSERT_TRUE(profiles_.Follow(kShop, ada.id, "bob").ok());
  std::vector<std::int64_t> expected;
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(std::chrono::minutes(1));
    expected.insert(expected.begin(), PostOf(bob, "bob " + std::to_string(i)));
    PostOf(cat, "cat " + std::to_string(i));  // not followed
  }
  clock_.Advance(std::chrono::minutes(1));
  expected.insert(expected.begin(), PostOf(ada, "mine"));
  EXPECT_EQ(TimelineOf(ada), expected);
  EXPECT_EQ(TimelineOf(ada, 1), expected);
  EXPECT_EQ(TimelineOf(ada, 3), expected);
  // Unfollowing takes effect at the next read: nothing was copied anywhere.
  ASSERT_TRUE(profiles_.Unfollow(kShop, ada.id, "bob").ok());
  EXPECT_EQ(TimelineOf(ada), std::vector<std::int64_t>{expected.front()});
}

// Each author contributes at most a page (plus one) to the candidates of a page; a
// prolific author whose posts fill whole pages must neither crowd out nor reorder the
// quiet one's posts between them.
TEST_P(FeedServiceTest, TimelineInterleavesAProlificAndAQuietAuthorOnEveryPage) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Profile cat = Make("cat");
  ASSERT_TRUE(profiles_.Follow(kShop, ada.id, "bob").ok());
  ASSERT_TRUE(profiles_.Follow(kShop, ada.id, "cat").ok());
  std::vector<std::int64_t> oldest_first;
  for (int i = 0; i < 12; ++i) {
    clock_.Advance(std::chrono::minutes(1));
    oldest_first.push_back(PostOf(bob, "bob " + std::to_string(i)));
    if (i % 4 == 0) oldest_first.push_back(PostOf(cat, "cat " + std::to_string(i)));
  }
  const std::vector<std::int64_t> expected(oldest_first.rbegin(), oldest_first.rend());
  for (int limit : {1, 2, 3, 5, kMaxPageSize}) EXPECT_EQ(TimelineOf(ada, limit), expected) << "limit " << limit;
}

TEST_P(FeedServiceTest, TimelineLeavesOutMutedBlockedUnapprovedModeratedAndGroupPosts) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Profile dan = Make("dan", /*is_private=*/true);
  ASSERT_TRUE(profiles_.Follow(kShop, ada.id, "bob").ok());
  ASSERT_TRUE(profiles_.Follow(kShop, ada.id, "dan").ok());  // a request until dan approves
  const std::int64_t bobs = PostOf(bob, "hello");
  const std::int64_t dans = PostOf(dan, "private hello");
  EXPECT_EQ(TimelineOf(ada), std::vector<std::int64_t>{bobs});
  ASSERT_TRUE(profiles_.ApproveRequest(kShop, dan.id, "ada").ok());
  EXPECT_EQ(TimelineOf(ada), (std::vector<std::int64_t>{dans, bobs}));

  ASSERT_TRUE(profiles_.Mute(kShop, ada.id, "dan").ok());
  EXPECT_EQ(TimelineOf(ada), std::vector<std::int64_t>{bobs});
  ASSERT_TRUE(profiles_.Unmute(kShop, ada.id, "dan").ok());

  // Held for a moderator: only its author sees it; hidden: nobody.
  const std::int64_t held = PostOf(bob, "held");
  const std::int64_t mine_held = PostOf(ada, "my held");
  Sql("UPDATE social_posts SET visibility = 'held' WHERE id = ? OR id = ?", {held, mine_held});
  Sql("UPDATE social_posts SET visibility = 'hidden' WHERE id = ?", {dans});
  EXPECT_EQ(TimelineOf(ada), (std::vector<std::int64_t>{mine_held, bobs}));
  // A group's posts stay in the group.
  Sql("UPDATE social_posts SET group_id = 9 WHERE id = ?", {bobs});
  EXPECT_EQ(TimelineOf(ada), std::vector<std::int64_t>{mine_held});
  Sql("UPDATE social_posts SET group_id = NULL WHERE id = ?", {bobs});

  ASSERT_TRUE(profiles_.Block(kShop, bob.id, "ada").ok());
  EXPECT_EQ(TimelineOf(ada), std::vector<std::int64_t>{mine_held});
}

TEST_P(FeedServiceTest, TimelineRefusesBadCursorsLimitsAndForeignViewers) {
  const Profile ada = Make("ada");
  const Profile zed = Make("zed", false, kOtherShop);
  auto bad = feeds_.Timeline(kShop, ada.id, PageRequest{.cursor = "6431"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().type, "social/invalid-cursor");
  EXPECT_EQ(feeds_.Timeline(kShop, ada.id, PageRequest{.limit = 0}).error().type, "validation/range");
  EXPECT_EQ(feeds_.Timeline(kShop, zed.id, PageRequest{}).error().code, ErrorCode::kNotFound);
}

TEST_P(FeedServiceTest, DiscoveryRanksByEngagementWithDecayAndAuthorDiversity) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Profile cat = Make("cat");
  const Profile dan = Make("dan", /*is_private=*/true);
  const Profile viewer = Make("viewer");
  const std::int64_t too_old = PostOf(cat, "last week");
  SetLikes(too_old, 1000);
  clock_.Advance(std::chrono::hours(24 * 7 + 30));
  const std::int64_t c1 = PostOf(cat, "yesterday");
  SetLikes(c1, 10);
  clock_.Advance(std::chrono::hours(29));
  const std::int64_t a1 = PostOf(ada, "a1");
  const std::int64_t a2 = PostOf(ada, "a2");
  const std::int64_t a3 = PostOf(ada, "a3");
  const std::int64_t b1 = PostOf(bob, "b1");
  const std::int64_t private_post = PostOf(dan, "for followers");
  SetLikes(a1, 10);
  SetLikes(a2, 9);
  SetLikes(a3, 8);
  SetLikes(b1, 5);
  SetLikes(private_post, 100);
  clock_.Advance(kHour);
  // Scores: a1 11/3^1.5 = 2.12, a2 1.92, a3 1.73, b1 1.15, c1 11/32^1.5 = 0.06. Without
  // diversity ada would hold the top three; with it a2 counts half (0.96) after a1, so
  // b1 comes second, and a3 a quarter (0.43).
  const std::vector<std::int64_t> expected = {a1, b1, a2, a3, c1};
  EXPECT_EQ(DiscoveryFor(viewer.id), expected);
  EXPECT_EQ(DiscoveryFor(std::nullopt), expected);
  EXPECT_EQ(DiscoveryFor(viewer.id, 2), expected) << "pages continue the same ranking";
  EXPECT_GT(DiscoveryScore(10, 0, 0, 0, clock_.Now() - kHour, clock_.Now()),
            DiscoveryScore(10, 0, 0, 0, clock_.Now() - 30 * kHour, clock_.Now()));

  // A ranking is fixed by its first page: later pages ignore posts and likes that come
  // after it, so nothing repeats or goes missing while someone scrolls.
  auto first = feeds_.Discovery(kShop, viewer.id, PageRequest{.limit = 2});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Ids(*first), (std::vector<std::int64_t>{a1, b1}));
  clock_.Advance(kHour);
  const std::int64_t newer = PostOf(bob, "new");
  SetLikes(newer, 50);
  auto second = feeds_.Discovery(kShop, viewer.id, PageRequest{.cursor = first->next_cursor, .limit = 2});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Ids(*second), (std::vector<std::int64_t>{a2, a3}));

  // Blocks either way and mutes take the author out for that viewer only.
  ASSERT_TRUE(profiles_.Mute(kShop, viewer.id, "ada").ok());
  ASSERT_TRUE(profiles_.Block(kShop, cat.id, "viewer").ok());
  const std::vector<std::int64_t> filtered = DiscoveryFor(viewer.id);
  EXPECT_EQ(filtered, (std::vector<std::int64_t>{newer, b1}));
  EXPECT_EQ(DiscoveryFor(std::nullopt).size(), 6u);
}

TEST_P(FeedServiceTest, DiscoveryIsTheSameForTheSameClock) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 12; ++i) {
    clock_.Advance(std::chrono::minutes(7));
    ids.push_back(PostOf(i % 3 == 0 ? bob : ada, "post " + std::to_string(i)));
    SetLikes(ids.back(), (i * 7) % 5);  // many equal scores: ties go to the newer post
  }
  const auto once = DiscoveryFor(std::nullopt, 5);
  EXPECT_EQ(once.size(), ids.size());
  EXPECT_EQ(DiscoveryFor(std::nullopt, 5), once);
  EXPECT_EQ(DiscoveryFor(std::nullopt, 12), once);
  auto bad = feeds_.Discovery(kShop, std::nullopt, PageRequest{.cursor = "zz"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().type, "social/invalid-cursor");
}

TEST_P(FeedServiceTest, ProductFeedShowsPostsTaggingTheProductToThoseWhoMaySeeThem) {
  const Profile ada = Make("ada");
  const Profile dan = Make("dan", /*is_private=*/true);
  const Profile viewer = Make("viewer");
  const std::int64_t mug = MakeProduct("Mug");
  const std::int64_t hat = MakeProduct("Hat");
  const std::int64_t public_post = PostOf(ada, "my mug", {{.product_id = mug}});
  PostOf(ada, "my hat", {{.product_id = hat}});
  const std::int64_t private_post = PostOf(dan, "dan's mug", {{.product_id = mug}});
  auto feed = [&](std::optional<std::int64_t> who) {
    return ReadAll([&](const PageRequest& page) { return feeds_.Product(kShop, mug, who, page); }, 1);
  };
  EXPECT_EQ(feed(std::nullopt), std::vector<std::int64_t>{public_post});
  EXPECT_EQ(feed(viewer.id), std::vector<std::int64_t>{public_post});
  EXPECT_EQ(feed(dan.id), (std::vector<std::int64_t>{private_post, public_post}));
  ASSERT_TRUE(profiles_.Follow(kShop, viewer.id, "dan").ok());
  ASSERT_TRUE(profiles_.ApproveRequest(kShop, dan.id, "viewer").ok());
  EXPECT_EQ(feed(viewer.id), (std::vector<std::int64_t>{private_post, public_post}));
  ASSERT_TRUE(profiles_.Block(kShop, ada.id, "viewer").ok());
  EXPECT_EQ(feed(viewer.id), std::vector<std::int64_t>{private_post});
  auto page = feeds_.Product(kShop, mug, std::nullopt, PageRequest{});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->posts.size(), 1u);
  ASSERT_EQ(page->posts[0].products.size(), 1u);
  EXPECT_EQ(page->posts[0].products[0].product_id, mug);
  EXPECT_TRUE(feeds_.Product(kOtherShop, mug, std::nullopt, PageRequest{})->posts.empty());
}

TEST_P(FeedServiceTest, HashtagFeed) {
  const Profile ada = Make("ada");
  const std::int64_t tagged = PostOf(ada, "sun #Summer");
  PostOf(ada, "no tag");
  auto page = feeds_.Hashtag(kShop, "summer", std::nullopt, PageRequest{});
  ASSERT_TRUE(page.ok()) << page.error().detail;
  EXPECT_EQ(Ids(*page), std::vector<std::int64_t>{tagged});
}

TEST_P(FeedServiceTest, PurchaseSharingIsOffUntilChosen) {
  const Profile ada = Make("ada");
  const Profile zed = Make("zed", false, kOtherShop);
  EXPECT_FALSE(*feeds_.PurchaseSharing(kShop, ada.id));
  ASSERT_TRUE(feeds_.SetPurchaseSharing(kShop, ada.id, true).ok());
  ASSERT_TRUE(feeds_.SetPurchaseSharing(kShop, ada.id, true).ok());
  EXPECT_TRUE(*feeds_.PurchaseSharing(kShop, ada.id));
  ASSERT_TRUE(feeds_.SetPurchaseSharing(kShop, ada.id, false).ok());
  EXPECT_FALSE(*feeds_.PurchaseSharing(kShop, ada.id));
  EXPECT_EQ(feeds_.SetPurchaseSharing(kShop, zed.id, true).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(feeds_.PurchaseSharing(kShop, zed.id).error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, FeedServiceTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::social
