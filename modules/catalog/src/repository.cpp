#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "internal.h"
#include "plaza/core/text.h"
#include "plaza/store/outbox.h"

namespace plaza::catalog::internal {
namespace {

using store::Param;
using store::Row;
using store::Transaction;

// IN-lists stay well below SQLite's and libpq's parameter limits.
constexpr std::size_t kSlice = 500;
// Attribute rows with this position hold a scalar; lists use 0, 1, 2 …
constexpr int kScalarPosition = -1;

constexpr char kProductColumns[] =
    "id, shop_id, handle, title, description_html, vendor, product_type, tags, item_condition, "
    "google_product_category, seo_title, seo_description, status, channels, option1_name, option2_name, "
    "option3_name, created_at, updated_at";

std::string JoinChannels(std::span<const Channel> channels) {
  std::string out;
  for (const Channel channel : channels) {
    if (!out.empty()) out += ',';
    out += ChannelName(channel);
  }
  return out;
}

std::vector<Channel> SplitChannels(std::string_view joined) {
  std::vector<Channel> channels;
  for (const std::string& name : SplitTags(joined)) {
    if (auto channel = ParseChannel(name)) channels.push_back(*channel);
  }
  return channels;
}

std::vector<Param> ShopAnd(std::int64_t shop_id, std::span<const std::int64_t> ids) {
  std::vector<Param> params;
  params.reserve(ids.size() + 1);
  params.emplace_back(shop_id);
  for (const std::int64_t id : ids) params.emplace_back(id);
  return params;
}

Error Conflict(std::string type, std::string detail, std::string field) {
  Error error = Error::Conflict(std::move(type), std::move(detail));
  error.field = std::move(field);
  return error;
}

bool ContainsFolded(std::string_view haystack, std::string_view needle) {
  return text::ToLowerAscii(haystack).find(text::ToLowerAscii(needle)) != std::string::npos;
}

bool RuleHolds(const CollectionRule& rule, const ProductInput& product) {
  const auto compare = [&](std::string_view value) {
    const bool equal = text::ToLowerAscii(value) == text::ToLowerAscii(rule.value);
    switch (rule.relation) {
      case RuleRelation::kEquals:
        return equal;
      case RuleRelation::kNotEquals:
        return !equal;
      case RuleRelation::kContains:
        return ContainsFolded(value, rule.value);
    }
    return false;
  };
  switch (rule.field) {
    case RuleField::kTag: {
      const bool any = std::any_of(product.tags.begin(), product.tags.end(), [&](const std::string& tag) {
        return rule.relation == RuleRelation::kNotEquals ? !compare(tag) : compare(tag);
      });
      // "tag not equals X" means no tag is X.
      if (rule.relation == RuleRelation::kNotEquals) {
        return std::none_of(product.tags.begin(), product.tags.end(), [&](const std::string& tag) {
          return text::ToLowerAscii(tag) == text::ToLowerAscii(rule.value);
        });
      }
      return any;
    }
    case RuleField::kVendor:
      return compare(product.vendor);
    case RuleField::kProductType:
      return compare(product.product_type);
    case RuleField::kTitle:
      return compare(product.title);
  }
  return false;
}

Status InsertAttributeValues(Transaction& tx, std::int64_t shop_id, AttributeOwner owner, std::int64_t owner_id,
                             std::int64_t product_id, std::span<const AttributeValue> values,
                             std::span<const AttributeDefinition> definitions) {
  for (const AttributeValue& value : values) {
    const auto definition = std::find_if(definitions.begin(), definitions.end(), [&](const AttributeDefinition& d) {
      return d.owner == owner && d.key == value.key;
    });
    const bool list = definition != definitions.end() && definition->type == AttributeType::kList;
    constexpr char kInsert[] =
        "INSERT INTO catalog_attribute_values (shop_id, owner, owner_id, product_id, attribute_key, position, value)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)";
    if (!list) {
      PLAZA_TRY(tx.Execute(kInsert, {shop_id, AttributeOwnerName(owner), owner_id, product_id, value.key,
                                     kScalarPosition, value.value}));
      continue;
    }
    for (std::size_t index = 0; index < value.values.size(); ++index) {
      PLAZA_TRY(tx.Execute(kInsert, {shop_id, AttributeOwnerName(owner), owner_id, product_id, value.key,
                                     static_cast<std::int64_t>(index), value.values[index]}));
    }
  }
  return Ok();
}

// References must point at this shop's products and variants; another shop's id reads as
// absent, so the error is the same as for an id that never existed.
Status CheckReferences(Transaction& tx, std::int64_t shop_id, const ProductInput& product,
                       std::span<const AttributeDefinition> definitions) {
  const auto check = [&](AttributeOwner owner, const AttributeValue& value, const std::string& field) -> Status {
    const auto definition = std::find_if(definitions.begin(), definitions.end(), [&](const AttributeDefinition& d) {
      return d.owner == owner && d.key == value.key;
    });
    if (definition == definitions.end()) return Ok();
    const char* table = nullptr;
    if (definition->type == AttributeType::kProductReference) table = "catalog_products";
    if (definition->type == AttributeType::kVariantReference) table = "catalog_variants";
    if (table == nullptr) return Ok();
    PLAZA_ASSIGN_OR_RETURN(auto row,
                           tx.QueryOne(std::string("SELECT 1 FROM ") + table + " WHERE shop_id = ? AND id = ?",
                                       {shop_id, static_cast<std::int64_t>(std::stoll(value.value))}));
    if (!row) return Error::Invalid("catalog/invalid-reference", "no such product or variant", field);
    return Ok();
  };
  for (std::size_t index = 0; index < product.attributes.size(); ++index) {
    PLAZA_TRY(
        check(AttributeOwner::kProduct, product.attributes[index], "/attributes/" + std::to_string(index) + "/value"));
  }
  for (std::size_t variant = 0; variant < product.variants.size(); ++variant) {
    const auto& attributes = product.variants[variant].attributes;
    for (std::size_t index = 0; index < attributes.size(); ++index) {
      PLAZA_TRY(check(AttributeOwner::kVariant, attributes[index],
                      "/variants/" + std::to_string(variant) + "/attributes/" + std::to_string(index) + "/value"));
    }
  }
  return Ok();
}

Status AppendProductEvent(Transaction& tx, std::int64_t shop_id, std::int64_t product_id, std::string_view event_type,
                          std::string_view handle, std::string_view status, TimePoint now) {
  // Handles are [a-z0-9-] and statuses fixed words, so no JSON escaping is needed.
  const std::string payload = "{\"product_id\":" + std::to_string(product_id) + ",\"handle\":\"" + std::string(handle) +
                              "\",\"status\":\"" + std::string(status) + "\"}";
  PLAZA_TRY(store::AppendEvent(tx,
                               {.shop_id = shop_id,
                                .aggregate_type = "product",
                                .aggregate_id = std::to_string(product_id),
                                .event_type = std::string(event_type),
                                .payload_json = payload},
                               now));
  return Ok();
}

Product ProductFromRow(const Row& row) {
  Product product;
  product.id = row.Int(0);
  product.shop_id = row.Int(1);
  product.handle = row.Text(2);
  product.title = row.Text(3);
  product.description_html = row.Text(4);
  product.vendor = row.Text(5);
  product.product_type = row.Text(6);
  product.tags = SplitTags(row.Text(7));
  product.condition = ParseCondition(row.Text(8)).value_or(Condition::kNew);
  product.google_product_category = row.Text(9);
  product.seo_title = row.Text(10);
  product.seo_description = row.Text(11);
  product.status = ParseStatus(row.Text(12)).value_or(ProductStatus::kDraft);
  product.channels = SplitChannels(row.Text(13));
  for (std::size_t column = 14; column < 17; ++column) {
    if (!row.IsNull(column)) product.options.push_back({row.Text(column), {}});
  }
  product.created_at = FromUnixMillis(row.Int(17));
  product.updated_at = FromUnixMillis(row.Int(18));
  return product;
}

}  // namespace

Result<std::vector<AttributeDefinition>> LoadDefinitions(Transaction& tx, std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT id, owner, attribute_key, name, value_type, required"
                                                 " FROM catalog_attribute_definitions WHERE shop_id = ? ORDER BY id",
                                                 {shop_id}));
  std::vector<AttributeDefinition> definitions;
  for (const Row& row : result.rows) {
    definitions.push_back({.id = row.Int(0),
                           .owner = ParseAttributeOwner(row.Text(1)).value_or(AttributeOwner::kProduct),
                           .key = row.Text(2),
                           .name = row.Text(3),
                           .type = ParseAttributeType(row.Text(4)).value_or(AttributeType::kText),
                           .required = row.Bool(5)});
  }
  return definitions;
}

