#include "plaza/reviews/media_referrer.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <unordered_set>

namespace plaza::reviews {

Result<std::vector<std::int64_t>> ReviewMediaReferrer::InUse(store::Transaction& tx, std::int64_t shop_id,
                                                             std::span<const std::int64_t> candidate_ids) {
  std::vector<std::int64_t> used;
  if (candidate_ids.empty()) return used;
  const std::unordered_set<std::int64_t> candidates(candidate_ids.begin(), candidate_ids.end());
  // media_ids is a list joined by '\n' rather than a table, so the reviews with photos are
  // read and their lists split.
  PLAZA_ASSIGN_OR_RETURN(
      auto rows, tx.Execute("SELECT media_ids FROM reviews_reviews WHERE shop_id = ? AND media_ids <> ''", {shop_id}));
  for (const store::Row& row : rows.rows) {
    const std::string list = row.Text(0);
    std::string_view rest = list;
    while (!rest.empty()) {
      const std::size_t end = std::min(rest.find('\n'), rest.size());
      const std::string_view item = rest.substr(0, end);
      std::int64_t id = 0;
      const auto [parsed_end, error] = std::from_chars(item.data(), item.data() + item.size(), id);
      if (error == std::errc() && parsed_end == item.data() + item.size() && candidates.contains(id)) {
        used.push_back(id);
      }
      rest.remove_prefix(std::min(end + 1, rest.size()));
    }
  }
  return used;
}

}  // namespace plaza::reviews
