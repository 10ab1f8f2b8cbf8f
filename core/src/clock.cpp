#include "plaza/core/clock.h"

namespace plaza {

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

TimePoint ManualClock::Now() const { return FromUnixMillis(now_ms_.load()); }

}  // namespace plaza
