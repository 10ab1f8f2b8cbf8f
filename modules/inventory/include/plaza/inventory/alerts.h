#pragma once
// Stock alerts for the merchant's dashboard: items that are low, sold out or sold on
// pre-order, read from the state each item last announced (the same state the
// inventory.stock_state events carry), so the cost is one bounded query.
//
// Thread-safety: as thread-safe as the Database given.

#include <cstdint>
#include <string>
#include <vector>

#include "plaza/core/result.h"
#include "plaza/inventory/inventory.h"
#include "plaza/store/database.h"

namespace plaza::inventory {

inline constexpr int kMaxStockAlerts = 200;

struct StockAlert {
  std::int64_t item_id = 0;
  std::string sku{};
  StockState state = StockState::kOutOfStock;  // kLowStock, kOutOfStock or kPreorder
};

// At most `limit` (1 … kMaxStockAlerts) items of `shop_id` in an alerting state, low
// stock and pre-orders first, then sold out; by item id within each.
Result<std::vector<StockAlert>> ListStockAlerts(store::Database& db, std::int64_t shop_id, int limit);

}  // namespace plaza::inventory
