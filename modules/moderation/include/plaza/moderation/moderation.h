#pragma once
// Moderation of one shop's community content: keyword rules that mask or hold text,
// reports by customers, the moderators' queue, staff actions (hide, restore, remove,
// warn, ban, dismiss) recorded in the audit log, rate limits and trust levels.
// docs/moderation.md states the model.
//
// Content lives in the modules that own it (posts, comments, reviews …). Each owner
// implements ContentOwner for its kinds and registers it at start-up; moderation reads a
// summary through it and changes visibility through it, in the moderation transaction.
//
// Thread-safety: RegisterOwner is called during start-up, before any other call; after
// that a ModerationService may be used from any number of threads at once.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/identity/permissions.h"
#include "plaza/store/database.h"

namespace plaza::moderation {

enum class ContentKind { kPost, kComment, kReview, kQuestion, kAnswer, kIdea, kProfile };
std::string_view ContentKindName(ContentKind kind);  // "post", "comment", ...
std::optional<ContentKind> ParseContentKind(std::string_view name);

struct ContentRef {
  ContentKind kind = ContentKind::kPost;
  std::int64_t id = 0;
};

// held = waiting for a moderator; hidden = taken down, may be restored; removed = taken
// down for good (the owner may erase the text).
enum class Visibility { kVisible, kHeld, kHidden, kRemoved };
std::string_view VisibilityName(Visibility visibility);  // "visible", "held", "hidden", "removed"
std::optional<Visibility> ParseVisibility(std::string_view name);

struct ContentSummary {
  std::int64_t author_profile_id = 0;  // 0 for content staff wrote (nobody to warn or ban)
  std::string excerpt{};               // plain text as written; encoders escape it
  Visibility visibility = Visibility::kVisible;
  TimePoint created_at{};
};

// Each module that owns content implements this for its kinds and registers it at start-up
// (app/src/plaza_server.cpp) with ModerationService::RegisterOwner(kind, owner&).
class ContentOwner {
 public:
  virtual ~ContentOwner() = default;
  // kNotFound when absent.
  virtual Result<ContentSummary> Describe(store::Transaction& tx, std::int64_t shop_id, ContentRef ref) = 0;
  virtual Status SetVisibility(store::Transaction& tx, std::int64_t shop_id, ContentRef ref, Visibility visibility) = 0;
};

struct Screening {
  enum class Verdict { kAllow, kMask, kHold } verdict = Verdict::kAllow;
  // The text to store: the spans matched by mask rules replaced with '*' (one per code
  // point), the rest as given. Spans of hold rules stay readable for the moderator.
  std::string text{};
  std::vector<std::string> matched{};  // the rules that matched (their patterns), for the audit
};

enum class Activity { kPost, kComment, kFollow, kReview, kQuestion, kAnswer, kIdea, kReport };
std::string_view ActivityName(Activity activity);  // "post", "comment", ...

struct ActivityShape {
  int links = 0;
  int images = 0;
};

// ---- keyword rules ----

enum class RuleAction { kMask, kHold };
std::string_view RuleActionName(RuleAction action);  // "mask", "hold"
std::optional<RuleAction> ParseRuleAction(std::string_view name);

inline constexpr std::size_t kMaxPatternLength = 100;  // code points
inline constexpr std::size_t kMaxRulesPerShop = 1000;

struct KeywordRule {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string pattern{};  // as the merchant wrote it; a trailing '*' also matches longer words
  RuleAction action = RuleAction::kMask;
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct KeywordRuleInput {
  std::string pattern{};
  RuleAction action = RuleAction::kMask;
};

// ---- reports and the queue ----

enum class ReportReason { kSpam, kHarassment, kHate, kSexual, kViolence, kMisinformation, kIllegal, kOther };
std::string_view ReportReasonName(ReportReason reason);  // "spam", "harassment", ...
std::optional<ReportReason> ParseReportReason(std::string_view name);
std::span<const ReportReason> AllReportReasons();

inline constexpr std::size_t kMaxReportNoteLength = 1000;  // code points

struct NewReport {
  ContentRef content{};
  ReportReason reason = ReportReason::kOther;
  std::string note{};
};

struct Report {
  std::int64_t id = 0;
  std::int64_t item_id = 0;  // the queue item it joined
  std::int64_t reporter_profile_id = 0;
  ContentRef content{};
  ReportReason reason = ReportReason::kOther;
  std::string note{};
  bool open = true;  // closed when a moderator resolves the item
  TimePoint created_at{};
};

// Why content is in the queue without a report: a keyword rule, a fake-review signal …
struct Flag {
  std::string reason{};
  TimePoint created_at{};
};

enum class ActionKind { kHide, kRestore, kRemove, kWarn, kBan, kDismiss };
std::string_view ActionKindName(ActionKind kind);  // "hide", "restore", ...
std::optional<ActionKind> ParseActionKind(std::string_view name);

// One entry of the queue: a piece of content with its open reports and flags. Reporting
// or flagging resolved content opens its item again.
struct QueueItem {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  ContentRef content{};
  // Through the owner's Describe; nullopt when the owner no longer has the content.
  std::optional<ContentSummary> summary{};
  bool open = true;
  std::int64_t report_count = 0;           // open reports
  std::vector<ReportReason> reasons{};     // distinct reasons of the open reports
  std::vector<std::string> flags{};        // distinct reasons of the open flags
  TimePoint opened_at{};                   // when it (last) entered the queue; the queue's order
  std::optional<ActionKind> resolution{};  // how it was last resolved
  std::optional<TimePoint> resolved_at{};
};

struct QueueItemDetail {
  QueueItem item{};
  std::vector<Report> reports{};  // open ones first, then by age
  std::vector<Flag> open_flags{};
};

struct QueueFilter {
  bool open = true;  // false lists resolved items
  std::optional<ContentKind> kind{};
  std::optional<ReportReason> reason{};
  std::optional<std::int64_t> author_profile_id{};
  std::string cursor{};  // empty for the first page; otherwise a previous page's next_cursor
  int limit = 20;        // 1..100
};

struct QueuePage {
  std::vector<QueueItem> items{};  // oldest first
  std::string next_cursor{};       // empty on the last page
};

struct ModerationAction {
  ActionKind kind = ActionKind::kDismiss;
  std::string note{};  // shown to staff; for warn, the message on the author's record
  // ban only: how long; nullopt bans permanently.
  std::optional<std::chrono::milliseconds> ban_for{};
};

struct Warning {
  std::int64_t id = 0;
  std::int64_t profile_id = 0;
  std::optional<std::int64_t> item_id{};
  std::string note{};
  std::string issued_by{};  // the staff actor label
  TimePoint created_at{};
};

struct Ban {
  std::int64_t id = 0;
  std::int64_t profile_id = 0;
  std::optional<std::int64_t> item_id{};
  std::string note{};
  std::string issued_by{};
  TimePoint created_at{};
  std::optional<TimePoint> ends_at{};  // nullopt: permanent
  std::optional<TimePoint> lifted_at{};
  std::string lifted_by{};
  bool active = false;  // at the clock's now
};

// ---- trust ----

// Earned from history; docs/moderation.md lists the thresholds and each level's limits.
enum class TrustLevel { kNew, kBasic, kTrusted };
std::string_view TrustLevelName(TrustLevel level);  // "new", "basic", "trusted"

struct TrustStatus {
  TrustLevel level = TrustLevel::kNew;
  std::optional<TimePoint> first_seen{};   // first admitted activity
  std::int64_t contributions = 0;          // admitted content, less what moderators took down
  std::optional<TimePoint> last_strike{};  // latest warning or takedown of their content
  std::optional<Ban> ban{};                // the active ban, if any
};

class ModerationService {
 public:
  ModerationService(store::Database& db, const Clock& clock);  // staff actions audited with identity::AppendAudit
  ModerationService(const ModerationService&) = delete;
  ModerationService& operator=(const ModerationService&) = delete;

