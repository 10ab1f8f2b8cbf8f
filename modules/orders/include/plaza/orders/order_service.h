#pragma once
// Carts, checkout, orders, returns and customer addresses: the integration point of the
// commerce modules. docs/orders.md describes the flow and its guarantees.
//
// A cart lists variant ids and quantities; everything else (titles, prices, taxes,
// discounts, shipping options) is recomputed from catalog, pricing, promotions and
// shipping on every read and change, inside one transaction, so what a buyer sees is
// what place-order charges. Starting checkout reserves the cart's stock (inventory) for
// `reservation_ttl` and locks the lines; each further checkout step extends the hold.
//
// PlaceOrder authorises the payment first (a provider call never runs inside a database
// transaction), then in ONE transaction converts the reservation, redeems the promotion
// uses, writes the order, its lines, the outbox events and the Idempotency-Key record.
// If that transaction fails, the authorisation is voided and the reservation released:
// either everything happened or nothing did.
//
// Tenant isolation: every function takes the acting shop and every query filters by it;
// another shop's cart, order or return is not found.
//
// Thread-safety: an OrderService may be used from any number of threads.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/mailer.h"
#include "plaza/core/result.h"
#include "plaza/orders/address.h"
#include "plaza/orders/emails.h"
#include "plaza/orders/model.h"
#include "plaza/store/database.h"

namespace plaza::inventory {
class InventoryService;
}
namespace plaza::shipping {
class ShippingService;
}
namespace plaza::payments {
class PaymentService;
struct Payment;
struct Settlement;
}  // namespace plaza::payments

namespace plaza::orders {

struct OrderServiceOptions {
  // How long checkout holds stock; every checkout step extends it by as much. Long
  // enough to type a card, short enough that abandoned carts do not block a drop.
  std::chrono::milliseconds reservation_ttl = std::chrono::minutes(15);
  // Days after delivery (or fulfilment, when delivery is not tracked) during which a
  // customer may request a return, for shops that did not set their own.
  int default_return_window_days = 30;
  // Capture the payment as soon as the order is placed (the order becomes paid);
  // otherwise staff capture on fulfilment.
  bool capture_on_place = true;
  // The payment provider checkout uses, by PaymentProvider::name().
  std::string payment_provider = "test";
  // Base of the link in e-mails; the order id is appended.
  std::string order_url_base{};
  // The shop's name as e-mails sign it (the identity module knows it); "Plaza" when unset.
  std::function<std::string(std::int64_t shop_id)> shop_name{};
};

struct NewCart {
  std::string country{};   // ISO 3166-1 alpha-2: decides the market
  std::string currency{};  // optional; must be the market's currency
  std::optional<std::int64_t> customer_id{};
};

struct LineInput {
  std::int64_t variant_id = 0;
  std::int64_t quantity = 0;  // 1 … kMaxLineQuantity
};

struct PaymentInput {
  std::string method = "card";  // "card", "bank_transfer" or "cash_on_delivery"
  std::optional<std::string> card_number{};
  int exp_month = 0;
  int exp_year = 0;
  std::string cvc{};
};

struct PlaceOrderInput {
  std::string idempotency_key{};  // the client's Idempotency-Key: required
  std::string fingerprint{};      // a digest of the request, to detect a key reused for another body
  PaymentInput payment{};
  Attribution attribution{};
};

struct OrderQuery {
  std::optional<std::int64_t> customer_id{};
  std::optional<OrderStatus> status{};
  std::int64_t before_id = 0;  // paging, newest first
  int limit = 50;              // 1 … kMaxOrderPage
};
inline constexpr int kMaxOrderPage = 200;

struct FulfilmentLine {
  std::int64_t order_line_id = 0;
  std::int64_t quantity = 0;
};

struct ReturnRequestInput {
  std::vector<FulfilmentLine> lines{};  // order lines and quantities to send back
  std::string reason{};                 // 1 … 1000 characters
};

struct ReceivedLine {
  std::int64_t order_line_id = 0;
  Disposition disposition = Disposition::kRestock;
};

struct ReceiveReturnInput {
  std::vector<ReceivedLine> lines{};
  // Where restocked units go; required when any line is restocked.
  std::optional<std::int64_t> location_id{};
};

class OrderService {
 public:
  // Everything must outlive the service.
  OrderService(store::Database& db, const Clock& clock, inventory::InventoryService& inventory,
               shipping::ShippingService& shipping, payments::PaymentService& payments, Mailer& mailer,
               OrderServiceOptions options = {});

