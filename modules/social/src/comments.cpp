#include "plaza/social/comments.h"

#include <functional>
#include <map>

#include "posts_internal.h"
#include "text_checks.h"

namespace plaza::social {
namespace {

constexpr std::string_view kCommentColumns =
    "c.id, c.post_id, c.parent_id, c.depth, c.author_id, a.handle, a.display_name, a.avatar_url, c.body, "
    "c.deleted_at, c.visibility, c.reply_count, c.created_at";
constexpr std::string_view kCommentFrom =
    " FROM social_comments c JOIN social_profiles a ON a.shop_id = c.shop_id AND a.id = c.author_id";
// What `viewer` (bound twice) may see of a post's comments: visible ones, their own held
// ones, nothing by a profile that blocks them.
constexpr std::string_view kCommentFilter =
    " AND (c.visibility = 'visible' OR (c.visibility = 'held' AND c.author_id = ?))"
    " AND NOT EXISTS (SELECT 1 FROM social_blocks b WHERE b.shop_id = c.shop_id AND b.blocker_id = c.author_id"
    " AND b.blocked_id = ?)";

Comment ReadComment(const store::Row& row) {
  Comment comment;
  comment.id = row.Int(0);
  comment.post_id = row.Int(1);
  comment.parent_id = row.OptionalInt(2);
  comment.depth = static_cast<int>(row.Int(3));
  comment.deleted = !row.IsNull(9);
  if (!comment.deleted) {
    comment.author = ProfileRef{row.Int(4), row.Text(5), row.Text(6), row.OptionalText(7)};
    comment.text = row.Text(8);
  }
  comment.visibility = ParseContentVisibility(row.Text(10)).value_or(ContentVisibility::kRemoved);
  comment.reply_count = row.Int(11);
  comment.created_at = FromUnixMillis(row.Int(12));
  return comment;
}

struct CommentRow {
  std::int64_t id = 0;
  std::int64_t post_id = 0;
  std::optional<std::int64_t> parent_id;
  std::int64_t author_id = 0;
  int depth = 0;
  bool deleted = false;
  ContentVisibility visibility = ContentVisibility::kVisible;
};

Result<std::optional<CommentRow>> FindComment(store::Transaction& tx, std::int64_t shop_id, std::int64_t id) {
  PLAZA_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT id, post_id, parent_id, author_id, depth, deleted_at, visibility "
                                     "FROM social_comments WHERE shop_id = ? AND id = ?",
                                     {shop_id, id}));
  if (!row) return std::optional<CommentRow>();
  return std::optional<CommentRow>(
      CommentRow{row->Int(0), row->Int(1), row->OptionalInt(2), row->Int(3), static_cast<int>(row->Int(4)),
                 !row->IsNull(5), ParseContentVisibility(row->Text(6)).value_or(ContentVisibility::kRemoved)});
}

Result<Comment> LoadComment(store::Transaction& tx, std::int64_t shop_id, std::int64_t id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kCommentColumns) + std::string(kCommentFrom) +
                                                   " WHERE c.shop_id = ? AND c.id = ?",
                                               {shop_id, id}));
  if (!row) return Error::NotFound("no such comment");
  Comment comment = ReadComment(*row);
  PLAZA_ASSIGN_OR_RETURN(auto mentions, internal::LoadMentions(tx, shop_id, "comment", {id}));
  if (auto found = mentions.find(id); found != mentions.end()) comment.mentions = std::move(found->second);
  return comment;
}

}  // namespace

