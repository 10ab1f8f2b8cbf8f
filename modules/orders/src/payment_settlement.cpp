// An order follows its payment when the provider decides it later: a failed payment
// cancels the order in the transaction that records the failure; an authorised one is
// captured outside any transaction (a provider call) and the order becomes paid.

#include "order_store.h"
#include "plaza/orders/order_service.h"
#include "plaza/payments/manual_provider.h"
#include "plaza/payments/payment_service.h"

namespace plaza::orders {
namespace {

// Checkout names a payment's order by its cart ("cart:<token>"); see PlaceOrder.
constexpr std::string_view kCartReferencePrefix = "cart:";

// The order placed with exactly this payment, if any. An order may have had declined
// attempts before the payment it was placed with; those never touch it.
Result<std::optional<Order>> OrderPaidBy(store::Transaction& tx, std::int64_t shop_id,
                                         const payments::Payment& payment) {
  if (!payment.order_reference.starts_with(kCartReferencePrefix)) return std::optional<Order>();
  const std::string token = payment.order_reference.substr(kCartReferencePrefix.size());
  PLAZA_ASSIGN_OR_RETURN(const auto order_id, internal::FindOrderForCart(tx, shop_id, token));
  if (!order_id) return std::optional<Order>();
  PLAZA_ASSIGN_OR_RETURN(Order order, internal::LoadOrder(tx, shop_id, *order_id));
  if (order.payment_id != payment.id) return std::optional<Order>();
  return std::optional<Order>(std::move(order));
}

bool Failed(payments::PaymentStatus status) {
  return status == payments::PaymentStatus::kFailed || status == payments::PaymentStatus::kDeclined;
}

}  // namespace

Result<payments::Payment> OrderService::SettlePayment(std::int64_t shop_id, const PaymentSettler& settle) {
  struct Outcome {
    payments::Settlement settlement;
    std::optional<Order> order;
  };
  const TimePoint now = clock_.Now();
  PLAZA_ASSIGN_OR_RETURN(Outcome outcome, db_.Write([&](store::Transaction& tx) -> Result<Outcome> {
    PLAZA_ASSIGN_OR_RETURN(payments::Settlement settlement, settle(tx));
    PLAZA_ASSIGN_OR_RETURN(std::optional<Order> order, OrderPaidBy(tx, shop_id, settlement.payment));
    // State, not the delivery, decides: a redelivery after a crash finishes what the
    // first delivery left, and a second one finds nothing left to do.
    if (order && order->status == OrderStatus::kPlaced && Failed(settlement.payment.status)) {
      PLAZA_ASSIGN_OR_RETURN(order, CancelInTransaction(tx, shop_id, order->id, now));
    }
    // A payment settled as captured (a manual one staff marked paid) pays its order here,
    // in the transaction that recorded the money.
    if (order && order->status == OrderStatus::kPlaced &&
        settlement.payment.status == payments::PaymentStatus::kCaptured) {
      PLAZA_TRY(internal::UpdateOrderStatus(tx, *order, OrderStatus::kPaid, "paid_at", now));
      order->status = OrderStatus::kPaid;
      PLAZA_TRY(internal::AppendOrderEvent(tx, *order, "order.paid", now));
      PLAZA_ASSIGN_OR_RETURN(order, internal::LoadOrder(tx, shop_id, order->id));
    }
    return Outcome{std::move(settlement), std::move(order)};
  }));
  payments::Payment& payment = outcome.settlement.payment;
  if (!outcome.order ||
      (payment.status != payments::PaymentStatus::kAuthorized && payment.status != payments::PaymentStatus::kCaptured))
    return std::move(payment);

  const Order& order = *outcome.order;
  // Only the delivery that settled the payment confirms, so the buyer hears once; it
  // does so before capturing, which a redelivery may have to retry.
  if (outcome.settlement.settled_now) {
    const Status sent = mailer_.Send(OrderConfirmationEmail(Identity(shop_id), order));
    (void)sent;  // the order stands without its e-mail; the mailer logs its failures
  }
  if (payment.status == payments::PaymentStatus::kAuthorized && options_.capture_on_place &&
      order.status == OrderStatus::kPlaced) {
    // An error here reaches the provider as a failed delivery, so its redelivery
    // retries the capture; the capture's key makes that safe.
    PLAZA_ASSIGN_OR_RETURN(const Order paid, CapturePayment(shop_id, order.id));
    (void)paid;  // the caller is told about the payment, which the capture changed
  }
  return payments_.Get(shop_id, payment.id);
}

Result<Order> OrderService::MarkPaid(std::int64_t shop_id, std::int64_t order_id) {
  PLAZA_ASSIGN_OR_RETURN(const Order order, GetOrder(shop_id, order_id));
  const auto not_manual = [] {
    return Error::Conflict("orders/not-manual-payment",
                           "only an order paid by bank transfer or cash on delivery can be marked paid");
  };
  if (!order.payment_id) return not_manual();
  PLAZA_ASSIGN_OR_RETURN(const payments::Payment recorded, payments_.Get(shop_id, *order.payment_id));
  if (recorded.provider != payments::kManualProviderName) return not_manual();
  const std::string key = "order-mark-paid:" + std::to_string(order_id);
  PLAZA_ASSIGN_OR_RETURN(const payments::Payment payment, SettlePayment(shop_id, [&](store::Transaction& tx) {
                           return payments_.MarkPaid(tx, shop_id, *order.payment_id, key);
                         }));
  (void)payment;  // the caller is told about the order, which settling changed with it
  return GetOrder(shop_id, order_id);
}

}  // namespace plaza::orders
