#include "plaza/reviews/media_referrer.h"

#include <gtest/gtest.h>

#include "reviews_test_fixture.h"

namespace plaza::reviews::testing {
namespace {

using plaza::testing::BackendName;
using plaza::testing::TestBackends;

class ReviewPhotoSweepTest : public ReviewsTest {
 protected:
  bool Exists(std::int64_t media_id) { return media_.Get(kShop, media_id).ok(); }

  Result<media::SweepResult> Sweep() { return media_.SweepOrphans(kShop); }

  ReviewMediaReferrer referrer_;
};

TEST_P(ReviewPhotoSweepTest, AReviewsPhotosStayWhateverItsVisibilityAndADroppedOneGoes) {
  media_.RegisterReferrer(referrer_);
  const TestProduct shirt = MakeProduct("Shirt");
  const TestProduct scarf = MakeProduct("Scarf");
  const social::Profile alice = MakeProfile("alice", 1);
  const std::int64_t front = Upload(alice.id);
  const std::int64_t back = Upload(alice.id);
  const std::int64_t held = Upload(alice.id);
  const std::int64_t orphan = Upload(alice.id);
  AgeAccounts();
  auto review =
      reviews_.SubmitReview(kShop, alice.id, {.product_id = shirt.id, .rating = 4, .media_ids = {front, back}});
  PLAZA_ASSERT_OK(review);
  auto other = reviews_.SubmitReview(kShop, alice.id, {.product_id = scarf.id, .rating = 2, .media_ids = {held}});
  PLAZA_ASSERT_OK(other);
  PLAZA_ASSERT_OK(db().Write([&](store::Transaction& tx) {
    return reviews_.SetVisibility(tx, kShop, other->id, moderation::Visibility::kHidden);
  }));

  clock_.Advance(media::kOrphanGrace + std::chrono::minutes(1));
  auto swept = Sweep();
  PLAZA_ASSERT_OK(swept);
  EXPECT_EQ(swept->assets, 1);
  EXPECT_TRUE(Exists(front));
  EXPECT_TRUE(Exists(back));
  EXPECT_TRUE(Exists(held));
  EXPECT_FALSE(Exists(orphan));

  // Submitting again edits the review: the photo it no longer shows is swept.
  PLAZA_ASSERT_OK(reviews_.SubmitReview(kShop, alice.id, {.product_id = shirt.id, .rating = 5, .media_ids = {back}}));
  swept = Sweep();
  PLAZA_ASSERT_OK(swept);
  EXPECT_EQ(swept->assets, 1);
  EXPECT_FALSE(Exists(front));
  EXPECT_TRUE(Exists(back));
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewPhotoSweepTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::reviews::testing
