#pragma once
// In-app notifications of a shop's social layer: someone followed you, replied, mentioned
// you, answered your question… Each one names its recipient and, usually, the profile
// that caused it (`actor`) and the thing it is about (`subject_kind`, `subject_id`, e.g.
// "post" 42), so a page can link to it. docs/feeds.md states the rules.
//
// Modules that create notifications call Notify inside the transaction that stores their
// cause, so a notification exists exactly when its cause does (a rolled-back comment
// leaves no "replied to you" behind).
//
// Thread-safety: a NotificationService may be used from any number of threads at once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/social/profiles.h"
#include "plaza/store/database.h"

namespace plaza::social {

enum class NotificationKind {
  kFollow,
  kFollowRequest,
  kReply,
  kMention,
  kLike,
  kAnswer,
  kReviewReply,
  kGroupInvite,
  kIdeaDecision,
  kOrderSocial
};
// "follow", "follow_request", "reply", "mention", "like", "answer", "review_reply",
// "group_invite", "idea_decision", "order_social".
std::string_view NotificationKindName(NotificationKind kind);
std::optional<NotificationKind> ParseNotificationKind(std::string_view name);

// Longest `text` kept, in code points; longer texts are cut at a code point boundary and
// end with "…", since a notification shows an excerpt, not the whole comment.
inline constexpr std::size_t kMaxNotificationTextLength = 280;
inline constexpr std::size_t kMaxSubjectKindLength = 40;

struct NewNotification {
  std::int64_t recipient_profile_id = 0;
  NotificationKind kind = NotificationKind::kFollow;
  std::optional<std::int64_t> actor_profile_id{};  // none for the shop itself (e.g. an idea decision)
  std::string subject_kind{};                      // "post", "comment", "question", "idea", "group"…; may be empty
  std::int64_t subject_id = 0;
  std::string text{};  // plain text excerpt, may be empty; encoders escape it on output
};

struct Notification {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::int64_t recipient_profile_id = 0;
  NotificationKind kind = NotificationKind::kFollow;
  std::optional<std::int64_t> actor_profile_id{};
  std::string actor_handle{};        // the actor's current handle; empty without an actor
  std::string actor_display_name{};  // likewise
  std::string subject_kind{};
  std::int64_t subject_id = 0;
  std::string text{};
  TimePoint created_at{};
  std::optional<TimePoint> read_at{};
};

struct NotificationPage {
  std::vector<Notification> notifications{};
  std::string next_cursor{};  // empty on the last page
};

class NotificationService {
 public:
  NotificationService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Stores one notification in the caller's transaction. Nothing is stored, and the call
  // succeeds, when the actor is the recipient (liking your own post) or when the
  // recipient blocks the actor. Errors: kInvalidArgument for a text that is not UTF-8 or
  // a subject kind that is not a short lower-case slug; kNotFound when the recipient is
  // not a profile of the shop.
  Status Notify(store::Transaction& tx, std::int64_t shop_id, const NewNotification& notification);

  // The recipient's notifications, newest first; `unread_only` leaves out read ones.
  // Notifications from profiles the recipient now blocks are left out.
  Result<NotificationPage> List(std::int64_t shop_id, std::int64_t recipient, const PageRequest& page,
                                bool unread_only = false);
  Result<std::int64_t> UnreadCount(std::int64_t shop_id, std::int64_t recipient);
  // Marks one of the recipient's notifications read; kNotFound when it is not theirs.
  // Marking a read one again keeps its first read time.
  Status MarkRead(std::int64_t shop_id, std::int64_t recipient, std::int64_t notification_id);
  // Marks every unread notification of the recipient read and answers how many changed.
  Result<std::int64_t> MarkAllRead(std::int64_t shop_id, std::int64_t recipient);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace plaza::social
