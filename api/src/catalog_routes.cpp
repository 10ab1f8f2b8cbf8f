// Catalog: products, collections, attribute definitions and the Shopify CSV import and
// export (staff: catalog.read to read, catalog.write to change), and the public
// storefront reads. Storefront answers carry each variant's price in the chosen market
// (pricing) and its availability (inventory); the catalog itself stores neither. Routes
// naming an id load it first, so another shop's id answers 404 before the body is read.

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "plaza/catalog/catalog.h"
#include "plaza/catalog/import_sink.h"
#include "plaza/catalog/online_store.h"
#include "plaza/core/money.h"
#include "plaza/http/json.h"
#include "plaza/inventory/inventory.h"
#include "plaza/pricing/pricing.h"
#include "routes.h"
#include "storefront_market.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;
namespace cat = catalog;

Status MayRead(const Request& request) {
  return identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kCatalogRead);
}

Status MayWrite(const Request& request) {
  return identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kCatalogWrite);
}

// Lengths are the catalog's own bounds; the service re-checks them with its own slugs.
constexpr http::StringLimits kShort{.max_length = cat::kMaxShortTextLength};
constexpr http::StringLimits kHandle{.max_length = cat::kMaxHandleLength};
constexpr http::StringLimits kHtml{.max_length = cat::kMaxDescriptionBytes, .multiline = true};

// ---- encoding ----

boost::json::array EncodeAttributes(const std::vector<cat::AttributeValue>& attributes) {
  boost::json::array out;
  for (const cat::AttributeValue& attribute : attributes) {
    boost::json::object item{{"key", attribute.key}};
    if (attribute.values.empty()) {
      item["value"] = attribute.value;
    } else {
      boost::json::array values;
      for (const std::string& value : attribute.values) values.emplace_back(value);
      item["values"] = std::move(values);
    }
    out.push_back(std::move(item));
  }
  return out;
}

boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& value : values) out.emplace_back(value);
  return out;
}

boost::json::object EncodeVariant(const cat::Variant& variant) {
  return {{"id", variant.id},
          {"option_values", Strings(variant.option_values)},
          {"title", variant.title},
          {"sku", variant.sku},
          {"gtin", variant.gtin},
          {"mpn", variant.mpn},
          {"weight_grams", variant.weight_grams},
          {"requires_shipping", variant.requires_shipping},
          {"tax_class", variant.tax_class},
          {"position", variant.position},
          {"image_id", variant.image_id ? boost::json::value(*variant.image_id) : boost::json::value(nullptr)},
          {"attributes", EncodeAttributes(variant.attributes)}};
}

boost::json::object EncodeProduct(const cat::Product& product) {
  boost::json::array channels;
  for (const cat::Channel channel : product.channels) channels.emplace_back(cat::ChannelName(channel));
  boost::json::array options;
  for (const cat::ProductOption& option : product.options) {
    options.push_back({{"name", option.name}, {"values", Strings(option.values)}});
  }
  boost::json::array variants;
  for (const cat::Variant& variant : product.variants) variants.push_back(EncodeVariant(variant));
  boost::json::array media;
  for (const cat::Media& item : product.media) {
    media.push_back({{"id", item.id}, {"url", item.url}, {"alt", item.alt}, {"position", item.position}});
  }
  boost::json::array collection_ids;
  for (const std::int64_t id : product.collection_ids) collection_ids.emplace_back(id);
  return {{"id", product.id},
          {"handle", product.handle},
          {"title", product.title},
          {"description_html", product.description_html},
          {"vendor", product.vendor},
          {"product_type", product.product_type},
          {"tags", Strings(product.tags)},
          {"condition", cat::ConditionName(product.condition)},
          {"google_product_category", product.google_product_category},
          {"seo_title", product.seo_title},
          {"seo_description", product.seo_description},
          {"status", cat::StatusName(product.status)},
          {"channels", std::move(channels)},
          {"options", std::move(options)},
          {"variants", std::move(variants)},
          {"media", std::move(media)},
          {"attributes", EncodeAttributes(product.attributes)},
          {"collection_ids", std::move(collection_ids)},
          {"created_at", FormatRfc3339(product.created_at)},
          {"updated_at", FormatRfc3339(product.updated_at)}};
}

boost::json::object EncodeCollection(const cat::Collection& collection) {
  boost::json::array rules;
  for (const cat::CollectionRule& rule : collection.rules) {
    rules.push_back({{"field", cat::RuleFieldName(rule.field)},
                     {"relation", cat::RuleRelationName(rule.relation)},
                     {"value", rule.value}});
  }
  boost::json::array product_ids;
  for (const std::int64_t id : collection.product_ids) product_ids.emplace_back(id);
  return {{"id", collection.id},
          {"handle", collection.handle},
          {"title", collection.title},
          {"description_html", collection.description_html},
          {"rule_based", collection.rule_based},
          {"match_all", collection.match_all},
          {"rules", std::move(rules)},
          {"product_ids", std::move(product_ids)},
          {"published", collection.published},
          {"created_at", FormatRfc3339(collection.created_at)},
          {"updated_at", FormatRfc3339(collection.updated_at)}};
}

boost::json::object EncodeDefinition(const cat::AttributeDefinition& definition) {
  return {{"id", definition.id},
          {"owner", cat::AttributeOwnerName(definition.owner)},
          {"key", definition.key},
          {"name", definition.name},
          {"type", cat::AttributeTypeName(definition.type)},
          {"required", definition.required}};
}

boost::json::object EncodeImport(const cat::ImportResult& result, bool dry_run) {
  boost::json::array issues;
  for (const cat::ImportIssue& issue : result.issues) {
    issues.push_back(
        {{"row", issue.row}, {"column", issue.column}, {"handle", issue.handle}, {"reason", issue.reason}});
  }
  return {{"dry_run", dry_run},
          {"rows", result.rows},
          {"products_created", result.products_created},
          {"products_updated", result.products_updated},
          {"products_rejected", result.products_rejected},
          {"variants", result.variants},
          {"prices", result.prices.size()},
          {"stock", result.stock.size()},
          {"issues", std::move(issues)},
          {"issues_total", result.issues_total}};
}

