#include <algorithm>
#include <charconv>

#include "plaza/identity/audit.h"
#include "plaza/moderation/moderation.h"
#include "records.h"

namespace plaza::moderation {
namespace {

constexpr std::string_view kItemColumns =
    "id, shop_id, content_kind, content_id, author_profile_id, is_open, opened_at, resolution, resolved_at";
constexpr int kMaxQueuePage = 100;
constexpr std::size_t kMaxFlagReasonLength = 200;

struct ItemRow {
  QueueItem item;
  std::optional<std::int64_t> author_profile_id;
};

ItemRow ReadItem(const store::Row& row) {
  ItemRow out;
  QueueItem& item = out.item;
  item.id = row.Int(0);
  item.shop_id = row.Int(1);
  item.content.kind = ParseContentKind(row.Text(2)).value_or(ContentKind::kPost);
  item.content.id = row.Int(3);
  out.author_profile_id = row.OptionalInt(4);
  item.open = row.Bool(5);
  item.opened_at = FromUnixMillis(row.Int(6));
  if (auto resolution = row.OptionalText(7)) item.resolution = ParseActionKind(*resolution);
  item.resolved_at = internal::OptionalTime(row, 8);
  return out;
}

Result<std::optional<ItemRow>> FindItem(store::Transaction& tx, std::int64_t shop_id, std::int64_t item_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kItemColumns) +
                                                   " FROM moderation_items WHERE shop_id = ? AND id = ?",
                                               {shop_id, item_id}));
  if (!row) return std::optional<ItemRow>();
  return std::optional<ItemRow>(ReadItem(*row));
}

// The reports that make up the item's current round: the open ones while it is open,
// the ones its last resolution closed afterwards.
std::string RoundCondition(const QueueItem& item) {
  return item.open ? "is_open = 1" : "is_open = 0 AND closed_at = " + std::to_string(ToUnixMillis(*item.resolved_at));
}

Report ReadReport(const store::Row& row, ContentRef content) {
  Report report;
  report.id = row.Int(0);
  report.item_id = row.Int(1);
  report.reporter_profile_id = row.Int(2);
  report.content = content;
  report.reason = ParseReportReason(row.Text(3)).value_or(ReportReason::kOther);
  report.note = row.Text(4);
  report.open = row.Bool(5);
  report.created_at = FromUnixMillis(row.Int(6));
  return report;
}

constexpr std::string_view kReportColumns = "id, item_id, reporter_profile_id, reason, note, is_open, created_at";

Result<std::int64_t> ParseId(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return Error::Invalid("validation/cursor", "", "");
  return value;
}

// "<opened_at>.<id>" of the last item of a page.
Result<std::pair<std::int64_t, std::int64_t>> ParseCursor(std::string_view cursor) {
  const std::size_t dot = cursor.find('.');
  const Error invalid = Error::Invalid("validation/cursor", "the cursor is not one this list gave out", "/cursor");
  if (dot == std::string_view::npos) return invalid;
  auto at = ParseId(cursor.substr(0, dot));
  auto id = ParseId(cursor.substr(dot + 1));
  if (!at.ok() || !id.ok()) return invalid;
  return std::pair{*at, *id};
}

}  // namespace

Status ModerationService::FlagForReview(store::Transaction& tx, std::int64_t shop_id, ContentRef ref,
                                        std::string_view reason) {
  PLAZA_TRY(internal::ValidateNote(reason, kMaxFlagReasonLength, "/reason"));
  if (reason.empty()) return Error::Invalid("validation/required", "a flag needs a reason", "/reason");
  PLAZA_ASSIGN_OR_RETURN(const std::int64_t item_id, OpenItem(tx, shop_id, ref));
  PLAZA_ASSIGN_OR_RETURN(auto existing, tx.QueryOne("SELECT 1 FROM moderation_flags WHERE shop_id = ? AND item_id = ?"
                                                    " AND reason = ? AND is_open = 1",
                                                    {shop_id, item_id, reason}));
  if (existing) return Ok();
  PLAZA_TRY(
      tx.Execute("INSERT INTO moderation_flags (shop_id, item_id, reason, is_open, created_at)"
                 " VALUES (?, ?, ?, 1, ?)",
                 {shop_id, item_id, reason, ToUnixMillis(clock_.Now())}));
  return Ok();
}