Result<Comment> CommentService::CreateComment(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id,
                                              std::optional<std::int64_t> parent_id, std::string_view text) {
  PLAZA_TRY(internal::ValidateText(text, "/text", "the comment", 1, kMaxCommentLength, /*allow_newlines=*/true));
  const TimePoint now = clock_.Now();
  const std::int64_t keys[] = {store::QueueKey("social/post", shop_id, post_id)};
  return db_.WriteQueued(keys, [&](store::Transaction& tx) -> Result<Comment> {
    PLAZA_ASSIGN_OR_RETURN(internal::Moderated moderated,
                           internal::Moderate(tx, posts_.moderation(), shop_id, actor, moderation::Activity::kComment,
                                              text, /*images=*/0));
    PLAZA_ASSIGN_OR_RETURN(internal::PostRow post,
                           internal::VisiblePost(tx, shop_id, post_id, actor, posts_.group_gate()));
    int depth = 1;
    std::int64_t answered = post.post.author.id;
    std::optional<std::int64_t> root_id;
    if (parent_id) {
      PLAZA_ASSIGN_OR_RETURN(std::optional<CommentRow> parent, FindComment(tx, shop_id, *parent_id));
      const bool readable = parent && parent->post_id == post_id && !parent->deleted &&
                            (parent->visibility == ContentVisibility::kVisible ||
                             (parent->visibility == ContentVisibility::kHeld && parent->author_id == actor));
      if (!readable) return Error::NotFound("no such comment to reply to");
      PLAZA_ASSIGN_OR_RETURN(auto blocked, tx.QueryOne("SELECT 1 FROM social_blocks WHERE shop_id = ? AND "
                                                       "blocker_id = ? AND blocked_id = ?",
                                                       {shop_id, parent->author_id, actor}));
      if (blocked) return Error::NotFound("no such comment to reply to");
      if (parent->depth >= kMaxCommentDepth) {
        return Error::Invalid("social/thread-too-deep",
                              "replies go " + std::to_string(kMaxCommentDepth) +
                                  " levels deep; answer the comment this one replies to instead",
                              "/parent_id");
      }
      depth = parent->depth + 1;
      answered = parent->author_id;
      PLAZA_ASSIGN_OR_RETURN(auto root, tx.QueryOne("SELECT root_id FROM social_comments WHERE shop_id = ? AND id = ?",
                                                    {shop_id, *parent_id}));
      root_id = root->Int(0);
    }
    PLAZA_ASSIGN_OR_RETURN(auto inserted,
                           tx.QueryOne("INSERT INTO social_comments (shop_id, post_id, author_id, parent_id, root_id, "
                                       "depth, body, visibility, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                       "RETURNING id",
                                       {shop_id, post_id, actor, parent_id, root_id, depth, moderated.text,
                                        ContentVisibilityName(moderated.visibility), ToUnixMillis(now)}));
    const std::int64_t id = inserted->Int(0);
    PLAZA_TRY(internal::FlagIfHeld(tx, posts_.moderation(), shop_id, moderated, moderation::ContentKind::kComment, id));
    if (!root_id) {
      PLAZA_TRY(tx.Execute("UPDATE social_comments SET root_id = id WHERE shop_id = ? AND id = ?", {shop_id, id}));
    }
    // Counts count what readers can see; a held comment joins them when a moderator
    // lets it through (SocialContentOwner).
    if (moderated.visibility == ContentVisibility::kVisible) {
      if (parent_id) {
        PLAZA_TRY(tx.Execute("UPDATE social_comments SET reply_count = reply_count + 1 WHERE shop_id = ? AND id = ?",
                             {shop_id, *parent_id}));
      }
      PLAZA_TRY(tx.Execute("UPDATE social_posts SET comment_count = comment_count + 1 WHERE shop_id = ? AND id = ?",
                           {shop_id, post_id}));
    }
    PLAZA_ASSIGN_OR_RETURN(std::vector<ProfileRef> mentioned,
                           internal::StoreMentions(tx, shop_id, "comment", id, actor, moderated.text));
    // Held text reaches nobody until a moderator lets it through.
    if (moderated.visibility != ContentVisibility::kVisible) return LoadComment(tx, shop_id, id);
    NotificationService& notifications = posts_.notifications();
    GroupGate* gate = posts_.group_gate();
    PLAZA_TRY(internal::NotifyIfVisible(tx, shop_id, notifications, post, gate, answered,
                                        NewNotification{.kind = NotificationKind::kReply,
                                                        .actor_profile_id = actor,
                                                        .subject_kind = "comment",
                                                        .subject_id = id,
                                                        .text = moderated.text}));
    for (const ProfileRef& profile : mentioned) {
      // The one answered already hears of it as a reply.
      if (profile.id == answered) continue;
      PLAZA_TRY(internal::NotifyIfVisible(tx, shop_id, notifications, post, gate, profile.id,
                                          NewNotification{.kind = NotificationKind::kMention,
                                                          .actor_profile_id = actor,
                                                          .subject_kind = "comment",
                                                          .subject_id = id,
                                                          .text = moderated.text}));
    }
    return LoadComment(tx, shop_id, id);
  });
}

Status CommentService::DeleteComment(std::int64_t shop_id, std::int64_t actor, std::int64_t comment_id) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(std::optional<CommentRow> comment, FindComment(tx, shop_id, comment_id));
    if (!comment || comment->deleted || comment->author_id != actor) return Error::NotFound("no such comment");
    PLAZA_TRY(
        tx.Execute("DELETE FROM social_mentions WHERE shop_id = ? AND subject_kind = 'comment' AND subject_id = ?",
                   {shop_id, comment_id}));
    PLAZA_ASSIGN_OR_RETURN(auto child, tx.QueryOne("SELECT 1 FROM social_comments WHERE shop_id = ? AND parent_id = ?",
                                                   {shop_id, comment_id}));
    if (child) {
      // Its replies still answer something: keep the place, drop the words.
      PLAZA_TRY(tx.Execute("UPDATE social_comments SET body = '', deleted_at = ? WHERE shop_id = ? AND id = ?",
                           {ToUnixMillis(now), shop_id, comment_id}));
    } else {
      PLAZA_TRY(tx.Execute("DELETE FROM social_comments WHERE shop_id = ? AND id = ?", {shop_id, comment_id}));
    }
    if (comment->visibility != ContentVisibility::kVisible) return Ok();  // never counted
    if (comment->parent_id) {
      PLAZA_TRY(tx.Execute("UPDATE social_comments SET reply_count = reply_count - 1 WHERE shop_id = ? AND id = ?",
                           {shop_id, *comment->parent_id}));
    }
    PLAZA_TRY(tx.Execute("UPDATE social_posts SET comment_count = comment_count - 1 WHERE shop_id = ? AND id = ?",
                         {shop_id, comment->post_id}));
    return Ok();
  });
}

