#pragma once
// Threaded comments on posts: a comment answers the post or another comment, down to
// kMaxCommentDepth levels. docs/posts.md states the rules.
//
// A comment can be read by whoever can read its post (posts.h); comments by profiles
// that block the viewer are left out, and a comment held for moderation is shown only to
// its author. A deleted comment that has replies stays as a tombstone without author or
// text, so its thread still reads in order.
//
// Thread-safety: a CommentService may be used from any number of threads at once.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/social/posts.h"
#include "plaza/store/database.h"

namespace plaza::social {

inline constexpr std::size_t kMaxCommentLength = 1000;  // code points
// A top-level comment is at depth 1 and a reply one deeper than what it answers. Three
// levels keep a conversation readable on a phone; a reply to a comment at the last level
// is refused ("social/thread-too-deep") so the client answers its parent instead.
inline constexpr int kMaxCommentDepth = 3;
// Replies read with each top-level comment; longer threads say `replies_truncated`.
inline constexpr std::size_t kMaxRepliesPerThread = 100;

struct Comment {
  std::int64_t id = 0;
  std::int64_t post_id = 0;
  std::optional<std::int64_t> parent_id{};
  int depth = 1;
  ProfileRef author{};  // empty (id 0) for a deleted comment
  std::string text{};   // plain text as written; empty for a deleted comment
  bool deleted = false;
  ContentVisibility visibility = ContentVisibility::kVisible;
  std::vector<ProfileRef> mentions{};
  std::int64_t reply_count = 0;  // direct replies, deleted ones not counted
  TimePoint created_at{};
  std::vector<Comment> replies{};  // oldest first
  bool replies_truncated = false;  // the thread holds more replies than were read
};

struct CommentPage {
  std::vector<Comment> comments{};  // top-level comments, oldest first, each with its thread
  std::string next_cursor{};        // empty on the last page
};

class CommentService {
 public:
  // `posts` supplies the group gate the post visibility rule needs.
  CommentService(store::Database& db, const Clock& clock, const PostService& posts)
      : db_(db), clock_(clock), posts_(posts) {}

  // Comments on `post_id`, or replies to `parent_id` of that post. Errors: the text's
  // validation (field "/text"), kNotFound when the actor may not see the post or the
  // parent is not a live comment of it, "social/thread-too-deep".
  Result<Comment> CreateComment(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id,
                                std::optional<std::int64_t> parent_id, std::string_view text);
  // The actor's own comment; kNotFound otherwise.
  Status DeleteComment(std::int64_t shop_id, std::int64_t actor, std::int64_t comment_id);
  // A page of top-level comments, oldest first, each with its replies threaded.
  // kNotFound when the viewer may not see the post.
  Result<CommentPage> ListComments(std::int64_t shop_id, std::int64_t post_id, std::optional<std::int64_t> viewer,
                                   const PageRequest& page);
  // One comment, without its replies, as the post's page would show it to `viewer`: the
  // viewer may see the post, and the comment and every comment it answers are visible (or
  // the viewer's own held ones) and not by a profile that blocks the viewer. A deleted
  // comment kept for its replies comes as its tombstone. kNotFound otherwise, including
  // another shop's comment. What a notification about a comment links through to.
  Result<Comment> GetComment(std::int64_t shop_id, std::int64_t comment_id, std::optional<std::int64_t> viewer);

 private:
  store::Database& db_;
  const Clock& clock_;
  const PostService& posts_;
};

}  // namespace plaza::social
