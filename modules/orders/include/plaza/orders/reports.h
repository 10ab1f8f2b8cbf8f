#pragma once
// Sales figures for the merchant's dashboard, aggregated in SQL so the cost follows the
// number of days asked, not the number of orders.
//
// Thread-safety: as thread-safe as the Database given.

#include <cstdint>
#include <string>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::orders {

// A dashboard asks for a month; a quarter is the most a chart of days shows legibly.
inline constexpr int kMaxSalesDays = 92;

// Orders placed on one UTC day in one currency. Cancelled orders are left out;
// `revenue` is what those orders total, `refunded` what was refunded of them so far
// (minor units of `currency`).
struct DailySales {
  TimePoint day{};  // midnight UTC starting the day
  std::string currency{};
  std::int64_t orders = 0;
  std::int64_t revenue = 0;
  std::int64_t refunded = 0;
};

// The `days` UTC days ending with the day of `now` (1 … kMaxSalesDays), oldest first;
// days without orders are absent. One query.
Result<std::vector<DailySales>> SalesByDay(store::Database& db, std::int64_t shop_id, TimePoint now, int days);

// How many orders of `customer_id` have been paid: paid, partially fulfilled, fulfilled
// or delivered (refunds do not undo a payment; cancelled orders do not count). For rules
// such as a VIP group's "3 paid orders". 0 for an unknown or foreign customer.
Result<std::int64_t> CountPaidOrders(store::Transaction& tx, std::int64_t shop_id, std::int64_t customer_id);

}  // namespace plaza::orders
