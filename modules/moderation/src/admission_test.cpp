#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "moderation_test_support.h"

namespace plaza::moderation::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kAlice = 101;
constexpr std::int64_t kBob = 102;

class AdmissionTest : public ModerationTest {
 protected:
  // Makes `profile` a trusted-level member: old enough, many contributions, no strikes.
  void Season(std::int64_t profile, int contributions) {
    for (int i = 0; i < contributions; ++i) {
      ASSERT_TRUE(Admit(profile, Activity::kComment).ok());
      clock_.Advance(1h);
    }
  }
};

TEST_P(AdmissionTest, NewMemberMayPostUpToTheHourlyLimit) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Admit(kAlice, Activity::kPost).ok()) << i;
  const Status refused = Admit(kAlice, Activity::kPost);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(refused.error().type, "moderation/rate-limited");
  EXPECT_NE(refused.error().detail.find("at most 5 posts per hour"), std::string::npos) << refused.error().detail;
  EXPECT_NE(refused.error().detail.find("try again in"), std::string::npos) << refused.error().detail;
  // Other activities and other profiles have their own counters.
  EXPECT_TRUE(Admit(kAlice, Activity::kComment).ok());
  EXPECT_TRUE(Admit(kBob, Activity::kPost).ok());
}

TEST_P(AdmissionTest, TheNextHourWindowAdmitsAgain) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Admit(kAlice, Activity::kPost).ok());
  ASSERT_FALSE(Admit(kAlice, Activity::kPost).ok());
  clock_.Advance(1h);
  EXPECT_TRUE(Admit(kAlice, Activity::kPost).ok());
}

TEST_P(AdmissionTest, DailyLimitHoldsAcrossHours) {
  clock_.Set(FromUnixMillis(1'800'000'000'000 - 1'800'000'000'000 % 86'400'000));  // midnight UTC
  for (int hour = 0; hour < 4; ++hour) {
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(Admit(kAlice, Activity::kPost).ok()) << hour << "/" << i;
    clock_.Advance(1h);
  }
  const Status refused = Admit(kAlice, Activity::kPost);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().detail.find("at most 20 posts per day"), std::string::npos) << refused.error().detail;
  clock_.Advance(20h);
  EXPECT_TRUE(Admit(kAlice, Activity::kPost).ok());
}

TEST_P(AdmissionTest, RefusedActivityIsNotCounted) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Admit(kAlice, Activity::kPost).ok());
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(Admit(kAlice, Activity::kPost).ok());
  EXPECT_EQ(Count("SELECT used FROM moderation_activity WHERE shop_id = ? AND profile_id = ? AND counter = ?",
                  {kShop, kAlice, "post/hour"}),
            5);
}

TEST_P(AdmissionTest, NewMemberMayNotPostLinks) {
  const Status refused = Admit(kAlice, Activity::kPost, {.links = 1});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(refused.error().type, "moderation/trust-too-low");
  EXPECT_TRUE(Admit(kAlice, Activity::kPost).ok());
}

TEST_P(AdmissionTest, NewMemberMayPostFewImagesPerHour) {
  ASSERT_TRUE(Admit(kAlice, Activity::kPost, {.images = 3}).ok());
  ASSERT_TRUE(Admit(kAlice, Activity::kPost, {.images = 2}).ok());
  const Status refused = Admit(kAlice, Activity::kPost, {.images = 1});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "moderation/trust-too-low");
  EXPECT_TRUE(Admit(kAlice, Activity::kPost).ok());
  clock_.Advance(1h);
  EXPECT_TRUE(Admit(kAlice, Activity::kPost, {.images = 5}).ok());
}