Result<std::vector<RuleCollection>> LoadRuleCollections(Transaction& tx, std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(auto collections,
                         tx.Execute("SELECT id, match_all FROM catalog_collections WHERE shop_id = ? AND rule_based = 1"
                                    " ORDER BY id",
                                    {shop_id}));
  std::vector<RuleCollection> out;
  std::unordered_map<std::int64_t, std::size_t> index;
  for (const Row& row : collections.rows) {
    index[row.Int(0)] = out.size();
    out.push_back({.id = row.Int(0), .match_all = row.Bool(1), .rules = {}});
  }
  if (out.empty()) return out;
  PLAZA_ASSIGN_OR_RETURN(auto rules, tx.Execute("SELECT collection_id, field, relation, value FROM"
                                                " catalog_collection_rules WHERE shop_id = ?"
                                                " ORDER BY collection_id, position",
                                                {shop_id}));
  for (const Row& row : rules.rows) {
    const auto found = index.find(row.Int(0));
    if (found == index.end()) continue;
    out[found->second].rules.push_back({.field = ParseRuleField(row.Text(1)).value_or(RuleField::kTag),
                                        .relation = ParseRuleRelation(row.Text(2)).value_or(RuleRelation::kEquals),
                                        .value = row.Text(3)});
  }
  return out;
}

