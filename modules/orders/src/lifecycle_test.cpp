#include "plaza/orders/lifecycle.h"

#include <gtest/gtest.h>

namespace plaza::orders {
namespace {

const OrderStatus kAllOrder[] = {OrderStatus::kPlaced,    OrderStatus::kPaid,      OrderStatus::kPartiallyFulfilled,
                                 OrderStatus::kFulfilled, OrderStatus::kDelivered, OrderStatus::kCancelled};
const ReturnStatus kAllReturn[] = {ReturnStatus::kRequested, ReturnStatus::kApproved, ReturnStatus::kRejected,
                                   ReturnStatus::kReceived, ReturnStatus::kRefunded};

TEST(OrderLifecycleTest, NamesRoundTrip) {
  for (OrderStatus status : kAllOrder) EXPECT_EQ(ParseOrderStatus(OrderStatusName(status)), status);
  for (ReturnStatus status : kAllReturn) EXPECT_EQ(ParseReturnStatus(ReturnStatusName(status)), status);
  EXPECT_FALSE(ParseOrderStatus("shipped"));
  EXPECT_EQ(OrderStatusName(OrderStatus::kPartiallyFulfilled), "partially_fulfilled");
}

TEST(OrderLifecycleTest, HappyPath) {
  EXPECT_TRUE(CanTransition(OrderStatus::kPlaced, OrderStatus::kPaid));
  EXPECT_TRUE(CanTransition(OrderStatus::kPaid, OrderStatus::kPartiallyFulfilled));
  EXPECT_TRUE(CanTransition(OrderStatus::kPartiallyFulfilled, OrderStatus::kPartiallyFulfilled));
  EXPECT_TRUE(CanTransition(OrderStatus::kPartiallyFulfilled, OrderStatus::kFulfilled));
  EXPECT_TRUE(CanTransition(OrderStatus::kFulfilled, OrderStatus::kDelivered));
}

TEST(OrderLifecycleTest, TerminalAndBackwardMovesAreRefused) {
  for (OrderStatus to : kAllOrder) {
    EXPECT_FALSE(CanTransition(OrderStatus::kCancelled, to)) << OrderStatusName(to);
    EXPECT_FALSE(CanTransition(OrderStatus::kDelivered, to)) << OrderStatusName(to);
  }
  EXPECT_FALSE(CanTransition(OrderStatus::kFulfilled, OrderStatus::kCancelled));
  EXPECT_FALSE(CanTransition(OrderStatus::kPaid, OrderStatus::kPlaced));
  EXPECT_FALSE(CanTransition(OrderStatus::kPlaced, OrderStatus::kDelivered));
  const Status refused = CheckTransition(OrderStatus::kCancelled, OrderStatus::kPaid);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "orders/invalid-transition");
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
}

TEST(ReturnLifecycleTest, Transitions) {
  EXPECT_TRUE(CanTransition(ReturnStatus::kRequested, ReturnStatus::kApproved));
  EXPECT_TRUE(CanTransition(ReturnStatus::kRequested, ReturnStatus::kRejected));
  EXPECT_TRUE(CanTransition(ReturnStatus::kApproved, ReturnStatus::kReceived));
  EXPECT_TRUE(CanTransition(ReturnStatus::kReceived, ReturnStatus::kRefunded));
  EXPECT_FALSE(CanTransition(ReturnStatus::kRequested, ReturnStatus::kRefunded));
  EXPECT_FALSE(CanTransition(ReturnStatus::kApproved, ReturnStatus::kRefunded));
  EXPECT_FALSE(CanTransition(ReturnStatus::kRejected, ReturnStatus::kApproved));
  for (ReturnStatus to : kAllReturn) EXPECT_FALSE(CanTransition(ReturnStatus::kRefunded, to));
  EXPECT_EQ(CheckTransition(ReturnStatus::kRequested, ReturnStatus::kReceived).error().type,
            "returns/invalid-transition");
}

}  // namespace
}  // namespace plaza::orders
