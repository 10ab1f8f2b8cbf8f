#include "plaza/orders/order_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "orders_test_fixture.h"

namespace plaza::orders::testing {
namespace {

using plaza::testing::BackendName;
using plaza::testing::TestBackends;

TEST_P(OrdersTest, CartTotalsAddUpWithTaxIncludedPrices) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 10);
  const std::int64_t cap = MakeVariant("Cap", 1200, 10);
  auto cart = ReadyCart({{shirt, 2}, {cap, 1}});
  PLAZA_ASSERT_OK(cart);
  EXPECT_EQ(cart->currency, "EUR");
  EXPECT_EQ(cart->subtotal, 6200);
  EXPECT_EQ(cart->shipping_total, 490);
  EXPECT_EQ(cart->discount_total, 0);
  EXPECT_TRUE(cart->prices_include_tax);
  // 20% included: 5000 -> 833, 1200 -> 200 (half-even per line); shipping is untaxed here.
  EXPECT_EQ(cart->tax_total, 833 + 200);
  EXPECT_EQ(cart->total, 6200 + 490);
  std::int64_t lines = 0;
  for (const CartLineView& line : cart->lines) lines += line.total;
  EXPECT_EQ(lines + cart->shipping_total, cart->total);
  ASSERT_TRUE(cart->shipping);
  EXPECT_FALSE(cart->shipping->promise_text.empty());
  ASSERT_TRUE(cart->reserved_until);
}

TEST_P(OrdersTest, PlaceOrderConvertsStockChargesOnceAndRecordsAttribution) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 5);
  auto cart = ReadyCart({{shirt, 2}});
  PLAZA_ASSERT_OK(cart);
  EXPECT_EQ(Available(shirt), 3);
  PlaceOrderInput input = Input("key-1");
  input.attribution = {.utm_source = "instagram", .utm_medium = "social", .utm_campaign = "drop", .fbclid = "fb.1"};
  auto order = service_.PlaceOrder(kShop, cart->token, input);
  PLAZA_ASSERT_OK(order);
  EXPECT_EQ(order->status, OrderStatus::kPaid);
  EXPECT_EQ(order->total, 5000 + 490);
  EXPECT_EQ(order->attribution.utm_source, "instagram");
  EXPECT_EQ(order->attribution.fbclid, "fb.1");
  EXPECT_EQ(order->shipping_address.city, "Paris");
  ASSERT_EQ(order->lines.size(), 1U);
  EXPECT_EQ(order->lines[0].quantity, 2);
  EXPECT_EQ(Available(shirt), 3);
  auto payments = payments_.ListForOrder(kShop, "cart:" + cart->token);
  PLAZA_ASSERT_OK(payments);
  ASSERT_EQ(payments->size(), 1U);
  EXPECT_EQ(payments->at(0).captured_minor, order->total);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.placed'"), 1);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.paid'"), 1);
  ASSERT_EQ(mailer_.messages().size(), 1U);
  EXPECT_EQ(mailer_.messages()[0].to, "camille@example.fr");
  auto ledger = inventory_.CheckLedger(kShop);
  PLAZA_ASSERT_OK(ledger);
  EXPECT_TRUE(ledger->ok());
}

TEST_P(OrdersTest, AGuestOrderJoinsTheAccountOfTheSameEmailOnce) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 5);
  auto cart = ReadyCart({{shirt, 1}});
  PLAZA_ASSERT_OK(cart);
  auto order = service_.PlaceOrder(kShop, cart->token, Input("guest-order"));
  PLAZA_ASSERT_OK(order);
  EXPECT_FALSE(order->customer_id.has_value());

  // Another address: the order stays a guest's.
  auto other = service_.ClaimGuestOrder(kShop, cart->token, 41, "someone-else@example.fr");
  PLAZA_ASSERT_OK(other);
  EXPECT_FALSE(other->has_value());
  // Another shop never sees the cart.
  auto foreign = service_.ClaimGuestOrder(kShop + 1, cart->token, 41, "camille@example.fr");
  PLAZA_ASSERT_OK(foreign);
  EXPECT_FALSE(foreign->has_value());

  auto claimed = service_.ClaimGuestOrder(kShop, cart->token, 42, " Camille@Example.FR ");
  PLAZA_ASSERT_OK(claimed);
  ASSERT_TRUE(claimed->has_value());
  EXPECT_EQ(**claimed, order->id);
  auto history = service_.ListOrders(kShop, {.customer_id = 42});
  PLAZA_ASSERT_OK(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().id, order->id);

  // Once it has an owner, nobody else can take it.
  auto again = service_.ClaimGuestOrder(kShop, cart->token, 43, "camille@example.fr");
  PLAZA_ASSERT_OK(again);
  EXPECT_FALSE(again->has_value());
  auto still = service_.GetOrder(kShop, order->id);
  PLAZA_ASSERT_OK(still);
  EXPECT_EQ(still->customer_id, 42);
}

