#pragma once
// Posts of a shop's social layer: text, images (media ids), product tags, an optional
// group; likes, saves and shares; @mentions and #hashtags. Comments are in comments.h.
// docs/posts.md states the rules.
//
// Every function takes the shop and filters by it: a post of another shop is absent. The
// acting profile (`actor`, `viewer`) is a profile id the caller has already resolved and
// authorised (ProfileService::ProfileOfCustomer for a signed-in customer); no viewer
// means an anonymous visitor.
//
// Who sees a post: nobody whom its author blocks (absent, as if deleted); for a private
// author, only the author and approved followers; for a post in a group, whoever the
// group's GroupGate lets read it; a post held for moderation only its author.
//
// Moderation: with a ModerationService set, creating a post or comment is an activity
// moderation admits first (bans, rate limits, trust levels) and its text passes the
// shop's keyword rules: masked text is stored masked, held content is stored `held` and
// flagged for review. The server always sets it; module tests and tools may run without.
//
// Thread-safety: a PostService may be used from any number of threads at once; the
// Set… calls are made once at start-up, before any other call.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/media/media.h"
#include "plaza/moderation/moderation.h"
#include "plaza/social/notifications.h"
#include "plaza/social/profiles.h"
#include "plaza/store/database.h"

namespace plaza::social {

// Bounds on what one post may hold, so outside input cannot grow a row without limit.
inline constexpr std::size_t kMaxPostLength = 2200;  // code points, Instagram's caption limit
inline constexpr std::size_t kMaxPostMedia = 10;
inline constexpr std::size_t kMaxProductTags = 10;
inline constexpr std::size_t kMaxMentions = 20;       // resolved per text; further handles stay text
inline constexpr std::size_t kMaxHashtags = 30;       // per text; further ones stay text
inline constexpr std::size_t kMaxHashtagLength = 64;  // code points after '#'
inline constexpr std::size_t kMaxShareChannelLength = 40;

// Moderation state of a post or comment: visible to those who may see it, held for a
// moderator (its author still sees it), hidden or removed by a moderator.
enum class ContentVisibility { kVisible, kHeld, kHidden, kRemoved };
std::string_view ContentVisibilityName(ContentVisibility visibility);  // "visible", "held", "hidden", "removed"
std::optional<ContentVisibility> ParseContentVisibility(std::string_view name);

// The state of a tagged product now, since a tag outlives its product's changes:
// available (active and on the online store), archived, unavailable (a draft, or taken
// off the online store) or missing (the product or the tagged variant was deleted).
enum class TagState { kAvailable, kArchived, kUnavailable, kMissing };
std::string_view TagStateName(TagState state);

struct ProductTagInput {
  std::int64_t product_id = 0;
  std::optional<std::int64_t> variant_id{};
};

// A tag as read now. Title and handle are empty when the product is missing or was never
// published (a draft must not leak through a tag); `variant_ids` are the variants whose
// live price and stock the tag shows: the tagged one, or every variant of the product.
struct ProductTag {
  std::int64_t product_id = 0;
  std::optional<std::int64_t> variant_id{};
  TagState state = TagState::kMissing;
  std::string product_handle{};
  std::string product_title{};
  std::string variant_title{};
  std::vector<std::int64_t> variant_ids{};
};

// A profile as a post or comment names it.
struct ProfileRef {
  std::int64_t id = 0;
  std::string handle{};
  std::string display_name{};
  std::optional<std::string> avatar_url{};
};

struct Post {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  ProfileRef author{};
  std::string text{};  // plain text as written; encoders escape it on output
  std::vector<std::int64_t> media_ids{};
  std::vector<ProductTag> products{};
  std::optional<std::int64_t> group_id{};
  ContentVisibility visibility = ContentVisibility::kVisible;
  std::vector<ProfileRef> mentions{};   // resolved @handles, in order of appearance
  std::vector<std::string> hashtags{};  // normalised, in order of appearance
  std::int64_t like_count = 0;
  std::int64_t comment_count = 0;
  std::int64_t save_count = 0;
  std::int64_t share_count = 0;
  bool liked = false;  // by the viewer
  bool saved = false;  // by the viewer
  TimePoint created_at{};
};

struct NewPost {
  std::string text{};
  std::vector<std::int64_t> media_ids{};
  std::vector<ProductTagInput> products{};
  std::optional<std::int64_t> group_id{};
};

struct PostPage {
  std::vector<Post> posts{};
  std::string next_cursor{};  // empty on the last page
};

struct Share {
  std::int64_t id = 0;
  std::int64_t post_id = 0;
  std::string channel{};
  // Path and query of the shared link, e.g.
  // "/social/posts/42?utm_source=whatsapp&utm_medium=social&utm_campaign=post_share&utm_content=post_42&ref=ada";
  // the edge puts the shop's public URL in front.
  std::string path{};
};

// Text parsing shared by posts and comments, public so pages and tests use the same rule.
// "#Summer_Sale" -> "summer_sale": hashtags are compared in lower case (ASCII letters
// folded; other letters kept as written). nullopt when `tag` is not a hashtag.
std::optional<std::string> NormalizeHashtag(std::string_view tag);
// The hashtags of `text`, normalised, de-duplicated, in order, at most kMaxHashtags.
std::vector<std::string> ParseHashtags(std::string_view text);
// The @handles of `text` as written (without '@'), de-duplicated ignoring case, in order,
// at most kMaxMentions. REQUIRES: valid UTF-8.
std::vector<std::string> ParseMentions(std::string_view text);

// Posts in groups are read and written only with the permission of the group's owner
// (the community module), which implements this and registers it with SetGroupGate.
class GroupGate {
 public:
  virtual ~GroupGate() = default;
  // Whether `viewer` (none: an anonymous visitor) may read the posts of the group; false
  // when the group does not exist in the shop.
  virtual Result<bool> CanRead(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id,
                               std::optional<std::int64_t> viewer) = 0;
  // Ok when `author` may post in the group; otherwise the error to answer (kNotFound when
  // the group is absent or hidden from the author, kPermissionDenied with a reason).
  virtual Status CheckCanPost(store::Transaction& tx, std::int64_t shop_id, std::int64_t group_id,
                              std::int64_t author) = 0;
};

// Whether `viewer` may see `post` (loaded in `tx`): the rules at the top of this file.
// For feeds and pages in this module that read posts through their own SQL.
Result<bool> CanView(store::Transaction& tx, std::int64_t shop_id, std::int64_t post_id,
                     std::optional<std::int64_t> viewer, GroupGate* gate);

class PostService {
 public:
  // Likes and mentions notify through `notifications` in the transaction that causes them.
  PostService(store::Database& db, const Clock& clock, NotificationService& notifications)
      : db_(db), clock_(clock), notifications_(notifications) {}

