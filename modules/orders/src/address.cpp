#include "plaza/orders/address.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <regex>

namespace plaza::orders {
namespace {

struct CountryRule {
  std::string_view country;
  // ECMAScript pattern over the upper-cased, trimmed postal code; empty: no postal codes.
  std::string_view postal_pattern;
  bool postal_required;
  bool region_required;
};

// Sorted by country. Patterns follow each postal operator's published format; optional
// separators are accepted as people type them.
constexpr std::array kRules = {
    CountryRule{"AT", R"(\d{4})", true, false},
    CountryRule{"AU", R"(\d{4})", true, true},
    CountryRule{"BE", R"(\d{4})", true, false},
    CountryRule{"BG", R"(\d{4})", true, false},
    CountryRule{"CA", R"([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d)", true, true},
    CountryRule{"CH", R"(\d{4})", true, false},
    CountryRule{"CY", R"(\d{4})", true, false},
    CountryRule{"CZ", R"(\d{3} ?\d{2})", true, false},
    CountryRule{"DE", R"(\d{5})", true, false},
    CountryRule{"DK", R"(\d{4})", true, false},
    CountryRule{"EE", R"(\d{5})", true, false},
    CountryRule{"ES", R"((0[1-9]|[1-4]\d|5[0-2])\d{3})", true, false},
    CountryRule{"FI", R"(\d{5})", true, false},
    CountryRule{"FR", R"(\d{5})", true, false},
    CountryRule{"GB", R"([A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})", true, false},
    CountryRule{"GR", R"(\d{3} ?\d{2})", true, false},
    CountryRule{"HR", R"(\d{5})", true, false},
    CountryRule{"HU", R"(\d{4})", true, false},
    // Eircodes exist but many addresses are still delivered without one.
    CountryRule{"IE", R"(([AC-FHKNPRTV-Y]\d{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4})", false, false},
    CountryRule{"IT", R"(\d{5})", true, false},
    CountryRule{"JP", R"(\d{3}-?\d{4})", true, true},
    CountryRule{"LT", R"((LT-)?\d{5})", true, false},
    CountryRule{"LU", R"((L-)?\d{4})", true, false},
    CountryRule{"LV", R"((LV-)?\d{4})", true, false},
    CountryRule{"MT", R"([A-Z]{3} ?\d{2,4})", true, false},
    CountryRule{"NL", R"([1-9]\d{3} ?[A-Z]{2})", true, false},
    CountryRule{"NO", R"(\d{4})", true, false},
    CountryRule{"PL", R"(\d{2}-\d{3})", true, false},
    CountryRule{"PT", R"(\d{4}-\d{3})", true, false},
    CountryRule{"RO", R"(\d{6})", true, false},
    CountryRule{"SE", R"(\d{3} ?\d{2})", true, false},
    CountryRule{"SI", R"((SI-)?\d{4})", true, false},
    CountryRule{"SK", R"(\d{3} ?\d{2})", true, false},
    CountryRule{"US", R"(\d{5}(-\d{4})?)", true, true},
};

constexpr auto kUsRegions = std::to_array<std::string_view>(
    {"AK", "AL", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU", "HI", "IA", "ID", "IL", "IN", "KS",
     "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MP", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY",
     "OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN", "TX", "UM", "UT", "VA", "VI", "VT", "WA", "WI", "WV"});
constexpr auto kCaRegions =
    std::to_array<std::string_view>({"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"});
constexpr auto kAuRegions = std::to_array<std::string_view>({"ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"});

const CountryRule* FindRule(std::string_view country) {
  const auto* it = std::lower_bound(kRules.begin(), kRules.end(), country,
                                    [](const CountryRule& rule, std::string_view c) { return rule.country < c; });
  return it != kRules.end() && it->country == country ? &*it : nullptr;
}

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::binary_search(list.begin(), list.end(), value);
}

bool ValidRegion(std::string_view country, std::string_view region) {
  if (country == "US") return Contains(kUsRegions, region);
  if (country == "CA") return Contains(kCaRegions, region);
  if (country == "AU") return Contains(kAuRegions, region);
  if (country == "JP") {
    // Prefectures are numbered 01 (Hokkaido) to 47 (Okinawa).
    if (region.size() != 2 || !std::isdigit(static_cast<unsigned char>(region[0])) ||
        !std::isdigit(static_cast<unsigned char>(region[1])))
      return false;
    const int number = (region[0] - '0') * 10 + (region[1] - '0');
    return number >= 1 && number <= 47;
  }
  return true;
}

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string Field(std::string_view pointer, std::string_view name) {
  return std::string(pointer) + "/" + std::string(name);
}

}  // namespace

