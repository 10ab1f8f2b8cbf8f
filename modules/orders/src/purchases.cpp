#include "plaza/orders/purchases.h"

#include <algorithm>

namespace plaza::orders {
namespace {

constexpr std::string_view kDeliveredLineSelect =
    "SELECT o.id, l.id, o.customer_id, l.product_id, l.variant_id, o.delivered_at"
    " FROM order_orders o JOIN order_lines l ON l.shop_id = o.shop_id AND l.order_id = o.id"
    " WHERE o.shop_id = ? AND o.status = 'delivered' AND o.delivered_at IS NOT NULL";

std::vector<DeliveredLine> ReadLines(const store::QueryResult& result) {
  std::vector<DeliveredLine> lines;
  lines.reserve(result.rows.size());
  for (const store::Row& row : result.rows) {
    lines.push_back({.order_id = row.Int(0),
                     .order_line_id = row.Int(1),
                     .customer_id = row.OptionalInt(2).value_or(0),
                     .product_id = row.Int(3),
                     .variant_id = row.Int(4),
                     .delivered_at = FromUnixMillis(row.Int(5))});
  }
  return lines;
}

}  // namespace

Result<std::vector<DeliveredLine>> DeliveredLinesOf(store::Transaction& tx, std::int64_t shop_id,
                                                    std::int64_t customer_id, std::int64_t product_id) {
  PLAZA_ASSIGN_OR_RETURN(
      const store::QueryResult result,
      tx.Execute(std::string(kDeliveredLineSelect) +
                     " AND o.customer_id = ? AND l.product_id = ? ORDER BY o.delivered_at, o.id, l.position",
                 {shop_id, customer_id, product_id}));
  return ReadLines(result);
}

Result<std::vector<DeliveredLine>> DeliveredLinesOfOrder(store::Transaction& tx, std::int64_t shop_id,
                                                         std::int64_t order_id) {
  PLAZA_ASSIGN_OR_RETURN(
      const store::QueryResult result,
      tx.Execute(std::string(kDeliveredLineSelect) + " AND o.id = ? ORDER BY l.position", {shop_id, order_id}));
  return ReadLines(result);
}

Result<std::int64_t> CountOrdersOf(store::Transaction& tx, std::int64_t shop_id, std::int64_t customer_id) {
  PLAZA_ASSIGN_OR_RETURN(
      const auto row,
      tx.QueryOne("SELECT COUNT(*) FROM order_orders WHERE shop_id = ? AND customer_id = ? AND status <> 'cancelled'",
                  {shop_id, customer_id}));
  return row ? row->Int(0) : 0;
}

Result<std::vector<std::int64_t>> CustomersWhoPaidFor(store::Transaction& tx, std::int64_t shop_id,
                                                      std::int64_t product_id,
                                                      std::span<const std::int64_t> customer_ids) {
  // Batches keep the statement under every engine's parameter limit for people who
  // follow thousands of buyers.
  constexpr std::size_t kBatch = 500;
  std::vector<std::int64_t> buyers;
  for (std::size_t start = 0; start < customer_ids.size(); start += kBatch) {
    const auto batch = customer_ids.subspan(start, std::min(kBatch, customer_ids.size() - start));
    std::vector<store::Param> params = {shop_id, product_id};
    for (const std::int64_t id : batch) params.emplace_back(id);
    PLAZA_ASSIGN_OR_RETURN(
        const store::QueryResult result,
        tx.Execute("SELECT DISTINCT o.customer_id FROM order_orders o JOIN order_lines l ON l.shop_id = o.shop_id AND "
                   "l.order_id = o.id WHERE o.shop_id = ? AND l.product_id = ? AND o.paid_at IS NOT NULL AND "
                   "o.status <> 'cancelled' AND o.customer_id IN (" +
                       store::Placeholders(batch.size()) + ")",
                   params));
    for (const store::Row& row : result.rows) buyers.push_back(row.Int(0));
  }
  std::sort(buyers.begin(), buyers.end());
  buyers.erase(std::unique(buyers.begin(), buyers.end()), buyers.end());
  return buyers;
}

}  // namespace plaza::orders