  void RegisterOwner(ContentKind kind, ContentOwner& owner);

  // The shop's keyword rules applied to `text` (after Unicode normalisation). Call inside
  // the transaction that stores the text; when the verdict is kHold store it with
  // Visibility::kHeld and call FlagForReview in the same transaction.
  Result<Screening> ScreenText(store::Transaction& tx, std::int64_t shop_id, std::string_view text);

  // Counts one activity of `profile_id` at the clock's now and refuses it with
  // "moderation/banned" (kPermissionDenied), "moderation/rate-limited" (kRateLimited,
  // detail says when to retry) or "moderation/trust-too-low" (kPermissionDenied: a new
  // account posting links or images beyond its trust level). Call it first thing in the
  // transaction that creates the content.
  Status AdmitActivity(store::Transaction& tx, std::int64_t shop_id, std::int64_t profile_id, Activity activity,
                       const ActivityShape& shape = {});

  // Puts content in the moderators' queue with a reason ("keyword rule", "review burst", ...).
  Status FlagForReview(store::Transaction& tx, std::int64_t shop_id, ContentRef ref, std::string_view reason);

  // ---- customers ----

  // `reporter_profile_id` reports content (a resolved, signed-in profile). Counts as an
  // Activity::kReport. Errors: kNotFound when the content is absent or not visible to
  // others; "moderation/already-reported" (kConflict) while the reporter's earlier report
  // of it is still open; "moderation/own-content" when reporting oneself.
  Result<Report> ReportContent(std::int64_t shop_id, std::int64_t reporter_profile_id, const NewReport& report);

