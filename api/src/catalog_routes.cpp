// Catalog: products, collections, attribute definitions and the Shopify CSV import and
// export (staff: catalog.read to read, catalog.write to change), and the public
// storefront reads. Storefront answers carry each variant's price in the chosen market
// (pricing) and its availability (inventory); the catalog itself stores neither. Routes
// naming an id load it first, so another shop's id answers 404 before the body is read.

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <vector>

#include "plaza/api/catalog_import_sink.h"
#include "plaza/catalog/catalog.h"
#include "plaza/core/money.h"
#include "plaza/http/json.h"
#include "plaza/inventory/inventory.h"
#include "plaza/pricing/pricing.h"
#include "routes.h"

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
constexpr http::StringLimits kTitle{.max_length = cat::kMaxTitleLength};
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

// The shop's default market: storefront prices when no market or country is named,
// imported prices, and the prices the export shows.
Result<std::optional<pricing::Market>> DefaultMarket(const ApiServices& services, std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(auto markets, services.pricing.ListMarkets(shop_id));
  for (pricing::Market& market : markets) {
    if (market.is_default) return std::optional<pricing::Market>(std::move(market));
  }
  return std::optional<pricing::Market>();
}

// The market a storefront request prices in: ?market=<handle>, else ?country=XX, else
// the shop's default. None when the shop has no market yet, so products show unpriced.
Result<std::optional<pricing::Market>> StorefrontMarket(const ApiServices& services, const Request& request) {
  const std::int64_t shop_id = ShopOf(request);
  if (const auto handle = request.Query("market")) {
    PLAZA_ASSIGN_OR_RETURN(auto markets, services.pricing.ListMarkets(shop_id));
    for (pricing::Market& market : markets) {
      if (market.handle == *handle) return std::optional<pricing::Market>(std::move(market));
    }
    return Error::NotFound("no market with this handle");
  }
  const auto country = request.Query("country");
  if (!country) return DefaultMarket(services, shop_id);
  auto market = services.pricing.MarketForCountry(shop_id, *country);
  if (!market.ok()) {
    if (market.error().code == ErrorCode::kNotFound) return std::optional<pricing::Market>();
    Error error = market.error();
    error.field = "country";
    return error;
  }
  return std::optional<pricing::Market>(std::move(market).value());
}

struct Annotations {
  std::map<std::int64_t, pricing::EffectivePrice> prices;
  std::map<std::int64_t, inventory::Availability> availability;
};

Result<Annotations> Annotate(const ApiServices& services, std::int64_t shop_id,
                             const std::optional<pricing::Market>& market,
                             const std::vector<std::int64_t>& variant_ids) {
  Annotations out;
  const TimePoint now = services.clock.Now();
  for (std::size_t start = 0; start < variant_ids.size(); start += pricing::kMaxVariantsPerRequest) {
    const std::span<const std::int64_t> batch(variant_ids.data() + start,
                                              std::min(pricing::kMaxVariantsPerRequest, variant_ids.size() - start));
    if (market) {
      PLAZA_ASSIGN_OR_RETURN(auto prices, services.db.Read([&](store::Transaction& tx) {
        return pricing::FindVariantPrices(tx, shop_id, market->id, batch, now);
      }));
      for (pricing::EffectivePrice& price : prices) out.prices.emplace(price.variant_id, std::move(price));
    }
    PLAZA_ASSIGN_OR_RETURN(auto availability,
                           services.inventory.GetAvailability(shop_id, batch, inventory::SalesChannel::kOnlineStore));
    for (inventory::Availability& entry : availability) out.availability.emplace(entry.variant_id, std::move(entry));
  }
  return out;
}

boost::json::value EncodeMoney(const std::optional<Money>& money) {
  if (!money) return nullptr;
  auto currency = FindCurrency(money->currency);
  return boost::json::object{
      {"amount", money->minor},
      {"currency", money->currency},
      {"decimal", currency.ok() ? FormatDecimalAmount(money->minor, *currency) : std::to_string(money->minor)}};
}

