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
#include "plaza/shipping/shipping_service.h"

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

// What the promise of one variant depends on besides its price and stock.
struct ShippedVariant {
  std::int64_t variant_id = 0;
  bool requires_shipping = true;
  std::int64_t weight_grams = 0;
};

// "Arrives by" for one unit of `variant` bought in `market` at `now`: the promise of the
// first shipping option to the market's first country, with a pre-order's arrival date.
// None when the market names no country, the variant ships nothing, has no price in the
// market or is out of stock (`offers` must hold it), or no rate covers the destination.
// Every surface that shows a product's delivery promise to shoppers calls this, so the
// product page and a product tagged in a post promise the same day.
Result<std::optional<shipping::DeliveryPromise>> VariantDeliveryPromise(
    store::Transaction& tx, shipping::ShippingService& shipping, std::int64_t shop_id, const pricing::Market& market,
    const ShippedVariant& variant, const OnlineStoreOffers& offers, TimePoint now);

}  // namespace plaza::catalog
