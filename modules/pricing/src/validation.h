#pragma once
// Input checks shared by the service's source files. Each error names its field.

#include <string>
#include <string_view>

#include "plaza/core/result.h"
#include "plaza/pricing/pricing.h"

namespace plaza::pricing::internal {

// ISO 3166-1 alpha-2 shape: two upper-case ASCII letters.
bool IsCountryCode(std::string_view code);
Status ValidateCountry(std::string_view country, const std::string& field);
// "FR" or "US-CA": a country, optionally '-' and 1–3 upper-case letters or digits.
Status ValidateRegion(std::string_view region, const std::string& field);
Status ValidateDestination(const Destination& destination);
Status ValidateHandle(std::string_view handle, const std::string& field);
Status ValidateName(std::string_view name, const std::string& field);
Status ValidateTaxClass(std::string_view tax_class, const std::string& field);

}  // namespace plaza::pricing::internal
