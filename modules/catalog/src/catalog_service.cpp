#include <algorithm>
#include <set>
#include <unordered_map>

#include "internal.h"
#include "plaza/catalog/catalog.h"
#include "plaza/core/text.h"

namespace plaza::catalog {
namespace {

using store::Param;
using store::Row;
using store::Transaction;

Error WithField(Error error, std::string field) {
  error.field = std::move(field);
  return error;
}

// The rows rule evaluation needs, for recomputing one collection over the whole shop.
Result<std::vector<std::pair<std::int64_t, ProductInput>>> RuleInputs(Transaction& tx, std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(auto rows, tx.Execute("SELECT id, title, vendor, product_type, tags FROM catalog_products"
                                               " WHERE shop_id = ? ORDER BY id",
                                               {shop_id}));
  std::vector<std::pair<std::int64_t, ProductInput>> out;
  out.reserve(rows.rows.size());
  for (const Row& row : rows.rows) {
    ProductInput input;
    input.title = row.Text(1);
    input.vendor = row.Text(2);
    input.product_type = row.Text(3);
    input.tags = internal::SplitTags(row.Text(4));
    out.emplace_back(row.Int(0), std::move(input));
  }
  return out;
}

Result<CollectionInput> NormalizeCollection(const CollectionInput& input) {
  CollectionInput out = input;
  out.title = std::string(text::TrimAscii(input.title));
  if (out.title.empty() || out.title.size() > kMaxTitleLength || !text::IsValidUtf8(out.title)) {
    return Error::Invalid("catalog/invalid-title", "a title of 1-255 bytes of UTF-8", "/title");
  }
  out.handle = std::string(text::TrimAscii(input.handle));
  if (out.handle.empty()) out.handle = MakeHandle(out.title);
  if (!IsValidHandle(out.handle)) {
    return Error::Invalid("catalog/invalid-handle", "a handle is lower-case letters, digits and single dashes",
                          "/handle");
  }
  if (!text::IsValidUtf8(out.description_html) || out.description_html.size() > kMaxDescriptionBytes) {
    return Error::Invalid("catalog/invalid-text", "description must be UTF-8 within the size limit",
                          "/description_html");
  }
  if (out.rule_based) {
    if (out.rules.empty() || out.rules.size() > kMaxRulesPerCollection) {
      return Error::Invalid("catalog/invalid-rule", "a rule-based collection has 1-60 rules", "/rules");
    }
    if (!out.product_ids.empty()) {
      return Error::Invalid("catalog/invalid-rule", "a rule-based collection lists no products", "/product_ids");
    }
    for (std::size_t index = 0; index < out.rules.size(); ++index) {
      CollectionRule& rule = out.rules[index];
      rule.value = std::string(text::TrimAscii(rule.value));
      if (rule.value.empty() || rule.value.size() > 255 || !text::IsValidUtf8(rule.value)) {
        return Error::Invalid("catalog/invalid-rule", "a rule compares with 1-255 bytes of UTF-8",
                              "/rules/" + std::to_string(index) + "/value");
      }
      if (rule.relation == RuleRelation::kContains && rule.field != RuleField::kTitle) {
        return Error::Invalid("catalog/invalid-rule", "only title rules may use contains",
                              "/rules/" + std::to_string(index) + "/relation");
      }
    }
  } else {
    if (!out.rules.empty()) return Error::Invalid("catalog/invalid-rule", "a manual collection has no rules", "/rules");
    if (out.product_ids.size() > kMaxProductsPerManualCollection) {
      return Error::Invalid("catalog/too-many", "too many products", "/product_ids");
    }
    std::set<std::int64_t> seen;
    for (std::size_t index = 0; index < out.product_ids.size(); ++index) {
      if (!seen.insert(out.product_ids[index]).second) {
        return Error::Invalid("catalog/duplicate-product", "a product is listed twice",
                              "/product_ids/" + std::to_string(index));
      }
    }
  }
  return out;
}

Result<Collection> LoadCollection(Transaction& tx, std::int64_t shop_id, std::optional<std::int64_t> id,
                                  std::string_view handle) {
  PLAZA_ASSIGN_OR_RETURN(
      auto row, id ? tx.QueryOne("SELECT id, handle, title, description_html, rule_based, match_all, published,"
                                 " created_at, updated_at FROM catalog_collections WHERE shop_id = ? AND id = ?",
                                 {shop_id, *id})
                   : tx.QueryOne("SELECT id, handle, title, description_html, rule_based, match_all, published,"
                                 " created_at, updated_at FROM catalog_collections WHERE shop_id = ? AND"
                                 " handle = ?",
                                 {shop_id, handle}));
  if (!row) return Error::NotFound("no such collection");
  Collection collection{.id = row->Int(0),
                        .handle = row->Text(1),
                        .title = row->Text(2),
                        .description_html = row->Text(3),
                        .rule_based = row->Bool(4),
                        .match_all = row->Bool(5),
                        .rules = {},
                        .product_ids = {},
                        .published = row->Bool(6),
                        .created_at = FromUnixMillis(row->Int(7)),
                        .updated_at = FromUnixMillis(row->Int(8))};
  if (collection.rule_based) {
    PLAZA_ASSIGN_OR_RETURN(auto rules, tx.Execute("SELECT field, relation, value FROM catalog_collection_rules WHERE"
                                                  " shop_id = ? AND collection_id = ? ORDER BY position",
                                                  {shop_id, collection.id}));
    for (const Row& rule : rules.rows) {
      collection.rules.push_back({.field = ParseRuleField(rule.Text(0)).value_or(RuleField::kTag),
                                  .relation = ParseRuleRelation(rule.Text(1)).value_or(RuleRelation::kEquals),
                                  .value = rule.Text(2)});
    }
  } else {
    PLAZA_ASSIGN_OR_RETURN(auto members, tx.Execute("SELECT product_id FROM catalog_collection_products WHERE"
                                                    " shop_id = ? AND collection_id = ? ORDER BY position",
                                                    {shop_id, collection.id}));
    for (const Row& member : members.rows) collection.product_ids.push_back(member.Int(0));
  }
  return collection;
}

Status WriteCollectionContents(Transaction& tx, std::int64_t shop_id, std::int64_t collection_id,
                               const CollectionInput& input) {
  PLAZA_TRY(internal::BumpVersion(tx, shop_id));
  PLAZA_TRY(tx.Execute("DELETE FROM catalog_collection_rules WHERE shop_id = ? AND collection_id = ?",
                       {shop_id, collection_id}));
  PLAZA_TRY(tx.Execute("DELETE FROM catalog_collection_products WHERE shop_id = ? AND collection_id = ?",
                       {shop_id, collection_id}));
  if (input.rule_based) {
    for (std::size_t index = 0; index < input.rules.size(); ++index) {
      const CollectionRule& rule = input.rules[index];
      PLAZA_TRY(
          tx.Execute("INSERT INTO catalog_collection_rules (shop_id, collection_id, position, field, relation,"
                     " value) VALUES (?, ?, ?, ?, ?, ?)",
                     {shop_id, collection_id, static_cast<std::int64_t>(index), RuleFieldName(rule.field),
                      RuleRelationName(rule.relation), rule.value}));
    }
    const internal::RuleCollection rules{.id = collection_id, .match_all = input.match_all, .rules = input.rules};
    PLAZA_ASSIGN_OR_RETURN(auto products, RuleInputs(tx, shop_id));
    for (const auto& [product_id, product] : products) {
      if (!internal::MatchesRules(rules, product)) continue;
      PLAZA_TRY(
          tx.Execute("INSERT INTO catalog_collection_products (shop_id, collection_id, product_id, position)"
                     " VALUES (?, ?, ?, ?)",
                     {shop_id, collection_id, product_id, product_id}));
    }
    return Ok();
  }
  if (!input.product_ids.empty()) {
    std::size_t found = 0;
    PLAZA_TRY(internal::ForSlices(input.product_ids, 500, [&](std::span<const std::int64_t> slice) -> Status {
      std::vector<Param> params{shop_id};
      for (const std::int64_t id : slice) params.emplace_back(id);
      PLAZA_ASSIGN_OR_RETURN(auto count,
                             tx.QueryOne("SELECT COUNT(*) FROM catalog_products WHERE shop_id = ? AND id IN " +
                                             internal::InList(slice.size()),
                                         params));
      found += static_cast<std::size_t>(count->Int(0));
      return Ok();
    }));
    if (found != input.product_ids.size()) {
      return Error::Invalid("catalog/unknown-product", "a listed product does not exist", "/product_ids");
    }
  }
  for (std::size_t index = 0; index < input.product_ids.size(); ++index) {
    PLAZA_TRY(
        tx.Execute("INSERT INTO catalog_collection_products (shop_id, collection_id, product_id, position)"
                   " VALUES (?, ?, ?, ?)",
                   {shop_id, collection_id, input.product_ids[index], static_cast<std::int64_t>(index + 1)}));
  }
  return Ok();
}

bool IsValidAttributeKey(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  return std::all_of(key.begin(), key.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace

// ---- Reads for other modules ----

Result<std::vector<VariantSummary>> GetVariantSummaries(Transaction& tx, std::int64_t shop_id,
                                                        std::span<const std::int64_t> variant_ids) {
  if (variant_ids.size() > kMaxIdsPerLookup) {
    return Error::Invalid("catalog/too-many-ids", "at most " + std::to_string(kMaxIdsPerLookup) + " ids per lookup");
  }
  if (variant_ids.empty()) return std::vector<VariantSummary>{};
  std::vector<Param> params{shop_id};
  for (const std::int64_t id : variant_ids) params.emplace_back(id);
  PLAZA_ASSIGN_OR_RETURN(
      auto rows,
      tx.Execute("SELECT v.id, v.product_id, p.handle, p.title, v.title, v.sku, v.gtin, v.weight_grams,"
                 " v.requires_shipping, v.tax_class, p.status, p.channels, p.vendor, p.product_type,"
                 " (SELECT m.url FROM catalog_media m WHERE m.shop_id = v.shop_id AND m.id = v.image_id),"
                 " (SELECT m.url FROM catalog_media m WHERE m.shop_id = v.shop_id AND m.product_id = v.product_id"
                 " ORDER BY m.position LIMIT 1)"
                 " FROM catalog_variants v JOIN catalog_products p ON p.shop_id = v.shop_id AND p.id = v.product_id"
                 " WHERE v.shop_id = ? AND v.id IN " +
                     internal::InList(variant_ids.size()),
                 params));
  std::unordered_map<std::int64_t, VariantSummary> by_id;
  std::vector<Param> product_params{shop_id};
  std::set<std::int64_t> product_ids;
  for (const Row& row : rows.rows) {
    VariantSummary summary;
    summary.variant_id = row.Int(0);
    summary.product_id = row.Int(1);
    summary.product_handle = row.Text(2);
    summary.product_title = row.Text(3);
    summary.variant_title = row.Text(4);
    summary.sku = row.Text(5);
    summary.gtin = row.Text(6);
    summary.weight_grams = row.Int(7);
    summary.requires_shipping = row.Bool(8);
    summary.tax_class = row.Text(9);
    summary.status = ParseStatus(row.Text(10)).value_or(ProductStatus::kDraft);
    for (const std::string& name : internal::SplitTags(row.Text(11))) {
      if (auto channel = ParseChannel(name)) summary.channels.push_back(*channel);
    }
    summary.vendor = row.Text(12);
    summary.product_type = row.Text(13);
    summary.image_url = row.IsNull(14) ? row.Text(15) : row.Text(14);
    if (product_ids.insert(summary.product_id).second) product_params.emplace_back(summary.product_id);
    by_id.emplace(summary.variant_id, std::move(summary));
  }
  if (!product_ids.empty()) {
    PLAZA_ASSIGN_OR_RETURN(auto memberships,
                           tx.Execute("SELECT product_id, collection_id FROM catalog_collection_products WHERE"
                                      " shop_id = ? AND product_id IN " +
                                          internal::InList(product_ids.size()) + " ORDER BY product_id, collection_id",
                                      product_params));
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> collections;
    for (const Row& row : memberships.rows) collections[row.Int(0)].push_back(row.Int(1));
    for (auto& [id, summary] : by_id) summary.collection_ids = collections[summary.product_id];
  }
  std::vector<VariantSummary> ordered;
  ordered.reserve(by_id.size());
  for (const std::int64_t id : variant_ids) {
    if (auto found = by_id.find(id); found != by_id.end()) ordered.push_back(found->second);
  }
  return ordered;
}

Result<VariantSummary> GetVariantBySku(Transaction& tx, std::int64_t shop_id, std::string_view sku) {
  if (sku.empty()) return Error::NotFound("no such variant");
  PLAZA_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne("SELECT id FROM catalog_variants WHERE shop_id = ? AND sku <> '' AND sku = ?", {shop_id, sku}));
  if (!row) return Error::NotFound("no such variant");
  const std::int64_t id = row->Int(0);
  PLAZA_ASSIGN_OR_RETURN(auto summaries, GetVariantSummaries(tx, shop_id, std::span<const std::int64_t>(&id, 1)));
  if (summaries.empty()) return Error::NotFound("no such variant");
  return std::move(summaries.front());
}

Result<Product> GetProduct(Transaction& tx, std::int64_t shop_id, std::int64_t product_id) {
  PLAZA_ASSIGN_OR_RETURN(auto products,
                         internal::LoadProducts(tx, shop_id, std::span<const std::int64_t>(&product_id, 1)));
  if (products.empty()) return Error::NotFound("no such product");
  return std::move(products.front());
}

Result<Product> GetProductByHandle(Transaction& tx, std::int64_t shop_id, std::string_view handle) {
  PLAZA_ASSIGN_OR_RETURN(auto id, internal::ProductIdByHandle(tx, shop_id, handle));
  if (!id) return Error::NotFound("no such product");
  return GetProduct(tx, shop_id, *id);
}

Result<std::vector<Product>> GetProducts(Transaction& tx, std::int64_t shop_id,
                                         std::span<const std::int64_t> product_ids) {
  if (product_ids.size() > kMaxIdsPerLookup) {
    return Error::Invalid("catalog/too-many-ids", "at most " + std::to_string(kMaxIdsPerLookup) + " ids per lookup");
  }
  return internal::LoadProducts(tx, shop_id, product_ids);
}

// ---- The service ----

CatalogService::CatalogService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Result<Product> CatalogService::CreateProduct(std::int64_t shop_id, const ProductInput& input) {
  return db_.Write([&](Transaction& tx) -> Result<Product> {
    PLAZA_ASSIGN_OR_RETURN(auto context, internal::LoadShopContext(tx, shop_id));
    PLAZA_ASSIGN_OR_RETURN(ProductInput product, internal::NormalizeProduct(input, context.definitions));
    if (input.handle.empty()) {
      // A handle made from the title takes the first free numeric suffix.
      const std::string base = product.handle;
      for (int suffix = 2;; ++suffix) {
        PLAZA_ASSIGN_OR_RETURN(auto taken, internal::ProductIdByHandle(tx, shop_id, product.handle));
        if (!taken) break;
        if (suffix > 1000) return Error::Conflict("catalog/handle-taken", "no free handle for this title");
        product.handle = base + "-" + std::to_string(suffix);
      }
    }
    PLAZA_ASSIGN_OR_RETURN(const std::int64_t id,
                           internal::WriteProduct(tx, shop_id, std::nullopt, product, context, clock_.Now()));
    return catalog::GetProduct(tx, shop_id, id);
  });
}

Result<Product> CatalogService::UpdateProduct(std::int64_t shop_id, std::int64_t product_id,
                                              const ProductInput& input) {
  return db_.Write([&](Transaction& tx) -> Result<Product> {
    PLAZA_ASSIGN_OR_RETURN(auto context, internal::LoadShopContext(tx, shop_id));
    PLAZA_ASSIGN_OR_RETURN(auto exists, tx.QueryOne("SELECT handle FROM catalog_products WHERE shop_id = ? AND id = ?",
                                                    {shop_id, product_id}));
    if (!exists) return Error::NotFound("no such product");
    ProductInput with_handle = input;
    if (with_handle.handle.empty()) with_handle.handle = exists->Text(0);
    PLAZA_ASSIGN_OR_RETURN(ProductInput product, internal::NormalizeProduct(with_handle, context.definitions));
    PLAZA_TRY(internal::WriteProduct(tx, shop_id, product_id, product, context, clock_.Now()));
    return catalog::GetProduct(tx, shop_id, product_id);
  });
}

namespace {

ProductInput ToInput(const Product& product) {
  ProductInput input;
  input.handle = product.handle;
  input.title = product.title;
  input.description_html = product.description_html;
  input.vendor = product.vendor;
  input.product_type = product.product_type;
  input.tags = product.tags;
  input.condition = product.condition;
  input.google_product_category = product.google_product_category;
  input.seo_title = product.seo_title;
  input.seo_description = product.seo_description;
  input.status = product.status;
  input.channels = product.channels;
  for (const ProductOption& option : product.options) input.option_names.push_back(option.name);
  for (const Media& media : product.media) input.media.push_back({.url = media.url, .alt = media.alt});
  for (const Variant& variant : product.variants) {
    std::string image_url;
    for (const Media& media : product.media) {
      if (variant.image_id == media.id) image_url = media.url;
    }
    input.variants.push_back({.id = variant.id,
                              .option_values = variant.option_values,
                              .sku = variant.sku,
                              .gtin = variant.gtin,
                              .mpn = variant.mpn,
                              .weight_grams = variant.weight_grams,
                              .requires_shipping = variant.requires_shipping,
                              .tax_class = variant.tax_class,
                              .image_url = image_url,
                              .attributes = variant.attributes});
  }
  input.attributes = product.attributes;
  return input;
}

}  // namespace

Result<Product> CatalogService::SetStatus(std::int64_t shop_id, std::int64_t product_id, ProductStatus status) {
  return db_.Write([&](Transaction& tx) -> Result<Product> {
    PLAZA_ASSIGN_OR_RETURN(Product current, catalog::GetProduct(tx, shop_id, product_id));
    PLAZA_ASSIGN_OR_RETURN(auto context, internal::LoadShopContext(tx, shop_id));
    ProductInput input = ToInput(current);
    input.status = status;
    // Activation checks required attributes, so it goes through full validation.
    PLAZA_ASSIGN_OR_RETURN(ProductInput product, internal::NormalizeProduct(input, context.definitions));
    PLAZA_TRY(internal::WriteProduct(tx, shop_id, product_id, product, context, clock_.Now()));
    return catalog::GetProduct(tx, shop_id, product_id);
  });
}

Result<Product> CatalogService::SetChannels(std::int64_t shop_id, std::int64_t product_id,
                                            std::vector<Channel> channels) {
  return db_.Write([&](Transaction& tx) -> Result<Product> {
    PLAZA_ASSIGN_OR_RETURN(Product current, catalog::GetProduct(tx, shop_id, product_id));
    PLAZA_ASSIGN_OR_RETURN(auto context, internal::LoadShopContext(tx, shop_id));
    ProductInput input = ToInput(current);
    input.channels = channels;
    PLAZA_ASSIGN_OR_RETURN(ProductInput product, internal::NormalizeProduct(input, context.definitions));
    PLAZA_TRY(internal::WriteProduct(tx, shop_id, product_id, product, context, clock_.Now()));
    return catalog::GetProduct(tx, shop_id, product_id);
  });
}

Status CatalogService::DeleteProduct(std::int64_t shop_id, std::int64_t product_id) {
  return db_.Write(
      [&](Transaction& tx) -> Status { return internal::DeleteProductRows(tx, shop_id, product_id, clock_.Now()); });
}

Result<Product> CatalogService::GetProduct(std::int64_t shop_id, std::int64_t product_id) {
  return db_.Read([&](Transaction& tx) { return catalog::GetProduct(tx, shop_id, product_id); });
}

Result<Product> CatalogService::GetProductByHandle(std::int64_t shop_id, std::string_view handle) {
  return db_.Read([&](Transaction& tx) { return catalog::GetProductByHandle(tx, shop_id, handle); });
}

Result<std::vector<VariantSummary>> CatalogService::GetVariantSummaries(std::int64_t shop_id,
                                                                        std::span<const std::int64_t> variant_ids) {
  return db_.Read([&](Transaction& tx) { return catalog::GetVariantSummaries(tx, shop_id, variant_ids); });
}

Result<ProductPage> CatalogService::ListProducts(std::int64_t shop_id, const ProductListQuery& query) {
  return db_.Read([&](Transaction& tx) { return catalog::ListProducts(tx, shop_id, query); });
}

Result<std::int64_t> CatalogVersion(Transaction& tx, std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT version FROM catalog_versions WHERE shop_id = ?", {shop_id}));
  return row ? row->Int(0) : std::int64_t{0};
}

Result<ProductPage> ListProducts(Transaction& tx, std::int64_t shop_id, const ProductListQuery& query) {
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    return Error::Invalid("catalog/invalid-limit", "limit between 1 and 250", "/limit");
  }
  std::int64_t before = 0;
  if (!query.cursor.empty()) {
    const bool digits = query.cursor.size() <= 18 && std::all_of(query.cursor.begin(), query.cursor.end(),
                                                                 [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) return Error::Invalid("catalog/invalid-cursor", "not a cursor of this list", "/cursor");
    before = static_cast<std::int64_t>(std::stoll(query.cursor));
  }
  std::string sql = "SELECT p.id FROM catalog_products p WHERE p.shop_id = ?";
  std::vector<Param> params{shop_id};
  if (before > 0) {
    sql += " AND p.id < ?";
    params.emplace_back(before);
  }
  if (query.status) {
    sql += " AND p.status = ?";
    params.emplace_back(StatusName(*query.status));
  }
  if (query.channel) {
    // Channels are a short comma list; matching on the delimited form avoids a join.
    sql += " AND p.status = 'active' AND (',' || p.channels || ',') LIKE ?";
    params.emplace_back("%," + std::string(ChannelName(*query.channel)) + ",%");
  }
  if (query.collection_id) {
    sql +=
        " AND EXISTS (SELECT 1 FROM catalog_collection_products c WHERE c.shop_id = p.shop_id AND"
        " c.collection_id = ? AND c.product_id = p.id)";
    params.emplace_back(*query.collection_id);
  }
  sql += " ORDER BY p.id DESC LIMIT ?";
  params.emplace_back(query.limit + 1);
  PLAZA_ASSIGN_OR_RETURN(auto rows, tx.Execute(sql, params));
  std::vector<std::int64_t> ids;
  for (const Row& row : rows.rows) ids.push_back(row.Int(0));
  ProductPage page;
  if (ids.size() > static_cast<std::size_t>(query.limit)) {
    ids.pop_back();
    page.next_cursor = std::to_string(ids.back());
  }
  PLAZA_ASSIGN_OR_RETURN(page.products, internal::LoadProducts(tx, shop_id, ids));
  return page;
}

Result<Collection> CatalogService::CreateCollection(std::int64_t shop_id, const CollectionInput& input) {
  PLAZA_ASSIGN_OR_RETURN(CollectionInput collection, NormalizeCollection(input));
  return db_.Write([&](Transaction& tx) -> Result<Collection> {
    PLAZA_ASSIGN_OR_RETURN(auto taken,
                           tx.QueryOne("SELECT id FROM catalog_collections WHERE shop_id = ? AND handle = ?",
                                       {shop_id, collection.handle}));
    if (taken) {
      return WithField(Error::Conflict("catalog/handle-taken", "another collection has this handle"), "/handle");
    }
    if (collection.rule_based) {
      PLAZA_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT COUNT(*) FROM catalog_collections WHERE shop_id = ? AND"
                                                     " rule_based = 1",
                                                     {shop_id}));
      if (static_cast<std::size_t>(count->Int(0)) >= kMaxRuleCollectionsPerShop) {
        return Error::Conflict("catalog/too-many-collections", "a shop has at most 1000 rule-based collections");
      }
    }
    const std::int64_t now = ToUnixMillis(clock_.Now());
    PLAZA_ASSIGN_OR_RETURN(auto inserted,
                           tx.QueryOne("INSERT INTO catalog_collections (shop_id, handle, title, description_html,"
                                       " rule_based, match_all, published, created_at, updated_at)"
                                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                       {shop_id, collection.handle, collection.title, collection.description_html,
                                        collection.rule_based, collection.match_all, collection.published, now, now}));
    const std::int64_t id = inserted->Int(0);
    PLAZA_TRY(WriteCollectionContents(tx, shop_id, id, collection));
    return LoadCollection(tx, shop_id, id, {});
  });
}

Result<Collection> CatalogService::UpdateCollection(std::int64_t shop_id, std::int64_t collection_id,
                                                    const CollectionInput& input) {
  PLAZA_ASSIGN_OR_RETURN(CollectionInput collection, NormalizeCollection(input));
  return db_.Write([&](Transaction& tx) -> Result<Collection> {
    PLAZA_TRY(LoadCollection(tx, shop_id, collection_id, {}));
    PLAZA_ASSIGN_OR_RETURN(auto taken, tx.QueryOne("SELECT id FROM catalog_collections WHERE shop_id = ? AND"
                                                   " handle = ? AND id <> ?",
                                                   {shop_id, collection.handle, collection_id}));
    if (taken) {
      return WithField(Error::Conflict("catalog/handle-taken", "another collection has this handle"), "/handle");
    }
    PLAZA_TRY(
        tx.Execute("UPDATE catalog_collections SET handle = ?, title = ?, description_html = ?, rule_based = ?,"
                   " match_all = ?, published = ?, updated_at = ? WHERE shop_id = ? AND id = ?",
                   {collection.handle, collection.title, collection.description_html, collection.rule_based,
                    collection.match_all, collection.published, ToUnixMillis(clock_.Now()), shop_id, collection_id}));
    PLAZA_TRY(WriteCollectionContents(tx, shop_id, collection_id, collection));
    return LoadCollection(tx, shop_id, collection_id, {});
  });
}

Status CatalogService::DeleteCollection(std::int64_t shop_id, std::int64_t collection_id) {
  return db_.Write([&](Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(auto deleted, tx.Execute("DELETE FROM catalog_collections WHERE shop_id = ? AND id = ?",
                                                    {shop_id, collection_id}));
    if (deleted.affected_rows == 0) return Error::NotFound("no such collection");
    PLAZA_TRY(tx.Execute("DELETE FROM catalog_collection_rules WHERE shop_id = ? AND collection_id = ?",
                         {shop_id, collection_id}));
    PLAZA_TRY(tx.Execute("DELETE FROM catalog_collection_products WHERE shop_id = ? AND collection_id = ?",
                         {shop_id, collection_id}));
    return internal::BumpVersion(tx, shop_id);
  });
}

Result<Collection> CatalogService::GetCollection(std::int64_t shop_id, std::int64_t collection_id) {
  return db_.Read([&](Transaction& tx) { return LoadCollection(tx, shop_id, collection_id, {}); });
}

Result<Collection> CatalogService::GetCollectionByHandle(std::int64_t shop_id, std::string_view handle) {
  return db_.Read([&](Transaction& tx) { return LoadCollection(tx, shop_id, std::nullopt, handle); });
}

Result<std::vector<Collection>> CatalogService::ListCollections(std::int64_t shop_id) {
  return db_.Read([&](Transaction& tx) -> Result<std::vector<Collection>> {
    PLAZA_ASSIGN_OR_RETURN(auto rows,
                           tx.Execute("SELECT id FROM catalog_collections WHERE shop_id = ? ORDER BY id", {shop_id}));
    std::vector<Collection> collections;
    for (const Row& row : rows.rows) {
      PLAZA_ASSIGN_OR_RETURN(Collection collection, LoadCollection(tx, shop_id, row.Int(0), {}));
      collections.push_back(std::move(collection));
    }
    return collections;
  });
}

Result<AttributeDefinition> CatalogService::DefineAttribute(std::int64_t shop_id,
                                                            const AttributeDefinition& definition) {
  if (!IsValidAttributeKey(definition.key)) {
    return Error::Invalid("catalog/invalid-key", "a key is [a-z0-9_], 1-64", "/key");
  }
  const std::string name = std::string(text::TrimAscii(definition.name));
  if (name.empty() || name.size() > 255 || !text::IsValidUtf8(name)) {
    return Error::Invalid("catalog/invalid-name", "a name of 1-255 bytes of UTF-8", "/name");
  }
  return db_.Write([&](Transaction& tx) -> Result<AttributeDefinition> {
    PLAZA_ASSIGN_OR_RETURN(auto inserted,
                           tx.QueryOne("INSERT INTO catalog_attribute_definitions (shop_id, owner, attribute_key, name,"
                                       " value_type, required) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                       {shop_id, AttributeOwnerName(definition.owner), definition.key, name,
                                        AttributeTypeName(definition.type), definition.required}));
    AttributeDefinition out = definition;
    out.id = inserted->Int(0);
    out.name = name;
    return out;
  });
}

Status CatalogService::DeleteAttribute(std::int64_t shop_id, std::int64_t definition_id) {
  return db_.Write([&](Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT owner, attribute_key FROM catalog_attribute_definitions"
                                                 " WHERE shop_id = ? AND id = ?",
                                                 {shop_id, definition_id}));
    if (!row) return Error::NotFound("no such attribute definition");
    PLAZA_ASSIGN_OR_RETURN(auto used, tx.QueryOne("SELECT 1 FROM catalog_attribute_values WHERE shop_id = ? AND"
                                                  " owner = ? AND attribute_key = ? LIMIT 1",
                                                  {shop_id, row->Text(0), row->Text(1)}));
    if (used) return Error::Conflict("catalog/attribute-in-use", "products still carry this attribute");
    PLAZA_TRY(
        tx.Execute("DELETE FROM catalog_attribute_definitions WHERE shop_id = ? AND id = ?", {shop_id, definition_id}));
    return Ok();
  });
}

Result<std::vector<AttributeDefinition>> CatalogService::ListAttributes(std::int64_t shop_id) {
  return db_.Read([&](Transaction& tx) { return internal::LoadDefinitions(tx, shop_id); });
}

}  // namespace plaza::catalog