// ---- decoding ----

// An optional array member: absent or null reads as empty.
Result<const boost::json::array*> OptionalArray(const JsonReader& reader, std::string_view key, std::size_t max_items) {
  const auto* value = reader.object().if_contains(key);
  if (value == nullptr || value->is_null()) return static_cast<const boost::json::array*>(nullptr);
  return reader.RequiredArray(key, max_items);
}

Result<std::vector<std::string>> OptionalStrings(const JsonReader& reader, std::string_view key,
                                                 std::size_t max_items) {
  const auto* value = reader.object().if_contains(key);
  if (value == nullptr || value->is_null()) return std::vector<std::string>();
  return ReadStringArray(reader, key, max_items);
}

// Element `index` of `array` (member `key` of `reader`) as an object with its own reader.
Result<JsonReader> ElementReader(const JsonReader& reader, std::string_view key, const boost::json::array& array,
                                 std::size_t index) {
  const std::string pointer = reader.PointerTo(key) + "/" + std::to_string(index);
  const auto* object = array[index].if_object();
  if (object == nullptr) return Error::Invalid("validation/type", "expected an object", pointer);
  return JsonReader(*object, pointer);
}

Result<std::vector<cat::AttributeValue>> ReadAttributes(const JsonReader& reader) {
  PLAZA_ASSIGN_OR_RETURN(const auto* array, OptionalArray(reader, "attributes", cat::kMaxAttributesPerOwner));
  std::vector<cat::AttributeValue> out;
  if (array == nullptr) return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    PLAZA_ASSIGN_OR_RETURN(JsonReader item, ElementReader(reader, "attributes", *array, i));
    PLAZA_TRY(item.AllowOnly({"key", "value", "values"}));
    cat::AttributeValue value;
    PLAZA_ASSIGN_OR_RETURN(value.key, item.RequiredString("key", {.min_length = 1, .max_length = 64}));
    PLAZA_ASSIGN_OR_RETURN(
        auto scalar, item.OptionalString("value", {.max_length = cat::kMaxShortTextLength * 10, .multiline = true}));
    value.value = scalar.value_or("");
    PLAZA_ASSIGN_OR_RETURN(value.values, OptionalStrings(item, "values", cat::kMaxShortTextLength));
    out.push_back(std::move(value));
  }
  return out;
}

Result<std::vector<cat::Channel>> ReadChannels(const JsonReader& reader, bool required) {
  std::vector<std::string> names;
  if (required) {
    PLAZA_ASSIGN_OR_RETURN(names, ReadStringArray(reader, "channels", cat::AllChannels().size()));
  } else {
    PLAZA_ASSIGN_OR_RETURN(names, OptionalStrings(reader, "channels", cat::AllChannels().size()));
  }
  std::vector<cat::Channel> channels;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto channel = cat::ParseChannel(names[i]);
    if (!channel) {
      return Error::Invalid("catalog/unknown-channel", "unknown channel '" + names[i] + "'",
                            reader.PointerTo("channels") + "/" + std::to_string(i));
    }
    channels.push_back(*channel);
  }
  return channels;
}

Result<cat::ProductStatus> ReadStatus(const JsonReader& reader, bool required) {
  std::optional<std::string> name;
  if (required) {
    PLAZA_ASSIGN_OR_RETURN(name, reader.RequiredString("status", {.max_length = 16}));
  } else {
    PLAZA_ASSIGN_OR_RETURN(name, reader.OptionalString("status", {.max_length = 16}));
  }
  if (!name) return cat::ProductStatus::kDraft;
  const auto status = cat::ParseStatus(*name);
  if (!status) {
    return Error::Invalid("catalog/unknown-status", "status must be draft, active or archived",
                          reader.PointerTo("status"));
  }
  return *status;
}

Result<cat::VariantInput> ReadVariant(const JsonReader& item) {
  PLAZA_TRY(item.AllowOnly({"id", "option_values", "sku", "gtin", "mpn", "weight_grams", "requires_shipping",
                            "tax_class", "image_url", "attributes"}));
  cat::VariantInput variant;
  PLAZA_ASSIGN_OR_RETURN(auto id, item.OptionalInt64("id", 1, INT64_MAX));
  variant.id = id.value_or(0);
  PLAZA_ASSIGN_OR_RETURN(variant.option_values, OptionalStrings(item, "option_values", cat::kMaxOptions));
  PLAZA_ASSIGN_OR_RETURN(auto sku, item.OptionalString("sku", kShort));
  variant.sku = sku.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto gtin, item.OptionalString("gtin", {.max_length = 14}));
  variant.gtin = gtin.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto mpn, item.OptionalString("mpn", kShort));
  variant.mpn = mpn.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto weight, item.OptionalInt64("weight_grams", 0, 1'000'000'000));
  variant.weight_grams = weight.value_or(0);
  PLAZA_ASSIGN_OR_RETURN(auto shipping, item.OptionalBool("requires_shipping"));
  variant.requires_shipping = shipping.value_or(true);
  PLAZA_ASSIGN_OR_RETURN(auto tax_class, item.OptionalString("tax_class", {.max_length = 64}));
  variant.tax_class = tax_class.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto image_url, item.OptionalString("image_url", {.max_length = 2048}));
  variant.image_url = image_url.value_or("");
  PLAZA_ASSIGN_OR_RETURN(variant.attributes, ReadAttributes(item));
  return variant;
}

