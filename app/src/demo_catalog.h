#pragma once
// The demo shop's catalog as Shopify product CSV: the hand-written Aurelle range
// (app/demo/aurelle-products.csv, compiled into the binary so `plaza seed-demo` runs
// from any directory) and generated products for benchmarks.

#include <cstdint>
#include <string>
#include <string_view>

#include "plaza/catalog/catalog.h"
#include "plaza/core/result.h"

namespace plaza::app {

// The contents of app/demo/aurelle-products.csv.
std::string_view DemoCatalogCsv();

// `count` generated products with handles lab-<first> … lab-<first + count - 1>, one
// priced and stocked variant each, varied enough (types, vendors, tags, prices, words)
// for search, facets and listings to do real work.
std::string GeneratedCatalogCsv(std::int64_t first, std::int64_t count);

// The number after the last generated product of the shop, so generating again adds to
// the catalog instead of updating it.
Result<std::int64_t> NextGeneratedNumber(catalog::CatalogService& catalog, std::int64_t shop_id);

}  // namespace plaza::app
