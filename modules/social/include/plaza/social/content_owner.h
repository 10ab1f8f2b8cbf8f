#pragma once
// Moderation's view of posts and comments: one ContentOwner for kPost and kComment,
// registered at start-up (RegisterWith). Hiding or removing content takes it out of
// every list and read except the moderators'; a hidden comment also leaves its post's
// comment count and its parent's reply count, and comes back to them when restored.
//
// Thread-safety: stateless; safe from any number of threads.

#include "plaza/moderation/moderation.h"

namespace plaza::social {

class SocialContentOwner final : public moderation::ContentOwner {
 public:
  // Registers this owner for kPost and kComment.
  void RegisterWith(moderation::ModerationService& moderation);

  // kNotFound for another shop's content and for other kinds.
  Result<moderation::ContentSummary> Describe(store::Transaction& tx, std::int64_t shop_id,
                                              moderation::ContentRef ref) override;
  Status SetVisibility(store::Transaction& tx, std::int64_t shop_id, moderation::ContentRef ref,
                       moderation::Visibility visibility) override;
};

}  // namespace plaza::social