Result<cat::ProductInput> ReadProduct(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"handle", "title", "description_html", "vendor", "product_type", "tags", "condition",
                              "google_product_category", "seo_title", "seo_description", "status", "channels",
                              "option_names", "variants", "media", "attributes"}));
  cat::ProductInput input;
  PLAZA_ASSIGN_OR_RETURN(auto handle, reader.OptionalString("handle", kHandle));
  input.handle = handle.value_or("");
  PLAZA_ASSIGN_OR_RETURN(input.title,
                         reader.RequiredString("title", {.min_length = 1, .max_length = cat::kMaxTitleLength}));
  PLAZA_ASSIGN_OR_RETURN(auto description, reader.OptionalString("description_html", kHtml));
  input.description_html = description.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto vendor, reader.OptionalString("vendor", kShort));
  input.vendor = vendor.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto product_type, reader.OptionalString("product_type", kShort));
  input.product_type = product_type.value_or("");
  PLAZA_ASSIGN_OR_RETURN(input.tags, OptionalStrings(reader, "tags", cat::kMaxTagsPerProduct));
  PLAZA_ASSIGN_OR_RETURN(auto condition_name, reader.OptionalString("condition", {.max_length = 16}));
  if (condition_name) {
    const auto condition = cat::ParseCondition(*condition_name);
    if (!condition) {
      return Error::Invalid("catalog/unknown-condition", "condition must be new, refurbished or used",
                            reader.PointerTo("condition"));
    }
    input.condition = *condition;
  }
  PLAZA_ASSIGN_OR_RETURN(auto category, reader.OptionalString("google_product_category", kShort));
  input.google_product_category = category.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto seo_title, reader.OptionalString("seo_title", kShort));
  input.seo_title = seo_title.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto seo_description, reader.OptionalString("seo_description", kShort));
  input.seo_description = seo_description.value_or("");
  PLAZA_ASSIGN_OR_RETURN(input.status, ReadStatus(reader, /*required=*/false));
  PLAZA_ASSIGN_OR_RETURN(input.channels, ReadChannels(reader, /*required=*/false));
  PLAZA_ASSIGN_OR_RETURN(input.option_names, OptionalStrings(reader, "option_names", cat::kMaxOptions));
  PLAZA_ASSIGN_OR_RETURN(const auto* variants, OptionalArray(reader, "variants", cat::kMaxVariantsPerProduct));
  if (variants != nullptr) {
    for (std::size_t i = 0; i < variants->size(); ++i) {
      PLAZA_ASSIGN_OR_RETURN(JsonReader item, ElementReader(reader, "variants", *variants, i));
      PLAZA_ASSIGN_OR_RETURN(auto variant, ReadVariant(item));
      input.variants.push_back(std::move(variant));
    }
  }
  PLAZA_ASSIGN_OR_RETURN(const auto* media, OptionalArray(reader, "media", cat::kMaxMediaPerProduct));
  if (media != nullptr) {
    for (std::size_t i = 0; i < media->size(); ++i) {
      PLAZA_ASSIGN_OR_RETURN(JsonReader item, ElementReader(reader, "media", *media, i));
      PLAZA_TRY(item.AllowOnly({"url", "alt"}));
      cat::MediaInput entry;
      PLAZA_ASSIGN_OR_RETURN(entry.url, item.RequiredString("url", {.min_length = 1, .max_length = 2048}));
      PLAZA_ASSIGN_OR_RETURN(auto alt, item.OptionalString("alt", kShort));
      entry.alt = alt.value_or("");
      input.media.push_back(std::move(entry));
    }
  }
  PLAZA_ASSIGN_OR_RETURN(input.attributes, ReadAttributes(reader));
  return input;
}

Result<cat::CollectionInput> ReadCollection(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly(
      {"handle", "title", "description_html", "rule_based", "match_all", "rules", "product_ids", "published"}));
  cat::CollectionInput input;
  PLAZA_ASSIGN_OR_RETURN(auto handle, reader.OptionalString("handle", kHandle));
  input.handle = handle.value_or("");
  PLAZA_ASSIGN_OR_RETURN(input.title,
                         reader.RequiredString("title", {.min_length = 1, .max_length = cat::kMaxTitleLength}));
  PLAZA_ASSIGN_OR_RETURN(auto description, reader.OptionalString("description_html", kHtml));
  input.description_html = description.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto rule_based, reader.OptionalBool("rule_based"));
  input.rule_based = rule_based.value_or(false);
  PLAZA_ASSIGN_OR_RETURN(auto match_all, reader.OptionalBool("match_all"));
  input.match_all = match_all.value_or(true);
  PLAZA_ASSIGN_OR_RETURN(auto published, reader.OptionalBool("published"));
  input.published = published.value_or(true);
  PLAZA_ASSIGN_OR_RETURN(const auto* rules, OptionalArray(reader, "rules", cat::kMaxRulesPerCollection));
  if (rules != nullptr) {
    for (std::size_t i = 0; i < rules->size(); ++i) {
      PLAZA_ASSIGN_OR_RETURN(JsonReader item, ElementReader(reader, "rules", *rules, i));
      PLAZA_TRY(item.AllowOnly({"field", "relation", "value"}));
      PLAZA_ASSIGN_OR_RETURN(auto field_name, item.RequiredString("field", {.max_length = 32}));
      PLAZA_ASSIGN_OR_RETURN(auto relation_name, item.RequiredString("relation", {.max_length = 32}));
      const auto field = cat::ParseRuleField(field_name);
      if (!field) return Error::Invalid("catalog/invalid-rule", "unknown rule field", item.PointerTo("field"));
      const auto relation = cat::ParseRuleRelation(relation_name);
      if (!relation) return Error::Invalid("catalog/invalid-rule", "unknown rule relation", item.PointerTo("relation"));
      PLAZA_ASSIGN_OR_RETURN(auto value,
                             item.RequiredString("value", {.min_length = 1, .max_length = cat::kMaxShortTextLength}));
      input.rules.push_back({.field = *field, .relation = *relation, .value = std::move(value)});
    }
  }
  PLAZA_ASSIGN_OR_RETURN(const auto* products,
                         OptionalArray(reader, "product_ids", cat::kMaxProductsPerManualCollection));
  if (products != nullptr) {
    for (std::size_t i = 0; i < products->size(); ++i) {
      const auto* id = (*products)[i].if_int64();
      if (id == nullptr || *id <= 0) {
        return Error::Invalid("validation/type", "expected a product id",
                              reader.PointerTo("product_ids") + "/" + std::to_string(i));
      }
      input.product_ids.push_back(*id);
    }
  }
  return input;
}

