#pragma once
// The order and return state machines: which transitions exist and which event each
// emits. Services check every change against these tables, so an order can never jump
// from cancelled to delivered, nor a return be refunded before it is received.
// Pure and thread-safe.

#include <optional>
#include <string_view>

#include "plaza/core/result.h"

namespace plaza::orders {

// placed -> paid -> partially_fulfilled -> fulfilled -> delivered
//   placed, paid and partially_fulfilled may be cancelled (unfulfilled units restock);
//   placed may go straight to partially_fulfilled/fulfilled for pay-later methods.
// Refunds do not change the status: refunded_total records them, and a fully refunded
// order stays where its goods are.
enum class OrderStatus { kPlaced, kPaid, kPartiallyFulfilled, kFulfilled, kDelivered, kCancelled };

std::string_view OrderStatusName(OrderStatus status);  // "placed", "partially_fulfilled" …
std::optional<OrderStatus> ParseOrderStatus(std::string_view name);
bool CanTransition(OrderStatus from, OrderStatus to);
// OK, or kConflict "orders/invalid-transition" naming both states.
Status CheckTransition(OrderStatus from, OrderStatus to);

// requested -> approved -> received -> refunded; requested -> rejected.
enum class ReturnStatus { kRequested, kApproved, kRejected, kReceived, kRefunded };

std::string_view ReturnStatusName(ReturnStatus status);
std::optional<ReturnStatus> ParseReturnStatus(std::string_view name);
bool CanTransition(ReturnStatus from, ReturnStatus to);
// OK, or kConflict "returns/invalid-transition".
Status CheckTransition(ReturnStatus from, ReturnStatus to);

}  // namespace plaza::orders
