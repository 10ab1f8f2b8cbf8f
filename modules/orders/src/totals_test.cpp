#include "plaza/orders/totals.h"

#include <gtest/gtest.h>

#include <limits>

namespace plaza::orders {
namespace {

TEST(TotalsTest, TaxExclusivePartsAddUp) {
  TotalsInput input{.lines = {{.unit_price = 1999, .quantity = 3, .discount = 600, .tax = 1079},
                              {.unit_price = 500, .quantity = 1, .discount = 0, .tax = 100}},
                    .shipping = 490,
                    .shipping_discount = 490,
                    .shipping_tax = 0,
                    .prices_include_tax = false};
  auto totals = ComputeTotals(input);
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ(totals->subtotal, 6497);
  EXPECT_EQ(totals->discount_total, 1090);
  EXPECT_EQ(totals->shipping_total, 490);
  EXPECT_EQ(totals->tax_total, 1179);
  EXPECT_EQ(totals->total, 6497 - 1090 + 490 + 1179);
  EXPECT_EQ(totals->lines[0].subtotal, 5997);
  EXPECT_EQ(totals->lines[0].total, 5997 - 600 + 1079);
  std::int64_t lines = 0;
  for (const LineTotals& line : totals->lines) lines += line.total;
  EXPECT_EQ(lines + input.shipping - input.shipping_discount + input.shipping_tax, totals->total);
}

TEST(TotalsTest, TaxInclusiveTaxIsNotAddedAgain) {
  TotalsInput input{.lines = {{.unit_price = 1200, .quantity = 2, .discount = 240, .tax = 360}},
                    .shipping = 600,
                    .shipping_tax = 100,
                    .prices_include_tax = true};
  auto totals = ComputeTotals(input);
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ(totals->tax_total, 460);
  EXPECT_EQ(totals->total, 2400 - 240 + 600);
  EXPECT_EQ(totals->lines[0].total, 2160);
}

TEST(TotalsTest, EmptyCartIsShippingOnly) {
  auto totals = ComputeTotals({.shipping = 0});
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ(totals->total, 0);
}

TEST(TotalsTest, OverflowIsAnErrorWithAField) {
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  auto product = ComputeTotals({.lines = {{.unit_price = max / 2, .quantity = 3}}});
  ASSERT_FALSE(product.ok());
  EXPECT_EQ(product.error().type, "money/overflow");
  EXPECT_EQ(product.error().field, "/lines/0");
  auto sum =
      ComputeTotals({.lines = {{.unit_price = max / 2, .quantity = 1}, {.unit_price = max / 2 + 2, .quantity = 1}}});
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.error().type, "money/overflow");
  EXPECT_EQ(sum.error().field, "/subtotal");
  auto tax = ComputeTotals({.lines = {{.unit_price = max - 10, .quantity = 1, .tax = 20}}});
  ASSERT_FALSE(tax.ok());
  EXPECT_EQ(tax.error().type, "money/overflow");
}

TEST(TotalsTest, InconsistentInputsAreBugs) {
  EXPECT_EQ(ComputeTotals({.lines = {{.unit_price = 100, .quantity = 1, .discount = 101}}}).error().code,
            ErrorCode::kInternal);
  EXPECT_EQ(ComputeTotals({.lines = {{.unit_price = -1, .quantity = 1}}}).error().code, ErrorCode::kInternal);
  EXPECT_EQ(ComputeTotals({.shipping = 10, .shipping_discount = 11}).error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace plaza::orders
