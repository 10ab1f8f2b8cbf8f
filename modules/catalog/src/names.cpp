#include <array>
#include <cctype>

#include "plaza/catalog/catalog.h"
#include "plaza/core/enum_names.h"

namespace plaza::catalog {
namespace {

constexpr std::array<std::pair<ProductStatus, std::string_view>, 3> kStatuses = {
    {{ProductStatus::kDraft, "draft"}, {ProductStatus::kActive, "active"}, {ProductStatus::kArchived, "archived"}}};
constexpr std::array<std::pair<Condition, std::string_view>, 3> kConditions = {
    {{Condition::kNew, "new"}, {Condition::kRefurbished, "refurbished"}, {Condition::kUsed, "used"}}};
constexpr std::array<std::pair<Channel, std::string_view>, 5> kChannels = {{{Channel::kOnlineStore, "online_store"},
                                                                            {Channel::kMeta, "meta"},
                                                                            {Channel::kTiktok, "tiktok"},
                                                                            {Channel::kPinterest, "pinterest"},
                                                                            {Channel::kGoogle, "google"}}};
constexpr std::array<Channel, 5> kAllChannels = {Channel::kOnlineStore, Channel::kMeta, Channel::kTiktok,
                                                 Channel::kPinterest, Channel::kGoogle};
constexpr std::array<std::pair<AttributeType, std::string_view>, 7> kAttributeTypes = {
    {{AttributeType::kText, "text"},
     {AttributeType::kInteger, "integer"},
     {AttributeType::kDecimal, "decimal"},
     {AttributeType::kBoolean, "boolean"},
     {AttributeType::kList, "list"},
     {AttributeType::kProductReference, "product_reference"},
     {AttributeType::kVariantReference, "variant_reference"}}};
constexpr std::array<std::pair<AttributeOwner, std::string_view>, 2> kOwners = {
    {{AttributeOwner::kProduct, "product"}, {AttributeOwner::kVariant, "variant"}}};
constexpr std::array<std::pair<RuleField, std::string_view>, 4> kRuleFields = {
    {{RuleField::kTag, "tag"},
     {RuleField::kVendor, "vendor"},
     {RuleField::kProductType, "product_type"},
     {RuleField::kTitle, "title"}}};
constexpr std::array<std::pair<RuleRelation, std::string_view>, 3> kRuleRelations = {
    {{RuleRelation::kEquals, "equals"},
     {RuleRelation::kNotEquals, "not_equals"},
     {RuleRelation::kContains, "contains"}}};

}  // namespace

std::string_view StatusName(ProductStatus status) {
  return NameIn(kStatuses, status);
}
std::optional<ProductStatus> ParseStatus(std::string_view name) {
  return ParseIn(kStatuses, name);
}
std::string_view ConditionName(Condition condition) {
  return NameIn(kConditions, condition);
}
std::optional<Condition> ParseCondition(std::string_view name) {
  return ParseIn(kConditions, name);
}
std::string_view ChannelName(Channel channel) {
  return NameIn(kChannels, channel);
}
std::optional<Channel> ParseChannel(std::string_view name) {
  return ParseIn(kChannels, name);
}
std::span<const Channel> AllChannels() {
  return kAllChannels;
}
std::string_view AttributeTypeName(AttributeType type) {
  return NameIn(kAttributeTypes, type);
}
std::optional<AttributeType> ParseAttributeType(std::string_view name) {
  return ParseIn(kAttributeTypes, name);
}
std::string_view AttributeOwnerName(AttributeOwner owner) {
  return NameIn(kOwners, owner);
}
std::optional<AttributeOwner> ParseAttributeOwner(std::string_view name) {
  return ParseIn(kOwners, name);
}
std::string_view RuleFieldName(RuleField field) {
  return NameIn(kRuleFields, field);
}
std::optional<RuleField> ParseRuleField(std::string_view name) {
  return ParseIn(kRuleFields, name);
}
std::string_view RuleRelationName(RuleRelation relation) {
  return NameIn(kRuleRelations, relation);
}
std::optional<RuleRelation> ParseRuleRelation(std::string_view name) {
  return ParseIn(kRuleRelations, name);
}

bool IsValidHandle(std::string_view handle) {
  if (handle.empty() || handle.size() > kMaxHandleLength) return false;
  if (handle.front() == '-' || handle.back() == '-') return false;
  char previous = 0;
  for (const char c : handle) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!word && c != '-') return false;
    if (c == '-' && previous == '-') return false;
    previous = c;
  }
  return true;
}

std::string MakeHandle(std::string_view title) {
  std::string handle;
  bool pending_dash = false;
  for (const char raw : title) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) != 0 && c < 0x80) {
      if (pending_dash && !handle.empty()) handle += '-';
      pending_dash = false;
      handle += static_cast<char>(std::tolower(c));
      if (handle.size() >= kMaxHandleLength - 12) break;  // room for a "-N" suffix
    } else {
      pending_dash = true;
    }
  }
  if (handle.empty()) handle = "product";
  return handle;
}

bool IsVisibleOn(const Product& product, Channel channel) {
  if (product.status != ProductStatus::kActive) return false;
  for (const Channel published : product.channels) {
    if (published == channel) return true;
  }
  return false;
}

}  // namespace plaza::catalog
