#pragma once
// The catalog: products with options and variants, media, collections, typed custom
// attributes, status and per-channel publication, and full-text search with facets.
// docs/catalog.md is the merchant- and integrator-facing description.
//
// Prices live in the pricing module (per market) and stock in the inventory module; the
// catalog never stores or reads them. Search takes them as caller-supplied annotations
// (SearchQuery::variant_prices, SearchQuery::in_stock_variant_ids) so the caller, which
// may read those modules' public headers, decides market and stock policy.
//
// Ids of products, variants, media and collections are stable public integers: feeds
// and conversion events quote them, and they are never reused (AUTOINCREMENT/identity).
//
// Two ways in: CatalogService runs its own transactions (admin, storefront, import);
// the free functions taking a store::Transaction& let another module (checkout, feeds)
// read inside its own transaction. Every function filters by the shop it is given;
// another shop's product reads as not found.
//
// Thread-safety: a CatalogService may be used from any number of threads; the free
// functions are as thread-safe as the Transaction they are given.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::catalog {

// Bounds on what outside input can grow. Shopify allows 3 options and 100 variants per
// product; 2000 variants covers any real apparel matrix while keeping one product's
// write bounded.
inline constexpr std::size_t kMaxOptions = 3;
inline constexpr std::size_t kMaxVariantsPerProduct = 2000;
inline constexpr std::size_t kMaxMediaPerProduct = 250;
inline constexpr std::size_t kMaxTagsPerProduct = 250;
inline constexpr std::size_t kMaxAttributesPerOwner = 100;
inline constexpr std::size_t kMaxHandleLength = 255;
inline constexpr std::size_t kMaxTitleLength = 255;
inline constexpr std::size_t kMaxDescriptionBytes = std::size_t{512} * 1024;
inline constexpr std::size_t kMaxShortTextLength = 1000;  // vendor, type, SKU, SEO texts …
inline constexpr std::size_t kMaxRulesPerCollection = 60;
inline constexpr std::size_t kMaxRuleCollectionsPerShop = 1000;
inline constexpr std::size_t kMaxProductsPerManualCollection = 50'000;
// One batched read covers a large cart or a page of a feed, not a whole catalog.
inline constexpr std::size_t kMaxIdsPerLookup = 1000;
inline constexpr int kMaxPageSize = 250;

enum class ProductStatus { kDraft, kActive, kArchived };
enum class Condition { kNew, kRefurbished, kUsed };
// Where a product is published. Only active products are visible on any channel.
enum class Channel { kOnlineStore, kMeta, kTiktok, kPinterest, kGoogle };

std::string_view StatusName(ProductStatus status);  // "draft", "active", "archived"
std::optional<ProductStatus> ParseStatus(std::string_view name);
std::string_view ConditionName(Condition condition);  // "new", "refurbished", "used"
std::optional<Condition> ParseCondition(std::string_view name);
std::string_view ChannelName(Channel channel);  // "online_store", "meta", "tiktok", "pinterest", "google"
std::optional<Channel> ParseChannel(std::string_view name);
std::span<const Channel> AllChannels();

// A URL-safe handle: lower-case [a-z0-9] words joined by single '-', 1–255 bytes.
bool IsValidHandle(std::string_view handle);
// "Blue Shirt (XL)!" -> "blue-shirt-xl"; what import and creation use when no handle is given.
std::string MakeHandle(std::string_view title);

// ---- Custom attributes ----

enum class AttributeOwner { kProduct, kVariant };
enum class AttributeType {
  kText,              // any UTF-8 up to kMaxShortTextLength * 10 bytes
  kInteger,           // "-12" (64-bit)
  kDecimal,           // "12.50": optional '-', digits, optional '.' and digits; stored as given
  kBoolean,           // "true" / "false"
  kList,              // a list of texts (values)
  kProductReference,  // a product id of the same shop
  kVariantReference,  // a variant id of the same shop
};
std::string_view AttributeTypeName(AttributeType type);  // "text", "integer", "decimal", "boolean", "list",
                                                         // "product_reference", "variant_reference"
std::optional<AttributeType> ParseAttributeType(std::string_view name);
std::string_view AttributeOwnerName(AttributeOwner owner);  // "product", "variant"
std::optional<AttributeOwner> ParseAttributeOwner(std::string_view name);

