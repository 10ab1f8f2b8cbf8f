#include "plaza/orders/address.h"

#include <gtest/gtest.h>

namespace plaza::orders {
namespace {

Address Valid(std::string country, std::string postal_code, std::string region = {}) {
  return {.name = "Ada Lovelace",
          .line1 = "1 Main Street",
          .city = "Town",
          .region = std::move(region),
          .postal_code = std::move(postal_code),
          .country = std::move(country)};
}

void ExpectError(const Address& address, std::string_view type, std::string_view field) {
  const auto result = ValidateAddress(address, "/shipping_address");
  ASSERT_FALSE(result.ok()) << address.country << " " << address.postal_code;
  EXPECT_EQ(result.error().type, type);
  EXPECT_EQ(result.error().field, field);
}

TEST(AddressTest, AcceptsEachCountrysPostalFormat) {
  const std::vector<Address> valid = {
      Valid("AT", "1010"),
      Valid("BE", "1000"),
      Valid("BG", "1000"),
      Valid("HR", "10000"),
      Valid("CY", "1010"),
      Valid("CZ", "110 00"),
      Valid("DK", "1050"),
      Valid("EE", "10111"),
      Valid("FI", "00100"),
      Valid("FR", "75001"),
      Valid("DE", "10115"),
      Valid("GR", "105 57"),
      Valid("HU", "1051"),
      Valid("IE", "D02 X285"),
      Valid("IE", ""),
      Valid("IT", "00184"),
      Valid("LV", "LV-1050"),
      Valid("LT", "01100"),
      Valid("LU", "L-1111"),
      Valid("MT", "VLT 1117"),
      Valid("NL", "1012 AB"),
      Valid("PL", "00-950"),
      Valid("PT", "1000-001"),
      Valid("RO", "010011"),
      Valid("SK", "811 01"),
      Valid("SI", "1000"),
      Valid("ES", "28013"),
      Valid("SE", "111 22"),
      Valid("GB", "SW1A 1AA"),
      Valid("GB", "m1 1ae"),
      Valid("US", "94105", "CA"),
      Valid("US", "10001-1234", "NY"),
      Valid("CA", "K1A 0B1", "ON"),
      Valid("AU", "2000", "NSW"),
      Valid("JP", "100-0001", "13"),
  };
  for (const Address& address : valid) {
    const auto result = ValidateAddress(address, "/shipping_address");
    EXPECT_TRUE(result.ok()) << address.country << " " << address.postal_code << ": "
                             << (result.ok() ? "" : result.error().detail);
  }
}

TEST(AddressTest, NormalisesCaseAndSpaces) {
  auto result = ValidateAddress(Valid(" gb ", " sw1a 1aa ", ""), "/a");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->country, "GB");
  EXPECT_EQ(result->postal_code, "SW1A 1AA");
}

TEST(AddressTest, RejectsWrongPostalCodes) {
  ExpectError(Valid("FR", "7500"), "address/invalid-postal-code", "/shipping_address/postal_code");
  ExpectError(Valid("DE", "ABCDE"), "address/invalid-postal-code", "/shipping_address/postal_code");
  ExpectError(Valid("NL", "0123 AB"), "address/invalid-postal-code", "/shipping_address/postal_code");
  ExpectError(Valid("GB", "12345"), "address/invalid-postal-code", "/shipping_address/postal_code");
  ExpectError(Valid("US", "9410", "CA"), "address/invalid-postal-code", "/shipping_address/postal_code");
  ExpectError(Valid("CA", "D1A 0B1", "ON"), "address/invalid-postal-code", "/shipping_address/postal_code");
  ExpectError(Valid("JP", "1000001x", "13"), "address/invalid-postal-code", "/shipping_address/postal_code");
  ExpectError(Valid("PL", "00950"), "address/invalid-postal-code", "/shipping_address/postal_code");
  ExpectError(Valid("FR", ""), "address/required", "/shipping_address/postal_code");
}

TEST(AddressTest, RegionsWhereCarriersNeedThem) {
  ExpectError(Valid("US", "94105"), "address/required", "/shipping_address/region");
  ExpectError(Valid("US", "94105", "XX"), "address/invalid-region", "/shipping_address/region");
  ExpectError(Valid("CA", "K1A 0B1", "ZZ"), "address/invalid-region", "/shipping_address/region");
  ExpectError(Valid("AU", "2000", "NZ"), "address/invalid-region", "/shipping_address/region");
  ExpectError(Valid("JP", "100-0001", "48"), "address/invalid-region", "/shipping_address/region");
  ExpectError(Valid("JP", "100-0001", "00"), "address/invalid-region", "/shipping_address/region");
  ExpectError(Valid("JP", "100-0001"), "address/required", "/shipping_address/region");
  EXPECT_TRUE(ValidateAddress(Valid("US", "96799", "AS"), "/a").ok());
  EXPECT_TRUE(ValidateAddress(Valid("US", "20001", "DC"), "/a").ok());
  EXPECT_TRUE(ValidateAddress(Valid("JP", "9000001", "47"), "/a").ok());
}

TEST(AddressTest, RequiredFieldsAndCountries) {
  Address missing_name = Valid("FR", "75001");
  missing_name.name = "  ";
  ExpectError(missing_name, "address/required", "/shipping_address/name");
  Address missing_street = Valid("FR", "75001");
  missing_street.line1.clear();
  ExpectError(missing_street, "address/required", "/shipping_address/line1");
  Address missing_city = Valid("FR", "75001");
  missing_city.city.clear();
  ExpectError(missing_city, "address/required", "/shipping_address/city");
  ExpectError(Valid("", "75001"), "address/required", "/shipping_address/country");
  ExpectError(Valid("FRA", "75001"), "address/invalid-country", "/shipping_address/country");
  ExpectError(Valid("ZZ", "75001"), "address/unsupported-country", "/shipping_address/country");
  Address long_line = Valid("FR", "75001");
  long_line.line2 = std::string(kMaxAddressFieldLength + 1, 'x');
  ExpectError(long_line, "address/too-long", "/shipping_address/line2");
}

TEST(AddressTest, JsonRoundTrip) {
  Address address = Valid("US", "94105", "CA");
  address.company = "Analytical \"Engines\"";
  address.phone = "+1 555 0100";
  auto parsed = AddressFromJson(AddressToJson(address));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, address);
  EXPECT_FALSE(AddressFromJson("[1]").ok());
}

}  // namespace
}  // namespace plaza::orders
