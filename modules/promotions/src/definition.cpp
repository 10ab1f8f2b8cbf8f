// A promotion's definition: its checks and its JSON form.

#include <algorithm>
#include <boost/json.hpp>
#include <string>

#include "plaza/core/money.h"
#include "plaza/promotions/promotions.h"

namespace plaza::promotions {
namespace {

namespace json = boost::json;

// Titles are shown in carts and on receipts; tags are short labels.
constexpr std::size_t kMaxTitleLength = 200;
constexpr std::size_t kMaxTagLength = 100;
constexpr int kMaxPriority = 1000;

Error Invalid(std::string type, std::string detail, std::string field) {
  return Error::Invalid(std::move(type), std::move(detail), std::move(field));
}

bool HasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

Status ValidateIds(const std::vector<std::int64_t>& ids, const std::string& field, std::size_t max_items) {
  if (ids.size() > max_items) {
    return Invalid("promotions/too-many-ids", "at most " + std::to_string(max_items) + " ids", field);
  }
  for (std::size_t idx = 0; idx < ids.size(); ++idx) {
    if (ids[idx] <= 0) {
      return Invalid("promotions/invalid-id", "ids are positive numbers", field + "/" + std::to_string(idx));
    }
  }
  return Ok();
}

Status ValidateSet(const ItemSet& set, const std::string& field) {
  PLAZA_TRY(ValidateIds(set.product_ids, field + "/product_ids", kMaxIdsPerSet));
  PLAZA_TRY(ValidateIds(set.variant_ids, field + "/variant_ids", kMaxIdsPerSet));
  PLAZA_TRY(ValidateIds(set.collection_ids, field + "/collection_ids", kMaxIdsPerSet));
  return Ok();
}

Status ValidatePercent(std::int64_t percent_off) {
  if (percent_off < 1 || percent_off > kFullPercent) {
    return Invalid("promotions/invalid-percentage",
                   "percent_off is in basis points, from 1 (0.01%) to 10000 (100%); " + std::to_string(percent_off) +
                       " is out of range",
                   "/percent_off");
  }
  return Ok();
}

Status ValidateQuantity(std::int64_t quantity, const char* field) {
  if (quantity < 1 || quantity > kMaxLineQuantity) {
    return Invalid("promotions/invalid-quantity", "a quantity is between 1 and 1000000", field);
  }
  return Ok();
}

// ---- JSON ----

json::array IdsJson(const std::vector<std::int64_t>& ids) {
  json::array out;
  for (std::int64_t id : ids) out.emplace_back(id);
  return out;
}

json::object SetJson(const ItemSet& set) {
  return {{"product_ids", IdsJson(set.product_ids)},
          {"variant_ids", IdsJson(set.variant_ids)},
          {"collection_ids", IdsJson(set.collection_ids)}};
}

json::value OptionalIntJson(const std::optional<std::int64_t>& value) {
  if (value) return json::value(*value);
  return nullptr;
}

json::value OptionalTimeJson(const std::optional<TimePoint>& value) {
  if (value) return json::value(FormatRfc3339(*value));
  return nullptr;
}

// Typed reads of one JSON object's members, each error naming the member.
class Reader {
 public:
  Reader(const json::object& object, std::string pointer) : object_(object), pointer_(std::move(pointer)) {}

  std::string Field(std::string_view key) const { return pointer_ + "/" + std::string(key); }

  const json::value* Find(std::string_view key) const {
    const json::value* value = object_.if_contains(key);
    return value == nullptr || value->is_null() ? nullptr : value;
  }

  Status AllowOnly(std::initializer_list<std::string_view> allowed) const {
    for (const auto& member : object_) {
      if (std::find(allowed.begin(), allowed.end(), member.key()) == allowed.end()) {
        return Invalid("validation/unknown-field", "unknown member \"" + std::string(member.key()) + "\"",
                       Field(member.key()));
      }
    }
    return Ok();
  }

  Status String(std::string_view key, std::string& out, bool required = false) const {
    const json::value* value = Find(key);
    if (value == nullptr) return required ? Required(key) : Ok();
    if (!value->is_string()) return Type(key, "a string");
    out = std::string(value->get_string());
    return Ok();
  }

  Status Bool(std::string_view key, bool& out) const {
    const json::value* value = Find(key);
    if (value == nullptr) return Ok();
    if (!value->is_bool()) return Type(key, "true or false");
    out = value->get_bool();
    return Ok();
  }

  Status Int(std::string_view key, std::int64_t& out) const {
    const json::value* value = Find(key);
    if (value == nullptr) return Ok();
    return IntValue(*value, Field(key), out);
  }