Result<cat::AttributeDefinition> ReadDefinition(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"owner", "key", "name", "type", "required"}));
  cat::AttributeDefinition definition;
  PLAZA_ASSIGN_OR_RETURN(auto owner_name, reader.OptionalString("owner", {.max_length = 16}));
  if (owner_name) {
    const auto owner = cat::ParseAttributeOwner(*owner_name);
    if (!owner) return Error::Invalid("catalog/invalid-attribute", "owner must be product or variant", "/owner");
    definition.owner = *owner;
  }
  PLAZA_ASSIGN_OR_RETURN(definition.key, reader.RequiredString("key", {.min_length = 1, .max_length = 64}));
  PLAZA_ASSIGN_OR_RETURN(definition.name, reader.RequiredString("name", {.min_length = 1, .max_length = 255}));
  PLAZA_ASSIGN_OR_RETURN(auto type_name, reader.RequiredString("type", {.max_length = 32}));
  const auto type = cat::ParseAttributeType(type_name);
  if (!type) return Error::Invalid("catalog/invalid-attribute", "unknown attribute type", "/type");
  definition.type = *type;
  PLAZA_ASSIGN_OR_RETURN(auto required, reader.OptionalBool("required"));
  definition.required = required.value_or(false);
  return definition;
}

// ---- query parameters ----

Result<std::optional<std::int64_t>> IntQuery(const Request& request, std::string_view name, std::int64_t min,
                                             std::int64_t max) {
  const auto text = request.Query(name);
  if (!text) return std::optional<std::int64_t>();
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    return Error::Invalid(
        "validation/range",
        std::string(name) + " must be an integer between " + std::to_string(min) + " and " + std::to_string(max),
        std::string(name));
  }
  return std::optional<std::int64_t>(value);
}

Result<int> LimitQuery(const Request& request, int fallback) {
  PLAZA_ASSIGN_OR_RETURN(auto limit, IntQuery(request, "limit", 1, cat::kMaxPageSize));
  return limit ? static_cast<int>(*limit) : fallback;
}

Result<bool> BoolQuery(const Request& request, std::string_view name) {
  const auto text = request.Query(name);
  if (!text || *text == "false" || *text == "0") return false;
  if (*text == "true" || *text == "1" || text->empty()) return true;
  return Error::Invalid("validation/type", std::string(name) + " must be true or false", std::string(name));
}

std::string QueryText(const Request& request, std::string_view name) {
  const auto text = request.Query(name);
  return text ? std::string(*text) : std::string();
}

// ---- storefront annotation ----

// ---- storefront encoding and cache ----
//
// A storefront answer is the catalog part of each product, which changes only with a
// catalog write, plus each variant's price and stock, which change any time. The
// catalog part is serialised once per catalog version (cat::CatalogVersion) and kept;
// prices and stock are read on every request for the variants shown, in the same read
// transaction as the version, so a cached answer is never staler than the database.

// A product as a shopper sees it, serialised without price and stock: `head` is the
// object without "variants" and without its closing brace, each variant likewise.
struct StorefrontFragment {
  std::string head;
  std::vector<std::pair<std::int64_t, std::string>> variants;  // id, object without its closing brace
};
using FragmentPtr = std::shared_ptr<const StorefrontFragment>;

struct CachedProducts {
  std::int64_t version = 0;
  std::vector<FragmentPtr> products;
  std::string next_cursor;
};
using CachedProductsPtr = std::shared_ptr<const CachedProducts>;

std::string WithoutClosingBrace(const boost::json::object& object) {
  std::string text = boost::json::serialize(object);
  text.pop_back();
  return text;
}

FragmentPtr MakeFragment(const cat::Product& product) {
  boost::json::object encoded = EncodeProduct(product);
  encoded.erase("channels");
  encoded.erase("status");
  encoded.erase("collection_ids");
  encoded.erase("variants");
  auto fragment = std::make_shared<StorefrontFragment>();
  fragment->head = WithoutClosingBrace(encoded);
  fragment->variants.reserve(product.variants.size());
  for (const cat::Variant& variant : product.variants) {
    fragment->variants.emplace_back(variant.id, WithoutClosingBrace(EncodeVariant(variant)));
  }
  return fragment;
}

// Catalog parts of storefront answers by shop, route key and catalog version. An entry
// of an older version is replaced on its next use; the whole map is dropped when it
// reaches kMaxEntries, which bounds memory without bookkeeping per hit.
class StorefrontCache {
 public:
  static constexpr std::size_t kMaxEntries = 20'000;

  CachedProductsPtr Find(std::int64_t shop_id, const std::string& key, std::int64_t version) const {
    std::lock_guard lock(mutex_);
    const auto found = entries_.find(Key(shop_id, key));
    if (found == entries_.end() || found->second->version != version) return nullptr;
    return found->second;
  }

  void Store(std::int64_t shop_id, const std::string& key, CachedProductsPtr entry) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_[Key(shop_id, key)] = std::move(entry);
  }

 private:
  static std::string Key(std::int64_t shop_id, const std::string& key) { return std::to_string(shop_id) + '/' + key; }

  mutable std::mutex mutex_;
  std::unordered_map<std::string, CachedProductsPtr> entries_;
};

using Annotations = cat::OnlineStoreOffers;

std::vector<std::int64_t> VariantIds(std::span<const FragmentPtr> products) {
  std::vector<std::int64_t> ids;
  for (const FragmentPtr& product : products) {
    for (const auto& [id, text] : product->variants) ids.push_back(id);
  }
  return ids;
}

// Prices in `market` and availability of `variant_ids`, inside the caller's transaction.
Result<Annotations> Annotate(store::Transaction& tx, const ApiServices& services, std::int64_t shop_id,
                             const std::optional<pricing::Market>& market, std::span<const std::int64_t> variant_ids) {
  return cat::LoadOnlineStoreOffers(tx, services.inventory, shop_id,
                                    market ? std::optional<std::int64_t>(market->id) : std::nullopt,
                                    services.clock.Now(), variant_ids);
}

