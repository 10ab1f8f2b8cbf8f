#include "plaza/shipping/delivery_promise.h"

#include <gtest/gtest.h>

namespace plaza::shipping {
namespace {

using namespace std::chrono;

// A UTC instant, to the millisecond.
TimePoint Utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0, int ms = 0) {
  return TimePoint(sys_days(year(y) / month(mo) / day(d)) + hours(h) + minutes(mi) + seconds(s) + milliseconds(ms));
}

Date D(int y, unsigned mo, unsigned d) {
  return year(y) / month(mo) / day(d);
}

PromiseInput Input(std::string time_zone, TimePoint now, int processing_days, int transit_min, int transit_max) {
  PromiseInput input;
  input.settings.time_zone = std::move(time_zone);
  input.settings.processing_days = processing_days;
  input.now = now;
  input.transit_min_days = transit_min;
  input.transit_max_days = transit_max;
  return input;
}

DeliveryPromise Promise(const PromiseInput& input) {
  Result<DeliveryPromise> promise = ComputeDeliveryPromise(input);
  EXPECT_TRUE(promise.ok()) << promise.error().type << ": " << promise.error().detail;
  return promise.ok() ? *promise : DeliveryPromise{};
}

TEST(DeliveryPromiseTest, OrderBeforeCutOffOnABusinessDayIsAcceptedThatDay) {
  // Monday 10:00 UTC, one processing day, two to four carrier days.
  const DeliveryPromise promise = Promise(Input("UTC", Utc(2026, 11, 23, 10, 0), 1, 2, 4));
  EXPECT_EQ(promise.ships_on, "2026-11-24");
  EXPECT_EQ(promise.earliest, "2026-11-26");
  EXPECT_EQ(promise.latest, "2026-11-30");  // Friday, then the weekend is skipped
  EXPECT_EQ(promise.text, "Arrives 26\u201330 Nov");
}

TEST(DeliveryPromiseTest, CutOffIsExactAtTheMinuteBoundaryInShopTime) {
  // Paris is UTC+1 in November; the cut-off is 14:00 local.
  PromiseInput before = Input("Europe/Paris", Utc(2026, 11, 23, 12, 59, 59, 999), 0, 1, 1);
  EXPECT_EQ(Promise(before).ships_on, "2026-11-23");
  EXPECT_EQ(Promise(before).earliest, "2026-11-24");

  PromiseInput at_cutoff = before;
  at_cutoff.now = Utc(2026, 11, 23, 13, 0);
  EXPECT_EQ(Promise(at_cutoff).ships_on, "2026-11-24");
  EXPECT_EQ(Promise(at_cutoff).earliest, "2026-11-25");
}

TEST(DeliveryPromiseTest, CutOffFollowsParisIntoSummerTime) {
  // Friday 27 March 2026, 12:30 UTC is 13:30 CET: before the cut-off.
  const DeliveryPromise friday = Promise(Input("Europe/Paris", Utc(2026, 3, 27, 12, 30), 0, 1, 1));
  EXPECT_EQ(friday.ships_on, "2026-03-27");
  EXPECT_EQ(friday.earliest, "2026-03-30");
  // Clocks go forward on Sunday 29 March: Monday 12:30 UTC is 14:30 CEST, too late.
  const DeliveryPromise monday = Promise(Input("Europe/Paris", Utc(2026, 3, 30, 12, 30), 0, 1, 1));
  EXPECT_EQ(monday.ships_on, "2026-03-31");
  EXPECT_EQ(monday.earliest, "2026-04-01");
  EXPECT_EQ(monday.text, "Arrives 1 Apr");
  // And 11:59 UTC is 13:59 CEST: still in time.
  EXPECT_EQ(Promise(Input("Europe/Paris", Utc(2026, 3, 30, 11, 59), 0, 1, 1)).ships_on, "2026-03-30");
}

TEST(DeliveryPromiseTest, CutOffFollowsParisBackToWinterTime) {
  // Friday 23 October 2026, 12:30 UTC is 14:30 CEST: too late, accepted on Monday.
  EXPECT_EQ(Promise(Input("Europe/Paris", Utc(2026, 10, 23, 12, 30), 0, 1, 1)).ships_on, "2026-10-26");
  EXPECT_EQ(Promise(Input("Europe/Paris", Utc(2026, 10, 23, 11, 59), 0, 1, 1)).ships_on, "2026-10-23");
  // Clocks go back on Sunday 25 October: Monday 12:30 UTC is 13:30 CET, in time.
  EXPECT_EQ(Promise(Input("Europe/Paris", Utc(2026, 10, 26, 12, 30), 0, 1, 1)).ships_on, "2026-10-26");
  EXPECT_EQ(Promise(Input("Europe/Paris", Utc(2026, 10, 26, 13, 0), 0, 1, 1)).ships_on, "2026-10-27");
}

TEST(DeliveryPromiseTest, CutOffFollowsNewYorkAcrossItsOwnTransitionDates) {
  PromiseInput input = Input("America/New_York", Utc(2026, 3, 6, 21, 30), 0, 2, 3);
  input.settings.cutoff_minute = 17 * 60;
  // Friday 6 March: 21:30 UTC is 16:30 EST.
  EXPECT_EQ(Promise(input).ships_on, "2026-03-06");
  // DST starts on Sunday 8 March: Monday 21:30 UTC is 17:30 EDT.
  input.now = Utc(2026, 3, 9, 21, 30);
  EXPECT_EQ(Promise(input).ships_on, "2026-03-10");
  // DST ends on Sunday 1 November: Monday 2 November 21:30 UTC is 16:30 EST again.
  input.now = Utc(2026, 11, 2, 21, 30);
  EXPECT_EQ(Promise(input).ships_on, "2026-11-02");
}

TEST(DeliveryPromiseTest, TheShopsLocalDateDecidesTheDayNotUtc) {
  // Monday 03:00 UTC is still Sunday 22:00 in New York: accepted on Monday.
  EXPECT_EQ(Promise(Input("America/New_York", Utc(2026, 11, 23, 3, 0), 0, 0, 0)).ships_on, "2026-11-23");
  // Monday 23:30 UTC is already Tuesday 00:30 in Paris.
  EXPECT_EQ(Promise(Input("Europe/Paris", Utc(2026, 11, 23, 23, 30), 0, 0, 0)).ships_on, "2026-11-24");
}

TEST(DeliveryPromiseTest, WeekendOrdersAreAcceptedOnMonday) {
  EXPECT_EQ(Promise(Input("UTC", Utc(2026, 11, 27, 15, 0), 0, 1, 1)).ships_on, "2026-11-30");  // Friday, late
  EXPECT_EQ(Promise(Input("UTC", Utc(2026, 11, 28, 9, 0), 0, 1, 1)).ships_on, "2026-11-30");   // Saturday
  EXPECT_EQ(Promise(Input("UTC", Utc(2026, 11, 29, 9, 0), 1, 1, 1)).ships_on, "2026-12-01");   // Sunday
}

TEST(DeliveryPromiseTest, SaturdayWorkingShopShipsSaturdayButCarriersRestOnWeekends) {
  PromiseInput input = Input("UTC", Utc(2026, 11, 28, 9, 0), 0, 1, 1);
  input.settings.working_days = {true, true, true, true, true, true, false};
  const DeliveryPromise promise = Promise(input);
  EXPECT_EQ(promise.ships_on, "2026-11-28");
  EXPECT_EQ(promise.earliest, "2026-11-30");
}

TEST(DeliveryPromiseTest, HolidayChainsPushAcceptanceAndTransit) {
  // Wednesday 23 December after the cut-off; 24 and 25 are shop holidays, then a
  // weekend; the destination's carriers rest on 28 December.
  PromiseInput input = Input("Europe/Paris", Utc(2026, 12, 23, 15, 0), 0, 1, 2);
  input.shop_holidays = {D(2026, 12, 24), D(2026, 12, 25)};
  input.carrier_holidays = {D(2026, 12, 28)};
  const DeliveryPromise promise = Promise(input);
  EXPECT_EQ(promise.ships_on, "2026-12-28");
  EXPECT_EQ(promise.earliest, "2026-12-29");
  EXPECT_EQ(promise.latest, "2026-12-30");
  // Carrier holidays of the destination do not stop the shop from processing.
  input.now = Utc(2026, 12, 28, 9, 0);
  input.carrier_holidays = {D(2026, 12, 28), D(2026, 12, 29)};
  EXPECT_EQ(Promise(input).ships_on, "2026-12-28");
  EXPECT_EQ(Promise(input).earliest, "2026-12-30");
}

TEST(DeliveryPromiseTest, ProcessingDaysSkipHolidays) {
  PromiseInput input = Input("UTC", Utc(2026, 12, 23, 9, 0), 2, 0, 0);
  input.shop_holidays = {D(2026, 12, 24), D(2026, 12, 25), D(2026, 12, 28)};
  EXPECT_EQ(Promise(input).ships_on, "2026-12-30");  // 23 accepted, then 29 and 30
}

TEST(DeliveryPromiseTest, PreOrderStartsFromTheArrivalOfItsStock) {
  PromiseInput input = Input("UTC", Utc(2026, 11, 23, 9, 0), 1, 1, 2);
  input.preorder_arrival = D(2026, 12, 5);  // a Saturday: accepted Monday 7
  const DeliveryPromise promise = Promise(input);
  EXPECT_EQ(promise.ships_on, "2026-12-08");
  EXPECT_EQ(promise.earliest, "2026-12-09");
  EXPECT_EQ(promise.latest, "2026-12-10");
  // Stock that has already arrived changes nothing.
  input.preorder_arrival = D(2026, 11, 1);
  EXPECT_EQ(Promise(input).ships_on, "2026-11-24");
}

TEST(DeliveryPromiseTest, TextAcrossMonthsAndForOneDay) {
  EXPECT_EQ(PromiseText(D(2026, 11, 30), D(2026, 12, 2)), "Arrives 30 Nov \u2013 2 Dec");
  EXPECT_EQ(PromiseText(D(2026, 12, 3), D(2026, 12, 3)), "Arrives 3 Dec");
  EXPECT_EQ(PromiseText(D(2026, 12, 31), D(2027, 1, 4)), "Arrives 31 Dec \u2013 4 Jan");
}

TEST(DeliveryPromiseTest, RejectsBadSettings) {
  PromiseInput input = Input("Mars/Olympus_Mons", Utc(2026, 11, 23, 9, 0), 1, 1, 2);
  Result<DeliveryPromise> promise = ComputeDeliveryPromise(input);
  ASSERT_FALSE(promise.ok());
  EXPECT_EQ(promise.error().type, "shipping/unknown-time-zone");

  input.settings.time_zone = "UTC";
  input.settings.working_days = {};
  promise = ComputeDeliveryPromise(input);
  ASSERT_FALSE(promise.ok());
  EXPECT_EQ(promise.error().field, "/working_days");

  input.settings.working_days = {true, false, false, false, false, false, false};
  input.transit_min_days = 3;
  input.transit_max_days = 2;
  EXPECT_FALSE(ComputeDeliveryPromise(input).ok());
}

TEST(DeliveryPromiseTest, HolidaysCoveringAYearAreAnErrorNotALoop) {
  PromiseInput input = Input("UTC", Utc(2026, 11, 23, 15, 0), 0, 0, 0);
  input.settings.working_days = {true, false, false, false, false, false, false};
  for (sys_days day = sys_days(D(2026, 11, 24)); day < sys_days(D(2028, 1, 1)); day += days(1)) {
    input.shop_holidays.push_back(Date(day));
  }
  const Result<DeliveryPromise> promise = ComputeDeliveryPromise(input);
  ASSERT_FALSE(promise.ok());
  EXPECT_EQ(promise.error().type, "shipping/no-business-day");
}

TEST(DeliveryPromiseTest, ParsesOnlyRealIsoDates) {
  ASSERT_TRUE(ParseIsoDate("2028-02-29").ok());
  EXPECT_EQ(FormatIsoDate(*ParseIsoDate("2028-02-29")), "2028-02-29");
  EXPECT_FALSE(ParseIsoDate("2026-02-29").ok());
  EXPECT_FALSE(ParseIsoDate("2026-2-28").ok());
  EXPECT_FALSE(ParseIsoDate("2026-02-28T").ok());
  EXPECT_EQ(ParseIsoDate("26-02-2028", "/date").error().field, "/date");
}

}  // namespace
}  // namespace plaza::shipping
