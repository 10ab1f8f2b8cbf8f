#include "plaza/social/media_referrer.h"

#include <unordered_set>

namespace plaza::social {

Result<std::vector<std::int64_t>> SocialMediaReferrer::InUse(store::Transaction& tx, std::int64_t shop_id,
                                                             std::span<const std::int64_t> candidate_ids) {
  std::vector<std::int64_t> used;
  if (candidate_ids.empty()) return used;
  std::vector<store::Param> params{shop_id};
  params.insert(params.end(), candidate_ids.begin(), candidate_ids.end());
  PLAZA_ASSIGN_OR_RETURN(
      auto posted, tx.Execute("SELECT DISTINCT media_id FROM social_post_media WHERE shop_id = ? AND media_id IN (" +
                                  store::Placeholders(candidate_ids.size()) + ")",
                              params));
  for (const store::Row& row : posted.rows) used.push_back(row.Int(0));

  // A picture is kept as the URL of one rendition, so the profiles that link one of the
  // shop's images are read and their links parsed.
  const std::unordered_set<std::int64_t> candidates(candidate_ids.begin(), candidate_ids.end());
  PLAZA_ASSIGN_OR_RETURN(auto avatars,
                         tx.Execute("SELECT avatar_url FROM social_profiles WHERE shop_id = ? AND avatar_url LIKE ?",
                                    {shop_id, "%/api/v1/shops/" + std::to_string(shop_id) + "/media/%"}));
  for (const store::Row& row : avatars.rows) {
    const auto id = media::MediaIdInUrl(row.Text(0), shop_id);
    if (id && candidates.contains(*id)) used.push_back(*id);
  }
  return used;
}

}  // namespace plaza::social