Result<CommentPage> CommentService::ListComments(std::int64_t shop_id, std::int64_t post_id,
                                                 std::optional<std::int64_t> viewer, const PageRequest& page) {
  PLAZA_TRY(internal::ValidatePage(page));
  PLAZA_ASSIGN_OR_RETURN(std::optional<std::int64_t> after, internal::DecodeCursor(page.cursor));
  const std::int64_t me = viewer.value_or(0);
  return db_.Read([&](store::Transaction& tx) -> Result<CommentPage> {
    PLAZA_TRY(internal::VisiblePost(tx, shop_id, post_id, viewer, posts_.group_gate()));
    PLAZA_ASSIGN_OR_RETURN(
        store::QueryResult top,
        tx.Execute("SELECT " + std::string(kCommentColumns) + std::string(kCommentFrom) +
                       " WHERE c.shop_id = ? AND c.post_id = ? AND c.parent_id IS NULL AND c.id > ?" +
                       std::string(kCommentFilter) + " ORDER BY c.id LIMIT ?",
                   {shop_id, post_id, after.value_or(0), me, me, static_cast<std::int64_t>(page.limit) + 1}));
    CommentPage out;
    std::vector<std::int64_t> ids;
    for (const store::Row& row : top.rows) {
      if (out.comments.size() == static_cast<std::size_t>(page.limit)) {
        out.next_cursor = internal::EncodeCursor(out.comments.back().id);
        break;
      }
      out.comments.push_back(ReadComment(row));
      ids.push_back(out.comments.back().id);
    }
    // Replies of each thread, oldest first: a reply always has a larger id than what it
    // answers, so each one's parent is read before it. A reply whose parent the viewer
    // may not see is left out with everything under it.
    std::map<std::int64_t, std::vector<Comment>> children;
    for (Comment& root : out.comments) {
      PLAZA_ASSIGN_OR_RETURN(
          store::QueryResult replies,
          tx.Execute("SELECT " + std::string(kCommentColumns) + std::string(kCommentFrom) +
                         " WHERE c.shop_id = ? AND c.root_id = ? AND c.id <> c.root_id" + std::string(kCommentFilter) +
                         " ORDER BY c.id LIMIT ?",
                     {shop_id, root.id, me, me, static_cast<std::int64_t>(kMaxRepliesPerThread) + 1}));
      if (replies.rows.size() > kMaxRepliesPerThread) {
        root.replies_truncated = true;
        replies.rows.pop_back();
      }
      for (const store::Row& row : replies.rows) {
        Comment reply = ReadComment(row);
        ids.push_back(reply.id);
        children[*reply.parent_id].push_back(std::move(reply));
      }
    }
    PLAZA_ASSIGN_OR_RETURN(auto mentions, internal::LoadMentions(tx, shop_id, "comment", ids));
    std::function<void(Comment&)> attach = [&](Comment& comment) {
      if (auto found = mentions.find(comment.id); found != mentions.end()) comment.mentions = found->second;
      if (auto found = children.find(comment.id); found != children.end()) {
        comment.replies = std::move(found->second);
        for (Comment& reply : comment.replies) attach(reply);
      }
    };
    for (Comment& root : out.comments) attach(root);
    return out;
  });
}

Result<Comment> CommentService::GetComment(std::int64_t shop_id, std::int64_t comment_id,
                                           std::optional<std::int64_t> viewer) {
  const std::int64_t me = viewer.value_or(0);
  return db_.Read([&](store::Transaction& tx) -> Result<Comment> {
    // ListComments leaves out a reply whose parent the viewer may not see, with everything
    // under it, so each comment up the thread passes the same filter.
    std::optional<Comment> found;
    for (std::optional<std::int64_t> next = comment_id; next;) {
      PLAZA_ASSIGN_OR_RETURN(auto row,
                             tx.QueryOne("SELECT " + std::string(kCommentColumns) + std::string(kCommentFrom) +
                                             " WHERE c.shop_id = ? AND c.id = ?" + std::string(kCommentFilter),
                                         {shop_id, *next, me, me}));
      if (!row) return Error::NotFound("no such comment");
      Comment comment = ReadComment(*row);
      next = comment.parent_id;
      if (!found) found = std::move(comment);
    }
    auto post = internal::VisiblePost(tx, shop_id, found->post_id, viewer, posts_.group_gate());
    if (!post.ok()) {
      if (post.error().code == ErrorCode::kNotFound) return Error::NotFound("no such comment");
      return post.error();
    }
    PLAZA_ASSIGN_OR_RETURN(auto mentions, internal::LoadMentions(tx, shop_id, "comment", {found->id}));
    if (auto mentioned = mentions.find(found->id); mentioned != mentions.end()) {
      found->mentions = std::move(mentioned->second);
    }
    return std::move(*found);
  });
}

}  // namespace plaza::social
