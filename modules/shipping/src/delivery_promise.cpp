#include "plaza/shipping/delivery_promise.h"

#include <date/tz.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace plaza::shipping {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

// A search for the next business day gives up after this many calendar days: a calendar
// with no business day in a year is a configuration mistake, not a long wait.
constexpr int kSearchLimitDays = 366;
// IANA names are short ("America/Argentina/ComodRivadavia" is among the longest).
constexpr std::size_t kMaxTimeZoneNameLength = 64;

constexpr std::array<std::string_view, 12> kMonthAbbreviations = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

Result<const date::time_zone*> LocateZone(std::string_view name) {
  const auto unknown = [&] {
    return Error::Invalid("shipping/unknown-time-zone", "'" + std::string(name) + "' is not an IANA time zone",
                          "/time_zone");
  };
  if (name.empty() || name.size() > kMaxTimeZoneNameLength) return unknown();
  // The tz library reports an unknown name only by throwing; it is turned into a value
  // here so nothing above sees the exception.
  try {
    return date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return unknown();
  }
}

std::size_t IsoWeekdayIndex(sys_days day) {
  return std::chrono::weekday(day).iso_encoding() - 1;
}

class BusinessCalendar {
 public:
  explicit BusinessCalendar(const PromiseInput& input) : settings_(input.settings) {
    for (const Date& date : input.shop_holidays) shop_holidays_.insert(sys_days(date));
    for (const Date& date : input.carrier_holidays) carrier_holidays_.insert(sys_days(date));
  }

  bool IsShopBusinessDay(sys_days day) const {
    return settings_.working_days[IsoWeekdayIndex(day)] && !shop_holidays_.contains(day);
  }

  bool IsCarrierDay(sys_days day) const {
    return IsoWeekdayIndex(day) < 5 && !shop_holidays_.contains(day) && !carrier_holidays_.contains(day);
  }

  Result<sys_days> FirstShopBusinessDayFrom(sys_days day) const {
    for (int step = 0; step < kSearchLimitDays; ++step, day += days(1)) {
      if (IsShopBusinessDay(day)) return day;
    }
    return NoBusinessDay();
  }

  // The day `count` shop business days after `day`.
  Result<sys_days> AddShopBusinessDays(sys_days day, int count) const {
    for (int added = 0; added < count; ++added) {
      PLAZA_ASSIGN_OR_RETURN(day, FirstShopBusinessDayFrom(day + days(1)));
    }
    return day;
  }

  // The day `count` carrier days after `day`; `day` itself need not be one.
  Result<sys_days> AddCarrierDays(sys_days day, int count) const {
    for (int added = 0; added < count; ++added) {
      int step = 0;
      do {
        day += days(1);
        if (++step > kSearchLimitDays) return NoBusinessDay();
      } while (!IsCarrierDay(day));
    }
    return day;
  }

 private:
  static Error NoBusinessDay() {
    return Error::Invalid("shipping/no-business-day", "the working days and holidays leave no business day in a year");
  }

  const FulfilmentSettings& settings_;
  std::set<sys_days> shop_holidays_;
  std::set<sys_days> carrier_holidays_;
};

std::string DayMonth(const Date& date) {
  return std::to_string(static_cast<unsigned>(date.day())) + " " +
         std::string(kMonthAbbreviations[static_cast<unsigned>(date.month()) - 1]);
}

}  // namespace

