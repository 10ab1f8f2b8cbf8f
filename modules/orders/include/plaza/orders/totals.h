#pragma once
// The arithmetic of a cart or an order: line totals, discounts, shipping, tax and the
// grand total, in integer minor units with checked arithmetic. Every amount shown to a
// buyer comes from here, so the parts always add up to the total exactly:
//   total = subtotal - discount_total + shipping_total (+ tax_total when prices exclude tax)
// where discount_total = the lines' discounts + the shipping discount.
// Pure and thread-safe.

#include <cstdint>
#include <span>
#include <vector>

#include "plaza/core/result.h"

namespace plaza::orders {

// Bounds on what one cart may hold. A line quantity past kMaxLineQuantity is a typo or
// an attack, not an order; the same bound is promotions::kMaxLineQuantity.
inline constexpr std::int64_t kMaxLineQuantity = 1'000'000;
inline constexpr std::size_t kMaxCartLines = 250;

struct LineAmounts {
  std::int64_t unit_price = 0;  // minor units, >= 0
  std::int64_t quantity = 0;    // 1 … kMaxLineQuantity
  std::int64_t discount = 0;    // all discounts on this line, 0 … unit_price * quantity
  std::int64_t tax = 0;         // tax on (unit_price * quantity - discount)
};

struct TotalsInput {
  std::vector<LineAmounts> lines{};
  std::int64_t shipping = 0;           // the chosen rate's price
  std::int64_t shipping_discount = 0;  // 0 … shipping
  std::int64_t shipping_tax = 0;
  bool prices_include_tax = false;
};

struct LineTotals {
  std::int64_t subtotal = 0;  // unit_price * quantity
  std::int64_t total = 0;     // subtotal - discount (+ tax when prices exclude tax)
};

struct Totals {
  std::vector<LineTotals> lines{};
  std::int64_t subtotal = 0;
  std::int64_t discount_total = 0;
  std::int64_t shipping_total = 0;  // before the shipping discount
  std::int64_t tax_total = 0;       // included in the prices or added, see prices_include_tax
  std::int64_t total = 0;
};

// Errors: "money/overflow" (field "/lines/i" or "/total") when an amount does not fit in
// 64 bits; kInternal (a caller bug) for negative inputs or discounts larger than what
// they discount.
Result<Totals> ComputeTotals(const TotalsInput& input);

}  // namespace plaza::orders
