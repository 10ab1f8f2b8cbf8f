#include "plaza/catalog/import_sink.h"

#include <utility>
#include <vector>

namespace plaza::catalog {

CatalogImportSink::CatalogImportSink(pricing::PricingService& pricing, inventory::InventoryService& inventory,
                                     std::int64_t market_id, std::optional<std::int64_t> location_id, std::string actor)
    : pricing_(pricing),
      inventory_(inventory),
      market_id_(market_id),
      location_id_(location_id),
      actor_(std::move(actor)) {}

Status CatalogImportSink::Prices(std::int64_t shop_id, std::span<const ImportedPrice> prices) {
  std::vector<pricing::PriceInput> batch;
  for (const ImportedPrice& price : prices) {
    batch.push_back({.variant_id = price.variant_id,
                     .amount = price.amount,
                     .compare_at_amount = price.compare_at_amount,
                     .sale_amount = {},
                     .sale_starts_at = {},
                     .sale_ends_at = {}});
    if (batch.size() == pricing::kMaxVariantsPerRequest) {
      PLAZA_TRY(pricing_.SetPrices(shop_id, market_id_, batch));
      batch.clear();
    }
  }
  if (!batch.empty()) PLAZA_TRY(pricing_.SetPrices(shop_id, market_id_, batch));
  return Ok();
}

Status CatalogImportSink::Stock(std::int64_t shop_id, std::span<const ImportedStock> stock) {
  if (!location_id_) return Ok();
  for (const ImportedStock& line : stock) {
    if (!line.tracked) continue;
    PLAZA_ASSIGN_OR_RETURN(inventory::Item item, inventory_.EnsureVariantItem(shop_id, line.variant_id, line.sku));
    if (line.continue_selling && !item.allow_backorder) {
      PLAZA_TRY(
          inventory_.UpdateItem(shop_id, item.id, {.sku = {}, .allow_backorder = true, .low_stock_threshold = {}}));
    }
    if (line.quantity > 0) {
      PLAZA_TRY(inventory_.Receive(shop_id, {.item_id = item.id,
                                             .location_id = *location_id_,
                                             .quantity = line.quantity,
                                             .reason = "Shopify CSV import",
                                             .actor = actor_}));
    }
  }
  return Ok();
}

}  // namespace plaza::catalog
