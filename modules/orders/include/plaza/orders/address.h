#pragma once
// Postal addresses and their validation per country: which fields a country requires,
// what its postal codes look like, and which regions (states, provinces, prefectures)
// exist where a carrier needs one. Pure and thread-safe.

#include <array>
#include <string>
#include <string_view>

#include "plaza/core/result.h"

namespace plaza::orders {

// Bounds on free text, far above any real address line.
inline constexpr std::size_t kMaxAddressFieldLength = 200;

struct Address {
  std::string name{};
  std::string company{};
  std::string line1{};
  std::string line2{};
  std::string city{};
  // The subdivision without the country prefix, as ISO 3166-2 writes it: "CA" for
  // California, "ON" for Ontario, "NSW", "13" for Tokyo. Required in US, CA, AU and JP.
  std::string region{};
  std::string postal_code{};
  std::string country{};  // ISO 3166-1 alpha-2, upper case
  std::string phone{};

  friend bool operator==(const Address&, const Address&) = default;
};

// Every field of an Address by the name JSON bodies, stored addresses and error
// pointers use, in that order; the one list decoders and validation walk.
struct AddressField {
  std::string_view name;
  std::string Address::*member;
};
inline constexpr std::array<AddressField, 9> kAddressFields = {{{"name", &Address::name},
                                                                {"company", &Address::company},
                                                                {"line1", &Address::line1},
                                                                {"line2", &Address::line2},
                                                                {"city", &Address::city},
                                                                {"region", &Address::region},
                                                                {"postal_code", &Address::postal_code},
                                                                {"country", &Address::country},
                                                                {"phone", &Address::phone}}};

// Checks `address` for its country and returns it normalised (country, region and
// postal code upper-cased, surrounding spaces trimmed). Errors carry the field under
// `pointer` ("/shipping_address/postal_code"):
//   "address/required"             a field the country requires is empty
//   "address/too-long"             a field exceeds kMaxAddressFieldLength
//   "address/invalid-country"      not two upper-case letters
//   "address/unsupported-country"  a country Plaza has no rules for and cannot ship to
//   "address/invalid-postal-code"  the postal code does not match the country's pattern
//   "address/invalid-region"       not a region of the country
Result<Address> ValidateAddress(const Address& address, std::string_view pointer);

// The countries with postal-code rules: the 27 EU members, GB, US, CA, AU, JP and a few
// neighbours; sorted.
bool HasAddressRules(std::string_view country);

// Address <-> compact JSON, as stored on carts and orders.
std::string AddressToJson(const Address& address);
Result<Address> AddressFromJson(std::string_view json);

}  // namespace plaza::orders