// A per-shop definition. `key` is [a-z0-9_], 1–64, unique per shop and owner.
struct AttributeDefinition {
  std::int64_t id = 0;
  AttributeOwner owner = AttributeOwner::kProduct;
  std::string key{};
  std::string name{};
  AttributeType type = AttributeType::kText;
  bool required = false;  // active products must carry it
};

// A value. Scalars are in `value` in canonical text form ("42", "12.50", "true", a
// referenced id); lists are in `values`.
struct AttributeValue {
  std::string key{};
  std::string value{};
  std::vector<std::string> values{};
  friend bool operator==(const AttributeValue&, const AttributeValue&) = default;
};

// ---- Products ----

struct ProductOption {
  std::string name{};                 // "Size"
  std::vector<std::string> values{};  // in display order, as used by the variants
  friend bool operator==(const ProductOption&, const ProductOption&) = default;
};

struct Media {
  std::int64_t id = 0;
  std::string url{};  // http(s) URL
  std::string alt{};
  int position = 0;  // 1-based display order
  friend bool operator==(const Media&, const Media&) = default;
};

struct Variant {
  std::int64_t id = 0;
  std::int64_t product_id = 0;
  std::vector<std::string> option_values{};  // one per product option, in option order
  std::string title{};                       // option values joined by " / ", or "Default Title"
  std::string sku{};                         // unique per shop when not empty
  std::string gtin{};                        // barcode: 8, 12, 13 or 14 digits, or empty
  std::string mpn{};
  std::int64_t weight_grams = 0;
  bool requires_shipping = true;
  std::string tax_class{};  // pricing's tax class, "standard" when empty on input
  int position = 0;         // 1-based
  std::optional<std::int64_t> image_id{};
  std::vector<AttributeValue> attributes{};
  friend bool operator==(const Variant&, const Variant&) = default;
};

