#include "plaza/orders/totals.h"

#include <string>

#include "plaza/core/money.h"

namespace plaza::orders {
namespace {

Error Overflow(std::string field) {
  return Error::Invalid("money/overflow", "the amount is too large to be represented", std::move(field));
}

template <typename T>
Result<std::int64_t> Checked(Result<T> value, const std::string& field) {
  if (!value.ok()) return Overflow(field);
  return *value;
}

}  // namespace

Result<Totals> ComputeTotals(const TotalsInput& input) {
  Totals totals;
  totals.lines.reserve(input.lines.size());
  std::int64_t lines_discount = 0;
  for (std::size_t i = 0; i < input.lines.size(); ++i) {
    const LineAmounts& line = input.lines[i];
    const std::string field = "/lines/" + std::to_string(i);
    if (line.unit_price < 0 || line.quantity <= 0 || line.discount < 0 || line.tax < 0)
      return Error::Internal("line " + std::to_string(i) + " has a negative amount");
    PLAZA_ASSIGN_OR_RETURN(const std::int64_t subtotal,
                           Checked(CheckedMultiply(line.unit_price, line.quantity), field));
    if (line.discount > subtotal) return Error::Internal("line " + std::to_string(i) + " is discounted below zero");
    std::int64_t total = subtotal - line.discount;
    if (!input.prices_include_tax) {
      PLAZA_ASSIGN_OR_RETURN(total, Checked(CheckedAdd(total, line.tax), field));
    }
    totals.lines.push_back({subtotal, total});
    PLAZA_ASSIGN_OR_RETURN(totals.subtotal, Checked(CheckedAdd(totals.subtotal, subtotal), "/subtotal"));
    lines_discount += line.discount;  // each discount <= its subtotal, whose sum fits
    PLAZA_ASSIGN_OR_RETURN(totals.tax_total, Checked(CheckedAdd(totals.tax_total, line.tax), "/tax_total"));
  }
  if (input.shipping < 0 || input.shipping_discount < 0 || input.shipping_tax < 0 ||
      input.shipping_discount > input.shipping)
    return Error::Internal("shipping amounts are inconsistent");
  totals.shipping_total = input.shipping;
  totals.discount_total = lines_discount + input.shipping_discount;
  PLAZA_ASSIGN_OR_RETURN(totals.tax_total, Checked(CheckedAdd(totals.tax_total, input.shipping_tax), "/tax_total"));
  std::int64_t total = totals.subtotal - lines_discount;
  PLAZA_ASSIGN_OR_RETURN(total, Checked(CheckedAdd(total, input.shipping - input.shipping_discount), "/total"));
  if (!input.prices_include_tax) {
    PLAZA_ASSIGN_OR_RETURN(total, Checked(CheckedAdd(total, totals.tax_total), "/total"));
  }
  totals.total = total;
  return totals;
}

}  // namespace plaza::orders
