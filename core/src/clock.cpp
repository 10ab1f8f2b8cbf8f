#include "plaza/core/clock.h"

#include <cstdio>
#include <optional>

namespace plaza {

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

TimePoint ManualClock::Now() const {
  return FromUnixMillis(now_ms_.load());
}

std::string FormatRfc3339(TimePoint t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day date(days);
  const std::chrono::hh_mm_ss time(t - days);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
  return buffer;
}

Result<TimePoint> ParseRfc3339(std::string_view text) {
  const auto invalid = [&] {
    return Error::Invalid("validation/format", "expected an RFC 3339 time such as 2026-11-23T09:00:00Z");
  };
  std::size_t pos = 0;
  const auto number = [&](std::size_t digits) -> std::optional<int> {
    if (pos + digits > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t idx = 0; idx < digits; ++idx) {
      const char c = text[pos + idx];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos += digits;
    return value;
  };
  const auto expect = [&](std::string_view choices) {
    if (pos >= text.size() || choices.find(text[pos]) == std::string_view::npos) return false;
    ++pos;
    return true;
  };
  const auto year = number(4);
  if (!year || !expect("-")) return invalid();
  const auto month = number(2);
  if (!month || !expect("-")) return invalid();
  const auto day = number(2);
  if (!day || !expect("Tt")) return invalid();
  const auto hour = number(2);
  if (!hour || !expect(":")) return invalid();
  const auto minute = number(2);
  if (!minute || !expect(":")) return invalid();
  const auto second = number(2);
  if (!second) return invalid();
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++digits > 3) return invalid();
      millis = millis * 10 + (text[pos++] - '0');
    }
    if (digits == 0) return invalid();
    for (; digits < 3; ++digits) millis *= 10;
  }
  int offset_minutes = 0;
  if (expect("Zz")) {
    // UTC.
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos++] == '-' ? -1 : 1;
    const auto offset_hours = number(2);
    if (!offset_hours || !expect(":")) return invalid();
    const auto offset_mins = number(2);
    if (!offset_mins || *offset_hours > 23 || *offset_mins > 59) return invalid();
    offset_minutes = sign * (*offset_hours * 60 + *offset_mins);
  } else {
    return invalid();
  }
  if (pos != text.size()) return invalid();
  const std::chrono::year_month_day date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) return invalid();
  return TimePoint(std::chrono::sys_days(date).time_since_epoch()) + std::chrono::hours(*hour) +
         std::chrono::minutes(*minute - offset_minutes) + std::chrono::seconds(*second) +
         std::chrono::milliseconds(millis);
}

}  // namespace plaza
