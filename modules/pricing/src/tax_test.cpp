#include <gtest/gtest.h>

#include <vector>

#include "plaza/pricing/pricing.h"

namespace plaza::pricing {
namespace {

Market MakeMarket(std::string currency, bool inclusive) {
  Market market;
  market.id = 1;
  market.shop_id = 1;
  market.currency = std::move(currency);
  market.prices_include_tax = inclusive;
  return market;
}

TaxRateRecord Rate(std::string region, std::string tax_class, TaxRate rate, std::string name = "tax") {
  TaxRateRecord record;
  record.region = std::move(region);
  record.tax_class = std::move(tax_class);
  record.rate = rate;
  record.name = std::move(name);
  return record;
}

TEST(ComputeTaxTest, ExclusiveAddsTaxRoundedHalfEvenPerLine) {
  const std::vector<TaxRateRecord> rates = {Rate("US", "standard", TaxRate::BasisPoints(500)),
                                            Rate("US-CA", "standard", TaxRate::BasisPoints(725))};
  // 7.25% of 1000 = 72.5 -> 72 (even); of 1020 = 73.95 -> 74; of 1200 = 87 exactly.
  const std::vector<TaxLineInput> lines = {{1000, "standard"}, {1020, "standard"}, {1200, "standard"}};
  auto result = ComputeTax(lines, {"US", "US-CA"}, MakeMarket("USD", false), rates);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  ASSERT_EQ(result->lines.size(), 3u);
  EXPECT_EQ(result->lines[0].tax, 72);
  EXPECT_EQ(result->lines[1].tax, 74);
  EXPECT_EQ(result->lines[2].tax, 87);
  EXPECT_EQ(result->lines[0].region, "US-CA");
  EXPECT_EQ(result->lines[0].gross, 1072);
  EXPECT_EQ(result->lines[0].net, 1000);
  EXPECT_EQ(result->total_tax, 72 + 74 + 87);
  EXPECT_EQ(result->total_net, 3220);
  EXPECT_EQ(result->total_gross, 3220 + 233);
  EXPECT_FALSE(result->prices_include_tax);
}

TEST(ComputeTaxTest, HalfEvenTiesGoToTheEvenNeighbour) {
  const std::vector<TaxRateRecord> rates = {Rate("DE", "standard", TaxRate::BasisPoints(5000))};
  // 50% of 1 = 0.5 -> 0; of 3 = 1.5 -> 2; of 5 = 2.5 -> 2; of 7 = 3.5 -> 4.
  const std::vector<TaxLineInput> lines = {{1, "standard"}, {3, "standard"}, {5, "standard"}, {7, "standard"}};
  auto result = ComputeTax(lines, {"DE", ""}, MakeMarket("EUR", false), rates);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->lines[0].tax, 0);
  EXPECT_EQ(result->lines[1].tax, 2);
  EXPECT_EQ(result->lines[2].tax, 2);
  EXPECT_EQ(result->lines[3].tax, 4);
}

TEST(ComputeTaxTest, InclusiveExtractsTheTaxExactly) {
  const std::vector<TaxRateRecord> rates = {Rate("FR", "standard", TaxRate::BasisPoints(2000), "TVA"),
                                            Rate("FR", "reduced", TaxRate{55, 1000}, "TVA réduite")};
  // 20% inside 1200 = 200 exactly; inside 999 = 166.5 -> 166 (even); 5.5% inside 1055 = 55.
  const std::vector<TaxLineInput> lines = {{1200, "standard"}, {999, "standard"}, {1055, "reduced"}};
  auto result = ComputeTax(lines, {"FR", ""}, MakeMarket("EUR", true), rates);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->lines[0].tax, 200);
  EXPECT_EQ(result->lines[1].tax, 166);
  EXPECT_EQ(result->lines[2].tax, 55);
  for (const TaxLine& line : result->lines) {
    EXPECT_EQ(line.net + line.tax, line.amount);
    EXPECT_EQ(line.gross, line.amount);
  }
  EXPECT_EQ(result->lines[2].name, "TVA réduite");
  EXPECT_EQ(result->total_gross, 1200 + 999 + 1055);
  EXPECT_EQ(result->total_net + result->total_tax, result->total_gross);
}