Result<std::int64_t> ModerationService::OpenItem(store::Transaction& tx, std::int64_t shop_id, ContentRef ref) {
  const TimePoint now = clock_.Now();
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, is_open FROM moderation_items WHERE shop_id = ? AND "
                                               "content_kind = ? AND content_id = ?",
                                               {shop_id, ContentKindName(ref.kind), ref.id}));
  if (row) {
    if (!row->Bool(1)) {
      PLAZA_TRY(tx.Execute("UPDATE moderation_items SET is_open = 1, opened_at = ? WHERE shop_id = ? AND id = ?",
                           {ToUnixMillis(now), shop_id, row->Int(0)}));
    }
    return row->Int(0);
  }
  std::optional<std::int64_t> author;
  if (ContentOwner* owner = OwnerOf(ref.kind)) {
    auto summary = owner->Describe(tx, shop_id, ref);
    if (summary.ok()) {
      if (summary->author_profile_id != 0) author = summary->author_profile_id;
    } else if (summary.error().code != ErrorCode::kNotFound) {
      return std::move(summary).error();
    }
  }
  PLAZA_ASSIGN_OR_RETURN(auto inserted,
                         tx.QueryOne("INSERT INTO moderation_items (shop_id, content_kind, content_id, "
                                     "author_profile_id, is_open, opened_at) VALUES (?, ?, ?, ?, 1, ?) RETURNING id",
                                     {shop_id, ContentKindName(ref.kind), ref.id, author, ToUnixMillis(now)}));
  if (!inserted) return Error::Internal("the moderation item was not inserted");
  return inserted->Int(0);
}

Result<Report> ModerationService::ReportContent(std::int64_t shop_id, std::int64_t reporter_profile_id,
                                                const NewReport& report) {
  PLAZA_TRY(internal::ValidateNote(report.note, kMaxReportNoteLength, "/note"));
  ContentOwner* owner = OwnerOf(report.content.kind);
  if (owner == nullptr) return Error::NotFound("no such " + std::string(ContentKindName(report.content.kind)));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Report> {
    PLAZA_TRY(AdmitActivity(tx, shop_id, reporter_profile_id, Activity::kReport));
    PLAZA_ASSIGN_OR_RETURN(ContentSummary summary, owner->Describe(tx, shop_id, report.content));
    if (summary.author_profile_id == reporter_profile_id) {
      return Error::Invalid("moderation/own-content", "you cannot report your own content");
    }
    if (summary.visibility != Visibility::kVisible) {
      return Error::NotFound("no such " + std::string(ContentKindName(report.content.kind)));
    }
    PLAZA_ASSIGN_OR_RETURN(const std::int64_t item_id, OpenItem(tx, shop_id, report.content));
    PLAZA_ASSIGN_OR_RETURN(auto existing, tx.QueryOne("SELECT id FROM moderation_reports WHERE shop_id = ? AND "
                                                      "item_id = ? AND reporter_profile_id = ? AND is_open = 1",
                                                      {shop_id, item_id, reporter_profile_id}));
    if (existing) {
      return Error::Conflict("moderation/already-reported",
                             "you have already reported this; a moderator will look at it");
    }
    auto inserted = tx.QueryOne(
        "INSERT INTO moderation_reports (shop_id, item_id, reporter_profile_id, reason, "
        "note, is_open, created_at) VALUES (?, ?, ?, ?, ?, 1, ?) RETURNING " +
            std::string(kReportColumns),
        {shop_id, item_id, reporter_profile_id, ReportReasonName(report.reason), report.note, ToUnixMillis(now)});
    if (!inserted.ok()) {
      if (inserted.error().type == "db/unique-violation") {
        return Error::Conflict("moderation/already-reported",
                               "you have already reported this; a moderator will look at it");
      }
      return std::move(inserted).error();
    }
    if (!*inserted) return Error::Internal("the report was not inserted");
    return ReadReport(**inserted, report.content);
  });
}

Result<QueueItem> ModerationService::FillItem(store::Transaction& tx, QueueItem item) {
  const std::string round = RoundCondition(item);
  PLAZA_ASSIGN_OR_RETURN(auto reports, tx.Execute("SELECT reason, COUNT(*) FROM moderation_reports WHERE shop_id = ? "
                                                  "AND item_id = ? AND " +
                                                      round + " GROUP BY reason ORDER BY reason",
                                                  {item.shop_id, item.id}));
  for (const store::Row& row : reports.rows) {
    item.report_count += row.Int(1);
    if (auto reason = ParseReportReason(row.Text(0))) item.reasons.push_back(*reason);
  }
  PLAZA_ASSIGN_OR_RETURN(auto flags, tx.Execute("SELECT DISTINCT reason FROM moderation_flags WHERE shop_id = ? AND "
                                                "item_id = ? AND " +
                                                    round + " ORDER BY reason",
                                                {item.shop_id, item.id}));
  for (const store::Row& row : flags.rows) item.flags.push_back(row.Text(0));
  if (ContentOwner* owner = OwnerOf(item.content.kind)) {
    auto summary = owner->Describe(tx, item.shop_id, item.content);
    if (summary.ok()) {
      item.summary = std::move(summary).value();
    } else if (summary.error().code != ErrorCode::kNotFound) {
      return std::move(summary).error();
    }
  }
  return item;
}

