#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "internal.h"
#include "plaza/catalog/catalog.h"

namespace plaza::catalog {
namespace {

using store::Param;
using store::Row;
using store::Transaction;

struct Candidate {
  std::int64_t id = 0;
  std::string handle;
  std::string title;
  std::string vendor;
  std::string product_type;
  double rank = 0;
};

struct CandidateVariant {
  std::int64_t id = 0;
  std::int64_t product_id = 0;
  std::vector<std::pair<std::string, std::string>> options;  // name, value
};

// FTS5 query: every word must match, as a prefix, quoted so no word is read as syntax.
std::string Fts5Query(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out += ' ';
    out += '"';
    for (const char c : word) {
      if (c == '"') out += '"';
      out += c;
    }
    out += "\"*";
  }
  return out;
}

// tsquery: the same semantics; QueryWords yields no quotes, backslashes or operators.
std::string TsQuery(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out += " & ";
    out += "'" + word + "':*";
  }
  return out;
}

void AddInList(std::string& sql, std::vector<Param>& params, std::string_view column,
               const std::vector<std::string>& values) {
  if (values.empty()) return;
  sql += " AND " + std::string(column) + " IN " + internal::InList(values.size());
  for (const std::string& value : values) params.emplace_back(value);
}

std::vector<FacetValue> SortedFacet(const std::map<std::string, std::int64_t>& counts) {
  std::vector<FacetValue> out;
  for (const auto& [value, count] : counts) {
    if (!value.empty()) out.push_back({value, count});
  }
  std::stable_sort(out.begin(), out.end(), [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
  return out;
}

}  // namespace

Result<SearchResult> CatalogService::Search(std::int64_t shop_id, const SearchQuery& query) {
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    return Error::Invalid("catalog/invalid-limit", "limit between 1 and 250", "/limit");
  }
  if (query.offset < 0 || query.offset > kMaxSearchOffset) {
    return Error::Invalid("catalog/invalid-offset", "offset between 0 and 10000", "/offset");
  }
  if (query.text.size() > 1000) return Error::Invalid("catalog/too-long", "query too long", "/q");
  if (query.vendors.size() > 100 || query.product_types.size() > 100 || query.tags.size() > 20 ||
      query.option_values.size() > 10) {
    return Error::Invalid("catalog/too-many-filters", "too many filter values");
  }
  const std::vector<std::string> words = internal::QueryWords(query.text);
  const bool price_filter = query.min_price.has_value() || query.max_price.has_value();
  const bool stock_filter = query.in_stock_only;
  if (stock_filter && !query.in_stock_variant_ids && !query.annotate) {
    return Error::Invalid("catalog/stock-required", "in_stock_only needs the in-stock variant ids", "/in_stock_only");
  }
  const bool need_variants = price_filter || stock_filter || query.with_facets;

  return db_.Read([&](Transaction& tx) -> Result<SearchResult> {
    const bool sqlite = tx.dialect() == store::Dialect::kSqlite;
    std::string from;
    std::string rank;
    std::vector<Param> params;
    std::size_t rank_param_count = 0;  // leading params bound by the rank expression
    if (!words.empty() && sqlite) {
      // bm25 weights per column: title, body, vendor, tags, skus. Lower is better.
      rank = "-bm25(catalog_search, 10.0, 1.0, 3.0, 3.0, 5.0)";
      // CROSS JOIN keeps the full-text index as the outer loop in SQLite's planner.
      from =
          " FROM catalog_search CROSS JOIN catalog_products p ON p.id = catalog_search.rowid"
          " WHERE catalog_search MATCH ? AND p.shop_id = ?";
      params = {Fts5Query(words), shop_id};
    } else if (!words.empty()) {
      rank = "ts_rank(p.search_vector, to_tsquery('simple', ?))";
      from = " FROM catalog_products p WHERE p.shop_id = ? AND p.search_vector @@ to_tsquery('simple', ?)";
      params = {TsQuery(words), shop_id, TsQuery(words)};
      rank_param_count = 1;
    } else {
      rank = "0";
      from = " FROM catalog_products p WHERE p.shop_id = ?";
      params = {shop_id};
    }
    std::string where;
    std::vector<Param> where_params;
    if (query.status) {
      where += " AND p.status = ?";
      where_params.emplace_back(StatusName(*query.status));
    }
    if (query.channel) {
      where += " AND p.status = 'active' AND (',' || p.channels || ',') LIKE ?";
      where_params.emplace_back("%," + std::string(ChannelName(*query.channel)) + ",%");
    }
    AddInList(where, where_params, "p.vendor", query.vendors);
    AddInList(where, where_params, "p.product_type", query.product_types);
    for (const std::string& tag : query.tags) {
      where +=
          " AND EXISTS (SELECT 1 FROM catalog_product_tags t WHERE t.shop_id = p.shop_id AND"
          " t.product_id = p.id AND t.tag = ?)";
      std::string lowered;
      for (const char c : tag) lowered += static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
      where_params.emplace_back(lowered);
    }
    if (query.collection_id) {
      where +=
          " AND EXISTS (SELECT 1 FROM catalog_collection_products c WHERE c.shop_id = p.shop_id AND"
          " c.collection_id = ? AND c.product_id = p.id)";
      where_params.emplace_back(*query.collection_id);
    }
    for (const auto& [name, value] : query.option_values) {
      where +=
          " AND EXISTS (SELECT 1 FROM catalog_variants v WHERE v.shop_id = p.shop_id AND v.product_id = p.id"
          " AND ((p.option1_name = ? AND v.option1 = ?) OR (p.option2_name = ? AND v.option2 = ?) OR"
          " (p.option3_name = ? AND v.option3 = ?)))";
      for (int repeat = 0; repeat < 3; ++repeat) {
        where_params.emplace_back(name);
        where_params.emplace_back(value);
      }
    }
    // Ranking and facets look at a bounded number of best matches.
    const std::size_t cap =
        std::max(kMaxFacetProducts, static_cast<std::size_t>(query.offset) + static_cast<std::size_t>(query.limit));
    std::vector<Param> all = params;
    all.insert(all.end(), where_params.begin(), where_params.end());
    all.emplace_back(static_cast<std::int64_t>(cap + 1));
    PLAZA_ASSIGN_OR_RETURN(
        auto rows, tx.Execute("SELECT p.id, p.handle, p.title, p.vendor, p.product_type, " + rank + " AS score" + from +
                                  where + " ORDER BY score DESC, p.id DESC LIMIT ?",
                              all));
    std::vector<Candidate> candidates;
    candidates.reserve(rows.rows.size());
    for (const Row& row : rows.rows) {
      Candidate candidate{row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), 0};
      // Drivers return REAL or a text form; read through the text so both work.
      const std::string score = row.Text(5);
      candidate.rank = score.empty() ? 0 : std::stod(score);
      candidates.push_back(std::move(candidate));
    }
    const bool truncated = candidates.size() > cap;
    if (truncated) candidates.pop_back();

    std::unordered_map<std::int64_t, std::vector<CandidateVariant>> variants;
    if (need_variants && !candidates.empty()) {
      std::vector<std::int64_t> ids;
      ids.reserve(candidates.size());
      for (const Candidate& candidate : candidates) ids.push_back(candidate.id);
      PLAZA_TRY(internal::ForSlices(ids, 500, [&](std::span<const std::int64_t> slice) -> Status {
        std::vector<Param> slice_params{shop_id};
        for (const std::int64_t id : slice) slice_params.emplace_back(id);
        PLAZA_ASSIGN_OR_RETURN(auto variant_rows,
                               tx.Execute("SELECT v.id, v.product_id, p.option1_name, v.option1, p.option2_name,"
                                          " v.option2, p.option3_name, v.option3 FROM catalog_variants v JOIN"
                                          " catalog_products p ON p.shop_id = v.shop_id AND p.id = v.product_id"
                                          " WHERE v.shop_id = ? AND v.product_id IN " +
                                              internal::InList(slice.size()),
                                          slice_params));
        for (const Row& row : variant_rows.rows) {
          CandidateVariant variant{row.Int(0), row.Int(1), {}};
          for (std::size_t column = 2; column < 8; column += 2) {
            if (!row.IsNull(column) && !row.IsNull(column + 1)) {
              variant.options.emplace_back(row.Text(column), row.Text(column + 1));
            }
          }
          variants[variant.product_id].push_back(std::move(variant));
        }
        return Ok();
      }));
    }
    std::unordered_map<std::int64_t, std::int64_t> prices;
    std::unordered_set<std::int64_t> in_stock;
    if (query.annotate) {
      std::vector<std::int64_t> variant_ids;
      for (const auto& [product_id, product_variants] : variants) {
        for (const CandidateVariant& variant : product_variants) variant_ids.push_back(variant.id);
      }
      VariantAnnotations annotations;
      PLAZA_TRY(internal::ForSlices(variant_ids, kMaxAnnotationBatch, [&](std::span<const std::int64_t> slice) {
        return query.annotate(tx, slice, annotations);
      }));
      for (const VariantPriceAnnotation& price : annotations.prices) prices[price.variant_id] = price.amount;
      in_stock.insert(annotations.in_stock.begin(), annotations.in_stock.end());
    } else {
      for (const VariantPriceAnnotation& price : query.variant_prices) prices[price.variant_id] = price.amount;
      if (query.in_stock_variant_ids)
        in_stock.insert(query.in_stock_variant_ids->begin(), query.in_stock_variant_ids->end());
    }

    const auto priced_in_range = [&](const CandidateVariant& variant) {
      const auto found = prices.find(variant.id);
      if (found == prices.end()) return false;
      if (query.min_price && found->second < *query.min_price) return false;
      if (query.max_price && found->second > *query.max_price) return false;
      return true;
    };
    std::vector<const Candidate*> matching;
    matching.reserve(candidates.size());
    for (const Candidate& candidate : candidates) {
      const auto& product_variants = variants[candidate.id];
      if (price_filter && std::none_of(product_variants.begin(), product_variants.end(), priced_in_range)) continue;
      if (stock_filter && std::none_of(product_variants.begin(), product_variants.end(),
                                       [&](const CandidateVariant& v) { return in_stock.contains(v.id); })) {
        continue;
      }
      matching.push_back(&candidate);
    }

    SearchResult result;
    result.total = static_cast<std::int64_t>(matching.size());
    if (truncated && !price_filter && !stock_filter) {
      std::vector<Param> count_params(params.begin() + static_cast<std::ptrdiff_t>(rank_param_count), params.end());
      count_params.insert(count_params.end(), where_params.begin(), where_params.end());
      PLAZA_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT COUNT(*)" + from + where, count_params));
      result.total = count->Int(0);
    }
    for (std::size_t index = static_cast<std::size_t>(query.offset);
         index < matching.size() && result.hits.size() < static_cast<std::size_t>(query.limit); ++index) {
      const Candidate& hit = *matching[index];
      result.hits.push_back({hit.id, hit.handle, hit.title, hit.vendor, hit.rank});
    }
    if (!query.with_facets) return result;

    Facets& facets = result.facets;
    facets.truncated = truncated;
    std::map<std::string, std::int64_t> vendors;
    std::map<std::string, std::int64_t> types;
    std::map<std::string, std::map<std::string, std::int64_t>> options;
    std::vector<std::int64_t> matching_ids;
    for (const Candidate* candidate : matching) {
      matching_ids.push_back(candidate->id);
      ++vendors[candidate->vendor];
      ++types[candidate->product_type];
      std::set<std::pair<std::string, std::string>> seen;
      bool stocked = false;
      for (const CandidateVariant& variant : variants[candidate->id]) {
        for (const auto& option : variant.options) seen.insert(option);
        if (in_stock.contains(variant.id)) stocked = true;
        if (const auto price = prices.find(variant.id); price != prices.end()) {
          facets.min_price = std::min(facets.min_price.value_or(price->second), price->second);
          facets.max_price = std::max(facets.max_price.value_or(price->second), price->second);
        }
      }
      for (const auto& [name, value] : seen) ++options[name][value];
      if (stocked) ++facets.in_stock;
    }
    facets.vendors = SortedFacet(vendors);
    facets.product_types = SortedFacet(types);
    for (const auto& [name, values] : options) facets.options.push_back({name, SortedFacet(values)});
    std::map<std::int64_t, std::int64_t> collection_counts;
    PLAZA_TRY(internal::ForSlices(matching_ids, 500, [&](std::span<const std::int64_t> slice) -> Status {
      std::vector<Param> slice_params{shop_id};
      for (const std::int64_t id : slice) slice_params.emplace_back(id);
      PLAZA_ASSIGN_OR_RETURN(auto member_rows, tx.Execute("SELECT collection_id FROM catalog_collection_products"
                                                          " WHERE shop_id = ? AND product_id IN " +
                                                              internal::InList(slice.size()),
                                                          slice_params));
      for (const Row& row : member_rows.rows) ++collection_counts[row.Int(0)];
      return Ok();
    }));
    if (!collection_counts.empty()) {
      PLAZA_ASSIGN_OR_RETURN(auto handles,
                             tx.Execute("SELECT id, handle FROM catalog_collections WHERE shop_id = ?", {shop_id}));
      std::map<std::string, std::int64_t> by_handle;
      for (const Row& row : handles.rows) {
        if (const auto found = collection_counts.find(row.Int(0)); found != collection_counts.end()) {
          by_handle[row.Text(1)] = found->second;
        }
      }
      facets.collections = SortedFacet(by_handle);
    }
    return result;
  });
}

}  // namespace plaza::catalog
