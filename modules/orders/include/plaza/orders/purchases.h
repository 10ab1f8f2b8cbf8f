#pragma once
// What a customer has bought, for modules that grant something to buyers: a review's
// "verified buyer" badge, the right to answer a product question as an owner, a review
// request after delivery. Reads only; each function runs in the caller's transaction,
// so the answer is consistent with what the caller writes next.
//
// Thread-safety: as thread-safe as the Transaction given.

#include <cstdint>
#include <span>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::orders {

// One line of a delivered order.
struct DeliveredLine {
  std::int64_t order_id = 0;
  std::int64_t order_line_id = 0;
  std::int64_t customer_id = 0;  // 0 for a guest's order
  std::int64_t product_id = 0;
  std::int64_t variant_id = 0;
  TimePoint delivered_at{};
};

// The lines of `product_id` in the delivered orders `customer_id` placed in `shop_id`,
// earliest delivery first. Orders in any other state (placed, paid, shipped but not
// delivered, cancelled) and other customers' orders are left out.
Result<std::vector<DeliveredLine>> DeliveredLinesOf(store::Transaction& tx, std::int64_t shop_id,
                                                    std::int64_t customer_id, std::int64_t product_id);

// The lines of order `order_id` of `shop_id` when it is delivered; empty otherwise
// (including another shop's order).
Result<std::vector<DeliveredLine>> DeliveredLinesOfOrder(store::Transaction& tx, std::int64_t shop_id,
                                                         std::int64_t order_id);

// How many orders `customer_id` placed in `shop_id` that were not cancelled.
Result<std::int64_t> CountOrdersOf(store::Transaction& tx, std::int64_t shop_id, std::int64_t customer_id);

// Of `customer_ids`, those with a paid order in `shop_id` holding a line of `product_id`:
// paid, fulfilled in part or whole, or delivered, not cancelled. Ascending, each once; for
// social proof ("3 people you follow bought this"), which counts paid purchases, not
// deliveries.
Result<std::vector<std::int64_t>> CustomersWhoPaidFor(store::Transaction& tx, std::int64_t shop_id,
                                                      std::int64_t product_id,
                                                      std::span<const std::int64_t> customer_ids);

}  // namespace plaza::orders
