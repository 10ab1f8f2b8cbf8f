#include <gtest/gtest.h>

#include <vector>

#include "plaza/pricing/migrations.h"
#include "plaza/pricing/pricing.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::pricing {
namespace {

constexpr std::int64_t kShop = 1;
constexpr std::int64_t kOtherShop = 2;

class PricingServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  PricingServiceTest() : test_db_(GetParam()), clock_(FromUnixMillis(1'800'000'000'000)) {}

  void SetUp() override {
    const Status migrated =
        store::Migrate(db(), std::vector<store::MigrationSet>{store::StoreMigrations(), PricingMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  Market MustCreate(std::int64_t shop_id, NewMarket input) {
    auto created = service_.CreateMarket(shop_id, input);
    EXPECT_TRUE(created.ok()) << created.error().detail;
    return created.ok() ? *created : Market{};
  }

  std::int64_t CountRows(const std::string& table) {
    auto count = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM " + table));
      return row ? row->Int(0) : 0;
    });
    return count.ok() ? *count : -1;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  PricingService service_{db(), clock_};
};

TEST_P(PricingServiceTest, FirstMarketIsTheDefaultAndCountriesFallBackToIt) {
  const Market us =
      MustCreate(kShop, {.handle = "us", .name = "United States", .countries = {"US"}, .currency = "USD"});
  EXPECT_TRUE(us.is_default);
  const Market eu = MustCreate(kShop, {.handle = "eu",
                                       .name = "Europe",
                                       .countries = {"FR", "DE", "FR"},
                                       .currency = "EUR",
                                       .prices_include_tax = true});
  EXPECT_FALSE(eu.is_default);
  EXPECT_EQ(eu.countries, (std::vector<std::string>{"DE", "FR"}));

  auto fr = service_.MarketForCountry(kShop, "FR");
  ASSERT_TRUE(fr.ok());
  EXPECT_EQ(fr->id, eu.id);
  EXPECT_TRUE(fr->prices_include_tax);
  auto jp = service_.MarketForCountry(kShop, "JP");
  ASSERT_TRUE(jp.ok());
  EXPECT_EQ(jp->id, us.id);

  // Moving the default flag.
  auto updated = service_.UpdateMarket(kShop, eu.id, {.is_default = true});
  ASSERT_TRUE(updated.ok()) << updated.error().detail;
  EXPECT_TRUE(updated->is_default);
  EXPECT_FALSE(service_.GetMarket(kShop, us.id)->is_default);
  EXPECT_EQ(service_.MarketForCountry(kShop, "JP")->id, eu.id);

  auto none = service_.MarketForCountry(kOtherShop, "FR");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().type, "pricing/no-market");
  auto listed = service_.ListMarkets(kShop);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[1].countries, (std::vector<std::string>{"DE", "FR"}));
}

TEST_P(PricingServiceTest, RejectsBadMarketsWithPreciseErrorsAndWritesNothing) {
  struct Case {
    NewMarket input;
    std::string type;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{.handle = "eu", .name = "Europe", .countries = {"FR"}, .currency = "EURO"},
       "money/unknown-currency",
       "/currency"},
      {{.handle = "eu", .name = "Europe", .countries = {"FR"}, .currency = "eur"},
       "money/unknown-currency",
       "/currency"},
      {{.handle = "EU", .name = "Europe", .countries = {"FR"}, .currency = "EUR"}, "pricing/invalid-handle", "/handle"},
      {{.handle = "eu", .name = "", .countries = {"FR"}, .currency = "EUR"}, "pricing/invalid-name", "/name"},
      {{.handle = "eu", .name = "Europe", .countries = {"FR", "fra"}, .currency = "EUR"},
       "pricing/invalid-country",
       "/countries/1"},
  };
  for (const Case& test_case : cases) {
    auto created = service_.CreateMarket(kShop, test_case.input);
    ASSERT_FALSE(created.ok()) << test_case.type;
    EXPECT_EQ(created.error().type, test_case.type);
    EXPECT_EQ(created.error().field, test_case.field);
  }
  EXPECT_EQ(CountRows("pricing_markets"), 0);

  MustCreate(kShop, {.handle = "eu", .name = "Europe", .countries = {"FR"}, .currency = "EUR"});
  auto duplicate = service_.CreateMarket(kShop, {.handle = "eu", .name = "Other", .currency = "EUR"});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().type, "pricing/duplicate-handle");
  auto taken =
      service_.CreateMarket(kShop, {.handle = "fr", .name = "France", .countries = {"BE", "FR"}, .currency = "EUR"});
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().type, "pricing/country-taken");
  EXPECT_EQ(taken.error().field, "/countries/1");
  EXPECT_EQ(CountRows("pricing_markets"), 1);
  EXPECT_EQ(CountRows("pricing_market_countries"), 1);
  // Another shop may use the same handle and countries.
  MustCreate(kOtherShop, {.handle = "eu", .name = "Europe", .countries = {"FR"}, .currency = "EUR"});
}

