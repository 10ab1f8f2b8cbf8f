#include <algorithm>

#include "normalize.h"
#include "plaza/core/text.h"
#include "plaza/identity/audit.h"
#include "plaza/moderation/moderation.h"
#include "records.h"
#include "trust.h"

namespace plaza::moderation {
namespace internal {

Status ValidateNote(std::string_view note, std::size_t max_length, const std::string& field) {
  if (!text::IsValidUtf8(note)) return Error::Invalid("validation/utf8", "the text is not valid UTF-8", field);
  const std::size_t length = text::CodePointCount(note);
  if (length > max_length) {
    return Error::Invalid("validation/too-long",
                          "the text is " + std::to_string(length) + " characters long; at most " +
                              std::to_string(max_length) + " are allowed",
                          field);
  }
  return Ok();
}

Ban ReadBan(const store::Row& row, TimePoint now) {
  Ban ban;
  ban.id = row.Int(0);
  ban.profile_id = row.Int(1);
  ban.item_id = row.OptionalInt(2);
  ban.note = row.Text(3);
  ban.issued_by = row.Text(4);
  ban.created_at = FromUnixMillis(row.Int(5));
  ban.ends_at = OptionalTime(row, 6);
  ban.lifted_at = OptionalTime(row, 7);
  ban.lifted_by = row.Text(8);
  ban.active = !ban.lifted_at && (!ban.ends_at || *ban.ends_at > now);
  return ban;
}

Result<std::optional<Ban>> ActiveBan(store::Transaction& tx, std::int64_t shop_id, std::int64_t profile_id,
                                     TimePoint now) {
  // A permanent ban outranks a temporary one; among temporary ones the latest end counts.
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kBanColumns) +
                                                   " FROM moderation_bans WHERE shop_id = ? AND profile_id = ?"
                                                   " AND lifted_at IS NULL AND (ends_at IS NULL OR ends_at > ?)"
                                                   " ORDER BY CASE WHEN ends_at IS NULL THEN 0 ELSE 1 END,"
                                                   " ends_at DESC, id DESC",
                                               {shop_id, profile_id, ToUnixMillis(now)}));
  if (!row) return std::optional<Ban>();
  return std::optional<Ban>(ReadBan(*row, now));
}

Status EnsureMember(store::Transaction& tx, std::int64_t shop_id, std::int64_t profile_id, TimePoint now) {
  PLAZA_TRY(
      tx.Execute("INSERT INTO moderation_members (shop_id, profile_id, first_seen, contributions)"
                 " VALUES (?, ?, ?, 0) ON CONFLICT (shop_id, profile_id) DO NOTHING",
                 {shop_id, profile_id, ToUnixMillis(now)}));
  return Ok();
}

}  // namespace internal

namespace {

using internal::kDay;
using internal::kHour;

constexpr std::string_view kRuleColumns = "id, shop_id, pattern, action, created_at, updated_at";

KeywordRule ReadRule(const store::Row& row) {
  KeywordRule rule;
  rule.id = row.Int(0);
  rule.shop_id = row.Int(1);
  rule.pattern = row.Text(2);
  rule.action = ParseRuleAction(row.Text(3)).value_or(RuleAction::kHold);
  rule.created_at = FromUnixMillis(row.Int(4));
  rule.updated_at = FromUnixMillis(row.Int(5));
  return rule;
}

Result<std::string> ValidateRule(const KeywordRuleInput& input) {
  PLAZA_TRY(internal::ValidateNote(input.pattern, kMaxPatternLength, "/pattern"));
  PLAZA_ASSIGN_OR_RETURN(internal::Pattern pattern, internal::NormalizePattern(input.pattern));
  return internal::Key(pattern);
}

Result<KeywordRule> LoadRule(store::Transaction& tx, std::int64_t shop_id, std::int64_t rule_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kRuleColumns) +
                                                   " FROM moderation_rules WHERE shop_id = ? AND id = ?",
                                               {shop_id, rule_id}));
  if (!row) return Error::NotFound("no such keyword rule");
  return ReadRule(*row);
}

Status RefuseDuplicate(store::Transaction& tx, std::int64_t shop_id, const std::string& key, std::int64_t except_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT pattern FROM moderation_rules WHERE shop_id = ? AND pattern_key = ?"
                                     " AND id <> ?",
                                     {shop_id, key, except_id}));
  if (row) {
    return Error{ErrorCode::kConflict, "moderation/duplicate-rule",
                 "the rule \"" + row->Text(0) + "\" already matches the same words", "/pattern"};
  }
  return Ok();
}