bool MatchesRules(const RuleCollection& collection, const ProductInput& product) {
  if (collection.rules.empty()) return false;
  if (collection.match_all) {
    return std::all_of(collection.rules.begin(), collection.rules.end(),
                       [&](const CollectionRule& rule) { return RuleHolds(rule, product); });
  }
  return std::any_of(collection.rules.begin(), collection.rules.end(),
                     [&](const CollectionRule& rule) { return RuleHolds(rule, product); });
}

Result<ShopContext> LoadShopContext(Transaction& tx, std::int64_t shop_id) {
  ShopContext context;
  PLAZA_ASSIGN_OR_RETURN(context.definitions, LoadDefinitions(tx, shop_id));
  PLAZA_ASSIGN_OR_RETURN(context.rule_collections, LoadRuleCollections(tx, shop_id));
  return context;
}

Result<std::optional<std::int64_t>> ProductIdByHandle(Transaction& tx, std::int64_t shop_id, std::string_view handle) {
  PLAZA_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT id FROM catalog_products WHERE shop_id = ? AND handle = ?", {shop_id, handle}));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>(row->Int(0));
}

Status IndexProduct(Transaction& tx, std::int64_t shop_id, std::int64_t product_id, const ProductInput& product) {
  std::string skus;
  for (const VariantInput& variant : product.variants) {
    if (!variant.sku.empty()) skus += variant.sku + " ";
    if (!variant.gtin.empty()) skus += variant.gtin + " ";
  }
  // The index sees the same words QueryWords makes of a query: punctuation separates
  // words on both engines (PostgreSQL's parser would otherwise read "BOOT-1" as "boot"
  // and the number "-1").
  const auto words = [](std::string_view text) {
    std::string out;
    for (const std::string& word : QueryWords(text, std::numeric_limits<std::size_t>::max())) out += word + " ";
    return out;
  };
  skus = words(skus);
  const std::string body = words(HtmlToText(product.description_html));
  const std::string tags = words(JoinTags(product.tags));
  const std::string title = words(product.title);
  const std::string vendor = words(product.vendor);
  if (tx.dialect() == store::Dialect::kSqlite) {
    PLAZA_TRY(tx.Execute("DELETE FROM catalog_search WHERE rowid = ?", {product_id}));
    PLAZA_TRY(
        tx.Execute("INSERT INTO catalog_search (rowid, title, body, vendor, tags, skus) VALUES (?, ?, ?, ?, ?, ?)",
                   {product_id, product.title, body, product.vendor, tags, skus}));
    return Ok();
  }
  // Weights: A for the title, B for SKUs and barcodes, C for vendor and tags, D for the
  // description, so ts_rank puts title matches first.
  PLAZA_TRY(
      tx.Execute("UPDATE catalog_products SET search_vector ="
                 " setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B') ||"
                 " setweight(to_tsvector('simple', ?), 'C') || setweight(to_tsvector('simple', ?), 'D')"
                 " WHERE shop_id = ? AND id = ?",
                 {product.title, skus, product.vendor + " " + tags, body, shop_id, product_id}));
  return Ok();
}

