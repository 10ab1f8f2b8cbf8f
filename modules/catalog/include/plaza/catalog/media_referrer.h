#pragma once
// The uploads a product shows: product media are URLs (catalog_media.url), and staff may
// paste the link of an uploaded image, a customer's photo featured on the product page
// among them. Registered at start-up with MediaService::RegisterReferrer so the orphan
// sweep never removes them.
//
// Thread-safety: stateless; safe from any number of threads.

#include "plaza/media/media.h"

namespace plaza::catalog {

class CatalogMediaReferrer final : public media::MediaReferrer {
 public:
  // The candidates a product's media link, whatever the product's status.
  Result<std::vector<std::int64_t>> InUse(store::Transaction& tx, std::int64_t shop_id,
                                          std::span<const std::int64_t> candidate_ids) override;
};

}  // namespace plaza::catalog
