#include "plaza/social/posts.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "plaza/catalog/catalog.h"
#include "plaza/catalog/migrations.h"
#include "plaza/social/comments.h"
#include "plaza/social/feeds_migrations.h"
#include "plaza/social/migrations.h"
#include "plaza/social/notifications.h"
#include "plaza/social/profiles.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"
#include "profile_test_support.h"

namespace plaza::social {
namespace {

constexpr std::int64_t kShop = 1;
constexpr std::int64_t kOtherShop = 2;

TEST(PostTextTest, HashtagsAreNormalisedDeduplicatedAndNeedALetter) {
  EXPECT_EQ(ParseHashtags("New #Summer_Sale drop! #summer_sale #2024 #été, C# and &#39; #"),
            (std::vector<std::string>{"summer_sale", "été"}));
  EXPECT_EQ(ParseHashtags("#a#b"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(ParseHashtags("end with emoji #party🎉 and #tag."), (std::vector<std::string>{"party", "tag"}));
  EXPECT_EQ(NormalizeHashtag("#SummerSale"), "summersale");
  EXPECT_FALSE(NormalizeHashtag("123").has_value());
  EXPECT_FALSE(NormalizeHashtag("two words").has_value());
  EXPECT_FALSE(NormalizeHashtag("zero\u200Bwidth").has_value());
  EXPECT_FALSE(NormalizeHashtag(std::string(kMaxHashtagLength + 1, 'a')).has_value());
  std::string many;
  for (int i = 0; i < 50; ++i) many += " #t" + std::to_string(i);
  EXPECT_EQ(ParseHashtags(many).size(), kMaxHashtags);
}

TEST(PostTextTest, MentionsAreHandlesNotAddresses) {
  EXPECT_EQ(ParseMentions("thanks @Ada.Lovelace. and @bob_1, mail ada@example.com, @ada.lovelace again, @x"),
            (std::vector<std::string>{"Ada.Lovelace", "bob_1"}));
  EXPECT_EQ(ParseMentions("<b>@grace</b>"), (std::vector<std::string>{"grace"}));
}

// A group gate whose answers a test sets.
class FakeGroups : public GroupGate {
 public:
  Result<bool> CanRead(store::Transaction&, std::int64_t, std::int64_t group_id,
                       std::optional<std::int64_t> viewer) override {
    return group_id == open_group || (viewer && *viewer == member);
  }
  Status CheckCanPost(store::Transaction&, std::int64_t, std::int64_t group_id, std::int64_t author) override {
    if (group_id == open_group || author == member) return Ok();
    return Error::NotFound("no such group");
  }
  std::int64_t open_group = 1;
  std::int64_t member = 0;
};

class PostServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  PostServiceTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(1'700'000'000'000)),
        profiles_(db(), clock_),
        notifications_(db(), clock_),
        posts_(db(), clock_, notifications_),
        comments_(db(), clock_, posts_),
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

  catalog::ProductInput ProductNamed(const std::string& title, catalog::ProductStatus status) {
    catalog::ProductInput input;
    input.title = title;
    input.status = status;
    input.channels = {catalog::Channel::kOnlineStore};
    return input;
  }

  catalog::Product MakeProduct(const std::string& title,
                               catalog::ProductStatus status = catalog::ProductStatus::kActive,
                               std::int64_t shop = kShop) {
    auto created = catalog_.CreateProduct(shop, ProductNamed(title, status));
    EXPECT_TRUE(created.ok()) << created.error().detail;
    return created.ok() ? *created : catalog::Product{};
  }

  Post MakePost(const Profile& author, const std::string& text, std::vector<ProductTagInput> products = {}) {
    auto created = posts_.CreatePost(author.shop_id, author.id, NewPost{.text = text, .products = std::move(products)});
    EXPECT_TRUE(created.ok()) << created.error().detail;
    return created.ok() ? *created : Post{};
  }

  std::vector<Notification> NotificationsOf(const Profile& profile) {
    auto page = notifications_.List(kShop, profile.id, PageRequest{.limit = kMaxPageSize});
    EXPECT_TRUE(page.ok()) << page.error().detail;
    return page.ok() ? page->notifications : std::vector<Notification>{};
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  ProfileService profiles_;
  NotificationService notifications_;
  PostService posts_;
  CommentService comments_;
  catalog::CatalogService catalog_;
};

TEST_P(PostServiceTest, APostKeepsItsTextAsWrittenWithMentionsHashtagsAndTags) {
  const Profile ada = Make("ada");
  const Profile bob = Make("Bob");
  const catalog::Product scarf = MakeProduct("Silk scarf");
  const std::string text = "<script>alert(1)</script> with @bob and @nobody #Silk #silk #Été";
  const Post post = MakePost(ada, text, {{scarf.id, scarf.variants.front().id}});
  EXPECT_EQ(post.text, text);
  EXPECT_EQ(post.author.handle, "ada");
  ASSERT_EQ(post.mentions.size(), 1U);
  EXPECT_EQ(post.mentions[0].id, bob.id);
  EXPECT_EQ(post.mentions[0].handle, "Bob");
  EXPECT_EQ(post.hashtags, (std::vector<std::string>{"silk", "Été"}));
  ASSERT_EQ(post.products.size(), 1U);
  EXPECT_EQ(post.products[0].state, TagState::kAvailable);
  EXPECT_EQ(post.products[0].product_title, "Silk scarf");
  EXPECT_EQ(post.products[0].variant_ids, (std::vector<std::int64_t>{scarf.variants.front().id}));
  // The mentioned profile hears of it.
  const auto received = NotificationsOf(bob);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].kind, NotificationKind::kMention);
  EXPECT_EQ(received[0].subject_id, post.id);
  // Another shop does not know the post.
  auto foreign = posts_.GetPost(kOtherShop, post.id, std::nullopt);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
}

TEST_P(PostServiceTest, HostileTextsAreRefusedWithTheReason) {
  const Profile ada = Make("ada");
  auto invisible = posts_.CreatePost(kShop, ada.id, NewPost{.text = "buy\u200Bnow"});
  ASSERT_FALSE(invisible.ok());
  EXPECT_EQ(invisible.error().type, "social/invisible-character");
  EXPECT_EQ(invisible.error().field, "/text");
  EXPECT_NE(invisible.error().detail.find("U+200B at position 4"), std::string::npos);
  auto bidi = posts_.CreatePost(kShop, ada.id, NewPost{.text = "abc\u202Egpj.exe"});
  ASSERT_FALSE(bidi.ok());
  EXPECT_EQ(bidi.error().type, "social/invisible-character");
  auto huge = posts_.CreatePost(kShop, ada.id, NewPost{.text = std::string(kMaxPostLength + 1, 'a')});
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().type, "validation/too-long");
  auto broken = posts_.CreatePost(kShop, ada.id, NewPost{.text = std::string("\xC3\x28")});
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().type, "validation/utf8");
  auto control = posts_.CreatePost(kShop, ada.id, NewPost{.text = std::string("bell\x07")});
  ASSERT_FALSE(control.ok());
  EXPECT_EQ(control.error().type, "social/control-character");
  auto empty = posts_.CreatePost(kShop, ada.id, NewPost{});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().type, "social/empty-post");
  // Emoji sequences need the zero-width joiner; multi-line texts keep their breaks.
  EXPECT_TRUE(posts_.CreatePost(kShop, ada.id, NewPost{.text = "family 👩\u200D👩\u200D👧\nsecond line"}).ok());
  auto comment = comments_.CreateComment(kShop, ada.id, MakePost(ada, "hi").id, std::nullopt, "x\u2060y");
  ASSERT_FALSE(comment.ok());
  EXPECT_EQ(comment.error().type, "social/invisible-character");
}