TEST(ComputeTaxTest, RationalRatesNeedNoRounding) {
  // 19/100 inclusive: 119 gross is 100 net + 19 tax exactly.
  const std::vector<TaxRateRecord> rates = {Rate("DE", "standard", TaxRate{19, 100})};
  const std::vector<TaxLineInput> lines = {{119, "standard"}, {11900, "standard"}};
  auto result = ComputeTax(lines, {"DE", ""}, MakeMarket("EUR", true), rates);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->lines[0].tax, 19);
  EXPECT_EQ(result->lines[1].tax, 1900);
}

TEST(ComputeTaxTest, RoundsAtEachCurrencysMinorUnit) {
  const std::vector<TaxRateRecord> rates = {Rate("JP", "standard", TaxRate::BasisPoints(1000)),
                                            Rate("JP", "reduced", TaxRate::BasisPoints(800)),
                                            Rate("KW", "standard", TaxRate::BasisPoints(1500))};
  // JPY has no minor unit: 8% of 1999 yen = 159.92 -> 160 yen.
  auto yen = ComputeTax(std::vector<TaxLineInput>{{1999, "reduced"}, {105, "standard"}}, {"JP", ""},
                        MakeMarket("JPY", false), rates);
  ASSERT_TRUE(yen.ok());
  EXPECT_EQ(yen->lines[0].tax, 160);
  EXPECT_EQ(yen->lines[1].tax, 10);  // 10.5 -> 10 (even)
  EXPECT_EQ(yen->currency, "JPY");
  // KWD has three: 15% of 1.235 KWD (1235 fils) = 185.25 -> 185 fils.
  auto dinar = ComputeTax(std::vector<TaxLineInput>{{1235, "standard"}}, {"KW", ""}, MakeMarket("KWD", false), rates);
  ASSERT_TRUE(dinar.ok());
  EXPECT_EQ(dinar->lines[0].tax, 185);
}

TEST(ComputeTaxTest, SubdivisionFallsBackToCountryAndUnknownClassIsUntaxed) {
  const std::vector<TaxRateRecord> rates = {Rate("US", "standard", TaxRate::BasisPoints(500)),
                                            Rate("US-NY", "standard", TaxRate::BasisPoints(800)),
                                            Rate("US-CA", "reduced", TaxRate::BasisPoints(100))};
  const std::vector<TaxLineInput> lines = {{10000, "standard"}, {10000, "reduced"}, {10000, "zero"}};
  auto result = ComputeTax(lines, {"US", "US-CA"}, MakeMarket("USD", false), rates);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->lines[0].tax, 500);  // no US-CA standard rate: the country's
  EXPECT_EQ(result->lines[0].region, "US");
  EXPECT_EQ(result->lines[1].tax, 100);
  EXPECT_EQ(result->lines[2].tax, 0);  // no rate at all
  EXPECT_EQ(result->lines[2].region, "");
  auto elsewhere = ComputeTax(lines, {"CA", ""}, MakeMarket("USD", false), rates);
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_EQ(elsewhere->total_tax, 0);
}

