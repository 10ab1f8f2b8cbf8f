#pragma once
// Private to the catalog module: input normalisation, the repository over the catalog
// tables, collection rule evaluation and the search index text.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/catalog/catalog.h"
#include "plaza/store/database.h"

namespace plaza::catalog::internal {

// Checks and canonicalises `input` (trimmed texts, sorted unique tags, channels in
// AllChannels() order, a default variant when none is given, the default tax class).
// Errors name the offending field as a JSON pointer ("/variants/2/sku").
Result<ProductInput> NormalizeProduct(const ProductInput& input, std::span<const AttributeDefinition> definitions);

// Checks values against the shop's definitions; `field` prefixes error pointers.
Status ValidateAttributes(AttributeOwner owner, std::span<const AttributeValue> values,
                          std::span<const AttributeDefinition> definitions, bool enforce_required,
                          const std::string& field);

Result<std::vector<AttributeDefinition>> LoadDefinitions(store::Transaction& tx, std::int64_t shop_id);

struct RuleCollection {
  std::int64_t id = 0;
  bool match_all = true;
  std::vector<CollectionRule> rules;
};
Result<std::vector<RuleCollection>> LoadRuleCollections(store::Transaction& tx, std::int64_t shop_id);
bool MatchesRules(const RuleCollection& collection, const ProductInput& product);

// Everything one product write needs that is the same for every product of a shop.
struct ShopContext {
  std::vector<AttributeDefinition> definitions;
  std::vector<RuleCollection> rule_collections;
};
Result<ShopContext> LoadShopContext(store::Transaction& tx, std::int64_t shop_id);

// Inserts (existing_id empty) or replaces a product from normalised input, with its
// variants, media, tags, attribute values, rule-collection memberships, search index
// entry and outbox event. Returns the product id; `variant_ids_out` receives the variant
// ids in input order.
Result<std::int64_t> WriteProduct(store::Transaction& tx, std::int64_t shop_id, std::optional<std::int64_t> existing_id,
                                  const ProductInput& product, const ShopContext& context, TimePoint now,
                                  std::vector<std::int64_t>* variant_ids_out = nullptr);
Status DeleteProductRows(store::Transaction& tx, std::int64_t shop_id, std::int64_t product_id, TimePoint now);
// Raises the shop's catalog version; every catalog write calls it in its transaction.
Status BumpVersion(store::Transaction& tx, std::int64_t shop_id);

Result<std::optional<std::int64_t>> ProductIdByHandle(store::Transaction& tx, std::int64_t shop_id,
                                                      std::string_view handle);
Result<std::vector<Product>> LoadProducts(store::Transaction& tx, std::int64_t shop_id,
                                          std::span<const std::int64_t> product_ids);
// Writes the FTS5 row or the tsvector of one product.
Status IndexProduct(store::Transaction& tx, std::int64_t shop_id, std::int64_t product_id, const ProductInput& product);

// The text of an HTML fragment for the search index: tags dropped, common entities decoded.
std::string HtmlToText(std::string_view html);
// Lower-cased search words: runs of ASCII letters and digits and of non-ASCII UTF-8,
// at most `max_words` (a query keeps 16).
std::vector<std::string> QueryWords(std::string_view text, std::size_t max_words = 16);

std::string JoinTags(std::span<const std::string> tags);
std::vector<std::string> SplitTags(std::string_view text);
std::string VariantTitle(std::span<const std::string> option_values);

// "(?, ?, ?)" for an IN list of `count` > 0 values.
inline std::string InList(std::size_t count) {
  return "(" + store::Placeholders(count) + ")";
}

// Runs `body` for `ids` in slices of at most `slice` (IN-lists stay bounded).
template <typename Body>
Status ForSlices(std::span<const std::int64_t> ids, std::size_t slice, Body&& body) {
  for (std::size_t start = 0; start < ids.size(); start += slice) {
    PLAZA_TRY(body(ids.subspan(start, std::min(slice, ids.size() - start))));
  }
  return Ok();
}

}  // namespace plaza::catalog::internal
