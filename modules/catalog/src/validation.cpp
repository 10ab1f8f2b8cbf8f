#include <algorithm>
#include <set>

#include "internal.h"
#include "plaza/core/text.h"

namespace plaza::catalog::internal {
namespace {

std::string Pointer(std::string_view base, std::size_t index, std::string_view member = {}) {
  std::string out = std::string(base) + "/" + std::to_string(index);
  if (!member.empty()) out += "/" + std::string(member);
  return out;
}

Status CheckText(const std::string& value, std::size_t max_bytes, const std::string& field, bool required = false) {
  if (!text::IsValidUtf8(value)) return Error::Invalid("catalog/invalid-text", "not valid UTF-8", field);
  if (value.size() > max_bytes) {
    return Error::Invalid("catalog/too-long", "longer than " + std::to_string(max_bytes) + " bytes", field);
  }
  if (required && value.empty()) return Error::Invalid("validation/required", "must not be empty", field);
  for (const char c : value) {
    // Control characters other than tab and newlines break feeds and CSV consumers.
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      return Error::Invalid("catalog/invalid-text", "contains a control character", field);
    }
  }
  return Ok();
}

std::string Trimmed(std::string_view value) {
  return std::string(text::TrimAscii(value));
}

bool IsInteger(std::string_view value) {
  if (value.starts_with('-')) value.remove_prefix(1);
  if (value.empty() || value.size() > 18) return false;
  return std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsDecimal(std::string_view value) {
  if (value.starts_with('-')) value.remove_prefix(1);
  const std::size_t dot = value.find('.');
  const std::string_view whole = value.substr(0, dot);
  if (whole.empty() || whole.size() > 18 || !IsInteger(whole)) return false;
  if (dot == std::string_view::npos) return true;
  const std::string_view fraction = value.substr(dot + 1);
  return !fraction.empty() && fraction.size() <= 18 && IsInteger(fraction);
}

bool IsValidGtin(std::string_view gtin) {
  if (gtin.size() != 8 && gtin.size() != 12 && gtin.size() != 13 && gtin.size() != 14) return false;
  if (!std::all_of(gtin.begin(), gtin.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  // GS1 check digit: weights 3 and 1 alternate from the digit before the check digit.
  int sum = 0;
  for (std::size_t index = 0; index + 1 < gtin.size(); ++index) {
    const int digit = gtin[gtin.size() - 2 - index] - '0';
    sum += (index % 2 == 0) ? digit * 3 : digit;
  }
  return (10 - sum % 10) % 10 == gtin.back() - '0';
}

bool IsValidTaxClass(std::string_view value) {
  if (value.empty() || value.size() > 64) return false;
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; });
}

bool IsHttpUrl(std::string_view url) {
  return (url.starts_with("https://") || url.starts_with("http://")) && url.size() > 8 &&
         url.find_first_of(" \t\r\n\"<>") == std::string_view::npos;
}

}  // namespace

Status ValidateAttributes(AttributeOwner owner, std::span<const AttributeValue> values,
                          std::span<const AttributeDefinition> definitions, bool enforce_required,
                          const std::string& field) {
  if (values.size() > kMaxAttributesPerOwner) {
    return Error::Invalid("catalog/too-many", "at most " + std::to_string(kMaxAttributesPerOwner) + " attributes",
                          field);
  }
  std::set<std::string> seen;
  for (std::size_t index = 0; index < values.size(); ++index) {
    const AttributeValue& value = values[index];
    const std::string at = Pointer(field, index);
    const auto definition = std::find_if(definitions.begin(), definitions.end(), [&](const AttributeDefinition& d) {
      return d.owner == owner && d.key == value.key;
    });
    if (definition == definitions.end()) {
      return Error::Invalid(
          "catalog/unknown-attribute",
          "no " + std::string(AttributeOwnerName(owner)) + " attribute is defined with key '" + value.key + "'",
          at + "/key");
    }
    if (!seen.insert(value.key).second) {
      return Error::Invalid("catalog/duplicate-attribute", "attribute '" + value.key + "' given twice", at + "/key");
    }
    const std::string value_field = at + "/value";
    switch (definition->type) {
      case AttributeType::kText:
        PLAZA_TRY(CheckText(value.value, kMaxShortTextLength * 10, value_field));
        break;
      case AttributeType::kInteger:
        if (!IsInteger(value.value)) return Error::Invalid("catalog/invalid-attribute", "not an integer", value_field);
        break;
      case AttributeType::kDecimal:
        if (!IsDecimal(value.value)) return Error::Invalid("catalog/invalid-attribute", "not a decimal", value_field);
        break;
      case AttributeType::kBoolean:
        if (value.value != "true" && value.value != "false") {
          return Error::Invalid("catalog/invalid-attribute", "must be true or false", value_field);
        }
        break;
      case AttributeType::kList:
        if (value.values.size() > kMaxTagsPerProduct) {
          return Error::Invalid("catalog/too-many", "list too long", at + "/values");
        }
        for (std::size_t item = 0; item < value.values.size(); ++item) {
          PLAZA_TRY(CheckText(value.values[item], kMaxShortTextLength, Pointer(at + "/values", item)));
        }
        break;
      case AttributeType::kProductReference:
      case AttributeType::kVariantReference:
        if (!IsInteger(value.value) || value.value.starts_with('-') || value.value == "0") {
          return Error::Invalid("catalog/invalid-attribute", "not an id", value_field);
        }
        break;
    }
    if (definition->type != AttributeType::kList && !value.values.empty()) {
      return Error::Invalid("catalog/invalid-attribute", "only list attributes take values", at + "/values");
    }
  }
  if (enforce_required) {
    for (const AttributeDefinition& definition : definitions) {
      if (definition.owner == owner && definition.required && !seen.contains(definition.key)) {
        return Error::Invalid("catalog/attribute-required", "attribute '" + definition.key + "' is required", field);
      }
    }
  }
  return Ok();
}

Result<ProductInput> NormalizeProduct(const ProductInput& input, std::span<const AttributeDefinition> definitions) {
  ProductInput out = input;
  out.title = Trimmed(input.title);
  PLAZA_TRY(CheckText(out.title, kMaxTitleLength, "/title", true));
  out.handle = Trimmed(input.handle);
  if (out.handle.empty()) out.handle = MakeHandle(out.title);
  if (!IsValidHandle(out.handle)) {
    return Error::Invalid("catalog/invalid-handle", "a handle is lower-case letters, digits and single dashes",
                          "/handle");
  }
  if (!text::IsValidUtf8(out.description_html)) {
    return Error::Invalid("catalog/invalid-text", "not valid UTF-8", "/description_html");
  }
  if (out.description_html.size() > kMaxDescriptionBytes) {
    return Error::Invalid("catalog/too-long", "description longer than " + std::to_string(kMaxDescriptionBytes),
                          "/description_html");
  }
  out.vendor = Trimmed(input.vendor);
  out.product_type = Trimmed(input.product_type);
  out.google_product_category = Trimmed(input.google_product_category);
  PLAZA_TRY(CheckText(out.vendor, kMaxShortTextLength, "/vendor"));
  PLAZA_TRY(CheckText(out.product_type, kMaxShortTextLength, "/product_type"));
  PLAZA_TRY(CheckText(out.google_product_category, kMaxShortTextLength, "/google_product_category"));
  PLAZA_TRY(CheckText(out.seo_title, kMaxShortTextLength, "/seo_title"));
  PLAZA_TRY(CheckText(out.seo_description, kMaxShortTextLength * 4, "/seo_description"));

  if (input.tags.size() > kMaxTagsPerProduct) return Error::Invalid("catalog/too-many", "too many tags", "/tags");
  out.tags.clear();
  std::set<std::string> lowered;
  for (std::size_t index = 0; index < input.tags.size(); ++index) {
    std::string tag = Trimmed(input.tags[index]);
    const std::string field = Pointer("/tags", index);
    PLAZA_TRY(CheckText(tag, 255, field));
    if (tag.find(',') != std::string::npos) return Error::Invalid("catalog/invalid-tag", "tags hold no commas", field);
    if (tag.empty() || !lowered.insert(text::ToLowerAscii(tag)).second) continue;
    out.tags.push_back(std::move(tag));
  }
  std::sort(out.tags.begin(), out.tags.end());

  out.channels.clear();
  for (const Channel channel : AllChannels()) {
    if (std::find(input.channels.begin(), input.channels.end(), channel) != input.channels.end()) {
      out.channels.push_back(channel);
    }
  }

  if (input.option_names.size() > kMaxOptions) {
    return Error::Invalid("catalog/too-many-options", "at most 3 options", "/option_names");
  }
  std::set<std::string> option_names;
  for (std::size_t index = 0; index < input.option_names.size(); ++index) {
    out.option_names[index] = Trimmed(input.option_names[index]);
    const std::string field = Pointer("/option_names", index);
    PLAZA_TRY(CheckText(out.option_names[index], 255, field, true));
    if (!option_names.insert(text::ToLowerAscii(out.option_names[index])).second) {
      return Error::Invalid("catalog/duplicate-option", "option names must differ", field);
    }
  }

  if (input.media.size() > kMaxMediaPerProduct) return Error::Invalid("catalog/too-many", "too many media", "/media");
  std::set<std::string> urls;
  for (std::size_t index = 0; index < input.media.size(); ++index) {
    MediaInput& media = out.media[index];
    media.url = Trimmed(media.url);
    PLAZA_TRY(CheckText(media.url, 2048, Pointer("/media", index, "url"), true));
    if (!IsHttpUrl(media.url)) {
      return Error::Invalid("catalog/invalid-url", "an http(s) URL", Pointer("/media", index, "url"));
    }
    if (!urls.insert(media.url).second) {
      return Error::Invalid("catalog/duplicate-media", "the same image twice", Pointer("/media", index, "url"));
    }
    PLAZA_TRY(CheckText(media.alt, 512, Pointer("/media", index, "alt")));
  }

  if (out.variants.empty()) {
    if (!out.option_names.empty()) {
      return Error::Invalid("catalog/variants-required", "a product with options needs variants", "/variants");
    }
    out.variants.push_back({});
  }
  if (out.variants.size() > kMaxVariantsPerProduct) {
    return Error::Invalid("catalog/too-many", "too many variants", "/variants");
  }
  if (out.option_names.empty() && out.variants.size() > 1) {
    return Error::Invalid("catalog/options-required", "several variants need options to tell them apart",
                          "/option_names");
  }
  std::set<std::vector<std::string>> combinations;
  std::set<std::string> skus;
  for (std::size_t index = 0; index < out.variants.size(); ++index) {
    VariantInput& variant = out.variants[index];
    if (variant.option_values.size() != out.option_names.size()) {
      return Error::Invalid("catalog/option-mismatch",
                            "needs exactly " + std::to_string(out.option_names.size()) + " option values",
                            Pointer("/variants", index, "option_values"));
    }
    for (std::size_t value = 0; value < variant.option_values.size(); ++value) {
      variant.option_values[value] = Trimmed(variant.option_values[value]);
      PLAZA_TRY(CheckText(variant.option_values[value], 255,
                          Pointer("/variants", index, "option_values/" + std::to_string(value)), true));
    }
    if (!combinations.insert(variant.option_values).second) {
      return Error::Invalid("catalog/duplicate-variant", "two variants have the same option values",
                            Pointer("/variants", index, "option_values"));
    }
    variant.sku = Trimmed(variant.sku);
    PLAZA_TRY(CheckText(variant.sku, 255, Pointer("/variants", index, "sku")));
    if (!variant.sku.empty() && !skus.insert(variant.sku).second) {
      return Error::Invalid("catalog/duplicate-sku", "SKU '" + variant.sku + "' is used twice in this product",
                            Pointer("/variants", index, "sku"));
    }
    variant.gtin = Trimmed(variant.gtin);
    if (!variant.gtin.empty() && !IsValidGtin(variant.gtin)) {
      return Error::Invalid("catalog/invalid-gtin", "a GTIN is 8, 12, 13 or 14 digits with a valid check digit",
                            Pointer("/variants", index, "gtin"));
    }
    variant.mpn = Trimmed(variant.mpn);
    PLAZA_TRY(CheckText(variant.mpn, 255, Pointer("/variants", index, "mpn")));
    // 1,000 tonnes: beyond any parcel carrier, small enough that sums never overflow.
    if (variant.weight_grams < 0 || variant.weight_grams > 1'000'000'000) {
      return Error::Invalid("catalog/invalid-weight", "grams between 0 and 10^9",
                            Pointer("/variants", index, "weight_grams"));
    }
    if (variant.tax_class.empty()) variant.tax_class = "standard";
    if (!IsValidTaxClass(variant.tax_class)) {
      return Error::Invalid("catalog/invalid-tax-class", "lower-case [a-z0-9_-], 1-64",
                            Pointer("/variants", index, "tax_class"));
    }
    variant.image_url = Trimmed(variant.image_url);
    if (!variant.image_url.empty() && !urls.contains(variant.image_url)) {
      return Error::Invalid("catalog/unknown-image", "the variant image must be one of the product's media",
                            Pointer("/variants", index, "image_url"));
    }
    PLAZA_TRY(ValidateAttributes(AttributeOwner::kVariant, variant.attributes, definitions,
                                 input.status == ProductStatus::kActive, Pointer("/variants", index, "attributes")));
  }
  PLAZA_TRY(ValidateAttributes(AttributeOwner::kProduct, out.attributes, definitions,
                               input.status == ProductStatus::kActive, "/attributes"));
  return out;
}

std::string HtmlToText(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  bool in_tag = false;
  for (std::size_t index = 0; index < html.size(); ++index) {
    const char c = html[index];
    if (in_tag) {
      if (c == '>') {
        in_tag = false;
        out += ' ';
      }
      continue;
    }
    if (c == '<') {
      in_tag = true;
      continue;
    }
    if (c == '&') {
      const std::string_view rest = html.substr(index);
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&nbsp;", ' '}};
      bool decoded = false;
      for (const auto& [entity, replacement] : kEntities) {
        if (rest.starts_with(entity)) {
          out += replacement;
          index += entity.size() - 1;
          decoded = true;
          break;
        }
      }
      if (decoded) continue;
    }
    out += c;
  }
  return out;
}

std::vector<std::string> QueryWords(std::string_view query, std::size_t max_words) {
  std::vector<std::string> words;
  std::string current;
  const auto flush = [&] {
    if (!current.empty() && words.size() < max_words) words.push_back(text::ToLowerAscii(current));
    current.clear();
  };
  for (const char c : query) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || std::isalnum(byte) != 0) {
      current += c;
    } else {
      flush();
    }
  }
  flush();
  return words;
}

std::string JoinTags(std::span<const std::string> tags) {
  std::string out;
  for (const std::string& tag : tags) {
    if (!out.empty()) out += ", ";
    out += tag;
  }
  return out;
}

std::vector<std::string> SplitTags(std::string_view joined) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find(',', start);
    if (end == std::string_view::npos) end = joined.size();
    const std::string_view tag = text::TrimAscii(joined.substr(start, end - start));
    if (!tag.empty()) tags.emplace_back(tag);
    start = end + 1;
  }
  return tags;
}

std::string VariantTitle(std::span<const std::string> option_values) {
  if (option_values.empty()) return "Default Title";
  std::string out;
  for (const std::string& value : option_values) {
    if (!out.empty()) out += " / ";
    out += value;
  }
  return out;
}

}  // namespace plaza::catalog::internal