Result<std::int64_t> WriteProduct(Transaction& tx, std::int64_t shop_id, std::optional<std::int64_t> existing_id,
                                  const ProductInput& product, const ShopContext& context, TimePoint now,
                                  std::vector<std::int64_t>* variant_ids_out) {
  const std::int64_t now_ms = ToUnixMillis(now);
  PLAZA_ASSIGN_OR_RETURN(auto handle_owner, ProductIdByHandle(tx, shop_id, product.handle));
  if (handle_owner && handle_owner != existing_id) {
    return Conflict("catalog/handle-taken", "another product has the handle '" + product.handle + "'", "/handle");
  }
  std::vector<Param> sku_params{shop_id, existing_id.value_or(0)};
  for (const VariantInput& variant : product.variants) {
    if (!variant.sku.empty()) sku_params.emplace_back(variant.sku);
  }
  if (sku_params.size() > 2) {
    PLAZA_ASSIGN_OR_RETURN(auto taken, tx.Execute("SELECT sku FROM catalog_variants WHERE shop_id = ? AND"
                                                  " product_id <> ? AND sku <> '' AND sku IN " +
                                                      internal::InList(sku_params.size() - 2),
                                                  sku_params));
    if (!taken.rows.empty()) {
      // Report the first taken SKU in input order; the query's row order is unspecified.
      std::set<std::string> taken_skus;
      for (const Row& row : taken.rows) taken_skus.insert(row.Text(0));
      std::size_t index = 0;
      while (index + 1 < product.variants.size() && !taken_skus.contains(product.variants[index].sku)) ++index;
      const std::string& sku = product.variants[index].sku;
      return Conflict("catalog/sku-taken", "another product has a variant with SKU '" + sku + "'",
                      "/variants/" + std::to_string(index) + "/sku");
    }
  }
  PLAZA_TRY(CheckReferences(tx, shop_id, product, context.definitions));

  const auto option_name = [&](std::size_t index) -> Param {
    if (index < product.option_names.size()) return Param(product.option_names[index]);
    return Param(nullptr);
  };
  const std::string tags = JoinTags(product.tags);
  const std::string channels = JoinChannels(product.channels);
  std::int64_t product_id = 0;
  if (existing_id) {
    product_id = *existing_id;
    PLAZA_ASSIGN_OR_RETURN(
        auto updated,
        tx.Execute("UPDATE catalog_products SET handle = ?, title = ?, description_html = ?, vendor = ?,"
                   " product_type = ?, tags = ?, item_condition = ?, google_product_category = ?, seo_title = ?,"
                   " seo_description = ?, status = ?, channels = ?, option1_name = ?, option2_name = ?,"
                   " option3_name = ?, updated_at = ? WHERE shop_id = ? AND id = ?",
                   {product.handle, product.title, product.description_html, product.vendor, product.product_type, tags,
                    ConditionName(product.condition), product.google_product_category, product.seo_title,
                    product.seo_description, StatusName(product.status), channels, option_name(0), option_name(1),
                    option_name(2), now_ms, shop_id, product_id}));
    if (updated.affected_rows == 0) return Error::NotFound("no such product");
  } else {
    PLAZA_ASSIGN_OR_RETURN(
        auto inserted,
        tx.QueryOne("INSERT INTO catalog_products (shop_id, handle, title, description_html, vendor, product_type,"
                    " tags, item_condition, google_product_category, seo_title, seo_description, status, channels,"
                    " option1_name, option2_name, option3_name, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {shop_id, product.handle, product.title, product.description_html, product.vendor,
                     product.product_type, tags, ConditionName(product.condition), product.google_product_category,
                     product.seo_title, product.seo_description, StatusName(product.status), channels, option_name(0),
                     option_name(1), option_name(2), now_ms, now_ms}));
    if (!inserted) return Error::Internal("insert returned no id");
    product_id = inserted->Int(0);
  }

  // Media keep their ids when their URL stays, so variant images and feeds stay stable.
  std::map<std::string, std::int64_t> media_ids;
  if (existing_id) {
    PLAZA_ASSIGN_OR_RETURN(auto media, tx.Execute("SELECT id, url FROM catalog_media WHERE shop_id = ? AND"
                                                  " product_id = ?",
                                                  {shop_id, product_id}));
    for (const Row& row : media.rows) {
      const bool kept = std::any_of(product.media.begin(), product.media.end(),
                                    [&](const MediaInput& m) { return m.url == row.Text(1); });
      if (kept) {
        media_ids[row.Text(1)] = row.Int(0);
      } else {
        PLAZA_TRY(tx.Execute("DELETE FROM catalog_media WHERE shop_id = ? AND id = ?", {shop_id, row.Int(0)}));
      }
    }
  }
  for (std::size_t index = 0; index < product.media.size(); ++index) {
    const MediaInput& media = product.media[index];
    const auto position = static_cast<std::int64_t>(index + 1);
    if (auto found = media_ids.find(media.url); found != media_ids.end()) {
      PLAZA_TRY(tx.Execute("UPDATE catalog_media SET position = ?, alt = ? WHERE shop_id = ? AND id = ?",
                           {position, media.alt, shop_id, found->second}));
      continue;
    }
    PLAZA_ASSIGN_OR_RETURN(auto inserted,
                           tx.QueryOne("INSERT INTO catalog_media (shop_id, product_id, position, url, alt)"
                                       " VALUES (?, ?, ?, ?, ?) RETURNING id",
                                       {shop_id, product_id, position, media.url, media.alt}));
    media_ids[media.url] = inserted->Int(0);
  }

  // Variants keep their ids: by explicit id, else by identical option values.
  std::vector<std::pair<std::int64_t, std::vector<std::string>>> existing_variants;
  if (existing_id) {
    PLAZA_ASSIGN_OR_RETURN(auto rows, tx.Execute("SELECT id, option1, option2, option3 FROM catalog_variants"
                                                 " WHERE shop_id = ? AND product_id = ?",
                                                 {shop_id, product_id}));
    for (const Row& row : rows.rows) {
      std::vector<std::string> values;
      for (std::size_t column = 1; column < 4; ++column) {
        if (!row.IsNull(column)) values.push_back(row.Text(column));
      }
      existing_variants.emplace_back(row.Int(0), std::move(values));
    }
    // Cleared first so SKUs may move between this product's variants without a
    // transient unique violation.
    PLAZA_TRY(
        tx.Execute("UPDATE catalog_variants SET sku = '' WHERE shop_id = ? AND product_id = ?", {shop_id, product_id}));
  }
  std::vector<std::int64_t> variant_ids(product.variants.size(), 0);
  std::set<std::int64_t> claimed;
  for (std::size_t index = 0; index < product.variants.size(); ++index) {
    const std::int64_t wanted = product.variants[index].id;
    if (wanted == 0) continue;
    const bool ours = std::any_of(existing_variants.begin(), existing_variants.end(),
                                  [&](const auto& existing) { return existing.first == wanted; });
    if (!ours || !claimed.insert(wanted).second) {
      return Error::Invalid("catalog/unknown-variant", "not a variant of this product",
                            "/variants/" + std::to_string(index) + "/id");
    }
    variant_ids[index] = wanted;
  }
  for (std::size_t index = 0; index < product.variants.size(); ++index) {
    if (variant_ids[index] != 0) continue;
    for (const auto& [id, values] : existing_variants) {
      if (!claimed.contains(id) && values == product.variants[index].option_values) {
        variant_ids[index] = id;
        claimed.insert(id);
        break;
      }
    }
  }
  for (const auto& [id, values] : existing_variants) {
    if (claimed.contains(id)) continue;
    PLAZA_TRY(tx.Execute("DELETE FROM catalog_variants WHERE shop_id = ? AND id = ?", {shop_id, id}));
  }
  for (std::size_t index = 0; index < product.variants.size(); ++index) {
    const VariantInput& variant = product.variants[index];
    const auto option_value = [&](std::size_t option) -> Param {
      if (option < variant.option_values.size()) return Param(variant.option_values[option]);
      return Param(nullptr);
    };
    Param image = nullptr;
    if (!variant.image_url.empty()) image = Param(media_ids.at(variant.image_url));
    const auto position = static_cast<std::int64_t>(index + 1);
    const std::string title = VariantTitle(variant.option_values);
    if (variant_ids[index] != 0) {
      PLAZA_TRY(tx.Execute(
          "UPDATE catalog_variants SET position = ?, option1 = ?, option2 = ?, option3 = ?,"
          " title = ?, sku = ?, gtin = ?, mpn = ?, weight_grams = ?, requires_shipping = ?,"
          " tax_class = ?, image_id = ? WHERE shop_id = ? AND id = ?",
          {position, option_value(0), option_value(1), option_value(2), title, variant.sku, variant.gtin, variant.mpn,
           variant.weight_grams, variant.requires_shipping, variant.tax_class, image, shop_id, variant_ids[index]}));
      continue;
    }
    PLAZA_ASSIGN_OR_RETURN(
        auto inserted,
        tx.QueryOne(
            "INSERT INTO catalog_variants (shop_id, product_id, position, option1, option2, option3, title,"
            " sku, gtin, mpn, weight_grams, requires_shipping, tax_class, image_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {shop_id, product_id, position, option_value(0), option_value(1), option_value(2), title, variant.sku,
             variant.gtin, variant.mpn, variant.weight_grams, variant.requires_shipping, variant.tax_class, image}));
    variant_ids[index] = inserted->Int(0);
  }

  if (existing_id) {
    PLAZA_TRY(
        tx.Execute("DELETE FROM catalog_product_tags WHERE shop_id = ? AND product_id = ?", {shop_id, product_id}));
    PLAZA_TRY(
        tx.Execute("DELETE FROM catalog_attribute_values WHERE shop_id = ? AND product_id = ?", {shop_id, product_id}));
  }
  for (const std::string& tag : product.tags) {
    PLAZA_TRY(tx.Execute("INSERT INTO catalog_product_tags (shop_id, product_id, tag) VALUES (?, ?, ?)",
                         {shop_id, product_id, text::ToLowerAscii(tag)}));
  }
  PLAZA_TRY(InsertAttributeValues(tx, shop_id, AttributeOwner::kProduct, product_id, product_id, product.attributes,
                                  context.definitions));
  for (std::size_t index = 0; index < product.variants.size(); ++index) {
    PLAZA_TRY(InsertAttributeValues(tx, shop_id, AttributeOwner::kVariant, variant_ids[index], product_id,
                                    product.variants[index].attributes, context.definitions));
  }

  if (!context.rule_collections.empty()) {
    if (existing_id) {
      PLAZA_TRY(
          tx.Execute("DELETE FROM catalog_collection_products WHERE shop_id = ? AND product_id = ? AND"
                     " collection_id IN (SELECT id FROM catalog_collections WHERE shop_id = ? AND rule_based = 1)",
                     {shop_id, product_id, shop_id}));
    }
    for (const RuleCollection& collection : context.rule_collections) {
      if (!MatchesRules(collection, product)) continue;
      PLAZA_TRY(
          tx.Execute("INSERT INTO catalog_collection_products (shop_id, collection_id, product_id, position)"
                     " VALUES (?, ?, ?, ?)",
                     {shop_id, collection.id, product_id, product_id}));
    }
  }

  PLAZA_TRY(IndexProduct(tx, shop_id, product_id, product));
  PLAZA_TRY(BumpVersion(tx, shop_id));
  if (variant_ids_out != nullptr) *variant_ids_out = variant_ids;
  PLAZA_TRY(AppendProductEvent(tx, shop_id, product_id, existing_id ? "product.updated" : "product.created",
                               product.handle, StatusName(product.status), now));
  return product_id;
}