TEST(ComputeTaxTest, RejectsBadInputPrecisely) {
  const std::vector<TaxRateRecord> rates = {Rate("FR", "standard", TaxRate::BasisPoints(2000))};
  auto negative = ComputeTax(std::vector<TaxLineInput>{{100, "standard"}, {-1, "standard"}}, {"FR", ""},
                             MakeMarket("EUR", false), rates);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().type, "pricing/negative-amount");
  EXPECT_EQ(negative.error().field, "/lines/1/amount");

  auto currency = ComputeTax(std::vector<TaxLineInput>{{100, "standard"}}, {"FR", ""}, MakeMarket("XYZ", false), rates);
  ASSERT_FALSE(currency.ok());
  EXPECT_EQ(currency.error().type, "money/unknown-currency");

  auto destination =
      ComputeTax(std::vector<TaxLineInput>{{100, "standard"}}, {"fr", ""}, MakeMarket("EUR", false), rates);
  ASSERT_FALSE(destination.ok());
  EXPECT_EQ(destination.error().field, "/destination/country");
  auto subdivision =
      ComputeTax(std::vector<TaxLineInput>{{100, "standard"}}, {"US", "CA-QC"}, MakeMarket("USD", false), rates);
  ASSERT_FALSE(subdivision.ok());
  EXPECT_EQ(subdivision.error().field, "/destination/subdivision");

  const std::vector<TaxRateRecord> huge = {Rate("FR", "standard", TaxRate{1'000'000'000, 1})};
  auto overflow =
      ComputeTax(std::vector<TaxLineInput>{{INT64_MAX / 2, "standard"}}, {"FR", ""}, MakeMarket("EUR", false), huge);
  ASSERT_FALSE(overflow.ok());
  EXPECT_EQ(overflow.error().type, "money/overflow");

  EXPECT_FALSE(ValidateTaxRate({1, 0}).ok());
  EXPECT_FALSE(ValidateTaxRate({-1, 100}).ok());
  EXPECT_FALSE(ValidateTaxRate({kMaxRateTerm + 1, 100}).ok());
  EXPECT_TRUE(ValidateTaxRate({0, 1}).ok());
}

TEST(EffectivePriceTest, SaleAppliesFromStartInclusiveToEndExclusive) {
  const TimePoint start = FromUnixMillis(1'800'000'000'000);
  const TimePoint end = start + std::chrono::hours(24);
  VariantPrice price{.variant_id = 7,
                     .market_id = 1,
                     .currency = "EUR",
                     .amount = 2000,
                     .compare_at_amount = 2500,
                     .sale_amount = 1500,
                     .sale_starts_at = start,
                     .sale_ends_at = end};
  const auto before = EffectivePriceAt(price, true, start - std::chrono::milliseconds(1));
  EXPECT_FALSE(before.on_sale);
  EXPECT_EQ(before.price, (Money{2000, "EUR"}));
  EXPECT_EQ(before.compare_at, (Money{2500, "EUR"}));
  const auto at_start = EffectivePriceAt(price, true, start);
  EXPECT_TRUE(at_start.on_sale);
  EXPECT_EQ(at_start.price.minor, 1500);
  EXPECT_EQ(at_start.compare_at->minor, 2500);
  EXPECT_EQ(at_start.sale_ends_at, end);
  EXPECT_TRUE(at_start.prices_include_tax);
  const auto last = EffectivePriceAt(price, true, end - std::chrono::milliseconds(1));
  EXPECT_TRUE(last.on_sale);
  const auto at_end = EffectivePriceAt(price, true, end);
  EXPECT_FALSE(at_end.on_sale);
  EXPECT_EQ(at_end.price.minor, 2000);

  // Without a compare-at price, a sale shows the regular price as "was".
  price.compare_at_amount.reset();
  EXPECT_EQ(EffectivePriceAt(price, false, start).compare_at, (Money{2000, "EUR"}));
  EXPECT_FALSE(EffectivePriceAt(price, false, end).compare_at.has_value());
  // An open-ended sale with no start applies at once and never ends.
  price.sale_starts_at.reset();
  price.sale_ends_at.reset();
  EXPECT_TRUE(EffectivePriceAt(price, false, FromUnixMillis(0)).on_sale);
  // A compare-at price below the price is not shown.
  VariantPrice plain{.variant_id = 1, .market_id = 1, .currency = "EUR", .amount = 1000, .compare_at_amount = 900};
  EXPECT_FALSE(EffectivePriceAt(plain, false, start).compare_at.has_value());
}

}  // namespace
}  // namespace plaza::pricing