  // ---- carts (storefront) ----
  // Errors: "orders/currency-mismatch" (field "/currency"), "address/invalid-country".
  Result<Cart> CreateCart(std::int64_t shop_id, const NewCart& input);
  Result<Cart> GetCart(std::int64_t shop_id, const std::string& token);
  // Adds `line.quantity` units (to an existing line of the variant, if any). Errors
  // name the input: "orders/invalid-quantity" ("/quantity"), "orders/unknown-variant"
  // and "orders/variant-unavailable" ("/variant_id"), "pricing/not-priced",
  // "money/overflow"; kConflict "orders/cart-locked" once checkout started.
  Result<Cart> AddLine(std::int64_t shop_id, const std::string& token, const LineInput& line);
  // Sets a line's quantity (1 … kMaxLineQuantity).
  Result<Cart> UpdateLine(std::int64_t shop_id, const std::string& token, const LineInput& line);
  Result<Cart> RemoveLine(std::int64_t shop_id, const std::string& token, std::int64_t variant_id);
  // Replaces the entered discount codes (at most 20). Codes that do not apply are
  // reported in Cart::rejected_codes, not as errors.
  Result<Cart> SetCodes(std::int64_t shop_id, const std::string& token, const std::vector<std::string>& codes);
  // A customer signs in: their open cart and `guest_token`'s cart become one (quantities
  // of the same variant add up, bounded by kMaxLineQuantity); returns the customer's cart.
  Result<Cart> MergeOnLogin(std::int64_t shop_id, const std::string& guest_token, std::int64_t customer_id);
  // A guest who just ordered signs up or logs in from the same browser: the order placed
  // from `guest_token`'s cart joins the customer's history, but only while it belongs to
  // nobody and its e-mail is the customer's (ignoring case), so an address alone never
  // reveals someone else's order. Returns the order's id, or nullopt when nothing joined.
  Result<std::optional<std::int64_t>> ClaimGuestOrder(std::int64_t shop_id, const std::string& guest_token,
                                                      std::int64_t customer_id, std::string_view customer_email);

  // ---- checkout ----
  // Reserves the cart's stock and locks its lines. "inventory/insufficient-stock"
  // (kConflict, field "/lines/i/quantity") when a line cannot be held: sold out.
  Result<Cart> StartCheckout(std::int64_t shop_id, const std::string& token);
  // Unlocks the cart and releases its stock (back to editing).
  Result<Cart> LeaveCheckout(std::int64_t shop_id, const std::string& token);
  // "validation/email" (field "/email").
  Result<Cart> SetContact(std::int64_t shop_id, const std::string& token, const std::string& email);
  // Errors from ValidateAddress with fields under "/shipping_address".
  Result<Cart> SetShippingAddress(std::int64_t shop_id, const std::string& token, const Address& address);
  // One of Cart::shipping_options; "orders/unknown-shipping-rate" (field "/rate_id").
  Result<Cart> SelectShipping(std::int64_t shop_id, const std::string& token, std::int64_t rate_id);
  // Places the order. Idempotent per input.idempotency_key: a retry returns the same
  // order and charges nothing again. A card goes to options.payment_provider; a bank
  // transfer or cash on delivery to the manual provider, and the order waits, placed
  // with its payment pending and no confirmation e-mail, until MarkPaid. Errors: "orders/checkout-incomplete" (field
  // names the missing step), "orders/unknown-payment-method" (field "/payment/method"), "orders/payment-declined",
  // "promotions/limit-reached", "inventory/reservation-closed" (the hold expired: start checkout again),
  // "idempotency/key-reused".
  Result<Order> PlaceOrder(std::int64_t shop_id, const std::string& token, const PlaceOrderInput& input);

  // ---- orders ----
  Result<Order> GetOrder(std::int64_t shop_id, std::int64_t order_id);
  Result<std::vector<Order>> ListOrders(std::int64_t shop_id, const OrderQuery& query);
  // Captures what the order's payment authorised; the order becomes paid.
  Result<Order> CapturePayment(std::int64_t shop_id, std::int64_t order_id);
  // Ships quantities of lines: partially_fulfilled or fulfilled, order.fulfilled, e-mail.
  Result<Order> Fulfil(std::int64_t shop_id, std::int64_t order_id, const std::vector<FulfilmentLine>& lines);
  Result<Order> MarkDelivered(std::int64_t shop_id, std::int64_t order_id);
  // Cancels an order nothing of which shipped: stock back, promotion uses released,
  // the payment voided or refunded.
  Result<Order> Cancel(std::int64_t shop_id, std::int64_t order_id);
  // Refunds `amount` (all that remains when absent) to the original payment.
  // "orders/refund-exceeds-paid" (field "/amount").
  Result<Order> Refund(std::int64_t shop_id, std::int64_t order_id, std::optional<std::int64_t> amount);
  // Staff record that a bank transfer or cash on delivery arrived: the payment is
  // captured and the order becomes paid through SettlePayment (order.paid, and the
  // confirmation e-mail placement held back), once however often it is called; an order
  // already paid this way is returned as it is. "orders/not-manual-payment" when the
  // order was not placed with a manual method; "payments/invalid-state" when its payment
  // is no longer pending (the order was cancelled).
  Result<Order> MarkPaid(std::int64_t shop_id, std::int64_t order_id);