Result<QueuePage> ModerationService::ListQueue(const identity::Principal& staff, std::int64_t shop_id,
                                               const QueueFilter& filter) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  if (filter.limit < 1 || filter.limit > kMaxQueuePage) {
    return Error::Invalid("validation/range", "the page size must be between 1 and 100", "/limit");
  }
  std::optional<std::pair<std::int64_t, std::int64_t>> after;
  if (!filter.cursor.empty()) {
    PLAZA_ASSIGN_OR_RETURN(after, ParseCursor(filter.cursor));
  }
  std::string sql =
      "SELECT " + std::string(kItemColumns) + " FROM moderation_items i WHERE shop_id = ? AND is_open = ?";
  std::vector<store::Param> params{shop_id, filter.open};
  if (filter.kind) {
    sql += " AND content_kind = ?";
    params.emplace_back(ContentKindName(*filter.kind));
  }
  if (filter.author_profile_id) {
    sql += " AND author_profile_id = ?";
    params.emplace_back(*filter.author_profile_id);
  }
  if (filter.reason) {
    sql +=
        " AND EXISTS (SELECT 1 FROM moderation_reports r WHERE r.shop_id = i.shop_id AND r.item_id = i.id AND "
        "r.reason = ? AND r.is_open = ?)";
    params.emplace_back(ReportReasonName(*filter.reason));
    params.emplace_back(filter.open);
  }
  if (after) {
    sql += " AND (opened_at > ? OR (opened_at = ? AND id > ?))";
    params.emplace_back(after->first);
    params.emplace_back(after->first);
    params.emplace_back(after->second);
  }
  sql += " ORDER BY opened_at, id LIMIT ?";
  params.emplace_back(filter.limit + 1);
  return db_.Read([&](store::Transaction& tx) -> Result<QueuePage> {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute(sql, params));
    QueuePage page;
    for (const store::Row& row : result.rows) {
      if (static_cast<int>(page.items.size()) == filter.limit) {
        const QueueItem& last = page.items.back();
        page.next_cursor = std::to_string(ToUnixMillis(last.opened_at)) + "." + std::to_string(last.id);
        break;
      }
      PLAZA_ASSIGN_OR_RETURN(QueueItem item, FillItem(tx, ReadItem(row).item));
      page.items.push_back(std::move(item));
    }
    return page;
  });
}

Result<QueueItemDetail> ModerationService::Detail(store::Transaction& tx, std::int64_t shop_id, std::int64_t item_id) {
  PLAZA_ASSIGN_OR_RETURN(auto found, FindItem(tx, shop_id, item_id));
  if (!found) return Error::NotFound("no such moderation item");
  QueueItemDetail detail;
  PLAZA_ASSIGN_OR_RETURN(detail.item, FillItem(tx, found->item));
  PLAZA_ASSIGN_OR_RETURN(auto reports, tx.Execute("SELECT " + std::string(kReportColumns) +
                                                      " FROM moderation_reports WHERE shop_id = ? AND item_id = ?"
                                                      " ORDER BY is_open DESC, id",
                                                  {shop_id, item_id}));
  for (const store::Row& row : reports.rows) detail.reports.push_back(ReadReport(row, detail.item.content));
  PLAZA_ASSIGN_OR_RETURN(auto flags, tx.Execute("SELECT reason, created_at FROM moderation_flags WHERE shop_id = ? "
                                                "AND item_id = ? AND is_open = 1 ORDER BY id",
                                                {shop_id, item_id}));
  for (const store::Row& row : flags.rows) detail.open_flags.push_back({row.Text(0), FromUnixMillis(row.Int(1))});
  return detail;
}

Result<QueueItemDetail> ModerationService::GetItem(const identity::Principal& staff, std::int64_t shop_id,
                                                   std::int64_t item_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  return db_.Read([&](store::Transaction& tx) { return Detail(tx, shop_id, item_id); });
}

