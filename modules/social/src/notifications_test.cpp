#include "plaza/social/notifications.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plaza/social/feeds_migrations.h"
#include "plaza/social/migrations.h"
#include "plaza/social/profiles.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"
#include "profile_test_support.h"

namespace plaza::social {
namespace {

constexpr std::int64_t kShop = 1;
constexpr std::int64_t kOtherShop = 2;

class NotificationServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  NotificationServiceTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(1'700'000'000'000)),
        profiles_(db(), clock_),
        notifications_(db(), clock_) {}

  void SetUp() override {
    const Status migrated = store::Migrate(
        db(), std::vector<store::MigrationSet>{store::StoreMigrations(), SocialMigrations(), SocialFeedsMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  Profile Make(const std::string& handle, bool is_private = false, std::int64_t shop = kShop) {
    return MakeTestProfile(profiles_, handle, is_private, shop);
  }

  Status Notify(std::int64_t shop, const NewNotification& notification) {
    return db().Write([&](store::Transaction& tx) { return notifications_.Notify(tx, shop, notification); });
  }

  std::vector<Notification> All(std::int64_t recipient, bool unread_only = false) {
    auto page = notifications_.List(kShop, recipient, PageRequest{.limit = kMaxPageSize}, unread_only);
    EXPECT_TRUE(page.ok()) << page.error().detail;
    return page.ok() ? page->notifications : std::vector<Notification>{};
  }

  std::int64_t Unread(std::int64_t recipient) {
    auto count = notifications_.UnreadCount(kShop, recipient);
    EXPECT_TRUE(count.ok()) << count.error().detail;
    return count.ok() ? *count : -1;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  ProfileService profiles_;
  NotificationService notifications_;
};

TEST_P(NotificationServiceTest, FollowsAndRequestsNotifyTheFollowedProfile) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Profile cat = Make("cat", /*is_private=*/true);
  ASSERT_TRUE(profiles_.Follow(kShop, bob.id, "ada").ok());
  ASSERT_TRUE(profiles_.Follow(kShop, bob.id, "cat").ok());
  // Following again changes nothing, so it notifies nothing either.
  ASSERT_TRUE(profiles_.Follow(kShop, bob.id, "ada").ok());

  const auto to_ada = All(ada.id);
  ASSERT_EQ(to_ada.size(), 1u);
  EXPECT_EQ(to_ada[0].kind, NotificationKind::kFollow);
  EXPECT_EQ(to_ada[0].actor_profile_id, bob.id);
  EXPECT_EQ(to_ada[0].actor_handle, "bob");
  EXPECT_EQ(to_ada[0].actor_display_name, "Name of bob");
  EXPECT_FALSE(to_ada[0].read_at.has_value());
  const auto to_cat = All(cat.id);
  ASSERT_EQ(to_cat.size(), 1u);
  EXPECT_EQ(to_cat[0].kind, NotificationKind::kFollowRequest);
  EXPECT_TRUE(All(bob.id).empty());
}

TEST_P(NotificationServiceTest, ANotificationExistsExactlyWhenItsCauseCommits) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  const Status failed = db().Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(notifications_.Notify(tx, kShop,
                                    {.recipient_profile_id = ada.id,
                                     .kind = NotificationKind::kReply,
                                     .actor_profile_id = bob.id,
                                     .subject_kind = "comment",
                                     .subject_id = 7,
                                     .text = "nice"}));
    return Error::Conflict("test/abort", "the cause failed");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(All(ada.id).empty());
  ASSERT_TRUE(Notify(kShop, {.recipient_profile_id = ada.id,
                             .kind = NotificationKind::kReply,
                             .actor_profile_id = bob.id,
                             .subject_kind = "comment",
                             .subject_id = 7,
                             .text = "nice"})
                  .ok());
  const auto all = All(ada.id);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].subject_kind, "comment");
  EXPECT_EQ(all[0].subject_id, 7);
  EXPECT_EQ(all[0].text, "nice");
  EXPECT_EQ(all[0].created_at, clock_.Now());
}

TEST_P(NotificationServiceTest, SelfActionsAndBlockedActorsNotifyNobody) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  ASSERT_TRUE(Notify(kShop, {.recipient_profile_id = ada.id,
                             .kind = NotificationKind::kLike,
                             .actor_profile_id = ada.id,
                             .subject_kind = "post",
                             .subject_id = 1})
                  .ok());
  EXPECT_TRUE(All(ada.id).empty());
  ASSERT_TRUE(Notify(kShop, {.recipient_profile_id = ada.id,
                             .kind = NotificationKind::kLike,
                             .actor_profile_id = bob.id,
                             .subject_kind = "post",
                             .subject_id = 1})
                  .ok());
  EXPECT_EQ(Unread(ada.id), 1);
  // Blocking hides what the blocked profile caused before, and stops new ones.
  ASSERT_TRUE(profiles_.Block(kShop, ada.id, "bob").ok());
  EXPECT_TRUE(All(ada.id).empty());
  EXPECT_EQ(Unread(ada.id), 0);
  ASSERT_TRUE(Notify(kShop, {.recipient_profile_id = ada.id,
                             .kind = NotificationKind::kMention,
                             .actor_profile_id = bob.id,
                             .subject_kind = "post",
                             .subject_id = 2})
                  .ok());
  ASSERT_TRUE(profiles_.Unblock(kShop, ada.id, "bob").ok());
  const auto after = All(ada.id);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].kind, NotificationKind::kLike);
  // A notification without an actor (a decision of the shop) is always delivered.
  ASSERT_TRUE(Notify(kShop, {.recipient_profile_id = bob.id,
                             .kind = NotificationKind::kIdeaDecision,
                             .subject_kind = "idea",
                             .subject_id = 3,
                             .text = "accepted"})
                  .ok());
  const auto to_bob = All(bob.id);
  ASSERT_EQ(to_bob.size(), 1u);
  EXPECT_FALSE(to_bob[0].actor_profile_id.has_value());
  EXPECT_EQ(to_bob[0].actor_handle, "");
}

