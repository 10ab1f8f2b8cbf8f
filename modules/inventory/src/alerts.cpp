#include "plaza/inventory/alerts.h"

#include <algorithm>

namespace plaza::inventory {

Result<std::vector<StockAlert>> ListStockAlerts(store::Database& db, std::int64_t shop_id, int limit) {
  limit = std::clamp(limit, 1, kMaxStockAlerts);
  return db.Read([&](store::Transaction& tx) -> Result<std::vector<StockAlert>> {
    PLAZA_ASSIGN_OR_RETURN(
        auto result,
        tx.Execute("SELECT id, sku, stock_state FROM inventory_items WHERE shop_id = ? AND stock_state IN "
                   "('low_stock', 'preorder', 'out_of_stock') ORDER BY CASE stock_state WHEN 'out_of_stock' THEN 1 "
                   "ELSE 0 END, id LIMIT ?",
                   {shop_id, limit}));
    std::vector<StockAlert> alerts;
    alerts.reserve(result.rows.size());
    for (const store::Row& row : result.rows) {
      const std::string state = row.Text(2);
      StockAlert alert{.item_id = row.Int(0), .sku = row.Text(1)};
      alert.state = state == "low_stock"  ? StockState::kLowStock
                    : state == "preorder" ? StockState::kPreorder
                                          : StockState::kOutOfStock;
      alerts.push_back(std::move(alert));
    }
    return alerts;
  });
}

}  // namespace plaza::inventory