Status ModerationService::Strike(store::Transaction& tx, std::int64_t shop_id, std::int64_t profile_id,
                                 int contribution_change, TimePoint now) {
  // Staff-written content (an answer by the shop) has no member author to hold it against.
  if (profile_id == 0) return Ok();
  PLAZA_TRY(internal::EnsureMember(tx, shop_id, profile_id, now));
  PLAZA_TRY(tx.Execute(
      "UPDATE moderation_members SET contributions = CASE WHEN contributions + ? < 0 THEN 0 ELSE "
      "contributions + ? END, last_strike = CASE WHEN ? = 1 THEN ? ELSE last_strike END"
      " WHERE shop_id = ? AND profile_id = ?",
      {contribution_change, contribution_change, contribution_change <= 0, ToUnixMillis(now), shop_id, profile_id}));
  return Ok();
}

Result<QueueItemDetail> ModerationService::Act(const identity::Principal& staff, std::int64_t shop_id,
                                               std::int64_t item_id, const ModerationAction& action) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  PLAZA_TRY(internal::ValidateNote(action.note, kMaxReportNoteLength, "/note"));
  if (action.kind == ActionKind::kBan && action.ban_for && action.ban_for->count() <= 0) {
    return Error::Invalid("validation/range", "a ban lasts a positive time; leave the duration out for good",
                          "/duration_hours");
  }
  if (action.kind == ActionKind::kWarn && action.note.empty()) {
    return Error::Invalid("validation/required", "a warning needs a message for its author", "/note");
  }
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<QueueItemDetail> {
    PLAZA_ASSIGN_OR_RETURN(auto found, FindItem(tx, shop_id, item_id));
    if (!found) return Error::NotFound("no such moderation item");
    const ContentRef ref = found->item.content;
    ContentOwner* owner = OwnerOf(ref.kind);
    std::optional<ContentSummary> summary;
    if (owner != nullptr) {
      auto described = owner->Describe(tx, shop_id, ref);
      if (described.ok()) {
        summary = std::move(described).value();
      } else if (described.error().code != ErrorCode::kNotFound) {
        return std::move(described).error();
      }
    }
    boost::json::object details;
    details["item_id"] = item_id;
    details["note"] = action.note;
    if (action.kind != ActionKind::kDismiss) {
      if (owner == nullptr) {
        return Error::Conflict("moderation/no-owner", "this kind of content cannot be acted on here; dismiss it");
      }
      if (!summary) {
        return Error::Conflict("moderation/content-gone", "the content no longer exists; dismiss the item");
      }
      if (summary->author_profile_id == 0 && (action.kind == ActionKind::kWarn || action.kind == ActionKind::kBan)) {
        return Error::Conflict("moderation/no-author", "this content has no member author to warn or ban");
      }
      details["author_profile_id"] = summary->author_profile_id;
      details["visibility_before"] = std::string(VisibilityName(summary->visibility));
    }
    const bool up =
        summary && (summary->visibility == Visibility::kVisible || summary->visibility == Visibility::kHeld);
    switch (action.kind) {
      case ActionKind::kHide:
      case ActionKind::kRemove: {
        if (summary->visibility == Visibility::kRemoved) {
          return Error::Conflict("moderation/removed", "the content was already removed for good");
        }
        const Visibility to = action.kind == ActionKind::kHide ? Visibility::kHidden : Visibility::kRemoved;
        PLAZA_TRY(owner->SetVisibility(tx, shop_id, ref, to));
        PLAZA_TRY(Strike(tx, shop_id, summary->author_profile_id, up ? -1 : 0, now));
        break;
      }
      case ActionKind::kRestore:
        if (summary->visibility == Visibility::kRemoved) {
          return Error::Conflict("moderation/removed", "removed content cannot be restored");
        }
        PLAZA_TRY(owner->SetVisibility(tx, shop_id, ref, Visibility::kVisible));
        if (summary->visibility == Visibility::kHidden) {
          PLAZA_TRY(Strike(tx, shop_id, summary->author_profile_id, 1, now));
        }
        break;
      case ActionKind::kWarn:
        PLAZA_TRY(tx.Execute(
            "INSERT INTO moderation_warnings (shop_id, profile_id, item_id, note, issued_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            {shop_id, summary->author_profile_id, item_id, action.note, staff.ActorLabel(), ToUnixMillis(now)}));
        PLAZA_TRY(Strike(tx, shop_id, summary->author_profile_id, 0, now));
        break;
      case ActionKind::kBan: {
        std::optional<std::int64_t> ends_at;
        if (action.ban_for) ends_at = ToUnixMillis(now + *action.ban_for);
        PLAZA_TRY(
            tx.Execute("INSERT INTO moderation_bans (shop_id, profile_id, item_id, note, issued_by, "
                       "created_at, ends_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       {shop_id, summary->author_profile_id, item_id, action.note, staff.ActorLabel(),
                        ToUnixMillis(now), ends_at}));
        PLAZA_TRY(Strike(tx, shop_id, summary->author_profile_id, 0, now));
        if (ends_at) {
          details["ends_at"] = FormatRfc3339(FromUnixMillis(*ends_at));
        } else {
          details["ends_at"] = nullptr;
        }
        break;
      }
      case ActionKind::kDismiss:
        break;
    }
    PLAZA_TRY(
        tx.Execute("UPDATE moderation_items SET is_open = 0, resolution = ?, resolved_at = ?, resolved_by = ?"
                   " WHERE shop_id = ? AND id = ?",
                   {ActionKindName(action.kind), ToUnixMillis(now), staff.ActorLabel(), shop_id, item_id}));
    PLAZA_ASSIGN_OR_RETURN(auto closed, tx.Execute("UPDATE moderation_reports SET is_open = 0, closed_at = ? WHERE "
                                                   "shop_id = ? AND item_id = ? AND is_open = 1",
                                                   {ToUnixMillis(now), shop_id, item_id}));
    details["reports_closed"] = closed.affected_rows;
    PLAZA_TRY(
        tx.Execute("UPDATE moderation_flags SET is_open = 0, closed_at = ? WHERE shop_id = ? AND item_id = ? "
                   "AND is_open = 1",
                   {ToUnixMillis(now), shop_id, item_id}));
    PLAZA_TRY(
        identity::AppendAudit(tx, identity::AuditBy(staff, "moderation." + std::string(ActionKindName(action.kind)),
                                                    internal::Target(ref), internal::Serialize(details), now)));
    return Detail(tx, shop_id, item_id);
  });
}