std::string RuleDetails(const KeywordRule& rule) {
  boost::json::object details;
  details["pattern"] = rule.pattern;
  details["action"] = std::string(RuleActionName(rule.action));
  return internal::Serialize(details);
}

std::int64_t WindowStart(TimePoint now, std::chrono::milliseconds size) {
  const std::int64_t ms = ToUnixMillis(now);
  return ms - ms % size.count();
}

std::string Plural(int count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

std::string RetryDetail(std::int64_t window_end, TimePoint now) {
  const std::int64_t minutes = (window_end - ToUnixMillis(now) + 59'999) / 60'000;
  return "try again in " + Plural(static_cast<int>(minutes), "minute") + " (after " +
         FormatRfc3339(FromUnixMillis(window_end)) + ")";
}

Error Refusal(ErrorCode code, std::string type, std::string detail) {
  return Error{code, std::move(type), std::move(detail), {}};
}

std::string TrustHint(TrustLevel level) {
  const internal::Threshold& next = level == TrustLevel::kNew ? internal::kBasicThreshold : internal::kTrustedThreshold;
  const auto days = std::chrono::duration_cast<std::chrono::hours>(next.min_age).count() / 24;
  return "this allowance grows after " + Plural(static_cast<int>(days), "day") + " and " +
         Plural(static_cast<int>(next.min_contributions), "contribution") + " without warnings or removals";
}

Result<std::int64_t> Used(store::Transaction& tx, std::int64_t shop_id, std::int64_t profile_id,
                          const std::string& counter, std::int64_t window_start) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT used FROM moderation_activity WHERE shop_id = ? AND "
                                               "profile_id = ? AND counter = ? AND window_start = ?",
                                               {shop_id, profile_id, counter, window_start}));
  return row ? row->Int(0) : 0;
}

Status Count(store::Transaction& tx, std::int64_t shop_id, std::int64_t profile_id, const std::string& counter,
             std::int64_t window_start, std::int64_t amount) {
  PLAZA_TRY(
      tx.Execute("INSERT INTO moderation_activity (shop_id, profile_id, counter, window_start, used)"
                 " VALUES (?, ?, ?, ?, ?) ON CONFLICT (shop_id, profile_id, counter, window_start)"
                 " DO UPDATE SET used = moderation_activity.used + excluded.used",
                 {shop_id, profile_id, counter, window_start, amount}));
  return Ok();
}

}  // namespace

ModerationService::ModerationService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

void ModerationService::RegisterOwner(ContentKind kind, ContentOwner& owner) {
  owners_[static_cast<std::size_t>(kind)] = &owner;
}

ContentOwner* ModerationService::OwnerOf(ContentKind kind) const {
  return owners_[static_cast<std::size_t>(kind)];
}

Result<Screening> ModerationService::ScreenText(store::Transaction& tx, std::int64_t shop_id, std::string_view text) {
  Screening screening;
  screening.text = std::string(text);
  PLAZA_ASSIGN_OR_RETURN(auto rules,
                         tx.Execute("SELECT pattern, pattern_key, action FROM moderation_rules WHERE shop_id = ?"
                                    " ORDER BY id",
                                    {shop_id}));
  if (rules.rows.empty()) return screening;
  PLAZA_ASSIGN_OR_RETURN(internal::NormalText normal, internal::Normalize(text));
  std::vector<internal::Span> masked;
  bool hold = false;
  for (const store::Row& rule : rules.rows) {
    const std::vector<internal::Span> spans = internal::FindMatches(normal, internal::ParseKey(rule.Text(1)));
    if (spans.empty()) continue;
    screening.matched.push_back(rule.Text(0));
    if (ParseRuleAction(rule.Text(2)) == RuleAction::kMask) {
      masked.insert(masked.end(), spans.begin(), spans.end());
    } else {
      hold = true;
    }
  }
  if (!masked.empty()) screening.text = internal::Mask(text, masked);
  if (hold) {
    screening.verdict = Screening::Verdict::kHold;
  } else if (!masked.empty()) {
    screening.verdict = Screening::Verdict::kMask;
  }
  return screening;
}