  Status OptionalInt(std::string_view key, std::optional<std::int64_t>& out) const {
    const json::value* value = Find(key);
    if (value == nullptr) return Ok();
    std::int64_t number = 0;
    PLAZA_TRY(IntValue(*value, Field(key), number));
    out = number;
    return Ok();
  }

  Status OptionalTime(std::string_view key, std::optional<TimePoint>& out) const {
    const json::value* value = Find(key);
    if (value == nullptr) return Ok();
    if (!value->is_string()) return Type(key, "an RFC 3339 time");
    auto parsed = ParseRfc3339(value->get_string());
    if (!parsed.ok()) {
      Error error = parsed.error();
      error.field = Field(key);
      return error;
    }
    out = *parsed;
    return Ok();
  }

  Status Ids(std::string_view key, std::vector<std::int64_t>& out) const {
    const json::value* value = Find(key);
    if (value == nullptr) return Ok();
    if (!value->is_array()) return Type(key, "an array of ids");
    const json::array& array = value->get_array();
    if (array.size() > kMaxIdsPerSet) {
      return Invalid("promotions/too-many-ids", "at most " + std::to_string(kMaxIdsPerSet) + " ids", Field(key));
    }
    out.clear();
    for (std::size_t idx = 0; idx < array.size(); ++idx) {
      std::int64_t id = 0;
      PLAZA_TRY(IntValue(array[idx], Field(key) + "/" + std::to_string(idx), id));
      out.push_back(id);
    }
    return Ok();
  }

  Status Strings(std::string_view key, std::vector<std::string>& out, std::size_t max_items) const {
    const json::value* value = Find(key);
    if (value == nullptr) return Ok();
    if (!value->is_array()) return Type(key, "an array of strings");
    const json::array& array = value->get_array();
    if (array.size() > max_items) {
      return Invalid("validation/length", "at most " + std::to_string(max_items) + " items", Field(key));
    }
    out.clear();
    for (std::size_t idx = 0; idx < array.size(); ++idx) {
      if (!array[idx].is_string()) {
        return Invalid("validation/type", "expected a string", Field(key) + "/" + std::to_string(idx));
      }
      out.emplace_back(array[idx].get_string());
    }
    return Ok();
  }

  Result<std::optional<Reader>> Object(std::string_view key) const {
    const json::value* value = Find(key);
    if (value == nullptr) return std::optional<Reader>();
    if (!value->is_object()) return Type(key, "an object");
    return std::optional<Reader>(Reader(value->get_object(), Field(key)));
  }

  Status Set(std::string_view key, ItemSet& out) const {
    PLAZA_ASSIGN_OR_RETURN(auto nested, Object(key));
    if (!nested) return Ok();
    PLAZA_TRY(nested->AllowOnly({"product_ids", "variant_ids", "collection_ids"}));
    PLAZA_TRY(nested->Ids("product_ids", out.product_ids));
    PLAZA_TRY(nested->Ids("variant_ids", out.variant_ids));
    PLAZA_TRY(nested->Ids("collection_ids", out.collection_ids));
    return Ok();
  }

 private:
  static Status IntValue(const json::value& value, const std::string& field, std::int64_t& out) {
    if (value.is_int64()) {
      out = value.get_int64();
      return Ok();
    }
    if (value.is_uint64()) return Invalid("validation/range", "the number is too large", field);
    return Invalid("validation/type", "expected an integer", field);
  }

  Error Required(std::string_view key) const {
    return Invalid("validation/required", "\"" + std::string(key) + "\" is required", Field(key));
  }
  Error Type(std::string_view key, std::string_view expected) const {
    return Invalid("validation/type", "expected " + std::string(expected), Field(key));
  }

