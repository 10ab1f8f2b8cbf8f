#pragma once
// What the orders module hands out: carts as priced right now, orders as they were sold,
// returns, and saved customer addresses. Amounts are minor units of `currency`.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/orders/address.h"
#include "plaza/orders/lifecycle.h"

namespace plaza::orders {

// The click ids and UTM parameters a storefront sends with an order, for attribution.
struct Attribution {
  std::string utm_source{};
  std::string utm_medium{};
  std::string utm_campaign{};
  std::string utm_content{};
  std::string utm_term{};
  std::string fbclid{};
  std::string gclid{};
  std::string ttclid{};

  friend bool operator==(const Attribution&, const Attribution&) = default;
};
// Each value is at most this long; longer ones are an error, not truncated.
inline constexpr std::size_t kMaxAttributionLength = 500;

// A shipping option from the shipping quote, with its delivery promise.
struct ShippingChoice {
  std::int64_t rate_id = 0;
  std::string name{};
  std::int64_t price = 0;
  std::string promise_earliest{};
  std::string promise_latest{};
  std::string promise_text{};
};

struct CartLineView {
  std::int64_t variant_id = 0;
  std::int64_t product_id = 0;
  std::string title{};
  std::string sku{};
  std::int64_t quantity = 0;
  std::int64_t unit_price = 0;
  std::optional<std::int64_t> compare_at{};
  std::int64_t subtotal = 0;
  std::int64_t discount = 0;
  std::int64_t tax = 0;
  std::int64_t total = 0;
  // Set when the line cannot be bought as it stands ("orders/unknown-variant",
  // "orders/variant-unavailable", "pricing/not-priced"); such lines count for nothing
  // and block checkout until removed.
  std::string problem{};
};

struct DiscountView {
  std::int64_t promotion_id = 0;
  std::string title{};
  std::string code{};
  std::int64_t amount = 0;
};

struct CodeProblem {
  std::string code{};
  std::string type{};
  std::string detail{};
};

enum class CartState { kOpen, kCheckout, kOrdered };
std::string_view CartStateName(CartState state);  // "open", "checkout", "ordered"

// A cart priced at one moment: every read or change recomputes it from its lines with
// the current prices, taxes, promotions and shipping options.
struct Cart {
  std::string token{};  // the guest's handle on the cart; customers' carts have one too
  std::int64_t shop_id = 0;
  std::optional<std::int64_t> customer_id{};
  std::int64_t market_id = 0;
  std::string currency{};
  std::string country{};
  bool prices_include_tax = false;
  CartState state = CartState::kOpen;
  std::int64_t version = 0;
  std::vector<CartLineView> lines{};
  std::vector<DiscountView> discounts{};
  std::vector<std::string> codes{};
  std::vector<CodeProblem> rejected_codes{};
  std::string email{};
  std::optional<Address> shipping_address{};
  std::vector<ShippingChoice> shipping_options{};  // for the address; empty without one
  std::optional<ShippingChoice> shipping{};        // the chosen option
  std::int64_t subtotal = 0;
  std::int64_t discount_total = 0;
  std::int64_t shipping_total = 0;
  std::int64_t tax_total = 0;
  std::int64_t total = 0;
  std::optional<TimePoint> reserved_until{};  // while checking out: when the held stock is released
  std::optional<std::int64_t> order_id{};
};

struct OrderLine {
  std::int64_t id = 0;
  std::int64_t variant_id = 0;
  std::int64_t product_id = 0;
  std::string title{};
  std::string sku{};
  std::int64_t quantity = 0;
  std::int64_t unit_price = 0;
  std::int64_t discount = 0;
  std::int64_t tax = 0;
  std::int64_t total = 0;
  std::int64_t fulfilled_quantity = 0;
  std::int64_t returned_quantity = 0;
};

struct Order {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::optional<std::int64_t> customer_id{};
  std::string email{};
  OrderStatus status = OrderStatus::kPlaced;
  std::int64_t market_id = 0;
  std::string currency{};
  bool prices_include_tax = false;
  std::vector<OrderLine> lines{};
  std::int64_t subtotal = 0;
  std::int64_t discount_total = 0;
  std::int64_t shipping_total = 0;
  std::int64_t tax_total = 0;
  std::int64_t total = 0;
  std::int64_t refunded_total = 0;
  Address shipping_address{};
  ShippingChoice shipping{};
  std::vector<std::string> codes{};
  std::optional<std::int64_t> payment_id{};
  Attribution attribution{};
  TimePoint placed_at{};
  std::optional<TimePoint> paid_at{};
  std::optional<TimePoint> fulfilled_at{};
  std::optional<TimePoint> delivered_at{};
  std::optional<TimePoint> cancelled_at{};
  TimePoint updated_at{};
};

enum class Disposition { kUndecided, kRestock, kWriteOff };

struct ReturnLine {
  std::int64_t order_line_id = 0;
  std::int64_t quantity = 0;
  Disposition disposition = Disposition::kUndecided;
};

struct Return {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  ReturnStatus status = ReturnStatus::kRequested;
  std::string reason{};
  std::vector<ReturnLine> lines{};
  std::int64_t refund_amount = 0;
  TimePoint requested_at{};
  TimePoint updated_at{};
};

struct SavedAddress {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;
  Address address{};
  TimePoint created_at{};
  TimePoint updated_at{};
};

}  // namespace plaza::orders
