#include "demo_catalog.h"

#include <array>

namespace plaza::app {
namespace {

constexpr std::array<std::string_view, 8> kTypes = {"Serum",    "Moisturiser", "Cleanser", "Toner",
                                                    "Face oil", "Mask",        "Sun care", "Body care"};
constexpr std::array<std::string_view, 3> kVendors = {"Aurelle", "Aurelle Lab", "Maison Aurelle"};
constexpr std::array<std::string_view, 12> kActives = {"niacinamide", "retinal",  "vitamin c", "hyaluronic",
                                                       "peptide",     "ceramide", "squalane",  "bakuchiol",
                                                       "azelaic",     "centella", "lactic",    "salicylic"};
constexpr std::array<std::string_view, 6> kTextures = {"gel", "cream", "fluid", "balm", "milk", "essence"};
constexpr std::array<std::string_view, 5> kSizes = {"15 ml", "30 ml", "50 ml", "100 ml", "200 ml"};

// Only the Tags cell holds commas, so only it is quoted.
std::string GeneratedRow(std::int64_t n) {
  const auto at = [n](const auto& list, std::int64_t salt) {
    return list[static_cast<std::size_t>((n * 7 + salt) % static_cast<std::int64_t>(list.size()))];
  };
  const std::string_view active = at(kActives, 0);
  const std::string_view texture = at(kTextures, n / 12);
  const std::string_view type = at(kTypes, n / 5);
  const std::string number = std::to_string(n);
  const std::int64_t price = 900 + (n * 137) % 9100;  // 9.00 to 99.99 EUR
  std::string row;
  row.reserve(400);
  row += "lab-" + number + ",";                                                           // Handle
  row += "Lab " + std::string(active) + " " + std::string(texture) + " " + number + ",";  // Title
  row += "<p>A " + std::string(texture) + " with " + std::string(active) + " from the Aurelle lab; batch " + number +
         ".</p>,";                                                          // Body (HTML)
  row += std::string(at(kVendors, n / 3)) + ",,";                           // Vendor, Product Category
  row += std::string(type) + ",";                                           // Type
  row += "\"lab, " + std::string(active) + "\",";                           // Tags
  row += "TRUE,Size," + std::string(at(kSizes, n / 2)) + ",,,,,";           // Published, Option1-3
  row += "LAB-" + number + ",";                                             // Variant SKU
  row += std::to_string(40 + n % 400) + ",shopify,";                        // Grams, Tracker
  row += std::to_string(n % 10 == 0 ? 0 : 20 + n % 200) + ",deny,manual,";  // Qty, Policy, Fulfilment
  row += std::to_string(price / 100) + "." + (price % 100 < 10 ? "0" : "") + std::to_string(price % 100) + ",,";
  row += "TRUE,TRUE,,,,,FALSE,,,,g,,,active\n";
  return row;
}

}  // namespace

std::string GeneratedCatalogCsv(std::int64_t first, std::int64_t count) {
  std::string csv(DemoCatalogCsv().substr(0, DemoCatalogCsv().find('\n') + 1));  // the same header
  csv.reserve(csv.size() + static_cast<std::size_t>(count) * 300);
  for (std::int64_t n = first; n < first + count; ++n) csv += GeneratedRow(n);
  return csv;
}

Result<std::int64_t> NextGeneratedNumber(catalog::CatalogService& catalog, std::int64_t shop_id) {
  // Generated handles are dense from lab-1, so the first missing one is found by doubling
  // and then bisecting: about 2·log2(n) lookups.
  const auto exists = [&](std::int64_t n) -> Result<bool> {
    Result<catalog::Product> product = catalog.GetProductByHandle(shop_id, "lab-" + std::to_string(n));
    if (product.ok()) return true;
    if (product.error().code == ErrorCode::kNotFound) return false;
    return product.error();
  };
  std::int64_t present = 0;  // lab-1 … lab-present exist
  std::int64_t absent = 1;
  while (true) {
    PLAZA_ASSIGN_OR_RETURN(bool found, exists(absent));
    if (!found) break;
    present = absent;
    absent *= 2;
  }
  while (absent - present > 1) {
    const std::int64_t middle = present + (absent - present) / 2;
    PLAZA_ASSIGN_OR_RETURN(bool found, exists(middle));
    (found ? present : absent) = middle;
  }
  return present + 1;
}

}  // namespace plaza::app
