#pragma once
// Where a Shopify CSV import's prices and stock go: the catalog hands them over after
// each product commits (ImportSink), and this writes them through the pricing and
// inventory services, the owners of those tables. The API, the admin's import page and
// the CLI all import through it.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "plaza/catalog/catalog.h"
#include "plaza/inventory/inventory.h"
#include "plaza/pricing/pricing.h"

namespace plaza::catalog {

class CatalogImportSink final : public ImportSink {
 public:
  // Prices go to `market_id`'s price list (the CSV's one currency). Stock of tracked
  // variants is received at `location_id` when one is given, each variant backed by an
  // item of its own with the variant's SKU; without a location stock is left alone,
  // since a CSV column cannot say where units are.
  CatalogImportSink(pricing::PricingService& pricing, inventory::InventoryService& inventory, std::int64_t market_id,
                    std::optional<std::int64_t> location_id, std::string actor);

  Status Prices(std::int64_t shop_id, std::span<const ImportedPrice> prices) override;
  Status Stock(std::int64_t shop_id, std::span<const ImportedStock> stock) override;

 private:
  pricing::PricingService& pricing_;
  inventory::InventoryService& inventory_;
  std::int64_t market_id_;
  std::optional<std::int64_t> location_id_;
  std::string actor_;
};

}  // namespace plaza::catalog
