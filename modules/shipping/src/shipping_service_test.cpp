#include "plaza/shipping/shipping_service.h"

#include <gtest/gtest.h>

#include <vector>

#include "plaza/shipping/migrations.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::shipping {
namespace {

using namespace std::chrono;

constexpr std::int64_t kShop = 1;
constexpr std::int64_t kOtherShop = 2;

// Monday 23 November 2026, 09:00 UTC.
const TimePoint kMonday = TimePoint(sys_days(year(2026) / 11 / 23) + hours(9));

class ShippingServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  ShippingServiceTest() : test_db_(GetParam()), clock_(kMonday), service_(test_db_.db(), clock_) {}

  void SetUp() override {
    const Status migrated =
        store::Migrate(test_db_.db(), std::vector<store::MigrationSet>{store::StoreMigrations(), ShippingMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  Zone MakeZone(std::int64_t shop, std::string name, std::vector<Destination> destinations) {
    auto zone = service_.CreateZone(shop, {std::move(name), std::move(destinations)});
    EXPECT_TRUE(zone.ok()) << zone.error().detail;
    return zone.ok() ? *zone : Zone{};
  }

  Rate MakeRate(std::int64_t shop, std::int64_t zone, RateInput input) {
    auto rate = service_.CreateRate(shop, zone, input);
    EXPECT_TRUE(rate.ok()) << rate.error().type << " " << rate.error().detail;
    return rate.ok() ? *rate : Rate{};
  }

  static RateInput Flat(std::string name, std::int64_t price, int min_days, int max_days) {
    RateInput input;
    input.name = std::move(name);
    input.currency = "EUR";
    input.price_minor = price;
    input.transit_min_days = min_days;
    input.transit_max_days = max_days;
    return input;
  }

  static ShippingRequest Cart(std::string country, std::int64_t subtotal, std::int64_t grams) {
    return ShippingRequest{{std::move(country), ""}, "EUR", subtotal, grams, std::nullopt};
  }

  std::vector<std::string> OptionNames(const ShippingRequest& request) {
    auto quote = service_.Quote(kShop, request);
    EXPECT_TRUE(quote.ok()) << quote.error().type << " " << quote.error().detail;
    std::vector<std::string> names;
    if (quote.ok()) {
      for (const auto& option : quote->options) names.push_back(option.name + ":" + std::to_string(option.price.minor));
    }
    return names;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  ShippingService service_;
};

TEST_P(ShippingServiceTest, QuotesEachRateWithItsPriceAndPromise) {
  const Zone zone = MakeZone(kShop, "France", {{"FR", ""}});
  MakeRate(kShop, zone.id, Flat("Standard", 490, 2, 4));
  MakeRate(kShop, zone.id, Flat("Express", 1290, 1, 1));
  ASSERT_TRUE(
      service_.PutSettings(kShop, {"Europe/Paris", 1, 14 * 60, {true, true, true, true, true, false, false}}).ok());

  auto quote = service_.Quote(kShop, Cart("FR", 5000, 800));
  ASSERT_TRUE(quote.ok()) << quote.error().detail;
  EXPECT_EQ(quote->zone_name, "France");
  ASSERT_EQ(quote->options.size(), 2u);
  EXPECT_EQ(quote->options[0].name, "Standard");
  EXPECT_EQ(quote->options[0].price, (Money{490, "EUR"}));
  // Monday 10:00 in Paris: accepted Monday, ships Tuesday.
  EXPECT_EQ(quote->options[0].promise.earliest, "2026-11-26");
  EXPECT_EQ(quote->options[0].promise.latest, "2026-11-30");
  EXPECT_EQ(quote->options[0].promise.text, "Arrives 26\u201330 Nov");
  EXPECT_EQ(quote->options[1].name, "Express");
  EXPECT_EQ(quote->options[1].promise.earliest, "2026-11-25");
}

TEST_P(ShippingServiceTest, WeightBracketsSelectByGramsWithExclusiveUpperBounds) {
  const Zone zone = MakeZone(kShop, "EU", {{"DE", ""}});
  RateInput light = Flat("Light", 500, 2, 3);
  light.kind = RateKind::kWeight;
  light.max_value = 1000;
  RateInput heavy = Flat("Heavy", 900, 2, 3);
  heavy.kind = RateKind::kWeight;
  heavy.min_value = 1000;
  heavy.max_value = 5000;
  MakeRate(kShop, zone.id, light);
  MakeRate(kShop, zone.id, heavy);
  EXPECT_EQ(OptionNames(Cart("DE", 100, 999)), std::vector<std::string>{"Light:500"});
  EXPECT_EQ(OptionNames(Cart("DE", 100, 1000)), std::vector<std::string>{"Heavy:900"});
  const auto too_heavy = service_.Quote(kShop, Cart("DE", 100, 5000));
  ASSERT_FALSE(too_heavy.ok());
  EXPECT_EQ(too_heavy.error().type, "shipping/no-rate-for-destination");
}

TEST_P(ShippingServiceTest, PriceBracketsAndFreeOverThresholdUseTheSubtotal) {
  const Zone zone = MakeZone(kShop, "EU", {{"BE", ""}});
  RateInput small = Flat("Small order", 700, 2, 3);
  small.kind = RateKind::kPrice;
  small.max_value = 2000;
  RateInput free = Flat("Standard", 450, 2, 4);
  free.kind = RateKind::kFreeOver;
  free.min_value = 5000;
  MakeRate(kShop, zone.id, small);
  MakeRate(kShop, zone.id, free);
  EXPECT_EQ(OptionNames(Cart("BE", 1999, 0)), (std::vector<std::string>{"Standard:450", "Small order:700"}));
  EXPECT_EQ(OptionNames(Cart("BE", 4999, 0)), std::vector<std::string>{"Standard:450"});
  EXPECT_EQ(OptionNames(Cart("BE", 5000, 0)), std::vector<std::string>{"Standard:0"});
}

TEST_P(ShippingServiceTest, RegionZoneWinsOverCountryZone) {
  const Zone us = MakeZone(kShop, "United States", {{"US", ""}});
  const Zone remote = MakeZone(kShop, "Alaska and Hawaii", {{"US", "AK"}, {"US", "HI"}});
  RateInput mainland = Flat("Ground", 800, 3, 5);
  mainland.currency = "USD";
  RateInput far = Flat("Air", 2500, 4, 8);
  far.currency = "USD";
  MakeRate(kShop, us.id, mainland);
  MakeRate(kShop, remote.id, far);
  auto quote = service_.Quote(kShop, {{"US", "HI"}, "USD", 1000, 100, std::nullopt});
  ASSERT_TRUE(quote.ok());
  EXPECT_EQ(quote->zone_id, remote.id);
  quote = service_.Quote(kShop, {{"US", "CA"}, "USD", 1000, 100, std::nullopt});
  ASSERT_TRUE(quote.ok());
  EXPECT_EQ(quote->zone_id, us.id);
}

TEST_P(ShippingServiceTest, NoZoneOrNoRateInTheCurrencyIsAPreciseError) {
  const Zone zone = MakeZone(kShop, "France", {{"FR", ""}});
  MakeRate(kShop, zone.id, Flat("Standard", 490, 2, 4));
  auto quote = service_.Quote(kShop, Cart("JP", 5000, 100));
  ASSERT_FALSE(quote.ok());
  EXPECT_EQ(quote.error().type, "shipping/no-rate-for-destination");
  EXPECT_EQ(quote.error().field, "/destination");
  quote = service_.Quote(kShop, {{"FR", ""}, "USD", 5000, 100, std::nullopt});
  ASSERT_FALSE(quote.ok());
  EXPECT_EQ(quote.error().type, "shipping/no-rate-for-destination");
}

TEST_P(ShippingServiceTest, HolidaysAndPreOrdersShapeTheQuotedPromise) {
  const Zone zone = MakeZone(kShop, "Germany", {{"DE", ""}});
  MakeRate(kShop, zone.id, Flat("Standard", 490, 1, 2));
  ASSERT_TRUE(service_.AddHoliday(kShop, {"2026-11-24", "", "Inventory day"}).ok());
  ASSERT_TRUE(service_.AddHoliday(kShop, {"2026-11-26", "DE", "Carrier strike"}).ok());
  ASSERT_TRUE(service_.AddHoliday(kShop, {"2026-11-27", "FR", "French carriers only"}).ok());
  auto duplicate = service_.AddHoliday(kShop, {"2026-11-24", "", "again"});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().type, "shipping/duplicate-holiday");

  // Default settings (UTC, one processing day): accepted Monday, ships Wednesday (Tuesday
  // is a shop holiday), carriers rest Thursday.
  auto quote = service_.Quote(kShop, Cart("DE", 100, 100));
  ASSERT_TRUE(quote.ok()) << quote.error().detail;
  EXPECT_EQ(quote->options[0].promise.ships_on, "2026-11-25");
  EXPECT_EQ(quote->options[0].promise.earliest, "2026-11-27");
  EXPECT_EQ(quote->options[0].promise.latest, "2026-11-30");

  ShippingRequest preorder = Cart("DE", 100, 100);
  preorder.preorder_arrival = "2026-12-10";
  quote = service_.Quote(kShop, preorder);
  ASSERT_TRUE(quote.ok());
  EXPECT_EQ(quote->options[0].promise.ships_on, "2026-12-11");
  preorder.preorder_arrival = "2026-13-01";
  quote = service_.Quote(kShop, preorder);
  ASSERT_FALSE(quote.ok());
  EXPECT_EQ(quote.error().field, "/preorder_arrival");
}

TEST_P(ShippingServiceTest, QuoteRunsInsideACallersTransaction) {
  const Zone zone = MakeZone(kShop, "France", {{"FR", ""}});
  MakeRate(kShop, zone.id, Flat("Standard", 490, 2, 4));
  auto quote = test_db_.db().Read(
      [&](store::Transaction& tx) { return service_.Quote(tx, kShop, Cart("FR", 100, 100), kMonday); });
  ASSERT_TRUE(quote.ok());
  EXPECT_EQ(quote->options.size(), 1u);
}

TEST_P(ShippingServiceTest, ADestinationBelongsToOneZone) {
  MakeZone(kShop, "France", {{"FR", ""}});
  auto clash = service_.CreateZone(kShop, {"Europe", {{"DE", ""}, {"FR", ""}}});
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().type, "shipping/destination-taken");
  auto zones = service_.ListZones(kShop);
  ASSERT_TRUE(zones.ok());
  EXPECT_EQ(zones->size(), 1u);  // the failed zone left nothing behind
  // Another shop may use the same destination.
  EXPECT_TRUE(service_.CreateZone(kOtherShop, {"France", {{"FR", ""}}}).ok());
}

TEST_P(ShippingServiceTest, ZonesAndRatesUpdateAndDelete) {
  Zone zone = MakeZone(kShop, "Benelux", {{"NL", ""}, {"BE", ""}});
  EXPECT_EQ(zone.destinations.front().country, "BE");  // sorted
  auto updated = service_.UpdateZone(kShop, zone.id, {"Benelux", {{"NL", ""}, {"BE", ""}, {"LU", ""}}});
  ASSERT_TRUE(updated.ok()) << updated.error().detail;
  EXPECT_EQ(updated->destinations.size(), 3u);
  const Rate rate = MakeRate(kShop, zone.id, Flat("Standard", 490, 2, 4));
  auto changed = service_.UpdateRate(kShop, rate.id, Flat("Standard", 590, 1, 3));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->price_minor, 590);
  EXPECT_EQ(service_.GetRate(kShop, rate.id)->transit_min_days, 1);
  ASSERT_TRUE(service_.DeleteZone(kShop, zone.id).ok());
  EXPECT_EQ(service_.GetRate(kShop, rate.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.GetZone(kShop, zone.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service_.CreateZone(kShop, {"Luxembourg", {{"LU", ""}}}).ok());  // destination released
}

TEST_P(ShippingServiceTest, InvalidInputNamesItsField) {
  auto zone = service_.CreateZone(kShop, {"Bad", {{"fr", ""}}});
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.error().field, "/destinations/0/country");
  const Zone good = MakeZone(kShop, "France", {{"FR", ""}});
  RateInput bracket = Flat("Bracket", 100, 1, 2);
  bracket.kind = RateKind::kWeight;
  bracket.min_value = 500;
  bracket.max_value = 500;
  EXPECT_EQ(service_.CreateRate(kShop, good.id, bracket).error().field, "/max_value");
  RateInput slow = Flat("Slow", 100, 5, 2);
  EXPECT_EQ(service_.CreateRate(kShop, good.id, slow).error().field, "/transit_max_days");
  RateInput money = Flat("Odd", 100, 1, 2);
  money.currency = "XXY";
  EXPECT_EQ(service_.CreateRate(kShop, good.id, money).error().field, "/currency");
  FulfilmentSettings settings;
  settings.time_zone = "Europe/Atlantis";
  EXPECT_EQ(service_.PutSettings(kShop, settings).error().type, "shipping/unknown-time-zone");
  EXPECT_EQ(service_.AddHoliday(kShop, {"2026-02-30", "", ""}).error().field, "/date");
}

TEST_P(ShippingServiceTest, SettingsRoundTripAndDefault) {
  auto defaults = service_.GetSettings(kShop);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->time_zone, "UTC");
  FulfilmentSettings settings{"America/New_York", 2, 17 * 60 + 30, {true, true, true, true, true, true, false}};
  ASSERT_TRUE(service_.PutSettings(kShop, settings).ok());
  settings.processing_days = 3;
  ASSERT_TRUE(service_.PutSettings(kShop, settings).ok());
  auto stored = service_.GetSettings(kShop);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->time_zone, "America/New_York");
  EXPECT_EQ(stored->processing_days, 3);
  EXPECT_EQ(stored->cutoff_minute, 17 * 60 + 30);
  EXPECT_TRUE(stored->working_days[5]);
  EXPECT_FALSE(stored->working_days[6]);
  EXPECT_EQ(service_.GetSettings(kOtherShop)->time_zone, "UTC");
}