TEST_P(PostServiceTest, ProductTagsAreCheckedThenReadHonestlyWhenTheProductChanges) {
  const Profile ada = Make("ada");
  const catalog::Product draft = MakeProduct("Secret drop", catalog::ProductStatus::kDraft);
  auto on_draft = posts_.CreatePost(kShop, ada.id, NewPost{.products = {{draft.id, std::nullopt}}});
  ASSERT_FALSE(on_draft.ok());
  EXPECT_EQ(on_draft.error().type, "social/product-not-available");
  EXPECT_EQ(on_draft.error().field, "/products/0/product_id");
  auto unknown = posts_.CreatePost(kShop, ada.id, NewPost{.products = {{987654, std::nullopt}}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().type, "social/unknown-product");
  const catalog::Product foreign = MakeProduct("Elsewhere", catalog::ProductStatus::kActive, kOtherShop);
  auto other_shop = posts_.CreatePost(kShop, ada.id, NewPost{.products = {{foreign.id, std::nullopt}}});
  ASSERT_FALSE(other_shop.ok());
  EXPECT_EQ(other_shop.error().type, "social/unknown-product");

  const catalog::Product scarf = MakeProduct("Silk scarf");
  const catalog::Product hat = MakeProduct("Felt hat");
  auto wrong_variant = posts_.CreatePost(kShop, ada.id, NewPost{.products = {{scarf.id, hat.variants.front().id}}});
  ASSERT_FALSE(wrong_variant.ok());
  EXPECT_EQ(wrong_variant.error().type, "social/unknown-variant");
  EXPECT_EQ(wrong_variant.error().field, "/products/0/variant_id");

  const Post post = MakePost(ada, "two things", {{scarf.id, std::nullopt}, {hat.id, hat.variants.front().id}});
  ASSERT_TRUE(
      catalog_.UpdateProduct(kShop, scarf.id, ProductNamed("Silk scarf", catalog::ProductStatus::kArchived)).ok());
  ASSERT_TRUE(catalog_.DeleteProduct(kShop, hat.id).ok());
  auto read = posts_.GetPost(kShop, post.id, std::nullopt);
  ASSERT_TRUE(read.ok()) << read.error().detail;
  ASSERT_EQ(read->products.size(), 2U);
  EXPECT_EQ(read->products[0].state, TagState::kArchived);
  EXPECT_EQ(read->products[0].product_title, "Silk scarf");
  EXPECT_EQ(read->products[1].state, TagState::kMissing);
  EXPECT_EQ(read->products[1].product_id, hat.id);
  EXPECT_TRUE(read->products[1].product_title.empty());
}

TEST_P(PostServiceTest, PrivateProfilesPostsAreForApprovedFollowersOnly) {
  const Profile ada = Make("ada", /*is_private=*/true);
  const Profile bob = Make("bob");
  const Profile eve = Make("eve");
  const Post post = MakePost(ada, "only for friends #secret");
  ASSERT_TRUE(profiles_.Follow(kShop, bob.id, "ada").ok());
  ASSERT_TRUE(profiles_.ApproveRequest(kShop, ada.id, "bob").ok());

  EXPECT_TRUE(posts_.GetPost(kShop, post.id, ada.id).ok());
  EXPECT_TRUE(posts_.GetPost(kShop, post.id, bob.id).ok());
  for (std::optional<std::int64_t> stranger : {std::optional<std::int64_t>(eve.id), std::optional<std::int64_t>()}) {
    auto read = posts_.GetPost(kShop, post.id, stranger);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kNotFound);
    auto list = posts_.ListProfilePosts(kShop, "ada", stranger, PageRequest{});
    ASSERT_FALSE(list.ok());
    EXPECT_EQ(list.error().type, "social/private-profile");
    auto tagged = posts_.ListHashtagPosts(kShop, "secret", stranger, PageRequest{});
    ASSERT_TRUE(tagged.ok());
    EXPECT_TRUE(tagged->posts.empty());
    EXPECT_EQ(comments_.ListComments(kShop, post.id, stranger, PageRequest{}).error().code, ErrorCode::kNotFound);
  }
  EXPECT_EQ(posts_.Like(kShop, eve.id, post.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(posts_.SharePost(kShop, eve.id, post.id, "").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(comments_.CreateComment(kShop, eve.id, post.id, std::nullopt, "hi").error().code, ErrorCode::kNotFound);
  auto list = posts_.ListProfilePosts(kShop, "ada", bob.id, PageRequest{});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->posts.size(), 1U);
  auto tagged = posts_.ListHashtagPosts(kShop, "#Secret", bob.id, PageRequest{});
  ASSERT_TRUE(tagged.ok());
  EXPECT_EQ(tagged->posts.size(), 1U);
}

TEST_P(PostServiceTest, ABlockedViewerFindsNothingThroughAnyPath) {
  const Profile ada = Make("ada");
  const Profile eve = Make("eve");
  const Post post = MakePost(ada, "hello #world");
  ASSERT_TRUE(comments_.CreateComment(kShop, ada.id, post.id, std::nullopt, "first").ok());
  ASSERT_TRUE(posts_.Save(kShop, eve.id, post.id).ok());
  ASSERT_TRUE(profiles_.Block(kShop, ada.id, "eve").ok());

  EXPECT_EQ(posts_.GetPost(kShop, post.id, eve.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(posts_.ListProfilePosts(kShop, "ada", eve.id, PageRequest{}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(posts_.Like(kShop, eve.id, post.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(posts_.Save(kShop, eve.id, post.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(posts_.SharePost(kShop, eve.id, post.id, "").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(comments_.ListComments(kShop, post.id, eve.id, PageRequest{}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(comments_.CreateComment(kShop, eve.id, post.id, std::nullopt, "hi").error().code, ErrorCode::kNotFound);
  auto tagged = posts_.ListHashtagPosts(kShop, "world", eve.id, PageRequest{});
  ASSERT_TRUE(tagged.ok());
  EXPECT_TRUE(tagged->posts.empty());
  auto saves = posts_.ListSaves(kShop, eve.id, PageRequest{});
  ASSERT_TRUE(saves.ok());
  EXPECT_TRUE(saves->posts.empty());
  // Anonymous visitors are nobody in particular and still see it.
  EXPECT_TRUE(posts_.GetPost(kShop, post.id, std::nullopt).ok());
  // Mentioning a profile that blocks you leaves plain text and no notification.
  const Post mention = MakePost(eve, "hey @ada");
  EXPECT_TRUE(mention.mentions.empty());
  EXPECT_TRUE(NotificationsOf(ada).empty());
}

TEST_P(PostServiceTest, ConcurrentLikesKeepTheCountEqualToTheLikes) {
  const Profile ada = Make("ada");
  const Post post = MakePost(ada, "like me");
  constexpr std::size_t kThreads = 8;
  std::vector<Profile> likers;
  for (std::size_t i = 0; i < kThreads; ++i) likers.push_back(Make("fan" + std::to_string(i)));
  std::vector<std::thread> threads;
  std::vector<std::string> failures(kThreads);
  for (std::size_t i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      // Each likes, unlikes and likes twice more, so the count moves both ways.
      const std::int64_t me = likers[i].id;
      for (bool like : {true, false, true, true}) {
        auto result = like ? posts_.Like(kShop, me, post.id) : posts_.Unlike(kShop, me, post.id);
        if (!result.ok()) failures[i] = result.error().detail;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");
  auto read = posts_.GetPost(kShop, post.id, likers[0].id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->like_count, static_cast<std::int64_t>(kThreads));
  EXPECT_TRUE(read->liked);
  auto rows = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
    PLAZA_ASSIGN_OR_RETURN(auto row,
                           tx.QueryOne("SELECT COUNT(*) FROM social_post_likes WHERE post_id = ?", {post.id}));
    return row->Int(0);
  });
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, static_cast<std::int64_t>(kThreads));
  // A like notifies the author once per liker, however often they like again.
  EXPECT_EQ(NotificationsOf(ada).size(), 2 * kThreads);
}

TEST_P(PostServiceTest, SavesAreListedNewestFirstWithACursor) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  std::vector<Post> posts;
  for (int i = 0; i < 5; ++i) posts.push_back(MakePost(ada, "post " + std::to_string(i)));
  for (const Post& post : posts) ASSERT_TRUE(posts_.Save(kShop, bob.id, post.id).ok());
  ASSERT_TRUE(posts_.Save(kShop, bob.id, posts[0].id).ok());  // again: no change
  ASSERT_TRUE(posts_.Unsave(kShop, bob.id, posts[2].id).ok());
  ASSERT_TRUE(posts_.DeletePost(kShop, ada.id, posts[3].id).ok());
  auto first = posts_.ListSaves(kShop, bob.id, PageRequest{.limit = 2});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->posts.size(), 2U);
  EXPECT_EQ(first->posts[0].id, posts[4].id);
  EXPECT_EQ(first->posts[1].id, posts[1].id);
  EXPECT_TRUE(first->posts[0].saved);
  ASSERT_FALSE(first->next_cursor.empty());
  auto second = posts_.ListSaves(kShop, bob.id, PageRequest{.cursor = first->next_cursor, .limit = 2});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->posts.size(), 1U);
  EXPECT_EQ(second->posts[0].id, posts[0].id);
  EXPECT_EQ(second->posts[0].save_count, 1);
  EXPECT_TRUE(second->next_cursor.empty());
  EXPECT_EQ(posts_.ListSaves(kShop, bob.id, PageRequest{.cursor = "zz"}).error().type, "social/invalid-cursor");
}

TEST_P(PostServiceTest, ASharedLinkCarriesUtmAndTheSharersReferral) {
  const Profile ada = Make("ada");
  const Profile bob = Make("Bob.Smith");
  const Post post = MakePost(ada, "share me");
  auto share = posts_.SharePost(kShop, bob.id, post.id, "whatsapp");
  ASSERT_TRUE(share.ok()) << share.error().detail;
  const std::string id = std::to_string(post.id);
  EXPECT_EQ(share->path, "/posts/" + id +
                             "?utm_source=whatsapp&utm_medium=social&utm_campaign=post_share&utm_content=post_" + id +
                             "&ref=Bob.Smith");
  ASSERT_TRUE(posts_.SharePost(kShop, bob.id, post.id, "").ok());
  EXPECT_EQ(posts_.GetPost(kShop, post.id, std::nullopt)->share_count, 2);
  EXPECT_EQ(posts_.SharePost(kShop, bob.id, post.id, "Evil&x=1").error().type, "social/invalid-channel");
}

TEST_P(PostServiceTest, CommentsThreadThreeLevelsAndNotifyWhoIsAnswered) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Profile cat = Make("cat");
  const Post post = MakePost(ada, "thread");
  auto top = comments_.CreateComment(kShop, bob.id, post.id, std::nullopt, "nice, @cat look");
  ASSERT_TRUE(top.ok()) << top.error().detail;
  EXPECT_EQ(top->depth, 1);
  ASSERT_EQ(top->mentions.size(), 1U);
  auto reply = comments_.CreateComment(kShop, cat.id, post.id, top->id, "agreed @bob");
  ASSERT_TRUE(reply.ok()) << reply.error().detail;
  EXPECT_EQ(reply->depth, 2);
  auto deepest = comments_.CreateComment(kShop, ada.id, post.id, reply->id, "thanks");
  ASSERT_TRUE(deepest.ok());
  EXPECT_EQ(deepest->depth, kMaxCommentDepth);
  auto too_deep = comments_.CreateComment(kShop, bob.id, post.id, deepest->id, "and more");
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.error().type, "social/thread-too-deep");
  auto second = comments_.CreateComment(kShop, cat.id, post.id, std::nullopt, "second");
  ASSERT_TRUE(second.ok());
  // A parent from another post is not there.
  const Post other = MakePost(ada, "other");
  EXPECT_EQ(comments_.CreateComment(kShop, bob.id, other.id, top->id, "x").error().code, ErrorCode::kNotFound);

  auto page = comments_.ListComments(kShop, post.id, std::nullopt, PageRequest{.limit = 1});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->comments.size(), 1U);
  const Comment& thread = page->comments[0];
  EXPECT_EQ(thread.id, top->id);
  EXPECT_EQ(thread.reply_count, 1);
  ASSERT_EQ(thread.replies.size(), 1U);
  EXPECT_EQ(thread.replies[0].id, reply->id);
  ASSERT_EQ(thread.replies[0].replies.size(), 1U);
  EXPECT_EQ(thread.replies[0].replies[0].text, "thanks");
  auto next = comments_.ListComments(kShop, post.id, std::nullopt, PageRequest{.cursor = page->next_cursor});
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->comments.size(), 1U);
  EXPECT_EQ(next->comments[0].id, second->id);
  EXPECT_EQ(posts_.GetPost(kShop, post.id, std::nullopt)->comment_count, 4);

  // ada: the two top-level comments on her post (her own reply tells nobody); bob: cat's
  // reply, which also mentions him and is told once; cat: the mention, then ada's reply.
  EXPECT_EQ(NotificationsOf(ada).size(), 2U);
  const auto of_bob = NotificationsOf(bob);
  ASSERT_EQ(of_bob.size(), 1U);
  EXPECT_EQ(of_bob[0].kind, NotificationKind::kReply);
  const auto of_cat = NotificationsOf(cat);
  ASSERT_EQ(of_cat.size(), 2U);
  EXPECT_EQ(of_cat[0].kind, NotificationKind::kReply);
  EXPECT_EQ(of_cat[1].kind, NotificationKind::kMention);

  // Deleting a comment with replies leaves a tombstone; others cannot delete it.
  EXPECT_EQ(comments_.DeleteComment(kShop, ada.id, top->id).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(comments_.DeleteComment(kShop, bob.id, top->id).ok());
  ASSERT_TRUE(comments_.DeleteComment(kShop, cat.id, second->id).ok());
  auto after = comments_.ListComments(kShop, post.id, std::nullopt, PageRequest{});
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->comments.size(), 1U);
  EXPECT_TRUE(after->comments[0].deleted);
  EXPECT_TRUE(after->comments[0].text.empty());
  EXPECT_EQ(after->comments[0].author.id, 0);
  EXPECT_EQ(after->comments[0].replies.size(), 1U);
  EXPECT_EQ(posts_.GetPost(kShop, post.id, std::nullopt)->comment_count, 2);
}

TEST_P(PostServiceTest, HashtagPagesListNewestFirstAndForgetDeletedPosts) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Post first = MakePost(ada, "#Drop one");
  const Post second = MakePost(bob, "#drop two #other");
  MakePost(ada, "no tag");
  auto page = posts_.ListHashtagPosts(kShop, "DROP", std::nullopt, PageRequest{});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->posts.size(), 2U);
  EXPECT_EQ(page->posts[0].id, second.id);
  EXPECT_EQ(page->posts[1].id, first.id);
  ASSERT_TRUE(posts_.DeletePost(kShop, bob.id, second.id).ok());
  EXPECT_EQ(posts_.DeletePost(kShop, bob.id, first.id).error().code, ErrorCode::kNotFound);  // not bob's
  page = posts_.ListHashtagPosts(kShop, "drop", std::nullopt, PageRequest{});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->posts.size(), 1U);
  auto count = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
    PLAZA_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT post_count FROM social_hashtags WHERE shop_id = ? AND tag = ?", {kShop, "drop"}));
    return row->Int(0);
  });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
  EXPECT_EQ(posts_.ListHashtagPosts(kShop, "12", std::nullopt, PageRequest{}).error().type, "social/invalid-hashtag");
  EXPECT_TRUE(posts_.ListHashtagPosts(kShop, "unheard", std::nullopt, PageRequest{})->posts.empty());
}