TEST_P(PricingServiceTest, DefaultMarketCannotBeDeletedWhileOthersExist) {
  const Market us = MustCreate(kShop, {.handle = "us", .name = "US", .countries = {"US"}, .currency = "USD"});
  const Market eu = MustCreate(kShop, {.handle = "eu", .name = "EU", .countries = {"FR"}, .currency = "EUR"});
  auto refused = service_.DeleteMarket(kShop, us.id);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "pricing/default-required");
  auto unset = service_.UpdateMarket(kShop, us.id, {.is_default = false});
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(unset.error().type, "pricing/default-required");
  ASSERT_TRUE(service_.SetPrices(kShop, eu.id, std::vector<PriceInput>{{.variant_id = 5, .amount = 100}}).ok());
  ASSERT_TRUE(service_.DeleteMarket(kShop, eu.id).ok());
  EXPECT_EQ(CountRows("pricing_prices"), 0);
  EXPECT_EQ(CountRows("pricing_market_countries"), 1);
  ASSERT_TRUE(service_.DeleteMarket(kShop, us.id).ok());
  EXPECT_EQ(service_.GetMarket(kShop, us.id).error().code, ErrorCode::kNotFound);
}

TEST_P(PricingServiceTest, PricesPerMarketInOneBatchAndUnpricedIsADistinctError) {
  const Market us = MustCreate(kShop, {.handle = "us", .name = "US", .countries = {"US"}, .currency = "USD"});
  const Market jp = MustCreate(kShop, {.handle = "jp", .name = "Japan", .countries = {"JP"}, .currency = "JPY"});
  ASSERT_TRUE(service_
                  .SetPrices(kShop, us.id,
                             std::vector<PriceInput>{{.variant_id = 10, .amount = 1999, .compare_at_amount = 2499},
                                                     {.variant_id = 11, .amount = 500}})
                  .ok());
  ASSERT_TRUE(service_.SetPrices(kShop, jp.id, std::vector<PriceInput>{{.variant_id = 10, .amount = 2980}}).ok());

  const std::vector<std::int64_t> ids = {11, 10};
  auto priced = db().Read([&](store::Transaction& tx) { return PriceVariants(tx, kShop, us.id, ids, clock_.Now()); });
  ASSERT_TRUE(priced.ok()) << priced.error().detail;
  ASSERT_EQ(priced->size(), 2u);
  EXPECT_EQ((*priced)[0].variant_id, 11);
  EXPECT_EQ((*priced)[0].price, (Money{500, "USD"}));
  EXPECT_EQ((*priced)[1].price, (Money{1999, "USD"}));
  EXPECT_EQ((*priced)[1].compare_at, (Money{2499, "USD"}));

  auto yen = service_.PriceVariants(kShop, jp.id, std::vector<std::int64_t>{10});
  ASSERT_TRUE(yen.ok());
  EXPECT_EQ((*yen)[0].price, (Money{2980, "JPY"}));

  auto missing = service_.PriceVariants(kShop, jp.id, std::vector<std::int64_t>{10, 11});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().type, "pricing/not-priced");
  EXPECT_EQ(missing.error().code, ErrorCode::kConflict);
  EXPECT_EQ(missing.error().field, "/variant_ids/1");
  auto partial = db().Read([&](store::Transaction& tx) {
    return FindVariantPrices(tx, kShop, jp.id, std::vector<std::int64_t>{10, 11}, clock_.Now());
  });
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->size(), 1u);

  // Replacing a price, listing, and the variant across markets.
  ASSERT_TRUE(service_.SetPrices(kShop, us.id, std::vector<PriceInput>{{.variant_id = 10, .amount = 1799}}).ok());
  auto listed = service_.ListPrices(kShop, us.id, 0, 100);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].amount, 1799);
  EXPECT_FALSE((*listed)[0].compare_at_amount.has_value());
  auto across = service_.VariantPrices(kShop, 10);
  ASSERT_TRUE(across.ok());
  ASSERT_EQ(across->size(), 2u);
  EXPECT_EQ((*across)[1].currency, "JPY");

  ASSERT_TRUE(service_.DeletePrice(kShop, us.id, 11).ok());
  EXPECT_EQ(service_.PriceVariants(kShop, us.id, std::vector<std::int64_t>{11}).error().type, "pricing/not-priced");
  // Another shop sees neither the market nor its prices.
  EXPECT_EQ(service_.PriceVariants(kOtherShop, us.id, ids).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.ListPrices(kOtherShop, us.id, 0, 10).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service_.VariantPrices(kOtherShop, 10)->empty());
  EXPECT_EQ(service_.DeletePrice(kOtherShop, us.id, 10).error().code, ErrorCode::kNotFound);
}

