#include "plaza/orders/lifecycle.h"

#include <array>
#include <string>
#include <utility>

#include "plaza/core/enum_names.h"

namespace plaza::orders {
namespace {

constexpr NameTable<OrderStatus, 6> kOrderNames = {{
    {OrderStatus::kPlaced, "placed"},
    {OrderStatus::kPaid, "paid"},
    {OrderStatus::kPartiallyFulfilled, "partially_fulfilled"},
    {OrderStatus::kFulfilled, "fulfilled"},
    {OrderStatus::kDelivered, "delivered"},
    {OrderStatus::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<OrderStatus, OrderStatus>, 11> kOrderTransitions = {{
    {OrderStatus::kPlaced, OrderStatus::kPaid},
    {OrderStatus::kPlaced, OrderStatus::kPartiallyFulfilled},
    {OrderStatus::kPlaced, OrderStatus::kFulfilled},
    {OrderStatus::kPlaced, OrderStatus::kCancelled},
    {OrderStatus::kPaid, OrderStatus::kPartiallyFulfilled},
    {OrderStatus::kPaid, OrderStatus::kFulfilled},
    {OrderStatus::kPaid, OrderStatus::kCancelled},
    {OrderStatus::kPartiallyFulfilled, OrderStatus::kPartiallyFulfilled},
    {OrderStatus::kPartiallyFulfilled, OrderStatus::kFulfilled},
    {OrderStatus::kPartiallyFulfilled, OrderStatus::kCancelled},
    {OrderStatus::kFulfilled, OrderStatus::kDelivered},
}};

constexpr NameTable<ReturnStatus, 5> kReturnNames = {{
    {ReturnStatus::kRequested, "requested"},
    {ReturnStatus::kApproved, "approved"},
    {ReturnStatus::kRejected, "rejected"},
    {ReturnStatus::kReceived, "received"},
    {ReturnStatus::kRefunded, "refunded"},
}};

constexpr std::array<std::pair<ReturnStatus, ReturnStatus>, 4> kReturnTransitions = {{
    {ReturnStatus::kRequested, ReturnStatus::kApproved},
    {ReturnStatus::kRequested, ReturnStatus::kRejected},
    {ReturnStatus::kApproved, ReturnStatus::kReceived},
    {ReturnStatus::kReceived, ReturnStatus::kRefunded},
}};

template <typename Transitions, typename Status>
bool Allowed(const Transitions& transitions, Status from, Status to) {
  for (const auto& [a, b] : transitions)
    if (a == from && b == to) return true;
  return false;
}

}  // namespace

std::string_view OrderStatusName(OrderStatus status) {
  return NameIn(kOrderNames, status, "unknown");
}
std::optional<OrderStatus> ParseOrderStatus(std::string_view name) {
  return ParseIn(kOrderNames, name);
}
bool CanTransition(OrderStatus from, OrderStatus to) {
  return Allowed(kOrderTransitions, from, to);
}
Status CheckTransition(OrderStatus from, OrderStatus to) {
  if (CanTransition(from, to)) return Ok();
  return Error::Conflict("orders/invalid-transition", "an order that is " + std::string(OrderStatusName(from)) +
                                                          " cannot become " + std::string(OrderStatusName(to)));
}

std::string_view ReturnStatusName(ReturnStatus status) {
  return NameIn(kReturnNames, status, "unknown");
}
std::optional<ReturnStatus> ParseReturnStatus(std::string_view name) {
  return ParseIn(kReturnNames, name);
}
bool CanTransition(ReturnStatus from, ReturnStatus to) {
  return Allowed(kReturnTransitions, from, to);
}
Status CheckTransition(ReturnStatus from, ReturnStatus to) {
  if (CanTransition(from, to)) return Ok();
  return Error::Conflict("returns/invalid-transition", "a return that is " + std::string(ReturnStatusName(from)) +
                                                           " cannot become " + std::string(ReturnStatusName(to)));
}

}  // namespace plaza::orders
