#pragma once
// The media the social layer keeps: photos of posts (social_post_media) and profile
// pictures (social_profiles.avatar_url, a link to a rendition). Registered at start-up
// with MediaService::RegisterReferrer, so the orphan sweep never removes either.
//
// Thread-safety: stateless; safe from any number of threads.

#include "plaza/media/media.h"

namespace plaza::social {

class SocialMediaReferrer final : public media::MediaReferrer {
 public:
  // The candidates a post shows (whatever its visibility: a hidden post may be restored)
  // or a profile links as its picture.
  Result<std::vector<std::int64_t>> InUse(store::Transaction& tx, std::int64_t shop_id,
                                          std::span<const std::int64_t> candidate_ids) override;
};

}  // namespace plaza::social
