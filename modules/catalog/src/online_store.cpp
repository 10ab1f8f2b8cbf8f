#include "plaza/catalog/online_store.h"

#include "plaza/pricing/pricing.h"

namespace plaza::catalog {

std::function<Status(store::Transaction&, std::span<const std::int64_t>, VariantAnnotations&)> OnlineStoreAnnotator(
    inventory::InventoryService& inventory, std::int64_t shop_id, std::optional<std::int64_t> market_id,
    TimePoint now) {
  return [&inventory, shop_id, market_id, now](store::Transaction& tx, std::span<const std::int64_t> variant_ids,
                                               VariantAnnotations& out) -> Status {
    if (market_id) {
      PLAZA_ASSIGN_OR_RETURN(auto prices, pricing::FindVariantPrices(tx, shop_id, *market_id, variant_ids, now));
      for (const pricing::EffectivePrice& price : prices) {
        out.prices.push_back({.variant_id = price.variant_id, .amount = price.price.minor});
      }
    }
    PLAZA_ASSIGN_OR_RETURN(auto availability,
                           inventory.GetAvailability(tx, shop_id, variant_ids, inventory::SalesChannel::kOnlineStore));
    for (const inventory::Availability& entry : availability) {
      if (entry.state != inventory::StockState::kOutOfStock) out.in_stock.push_back(entry.variant_id);
    }
    return Ok();
  };
}

}  // namespace plaza::catalog
