#pragma once
// The photos reviews show (reviews_reviews.media_ids), registered at start-up with
// MediaService::RegisterReferrer so the orphan sweep never removes them.
//
// Thread-safety: stateless; safe from any number of threads.

#include "plaza/media/media.h"

namespace plaza::reviews {

class ReviewMediaReferrer final : public media::MediaReferrer {
 public:
  // The candidates any review of the shop shows, whatever its visibility (a held or
  // hidden review may be restored with its photos).
  Result<std::vector<std::int64_t>> InUse(store::Transaction& tx, std::int64_t shop_id,
                                          std::span<const std::int64_t> candidate_ids) override;
};

}  // namespace plaza::reviews