void AppendMoney(std::string& out, const std::optional<Money>& money) {
  if (!money) {
    out += "null";
    return;
  }
  auto currency = FindCurrency(money->currency);
  out += "{\"amount\":";
  out += std::to_string(money->minor);
  out += ",\"currency\":";
  out += boost::json::serialize(boost::json::string(money->currency));
  out += ",\"decimal\":\"";
  out += currency.ok() ? FormatDecimalAmount(money->minor, *currency) : std::to_string(money->minor);
  out += "\"}";
}

// What a shopper sees of a product: no SEO internals, no other channels, plus price and
// availability per variant.
void AppendStorefrontProduct(std::string& out, const StorefrontFragment& product, const Annotations& annotations) {
  out += product.head;
  out += ",\"variants\":[";
  bool first = true;
  for (const auto& [id, text] : product.variants) {
    if (!first) out += ',';
    first = false;
    out += text;
    const auto price = annotations.prices.find(id);
    if (price == annotations.prices.end()) {
      out += ",\"price\":null,\"compare_at\":null,\"on_sale\":false";
    } else {
      out += ",\"price\":";
      AppendMoney(out, price->second.price);
      out += ",\"compare_at\":";
      AppendMoney(out, price->second.compare_at);
      out += price->second.on_sale ? ",\"on_sale\":true" : ",\"on_sale\":false";
    }
    const auto stock = annotations.availability.find(id);
    out += ",\"availability\":\"";
    out += stock == annotations.availability.end() ? "out_of_stock" : inventory::StockStateName(stock->second.state);
    out += "\",\"available\":";
    out += std::to_string(stock == annotations.availability.end() ? 0 : stock->second.available);
    out += '}';
  }
  out += "]}";
}

// "[product,…]" with prices and stock.
std::string StorefrontProductsJson(std::span<const FragmentPtr> products, const Annotations& annotations) {
  std::string out;
  std::size_t size = 2;
  for (const FragmentPtr& product : products) {
    size += product->head.size() + 16;
    for (const auto& [id, text] : product->variants) size += text.size() + 256;
  }
  out.reserve(size);
  out += '[';
  for (std::size_t i = 0; i < products.size(); ++i) {
    if (i > 0) out += ',';
    AppendStorefrontProduct(out, *products[i], annotations);
  }
  out += ']';
  return out;
}