  void SetGroupGate(GroupGate& gate) { group_gate_ = &gate; }
  GroupGate* group_gate() const { return group_gate_; }
  NotificationService& notifications() const { return notifications_; }
  void SetModeration(moderation::ModerationService& moderation) { moderation_ = &moderation; }
  moderation::ModerationService* moderation() const { return moderation_; }
  // Where media ids are checked; without it a post with images is refused
  // ("social/media-unavailable").
  void SetMedia(media::MediaService& media) { media_ = &media; }

  // Errors: moderation's ("moderation/banned", "moderation/rate-limited",
  // "moderation/trust-too-low"), validation of the text (UTF-8, length, control and
  // invisible characters; field "/text"), media ids that are not the author's own
  // uploads in the shop ("media/not-found", field "/media_ids/<i>"), "social/empty-post" when there is neither text nor
  // media nor product, too many media or tags, "social/unknown-product" / "social/product-not-available" (field
  // "/products/<i>") for a tag on a product that does not exist or is not on the online store,
  // "social/groups-unavailable" for a group post without a GroupGate.
  Result<Post> CreatePost(std::int64_t shop_id, std::int64_t author, const NewPost& post);
  // kNotFound when absent or hidden from the viewer.
  Result<Post> GetPost(std::int64_t shop_id, std::int64_t post_id, std::optional<std::int64_t> viewer);
  // The posts of `post_ids` in that order, each as GetPost answers it; ids absent or
  // hidden from the viewer are left out rather than failing the call. Reads a page with
  // a fixed number of queries in one transaction, however many posts it holds: what a
  // feed or a page showing several posts calls instead of GetPost for each.
  Result<std::vector<Post>> GetPosts(std::int64_t shop_id, const std::vector<std::int64_t>& post_ids,
                                     std::optional<std::int64_t> viewer);
  // Deletes the actor's own post with its comments, likes, saves and tags; kNotFound
  // when it is not theirs.
  Status DeletePost(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id);

  // The posts of `handle` outside groups, newest first, as `viewer` may see them:
  // kNotFound when the profile does not exist or blocks the viewer,
  // "social/private-profile" (kPermissionDenied) for a private profile the viewer does
  // not follow.
  Result<PostPage> ListProfilePosts(std::int64_t shop_id, std::string_view handle, std::optional<std::int64_t> viewer,
                                    const PageRequest& page);
  // Posts carrying the hashtag, newest first, outside groups, as `viewer` may see them.
  // An unknown hashtag is an empty list. "social/invalid-hashtag" when `tag` is not one.
  Result<PostPage> ListHashtagPosts(std::int64_t shop_id, std::string_view tag, std::optional<std::int64_t> viewer,
                                    const PageRequest& page);
  // Posts of a group, newest first, when the GroupGate lets `viewer` read it (kNotFound
  // otherwise).
  Result<PostPage> ListGroupPosts(std::int64_t shop_id, std::int64_t group_id, std::optional<std::int64_t> viewer,
                                  const PageRequest& page);

  // Likes and saves are idempotent and need a post the actor may see (kNotFound
  // otherwise). They answer the post as the actor now sees it, counts included.
  Result<Post> Like(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id);
  Result<Post> Unlike(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id);
  Result<Post> Save(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id);
  Result<Post> Unsave(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id);
  // The actor's saved posts that they may still see, most recently saved first.
  Result<PostPage> ListSaves(std::int64_t shop_id, std::int64_t actor, const PageRequest& page);

  // Records that the actor shared the post on `channel` (a lower-case slug such as
  // "whatsapp"; empty means "link") and answers the link to share, which carries UTM
  // parameters and the sharer's handle as `ref` so an order it brings credits them.
  Result<Share> SharePost(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id, std::string_view channel);

 private:
  store::Database& db_;
  const Clock& clock_;
  NotificationService& notifications_;
  GroupGate* group_gate_ = nullptr;
  moderation::ModerationService* moderation_ = nullptr;
  media::MediaService* media_ = nullptr;
};

}  // namespace plaza::social
