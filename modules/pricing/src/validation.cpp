#include "validation.h"

#include <algorithm>

namespace plaza::pricing::internal {
namespace {

bool IsUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsLower(char c) {
  return c >= 'a' && c <= 'z';
}

// Handles and tax classes appear in URLs, exports and rate tables: 64 bytes is plenty.
constexpr std::size_t kMaxSlugLength = 64;
constexpr std::size_t kMaxNameLength = 200;

}  // namespace

bool IsCountryCode(std::string_view code) {
  return code.size() == 2 && IsUpper(code[0]) && IsUpper(code[1]);
}

Status ValidateCountry(std::string_view country, const std::string& field) {
  if (!IsCountryCode(country)) {
    return Error::Invalid("pricing/invalid-country", "a country is an ISO 3166-1 alpha-2 code such as \"FR\"", field);
  }
  return Ok();
}

Status ValidateRegion(std::string_view region, const std::string& field) {
  const auto invalid = [&] {
    return Error::Invalid("pricing/invalid-region",
                          "a region is a country (\"FR\") or a country subdivision (\"US-CA\")", field);
  };
  if (region.size() < 2 || !IsCountryCode(region.substr(0, 2))) return invalid();
  if (region.size() == 2) return Ok();
  if (region.size() < 4 || region.size() > 6 || region[2] != '-') return invalid();
  const std::string_view subdivision = region.substr(3);
  if (!std::all_of(subdivision.begin(), subdivision.end(), [](char c) { return IsUpper(c) || IsDigit(c); })) {
    return invalid();
  }
  return Ok();
}

Status ValidateDestination(const Destination& destination) {
  PLAZA_TRY(ValidateCountry(destination.country, "/destination/country"));
  if (destination.subdivision.empty()) return Ok();
  PLAZA_TRY(ValidateRegion(destination.subdivision, "/destination/subdivision"));
  if (destination.subdivision.size() == 2 || !destination.subdivision.starts_with(destination.country)) {
    return Error::Invalid("pricing/invalid-region",
                          "the subdivision must be inside the destination country, like US-CA",
                          "/destination/subdivision");
  }
  return Ok();
}

Status ValidateHandle(std::string_view handle, const std::string& field) {
  if (handle.empty() || handle.size() > kMaxSlugLength || handle.front() == '-' ||
      !std::all_of(handle.begin(), handle.end(), [](char c) { return IsLower(c) || IsDigit(c) || c == '-'; })) {
    return Error::Invalid("pricing/invalid-handle",
                          "a handle is 1 to 64 lower-case letters, digits and '-', not starting with '-'", field);
  }
  return Ok();
}

Status ValidateName(std::string_view name, const std::string& field) {
  if (name.empty() || name.size() > kMaxNameLength ||
      std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return Error::Invalid("pricing/invalid-name", "a name is 1 to 200 characters without control characters", field);
  }
  return Ok();
}

Status ValidateTaxClass(std::string_view tax_class, const std::string& field) {
  if (tax_class.empty() || tax_class.size() > kMaxSlugLength ||
      !std::all_of(tax_class.begin(), tax_class.end(),
                   [](char c) { return IsLower(c) || IsDigit(c) || c == '-' || c == '_'; })) {
    return Error::Invalid("pricing/invalid-tax-class",
                          "a tax class is 1 to 64 lower-case letters, digits, '-' and '_', like \"reduced\"", field);
  }
  return Ok();
}

}  // namespace plaza::pricing::internal