  // The profile's trust level, counters and active ban.
  Result<TrustStatus> Trust(std::int64_t shop_id, std::int64_t profile_id);
  Result<TrustStatus> Trust(store::Transaction& tx, std::int64_t shop_id, std::int64_t profile_id);

  // ---- staff: every call needs moderation.act (identity::Authorize) ----

  Result<std::vector<KeywordRule>> ListRules(const identity::Principal& staff, std::int64_t shop_id);
  Result<KeywordRule> GetRule(const identity::Principal& staff, std::int64_t shop_id, std::int64_t rule_id);
  // Errors: validation of the pattern ("/pattern"), "moderation/duplicate-rule".
  Result<KeywordRule> CreateRule(const identity::Principal& staff, std::int64_t shop_id, const KeywordRuleInput& input);
  Result<KeywordRule> UpdateRule(const identity::Principal& staff, std::int64_t shop_id, std::int64_t rule_id,
                                 const KeywordRuleInput& input);
  Status DeleteRule(const identity::Principal& staff, std::int64_t shop_id, std::int64_t rule_id);

  Result<QueuePage> ListQueue(const identity::Principal& staff, std::int64_t shop_id, const QueueFilter& filter);
  Result<QueueItemDetail> GetItem(const identity::Principal& staff, std::int64_t shop_id, std::int64_t item_id);
  // Applies `action` to the item's content and resolves the item, closing its open
  // reports and flags, with an audit row, all in one transaction. hide/restore/remove go
  // through the owner's SetVisibility; warn and ban act on the content's author.
  // Errors: kNotFound; "moderation/no-owner" when no owner is registered for the kind;
  // "moderation/content-gone" when the owner no longer has it (only dismiss works then);
  // "moderation/no-author" to warn or ban over content staff wrote.
  Result<QueueItemDetail> Act(const identity::Principal& staff, std::int64_t shop_id, std::int64_t item_id,
                              const ModerationAction& action);

  // Bans, newest first; `active_only` leaves out lifted and expired ones.
  Result<std::vector<Ban>> ListBans(const identity::Principal& staff, std::int64_t shop_id, bool active_only,
                                    std::optional<std::int64_t> profile_id = std::nullopt);
  // Ends a ban now (audited). kNotFound when absent; lifting an ended ban is a no-op.
  Result<Ban> LiftBan(const identity::Principal& staff, std::int64_t shop_id, std::int64_t ban_id);
  // Warnings, newest first, of one profile or of all.
  Result<std::vector<Warning>> ListWarnings(const identity::Principal& staff, std::int64_t shop_id,
                                            std::optional<std::int64_t> profile_id = std::nullopt);
  Result<TrustStatus> Trust(const identity::Principal& staff, std::int64_t shop_id, std::int64_t profile_id);

 private:
  ContentOwner* OwnerOf(ContentKind kind) const;
  // The item of `ref`, created or opened again; its id.
  Result<std::int64_t> OpenItem(store::Transaction& tx, std::int64_t shop_id, ContentRef ref);
  Result<QueueItem> FillItem(store::Transaction& tx, QueueItem item);
  Result<QueueItemDetail> Detail(store::Transaction& tx, std::int64_t shop_id, std::int64_t item_id);
  // Records a strike against the author (when `contribution_change` <= 0) and moves
  // their contribution count.
  Status Strike(store::Transaction& tx, std::int64_t shop_id, std::int64_t profile_id, int contribution_change,
                TimePoint now);

  store::Database& db_;
  const Clock& clock_;
  std::array<ContentOwner*, 7> owners_{};
};

}  // namespace plaza::moderation