Status DeleteProductRows(Transaction& tx, std::int64_t shop_id, std::int64_t product_id, TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT handle FROM catalog_products WHERE shop_id = ? AND id = ?", {shop_id, product_id}));
  if (!row) return Error::NotFound("no such product");
  for (const char* table : {"catalog_variants", "catalog_media", "catalog_product_tags", "catalog_attribute_values",
                            "catalog_collection_products"}) {
    PLAZA_TRY(tx.Execute(std::string("DELETE FROM ") + table + " WHERE shop_id = ? AND product_id = ?",
                         {shop_id, product_id}));
  }
  if (tx.dialect() == store::Dialect::kSqlite) {
    PLAZA_TRY(tx.Execute("DELETE FROM catalog_search WHERE rowid = ?", {product_id}));
  }
  PLAZA_TRY(tx.Execute("DELETE FROM catalog_products WHERE shop_id = ? AND id = ?", {shop_id, product_id}));
  PLAZA_TRY(BumpVersion(tx, shop_id));
  return AppendProductEvent(tx, shop_id, product_id, "product.deleted", row->Text(0), "deleted", now);
}

Status BumpVersion(Transaction& tx, std::int64_t shop_id) {
  PLAZA_TRY(
      tx.Execute("INSERT INTO catalog_versions (shop_id, version) VALUES (?, 1) ON CONFLICT (shop_id)"
                 " DO UPDATE SET version = catalog_versions.version + 1",
                 {shop_id}));
  return Ok();
}