Response JsonText(std::string body) {
  Response response;
  response.headers.Set("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

std::string JsonString(std::string_view text) {
  return boost::json::serialize(boost::json::string(text));
}

// The market's whole price list, read in pages: the export's Variant Price column.
Result<std::vector<cat::VariantPriceAnnotation>> MarketPriceList(const ApiServices& services, std::int64_t shop_id,
                                                                 const pricing::Market& market) {
  std::vector<cat::VariantPriceAnnotation> out;
  const TimePoint now = services.clock.Now();
  std::int64_t after = 0;
  for (;;) {
    PLAZA_ASSIGN_OR_RETURN(auto page, services.pricing.ListPrices(shop_id, market.id, after,
                                                                  static_cast<int>(pricing::kMaxVariantsPerRequest)));
    for (const pricing::VariantPrice& price : page) {
      const pricing::EffectivePrice effective = pricing::EffectivePriceAt(price, market.prices_include_tax, now);
      out.push_back({.variant_id = price.variant_id, .amount = effective.price.minor});
    }
    if (page.size() < pricing::kMaxVariantsPerRequest) break;
    after = page.back().variant_id;
  }
  return out;
}

// ?country, the storefront's usual way to name a market, is resolved inside the page's
// read transaction; ?market and the default market are read through the service first.
struct MarketChoice {
  bool resolved = false;
  std::optional<pricing::Market> market;
};

Result<MarketChoice> MarketBeforeRead(const ApiServices& services, const Request& request) {
  if (request.Query("market") || !request.Query("country")) {
    PLAZA_ASSIGN_OR_RETURN(auto market, StorefrontMarket(services, request));
    return MarketChoice{true, std::move(market)};
  }
  return MarketChoice{};
}

Result<std::optional<pricing::Market>> MarketInRead(store::Transaction& tx, std::int64_t shop_id,
                                                    const Request& request, const MarketChoice& choice) {
  if (choice.resolved) return choice.market;
  auto market = pricing::MarketForCountry(tx, shop_id, *request.Query("country"));
  if (!market.ok()) {
    if (market.error().code == ErrorCode::kNotFound) return std::optional<pricing::Market>();
    Error error = market.error();
    error.field = "country";
    return error;
  }
  return std::optional<pricing::Market>(std::move(market).value());
}

// The catalog part of a storefront answer under `key`, from the cache when it holds the
// shop's current catalog version, else from `load` (a cat::ProductPage in `tx`). The
// version is read before the rows, so an entry never carries rows older than its version.
template <typename Load>
Result<CachedProductsPtr> CachedProductsFor(store::Transaction& tx, StorefrontCache& cache, std::int64_t shop_id,
                                            const std::string& key, Load&& load) {
  PLAZA_ASSIGN_OR_RETURN(const std::int64_t version, cat::CatalogVersion(tx, shop_id));
  if (CachedProductsPtr hit = cache.Find(shop_id, key, version)) return hit;
  PLAZA_ASSIGN_OR_RETURN(cat::ProductPage page, load());
  auto entry = std::make_shared<CachedProducts>();
  entry->version = version;
  entry->next_cursor = std::move(page.next_cursor);
  entry->products.reserve(page.products.size());
  for (const cat::Product& product : page.products) entry->products.push_back(MakeFragment(product));
  cache.Store(shop_id, key, entry);
  return CachedProductsPtr(std::move(entry));
}

// A list answer: {"products":[…],"next_cursor":…} plus `extra` members (each starting with ',').
Result<Response> StorefrontPage(store::Transaction& tx, const ApiServices& services, std::int64_t shop_id,
                                const std::optional<pricing::Market>& market, const CachedProducts& page,
                                std::string_view extra_members) {
  const std::vector<std::int64_t> variant_ids = VariantIds(page.products);
  PLAZA_ASSIGN_OR_RETURN(Annotations annotations, Annotate(tx, services, shop_id, market, variant_ids));
  std::string body = "{\"products\":";
  body += StorefrontProductsJson(page.products, annotations);
  body += ",\"next_cursor\":";
  body += page.next_cursor.empty() ? "null" : JsonString(page.next_cursor);
  body += extra_members;
  body += '}';
  return JsonText(std::move(body));
}

Result<Response> StorefrontList(const ApiServices& services, StorefrontCache& cache, const Request& request,
                                std::optional<std::int64_t> collection_id, std::string_view extra_members) {
  const std::int64_t shop_id = ShopOf(request);
  cat::ProductListQuery query{
      .channel = cat::Channel::kOnlineStore, .collection_id = collection_id, .cursor = QueryText(request, "cursor")};
  PLAZA_ASSIGN_OR_RETURN(query.limit, LimitQuery(request, 24));
  PLAZA_ASSIGN_OR_RETURN(MarketChoice choice, MarketBeforeRead(services, request));
  const std::string key = "list/" + (collection_id ? std::to_string(*collection_id) : std::string()) + "/" +
                          std::to_string(query.limit) + "/" + query.cursor;
  return services.db.Read([&](store::Transaction& tx) -> Result<Response> {
    PLAZA_ASSIGN_OR_RETURN(auto market, MarketInRead(tx, shop_id, request, choice));
    PLAZA_ASSIGN_OR_RETURN(CachedProductsPtr page, CachedProductsFor(tx, cache, shop_id, key, [&] {
                             return cat::ListProducts(tx, shop_id, query);
                           }));
    return StorefrontPage(tx, services, shop_id, market, *page, extra_members);
  });
}

Result<Response> StorefrontProduct(const ApiServices& services, StorefrontCache& cache, const Request& request) {
  const std::int64_t shop_id = ShopOf(request);
  const std::string handle(request.PathParam("handle"));
  PLAZA_ASSIGN_OR_RETURN(MarketChoice choice, MarketBeforeRead(services, request));
  return services.db.Read([&](store::Transaction& tx) -> Result<Response> {
    PLAZA_ASSIGN_OR_RETURN(auto market, MarketInRead(tx, shop_id, request, choice));
    // Unknown and hidden handles are cached too (as no product): a catalog write that
    // could reveal one raises the version.
    PLAZA_ASSIGN_OR_RETURN(
        CachedProductsPtr found,
        CachedProductsFor(tx, cache, shop_id, "product/" + handle, [&]() -> Result<cat::ProductPage> {
          cat::ProductPage page;
          auto product = cat::GetProductByHandle(tx, shop_id, handle);
          if (!product.ok() && product.error().code != ErrorCode::kNotFound) return product.error();
          if (product.ok() && cat::IsVisibleOn(*product, cat::Channel::kOnlineStore)) {
            page.products.push_back(std::move(product).value());
          }
          return page;
        }));
    if (found->products.empty()) return Error::NotFound("no such product");
    PLAZA_ASSIGN_OR_RETURN(Annotations annotations,
                           Annotate(tx, services, shop_id, market, VariantIds(found->products)));
    std::string body;
    AppendStorefrontProduct(body, *found->products.front(), annotations);
    return JsonText(std::move(body));
  });
}

boost::json::array EncodeFacetValues(const std::vector<cat::FacetValue>& values) {
  boost::json::array out;
  for (const cat::FacetValue& value : values) out.push_back({{"value", value.value}, {"count", value.count}});
  return out;
}

boost::json::object EncodeFacets(const cat::Facets& facets) {
  boost::json::array options;
  for (const cat::OptionFacet& option : facets.options) {
    options.push_back({{"name", option.name}, {"values", EncodeFacetValues(option.values)}});
  }
  return {{"vendors", EncodeFacetValues(facets.vendors)},
          {"product_types", EncodeFacetValues(facets.product_types)},
          {"collections", EncodeFacetValues(facets.collections)},
          {"options", std::move(options)},
          {"min_price", facets.min_price ? boost::json::value(*facets.min_price) : boost::json::value(nullptr)},
          {"max_price", facets.max_price ? boost::json::value(*facets.max_price) : boost::json::value(nullptr)},
          {"in_stock", facets.in_stock},
          {"truncated", facets.truncated}};
}

// Comma-separated values of a query parameter ("tag=a,b").
std::vector<std::string> ListQuery(const Request& request, std::string_view name) {
  std::vector<std::string> out;
  const std::string text = QueryText(request, name);
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Result<Response> StorefrontSearch(const ApiServices& services, StorefrontCache& cache, const Request& request) {
  const std::int64_t shop_id = ShopOf(request);
  PLAZA_ASSIGN_OR_RETURN(auto market, StorefrontMarket(services, request));
  cat::SearchQuery query;
  query.annotate =
      cat::OnlineStoreAnnotator(services.inventory, shop_id,
                                market ? std::optional<std::int64_t>(market->id) : std::nullopt, services.clock.Now());
  query.text = QueryText(request, "q");
  query.channel = cat::Channel::kOnlineStore;
  query.vendors = ListQuery(request, "vendor");
  query.product_types = ListQuery(request, "product_type");
  query.tags = ListQuery(request, "tag");
  // "option=Size:M,Color:Blue"
  for (const std::string& pair : ListQuery(request, "option")) {
    const std::size_t colon = pair.find(':');
    if (colon == std::string::npos) {
      return Error::Invalid("validation/format", "option filters are Name:Value", "option");
    }
    query.option_values.emplace_back(pair.substr(0, colon), pair.substr(colon + 1));
  }
  if (const auto handle = request.Query("collection")) {
    auto collection = services.catalog.GetCollectionByHandle(shop_id, *handle);
    if (!collection.ok() || !collection->published) {
      return Error::NotFound("no such collection");
    }
    query.collection_id = collection->id;
  }
  PLAZA_ASSIGN_OR_RETURN(query.min_price, IntQuery(request, "min_price", 0, INT64_MAX));
  PLAZA_ASSIGN_OR_RETURN(query.max_price, IntQuery(request, "max_price", 0, INT64_MAX));
  PLAZA_ASSIGN_OR_RETURN(query.in_stock_only, BoolQuery(request, "in_stock"));
  PLAZA_ASSIGN_OR_RETURN(auto offset, IntQuery(request, "offset", 0, cat::kMaxSearchOffset));
  query.offset = static_cast<int>(offset.value_or(0));
  PLAZA_ASSIGN_OR_RETURN(query.limit, LimitQuery(request, 24));
  PLAZA_ASSIGN_OR_RETURN(cat::SearchResult result, services.catalog.Search(shop_id, query));

  return services.db.Read([&](store::Transaction& tx) -> Result<Response> {
    PLAZA_ASSIGN_OR_RETURN(const std::int64_t version, cat::CatalogVersion(tx, shop_id));
    std::vector<FragmentPtr> products(result.hits.size());
    std::vector<std::int64_t> missing;
    for (std::size_t i = 0; i < result.hits.size(); ++i) {
      const CachedProductsPtr hit = cache.Find(shop_id, "id/" + std::to_string(result.hits[i].product_id), version);
      if (hit && !hit->products.empty()) {
        products[i] = hit->products.front();
      } else {
        missing.push_back(result.hits[i].product_id);
      }
    }
    if (!missing.empty()) {
      PLAZA_ASSIGN_OR_RETURN(auto loaded, cat::GetProducts(tx, shop_id, missing));
      for (const cat::Product& product : loaded) {
        auto entry = std::make_shared<CachedProducts>();
        entry->version = version;
        entry->products.push_back(MakeFragment(product));
        for (std::size_t i = 0; i < result.hits.size(); ++i) {
          if (result.hits[i].product_id == product.id) products[i] = entry->products.front();
        }
        cache.Store(shop_id, "id/" + std::to_string(product.id), std::move(entry));
      }
    }
    // A hit deleted between the search and this read is left out.
    std::erase(products, nullptr);
    PLAZA_ASSIGN_OR_RETURN(Annotations annotations, Annotate(tx, services, shop_id, market, VariantIds(products)));
    std::string body = "{\"total\":" + std::to_string(result.total);
    body += ",\"products\":";
    body += StorefrontProductsJson(products, annotations);
    body += ",\"facets\":";
    body += boost::json::serialize(EncodeFacets(result.facets));
    body += ",\"currency\":";
    body += market ? JsonString(market->currency) : std::string("null");
    body += '}';
    return JsonText(std::move(body));
  });
}

// ---- admin routes ----

Result<cat::ProductListQuery> ListQueryFrom(const Request& request) {
  cat::ProductListQuery query;
  if (const auto status = request.Query("status")) {
    query.status = cat::ParseStatus(*status);
    if (!query.status) return Error::Invalid("catalog/unknown-status", "unknown status", "status");
  }
  if (const auto channel = request.Query("channel")) {
    query.channel = cat::ParseChannel(*channel);
    if (!query.channel) return Error::Invalid("catalog/unknown-channel", "unknown channel", "channel");
  }
  PLAZA_ASSIGN_OR_RETURN(query.collection_id, IntQuery(request, "collection_id", 1, INT64_MAX));
  query.cursor = QueryText(request, "cursor");
  PLAZA_ASSIGN_OR_RETURN(query.limit, LimitQuery(request, 50));
  return query;
}

Response PageResponse(const cat::ProductPage& page, boost::json::array products) {
  return Response::Json(
      {{"products", std::move(products)},
       {"next_cursor", page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor)}});
}

void RegisterProductRoutes(http::RouteGroup& admin, const ApiServices& services) {
  admin.Get("/products", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(auto query, ListQueryFrom(request));
              PLAZA_ASSIGN_OR_RETURN(auto page, services.catalog.ListProducts(ShopOf(request), query));
              boost::json::array products;
              for (const cat::Product& product : page.products) products.push_back(EncodeProduct(product));
              return PageResponse(page, std::move(products));
            }));
  admin.Post("/products", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(auto input, ReadProduct(request));
               PLAZA_ASSIGN_OR_RETURN(auto product, services.catalog.CreateProduct(ShopOf(request), input));
               return Response::Json(EncodeProduct(product), 201);
             }));
  admin.Get("/products/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto product, services.catalog.GetProduct(ShopOf(request), id));
              return Response::Json(EncodeProduct(product));
            }));
  admin.Put("/products/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayWrite(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_TRY(services.catalog.GetProduct(ShopOf(request), id));
              PLAZA_ASSIGN_OR_RETURN(auto input, ReadProduct(request));
              PLAZA_ASSIGN_OR_RETURN(auto product, services.catalog.UpdateProduct(ShopOf(request), id, input));
              return Response::Json(EncodeProduct(product));
            }));
  admin.Delete("/products/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayWrite(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.catalog.DeleteProduct(ShopOf(request), id));
                 return Response::NoContent();
               }));
  admin.Put("/products/{id}/status", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayWrite(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_TRY(services.catalog.GetProduct(ShopOf(request), id));
              PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
              JsonReader reader(body);
              PLAZA_TRY(reader.AllowOnly({"status"}));
              PLAZA_ASSIGN_OR_RETURN(auto status, ReadStatus(reader, /*required=*/true));
              PLAZA_ASSIGN_OR_RETURN(auto product, services.catalog.SetStatus(ShopOf(request), id, status));
              return Response::Json(EncodeProduct(product));
            }));
  admin.Put("/products/{id}/channels", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayWrite(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_TRY(services.catalog.GetProduct(ShopOf(request), id));
              PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
              JsonReader reader(body);
              PLAZA_TRY(reader.AllowOnly({"channels"}));
              PLAZA_ASSIGN_OR_RETURN(auto channels, ReadChannels(reader, /*required=*/true));
              PLAZA_ASSIGN_OR_RETURN(auto product,
                                     services.catalog.SetChannels(ShopOf(request), id, std::move(channels)));
              return Response::Json(EncodeProduct(product));
            }));
}

