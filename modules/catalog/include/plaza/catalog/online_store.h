#pragma once
// What search needs to know of a variant beyond the catalog when it serves the online
// store: its price in the shopper's market (pricing) and whether it can be bought there
// (inventory). One annotator serves every surface that searches for shoppers, so the
// storefront pages and the storefront API filter and rank on the same rule.

#include <cstdint>
#include <optional>

#include "plaza/catalog/catalog.h"
#include "plaza/core/clock.h"
#include "plaza/inventory/inventory.h"

namespace plaza::catalog {

// A SearchQuery::annotate for the online store: the prices of the candidates in market
// `market_id` at `now` (none when there is no market), and those not out of stock on the
// online store. It reads only the candidates, so a search costs what it matches, not
// the size of the market's price list. `inventory` must outlive the query.
std::function<Status(store::Transaction&, std::span<const std::int64_t>, VariantAnnotations&)> OnlineStoreAnnotator(
    inventory::InventoryService& inventory, std::int64_t shop_id, std::optional<std::int64_t> market_id, TimePoint now);

}  // namespace plaza::catalog