// What a shopper sees of a product: no SEO internals, no other channels, plus price and
// availability per variant.
boost::json::object EncodeStorefrontProduct(const cat::Product& product, const Annotations& annotations) {
  boost::json::object out = EncodeProduct(product);
  out.erase("channels");
  out.erase("status");
  out.erase("collection_ids");
  auto& variants = out["variants"].as_array();
  for (std::size_t i = 0; i < product.variants.size(); ++i) {
    auto& variant = variants[i].as_object();
    const std::int64_t id = product.variants[i].id;
    const auto price = annotations.prices.find(id);
    if (price == annotations.prices.end()) {
      variant["price"] = nullptr;
      variant["compare_at"] = nullptr;
      variant["on_sale"] = false;
    } else {
      variant["price"] = EncodeMoney(price->second.price);
      variant["compare_at"] = EncodeMoney(price->second.compare_at);
      variant["on_sale"] = price->second.on_sale;
    }
    const auto stock = annotations.availability.find(id);
    variant["availability"] =
        stock == annotations.availability.end() ? "out_of_stock" : inventory::StockStateName(stock->second.state);
    variant["available"] = stock == annotations.availability.end() ? 0 : stock->second.available;
  }
  return out;
}

Result<boost::json::array> EncodeStorefrontProducts(const ApiServices& services, const Request& request,
                                                    const std::vector<cat::Product>& products) {
  PLAZA_ASSIGN_OR_RETURN(auto market, StorefrontMarket(services, request));
  std::vector<std::int64_t> variant_ids;
  for (const cat::Product& product : products) {
    for (const cat::Variant& variant : product.variants) variant_ids.push_back(variant.id);
  }
  PLAZA_ASSIGN_OR_RETURN(Annotations annotations, Annotate(services, ShopOf(request), market, variant_ids));
  boost::json::array out;
  for (const cat::Product& product : products) out.push_back(EncodeStorefrontProduct(product, annotations));
  return out;
}