TEST_P(OrdersTest, TenRetriesWithOneKeyMakeOneOrderAndOneCharge) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 5);
  auto cart = ReadyCart({{shirt, 1}});
  PLAZA_ASSERT_OK(cart);
  std::vector<std::thread> threads;
  std::vector<std::int64_t> order_ids(10, 0);
  for (int i = 0; i < 10; ++i) {
    threads.emplace_back([&, i] {
      auto order = service_.PlaceOrder(kShop, cart->token, Input("same-key"));
      if (order.ok()) order_ids[static_cast<std::size_t>(i)] = order->id;
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::int64_t id : order_ids) EXPECT_EQ(id, order_ids[0]);
  EXPECT_NE(order_ids[0], 0);
  // And once more, sequentially, after the fact.
  auto again = service_.PlaceOrder(kShop, cart->token, Input("same-key"));
  PLAZA_ASSERT_OK(again);
  EXPECT_EQ(again->id, order_ids[0]);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM order_orders"), 1);
  auto payments = payments_.ListForOrder(kShop, "cart:" + cart->token);
  PLAZA_ASSERT_OK(payments);
  ASSERT_EQ(payments->size(), 1U);
  EXPECT_EQ(payments->at(0).captured_minor, 2500 + 490);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.placed'"), 1);
  EXPECT_EQ(mailer_.messages().size(), 1U);
}

TEST_P(OrdersTest, PlaceOrderRunsABoundedNumberOfStatements) {
  const std::int64_t one = MakeVariant("Single", 1000, 10);
  auto small = ReadyCart({{one, 1}});
  PLAZA_ASSERT_OK(small);
  PLAZA_ASSERT_OK(service_.PlaceOrder(kShop, small->token, Input("small")));
  const int for_one_line = counting_.last_place_order_statements();
  std::vector<LineInput> lines;
  for (int i = 0; i < 20; ++i) lines.push_back({MakeVariant("Item " + std::to_string(i), 100 + i, 10), 1 + i % 3});
  auto large = ReadyCart(lines);
  PLAZA_ASSERT_OK(large);
  PLAZA_ASSERT_OK(service_.PlaceOrder(kShop, large->token, Input("large")));
  const int for_twenty_lines = counting_.last_place_order_statements();
  std::cout << "place-order statements: " << for_one_line << " (1 line), " << for_twenty_lines << " (20 lines)\n";
  EXPECT_GT(for_one_line, 0);
  EXPECT_EQ(for_one_line, for_twenty_lines);
}

TEST_P(OrdersTest, ThreeHundredBuyersForOneHundredUnits) {
  const std::int64_t drop = MakeVariant("Drop", 4900, 100);
  std::atomic<int> orders{0};
  std::atomic<int> sold_out{0};
  std::atomic<int> other{0};
  std::mutex errors_mutex;
  std::vector<std::string> errors;
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> buyers;
  for (int i = 0; i < 300; ++i) {
    buyers.emplace_back([&, i] {
      auto cart = ReadyCart({{drop, 1}});
      if (!cart.ok()) {
        if (cart.error().type == "inventory/insufficient-stock" && cart.error().code == ErrorCode::kConflict) {
          ++sold_out;
        } else {
          ++other;
          std::lock_guard lock(errors_mutex);
          errors.push_back(cart.error().type + ": " + cart.error().detail);
        }
        return;
      }
      // Safe to repeat: the order's Idempotency-Key makes a retry the same order.
      auto order = RetryWhileUnavailable(
          [&] { return service_.PlaceOrder(kShop, cart->token, Input("buyer-" + std::to_string(i))); });
      if (order.ok()) {
        ++orders;
      } else {
        ++other;
        std::lock_guard lock(errors_mutex);
        errors.push_back(order.error().type + ": " + order.error().detail);
      }
    });
  }
  for (auto& buyer : buyers) buyer.join();
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  std::cout << GetParam() << ": 300 buyers in " << elapsed.count() << " ms\n";
  for (const std::string& error : errors) ADD_FAILURE() << error;
  EXPECT_EQ(orders.load(), 100);
  EXPECT_EQ(sold_out.load(), 200);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Available(drop), 0);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM order_orders"), 100);
  auto ledger = inventory_.CheckLedger(kShop);
  PLAZA_ASSERT_OK(ledger);
  EXPECT_TRUE(ledger->ok());
}

