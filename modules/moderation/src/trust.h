#pragma once
// Trust levels and the limits of each; docs/moderation.md shows the same table.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>

#include "plaza/moderation/moderation.h"

namespace plaza::moderation::internal {

using namespace std::chrono_literals;

inline constexpr std::chrono::milliseconds kHour = 1h;
inline constexpr std::chrono::milliseconds kDay = 24h;

struct WindowLimit {
  int per_hour = 0;
  int per_day = 0;
};

struct LevelLimits {
  std::array<WindowLimit, 8> activities{};  // indexed by Activity
  int links_per_item = 0;
  int images_per_hour = 0;
};

// What it takes to reach a level: account age (since the first admitted activity),
// contributions still up, and no strike (warning or takedown) for a while.
struct Threshold {
  std::chrono::milliseconds min_age{};
  std::int64_t min_contributions = 0;
  std::chrono::milliseconds clean_for{};
};

inline constexpr Threshold kBasicThreshold{24h, 3, 7 * 24h};
inline constexpr Threshold kTrustedThreshold{30 * 24h, 50, 30 * 24h};

//                                  post       comment     follow      review    question   answer     idea     report
inline constexpr LevelLimits kNewLimits{
    {{{5, 20}, {20, 100}, {30, 200}, {3, 10}, {5, 20}, {10, 50}, {2, 5}, {10, 30}}}, 0, 5};
inline constexpr LevelLimits kBasicLimits{
    {{{20, 100}, {60, 400}, {100, 500}, {10, 30}, {20, 60}, {30, 150}, {5, 20}, {30, 100}}}, 3, 30};
inline constexpr LevelLimits kTrustedLimits{
    {{{60, 400}, {200, 1500}, {300, 1500}, {30, 100}, {60, 200}, {100, 500}, {10, 50}, {60, 300}}}, 10, 120};

const LevelLimits& LimitsOf(TrustLevel level);

TrustLevel LevelOf(std::optional<TimePoint> first_seen, std::int64_t contributions,
                   std::optional<TimePoint> last_strike, TimePoint now);

// Whether the activity creates content that counts towards trust.
bool IsContribution(Activity activity);

}  // namespace plaza::moderation::internal