TEST_P(AdmissionTest, TrustGrowsWithAgeAndContributions) {
  auto trust = service_.Trust(kShop, kAlice);
  ASSERT_TRUE(trust.ok());
  EXPECT_EQ(trust->level, TrustLevel::kNew);
  EXPECT_FALSE(trust->first_seen);

  ASSERT_TRUE(Admit(kAlice, Activity::kComment).ok());
  ASSERT_TRUE(Admit(kAlice, Activity::kComment).ok());
  ASSERT_TRUE(Admit(kAlice, Activity::kFollow).ok());  // not a contribution
  ASSERT_TRUE(Admit(kAlice, Activity::kComment).ok());
  EXPECT_EQ(service_.Trust(kShop, kAlice)->contributions, 3);
  EXPECT_EQ(service_.Trust(kShop, kAlice)->level, TrustLevel::kNew);  // too young
  clock_.Advance(24h);
  EXPECT_EQ(service_.Trust(kShop, kAlice)->level, TrustLevel::kBasic);
  EXPECT_TRUE(Admit(kAlice, Activity::kPost, {.links = 2}).ok());
  EXPECT_FALSE(Admit(kAlice, Activity::kPost, {.links = 4}).ok());
}

TEST_P(AdmissionTest, SeasonedMemberBecomesTrusted) {
  Season(kAlice, 50);
  clock_.Advance(30 * 24h);
  EXPECT_EQ(service_.Trust(kShop, kAlice)->level, TrustLevel::kTrusted);
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(Admit(kAlice, Activity::kPost).ok()) << i;
  EXPECT_FALSE(Admit(kAlice, Activity::kPost).ok());
}

TEST_P(AdmissionTest, BannedProfileIsRefusedUntilTheBanEnds) {
  const ContentRef post = Post(kAlice, "spam spam");
  ASSERT_TRUE(service_.ReportContent(kShop, kBob, {post, ReportReason::kSpam, ""}).ok());
  auto item = service_.ListQueue(Staff(), kShop, {});
  ASSERT_TRUE(item.ok());
  ASSERT_EQ(item->items.size(), 1U);
  ASSERT_TRUE(service_.Act(Staff(), kShop, item->items[0].id, {ActionKind::kBan, "spam", 48h}).ok());

  const Status refused = Admit(kAlice, Activity::kComment);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(refused.error().type, "moderation/banned");
  EXPECT_NE(refused.error().detail.find("until"), std::string::npos);
  EXPECT_TRUE(Admit(kBob, Activity::kComment).ok());
  EXPECT_FALSE(Admit(kAlice, Activity::kComment, {}, kShop).ok());
  EXPECT_TRUE(Admit(kAlice, Activity::kComment, {}, kOtherShop).ok());  // bans are per shop
  clock_.Advance(48h);
  EXPECT_TRUE(Admit(kAlice, Activity::kComment).ok());
}

TEST_P(AdmissionTest, ConcurrentAdmissionsNeverExceedTheLimit) {
  // A new member may comment 20 times an hour; two threads try 40 times in all.
  std::atomic<int> admitted{0};
  std::atomic<int> refused{0};
  std::atomic<int> failed{0};
  auto hammer = [&] {
    for (int i = 0; i < 20; ++i) {
      const Status status = Admit(kAlice, Activity::kComment);
      if (status.ok()) {
        ++admitted;
      } else if (status.error().type == "moderation/rate-limited") {
        ++refused;
      } else {
        ++failed;
      }
    }
  };
  std::thread first(hammer);
  std::thread second(hammer);
  first.join();
  second.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(admitted.load(), 20);
  EXPECT_EQ(refused.load(), 20);
  EXPECT_EQ(Count("SELECT used FROM moderation_activity WHERE shop_id = ? AND profile_id = ? AND counter = ?",
                  {kShop, kAlice, "comment/hour"}),
            20);
  EXPECT_EQ(service_.Trust(kShop, kAlice)->contributions, 20);
}

TEST_P(AdmissionTest, EndedWindowsAreDropped) {
  ASSERT_TRUE(Admit(kAlice, Activity::kPost).ok());
  clock_.Advance(48h);
  ASSERT_TRUE(Admit(kAlice, Activity::kPost).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM moderation_activity WHERE shop_id = ? AND profile_id = ?", {kShop, kAlice}), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdmissionTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::moderation::testing
