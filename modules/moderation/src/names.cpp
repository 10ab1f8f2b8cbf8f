#include <array>
#include <utility>

#include "plaza/core/enum_names.h"
#include "plaza/moderation/moderation.h"

namespace plaza::moderation {
namespace {

constexpr std::array<std::pair<ContentKind, std::string_view>, 7> kContentKinds{{
    {ContentKind::kPost, "post"},
    {ContentKind::kComment, "comment"},
    {ContentKind::kReview, "review"},
    {ContentKind::kQuestion, "question"},
    {ContentKind::kAnswer, "answer"},
    {ContentKind::kIdea, "idea"},
    {ContentKind::kProfile, "profile"},
}};

constexpr std::array<std::pair<Visibility, std::string_view>, 4> kVisibilities{{
    {Visibility::kVisible, "visible"},
    {Visibility::kHeld, "held"},
    {Visibility::kHidden, "hidden"},
    {Visibility::kRemoved, "removed"},
}};

constexpr std::array<std::pair<Activity, std::string_view>, 8> kActivities{{
    {Activity::kPost, "post"},
    {Activity::kComment, "comment"},
    {Activity::kFollow, "follow"},
    {Activity::kReview, "review"},
    {Activity::kQuestion, "question"},
    {Activity::kAnswer, "answer"},
    {Activity::kIdea, "idea"},
    {Activity::kReport, "report"},
}};

constexpr std::array<std::pair<RuleAction, std::string_view>, 2> kRuleActions{{
    {RuleAction::kMask, "mask"},
    {RuleAction::kHold, "hold"},
}};

constexpr std::array<std::pair<ReportReason, std::string_view>, 8> kReportReasons{{
    {ReportReason::kSpam, "spam"},
    {ReportReason::kHarassment, "harassment"},
    {ReportReason::kHate, "hate"},
    {ReportReason::kSexual, "sexual"},
    {ReportReason::kViolence, "violence"},
    {ReportReason::kMisinformation, "misinformation"},
    {ReportReason::kIllegal, "illegal"},
    {ReportReason::kOther, "other"},
}};

constexpr std::array<ReportReason, 8> kAllReportReasons{
    ReportReason::kSpam,     ReportReason::kHarassment,     ReportReason::kHate,    ReportReason::kSexual,
    ReportReason::kViolence, ReportReason::kMisinformation, ReportReason::kIllegal, ReportReason::kOther,
};

constexpr std::array<std::pair<ActionKind, std::string_view>, 6> kActionKinds{{
    {ActionKind::kHide, "hide"},
    {ActionKind::kRestore, "restore"},
    {ActionKind::kRemove, "remove"},
    {ActionKind::kWarn, "warn"},
    {ActionKind::kBan, "ban"},
    {ActionKind::kDismiss, "dismiss"},
}};

constexpr std::array<std::pair<TrustLevel, std::string_view>, 3> kTrustLevels{{
    {TrustLevel::kNew, "new"},
    {TrustLevel::kBasic, "basic"},
    {TrustLevel::kTrusted, "trusted"},
}};

}  // namespace

std::string_view ContentKindName(ContentKind kind) {
  return NameIn(kContentKinds, kind, "unknown");
}
std::optional<ContentKind> ParseContentKind(std::string_view name) {
  return ParseIn(kContentKinds, name);
}
std::string_view VisibilityName(Visibility visibility) {
  return NameIn(kVisibilities, visibility, "unknown");
}
std::optional<Visibility> ParseVisibility(std::string_view name) {
  return ParseIn(kVisibilities, name);
}
std::string_view ActivityName(Activity activity) {
  return NameIn(kActivities, activity, "unknown");
}
std::string_view RuleActionName(RuleAction action) {
  return NameIn(kRuleActions, action, "unknown");
}
std::optional<RuleAction> ParseRuleAction(std::string_view name) {
  return ParseIn(kRuleActions, name);
}
std::string_view ReportReasonName(ReportReason reason) {
  return NameIn(kReportReasons, reason, "unknown");
}
std::optional<ReportReason> ParseReportReason(std::string_view name) {
  return ParseIn(kReportReasons, name);
}
std::span<const ReportReason> AllReportReasons() {
  return kAllReportReasons;
}
std::string_view ActionKindName(ActionKind kind) {
  return NameIn(kActionKinds, kind, "unknown");
}
std::optional<ActionKind> ParseActionKind(std::string_view name) {
  return ParseIn(kActionKinds, name);
}
std::string_view TrustLevelName(TrustLevel level) {
  return NameIn(kTrustLevels, level, "unknown");
}

}  // namespace plaza::moderation