bool HasAddressRules(std::string_view country) {
  return FindRule(country) != nullptr;
}

Result<Address> ValidateAddress(const Address& input, std::string_view pointer) {
  Address address{.name = Trim(input.name),
                  .company = Trim(input.company),
                  .line1 = Trim(input.line1),
                  .line2 = Trim(input.line2),
                  .city = Trim(input.city),
                  .region = Upper(Trim(input.region)),
                  .postal_code = Upper(Trim(input.postal_code)),
                  .country = Upper(Trim(input.country)),
                  .phone = Trim(input.phone)};
  for (const auto& [name, member] : kAddressFields) {
    if ((address.*member).size() > kMaxAddressFieldLength)
      return Error::Invalid("address/too-long", std::string(name) + " is longer than 200 characters",
                            Field(pointer, name));
  }
  if (address.country.empty())
    return Error::Invalid("address/required", "country is required", Field(pointer, "country"));
  if (address.country.size() != 2 || !std::isupper(static_cast<unsigned char>(address.country[0])) ||
      !std::isupper(static_cast<unsigned char>(address.country[1])))
    return Error::Invalid("address/invalid-country", "country must be an ISO 3166-1 alpha-2 code",
                          Field(pointer, "country"));
  const CountryRule* rule = FindRule(address.country);
  if (rule == nullptr)
    return Error::Invalid("address/unsupported-country", "addresses in " + address.country + " are not supported",
                          Field(pointer, "country"));
  for (const auto& [name, value] : {std::pair<std::string_view, const std::string*>{"name", &address.name},
                                    {"line1", &address.line1},
                                    {"city", &address.city}}) {
    if (value->empty())
      return Error::Invalid("address/required", std::string(name) + " is required", Field(pointer, name));
  }
  if (rule->region_required && address.region.empty())
    return Error::Invalid("address/required", "region is required in " + address.country, Field(pointer, "region"));
  if (!address.region.empty() && !ValidRegion(address.country, address.region))
    return Error::Invalid("address/invalid-region", address.region + " is not a region of " + address.country,
                          Field(pointer, "region"));
  if (address.postal_code.empty()) {
    if (rule->postal_required)
      return Error::Invalid("address/required", "postal_code is required in " + address.country,
                            Field(pointer, "postal_code"));
  } else {
    const std::regex pattern(rule->postal_pattern.begin(), rule->postal_pattern.end());
    if (!std::regex_match(address.postal_code, pattern))
      return Error::Invalid("address/invalid-postal-code",
                            address.postal_code + " is not a postal code of " + address.country,
                            Field(pointer, "postal_code"));
  }
  return address;
}

std::string AddressToJson(const Address& address) {
  boost::json::object object;
  for (const auto& [name, member] : kAddressFields) object[name] = address.*member;
  return boost::json::serialize(object);
}

Result<Address> AddressFromJson(std::string_view json) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return Error::Internal("stored address is not a JSON object");
  const auto& object = value.as_object();
  Address address;
  for (const auto& [name, member] : kAddressFields) {
    const auto* stored = object.if_contains(name);
    if (stored != nullptr && stored->is_string()) address.*member = std::string(stored->as_string());
  }
  return address;
}

}  // namespace plaza::orders