Status ModerationService::AdmitActivity(store::Transaction& tx, std::int64_t shop_id, std::int64_t profile_id,
                                        Activity activity, const ActivityShape& shape) {
  if (shape.links < 0 || shape.images < 0) return Error::Invalid("validation/range", "counts cannot be negative");
  const TimePoint now = clock_.Now();
  PLAZA_ASSIGN_OR_RETURN(TrustStatus trust, Trust(tx, shop_id, profile_id));
  if (trust.ban) {
    return Refusal(ErrorCode::kPermissionDenied, "moderation/banned",
                   trust.ban->ends_at ? "this profile is banned until " + FormatRfc3339(*trust.ban->ends_at)
                                      : "this profile is banned");
  }
  const internal::LevelLimits& limits = internal::LimitsOf(trust.level);
  const std::string level_name(TrustLevelName(trust.level));
  if (shape.links > limits.links_per_item) {
    return Refusal(ErrorCode::kPermissionDenied, "moderation/trust-too-low",
                   limits.links_per_item == 0
                       ? "new members cannot post links yet; " + TrustHint(trust.level)
                       : "at most " + Plural(limits.links_per_item, "link") + " per item at trust level " + level_name);
  }
  const std::int64_t hour = WindowStart(now, kHour);
  const std::int64_t day = WindowStart(now, kDay);
  if (shape.images > 0) {
    PLAZA_ASSIGN_OR_RETURN(const std::int64_t images, Used(tx, shop_id, profile_id, "images/hour", hour));
    if (images + shape.images > limits.images_per_hour) {
      std::string detail = "at most " + Plural(limits.images_per_hour, "image") + " per hour at trust level " +
                           level_name + "; " + RetryDetail(hour + kHour.count(), now);
      if (trust.level == TrustLevel::kTrusted) {
        return Refusal(ErrorCode::kRateLimited, "moderation/rate-limited", std::move(detail));
      }
      return Refusal(ErrorCode::kPermissionDenied, "moderation/trust-too-low",
                     std::move(detail) + "; " + TrustHint(trust.level));
    }
  }
  const std::string name(ActivityName(activity));
  const internal::WindowLimit& limit = limits.activities[static_cast<std::size_t>(activity)];
  PLAZA_ASSIGN_OR_RETURN(const std::int64_t this_hour, Used(tx, shop_id, profile_id, name + "/hour", hour));
  if (this_hour >= limit.per_hour) {
    return Refusal(ErrorCode::kRateLimited, "moderation/rate-limited",
                   "at most " + Plural(limit.per_hour, name) + " per hour at trust level " + level_name + "; " +
                       RetryDetail(hour + kHour.count(), now));
  }
  PLAZA_ASSIGN_OR_RETURN(const std::int64_t today, Used(tx, shop_id, profile_id, name + "/day", day));
  if (today >= limit.per_day) {
    return Refusal(ErrorCode::kRateLimited, "moderation/rate-limited",
                   "at most " + Plural(limit.per_day, name) + " per day at trust level " + level_name + "; " +
                       RetryDetail(day + kDay.count(), now));
  }

  PLAZA_TRY(internal::EnsureMember(tx, shop_id, profile_id, now));
  if (internal::IsContribution(activity)) {
    PLAZA_TRY(
        tx.Execute("UPDATE moderation_members SET contributions = contributions + 1 WHERE shop_id = ? AND "
                   "profile_id = ?",
                   {shop_id, profile_id}));
  }
  PLAZA_TRY(Count(tx, shop_id, profile_id, name + "/hour", hour, 1));
  PLAZA_TRY(Count(tx, shop_id, profile_id, name + "/day", day, 1));
  if (shape.images > 0) PLAZA_TRY(Count(tx, shop_id, profile_id, "images/hour", hour, shape.images));
  // Windows that ended are of no further use; dropping them keeps the table as small as
  // the set of recently active profiles.
  PLAZA_TRY(tx.Execute("DELETE FROM moderation_activity WHERE shop_id = ? AND profile_id = ? AND window_start < ?",
                       {shop_id, profile_id, day}));
  return Ok();
}

Result<TrustStatus> ModerationService::Trust(store::Transaction& tx, std::int64_t shop_id, std::int64_t profile_id) {
  const TimePoint now = clock_.Now();
  TrustStatus status;
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT first_seen, contributions, last_strike FROM "
                                               "moderation_members WHERE shop_id = ? AND profile_id = ?",
                                               {shop_id, profile_id}));
  if (row) {
    status.first_seen = FromUnixMillis(row->Int(0));
    status.contributions = row->Int(1);
    status.last_strike = internal::OptionalTime(*row, 2);
  }
  status.level = internal::LevelOf(status.first_seen, status.contributions, status.last_strike, now);
  PLAZA_ASSIGN_OR_RETURN(status.ban, internal::ActiveBan(tx, shop_id, profile_id, now));
  return status;
}

