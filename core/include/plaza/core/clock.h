#pragma once
// Time as an injected dependency, so tests control reservations, sessions, TOTP windows
// and retry back-off. All times are UTC.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "plaza/core/result.h"

namespace plaza {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

// Thread-safe: implementations may be called from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// A clock that only moves when told to; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_ms_(start.time_since_epoch().count()) {}
  TimePoint Now() const override;
  void Advance(std::chrono::milliseconds by) { now_ms_ += by.count(); }
  void Set(TimePoint to) { now_ms_ = to.time_since_epoch().count(); }

 private:
  std::atomic<std::int64_t> now_ms_;
};

// Milliseconds since the Unix epoch: how times are stored in the database.
inline std::int64_t ToUnixMillis(TimePoint t) {
  return t.time_since_epoch().count();
}
inline TimePoint FromUnixMillis(std::int64_t ms) {
  return TimePoint(std::chrono::milliseconds(ms));
}

// RFC 3339 in UTC with milliseconds: "2026-11-23T09:00:00.000Z". How times leave Plaza
// (API responses, webhook bodies).
std::string FormatRfc3339(TimePoint t);

// Parses what FormatRfc3339 writes, and RFC 3339 times with 0–3 fraction digits and a
// "Z" or "+hh:mm"/"-hh:mm" offset: "2026-11-23T10:00:00+01:00". Finer fractions are
// refused rather than silently rounded. Errors: "validation/format".
Result<TimePoint> ParseRfc3339(std::string_view text);

}  // namespace plaza