TEST_P(OrdersTest, CodeLimitedToFiftyUsesUnderTwoHundredAttempts) {
  const std::int64_t item = MakeVariant("Tee", 2000, 1000);
  auto promotion = promotions_.Create(
      kShop,
      {.title = "Ten off", .kind = promotions::PromotionKind::kPercentage, .percent_off = 1000, .usage_limit = 50});
  PLAZA_ASSERT_OK(promotion);
  PLAZA_ASSERT_OK(promotions_.AddCode(kShop, promotion->id, {.code = "CREATOR10", .creator = "ana"}));
  std::atomic<int> with_code{0};
  std::vector<std::thread> buyers;
  for (int i = 0; i < 200; ++i) {
    buyers.emplace_back([&, i] {
      auto cart = ReadyCart({{item, 1}}, {"CREATOR10"});
      if (!cart.ok()) return;
      auto order = service_.PlaceOrder(kShop, cart->token, Input("code-" + std::to_string(i)));
      if (order.ok() && order->discount_total > 0) ++with_code;
    });
  }
  for (auto& buyer : buyers) buyer.join();
  EXPECT_EQ(with_code.load(), 50);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM order_orders WHERE codes = 'CREATOR10'"), 50);
  auto usage = promotions_.Usage(kShop, promotion->id);
  PLAZA_ASSERT_OK(usage);
  EXPECT_EQ(usage->uses, 50);
}

TEST_P(OrdersTest, ExpiredReservationsRestoreStockAndBlockPlacing) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 3);
  auto cart = ReadyCart({{shirt, 3}});
  PLAZA_ASSERT_OK(cart);
  EXPECT_EQ(Available(shirt), 0);
  clock_.Advance(std::chrono::minutes(16));
  auto expired = inventory_.ExpireReservations(clock_.Now());
  PLAZA_ASSERT_OK(expired);
  EXPECT_EQ(*expired, 1);
  EXPECT_EQ(Available(shirt), 3);
  auto order = service_.PlaceOrder(kShop, cart->token, Input("late"));
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.error().type, "inventory/reservation-closed");
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM order_orders"), 0);
  // The authorisation was voided and the cart is editable again.
  auto payments = payments_.ListForOrder(kShop, "cart:" + cart->token);
  PLAZA_ASSERT_OK(payments);
  ASSERT_EQ(payments->size(), 1U);
  EXPECT_EQ(payments->at(0).status, payments::PaymentStatus::kVoided);
  auto reopened = service_.GetCart(kShop, cart->token);
  PLAZA_ASSERT_OK(reopened);
  EXPECT_EQ(reopened->state, CartState::kOpen);
  EXPECT_EQ(Available(shirt), 3);
}

TEST_P(OrdersTest, DeclinedCardLeavesNothingWritten) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 3);
  auto cart = ReadyCart({{shirt, 1}});
  PLAZA_ASSERT_OK(cart);
  auto order = service_.PlaceOrder(kShop, cart->token, Input("declined", kDeclinedCard));
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.error().type, "orders/payment-declined");
  EXPECT_EQ(order.error().field, "/payment");
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM order_orders"), 0);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM outbox_events WHERE aggregate_type = 'order'"), 0);
}