  const json::object& object_;
  std::string pointer_;
};

}  // namespace

std::string_view PromotionKindName(PromotionKind kind) {
  switch (kind) {
    case PromotionKind::kPercentage:
      return "percentage";
    case PromotionKind::kFixedAmount:
      return "fixed_amount";
    case PromotionKind::kFreeShipping:
      return "free_shipping";
    case PromotionKind::kBuyXGetY:
      return "buy_x_get_y";
  }
  return "percentage";
}

std::optional<PromotionKind> ParsePromotionKind(std::string_view name) {
  for (PromotionKind kind : {PromotionKind::kPercentage, PromotionKind::kFixedAmount, PromotionKind::kFreeShipping,
                             PromotionKind::kBuyXGetY}) {
    if (PromotionKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view DiscountClassName(DiscountClass discount_class) {
  switch (discount_class) {
    case DiscountClass::kProduct:
      return "product";
    case DiscountClass::kOrder:
      return "order";
    case DiscountClass::kShipping:
      return "shipping";
  }
  return "order";
}

Status ValidateDefinition(const PromotionDefinition& definition) {
  if (definition.title.empty() || definition.title.size() > kMaxTitleLength || HasControlCharacter(definition.title)) {
    return Invalid("promotions/invalid-title", "a title is 1 to 200 characters without control characters", "/title");
  }
  switch (definition.kind) {
    case PromotionKind::kPercentage:
      PLAZA_TRY(ValidatePercent(definition.percent_off));
      break;
    case PromotionKind::kFixedAmount:
      if (definition.amount <= 0) {
        return Invalid("promotions/invalid-amount", "a fixed discount is a positive amount in minor units", "/amount");
      }
      break;
    case PromotionKind::kFreeShipping:
      break;
    case PromotionKind::kBuyXGetY:
      PLAZA_TRY(ValidateQuantity(definition.buy_quantity, "/buy_quantity"));
      PLAZA_TRY(ValidateQuantity(definition.get_quantity, "/get_quantity"));
      PLAZA_TRY(ValidatePercent(definition.percent_off));
      break;
  }
  if (definition.kind != PromotionKind::kPercentage && definition.kind != PromotionKind::kBuyXGetY &&
      definition.percent_off != 0) {
    return Invalid("promotions/unexpected-member", "percent_off applies to percentage and buy_x_get_y promotions",
                   "/percent_off");
  }
  if (definition.kind != PromotionKind::kFixedAmount && definition.amount != 0) {
    return Invalid("promotions/unexpected-member", "amount applies to fixed_amount promotions", "/amount");
  }
  if (definition.minimum_subtotal && *definition.minimum_subtotal < 0) {
    return Invalid("promotions/negative-amount", "a minimum subtotal cannot be negative", "/minimum_subtotal");
  }
  if (!definition.currency.empty()) {
    if (auto currency = FindCurrency(definition.currency); !currency.ok()) {
      Error error = currency.error();
      error.field = "/currency";
      return error;
    }
  } else if (definition.kind == PromotionKind::kFixedAmount || definition.minimum_subtotal) {
    return Invalid("promotions/currency-required", "a fixed amount or a minimum subtotal needs its currency",
                   "/currency");
  }
  PLAZA_TRY(ValidateSet(definition.applies_to, "/applies_to"));
  PLAZA_TRY(ValidateSet(definition.buy_items, "/buy_items"));
  PLAZA_TRY(ValidateSet(definition.get_items, "/get_items"));
  if (definition.customer_tags.size() > kMaxCustomerTags) {
    return Invalid("validation/length", "at most 50 customer tags", "/customer_tags");
  }
  for (std::size_t idx = 0; idx < definition.customer_tags.size(); ++idx) {
    const std::string& tag = definition.customer_tags[idx];
    if (tag.empty() || tag.size() > kMaxTagLength || HasControlCharacter(tag)) {
      return Invalid("promotions/invalid-tag", "a tag is 1 to 100 characters", "/customer_tags/" + std::to_string(idx));
    }
  }
  PLAZA_TRY(ValidateIds(definition.market_ids, "/market_ids", kMaxMarketsPerPromotion));
  if (definition.usage_limit && *definition.usage_limit < 1) {
    return Invalid("promotions/invalid-limit", "a usage limit is at least 1; leave it out for no limit",
                   "/usage_limit");
  }
  if (definition.per_customer_limit && *definition.per_customer_limit < 1) {
    return Invalid("promotions/invalid-limit", "a per-customer limit is at least 1; leave it out for no limit",
                   "/per_customer_limit");
  }
  if (definition.starts_at && definition.ends_at && *definition.ends_at <= *definition.starts_at) {
    return Invalid("promotions/invalid-window", "a promotion must end after it starts", "/ends_at");
  }
  if (definition.priority < -kMaxPriority || definition.priority > kMaxPriority) {
    return Invalid("validation/range", "priority is between -1000 and 1000", "/priority");
  }
  return Ok();
}

std::string EncodeDefinition(const PromotionDefinition& definition) {
  json::array tags;
  for (const std::string& tag : definition.customer_tags) tags.emplace_back(tag);
  const json::object object = {
      {"title", definition.title},
      {"kind", PromotionKindName(definition.kind)},
      {"automatic", definition.automatic},
      {"active", definition.active},
      {"percent_off", definition.percent_off},
      {"amount", definition.amount},
      {"currency", definition.currency},
      {"applies_to", SetJson(definition.applies_to)},
      {"buy_quantity", definition.buy_quantity},
      {"buy_items", SetJson(definition.buy_items)},
      {"get_quantity", definition.get_quantity},
      {"get_items", SetJson(definition.get_items)},
      {"minimum_subtotal", OptionalIntJson(definition.minimum_subtotal)},
      {"customer_tags", std::move(tags)},
      {"first_order_only", definition.first_order_only},
      {"market_ids", IdsJson(definition.market_ids)},
      {"usage_limit", OptionalIntJson(definition.usage_limit)},
      {"per_customer_limit", OptionalIntJson(definition.per_customer_limit)},
      {"starts_at", OptionalTimeJson(definition.starts_at)},
      {"ends_at", OptionalTimeJson(definition.ends_at)},
      {"combines_with",
       {{"product", definition.combines_with_product},
        {"order", definition.combines_with_order},
        {"shipping", definition.combines_with_shipping}}},
      {"priority", definition.priority},
  };
  return json::serialize(object);
}

Result<PromotionDefinition> DecodeDefinition(std::string_view text) {
  boost::system::error_code parse_error;
  const json::value value = json::parse(text, parse_error);
  if (parse_error) return Invalid("json/malformed", "the promotion is not valid JSON", "");
  if (!value.is_object()) return Invalid("json/not-an-object", "a promotion is a JSON object", "");
  const Reader reader(value.get_object(), "");
  PLAZA_TRY(reader.AllowOnly({"title",         "kind",        "automatic",          "active",        "percent_off",
                              "amount",        "currency",    "applies_to",         "buy_quantity",  "buy_items",
                              "get_quantity",  "get_items",   "minimum_subtotal",   "customer_tags", "first_order_only",
                              "market_ids",    "usage_limit", "per_customer_limit", "starts_at",     "ends_at",
                              "combines_with", "priority"}));
  PromotionDefinition definition;
  PLAZA_TRY(reader.String("title", definition.title, /*required=*/true));
  std::string kind;
  PLAZA_TRY(reader.String("kind", kind, /*required=*/true));
  const auto parsed_kind = ParsePromotionKind(kind);
  if (!parsed_kind) {
    return Invalid("promotions/invalid-kind", "kind is percentage, fixed_amount, free_shipping or buy_x_get_y",
                   "/kind");
  }
  definition.kind = *parsed_kind;
  PLAZA_TRY(reader.Bool("automatic", definition.automatic));
  PLAZA_TRY(reader.Bool("active", definition.active));
  PLAZA_TRY(reader.Int("percent_off", definition.percent_off));
  PLAZA_TRY(reader.Int("amount", definition.amount));
  PLAZA_TRY(reader.String("currency", definition.currency));
  PLAZA_TRY(reader.Set("applies_to", definition.applies_to));
  PLAZA_TRY(reader.Int("buy_quantity", definition.buy_quantity));
  PLAZA_TRY(reader.Set("buy_items", definition.buy_items));
  PLAZA_TRY(reader.Int("get_quantity", definition.get_quantity));
  PLAZA_TRY(reader.Set("get_items", definition.get_items));
  PLAZA_TRY(reader.OptionalInt("minimum_subtotal", definition.minimum_subtotal));
  PLAZA_TRY(reader.Strings("customer_tags", definition.customer_tags, kMaxCustomerTags));
  PLAZA_TRY(reader.Bool("first_order_only", definition.first_order_only));
  PLAZA_TRY(reader.Ids("market_ids", definition.market_ids));
  PLAZA_TRY(reader.OptionalInt("usage_limit", definition.usage_limit));
  PLAZA_TRY(reader.OptionalInt("per_customer_limit", definition.per_customer_limit));
  PLAZA_TRY(reader.OptionalTime("starts_at", definition.starts_at));
  PLAZA_TRY(reader.OptionalTime("ends_at", definition.ends_at));
  PLAZA_ASSIGN_OR_RETURN(auto combines, reader.Object("combines_with"));
  if (combines) {
    PLAZA_TRY(combines->AllowOnly({"product", "order", "shipping"}));
    PLAZA_TRY(combines->Bool("product", definition.combines_with_product));
    PLAZA_TRY(combines->Bool("order", definition.combines_with_order));
    PLAZA_TRY(combines->Bool("shipping", definition.combines_with_shipping));
  }
  std::int64_t priority = 0;
  PLAZA_TRY(reader.Int("priority", priority));
  if (priority < -kMaxPriority || priority > kMaxPriority) {
    return Invalid("validation/range", "priority is between -1000 and 1000", "/priority");
  }
  definition.priority = static_cast<int>(priority);
  PLAZA_TRY(ValidateDefinition(definition));
  return definition;
}

}  // namespace plaza::promotions