  // ---- asynchronous payment outcomes ----
  // Records what a provider reports later (a pending card payment confirmed or failed,
  // through its webhook, or a manual payment staff marked paid) and brings the order
  // paying with it in line. `settle` records
  // the payment's outcome inside this call's transaction (for the test provider,
  // PaymentService::SettleTestProviderEvent); in that same transaction a failed payment
  // cancels its placed order as Cancel does (stock back, promotion uses released,
  // order.cancelled), and a captured payment makes its placed order paid (order.paid).
  // An authorised payment is then captured and the order becomes paid (order.paid), as
  // at placement when capture_on_place. Either way the confirmation e-mail that
  // placement held back goes out. Provider redeliveries and concurrent deliveries
  // change the order once; a redelivery after a failed capture retries the capture.
  // Returns the payment as recorded.
  using PaymentSettler = std::function<Result<payments::Settlement>(store::Transaction&)>;
  Result<payments::Payment> SettlePayment(std::int64_t shop_id, const PaymentSettler& settle);

  // ---- returns ----
  // By the customer who placed the order, within the shop's return window:
  // "returns/window-closed", "returns/invalid-quantity" ("/lines/i/quantity").
  Result<Return> RequestReturn(std::int64_t shop_id, std::int64_t customer_id, std::int64_t order_id,
                               const ReturnRequestInput& input);
  Result<Return> ApproveReturn(std::int64_t shop_id, std::int64_t return_id);
  Result<Return> RejectReturn(std::int64_t shop_id, std::int64_t return_id);
  Result<Return> ReceiveReturn(std::int64_t shop_id, std::int64_t return_id, const ReceiveReturnInput& input);
  // Refunds the returned lines' share of what was paid (or `amount`).
  Result<Return> RefundReturn(std::int64_t shop_id, std::int64_t return_id, std::optional<std::int64_t> amount);
  Result<Return> GetReturn(std::int64_t shop_id, std::int64_t return_id);
  Result<std::vector<Return>> ListReturns(std::int64_t shop_id, std::optional<std::int64_t> order_id);
  // The shop's return window in days (1 … 365).
  Status SetReturnWindow(std::int64_t shop_id, int days);
  // The window RequestReturn applies: the shop's own, else the service's default.
  Result<int> GetReturnWindow(std::int64_t shop_id);

  // ---- customer addresses ----
  Result<SavedAddress> AddAddress(std::int64_t shop_id, std::int64_t customer_id, const Address& address);
  Result<std::vector<SavedAddress>> ListAddresses(std::int64_t shop_id, std::int64_t customer_id);
  Result<SavedAddress> UpdateAddress(std::int64_t shop_id, std::int64_t customer_id, std::int64_t address_id,
                                     const Address& address);
  Status DeleteAddress(std::int64_t shop_id, std::int64_t customer_id, std::int64_t address_id);

 private:
  // After a failed place-order transaction: voids the authorisation unless an order
  // holds it, releases the hold and re-opens the cart; returns what to report.
  Error Undo(std::int64_t shop_id, const std::string& token, const std::string& reservation_key,
             std::optional<std::int64_t> payment_id, Error error);
  // After the order exists: captures when configured, and sends the confirmation when
  // asked (this call created the order, and its payment is not waiting for the provider).
  Result<Order> FinishPlaced(std::int64_t shop_id, std::int64_t order_id, bool send_confirmation);
  // Cancel's writes: status, stock, promotion uses and order.cancelled.
  // REQUIRES: `tx` is a write transaction.
  Result<Order> CancelInTransaction(store::Transaction& tx, std::int64_t shop_id, std::int64_t order_id, TimePoint now);
  ShopIdentity Identity(std::int64_t shop_id) const;
  // "inventory/insufficient-stock" when a snapshot of availability already shows a line
  // cannot be held.
  Status CheckAvailability(std::int64_t shop_id, const std::vector<LineInput>& lines);
  Result<Order> Transition(std::int64_t shop_id, std::int64_t order_id, OrderStatus to, std::string_view time_column,
                           std::string_view event_type);
  Result<Order> RecordRefund(std::int64_t shop_id, const Order& order, std::int64_t amount);

  store::Database& db_;
  const Clock& clock_;
  inventory::InventoryService& inventory_;
  shipping::ShippingService& shipping_;
  payments::PaymentService& payments_;
  Mailer& mailer_;
  OrderServiceOptions options_;
};

}  // namespace plaza::orders