TEST_P(NotificationServiceTest, RefusesBadInputAndForeignRecipients) {
  const Profile ada = Make("ada");
  const Profile elsewhere = Make("zed", false, kOtherShop);
  auto status = Notify(kShop, {.recipient_profile_id = ada.id,
                               .kind = NotificationKind::kReply,
                               .subject_kind = "post",
                               .text = std::string("bad \xC3\x28 utf8")});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().field, "/text");
  status =
      Notify(kShop, {.recipient_profile_id = ada.id, .kind = NotificationKind::kReply, .subject_kind = "<script>"});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().type, "social/invalid-subject-kind");
  status = Notify(kShop, {.recipient_profile_id = elsewhere.id, .kind = NotificationKind::kReply});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kNotFound);
}

TEST_P(NotificationServiceTest, LongTextsAreCutAtACodePoint) {
  const Profile ada = Make("ada");
  std::string text;
  for (int i = 0; i < 300; ++i) text += "\xC3\xA9";  // é, two bytes each
  ASSERT_TRUE(Notify(kShop, {.recipient_profile_id = ada.id, .kind = NotificationKind::kReply, .text = text}).ok());
  const auto all = All(ada.id);
  ASSERT_EQ(all.size(), 1u);
  std::string expected;
  for (std::size_t i = 0; i < kMaxNotificationTextLength; ++i) expected += "\xC3\xA9";
  EXPECT_EQ(all[0].text, expected + "\u2026");
}

TEST_P(NotificationServiceTest, PagesWithACursorNewestFirst) {
  const Profile ada = Make("ada");
  for (int i = 1; i <= 5; ++i) {
    clock_.Advance(std::chrono::seconds(1));
    ASSERT_TRUE(
        Notify(
            kShop,
            {.recipient_profile_id = ada.id, .kind = NotificationKind::kLike, .subject_kind = "post", .subject_id = i})
            .ok());
  }
  std::vector<std::int64_t> seen;
  PageRequest request{.limit = 2};
  for (int pages = 0; pages < 10; ++pages) {
    auto page = notifications_.List(kShop, ada.id, request);
    ASSERT_TRUE(page.ok()) << page.error().detail;
    for (const Notification& n : page->notifications) seen.push_back(n.subject_id);
    if (page->next_cursor.empty()) break;
    request.cursor = page->next_cursor;
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{5, 4, 3, 2, 1}));
  auto bad = notifications_.List(kShop, ada.id, PageRequest{.cursor = "zz"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().type, "social/invalid-cursor");
  EXPECT_FALSE(notifications_.List(kShop, ada.id, PageRequest{.limit = 0}).ok());
}

TEST_P(NotificationServiceTest, MarkingReadOneAndAll) {
  const Profile ada = Make("ada");
  const Profile bob = Make("bob");
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(
        Notify(
            kShop,
            {.recipient_profile_id = ada.id, .kind = NotificationKind::kLike, .subject_kind = "post", .subject_id = i})
            .ok());
  }
  ASSERT_TRUE(Notify(kShop, {.recipient_profile_id = bob.id, .kind = NotificationKind::kLike}).ok());
  EXPECT_EQ(Unread(ada.id), 3);
  const auto all = All(ada.id);
  const TimePoint first_read = clock_.Now();
  ASSERT_TRUE(notifications_.MarkRead(kShop, ada.id, all[0].id).ok());
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(notifications_.MarkRead(kShop, ada.id, all[0].id).ok());
  EXPECT_EQ(Unread(ada.id), 2);
  EXPECT_EQ(All(ada.id)[0].read_at, first_read);
  EXPECT_EQ(All(ada.id, /*unread_only=*/true).size(), 2u);
  // Someone else's notification, or one of another shop, is absent.
  const auto bobs = notifications_.List(kShop, bob.id, PageRequest{});
  ASSERT_TRUE(bobs.ok());
  EXPECT_EQ(notifications_.MarkRead(kShop, ada.id, bobs->notifications[0].id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(notifications_.MarkRead(kOtherShop, ada.id, all[1].id).error().code, ErrorCode::kNotFound);
  auto changed = notifications_.MarkAllRead(kShop, ada.id);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 2);
  EXPECT_EQ(Unread(ada.id), 0);
  EXPECT_EQ(Unread(bob.id), 1);
}

TEST(NotificationKindNames, RoundTrip) {
  for (const NotificationKind kind :
       {NotificationKind::kFollow, NotificationKind::kFollowRequest, NotificationKind::kReply,
        NotificationKind::kMention, NotificationKind::kLike, NotificationKind::kAnswer, NotificationKind::kReviewReply,
        NotificationKind::kGroupInvite, NotificationKind::kIdeaDecision, NotificationKind::kOrderSocial}) {
    EXPECT_EQ(ParseNotificationKind(NotificationKindName(kind)), kind);
  }
  EXPECT_FALSE(ParseNotificationKind("poke").has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationServiceTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::social