TEST_P(PricingServiceTest, ScheduledSaleAtItsBoundaries) {
  const Market eu = MustCreate(kShop, {.handle = "eu", .name = "EU", .countries = {"FR"}, .currency = "EUR"});
  const TimePoint start = clock_.Now() + std::chrono::hours(1);
  const TimePoint end = start + std::chrono::hours(2);
  ASSERT_TRUE(
      service_
          .SetPrices(
              kShop, eu.id,
              std::vector<PriceInput>{
                  {.variant_id = 3, .amount = 4000, .sale_amount = 2999, .sale_starts_at = start, .sale_ends_at = end}})
          .ok());
  const auto price_at = [&](TimePoint now) {
    clock_.Set(now);
    return (*service_.PriceVariants(kShop, eu.id, std::vector<std::int64_t>{3}))[0];
  };
  EXPECT_EQ(price_at(start - std::chrono::milliseconds(1)).price.minor, 4000);
  EXPECT_EQ(price_at(start).price.minor, 2999);
  EXPECT_EQ(price_at(start).compare_at->minor, 4000);
  EXPECT_EQ(price_at(end - std::chrono::milliseconds(1)).price.minor, 2999);
  EXPECT_EQ(price_at(end).price.minor, 4000);
  EXPECT_FALSE(price_at(end).on_sale);
}

TEST_P(PricingServiceTest, RejectsBadPricesAndWritesNothing) {
  const Market eu = MustCreate(kShop, {.handle = "eu", .name = "EU", .countries = {"FR"}, .currency = "EUR"});
  const TimePoint now = clock_.Now();
  struct Case {
    std::vector<PriceInput> prices;
    std::string type;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{.variant_id = 1, .amount = 10}, {.variant_id = 2, .amount = -1}},
       "pricing/negative-amount",
       "/prices/1/amount"},
      {{{.variant_id = 1, .amount = 10, .compare_at_amount = -5}},
       "pricing/negative-amount",
       "/prices/0/compare_at_amount"},
      {{{.variant_id = 1, .amount = 10, .sale_amount = -5}}, "pricing/negative-amount", "/prices/0/sale_amount"},
      {{{.variant_id = 1, .amount = 10, .sale_amount = 5, .sale_starts_at = now, .sale_ends_at = now}},
       "pricing/invalid-sale-window",
       "/prices/0/sale_ends_at"},
      {{{.variant_id = 1,
         .amount = 10,
         .sale_amount = 5,
         .sale_starts_at = now,
         .sale_ends_at = now - std::chrono::hours(1)}},
       "pricing/invalid-sale-window",
       "/prices/0/sale_ends_at"},
      {{{.variant_id = 1, .amount = 10, .sale_ends_at = now}}, "pricing/sale-without-price", "/prices/0/sale_amount"},
      {{{.variant_id = 1, .amount = 10}, {.variant_id = 1, .amount = 11}},
       "pricing/duplicate-variant",
       "/prices/1/variant_id"},
      {{{.variant_id = 0, .amount = 10}}, "pricing/invalid-variant", "/prices/0/variant_id"},
      {{}, "pricing/too-many-variants", "/prices"},
  };
  for (const Case& test_case : cases) {
    auto set = service_.SetPrices(kShop, eu.id, test_case.prices);
    ASSERT_FALSE(set.ok()) << test_case.type;
    EXPECT_EQ(set.error().type, test_case.type);
    EXPECT_EQ(set.error().field, test_case.field);
  }
  EXPECT_EQ(CountRows("pricing_prices"), 0);
  EXPECT_EQ(service_.SetPrices(kOtherShop, eu.id, std::vector<PriceInput>{{.variant_id = 1, .amount = 1}}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(CountRows("pricing_prices"), 0);
}

TEST_P(PricingServiceTest, CurrencyIsLockedOnceTheMarketHasPrices) {
  const Market eu = MustCreate(kShop, {.handle = "eu", .name = "EU", .countries = {"FR"}, .currency = "EUR"});
  ASSERT_TRUE(service_.UpdateMarket(kShop, eu.id, {.currency = "CHF"}).ok());
  ASSERT_TRUE(service_.SetPrices(kShop, eu.id, std::vector<PriceInput>{{.variant_id = 1, .amount = 100}}).ok());
  auto locked = service_.UpdateMarket(kShop, eu.id, {.currency = "EUR"});
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().type, "pricing/currency-locked");
  EXPECT_EQ(service_.GetMarket(kShop, eu.id)->currency, "CHF");
  EXPECT_EQ(service_.PriceVariants(kShop, eu.id, std::vector<std::int64_t>{1})->front().price.currency, "CHF");
}

