#pragma once
// THE delivery promise: "arrives between D1 and D2". Every place that tells a customer
// when an order arrives (storefront pages, feeds, the inbox, checkout, the guard) gets
// it from ComputeDeliveryPromise, usually through ShippingService::Quote, so no channel
// can promise a date operations cannot keep.
//
// The rules (docs/shipping.md):
//   1. `now` is read on the shop's wall clock (IANA time zone, daylight saving included).
//      An order placed on a shop business day strictly before the cut-off is accepted
//      that day; otherwise it is accepted on the next shop business day. A shop business
//      day is a working day that is not a shop-wide holiday.
//   2. A pre-order is accepted no earlier than the first shop business day on or after
//      the date its stock arrives.
//   3. It ships `processing_days` shop business days after acceptance (0: the same day).
//   4. It arrives between `transit_min_days` and `transit_max_days` carrier days after
//      shipping. Carrier days are Monday to Friday, minus shop-wide holidays and minus the
//      destination country's carrier holidays.
// All dates are calendar dates in the shop's time zone.
//
// Pure and thread-safe; the time-zone database is the system's (/usr/share/zoneinfo).

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"

namespace plaza::shipping {

// A calendar date, no time zone attached.
using Date = std::chrono::year_month_day;

// "2026-12-03" -> Date; "validation/date" on field `field` otherwise.
Result<Date> ParseIsoDate(std::string_view text, std::string_view field = {});
// Date -> "2026-12-03".
std::string FormatIsoDate(const Date& date);

// How a shop turns orders into parcels. Defaults: UTC, one processing day, cut-off at
// 14:00, Monday to Friday.
struct FulfilmentSettings {
  std::string time_zone = "UTC";  // IANA name, e.g. "Europe/Paris"
  int processing_days = 1;        // 0..kMaxProcessingDays
  int cutoff_minute = 14 * 60;    // minutes after local midnight, 0..1439 (0: no same-day acceptance)
  // Indexed by ISO weekday - 1: [0] is Monday, [6] Sunday. At least one must be true.
  std::array<bool, 7> working_days = {true, true, true, true, true, false, false};
};

// Bounds that keep a promise meaningful and its computation short.
inline constexpr int kMaxProcessingDays = 60;
inline constexpr int kMaxTransitDays = 90;

// "shipping/unknown-time-zone" unless `name` is in the system time-zone database.
Status ValidateTimeZone(std::string_view name);
// Checks every field of `settings` (field pointers "/time_zone", "/processing_days" …).
Status ValidateFulfilmentSettings(const FulfilmentSettings& settings);

struct PromiseInput {
  FulfilmentSettings settings{};
  std::vector<Date> shop_holidays{};     // shop-wide: no processing, no transit
  std::vector<Date> carrier_holidays{};  // the destination country's: no transit
  int transit_min_days = 0;
  int transit_max_days = 0;                // >= transit_min_days
  std::optional<Date> preorder_arrival{};  // when pre-ordered stock arrives, if any
  TimePoint now{};
};

struct DeliveryPromise {
  std::string earliest;  // "2026-12-03", in the shop's time zone
  std::string latest;    // "2026-12-05"
  std::string text;      // "Arrives 3–5 Dec", "Arrives 30 Nov – 2 Dec", "Arrives 3 Dec"
  std::string ships_on;  // the day the parcel leaves, "2026-12-01"
};

// The promise for one shipping option. Errors: "shipping/unknown-time-zone",
// "validation/range" for out-of-bounds days, "shipping/no-business-day" when holidays
// leave no business day within a year.
Result<DeliveryPromise> ComputeDeliveryPromise(const PromiseInput& input);

// "Arrives 3–5 Dec" for the two dates (English; pages may localise from the ISO dates).
std::string PromiseText(const Date& earliest, const Date& latest);

}  // namespace plaza::shipping