TEST_P(OrdersTest, BankTransferWaitsForStaffToMarkItPaidOnce) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 5);
  auto cart = ReadyCart({{shirt, 2}});
  PLAZA_ASSERT_OK(cart);
  const PlaceOrderInput input{
      .idempotency_key = "transfer", .fingerprint = "test", .payment = {.method = "bank_transfer"}};
  auto order = service_.PlaceOrder(kShop, cart->token, input);
  PLAZA_ASSERT_OK(order);
  EXPECT_EQ(order->status, OrderStatus::kPlaced);
  EXPECT_EQ(Available(shirt), 3);
  ASSERT_TRUE(order->payment_id);
  auto payment = payments_.Get(kShop, *order->payment_id);
  PLAZA_ASSERT_OK(payment);
  EXPECT_EQ(payment->provider, "manual");
  EXPECT_EQ(payment->status, payments::PaymentStatus::kPending);
  EXPECT_TRUE(mailer_.messages().empty());
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.paid'"), 0);

  std::vector<std::thread> staff;
  std::vector<Result<Order>> marked(4, Error::Internal("not run"));
  for (std::size_t i = 0; i < marked.size(); ++i)
    staff.emplace_back([&, i] { marked[i] = service_.MarkPaid(kShop, order->id); });
  for (auto& thread : staff) thread.join();
  for (const auto& result : marked) {
    PLAZA_ASSERT_OK(result);
    EXPECT_EQ(result->status, OrderStatus::kPaid);
  }
  auto again = service_.MarkPaid(kShop, order->id);
  PLAZA_ASSERT_OK(again);
  EXPECT_EQ(again->status, OrderStatus::kPaid);
  payment = payments_.Get(kShop, *order->payment_id);
  PLAZA_ASSERT_OK(payment);
  EXPECT_EQ(payment->status, payments::PaymentStatus::kCaptured);
  EXPECT_EQ(payment->captured_minor, order->total);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.paid'"), 1);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'payment.captured'"), 1);
  ASSERT_EQ(mailer_.messages().size(), 1U);
  EXPECT_EQ(mailer_.messages()[0].to, "camille@example.fr");
  EXPECT_EQ(Available(shirt), 3);
}

TEST_P(OrdersTest, MarkPaidRefusesACardOrderAndAnUnknownMethod) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 5);
  auto cart = ReadyCart({{shirt, 1}});
  PLAZA_ASSERT_OK(cart);
  PlaceOrderInput cheque = Input("cheque");
  cheque.payment.method = "cheque";
  auto refused = service_.PlaceOrder(kShop, cart->token, cheque);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "orders/unknown-payment-method");
  EXPECT_EQ(refused.error().field, "/payment/method");
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM payments"), 0);

  auto order = service_.PlaceOrder(kShop, cart->token, Input("card"));
  PLAZA_ASSERT_OK(order);
  EXPECT_EQ(order->status, OrderStatus::kPaid);
  auto marked = service_.MarkPaid(kShop, order->id);
  ASSERT_FALSE(marked.ok());
  EXPECT_EQ(marked.error().type, "orders/not-manual-payment");
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.paid'"), 1);
  EXPECT_EQ(mailer_.messages().size(), 1U);
}

TEST_P(OrdersTest, BadInputIsPreciseAndWritesNothing) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 3);
  const std::int64_t draft = MakeVariant("Draft", 2500, 3, catalog::ProductStatus::kDraft);
  const std::int64_t huge = MakeVariant("Huge", std::int64_t{4'000'000'000'000'000'000}, 3);
  auto cart = service_.CreateCart(kShop, {.country = "FR"});
  PLAZA_ASSERT_OK(cart);
  struct Case {
    LineInput line;
    std::string type;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{shirt, 0}, "orders/invalid-quantity", "/quantity"},
      {{shirt, -3}, "orders/invalid-quantity", "/quantity"},
      {{shirt, 1'000'001}, "orders/invalid-quantity", "/quantity"},
      {{shirt, std::numeric_limits<std::int64_t>::max()}, "orders/invalid-quantity", "/quantity"},
      {{987654321, 1}, "orders/unknown-variant", "/variant_id"},
      {{-1, 1}, "orders/unknown-variant", "/variant_id"},
      {{draft, 1}, "orders/variant-unavailable", "/variant_id"},
      {{huge, 3}, "money/overflow", "/lines/0/quantity"},
  };
  for (const Case& c : cases) {
    auto result = service_.AddLine(kShop, cart->token, c.line);
    ASSERT_FALSE(result.ok()) << c.type;
    EXPECT_EQ(result.error().type, c.type);
    EXPECT_EQ(result.error().field, c.field) << c.type;
  }
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM order_cart_lines"), 0);
  auto mismatch = service_.CreateCart(kShop, {.country = "FR", .currency = "USD"});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().type, "orders/currency-mismatch");
  EXPECT_EQ(mismatch.error().field, "/currency");
  auto bad_country = service_.CreateCart(kShop, {.country = "France"});
  ASSERT_FALSE(bad_country.ok());
  EXPECT_EQ(bad_country.error().field, "/country");
  auto foreign = service_.GetCart(kOtherShop, cart->token);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  auto empty_checkout = service_.StartCheckout(kShop, cart->token);
  ASSERT_FALSE(empty_checkout.ok());
  EXPECT_EQ(empty_checkout.error().type, "orders/cart-empty");
  auto no_key = service_.PlaceOrder(kShop, cart->token, Input(""));
  ASSERT_FALSE(no_key.ok());
  EXPECT_EQ(no_key.error().type, "idempotency/invalid-key");
  auto not_ready = service_.PlaceOrder(kShop, cart->token, Input("k"));
  ASSERT_FALSE(not_ready.ok());
  EXPECT_EQ(not_ready.error().type, "orders/checkout-incomplete");
}