// Search needs price and stock for every priced variant of the market, not just the hits,
// so filters and facets see the whole catalog: the market's price list is read in pages.
Result<cat::SearchQuery> SearchAnnotations(const ApiServices& services, std::int64_t shop_id,
                                           const std::optional<pricing::Market>& market) {
  cat::SearchQuery query;
  if (!market) return query;
  const TimePoint now = services.clock.Now();
  std::vector<std::int64_t> priced;
  std::int64_t after = 0;
  for (;;) {
    PLAZA_ASSIGN_OR_RETURN(auto page, services.pricing.ListPrices(shop_id, market->id, after,
                                                                  static_cast<int>(pricing::kMaxVariantsPerRequest)));
    for (const pricing::VariantPrice& price : page) {
      const pricing::EffectivePrice effective = pricing::EffectivePriceAt(price, market->prices_include_tax, now);
      query.variant_prices.push_back({.variant_id = price.variant_id, .amount = effective.price.minor});
      priced.push_back(price.variant_id);
    }
    if (page.size() < pricing::kMaxVariantsPerRequest) break;
    after = page.back().variant_id;
  }
  std::vector<std::int64_t> in_stock;
  for (std::size_t start = 0; start < priced.size(); start += inventory::kMaxAvailabilityBatch) {
    const std::span<const std::int64_t> batch(priced.data() + start,
                                              std::min(inventory::kMaxAvailabilityBatch, priced.size() - start));
    PLAZA_ASSIGN_OR_RETURN(auto availability,
                           services.inventory.GetAvailability(shop_id, batch, inventory::SalesChannel::kOnlineStore));
    for (const inventory::Availability& entry : availability) {
      if (entry.state != inventory::StockState::kOutOfStock) in_stock.push_back(entry.variant_id);
    }
  }
  query.in_stock_variant_ids = std::move(in_stock);
  return query;
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

Result<Response> StorefrontSearch(const ApiServices& services, const Request& request) {
  const std::int64_t shop_id = ShopOf(request);
  PLAZA_ASSIGN_OR_RETURN(auto market, StorefrontMarket(services, request));
  PLAZA_ASSIGN_OR_RETURN(cat::SearchQuery query, SearchAnnotations(services, shop_id, market));
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

  std::vector<std::int64_t> ids;
  for (const cat::SearchHit& hit : result.hits) ids.push_back(hit.product_id);
  PLAZA_ASSIGN_OR_RETURN(auto products,
                         services.db.Read([&](store::Transaction& tx) { return cat::GetProducts(tx, shop_id, ids); }));
  PLAZA_ASSIGN_OR_RETURN(boost::json::array encoded, EncodeStorefrontProducts(services, request, products));
  boost::json::object out{
      {"total", result.total}, {"products", std::move(encoded)}, {"facets", EncodeFacets(result.facets)}};
  out["currency"] = market ? boost::json::value(market->currency) : boost::json::value(nullptr);
  return Response::Json(out);
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
        std::optional<CatalogImportSink> sink;
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
                PLAZA_ASSIGN_OR_RETURN(cat::SearchQuery annotated, SearchAnnotations(services, shop_id, market));
                prices = std::move(annotated.variant_prices);
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
  shop.Get("/storefront/products", Handle([&services](Request& request) -> Result<Response> {
             cat::ProductListQuery query{.channel = cat::Channel::kOnlineStore, .cursor = QueryText(request, "cursor")};
             PLAZA_ASSIGN_OR_RETURN(query.limit, LimitQuery(request, 24));
             PLAZA_ASSIGN_OR_RETURN(auto page, services.catalog.ListProducts(ShopOf(request), query));
             PLAZA_ASSIGN_OR_RETURN(auto products, EncodeStorefrontProducts(services, request, page.products));
             return PageResponse(page, std::move(products));
           }));
  shop.Get("/storefront/products/{handle}", Handle([&services](Request& request) -> Result<Response> {
             const std::string handle(request.PathParam("handle"));
             auto product = services.catalog.GetProductByHandle(ShopOf(request), handle);
             if (!product.ok() || !cat::IsVisibleOn(*product, cat::Channel::kOnlineStore)) {
               return Error::NotFound("no such product");
             }
             PLAZA_ASSIGN_OR_RETURN(auto products, EncodeStorefrontProducts(services, request, {*product}));
             return Response::Json(products.front());
           }));
  shop.Get("/storefront/collections/{handle}", Handle([&services](Request& request) -> Result<Response> {
             const std::string handle(request.PathParam("handle"));
             auto collection = services.catalog.GetCollectionByHandle(ShopOf(request), handle);
             if (!collection.ok() || !collection->published) {
               return Error::NotFound("no such collection");
             }
             cat::ProductListQuery query{.channel = cat::Channel::kOnlineStore,
                                         .collection_id = collection->id,
                                         .cursor = QueryText(request, "cursor")};
             PLAZA_ASSIGN_OR_RETURN(query.limit, LimitQuery(request, 24));
             PLAZA_ASSIGN_OR_RETURN(auto page, services.catalog.ListProducts(ShopOf(request), query));
             PLAZA_ASSIGN_OR_RETURN(auto products, EncodeStorefrontProducts(services, request, page.products));
             boost::json::object out{{"handle", collection->handle},
                                     {"title", collection->title},
                                     {"description_html", collection->description_html},
                                     {"products", std::move(products)}};
             out["next_cursor"] =
                 page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor);
             return Response::Json(out);
           }));
  shop.Get("/storefront/search",
           Handle([&services](Request& request) -> Result<Response> { return StorefrontSearch(services, request); }));
}

}  // namespace plaza::api
