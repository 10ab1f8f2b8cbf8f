// Posts and comments under moderation (admission, keyword rules, the queue and its
// actions through SocialContentOwner) and with images checked by the media module.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plaza/catalog/migrations.h"
#include "plaza/identity/migrations.h"
#include "plaza/media/media_store.h"
#include "plaza/media/migrations.h"
#include "plaza/moderation/migrations.h"
#include "plaza/social/comments.h"
#include "plaza/social/content_owner.h"
#include "plaza/social/feeds_migrations.h"
#include "plaza/social/migrations.h"
#include "plaza/social/posts.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::social {
namespace {

constexpr std::int64_t kShop = 1;

class ModeratedPostsTest : public ::testing::TestWithParam<std::string> {
 protected:
  ModeratedPostsTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(1'700'000'000'000)),
        profiles_(db(), clock_),
        notifications_(db(), clock_),
        posts_(db(), clock_, notifications_),
        comments_(db(), clock_, posts_),
        moderation_(db(), clock_) {}

  void SetUp() override {
    const Status migrated = store::Migrate(
        db(),
        std::vector<store::MigrationSet>{store::StoreMigrations(), identity::IdentityMigrations(),
                                         catalog::CatalogMigrations(), SocialMigrations(), SocialFeedsMigrations(),
                                         moderation::ModerationMigrations(), media::MediaMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
    // Moderators' actions are audited in the shop's log, which refers to the shop.
    auto shop = db().Write([](store::Transaction& tx) {
      return tx.Execute("INSERT INTO shops (handle, name, created_at) VALUES ('one', 'One', 0)");
    });
    ASSERT_TRUE(shop.ok()) << shop.error().detail;
    posts_.SetModeration(moderation_);
    owner_.RegisterWith(moderation_);
  }

  store::Database& db() { return test_db_.db(); }

  Profile Make(const std::string& handle) {
    auto created = profiles_.CreateProfile(kShop, NewProfile{.handle = handle, .display_name = handle});
    EXPECT_TRUE(created.ok()) << created.error().detail;
    return created.ok() ? *created : Profile{};
  }

  static identity::Principal Moderator() {
    return identity::Principal{.kind = identity::PrincipalKind::kStaff,
                               .shop_id = kShop,
                               .user_id = 5,
                               .roles = {identity::Role::kModerator},
                               .session_id = 1};
  }

  // The open queue item about `ref`, or nullopt.
  std::optional<moderation::QueueItem> QueueItemOf(moderation::ContentRef ref) {
    auto queue = moderation_.ListQueue(Moderator(), kShop, {.kind = ref.kind});
    EXPECT_TRUE(queue.ok()) << queue.error().detail;
    if (!queue.ok()) return std::nullopt;
    for (const moderation::QueueItem& item : queue->items) {
      if (item.content.id == ref.id) return item;
    }
    return std::nullopt;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  ProfileService profiles_;
  NotificationService notifications_;
  PostService posts_;
  CommentService comments_;
  moderation::ModerationService moderation_;
  SocialContentOwner owner_;
};

TEST_P(ModeratedPostsTest, KeywordRulesMaskOrHoldAndModeratorsDecide) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  ASSERT_TRUE(
      moderation_.CreateRule(Moderator(), kShop, {.pattern = "darn", .action = moderation::RuleAction::kMask}).ok());
  ASSERT_TRUE(
      moderation_.CreateRule(Moderator(), kShop, {.pattern = "scam", .action = moderation::RuleAction::kHold}).ok());

  auto masked = posts_.CreatePost(kShop, ada.id, NewPost{.text = "a D A R N good drop"});
  ASSERT_TRUE(masked.ok()) << masked.error().detail;
  EXPECT_EQ(masked->visibility, ContentVisibility::kVisible);
  EXPECT_EQ(masked->text.find("D A R N"), std::string::npos) << masked->text;
  EXPECT_NE(masked->text.find("good drop"), std::string::npos);

  auto held = posts_.CreatePost(kShop, ada.id, NewPost{.text = "total s.c.a.m @bob #deal"});
  ASSERT_TRUE(held.ok()) << held.error().detail;
  EXPECT_EQ(held->visibility, ContentVisibility::kHeld);
  EXPECT_TRUE(posts_.GetPost(kShop, held->id, ada.id).ok()) << "the author still sees it";
  EXPECT_EQ(posts_.GetPost(kShop, held->id, bob.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(posts_.GetPost(kShop, held->id, std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(posts_.ListHashtagPosts(kShop, "deal", bob.id, PageRequest{})->posts.empty());
  auto bobs = notifications_.List(kShop, bob.id, PageRequest{});
  ASSERT_TRUE(bobs.ok());
  EXPECT_TRUE(bobs->notifications.empty()) << "held text reaches nobody";

  const auto item = QueueItemOf({moderation::ContentKind::kPost, held->id});
  ASSERT_TRUE(item.has_value());
  ASSERT_TRUE(item->summary.has_value());
  EXPECT_EQ(item->summary->author_profile_id, ada.id);
  ASSERT_TRUE(moderation_.Act(Moderator(), kShop, item->id, {.kind = moderation::ActionKind::kRestore}).ok());
  EXPECT_TRUE(posts_.GetPost(kShop, held->id, bob.id).ok());
  EXPECT_EQ(posts_.ListHashtagPosts(kShop, "deal", bob.id, PageRequest{})->posts.size(), 1U);

  // A held comment stays out of the counts until it is let through.
  auto comment = comments_.CreateComment(kShop, bob.id, masked->id, std::nullopt, "what a scam");
  ASSERT_TRUE(comment.ok()) << comment.error().detail;
  EXPECT_EQ(comment->visibility, ContentVisibility::kHeld);
  EXPECT_EQ(posts_.GetPost(kShop, masked->id, ada.id)->comment_count, 0);
  EXPECT_TRUE(comments_.ListComments(kShop, masked->id, ada.id, PageRequest{})->comments.empty());
  EXPECT_EQ(comments_.ListComments(kShop, masked->id, bob.id, PageRequest{})->comments.size(), 1U);
  const auto comment_item = QueueItemOf({moderation::ContentKind::kComment, comment->id});
  ASSERT_TRUE(comment_item.has_value());
  ASSERT_TRUE(moderation_.Act(Moderator(), kShop, comment_item->id, {.kind = moderation::ActionKind::kRestore}).ok());
  EXPECT_EQ(posts_.GetPost(kShop, masked->id, ada.id)->comment_count, 1);
  EXPECT_EQ(comments_.ListComments(kShop, masked->id, ada.id, PageRequest{})->comments.size(), 1U);
}

TEST_P(ModeratedPostsTest, AHiddenPostIsGoneForEveryoneAndABannedAuthorCannotPost) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  auto post = posts_.CreatePost(kShop, ada.id, NewPost{.text = "hello"});
  ASSERT_TRUE(post.ok());
  ASSERT_TRUE(moderation_
                  .ReportContent(kShop, bob.id,
                                 {.content = {moderation::ContentKind::kPost, post->id},
                                  .reason = moderation::ReportReason::kSpam})
                  .ok());
  const auto item = QueueItemOf({moderation::ContentKind::kPost, post->id});
  ASSERT_TRUE(item.has_value());
  ASSERT_TRUE(moderation_.Act(Moderator(), kShop, item->id, {.kind = moderation::ActionKind::kHide}).ok());
  EXPECT_EQ(posts_.GetPost(kShop, post->id, bob.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(posts_.GetPost(kShop, post->id, ada.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(posts_.ListProfilePosts(kShop, "ada", bob.id, PageRequest{})->posts.empty());
  EXPECT_EQ(posts_.Like(kShop, bob.id, post->id).error().code, ErrorCode::kNotFound);

  auto second = posts_.CreatePost(kShop, ada.id, NewPost{.text = "more of the same"});
  ASSERT_TRUE(second.ok());
  auto reported = moderation_.ReportContent(
      kShop, bob.id,
      {.content = {moderation::ContentKind::kPost, second->id}, .reason = moderation::ReportReason::kSpam});
  ASSERT_TRUE(reported.ok()) << reported.error().detail;
  const auto again = QueueItemOf({moderation::ContentKind::kPost, second->id});
  ASSERT_TRUE(again.has_value());
  ASSERT_TRUE(moderation_.Act(Moderator(), kShop, again->id, {.kind = moderation::ActionKind::kBan}).ok());
  EXPECT_EQ(posts_.CreatePost(kShop, ada.id, NewPost{.text = "back"}).error().type, "moderation/banned");
  auto other = posts_.CreatePost(kShop, bob.id, NewPost{.text = "mine"});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(comments_.CreateComment(kShop, ada.id, other->id, std::nullopt, "hi").error().type, "moderation/banned");
}

TEST_P(ModeratedPostsTest, ImagesMustBeTheAuthorsOwnUploadsInTheShop) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  EXPECT_EQ(posts_.CreatePost(kShop, ada.id, NewPost{.text = "pic", .media_ids = {1}}).error().type,
            "social/media-unavailable");
  const plaza::testing::TempDir media_dir("plaza-posts-media");
  auto store = media::DiskMediaStore::Open(media_dir.path());
  ASSERT_TRUE(store.ok());
  media::MediaService media(db(), clock_, **store);
  posts_.SetMedia(media);
  static constexpr unsigned char kOnePixelPng[] = {
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
      0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
      0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x64, 0x60, 0xF8, 0x5F, 0x0F, 0x00, 0x02, 0x87, 0x01, 0x80,
      0xEB, 0x47, 0xBA, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
  const std::string bytes(reinterpret_cast<const char*>(kOnePixelPng), sizeof kOnePixelPng);
  auto bobs = media.Upload(kShop, {.bytes = bytes, .alt = "bob's", .uploader_profile_id = bob.id});
  ASSERT_TRUE(bobs.ok()) << bobs.error().detail;
  // New accounts may not post images until they have some history.
  clock_.Advance(std::chrono::hours(24 * 30));
  auto stolen = posts_.CreatePost(kShop, ada.id, NewPost{.text = "pic", .media_ids = {bobs->id}});
  ASSERT_FALSE(stolen.ok());
  EXPECT_EQ(stolen.error().field, "/media_ids/0");
  auto own = posts_.CreatePost(kShop, bob.id, NewPost{.text = "pic", .media_ids = {bobs->id}});
  ASSERT_TRUE(own.ok()) << own.error().type << ": " << own.error().detail;
  EXPECT_EQ(own->media_ids, (std::vector<std::int64_t>{bobs->id}));
}

INSTANTIATE_TEST_SUITE_P(Backends, ModeratedPostsTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::social