TEST_P(PostServiceTest, GroupPostsGoThroughTheGroupGate) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  auto refused = posts_.CreatePost(kShop, ada.id, NewPost{.text = "in a group", .group_id = 1});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "social/groups-unavailable");

  FakeGroups groups;
  groups.member = ada.id;
  posts_.SetGroupGate(groups);
  auto open = posts_.CreatePost(kShop, bob.id, NewPost{.text = "open group", .group_id = 1});
  ASSERT_TRUE(open.ok()) << open.error().detail;
  auto closed = posts_.CreatePost(kShop, ada.id, NewPost{.text = "members only", .group_id = 7});
  ASSERT_TRUE(closed.ok()) << closed.error().detail;
  EXPECT_EQ(posts_.CreatePost(kShop, bob.id, NewPost{.text = "x", .group_id = 7}).error().code, ErrorCode::kNotFound);

  EXPECT_TRUE(posts_.GetPost(kShop, closed->id, ada.id).ok());
  EXPECT_EQ(posts_.GetPost(kShop, closed->id, bob.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(posts_.GetPost(kShop, closed->id, std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(posts_.ListGroupPosts(kShop, 7, bob.id, PageRequest{}).error().code, ErrorCode::kNotFound);
  auto members = posts_.ListGroupPosts(kShop, 7, ada.id, PageRequest{});
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->posts.size(), 1U);
  // Group posts stay in their group: the author's profile lists only posts outside groups.
  auto profile = posts_.ListProfilePosts(kShop, "ada", ada.id, PageRequest{});
  ASSERT_TRUE(profile.ok());
  EXPECT_TRUE(profile->posts.empty());
}

TEST_P(PostServiceTest, ProfilePostsPageNewestFirst) {
  const Profile ada = Make("ada");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(MakePost(ada, "post " + std::to_string(i)).id);
  std::vector<std::int64_t> seen;
  std::string cursor;
  do {
    auto page = posts_.ListProfilePosts(kShop, "ADA", std::nullopt, PageRequest{.cursor = cursor, .limit = 2});
    ASSERT_TRUE(page.ok());
    for (const Post& post : page->posts) seen.push_back(post.id);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  EXPECT_EQ(seen, (std::vector<std::int64_t>{ids[4], ids[3], ids[2], ids[1], ids[0]}));
  EXPECT_EQ(posts_.ListProfilePosts(kShop, "ada", std::nullopt, PageRequest{.limit = 0}).error().type,
            "validation/range");
  EXPECT_EQ(posts_.ListProfilePosts(kShop, "nobody", std::nullopt, PageRequest{}).error().code, ErrorCode::kNotFound);
}

// Everything a reader of a post sees, as text, so two ways of loading compare in full.
std::string Describe(const Post& post) {
  std::string out = std::to_string(post.id) + " shop " + std::to_string(post.shop_id) + " by " +
                    std::to_string(post.author.id) + " @" + post.author.handle + " (" + post.author.display_name +
                    ") \"" + post.text + "\" " + std::string(ContentVisibilityName(post.visibility)) + " group " +
                    std::to_string(post.group_id.value_or(0)) + " media";
  for (const std::int64_t id : post.media_ids) out += " " + std::to_string(id);
  out += " tags";
  for (const ProductTag& tag : post.products) {
    out += " " + std::to_string(tag.product_id) + "/" + std::to_string(tag.variant_id.value_or(0)) + ":" +
           std::string(TagStateName(tag.state)) + ":" + tag.product_handle + ":" + tag.product_title + ":" +
           tag.variant_title + ":" + std::to_string(tag.variant_ids.size());
  }
  out += " mentions";
  for (const ProfileRef& ref : post.mentions) out += " " + std::to_string(ref.id) + "@" + ref.handle;
  out += " hashtags";
  for (const std::string& tag : post.hashtags) out += " #" + tag;
  out += " counts " + std::to_string(post.like_count) + "/" + std::to_string(post.comment_count) + "/" +
         std::to_string(post.save_count) + "/" + std::to_string(post.share_count) + (post.liked ? " liked" : "") +
         (post.saved ? " saved" : "") + " at " + std::to_string(ToUnixMillis(post.created_at));
  return out;
}

TEST_P(PostServiceTest, APageOfPostsReadsAsGetPostOfEachOneByOne) {
  FakeGroups groups;
  posts_.SetGroupGate(groups);
  const Profile viewer = Make("viewer");
  const Profile ada = Make("ada");
  const Profile hidden_author = Make("hal");
  const Profile blocker = Make("carl");
  const Profile secret = Make("sam", /*is_private=*/true);
  const Profile closed = Make("cleo", /*is_private=*/true);
  const Profile stranger = Make("zoe", /*is_private=*/false, kOtherShop);
  groups.member = ada.id;
  ASSERT_TRUE(profiles_.Follow(kShop, viewer.id, "sam").ok());
  ASSERT_TRUE(profiles_.ApproveRequest(kShop, secret.id, "viewer").ok());
  const catalog::Product scarf = MakeProduct("Silk scarf");
  const catalog::Product hat = MakeProduct("Felt hat");

  const Post tagged =
      MakePost(ada, "for @viewer #Silk #sale", {{scarf.id, std::nullopt}, {hat.id, hat.variants[0].id}});
  const Post hidden = MakePost(hidden_author, "hidden by a moderator");
  const Post blocked = MakePost(blocker, "from someone who blocks the viewer #sale");
  const Post followed_private = MakePost(secret, "for approved followers");
  const Post unfollowed_private = MakePost(closed, "nobody approved");
  const Post own_held = MakePost(viewer, "waiting for a moderator");
  const Post other_held = MakePost(ada, "held, not the viewer's");
  const Post plain = MakePost(viewer, "mine");
  auto open_group = posts_.CreatePost(kShop, hidden_author.id, NewPost{.text = "in the open group", .group_id = 1});
  ASSERT_TRUE(open_group.ok()) << open_group.error().detail;
  auto closed_group = posts_.CreatePost(kShop, ada.id, NewPost{.text = "members only", .group_id = 7});
  ASSERT_TRUE(closed_group.ok()) << closed_group.error().detail;
  const Post foreign = MakePost(stranger, "another shop");
  const Status setup = db().Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("UPDATE social_posts SET visibility = 'hidden' WHERE id = ?", {hidden.id}));
    PLAZA_TRY(
        tx.Execute("UPDATE social_posts SET visibility = 'held' WHERE id IN (?, ?)", {own_held.id, other_held.id}));
    PLAZA_TRY(
        tx.Execute("INSERT INTO social_post_media (shop_id, post_id, position, media_id) VALUES (?, ?, 0, 41), "
                   "(?, ?, 1, 40)",
                   {kShop, tagged.id, kShop, tagged.id}));
    return Ok();
  });
  ASSERT_TRUE(setup.ok()) << setup.error().detail;
  ASSERT_TRUE(profiles_.Block(kShop, blocker.id, "viewer").ok());
  ASSERT_TRUE(posts_.Like(kShop, viewer.id, tagged.id).ok());
  ASSERT_TRUE(posts_.Save(kShop, viewer.id, followed_private.id).ok());
  ASSERT_TRUE(posts_.Like(kShop, ada.id, plain.id).ok());

  // Newest first as a feed asks, with an id that never existed, another shop's post and
  // one id twice.
  const std::vector<std::int64_t> ids = {closed_group->id,
                                         open_group->id,
                                         plain.id,
                                         other_held.id,
                                         own_held.id,
                                         unfollowed_private.id,
                                         followed_private.id,
                                         blocked.id,
                                         hidden.id,
                                         tagged.id,
                                         987654,
                                         foreign.id,
                                         tagged.id};
  for (const std::optional<std::int64_t> who :
       {std::optional<std::int64_t>(viewer.id), std::optional<std::int64_t>(ada.id), std::optional<std::int64_t>()}) {
    SCOPED_TRACE(who ? "viewer " + std::to_string(*who) : std::string("anonymous"));
    std::vector<std::string> one_by_one;
    for (const std::int64_t id : ids) {
      auto post = posts_.GetPost(kShop, id, who);
      if (post.ok()) {
        one_by_one.push_back(Describe(*post));
      } else {
        EXPECT_EQ(post.error().code, ErrorCode::kNotFound) << post.error().detail;
      }
    }
    auto batch = posts_.GetPosts(kShop, ids, who);
    ASSERT_TRUE(batch.ok()) << batch.error().detail;
    std::vector<std::string> batched;
    for (const Post& post : *batch) batched.push_back(Describe(post));
    EXPECT_EQ(batched, one_by_one);
  }

  // The rule itself, so the comparison above cannot pass on two equally wrong loaders.
  auto page = posts_.GetPosts(kShop, ids, viewer.id);
  ASSERT_TRUE(page.ok());
  std::vector<std::int64_t> seen;
  for (const Post& post : *page) seen.push_back(post.id);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{open_group->id, plain.id, own_held.id, followed_private.id, tagged.id,
                                             tagged.id}));
  EXPECT_TRUE((*page)[4].liked);
  EXPECT_TRUE((*page)[3].saved);
  EXPECT_EQ((*page)[4].media_ids, (std::vector<std::int64_t>{41, 40}));
  ASSERT_EQ((*page)[4].products.size(), 2U);
  EXPECT_EQ((*page)[4].products[1].variant_ids, (std::vector<std::int64_t>{hat.variants[0].id}));
  EXPECT_TRUE(posts_.GetPosts(kShop, {}, std::nullopt)->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, PostServiceTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::social
