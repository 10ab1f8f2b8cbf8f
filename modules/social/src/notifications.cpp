#include "plaza/social/notifications.h"

#include <algorithm>
#include <limits>

#include "notification_store.h"
#include "plaza/core/text.h"

namespace plaza::social {
namespace {

constexpr std::string_view kCursorPrefix = "n1:";

std::string EncodeCursor(std::int64_t id) {
  return text::HexEncode(text::AsBytes(std::string(kCursorPrefix) + std::to_string(id)));
}

Result<std::int64_t> DecodeCursor(std::string_view cursor) {
  if (cursor.empty()) return std::numeric_limits<std::int64_t>::max();
  const Error invalid = Error::Invalid("social/invalid-cursor", "the cursor is not one this list handed out", "cursor");
  if (cursor.size() > 64) return invalid;
  const auto bytes = text::HexDecode(cursor);
  if (!bytes) return invalid;
  const std::string decoded(bytes->begin(), bytes->end());
  if (!decoded.starts_with(kCursorPrefix)) return invalid;
  const std::string digits = decoded.substr(kCursorPrefix.size());
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return invalid;
  }
  return std::stoll(digits);
}

// Cuts `text` after `max` code points, ending it with an ellipsis. REQUIRES: valid UTF-8.
std::string Excerpt(std::string_view text, std::size_t max) {
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if ((static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) continue;
    if (count == max) return std::string(text.substr(0, pos)) + "\u2026";
    ++count;
  }
  return std::string(text);
}

bool IsSlug(std::string_view s) {
  return s.size() <= kMaxSubjectKindLength &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

Notification ReadNotification(const store::Row& row) {
  Notification n;
  n.id = row.Int(0);
  n.shop_id = row.Int(1);
  n.recipient_profile_id = row.Int(2);
  n.kind = ParseNotificationKind(row.Text(3)).value_or(NotificationKind::kFollow);
  n.actor_profile_id = row.OptionalInt(4);
  n.subject_kind = row.Text(5);
  n.subject_id = row.Int(6);
  n.text = row.Text(7);
  n.created_at = FromUnixMillis(row.Int(8));
  if (const auto read_at = row.OptionalInt(9)) n.read_at = FromUnixMillis(*read_at);
  n.actor_handle = row.Text(10);
  n.actor_display_name = row.Text(11);
  return n;
}

}  // namespace

std::string_view NotificationKindName(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kFollow:
      return "follow";
    case NotificationKind::kFollowRequest:
      return "follow_request";
    case NotificationKind::kReply:
      return "reply";
    case NotificationKind::kMention:
      return "mention";
    case NotificationKind::kLike:
      return "like";
    case NotificationKind::kAnswer:
      return "answer";
    case NotificationKind::kReviewReply:
      return "review_reply";
    case NotificationKind::kGroupInvite:
      return "group_invite";
    case NotificationKind::kIdeaDecision:
      return "idea_decision";
    case NotificationKind::kOrderSocial:
      return "order_social";
  }
  return "follow";
}