struct Product {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string handle{};
  std::string title{};
  std::string description_html{};  // stored as given; pages escape or sanitise it
  std::string vendor{};
  std::string product_type{};
  std::vector<std::string> tags{};  // trimmed, de-duplicated case-insensitively, sorted
  Condition condition = Condition::kNew;
  std::string google_product_category{};
  std::string seo_title{};
  std::string seo_description{};
  ProductStatus status = ProductStatus::kDraft;
  std::vector<Channel> channels{};  // publications, in AllChannels() order
  std::vector<ProductOption> options{};
  std::vector<Variant> variants{};  // by position
  std::vector<Media> media{};       // by position
  std::vector<AttributeValue> attributes{};
  std::vector<std::int64_t> collection_ids{};
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct VariantInput {
  // Keeps the id of an existing variant of the product on update; 0 matches an existing
  // variant by its option values, or creates a new one.
  std::int64_t id = 0;
  std::vector<std::string> option_values{};
  std::string sku{};
  std::string gtin{};
  std::string mpn{};
  std::int64_t weight_grams = 0;
  bool requires_shipping = true;
  std::string tax_class{};
  std::string image_url{};  // one of the product's media URLs, or empty
  std::vector<AttributeValue> attributes{};
};

struct MediaInput {
  std::string url{};
  std::string alt{};
};

// The whole product as the merchant wants it; an update replaces everything (variants
// not listed are deleted, their ids retired). With no options, `variants` must hold
// exactly one variant with no option values (the "Default Title" variant); with no
// variants at all, one default variant is created.
struct ProductInput {
  std::string handle{};  // empty: MakeHandle(title), made unique with a numeric suffix
  std::string title{};
  std::string description_html{};
  std::string vendor{};
  std::string product_type{};
  std::vector<std::string> tags{};
  Condition condition = Condition::kNew;
  std::string google_product_category{};
  std::string seo_title{};
  std::string seo_description{};
  ProductStatus status = ProductStatus::kDraft;
  std::vector<Channel> channels{};
  std::vector<std::string> option_names{};  // up to kMaxOptions, distinct
  std::vector<VariantInput> variants{};
  std::vector<MediaInput> media{};  // in display order
  std::vector<AttributeValue> attributes{};
};

// ---- Collections ----

enum class RuleField { kTag, kVendor, kProductType, kTitle };
enum class RuleRelation { kEquals, kNotEquals, kContains };  // case-insensitive
struct CollectionRule {
  RuleField field = RuleField::kTag;
  RuleRelation relation = RuleRelation::kEquals;
  std::string value{};
  friend bool operator==(const CollectionRule&, const CollectionRule&) = default;
};
std::string_view RuleFieldName(RuleField field);  // "tag", "vendor", "product_type", "title"
std::optional<RuleField> ParseRuleField(std::string_view name);
std::string_view RuleRelationName(RuleRelation relation);  // "equals", "not_equals", "contains"
std::optional<RuleRelation> ParseRuleRelation(std::string_view name);

// Manual collections hold an ordered product list; rule-based ones hold every product
// matching all (match_all) or any of their rules, kept current on every product and
// collection write. Price rules are not stored: price is per market in the pricing
// module, so a "under 50 EUR" shelf is a search with SearchQuery::max_price.
struct Collection {
  std::int64_t id = 0;
  std::string handle{};
  std::string title{};
  std::string description_html{};
  bool rule_based = false;
  bool match_all = true;
  std::vector<CollectionRule> rules{};
  std::vector<std::int64_t> product_ids{};  // manual: in merchant order; rule-based: empty (query by collection)
  bool published = true;                    // visible on the storefront
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct CollectionInput {
  std::string handle{};
  std::string title{};
  std::string description_html{};
  bool rule_based = false;
  bool match_all = true;
  std::vector<CollectionRule> rules{};
  std::vector<std::int64_t> product_ids{};
  bool published = true;
};

// ---- Listing and search ----

// Keyset pagination: pass back the `next_cursor` of the previous page.
struct ProductListQuery {
  std::optional<ProductStatus> status{};
  std::optional<Channel> channel{};  // published there (and active)
  std::optional<std::int64_t> collection_id{};
  std::string cursor{};
  int limit = 50;  // 1..kMaxPageSize
};

struct ProductPage {
  std::vector<Product> products{};
  std::string next_cursor{};  // empty on the last page
};

// A full-text query with filters and facets. Text matches title, description text,
// vendor, tags and SKUs; title matches rank above description matches. Without text the
// order is newest first.
//
// Price and stock come from the caller: `variant_prices` maps variant ids to a price in
// minor units of one market (from pricing), `in_stock_variant_ids` lists purchasable
// variants (from inventory). When given, they filter (min/max_price, in_stock_only) and
// feed the price-range and in-stock facets; variants absent from `variant_prices` have
// no price and fail any price filter.
struct VariantPriceAnnotation {
  std::int64_t variant_id = 0;
  std::int64_t amount = 0;
};

// Price and stock of some variants, as SearchQuery::annotate reports them.
struct VariantAnnotations {
  std::vector<VariantPriceAnnotation> prices{};
  std::vector<std::int64_t> in_stock{};  // purchasable variants among those asked
};
// Variant ids per SearchQuery::annotate call.
inline constexpr std::size_t kMaxAnnotationBatch = 500;

struct SearchQuery {
  std::string text{};
  std::optional<Channel> channel{};  // storefront: kOnlineStore (and active only)
  std::optional<ProductStatus> status{};
  std::vector<std::string> vendors{};
  std::vector<std::string> product_types{};
  std::vector<std::string> tags{};  // all must be present
  std::optional<std::int64_t> collection_id{};
  // {"Size", "M"}: some variant must carry each listed option value.
  std::vector<std::pair<std::string, std::string>> option_values{};
  std::vector<VariantPriceAnnotation> variant_prices{};
  std::optional<std::vector<std::int64_t>> in_stock_variant_ids{};
  // Instead of the two lists above: called inside the search's read transaction with the
  // variants of the candidate products only (at most kMaxAnnotationBatch ids a call), so
  // the cost follows the matches and not the size of the market's price list. Appends
  // to the given annotations.
  std::function<Status(store::Transaction&, std::span<const std::int64_t>, VariantAnnotations&)> annotate{};
  std::optional<std::int64_t> min_price{};
  std::optional<std::int64_t> max_price{};
  bool in_stock_only = false;
  bool with_facets = true;
  int offset = 0;  // 0..kMaxSearchOffset
  int limit = 24;  // 1..kMaxPageSize
};
// Deep pages of a ranked result cost the whole ranking; a shopper never goes there.
inline constexpr int kMaxSearchOffset = 10'000;
// Facets are counted over at most this many best matches, so a one-letter query on a
// 100,000-product catalog stays bounded; `facets_truncated` says when it happened.
// Every candidate's variants are priced and stock-checked on each search, so this bound
// is what a broad query costs; 1,000 keeps it to a few batched lookups.
inline constexpr std::size_t kMaxFacetProducts = 1'000;

struct FacetValue {
  std::string value{};
  std::int64_t count = 0;  // matching products
};
struct OptionFacet {
  std::string name{};
  std::vector<FacetValue> values{};
};
struct Facets {
  std::vector<FacetValue> vendors{};
  std::vector<FacetValue> product_types{};
  std::vector<FacetValue> collections{};  // value: collection handle
  std::vector<OptionFacet> options{};
  std::optional<std::int64_t> min_price{};  // over matching priced variants
  std::optional<std::int64_t> max_price{};
  std::int64_t in_stock = 0;  // matching products with a variant in stock
  bool truncated = false;
};

struct SearchHit {
  std::int64_t product_id = 0;
  std::string handle{};
  std::string title{};
  std::string vendor{};
  double rank = 0;  // higher is better
};
struct SearchResult {
  std::int64_t total = 0;  // matching products (before offset/limit)
  std::vector<SearchHit> hits{};
  Facets facets{};
};

// ---- Reads for other modules ----

// What checkout, orders and feeds need of a variant, without prices or stock.
struct VariantSummary {
  std::int64_t variant_id = 0;
  std::int64_t product_id = 0;
  std::string product_handle{};
  std::string product_title{};
  std::string variant_title{};
  std::string sku{};
  std::string gtin{};
  std::int64_t weight_grams = 0;
  bool requires_shipping = true;
  std::string tax_class{};
  ProductStatus status = ProductStatus::kDraft;
  std::vector<Channel> channels{};
  std::vector<std::int64_t> collection_ids{};
  std::string vendor{};
  std::string product_type{};
  std::string image_url{};  // the variant's image, else the product's first
};

// Summaries of the given variants of `shop_id`, in the order asked; unknown ids (and
// other shops' ids) are left out. At most kMaxIdsPerLookup ids; three queries for any N.
Result<std::vector<VariantSummary>> GetVariantSummaries(store::Transaction& tx, std::int64_t shop_id,
                                                        std::span<const std::int64_t> variant_ids);
// The variant of `shop_id` with this SKU, or not found.
Result<VariantSummary> GetVariantBySku(store::Transaction& tx, std::int64_t shop_id, std::string_view sku);
Result<Product> GetProduct(store::Transaction& tx, std::int64_t shop_id, std::int64_t product_id);
Result<Product> GetProductByHandle(store::Transaction& tx, std::int64_t shop_id, std::string_view handle);
// Full products, in the order asked; unknown ids are left out. At most kMaxIdsPerLookup.
Result<std::vector<Product>> GetProducts(store::Transaction& tx, std::int64_t shop_id,
                                         std::span<const std::int64_t> product_ids);
// Whether the product is active and published on `channel`.
bool IsVisibleOn(const Product& product, Channel channel);
// CatalogService::ListProducts inside the caller's transaction.
Result<ProductPage> ListProducts(store::Transaction& tx, std::int64_t shop_id, const ProductListQuery& query);

// The shop's catalog version: 0 before its first catalog write, raised by every product
// and collection write in that write's transaction. Storefront caches of catalog reads
// keyed by it are never stale, also with several processes on one database, provided
// the version and the cached rows are read in the same transaction.
Result<std::int64_t> CatalogVersion(store::Transaction& tx, std::int64_t shop_id);

// ---- Import and export (Shopify product CSV) ----

// Where imported prices and stock go. The catalog never writes pricing's or inventory's
// tables; the app layer implements this over their services. Called after the catalog
// transaction of each product committed, with the ids the rows now have.
struct ImportedPrice {
  std::int64_t product_id = 0;
  std::int64_t variant_id = 0;
  std::string sku{};
  std::int64_t amount = 0;  // minor units of ImportOptions::currency
  std::optional<std::int64_t> compare_at_amount{};
  std::optional<std::int64_t> cost_amount{};
};
struct ImportedStock {
  std::int64_t product_id = 0;
  std::int64_t variant_id = 0;
  std::string sku{};
  std::int64_t quantity = 0;
  bool tracked = false;           // Variant Inventory Tracker was set
  bool continue_selling = false;  // Variant Inventory Policy "continue"
};
class ImportSink {
 public:
  virtual ~ImportSink() = default;
  virtual Status Prices(std::int64_t shop_id, std::span<const ImportedPrice> prices) = 0;
  virtual Status Stock(std::int64_t shop_id, std::span<const ImportedStock> stock) = 0;
};

// Bounds on an import, each "a reasonable limit to prevent abuse": a 100,000-variant
// catalog export of Shopify is about 60 MB.
struct ImportLimits {
  std::size_t max_bytes = std::size_t{256} * 1024 * 1024;
  std::size_t max_rows = 500'000;
  std::size_t max_field_bytes = std::size_t{512} * 1024;  // Body (HTML) is the only large cell
  std::size_t max_columns = 200;
};

struct ImportOptions {
  bool dry_run = false;  // validate everything, write nothing, call no sink
  std::string currency = "USD";
  ImportLimits limits{};
  // Progress: rows processed so far of the total; called from the importing thread.
  std::function<void(std::size_t done, std::size_t total)> progress{};
};

// One rejected row (or the whole file when row is 0). `row` is the 1-based physical
// record number counting the header as 1, `column` the header name.
struct ImportIssue {
  std::size_t row = 0;
  std::string column{};
  std::string handle{};
  std::string reason{};
};

struct ImportResult {
  std::size_t rows = 0;
  std::size_t products_created = 0;
  std::size_t products_updated = 0;
  std::size_t products_rejected = 0;
  std::size_t variants = 0;
  std::vector<ImportIssue> issues{};  // capped at 1000; issues_total counts all
  std::size_t issues_total = 0;
  std::vector<ImportedPrice> prices{};
  std::vector<ImportedStock> stock{};
};

// ---- The service ----

class CatalogService {
 public:
  CatalogService(store::Database& db, const Clock& clock);