TEST_P(OrdersTest, LockedCartRefusesLineChanges) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 3);
  auto cart = ReadyCart({{shirt, 1}});
  PLAZA_ASSERT_OK(cart);
  auto changed = service_.AddLine(kShop, cart->token, {shirt, 1});
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().type, "orders/cart-locked");
  auto left = service_.LeaveCheckout(kShop, cart->token);
  PLAZA_ASSERT_OK(left);
  EXPECT_EQ(Available(shirt), 3);
  PLAZA_ASSERT_OK(service_.AddLine(kShop, cart->token, {shirt, 1}));
}

TEST_P(OrdersTest, MergeOnLoginAddsGuestLinesToTheCustomersCart) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 10);
  const std::int64_t cap = MakeVariant("Cap", 1200, 10);
  auto mine = service_.CreateCart(kShop, {.country = "FR", .customer_id = 7});
  PLAZA_ASSERT_OK(mine);
  PLAZA_ASSERT_OK(service_.AddLine(kShop, mine->token, {shirt, 1}));
  auto guest = service_.CreateCart(kShop, {.country = "FR"});
  PLAZA_ASSERT_OK(guest);
  PLAZA_ASSERT_OK(service_.AddLine(kShop, guest->token, {shirt, 2}));
  PLAZA_ASSERT_OK(service_.AddLine(kShop, guest->token, {cap, 1}));
  auto merged = service_.MergeOnLogin(kShop, guest->token, 7);
  PLAZA_ASSERT_OK(merged);
  EXPECT_EQ(merged->token, mine->token);
  ASSERT_EQ(merged->lines.size(), 2U);
  EXPECT_EQ(merged->lines[0].quantity, 3);
  EXPECT_EQ(merged->lines[1].quantity, 1);
  EXPECT_FALSE(service_.GetCart(kShop, guest->token).ok());
}

