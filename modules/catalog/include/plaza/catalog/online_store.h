#pragma once
// What search needs to know of a variant beyond the catalog when it serves the online
// store: its price in the shopper's market (pricing) and whether it can be bought there
// (inventory). One annotator serves every surface that searches for shoppers, so the
// storefront pages and the storefront API filter and rank on the same rule.

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>

#include "plaza/catalog/catalog.h"
#include "plaza/core/clock.h"
#include "plaza/inventory/inventory.h"
#include "plaza/pricing/pricing.h"

namespace plaza::catalog {

// The price and availability of the variants a page or an answer shows.
struct OnlineStoreOffers {
  std::unordered_map<std::int64_t, pricing::EffectivePrice> prices;  // none for variants not priced
  std::unordered_map<std::int64_t, inventory::Availability> availability;

  const pricing::EffectivePrice* Price(std::int64_t variant_id) const;
  // A variant inventory does not know is out of stock.
  inventory::Availability Stock(std::int64_t variant_id) const;
};

// Prices in market `market_id` at `now` (none when there is no market) and online-store
// availability of `variant_ids`, inside the caller's transaction, in batches of
// pricing::kMaxVariantsPerRequest. `variant_ids` are the shown variants only, never a
// whole price list.
Result<OnlineStoreOffers> LoadOnlineStoreOffers(store::Transaction& tx, inventory::InventoryService& inventory,
                                                std::int64_t shop_id, std::optional<std::int64_t> market_id,
                                                TimePoint now, std::span<const std::int64_t> variant_ids);

// A SearchQuery::annotate for the online store: the prices of the candidates in market
// `market_id` at `now` (none when there is no market), and those not out of stock on the
// online store. It reads only the candidates, so a search costs what it matches, not
// the size of the market's price list. `inventory` must outlive the query.
std::function<Status(store::Transaction&, std::span<const std::int64_t>, VariantAnnotations&)> OnlineStoreAnnotator(
    inventory::InventoryService& inventory, std::int64_t shop_id, std::optional<std::int64_t> market_id, TimePoint now);

}  // namespace plaza::catalog
