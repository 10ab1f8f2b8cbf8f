#pragma once
// Moderation's view of reviews, questions and answers: one ContentOwner for the three
// kinds, registered at start-up with ModerationService::RegisterOwner for kReview,
// kQuestion and kAnswer (RegisterWith does all three). A moderator hiding or removing a
// review takes it out of the ratings in the moderation transaction; hiding an answer
// takes it out of its question's answer count.
//
// Thread-safety: as thread-safe as the services it wraps.

#include "plaza/moderation/moderation.h"
#include "plaza/reviews/questions.h"
#include "plaza/reviews/reviews.h"

namespace plaza::reviews {

class ReviewContentOwner final : public moderation::ContentOwner {
 public:
  // Both services must outlive the owner.
  ReviewContentOwner(ReviewService& reviews, QuestionService& questions) : reviews_(reviews), questions_(questions) {}

  // Registers this owner for kReview, kQuestion and kAnswer.
  void RegisterWith(moderation::ModerationService& moderation);

  // kNotFound for another shop's content and for kinds other than the three above.
  Result<moderation::ContentSummary> Describe(store::Transaction& tx, std::int64_t shop_id,
                                              moderation::ContentRef ref) override;
  Status SetVisibility(store::Transaction& tx, std::int64_t shop_id, moderation::ContentRef ref,
                       moderation::Visibility visibility) override;

 private:
  ReviewService& reviews_;
  QuestionService& questions_;
};

}  // namespace plaza::reviews
