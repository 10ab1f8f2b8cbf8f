#include "plaza/catalog/media_referrer.h"

#include <unordered_set>

namespace plaza::catalog {

Result<std::vector<std::int64_t>> CatalogMediaReferrer::InUse(store::Transaction& tx, std::int64_t shop_id,
                                                              std::span<const std::int64_t> candidate_ids) {
  std::vector<std::int64_t> used;
  if (candidate_ids.empty()) return used;
  const std::unordered_set<std::int64_t> candidates(candidate_ids.begin(), candidate_ids.end());
  // Most product media live elsewhere (a CDN); only links to the shop's own images are
  // read and parsed.
  PLAZA_ASSIGN_OR_RETURN(auto rows, tx.Execute("SELECT url FROM catalog_media WHERE shop_id = ? AND url LIKE ?",
                                               {shop_id, "%/api/v1/shops/" + std::to_string(shop_id) + "/media/%"}));
  for (const store::Row& row : rows.rows) {
    const auto id = media::MediaIdInUrl(row.Text(0), shop_id);
    if (id && candidates.contains(*id)) used.push_back(*id);
  }
  return used;
}

}  // namespace plaza::catalog