TEST_P(PricingServiceTest, TaxRatesPerRegionAndClassDriveComputeTax) {
  const Market us = MustCreate(kShop, {.handle = "us", .name = "US", .countries = {"US"}, .currency = "USD"});
  ASSERT_TRUE(service_.SetTaxRate(kShop, us.id, {.region = "US-CA", .rate = TaxRate::BasisPoints(725)}).ok());
  ASSERT_TRUE(service_.SetTaxRate(kShop, us.id, {.region = "US", .rate = TaxRate::BasisPoints(400)}).ok());
  auto replaced = service_.SetTaxRate(kShop, us.id, {.region = "US", .rate = TaxRate::BasisPoints(500), .name = "US"});
  ASSERT_TRUE(replaced.ok());
  auto rates = service_.ListTaxRates(kShop, us.id);
  ASSERT_TRUE(rates.ok());
  ASSERT_EQ(rates->size(), 2u);

  const std::vector<TaxLineInput> lines = {{1000, "standard"}, {2000, "standard"}};
  auto california = service_.ComputeTax(kShop, us.id, lines, {"US", "US-CA"});
  ASSERT_TRUE(california.ok()) << california.error().detail;
  EXPECT_EQ(california->total_tax, 72 + 145);
  auto texas = db().Read([&](store::Transaction& tx) { return ComputeTax(tx, kShop, us.id, lines, {"US", "US-TX"}); });
  ASSERT_TRUE(texas.ok());
  EXPECT_EQ(texas->total_tax, 150);

  struct Case {
    TaxRateInput input;
    std::string type;
  };
  const std::vector<Case> cases = {
      {{.region = "California", .rate = TaxRate::BasisPoints(1)}, "pricing/invalid-region"},
      {{.region = "US-", .rate = TaxRate::BasisPoints(1)}, "pricing/invalid-region"},
      {{.region = "US", .tax_class = "Reduced", .rate = TaxRate::BasisPoints(1)}, "pricing/invalid-tax-class"},
      {{.region = "US", .rate = {-5, 100}}, "pricing/invalid-tax-rate"},
      {{.region = "US", .rate = {5, 0}}, "pricing/invalid-tax-rate"},
  };
  for (const Case& test_case : cases) {
    auto set = service_.SetTaxRate(kShop, us.id, test_case.input);
    ASSERT_FALSE(set.ok());
    EXPECT_EQ(set.error().type, test_case.type);
  }
  EXPECT_EQ(CountRows("pricing_tax_rates"), 2);
  EXPECT_EQ(service_.ListTaxRates(kOtherShop, us.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.DeleteTaxRate(kOtherShop, us.id, replaced->id).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(service_.DeleteTaxRate(kShop, us.id, replaced->id).ok());
  EXPECT_EQ(service_.ComputeTax(kShop, us.id, lines, {"US", "US-TX"})->total_tax, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PricingServiceTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::pricing