Result<TrustStatus> ModerationService::Trust(std::int64_t shop_id, std::int64_t profile_id) {
  return db_.Read([&](store::Transaction& tx) { return Trust(tx, shop_id, profile_id); });
}

Result<TrustStatus> ModerationService::Trust(const identity::Principal& staff, std::int64_t shop_id,
                                             std::int64_t profile_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  return Trust(shop_id, profile_id);
}

Result<std::vector<KeywordRule>> ModerationService::ListRules(const identity::Principal& staff, std::int64_t shop_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<KeywordRule>> {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT " + std::string(kRuleColumns) +
                                                       " FROM moderation_rules WHERE shop_id = ? ORDER BY id",
                                                   {shop_id}));
    std::vector<KeywordRule> rules;
    for (const store::Row& row : result.rows) rules.push_back(ReadRule(row));
    return rules;
  });
}

Result<KeywordRule> ModerationService::GetRule(const identity::Principal& staff, std::int64_t shop_id,
                                               std::int64_t rule_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  return db_.Read([&](store::Transaction& tx) { return LoadRule(tx, shop_id, rule_id); });
}

Result<KeywordRule> ModerationService::CreateRule(const identity::Principal& staff, std::int64_t shop_id,
                                                  const KeywordRuleInput& input) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  PLAZA_ASSIGN_OR_RETURN(const std::string key, ValidateRule(input));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<KeywordRule> {
    PLAZA_ASSIGN_OR_RETURN(auto count,
                           tx.QueryOne("SELECT COUNT(*) FROM moderation_rules WHERE shop_id = ?", {shop_id}));
    if (count && count->Int(0) >= static_cast<std::int64_t>(kMaxRulesPerShop)) {
      return Error{ErrorCode::kConflict,
                   "moderation/too-many-rules",
                   "a shop can have at most " + std::to_string(kMaxRulesPerShop) + " keyword rules",
                   {}};
    }
    PLAZA_TRY(RefuseDuplicate(tx, shop_id, key, 0));
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("INSERT INTO moderation_rules (shop_id, pattern, pattern_key, action, "
                                                 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING " +
                                                     std::string(kRuleColumns),
                                                 {shop_id, input.pattern, key, RuleActionName(input.action),
                                                  ToUnixMillis(now), ToUnixMillis(now)}));
    if (!row) return Error::Internal("the keyword rule was not inserted");
    KeywordRule rule = ReadRule(*row);
    PLAZA_TRY(identity::AppendAudit(
        tx, identity::AuditBy(staff, "moderation.rule-created", "moderation_rule:" + std::to_string(rule.id),
                              RuleDetails(rule), now)));
    return rule;
  });
}

Result<KeywordRule> ModerationService::UpdateRule(const identity::Principal& staff, std::int64_t shop_id,
                                                  std::int64_t rule_id, const KeywordRuleInput& input) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  PLAZA_ASSIGN_OR_RETURN(const std::string key, ValidateRule(input));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<KeywordRule> {
    PLAZA_TRY(LoadRule(tx, shop_id, rule_id));
    PLAZA_TRY(RefuseDuplicate(tx, shop_id, key, rule_id));
    PLAZA_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("UPDATE moderation_rules SET pattern = ?, pattern_key = ?, action = ?, "
                              "updated_at = ? WHERE shop_id = ? AND id = ? RETURNING " +
                                  std::string(kRuleColumns),
                              {input.pattern, key, RuleActionName(input.action), ToUnixMillis(now), shop_id, rule_id}));
    if (!row) return Error::NotFound("no such keyword rule");
    KeywordRule rule = ReadRule(*row);
    PLAZA_TRY(identity::AppendAudit(
        tx, identity::AuditBy(staff, "moderation.rule-updated", "moderation_rule:" + std::to_string(rule.id),
                              RuleDetails(rule), now)));
    return rule;
  });
}

Status ModerationService::DeleteRule(const identity::Principal& staff, std::int64_t shop_id, std::int64_t rule_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(KeywordRule rule, LoadRule(tx, shop_id, rule_id));
    PLAZA_TRY(tx.Execute("DELETE FROM moderation_rules WHERE shop_id = ? AND id = ?", {shop_id, rule_id}));
    PLAZA_TRY(identity::AppendAudit(
        tx, identity::AuditBy(staff, "moderation.rule-deleted", "moderation_rule:" + std::to_string(rule.id),
                              RuleDetails(rule), now)));
    return Ok();
  });
}

}  // namespace plaza::moderation
