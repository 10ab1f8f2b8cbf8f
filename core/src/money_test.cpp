#include "plaza/core/money.h"

#include <gtest/gtest.h>

#include <limits>

namespace plaza {
namespace {

Currency Eur() {
  return *FindCurrency("EUR");
}

TEST(CurrencyTest, MinorDigitsFollowIso4217) {
  EXPECT_EQ(FindCurrency("EUR")->minor_digits, 2);
  EXPECT_EQ(FindCurrency("JPY")->minor_digits, 0);
  EXPECT_EQ(FindCurrency("KWD")->minor_digits, 3);
  EXPECT_EQ(MinorUnitsPerMajor(*FindCurrency("KWD")), 1000);
}

TEST(CurrencyTest, UnknownAndLowerCaseCodesAreRejected) {
  EXPECT_EQ(FindCurrency("XXX").error().type, "money/unknown-currency");
  EXPECT_EQ(FindCurrency("eur").error().type, "money/unknown-currency");
  EXPECT_EQ(FindCurrency("").error().type, "money/unknown-currency");
}

TEST(CurrencyTest, TableIsSortedSoLookupFindsEveryCode) {
  for (const Currency& currency : Currencies()) {
    ASSERT_TRUE(FindCurrency(currency.code).ok()) << currency.code;
  }
}

TEST(MulDivTest, RoundsHalfEvenHalfUpAndDown) {
  // 2.5 -> 2 (even), 3.5 -> 4 (even); half up goes away from zero.
  EXPECT_EQ(*MulDiv(5, 1, 2, Rounding::kHalfEven), 2);
  EXPECT_EQ(*MulDiv(7, 1, 2, Rounding::kHalfEven), 4);
  EXPECT_EQ(*MulDiv(5, 1, 2, Rounding::kHalfUp), 3);
  EXPECT_EQ(*MulDiv(-5, 1, 2, Rounding::kHalfUp), -3);
  EXPECT_EQ(*MulDiv(-5, 1, 2, Rounding::kHalfEven), -2);
  EXPECT_EQ(*MulDiv(999, 1, 10, Rounding::kDown), 99);
  EXPECT_EQ(*MulDiv(-999, 1, 10, Rounding::kDown), -99);
  // 19% VAT on 10.99: 208.81 -> 209.
  EXPECT_EQ(*MulDiv(1099, 19, 100, Rounding::kHalfEven), 209);
}

TEST(MulDivTest, IntermediateProductBeyond64BitsIsExact) {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max() / 2;
  EXPECT_EQ(*MulDiv(big, 4, 4, Rounding::kHalfEven), big);
  EXPECT_EQ(MulDiv(big, 4, 1, Rounding::kHalfEven).error().type, "money/overflow");
}

TEST(MoneyTest, ArithmeticIsCheckedForCurrencyAndOverflow) {
  EXPECT_EQ(Add({100, "EUR"}, {250, "EUR"})->minor, 350);
  EXPECT_EQ(Add({100, "EUR"}, {250, "GBP"}).error().type, "money/currency-mismatch");
  EXPECT_EQ(Subtract({100, "EUR"}, {250, "EUR"})->minor, -150);
  EXPECT_EQ(Multiply({1099, "EUR"}, 3)->minor, 3297);
  EXPECT_EQ(Multiply({std::numeric_limits<std::int64_t>::max(), "EUR"}, 2).error().type, "money/overflow");
  EXPECT_EQ(Add({std::numeric_limits<std::int64_t>::max(), "EUR"}, {1, "EUR"}).error().type, "money/overflow");
}

TEST(MoneyTest, ParsesDecimalAmountsPerCurrency) {
  EXPECT_EQ(*ParseDecimalAmount("12.50", Eur()), 1250);
  EXPECT_EQ(*ParseDecimalAmount("12.5", Eur()), 1250);
  EXPECT_EQ(*ParseDecimalAmount("12", Eur()), 1200);
  EXPECT_EQ(*ParseDecimalAmount("-0.05", Eur()), -5);
  EXPECT_EQ(*ParseDecimalAmount("1200", *FindCurrency("JPY")), 1200);
  EXPECT_EQ(*ParseDecimalAmount("1200.00", *FindCurrency("JPY")), 1200);
  EXPECT_EQ(*ParseDecimalAmount("1.234", *FindCurrency("KWD")), 1234);
}

TEST(MoneyTest, RejectsMalformedOrImpreciseAmounts) {
  for (const char* text : {"", "-", ".5", "5.", "1,50", "1.2.3", "abc", "1e3", " 1", "+1", "0x10"}) {
    EXPECT_EQ(ParseDecimalAmount(text, Eur()).error().type, "money/invalid-amount") << text;
  }
  EXPECT_EQ(ParseDecimalAmount("12.505", Eur()).error().type, "money/invalid-amount");
  EXPECT_EQ(ParseDecimalAmount("1200.5", *FindCurrency("JPY")).error().type, "money/invalid-amount");
  EXPECT_EQ(ParseDecimalAmount("99999999999999999999", Eur()).error().type, "money/overflow");
}

TEST(MoneyTest, FormatsWithTheCurrencysMinorDigits) {
  EXPECT_EQ(FormatDecimalAmount(1250, Eur()), "12.50");
  EXPECT_EQ(FormatDecimalAmount(5, Eur()), "0.05");
  EXPECT_EQ(FormatDecimalAmount(-5, Eur()), "-0.05");
  EXPECT_EQ(FormatDecimalAmount(1200, *FindCurrency("JPY")), "1200");
  EXPECT_EQ(FormatDecimalAmount(1234, *FindCurrency("KWD")), "1.234");
  EXPECT_EQ(FormatDecimalAmount(std::numeric_limits<std::int64_t>::min(), Eur()), "-92233720368547758.08");
  EXPECT_EQ(FormatMoney({1999, "GBP"}), "GBP 19.99");
}

TEST(MoneyTest, ParseAndFormatRoundTrip) {
  for (std::int64_t minor : {0LL, 1LL, 99LL, 100LL, 123456789LL, -42LL}) {
    EXPECT_EQ(*ParseDecimalAmount(FormatDecimalAmount(minor, Eur()), Eur()), minor);
  }
}

}  // namespace
}  // namespace plaza