Result<std::vector<Ban>> ModerationService::ListBans(const identity::Principal& staff, std::int64_t shop_id,
                                                     bool active_only, std::optional<std::int64_t> profile_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  const TimePoint now = clock_.Now();
  std::string sql = "SELECT " + std::string(internal::kBanColumns) + " FROM moderation_bans WHERE shop_id = ?";
  std::vector<store::Param> params{shop_id};
  if (active_only) {
    sql += " AND lifted_at IS NULL AND (ends_at IS NULL OR ends_at > ?)";
    params.emplace_back(ToUnixMillis(now));
  }
  if (profile_id) {
    sql += " AND profile_id = ?";
    params.emplace_back(*profile_id);
  }
  sql += " ORDER BY id DESC";
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Ban>> {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute(sql, params));
    std::vector<Ban> bans;
    for (const store::Row& row : result.rows) bans.push_back(internal::ReadBan(row, now));
    return bans;
  });
}

Result<Ban> ModerationService::LiftBan(const identity::Principal& staff, std::int64_t shop_id, std::int64_t ban_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Ban> {
    const std::string select =
        "SELECT " + std::string(internal::kBanColumns) + " FROM moderation_bans WHERE shop_id = ? AND id = ?";
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne(select, {shop_id, ban_id}));
    if (!row) return Error::NotFound("no such ban");
    Ban ban = internal::ReadBan(*row, now);
    if (!ban.active) return ban;
    PLAZA_TRY(tx.Execute("UPDATE moderation_bans SET lifted_at = ?, lifted_by = ? WHERE shop_id = ? AND id = ?",
                         {ToUnixMillis(now), staff.ActorLabel(), shop_id, ban_id}));
    boost::json::object details;
    details["ban_id"] = ban_id;
    PLAZA_TRY(identity::AppendAudit(
        tx, identity::AuditBy(staff, "moderation.ban-lifted", "profile:" + std::to_string(ban.profile_id),
                              internal::Serialize(details), now)));
    PLAZA_ASSIGN_OR_RETURN(auto lifted, tx.QueryOne(select, {shop_id, ban_id}));
    return internal::ReadBan(*lifted, now);
  });
}

Result<std::vector<Warning>> ModerationService::ListWarnings(const identity::Principal& staff, std::int64_t shop_id,
                                                             std::optional<std::int64_t> profile_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kModerationAct));
  std::string sql =
      "SELECT id, profile_id, item_id, note, issued_by, created_at FROM moderation_warnings WHERE shop_id = ?";
  std::vector<store::Param> params{shop_id};
  if (profile_id) {
    sql += " AND profile_id = ?";
    params.emplace_back(*profile_id);
  }
  sql += " ORDER BY id DESC";
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Warning>> {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute(sql, params));
    std::vector<Warning> warnings;
    for (const store::Row& row : result.rows) {
      warnings.push_back(
          {row.Int(0), row.Int(1), row.OptionalInt(2), row.Text(3), row.Text(4), FromUnixMillis(row.Int(5))});
    }
    return warnings;
  });
}

}  // namespace plaza::moderation
