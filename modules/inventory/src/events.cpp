// Outbox events: what catalog feeds, live shows and the guard learn about stock without
// polling. A state event is appended only when an item's announced state changes, so the
// checkout path adds one read per reservation and a write only on a real transition.

#include <boost/json.hpp>

#include "internal.h"
#include "plaza/store/outbox.h"

namespace plaza::inventory::internal {

StockState ItemStockState(std::int64_t available, std::int64_t threshold, bool preorder_open,
                          std::int64_t preorder_remaining, bool allow_backorder) {
  if (available > 0) return available <= threshold ? StockState::kLowStock : StockState::kInStock;
  if (preorder_open && preorder_remaining > 0) return StockState::kPreorder;
  if (allow_backorder) return StockState::kBackorder;
  return StockState::kOutOfStock;
}

Status AppendItemEvent(store::Transaction& tx, std::int64_t shop_id, std::int64_t item_id, std::string event_type,
                       std::string payload_json, TimePoint now) {
  store::OutboxEvent event;
  event.shop_id = shop_id;
  event.aggregate_type = "inventory_item";
  event.aggregate_id = std::to_string(item_id);
  event.event_type = std::move(event_type);
  event.payload_json = std::move(payload_json);
  PLAZA_TRY(store::AppendEvent(tx, event, now));
  return Ok();
}

Status PublishStockStates(store::Transaction& tx, std::int64_t shop_id, const std::vector<std::int64_t>& item_ids,
                          std::int64_t default_threshold, TimePoint now) {
  if (item_ids.empty()) return Ok();
  Params params{shop_id};
  params.insert(params.end(), item_ids.begin(), item_ids.end());
  PLAZA_ASSIGN_OR_RETURN(
      auto rows,
      tx.Execute("SELECT i.id, i.sku, i.stock_state, i.allow_backorder, i.low_stock_threshold, i.preorder_arrival_at,"
                 " i.preorder_cap - i.preorder_used, COALESCE(SUM(CASE WHEN loc.active = 1"
                 " THEN l.on_hand - l.reserved - l.committed ELSE 0 END), 0)"
                 " FROM inventory_items i LEFT JOIN inventory_levels l ON l.shop_id = i.shop_id AND l.item_id = i.id"
                 " LEFT JOIN inventory_locations loc ON loc.shop_id = l.shop_id AND loc.id = l.location_id"
                 " WHERE i.shop_id = ? AND i.id IN (" +
                     store::Placeholders(item_ids.size()) +
                     ") GROUP BY i.id, i.sku, i.stock_state, i.allow_backorder, i.low_stock_threshold,"
                     " i.preorder_arrival_at, i.preorder_cap, i.preorder_used ORDER BY i.id",
                 params));
  for (const store::Row& row : rows.rows) {
    const std::int64_t item_id = row.Int(0);
    const std::int64_t available = row.Int(7);
    const bool preorder_open = !row.IsNull(5);
    const StockState state = ItemStockState(available, row.OptionalInt(4).value_or(default_threshold), preorder_open,
                                            row.Int(6), row.Bool(3));
    const std::string previous = row.Text(2);
    if (previous == StockStateName(state)) continue;
    PLAZA_TRY(tx.Execute("UPDATE inventory_items SET stock_state = ? WHERE shop_id = ? AND id = ?",
                         {std::string(StockStateName(state)), shop_id, item_id}));
    PLAZA_ASSIGN_OR_RETURN(auto variants, tx.Execute("SELECT variant_id FROM inventory_components WHERE shop_id = ?"
                                                     " AND item_id = ? ORDER BY variant_id",
                                                     {shop_id, item_id}));
    boost::json::array variant_ids;
    for (const store::Row& variant : variants.rows) variant_ids.emplace_back(variant.Int(0));
    boost::json::object payload{{"item_id", item_id},
                                {"sku", row.IsNull(1) ? boost::json::value(nullptr) : boost::json::value(row.Text(1))},
                                {"variant_ids", std::move(variant_ids)},
                                {"state", StockStateName(state)},
                                {"previous_state", previous},
                                {"available", std::max<std::int64_t>(available, 0)}};
    if (state == StockState::kPreorder) {
      payload["preorder_arrival_at"] = row.Int(5);
      payload["preorder_remaining"] = row.Int(6);
    }
    PLAZA_TRY(
        AppendItemEvent(tx, shop_id, item_id, "inventory.stock_state_changed", boost::json::serialize(payload), now));
  }
  return Ok();
}

}  // namespace plaza::inventory::internal