Result<std::vector<Product>> LoadProducts(Transaction& tx, std::int64_t shop_id,
                                          std::span<const std::int64_t> product_ids) {
  std::vector<Product> products;
  std::unordered_map<std::int64_t, std::size_t> index;
  PLAZA_TRY(ForSlices(product_ids, kSlice, [&](std::span<const std::int64_t> slice) -> Status {
    const std::vector<Param> params = ShopAnd(shop_id, slice);
    const std::string in = internal::InList(slice.size());
    PLAZA_ASSIGN_OR_RETURN(auto rows, tx.Execute(std::string("SELECT ") + kProductColumns +
                                                     " FROM catalog_products WHERE shop_id = ? AND id IN " + in,
                                                 params));
    const std::size_t first = products.size();
    for (const Row& row : rows.rows) {
      index[row.Int(0)] = products.size();
      products.push_back(ProductFromRow(row));
    }
    if (products.size() == first) return Ok();
    PLAZA_ASSIGN_OR_RETURN(auto variants,
                           tx.Execute("SELECT id, product_id, position, option1, option2, option3, title, sku, gtin,"
                                      " mpn, weight_grams, requires_shipping, tax_class, image_id FROM catalog_variants"
                                      " WHERE shop_id = ? AND product_id IN " +
                                          in + " ORDER BY product_id, position",
                                      params));
    std::unordered_map<std::int64_t, std::pair<std::size_t, std::size_t>> variant_index;
    for (const Row& row : variants.rows) {
      Product& product = products[index.at(row.Int(1))];
      Variant variant;
      variant.id = row.Int(0);
      variant.product_id = row.Int(1);
      variant.position = static_cast<int>(row.Int(2));
      for (std::size_t column = 3; column < 6; ++column) {
        if (row.IsNull(column)) continue;
        variant.option_values.push_back(row.Text(column));
        ProductOption& option = product.options.at(column - 3);
        if (std::find(option.values.begin(), option.values.end(), row.Text(column)) == option.values.end()) {
          option.values.push_back(row.Text(column));
        }
      }
      variant.title = row.Text(6);
      variant.sku = row.Text(7);
      variant.gtin = row.Text(8);
      variant.mpn = row.Text(9);
      variant.weight_grams = row.Int(10);
      variant.requires_shipping = row.Bool(11);
      variant.tax_class = row.Text(12);
      variant.image_id = row.OptionalInt(13);
      variant_index[variant.id] = {index.at(row.Int(1)), product.variants.size()};
      product.variants.push_back(std::move(variant));
    }
    PLAZA_ASSIGN_OR_RETURN(auto media, tx.Execute("SELECT id, product_id, position, url, alt FROM catalog_media"
                                                  " WHERE shop_id = ? AND product_id IN " +
                                                      in + " ORDER BY product_id, position",
                                                  params));
    for (const Row& row : media.rows) {
      products[index.at(row.Int(1))].media.push_back(
          {.id = row.Int(0), .url = row.Text(3), .alt = row.Text(4), .position = static_cast<int>(row.Int(2))});
    }
    PLAZA_ASSIGN_OR_RETURN(auto attributes,
                           tx.Execute("SELECT owner, owner_id, product_id, attribute_key, position, value FROM"
                                      " catalog_attribute_values WHERE shop_id = ? AND product_id IN " +
                                          in + " ORDER BY owner, owner_id, attribute_key, position",
                                      params));
    for (const Row& row : attributes.rows) {
      std::vector<AttributeValue>* target = nullptr;
      if (row.Text(0) == "product") {
        target = &products[index.at(row.Int(2))].attributes;
      } else if (auto found = variant_index.find(row.Int(1)); found != variant_index.end()) {
        target = &products[found->second.first].variants[found->second.second].attributes;
      }
      if (target == nullptr) continue;
      if (target->empty() || target->back().key != row.Text(3)) target->push_back({.key = row.Text(3)});
      if (row.Int(4) == kScalarPosition) {
        target->back().value = row.Text(5);
      } else {
        target->back().values.push_back(row.Text(5));
      }
    }
    PLAZA_ASSIGN_OR_RETURN(auto memberships, tx.Execute("SELECT product_id, collection_id FROM"
                                                        " catalog_collection_products WHERE shop_id = ? AND"
                                                        " product_id IN " +
                                                            in + " ORDER BY product_id, collection_id",
                                                        params));
    for (const Row& row : memberships.rows) products[index.at(row.Int(0))].collection_ids.push_back(row.Int(1));
    return Ok();
  }));
  // In the order asked.
  std::vector<Product> ordered;
  ordered.reserve(products.size());
  for (const std::int64_t id : product_ids) {
    if (auto found = index.find(id); found != index.end()) ordered.push_back(std::move(products[found->second]));
    index.erase(id);
  }
  return ordered;
}

}  // namespace plaza::catalog::internal