TEST_P(ShippingServiceTest, AnotherShopsRecordsAreNotFound) {
  const Zone zone = MakeZone(kShop, "France", {{"FR", ""}});
  const Rate rate = MakeRate(kShop, zone.id, Flat("Standard", 490, 2, 4));
  auto holiday = service_.AddHoliday(kShop, {"2026-12-25", "", "Christmas"});
  ASSERT_TRUE(holiday.ok());
  EXPECT_EQ(service_.GetZone(kOtherShop, zone.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.UpdateZone(kOtherShop, zone.id, {"Mine", {{"FR", ""}}}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.DeleteZone(kOtherShop, zone.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.ListRates(kOtherShop, zone.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.CreateRate(kOtherShop, zone.id, Flat("X", 1, 1, 1)).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.GetRate(kOtherShop, rate.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.UpdateRate(kOtherShop, rate.id, Flat("X", 1, 1, 1)).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.DeleteRate(kOtherShop, rate.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.DeleteHoliday(kOtherShop, holiday->id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service_.ListHolidays(kOtherShop)->empty());
  EXPECT_EQ(service_.Quote(kOtherShop, Cart("FR", 100, 100)).error().type, "shipping/no-rate-for-destination");
  EXPECT_TRUE(service_.GetRate(kShop, rate.id).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, ShippingServiceTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::shipping