void RegisterCollectionRoutes(http::RouteGroup& admin, const ApiServices& services) {
  admin.Get("/collections", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(auto collections, services.catalog.ListCollections(ShopOf(request)));
              boost::json::array out;
              for (const cat::Collection& collection : collections) out.push_back(EncodeCollection(collection));
              return Response::Json({{"collections", std::move(out)}});
            }));
  admin.Post("/collections", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(auto input, ReadCollection(request));
               PLAZA_ASSIGN_OR_RETURN(auto collection, services.catalog.CreateCollection(ShopOf(request), input));
               return Response::Json(EncodeCollection(collection), 201);
             }));
  admin.Get("/collections/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto collection, services.catalog.GetCollection(ShopOf(request), id));
              return Response::Json(EncodeCollection(collection));
            }));
  admin.Put("/collections/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayWrite(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_TRY(services.catalog.GetCollection(ShopOf(request), id));
              PLAZA_ASSIGN_OR_RETURN(auto input, ReadCollection(request));
              PLAZA_ASSIGN_OR_RETURN(auto collection, services.catalog.UpdateCollection(ShopOf(request), id, input));
              return Response::Json(EncodeCollection(collection));
            }));
  admin.Delete("/collections/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayWrite(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.catalog.DeleteCollection(ShopOf(request), id));
                 return Response::NoContent();
               }));
}