TEST_P(OrdersTest, FulfilDeliverReturnAndRefund) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 10);
  PLAZA_ASSERT_OK(service_.SetReturnWindow(kShop, 14));
  auto cart = service_.CreateCart(kShop, {.country = "FR", .customer_id = 42});
  PLAZA_ASSERT_OK(cart);
  PLAZA_ASSERT_OK(service_.AddLine(kShop, cart->token, {shirt, 3}));
  PLAZA_ASSERT_OK(service_.StartCheckout(kShop, cart->token));
  PLAZA_ASSERT_OK(service_.SetContact(kShop, cart->token, "c@example.fr"));
  PLAZA_ASSERT_OK(service_.SetShippingAddress(kShop, cart->token, Paris()));
  PLAZA_ASSERT_OK(service_.SelectShipping(kShop, cart->token, rate_id_));
  auto order = service_.PlaceOrder(kShop, cart->token, Input("k"));
  PLAZA_ASSERT_OK(order);
  const std::int64_t line_id = order->lines[0].id;
  auto partial = service_.Fulfil(kShop, order->id, {{line_id, 1}});
  PLAZA_ASSERT_OK(partial);
  EXPECT_EQ(partial->status, OrderStatus::kPartiallyFulfilled);
  auto too_many = service_.Fulfil(kShop, order->id, {{line_id, 3}});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().field, "/lines/0/quantity");
  auto cancel = service_.Cancel(kShop, order->id);
  ASSERT_FALSE(cancel.ok());
  auto full = service_.Fulfil(kShop, order->id, {{line_id, 2}});
  PLAZA_ASSERT_OK(full);
  EXPECT_EQ(full->status, OrderStatus::kFulfilled);
  auto delivered = service_.MarkDelivered(kShop, order->id);
  PLAZA_ASSERT_OK(delivered);
  EXPECT_EQ(delivered->status, OrderStatus::kDelivered);

  auto stranger = service_.RequestReturn(kShop, 43, order->id, {{{line_id, 1}}, "too small"});
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, ErrorCode::kNotFound);
  auto too_much = service_.RequestReturn(kShop, 42, order->id, {{{line_id, 4}}, "too small"});
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.error().type, "returns/invalid-quantity");
  auto requested = service_.RequestReturn(kShop, 42, order->id, {{{line_id, 2}}, "too small"});
  PLAZA_ASSERT_OK(requested);
  EXPECT_EQ(requested->status, ReturnStatus::kRequested);
  auto early_refund = service_.RefundReturn(kShop, requested->id, std::nullopt);
  ASSERT_FALSE(early_refund.ok());
  EXPECT_EQ(early_refund.error().type, "returns/invalid-transition");
  PLAZA_ASSERT_OK(service_.ApproveReturn(kShop, requested->id));
  PLAZA_ASSERT_OK(service_.ReceiveReturn(kShop, requested->id, {.location_id = location_id_}));
  auto refunded = service_.RefundReturn(kShop, requested->id, std::nullopt);
  PLAZA_ASSERT_OK(refunded);
  EXPECT_EQ(refunded->status, ReturnStatus::kRefunded);
  EXPECT_EQ(refunded->refund_amount, 5000);
  auto after = service_.GetOrder(kShop, order->id);
  PLAZA_ASSERT_OK(after);
  EXPECT_EQ(after->refunded_total, 5000);
  auto over = service_.Refund(kShop, order->id, after->total);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().type, "orders/refund-exceeds-paid");
  for (const char* type : {"order.fulfilled", "order.delivered", "order.refunded", "return.requested",
                           "return.approved", "return.received", "return.refunded"}) {
    EXPECT_GE(*CountRows(std::string("SELECT COUNT(*) FROM outbox_events WHERE event_type = '") + type + "'"), 1)
        << type;
  }
  auto ledger = inventory_.CheckLedger(kShop);
  PLAZA_ASSERT_OK(ledger);
  EXPECT_TRUE(ledger->ok());
  auto history = service_.ListOrders(kShop, {.customer_id = 42});
  PLAZA_ASSERT_OK(history);
  EXPECT_EQ(history->size(), 1U);
  // Late returns are refused.
  clock_.Advance(std::chrono::days(15));
  auto late = service_.RequestReturn(kShop, 42, order->id, {{{line_id, 1}}, "changed my mind"});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().type, "returns/window-closed");
}

TEST_P(OrdersTest, CancelRestocksAndRefunds) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 4);
  auto cart = ReadyCart({{shirt, 2}});
  PLAZA_ASSERT_OK(cart);
  auto order = service_.PlaceOrder(kShop, cart->token, Input("k"));
  PLAZA_ASSERT_OK(order);
  EXPECT_EQ(Available(shirt), 2);
  auto cancelled = service_.Cancel(kShop, order->id);
  PLAZA_ASSERT_OK(cancelled);
  EXPECT_EQ(cancelled->status, OrderStatus::kCancelled);
  EXPECT_EQ(cancelled->refunded_total, order->total);
  EXPECT_EQ(Available(shirt), 4);
  auto again = service_.Cancel(kShop, order->id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().type, "orders/invalid-transition");
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.cancelled'"), 1);
}

TEST_P(OrdersTest, CustomerAddresses) {
  auto added = service_.AddAddress(kShop, 5, Paris());
  PLAZA_ASSERT_OK(added);
  Address moved = Paris();
  moved.postal_code = "75002";
  PLAZA_ASSERT_OK(service_.UpdateAddress(kShop, 5, added->id, moved));
  EXPECT_FALSE(service_.UpdateAddress(kShop, 6, added->id, moved).ok());
  EXPECT_FALSE(service_.UpdateAddress(kOtherShop, 5, added->id, moved).ok());
  Address bad = Paris();
  bad.postal_code = "7500";
  auto invalid = service_.AddAddress(kShop, 5, bad);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().field, "/postal_code");
  auto listed = service_.ListAddresses(kShop, 5);
  PLAZA_ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ(listed->at(0).address.postal_code, "75002");
  PLAZA_ASSERT_OK(service_.DeleteAddress(kShop, 5, added->id));
  EXPECT_FALSE(service_.DeleteAddress(kShop, 5, added->id).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, OrdersTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::orders::testing
