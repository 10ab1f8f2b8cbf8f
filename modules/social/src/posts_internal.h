#pragma once
// What posts.cpp and comments.cpp share: loading a post with its author, the visibility
// rule, @mentions and cursors. Internal to modules/social.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/result.h"
#include "plaza/social/posts.h"
#include "plaza/store/database.h"

namespace plaza::social::internal {

// A post row with what the visibility rule needs to know of its author.
struct PostRow {
  Post post{};
  bool author_private = false;
};

// The post of the shop, whatever its visibility; nullopt when absent.
Result<std::optional<PostRow>> FindPost(store::Transaction& tx, std::int64_t shop_id, std::int64_t post_id);

// The rule of posts.h: blocked viewers, private authors, groups, moderation.
Result<bool> MayView(store::Transaction& tx, std::int64_t shop_id, const PostRow& row,
                     std::optional<std::int64_t> viewer, GroupGate* gate);

// The post when `viewer` may see it, else kNotFound.
Result<PostRow> VisiblePost(store::Transaction& tx, std::int64_t shop_id, std::int64_t post_id,
                            std::optional<std::int64_t> viewer, GroupGate* gate);

// The posts of `post_ids` as VisiblePost and GetPost would answer them one by one, in the
// order of `post_ids`, leaving out those absent or hidden from `viewer`: one query for the
// posts and their visibility and one per kind of detail for the page, whatever its size
// (plus one GroupGate::CanRead per distinct group).
Result<std::vector<Post>> LoadVisiblePosts(store::Transaction& tx, std::int64_t shop_id,
                                           const std::vector<std::int64_t>& post_ids,
                                           std::optional<std::int64_t> viewer, GroupGate* gate);

// Resolves the @handles of `text` to profiles of the shop that do not block `author`,
// stores them as mentions of (`subject_kind`, `subject_id`) and answers them in order.
// Handles that name nobody stay plain text.
Result<std::vector<ProfileRef>> StoreMentions(store::Transaction& tx, std::int64_t shop_id,
                                              std::string_view subject_kind, std::int64_t subject_id,
                                              std::int64_t author, std::string_view text);
// The stored mentions of the given subjects, by subject id, in order.
Result<std::map<std::int64_t, std::vector<ProfileRef>>> LoadMentions(store::Transaction& tx, std::int64_t shop_id,
                                                                     std::string_view subject_kind,
                                                                     const std::vector<std::int64_t>& subject_ids);

// Notifies `recipient` of `notification` (its recipient field is set here) when they may
// see the post it is about, so a mention or reply never shows text its reader could not
// open.
Status NotifyIfVisible(store::Transaction& tx, std::int64_t shop_id, NotificationService& notifications,
                       const PostRow& post, GroupGate* gate, std::int64_t recipient, NewNotification notification);

// What moderation made of a new text: the text to store and whether it waits for a
// moderator.
struct Moderated {
  std::string text;
  ContentVisibility visibility = ContentVisibility::kVisible;
};

// Admits `activity` of `author` and screens `text` when `moderation` is set; the text as
// given otherwise. Call first thing in the transaction that stores the content.
Result<Moderated> Moderate(store::Transaction& tx, moderation::ModerationService* moderation, std::int64_t shop_id,
                           std::int64_t author, moderation::Activity activity, std::string_view text, int images);

// Queues held content for the moderators.
Status FlagIfHeld(store::Transaction& tx, moderation::ModerationService* moderation, std::int64_t shop_id,
                  const Moderated& moderated, moderation::ContentKind kind, std::int64_t id);

// Opaque page cursors naming the last id of the previous page.
std::string EncodeCursor(std::int64_t id);
Result<std::optional<std::int64_t>> DecodeCursor(std::string_view cursor);
Status ValidatePage(const PageRequest& page);

}  // namespace plaza::social::internal
