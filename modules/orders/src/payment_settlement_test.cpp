#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "orders_test_fixture.h"
#include "plaza/orders/order_service.h"

namespace plaza::orders::testing {
namespace {

using plaza::testing::BackendName;
using plaza::testing::TestBackends;

constexpr char kPendingCard[] = "4000000000003220";

class PaymentSettlementTest : public OrdersTest {
 protected:
  // Places an order of `quantity` shirts paid with the card the provider confirms later.
  Result<Order> PlacePending(std::int64_t variant_id, std::int64_t quantity, const std::string& key) {
    PLAZA_ASSIGN_OR_RETURN(const Cart cart, ReadyCart({{variant_id, quantity}}));
    return service_.PlaceOrder(kShop, cart.token, Input(key, kPendingCard));
  }

  // Delivers the provider's webhook the way the HTTP route does.
  Result<payments::Payment> Deliver(const payments::SignedWebhook& webhook) {
    PLAZA_ASSIGN_OR_RETURN(const payments::TestProviderEvent event,
                           payments_.VerifyTestProviderWebhook(kShop, webhook.signature_header, webhook.body));
    return service_.SettlePayment(
        kShop, [&](store::Transaction& tx) { return payments_.SettleTestProviderEvent(tx, kShop, event); });
  }

  std::int64_t Events(const std::string& type) {
    auto count = CountRows("SELECT COUNT(*) FROM outbox_events WHERE event_type = '" + type + "'");
    EXPECT_TRUE(count.ok());
    return count.ok() ? *count : -1;
  }
};

TEST_P(PaymentSettlementTest, ConfirmedPendingPaymentMakesTheOrderPaidOnceAcrossRedeliveries) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 5);
  auto order = PlacePending(shirt, 2, "pending-1");
  PLAZA_ASSERT_OK(order);
  EXPECT_EQ(order->status, OrderStatus::kPlaced);
  EXPECT_TRUE(mailer_.messages().empty()) << "confirmed before the bank said yes";
  auto payment = payments_.Get(kShop, *order->payment_id);
  PLAZA_ASSERT_OK(payment);
  ASSERT_EQ(payment->status, payments::PaymentStatus::kPending);

  auto webhook = provider_.CompleteAsync(kShop, payment->provider_reference, true, "", clock_.Now());
  PLAZA_ASSERT_OK(webhook);
  for (int delivery = 0; delivery < 3; ++delivery) {
    auto settled = Deliver(*webhook);
    PLAZA_ASSERT_OK(settled);
    EXPECT_EQ(settled->status, payments::PaymentStatus::kCaptured);
    EXPECT_EQ(settled->captured_minor, order->total);
  }
  auto paid = service_.GetOrder(kShop, order->id);
  PLAZA_ASSERT_OK(paid);
  EXPECT_EQ(paid->status, OrderStatus::kPaid);
  EXPECT_TRUE(paid->paid_at.has_value());
  EXPECT_EQ(Events("order.paid"), 1);
  EXPECT_EQ(Events("payment.captured"), 1);
  ASSERT_EQ(mailer_.messages().size(), 1U);
  EXPECT_EQ(mailer_.messages()[0].to, "camille@example.fr");
  EXPECT_NE(mailer_.messages()[0].subject.find("confirmed"), std::string::npos);
  EXPECT_EQ(Available(shirt), 3);
}

TEST_P(PaymentSettlementTest, ConcurrentDeliveriesSettleOnce) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 5);
  auto order = PlacePending(shirt, 1, "pending-race");
  PLAZA_ASSERT_OK(order);
  auto payment = payments_.Get(kShop, *order->payment_id);
  PLAZA_ASSERT_OK(payment);
  auto webhook = provider_.CompleteAsync(kShop, payment->provider_reference, true, "", clock_.Now());
  PLAZA_ASSERT_OK(webhook);
  constexpr std::size_t kDeliveries = 6;
  std::vector<std::thread> threads;
  std::vector<Status> results(kDeliveries, Ok());
  for (std::size_t idx = 0; idx < kDeliveries; ++idx) {
    threads.emplace_back([&, idx] {
      auto settled = Deliver(*webhook);
      if (!settled.ok()) results[idx] = std::move(settled).error();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Status& result : results) EXPECT_TRUE(result.ok()) << result.error().type << ": " << result.error().detail;
  auto paid = service_.GetOrder(kShop, order->id);
  PLAZA_ASSERT_OK(paid);
  EXPECT_EQ(paid->status, OrderStatus::kPaid);
  EXPECT_EQ(Events("order.paid"), 1);
  EXPECT_EQ(Events("payment.authorized"), 1);
  EXPECT_EQ(Events("payment.captured"), 1);
  EXPECT_EQ(mailer_.messages().size(), 1U);
}

TEST_P(PaymentSettlementTest, AsynchronousFailureCancelsTheOrderAndRestocksOnce) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 5);
  auto order = PlacePending(shirt, 3, "pending-fail");
  PLAZA_ASSERT_OK(order);
  EXPECT_EQ(Available(shirt), 2);
  auto payment = payments_.Get(kShop, *order->payment_id);
  PLAZA_ASSERT_OK(payment);
  auto webhook =
      provider_.CompleteAsync(kShop, payment->provider_reference, false, "authentication_failed", clock_.Now());
  PLAZA_ASSERT_OK(webhook);
  for (int delivery = 0; delivery < 2; ++delivery) {
    auto settled = Deliver(*webhook);
    PLAZA_ASSERT_OK(settled);
    EXPECT_EQ(settled->status, payments::PaymentStatus::kFailed);
    EXPECT_EQ(settled->decline_reason, "authentication_failed");
  }
  auto cancelled = service_.GetOrder(kShop, order->id);
  PLAZA_ASSERT_OK(cancelled);
  EXPECT_EQ(cancelled->status, OrderStatus::kCancelled);
  EXPECT_EQ(cancelled->refunded_total, 0);
  EXPECT_EQ(Available(shirt), 5);
  EXPECT_EQ(Events("order.cancelled"), 1);
  EXPECT_EQ(Events("payment.failed"), 1);
  EXPECT_TRUE(mailer_.messages().empty());
  auto ledger = inventory_.CheckLedger(kShop);
  PLAZA_ASSERT_OK(ledger);
  EXPECT_TRUE(ledger->ok());
}

TEST_P(PaymentSettlementTest, PaymentWithoutAnOrderIsSettledAlone) {
  auto pending = payments_.Authorize(kShop, {.idempotency_key = "lone",
                                             .order_reference = "invoice-7",
                                             .provider = "test",
                                             .method = "card",
                                             .amount = Money{1200, "EUR"},
                                             .card = payments::CardDetails{kPendingCard, 12, 2030, "123"}});
  PLAZA_ASSERT_OK(pending);
  auto webhook = provider_.CompleteAsync(kShop, pending->provider_reference, true, "", clock_.Now());
  PLAZA_ASSERT_OK(webhook);
  auto settled = Deliver(*webhook);
  PLAZA_ASSERT_OK(settled);
  EXPECT_EQ(settled->status, payments::PaymentStatus::kAuthorized);
  EXPECT_EQ(Events("order.paid"), 0);
  EXPECT_TRUE(mailer_.messages().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, PaymentSettlementTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::orders::testing