Result<Date> ParseIsoDate(std::string_view text, std::string_view field) {
  const auto invalid = [&] {
    return Error::Invalid("validation/date", "'" + std::string(text) + "' is not a date of the form yyyy-mm-dd",
                          std::string(field));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return invalid();
  const auto number = [&](std::size_t offset, std::size_t length) -> std::optional<int> {
    int value = 0;
    const char* begin = text.data() + offset;
    const auto [end, error] = std::from_chars(begin, begin + length, value);
    if (error != std::errc() || end != begin + length) return std::nullopt;
    return value;
  };
  const auto year = number(0, 4);
  const auto month = number(5, 2);
  const auto day = number(8, 2);
  if (!year || !month || !day) return invalid();
  const Date date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                  std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return invalid();
  return date;
}

std::string FormatIsoDate(const Date& date) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

Status ValidateTimeZone(std::string_view name) {
  PLAZA_TRY(LocateZone(name));
  return Ok();
}

Status ValidateFulfilmentSettings(const FulfilmentSettings& settings) {
  PLAZA_TRY(ValidateTimeZone(settings.time_zone));
  if (settings.processing_days < 0 || settings.processing_days > kMaxProcessingDays) {
    return Error::Invalid("validation/range",
                          "processing_days must be between 0 and " + std::to_string(kMaxProcessingDays),
                          "/processing_days");
  }
  if (settings.cutoff_minute < 0 || settings.cutoff_minute >= 24 * 60) {
    return Error::Invalid("validation/range", "the cut-off must be a time of day between 00:00 and 23:59",
                          "/cutoff_time");
  }
  if (std::none_of(settings.working_days.begin(), settings.working_days.end(), [](bool on) { return on; })) {
    return Error::Invalid("validation/required", "at least one working day is required", "/working_days");
  }
  return Ok();
}

Result<DeliveryPromise> ComputeDeliveryPromise(const PromiseInput& input) {
  PLAZA_TRY(ValidateFulfilmentSettings(input.settings));
  if (input.transit_min_days < 0 || input.transit_max_days < input.transit_min_days ||
      input.transit_max_days > kMaxTransitDays) {
    return Error::Invalid("validation/range",
                          "transit days must satisfy 0 <= min <= max <= " + std::to_string(kMaxTransitDays),
                          "/transit_min_days");
  }
  PLAZA_ASSIGN_OR_RETURN(const date::time_zone* zone, LocateZone(input.settings.time_zone));

  // The shop's wall clock, with whatever offset (summer or winter) applies at `now`.
  const auto local = zone->to_local(input.now);
  const auto local_day = date::floor<date::days>(local);
  const auto minute_of_day = std::chrono::duration_cast<std::chrono::minutes>(local - local_day).count();
  const sys_days today{days(local_day.time_since_epoch().count())};

  const BusinessCalendar calendar(input);
  sys_days accepted = today;
  if (!calendar.IsShopBusinessDay(today) || minute_of_day >= input.settings.cutoff_minute) {
    PLAZA_ASSIGN_OR_RETURN(accepted, calendar.FirstShopBusinessDayFrom(today + days(1)));
  }
  if (input.preorder_arrival && sys_days(*input.preorder_arrival) > accepted) {
    PLAZA_ASSIGN_OR_RETURN(accepted, calendar.FirstShopBusinessDayFrom(sys_days(*input.preorder_arrival)));
  }
  PLAZA_ASSIGN_OR_RETURN(const sys_days ships, calendar.AddShopBusinessDays(accepted, input.settings.processing_days));
  PLAZA_ASSIGN_OR_RETURN(const sys_days earliest, calendar.AddCarrierDays(ships, input.transit_min_days));
  PLAZA_ASSIGN_OR_RETURN(const sys_days latest, calendar.AddCarrierDays(ships, input.transit_max_days));

  DeliveryPromise promise;
  promise.earliest = FormatIsoDate(Date(earliest));
  promise.latest = FormatIsoDate(Date(latest));
  promise.ships_on = FormatIsoDate(Date(ships));
  promise.text = PromiseText(Date(earliest), Date(latest));
  return promise;
}

std::string PromiseText(const Date& earliest, const Date& latest) {
  if (earliest == latest) return "Arrives " + DayMonth(earliest);
  if (earliest.year() == latest.year() && earliest.month() == latest.month()) {
    return "Arrives " + std::to_string(static_cast<unsigned>(earliest.day())) + "\u2013" + DayMonth(latest);
  }
  return "Arrives " + DayMonth(earliest) + " \u2013 " + DayMonth(latest);
}

}  // namespace plaza::shipping