  // Products. Create/Update/Delete append product.created/updated/deleted to the outbox.
  // Errors: "catalog/handle-taken", "catalog/sku-taken" (SKUs are unique per shop),
  // "catalog/invalid-*" with a JSON-pointer field, kNotFound.
  Result<Product> CreateProduct(std::int64_t shop_id, const ProductInput& input);
  Result<Product> UpdateProduct(std::int64_t shop_id, std::int64_t product_id, const ProductInput& input);
  Result<Product> SetStatus(std::int64_t shop_id, std::int64_t product_id, ProductStatus status);
  Result<Product> SetChannels(std::int64_t shop_id, std::int64_t product_id, std::vector<Channel> channels);
  Status DeleteProduct(std::int64_t shop_id, std::int64_t product_id);
  Result<Product> GetProduct(std::int64_t shop_id, std::int64_t product_id);
  Result<Product> GetProductByHandle(std::int64_t shop_id, std::string_view handle);
  Result<ProductPage> ListProducts(std::int64_t shop_id, const ProductListQuery& query);
  Result<std::vector<VariantSummary>> GetVariantSummaries(std::int64_t shop_id,
                                                          std::span<const std::int64_t> variant_ids);

  // Collections. Errors: "catalog/handle-taken", "catalog/invalid-rule", kNotFound.
  Result<Collection> CreateCollection(std::int64_t shop_id, const CollectionInput& input);
  Result<Collection> UpdateCollection(std::int64_t shop_id, std::int64_t collection_id, const CollectionInput& input);
  Status DeleteCollection(std::int64_t shop_id, std::int64_t collection_id);
  Result<Collection> GetCollection(std::int64_t shop_id, std::int64_t collection_id);
  Result<Collection> GetCollectionByHandle(std::int64_t shop_id, std::string_view handle);
  Result<std::vector<Collection>> ListCollections(std::int64_t shop_id);

  // Attribute definitions. Deleting one leaves stored values unreadable through the API
  // until redefined; it is refused while values exist ("catalog/attribute-in-use").
  Result<AttributeDefinition> DefineAttribute(std::int64_t shop_id, const AttributeDefinition& definition);
  Status DeleteAttribute(std::int64_t shop_id, std::int64_t definition_id);
  Result<std::vector<AttributeDefinition>> ListAttributes(std::int64_t shop_id);

  Result<SearchResult> Search(std::int64_t shop_id, const SearchQuery& query);

  // Shopify product CSV. Each product (its rows grouped by Handle) is validated and
  // written in its own transaction, so a bad row rejects its whole product and nothing
  // of it is written; other products still import. A product with an existing handle is
  // updated (variant ids kept where option values match).
  Result<ImportResult> ImportShopifyCsv(std::int64_t shop_id, std::string_view csv, const ImportOptions& options,
                                        ImportSink* sink);
  // Every product of the shop as Shopify CSV. `prices` optionally supplies the Variant
  // Price column (minor units in `currency`).
  Result<std::string> ExportShopifyCsv(std::int64_t shop_id, std::span<const VariantPriceAnnotation> prices = {},
                                       std::string_view currency = "USD");

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace plaza::catalog
