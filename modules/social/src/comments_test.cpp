#include "plaza/social/comments.h"

#include <gtest/gtest.h>

#include <string>

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

// CommentService::GetComment: one comment as the post's page shows it to a viewer.
class GetCommentTest : public ::testing::TestWithParam<std::string> {
 protected:
  GetCommentTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(1'700'000'000'000)),
        profiles_(db(), clock_),
        notifications_(db(), clock_),
        posts_(db(), clock_, notifications_),
        comments_(db(), clock_, posts_) {}

  void SetUp() override {
    const Status migrated = store::Migrate(
        db(), std::vector<store::MigrationSet>{store::StoreMigrations(), SocialMigrations(), SocialFeedsMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  Profile Make(const std::string& handle, bool is_private = false, std::int64_t shop = kShop) {
    return MakeTestProfile(profiles_, handle, is_private, shop);
  }

  Post MakePost(const Profile& author, const std::string& text) {
    auto created = posts_.CreatePost(author.shop_id, author.id, NewPost{.text = text});
    EXPECT_TRUE(created.ok()) << created.error().detail;
    return created.ok() ? *created : Post{};
  }

  Comment MakeComment(const Profile& author, const Post& post, std::optional<std::int64_t> parent,
                      const std::string& text) {
    auto created = comments_.CreateComment(author.shop_id, author.id, post.id, parent, text);
    EXPECT_TRUE(created.ok()) << created.error().detail;
    return created.ok() ? *created : Comment{};
  }

  // What a moderator's decision leaves in the table.
  void SetVisibility(std::int64_t comment_id, std::string_view visibility) {
    const Status set = db().Write([&](store::Transaction& tx) -> Status {
      PLAZA_TRY(tx.Execute("UPDATE social_comments SET visibility = ? WHERE shop_id = ? AND id = ?",
                           {std::string(visibility), kShop, comment_id}));
      return Ok();
    });
    ASSERT_TRUE(set.ok()) << set.error().detail;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  ProfileService profiles_;
  NotificationService notifications_;
  PostService posts_;
  CommentService comments_;
};

TEST_P(GetCommentTest, AVisibleCommentIsFoundWithItsPostAndMentions) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Post post = MakePost(ada, "new shade");
  const Comment top = MakeComment(bob, post, std::nullopt, "love it @ada");
  const Comment reply = MakeComment(ada, post, top.id, "thanks!");

  auto found = comments_.GetComment(kShop, reply.id, bob.id);
  ASSERT_TRUE(found.ok()) << found.error().detail;
  EXPECT_EQ(found->id, reply.id);
  EXPECT_EQ(found->post_id, post.id);
  EXPECT_EQ(found->parent_id, top.id);
  EXPECT_EQ(found->text, "thanks!");
  EXPECT_EQ(found->author.handle, "ada");
  auto anonymous = comments_.GetComment(kShop, top.id, std::nullopt);
  ASSERT_TRUE(anonymous.ok()) << anonymous.error().detail;
  ASSERT_EQ(anonymous->mentions.size(), 1U);
  EXPECT_EQ(anonymous->mentions[0].id, ada.id);
  EXPECT_TRUE(anonymous->replies.empty());
}

TEST_P(GetCommentTest, HiddenCommentsAndRepliesUnderThemAreNotFound) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Profile cat = Make("cat");
  const Post post = MakePost(ada, "new shade");
  const Comment top = MakeComment(bob, post, std::nullopt, "first");
  const Comment reply = MakeComment(cat, post, top.id, "second");
  ASSERT_TRUE(comments_.GetComment(kShop, reply.id, ada.id).ok());

  SetVisibility(top.id, "hidden");
  EXPECT_EQ(comments_.GetComment(kShop, top.id, ada.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(comments_.GetComment(kShop, top.id, bob.id).error().code, ErrorCode::kNotFound);
  // The reply is not on the post's page any more, so it is not found either.
  EXPECT_EQ(comments_.GetComment(kShop, reply.id, ada.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(comments_.GetComment(kShop, reply.id, cat.id).error().code, ErrorCode::kNotFound);

  // A held comment is its author's alone.
  SetVisibility(top.id, "held");
  EXPECT_TRUE(comments_.GetComment(kShop, top.id, bob.id).ok());
  EXPECT_EQ(comments_.GetComment(kShop, top.id, ada.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(comments_.GetComment(kShop, top.id, std::nullopt).error().code, ErrorCode::kNotFound);
}

TEST_P(GetCommentTest, ACommentOnAPostTheViewerMayNotSeeIsNotFound) {
  const Profile hidden = Make("hidden", /*is_private=*/true);
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Post post = MakePost(hidden, "for my followers");
  const Comment own = MakeComment(hidden, post, std::nullopt, "my own comment");
  EXPECT_TRUE(comments_.GetComment(kShop, own.id, hidden.id).ok());
  EXPECT_EQ(comments_.GetComment(kShop, own.id, ada.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(comments_.GetComment(kShop, own.id, std::nullopt).error().code, ErrorCode::kNotFound);

  // A comment by a profile that blocks the viewer is not theirs to read.
  const Post open = MakePost(ada, "for everyone");
  const Comment by_ada = MakeComment(ada, open, std::nullopt, "hello");
  ASSERT_TRUE(comments_.GetComment(kShop, by_ada.id, bob.id).ok());
  ASSERT_TRUE(profiles_.Block(kShop, ada.id, "bob").ok());
  EXPECT_EQ(comments_.GetComment(kShop, by_ada.id, bob.id).error().code, ErrorCode::kNotFound);
}

TEST_P(GetCommentTest, AnotherShopsCommentAndADeletedOneAreNotFound) {
  const Profile ada = Make("ada");
  const Profile elsewhere = Make("ada", false, kOtherShop);
  auto foreign_post = posts_.CreatePost(kOtherShop, elsewhere.id, NewPost{.text = "elsewhere"});
  ASSERT_TRUE(foreign_post.ok()) << foreign_post.error().detail;
  auto foreign = comments_.CreateComment(kOtherShop, elsewhere.id, foreign_post->id, std::nullopt, "there");
  ASSERT_TRUE(foreign.ok()) << foreign.error().detail;
  ASSERT_TRUE(comments_.GetComment(kOtherShop, foreign->id, std::nullopt).ok());
  EXPECT_EQ(comments_.GetComment(kShop, foreign->id, std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(comments_.GetComment(kShop, foreign->id, ada.id).error().code, ErrorCode::kNotFound);

  // Deleted without replies: gone. Deleted with replies: its tombstone, as the page shows.
  const Post post = MakePost(ada, "post");
  const Comment alone = MakeComment(ada, post, std::nullopt, "alone");
  ASSERT_TRUE(comments_.DeleteComment(kShop, ada.id, alone.id).ok());
  EXPECT_EQ(comments_.GetComment(kShop, alone.id, ada.id).error().code, ErrorCode::kNotFound);
  const Comment parent = MakeComment(ada, post, std::nullopt, "parent");
  const Comment child = MakeComment(ada, post, parent.id, "child");
  ASSERT_TRUE(comments_.DeleteComment(kShop, ada.id, parent.id).ok());
  auto tombstone = comments_.GetComment(kShop, parent.id, std::nullopt);
  ASSERT_TRUE(tombstone.ok()) << tombstone.error().detail;
  EXPECT_TRUE(tombstone->deleted);
  EXPECT_TRUE(tombstone->text.empty());
  EXPECT_EQ(tombstone->author.id, 0);
  EXPECT_TRUE(comments_.GetComment(kShop, child.id, std::nullopt).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, GetCommentTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::social