std::optional<NotificationKind> ParseNotificationKind(std::string_view name) {
  for (const NotificationKind kind :
       {NotificationKind::kFollow, NotificationKind::kFollowRequest, NotificationKind::kReply,
        NotificationKind::kMention, NotificationKind::kLike, NotificationKind::kAnswer, NotificationKind::kReviewReply,
        NotificationKind::kGroupInvite, NotificationKind::kIdeaDecision, NotificationKind::kOrderSocial}) {
    if (NotificationKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

Status StoreNotification(store::Transaction& tx, std::int64_t shop_id, const NewNotification& notification,
                         TimePoint now) {
  if (!text::IsValidUtf8(notification.text)) {
    return Error::Invalid("validation/utf8", "the notification text is not valid UTF-8", "/text");
  }
  if (!IsSlug(notification.subject_kind)) {
    return Error::Invalid("social/invalid-subject-kind",
                          "a notification's subject kind is a short lower-case word such as \"post\"", "/subject_kind");
  }
  PLAZA_ASSIGN_OR_RETURN(auto recipient, tx.QueryOne("SELECT 1 FROM social_profiles WHERE shop_id = ? AND id = ?",
                                                     {shop_id, notification.recipient_profile_id}));
  if (!recipient) return Error::NotFound("no such profile to notify");
  if (notification.actor_profile_id) {
    if (*notification.actor_profile_id == notification.recipient_profile_id) return Ok();
    PLAZA_ASSIGN_OR_RETURN(
        auto blocked, tx.QueryOne("SELECT 1 FROM social_blocks WHERE shop_id = ? AND blocker_id = ? AND blocked_id = ?",
                                  {shop_id, notification.recipient_profile_id, *notification.actor_profile_id}));
    if (blocked) return Ok();
  }
  PLAZA_TRY(tx.Execute(
      "INSERT INTO social_notifications (shop_id, recipient_id, kind, actor_id, subject_kind, subject_id, body, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {shop_id, notification.recipient_profile_id, NotificationKindName(notification.kind),
       notification.actor_profile_id, notification.subject_kind, notification.subject_id,
       Excerpt(notification.text, kMaxNotificationTextLength), ToUnixMillis(now)}));
  return Ok();
}

Status NotificationService::Notify(store::Transaction& tx, std::int64_t shop_id, const NewNotification& notification) {
  return StoreNotification(tx, shop_id, notification, clock_.Now());
}

Result<NotificationPage> NotificationService::List(std::int64_t shop_id, std::int64_t recipient,
                                                   const PageRequest& page, bool unread_only) {
  if (page.limit < 1 || page.limit > kMaxPageSize) {
    return Error::Invalid("validation/range", "limit must be between 1 and " + std::to_string(kMaxPageSize), "limit");
  }
  PLAZA_ASSIGN_OR_RETURN(std::int64_t before, DecodeCursor(page.cursor));
  const std::string sql =
      "SELECT n.id, n.shop_id, n.recipient_id, n.kind, n.actor_id, n.subject_kind, n.subject_id, n.body, "
      "n.created_at, n.read_at, a.handle, a.display_name FROM social_notifications n "
      "LEFT JOIN social_profiles a ON a.shop_id = n.shop_id AND a.id = n.actor_id "
      "WHERE n.shop_id = ? AND n.recipient_id = ? AND n.id < ?" +
      std::string(unread_only ? " AND n.read_at IS NULL" : "") +
      " AND NOT EXISTS (SELECT 1 FROM social_blocks b WHERE b.shop_id = n.shop_id AND b.blocker_id = n.recipient_id "
      "AND b.blocked_id = n.actor_id) ORDER BY n.id DESC LIMIT ?";
  return db_.Read([&](store::Transaction& tx) -> Result<NotificationPage> {
    const std::vector<store::Param> params = {shop_id, recipient, before, static_cast<std::int64_t>(page.limit) + 1};
    PLAZA_ASSIGN_OR_RETURN(store::QueryResult result, tx.Execute(sql, params));
    NotificationPage out;
    const auto limit = static_cast<std::size_t>(page.limit);
    for (std::size_t i = 0; i < result.rows.size() && i < limit; ++i) {
      out.notifications.push_back(ReadNotification(result.rows[i]));
    }
    if (result.rows.size() > limit) out.next_cursor = EncodeCursor(out.notifications.back().id);
    return out;
  });
}

Result<std::int64_t> NotificationService::UnreadCount(std::int64_t shop_id, std::int64_t recipient) {
  return db_.Read([&](store::Transaction& tx) -> Result<std::int64_t> {
    PLAZA_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("SELECT COUNT(*) FROM social_notifications n WHERE n.shop_id = ? AND n.recipient_id = ? AND "
                    "n.read_at IS NULL AND NOT EXISTS (SELECT 1 FROM social_blocks b WHERE b.shop_id = n.shop_id "
                    "AND b.blocker_id = n.recipient_id AND b.blocked_id = n.actor_id)",
                    {shop_id, recipient}));
    return row->Int(0);
  });
}

Status NotificationService::MarkRead(std::int64_t shop_id, std::int64_t recipient, std::int64_t notification_id) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("SELECT read_at FROM social_notifications WHERE shop_id = ? AND recipient_id = ? AND id = ?",
                    {shop_id, recipient, notification_id}));
    if (!row) return Error::NotFound("no such notification");
    if (!row->IsNull(0)) return Ok();
    PLAZA_TRY(tx.Execute("UPDATE social_notifications SET read_at = ? WHERE shop_id = ? AND id = ?",
                         {ToUnixMillis(now), shop_id, notification_id}));
    return Ok();
  });
}

Result<std::int64_t> NotificationService::MarkAllRead(std::int64_t shop_id, std::int64_t recipient) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<std::int64_t> {
    PLAZA_ASSIGN_OR_RETURN(
        store::QueryResult result,
        tx.Execute("UPDATE social_notifications SET read_at = ? WHERE shop_id = ? AND recipient_id = ? AND "
                   "read_at IS NULL",
                   {ToUnixMillis(now), shop_id, recipient}));
    return result.affected_rows;
  });
}

}  // namespace plaza::social
