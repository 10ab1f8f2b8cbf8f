#include "plaza/orders/reports.h"

#include <chrono>

namespace plaza::orders {

Result<std::vector<DailySales>> SalesByDay(store::Database& db, std::int64_t shop_id, TimePoint now, int days) {
  if (days < 1 || days > kMaxSalesDays) {
    return Error::Invalid("orders/invalid-days", "Ask for 1 to " + std::to_string(kMaxSalesDays) + " days.", "/days");
  }
  constexpr std::int64_t kDayMs = 86'400'000;
  const TimePoint today = std::chrono::floor<std::chrono::days>(now);
  const std::int64_t from = ToUnixMillis(today) - (days - 1) * kDayMs;
  const std::int64_t to = ToUnixMillis(today) + kDayMs;
  return db.Read([&](store::Transaction& tx) -> Result<std::vector<DailySales>> {
    // placed_at >= from, so the integer division floors on both engines.
    PLAZA_ASSIGN_OR_RETURN(
        auto result,
        tx.Execute("SELECT (placed_at - ?) / ? AS day_index, currency, COUNT(*), CAST(SUM(total) AS BIGINT), "
                   "CAST(SUM(refunded_total) AS BIGINT) "
                   "FROM order_orders WHERE shop_id = ? AND placed_at >= ? AND placed_at < ? AND status <> 'cancelled' "
                   "GROUP BY day_index, currency ORDER BY day_index, currency",
                   {from, kDayMs, shop_id, from, to}));
    std::vector<DailySales> sales;
    sales.reserve(result.rows.size());
    for (const store::Row& row : result.rows) {
      sales.push_back({.day = FromUnixMillis(from + row.Int(0) * kDayMs),
                       .currency = row.Text(1),
                       .orders = row.Int(2),
                       .revenue = row.Int(3),
                       .refunded = row.Int(4)});
    }
    return sales;
  });
}

Result<std::int64_t> CountPaidOrders(store::Transaction& tx, std::int64_t shop_id, std::int64_t customer_id) {
  // paid_at stays set through fulfilment and delivery, so it marks every paid order.
  PLAZA_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT COUNT(*) FROM order_orders WHERE shop_id = ? AND customer_id = ? "
                                     "AND paid_at IS NOT NULL AND status <> 'cancelled'",
                                     {shop_id, customer_id}));
  return row ? row->Int(0) : 0;
}

}  // namespace plaza::orders
