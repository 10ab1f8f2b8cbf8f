#include "plaza/social/content_owner.h"

#include "plaza/core/free_text.h"
#include "plaza/core/text.h"
#include "text_checks.h"

namespace plaza::social {
namespace {

constexpr std::size_t kExcerptLength = 280;  // code points, what a queue row shows

// The first kExcerptLength code points of `text`, cut at a code point boundary.
std::string Excerpt(const std::string& text) {
  if (!text::IsValidUtf8(text)) return {};
  std::size_t pos = 0;
  for (std::size_t count = 0; pos < text.size() && count < kExcerptLength; ++count) {
    text::NextCodePoint(text, pos);
  }
  return pos < text.size() ? text.substr(0, pos) + "…" : text;
}

bool IsModeratedKind(moderation::ContentKind kind) {
  return kind == moderation::ContentKind::kPost || kind == moderation::ContentKind::kComment;
}

}  // namespace

void SocialContentOwner::RegisterWith(moderation::ModerationService& moderation) {
  moderation.RegisterOwner(moderation::ContentKind::kPost, *this);
  moderation.RegisterOwner(moderation::ContentKind::kComment, *this);
}

Result<moderation::ContentSummary> SocialContentOwner::Describe(store::Transaction& tx, std::int64_t shop_id,
                                                                moderation::ContentRef ref) {
  if (!IsModeratedKind(ref.kind)) return Error::NotFound("no such post or comment");
  const bool post = ref.kind == moderation::ContentKind::kPost;
  PLAZA_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne(post ? "SELECT author_id, body, visibility, created_at FROM social_posts "
                                            "WHERE shop_id = ? AND id = ?"
                                          : "SELECT author_id, body, visibility, created_at FROM "
                                            "social_comments WHERE shop_id = ? AND id = ?",
                                     {shop_id, ref.id}));
  if (!row) return Error::NotFound(post ? "no such post" : "no such comment");
  return moderation::ContentSummary{
      .author_profile_id = row->Int(0),
      .excerpt = Excerpt(row->Text(1)),
      .visibility = moderation::ParseVisibility(row->Text(2)).value_or(moderation::Visibility::kRemoved),
      .created_at = FromUnixMillis(row->Int(3))};
}

Status SocialContentOwner::SetVisibility(store::Transaction& tx, std::int64_t shop_id, moderation::ContentRef ref,
                                         moderation::Visibility visibility) {
  if (!IsModeratedKind(ref.kind)) return Error::NotFound("no such post or comment");
  const std::string_view name = moderation::VisibilityName(visibility);
  if (ref.kind == moderation::ContentKind::kPost) {
    PLAZA_ASSIGN_OR_RETURN(
        store::QueryResult updated,
        tx.Execute("UPDATE social_posts SET visibility = ? WHERE shop_id = ? AND id = ?", {name, shop_id, ref.id}));
    if (updated.affected_rows == 0) return Error::NotFound("no such post");
    return Ok();
  }
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT post_id, parent_id, visibility, deleted_at FROM social_comments "
                                               "WHERE shop_id = ? AND id = ?",
                                               {shop_id, ref.id}));
  if (!row) return Error::NotFound("no such comment");
  // Counts count what readers can see: a comment entering or leaving "visible" moves them.
  const bool was_counted = row->Text(2) == "visible" && row->IsNull(3);
  const bool counted = visibility == moderation::Visibility::kVisible && row->IsNull(3);
  PLAZA_TRY(
      tx.Execute("UPDATE social_comments SET visibility = ? WHERE shop_id = ? AND id = ?", {name, shop_id, ref.id}));
  if (was_counted == counted) return Ok();
  const std::string change = counted ? " + 1" : " - 1";
  PLAZA_TRY(
      tx.Execute("UPDATE social_posts SET comment_count = comment_count" + change + " WHERE shop_id = ? AND id = ?",
                 {shop_id, row->Int(0)}));
  if (auto parent = row->OptionalInt(1)) {
    PLAZA_TRY(
        tx.Execute("UPDATE social_comments SET reply_count = reply_count" + change + " WHERE shop_id = ? AND id = ?",
                   {shop_id, *parent}));
  }
  return Ok();
}

}  // namespace plaza::social
