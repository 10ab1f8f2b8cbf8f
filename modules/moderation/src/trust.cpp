#include "trust.h"

namespace plaza::moderation::internal {
namespace {

bool Meets(const Threshold& threshold, TimePoint first_seen, std::int64_t contributions,
           std::optional<TimePoint> last_strike, TimePoint now) {
  return now - first_seen >= threshold.min_age && contributions >= threshold.min_contributions &&
         (!last_strike || now - *last_strike >= threshold.clean_for);
}

}  // namespace

const LevelLimits& LimitsOf(TrustLevel level) {
  switch (level) {
    case TrustLevel::kNew:
      return kNewLimits;
    case TrustLevel::kBasic:
      return kBasicLimits;
    case TrustLevel::kTrusted:
      return kTrustedLimits;
  }
  return kNewLimits;
}

TrustLevel LevelOf(std::optional<TimePoint> first_seen, std::int64_t contributions,
                   std::optional<TimePoint> last_strike, TimePoint now) {
  if (!first_seen) return TrustLevel::kNew;
  if (Meets(kTrustedThreshold, *first_seen, contributions, last_strike, now)) return TrustLevel::kTrusted;
  if (Meets(kBasicThreshold, *first_seen, contributions, last_strike, now)) return TrustLevel::kBasic;
  return TrustLevel::kNew;
}

bool IsContribution(Activity activity) {
  return activity != Activity::kFollow && activity != Activity::kReport;
}

}  // namespace plaza::moderation::internal