void RegisterAttributeRoutes(http::RouteGroup& admin, const ApiServices& services) {
  admin.Get("/attributes", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              PLAZA_ASSIGN_OR_RETURN(auto definitions, services.catalog.ListAttributes(ShopOf(request)));
              boost::json::array out;
              for (const cat::AttributeDefinition& definition : definitions)
                out.push_back(EncodeDefinition(definition));
              return Response::Json({{"attributes", std::move(out)}});
            }));
  admin.Post("/attributes", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayWrite(request));
               PLAZA_ASSIGN_OR_RETURN(auto definition, ReadDefinition(request));
               PLAZA_ASSIGN_OR_RETURN(auto created, services.catalog.DefineAttribute(ShopOf(request), definition));
               return Response::Json(EncodeDefinition(created), 201);
             }));
  admin.Delete("/attributes/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayWrite(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.catalog.DeleteAttribute(ShopOf(request), id));
                 return Response::NoContent();
               }));
}

void RegisterImportRoutes(http::RouteGroup& admin, const ApiServices& services) {
  admin.Post(
      "/catalog/import", Handle([&services](Request& request) -> Result<Response> {
        PLAZA_TRY(MayWrite(request));
        const auto type = request.Header("Content-Type");
        if (!type || !type->starts_with("text/csv")) {
          return Error::Invalid("http/unsupported-media-type", "the body must be text/csv");
        }
        const std::int64_t shop_id = ShopOf(request);
        PLAZA_ASSIGN_OR_RETURN(bool dry_run, BoolQuery(request, "dry_run"));
        PLAZA_ASSIGN_OR_RETURN(auto location_id, IntQuery(request, "location_id", 1, INT64_MAX));
        if (location_id) PLAZA_TRY(services.inventory.GetLocation(shop_id, *location_id));
        PLAZA_ASSIGN_OR_RETURN(auto market, DefaultMarket(services, shop_id));
        cat::ImportOptions options{.dry_run = dry_run};
        std::optional<catalog::CatalogImportSink> sink;
        if (market) {
          options.currency = market->currency;
          sink.emplace(services.pricing, services.inventory, market->id, location_id, Caller(request).ActorLabel());
        }
        PLAZA_ASSIGN_OR_RETURN(
            auto result, services.catalog.ImportShopifyCsv(shop_id, request.body, options, sink ? &*sink : nullptr));
        return Response::Json(EncodeImport(result, dry_run));
      }));
  admin.Get("/catalog/export", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayRead(request));
              const std::int64_t shop_id = ShopOf(request);
              PLAZA_ASSIGN_OR_RETURN(auto market, DefaultMarket(services, shop_id));
              std::vector<cat::VariantPriceAnnotation> prices;
              std::string currency = "USD";
              if (market) {
                currency = market->currency;
                PLAZA_ASSIGN_OR_RETURN(prices, MarketPriceList(services, shop_id, *market));
              }
              PLAZA_ASSIGN_OR_RETURN(std::string csv, services.catalog.ExportShopifyCsv(shop_id, prices, currency));
              Response response = Response::Text(std::move(csv));
              response.headers.Set("Content-Type", "text/csv; charset=utf-8");
              response.headers.Set("Content-Disposition", "attachment; filename=\"products.csv\"");
              return response;
            }));
}

}  // namespace

void RegisterCatalogRoutes(http::RouteGroup admin, const ApiServices& services) {
  RegisterProductRoutes(admin, services);
  RegisterCollectionRoutes(admin, services);
  RegisterAttributeRoutes(admin, services);
  RegisterImportRoutes(admin, services);
}

void RegisterCatalogStorefrontRoutes(http::RouteGroup shop, const ApiServices& services) {
  // One cache per registration, shared by the handlers; the routes outlive requests.
  auto cache = std::make_shared<StorefrontCache>();
  shop.Get("/storefront/products", Handle([&services, cache](Request& request) -> Result<Response> {
             return StorefrontList(services, *cache, request, std::nullopt, {});
           }));
  shop.Get("/storefront/products/{handle}", Handle([&services, cache](Request& request) -> Result<Response> {
             return StorefrontProduct(services, *cache, request);
           }));
  shop.Get("/storefront/collections/{handle}", Handle([&services, cache](Request& request) -> Result<Response> {
             const std::string handle(request.PathParam("handle"));
             auto collection = services.catalog.GetCollectionByHandle(ShopOf(request), handle);
             if (!collection.ok() || !collection->published) {
               return Error::NotFound("no such collection");
             }
             const std::string extra = ",\"handle\":" + JsonString(collection->handle) +
                                       ",\"title\":" + JsonString(collection->title) +
                                       ",\"description_html\":" + JsonString(collection->description_html);
             return StorefrontList(services, *cache, request, collection->id, extra);
           }));
  shop.Get("/storefront/search", Handle([&services, cache](Request& request) -> Result<Response> {
             return StorefrontSearch(services, *cache, request);
           }));
}

}  // namespace plaza::api
