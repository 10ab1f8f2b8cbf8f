#pragma once
// Order, return and address rows: reads and the small writes the service composes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plaza/orders/model.h"
#include "plaza/store/database.h"

namespace plaza::orders::internal {

// kNotFound ("orders/order-not-found") for an unknown id or another shop's order.
Result<Order> LoadOrder(store::Transaction& tx, std::int64_t shop_id, std::int64_t order_id);
// The order placed from a cart, if any.
Result<std::optional<std::int64_t>> FindOrderForCart(store::Transaction& tx, std::int64_t shop_id,
                                                     const std::string& cart_token);
Result<std::string> ReservationKeyOf(store::Transaction& tx, std::int64_t shop_id, std::int64_t order_id);
Status UpdateOrderStatus(store::Transaction& tx, const Order& order, OrderStatus to, std::string_view time_column,
                         TimePoint now);
Status AppendOrderEvent(store::Transaction& tx, const Order& order, std::string_view event_type, TimePoint now,
                        std::int64_t amount = 0);

Result<Return> LoadReturn(store::Transaction& tx, std::int64_t shop_id, std::int64_t return_id);
Status AppendReturnEvent(store::Transaction& tx, std::int64_t shop_id, const Return& return_request,
                         std::string_view event_type, TimePoint now);

std::string AttributionToJson(const Attribution& attribution);
Attribution AttributionFromJson(const std::string& json);
std::string ShippingToJson(const ShippingChoice& shipping);
ShippingChoice ShippingFromJson(const std::string& json);

}  // namespace plaza::orders::internal
