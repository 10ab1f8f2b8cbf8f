#include "plaza/social/posts.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "plaza/catalog/catalog.h"
#include "plaza/core/free_text.h"
#include "plaza/core/text.h"
#include "plaza/store/outbox.h"
#include "posts_internal.h"
#include "text_checks.h"

namespace plaza::social {
namespace {

namespace cat = catalog;

constexpr std::string_view kPostColumns =
    "p.id, p.shop_id, p.author_id, a.handle, a.display_name, a.avatar_url, p.body, p.group_id, p.visibility, "
    "p.like_count, p.comment_count, p.save_count, p.share_count, p.created_at, a.is_private";
constexpr std::string_view kPostFrom =
    " FROM social_posts p JOIN social_profiles a ON a.shop_id = p.shop_id AND a.id = p.author_id";
// Ids bound in one IN list when loading posts by id, well under both engines' limits on
// parameters.
constexpr std::size_t kLoadChunk = 500;

internal::PostRow ReadPostRow(const store::Row& row, std::size_t first = 0) {
  internal::PostRow out;
  Post& post = out.post;
  post.id = row.Int(first + 0);
  post.shop_id = row.Int(first + 1);
  post.author.id = row.Int(first + 2);
  post.author.handle = row.Text(first + 3);
  post.author.display_name = row.Text(first + 4);
  post.author.avatar_url = row.OptionalText(first + 5);
  post.text = row.Text(first + 6);
  post.group_id = row.OptionalInt(first + 7);
  post.visibility = ParseContentVisibility(row.Text(first + 8)).value_or(ContentVisibility::kRemoved);
  post.like_count = row.Int(first + 9);
  post.comment_count = row.Int(first + 10);
  post.save_count = row.Int(first + 11);
  post.share_count = row.Int(first + 12);
  post.created_at = FromUnixMillis(row.Int(first + 13));
  out.author_private = row.Bool(first + 14);
  return out;
}

bool IsHandleChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

// Letters and digits of any script, approximated without a Unicode database: ASCII
// letters, digits and '_', and every code point past ASCII except the spaces,
// punctuation, symbols and emoji blocks, which end a hashtag as they do on other
// networks.
bool IsHashtagChar(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return false;
  if (text::IsInvisible(c)) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // punctuation, arrows, symbols, dingbats
  if (c >= 0x3000 && c <= 0x303F) return false;  // CJK punctuation
  if (c >= 0xFE00 && c <= 0xFE4F) return false;  // variation selectors, CJK compatibility forms
  if (c >= 0xFF00 && c <= 0xFF0F) return false;  // full-width punctuation
  if (c >= 0x1F000) return false;                // emoji and pictographs
  return true;
}

std::string Lower(std::string_view s) {
  return text::ToLowerAscii(s);
}

std::string ParamList(std::size_t count) {
  return store::Placeholders(count);
}

std::vector<store::Param> IdParams(std::int64_t shop_id, const std::vector<std::int64_t>& ids) {
  std::vector<store::Param> params;
  params.reserve(ids.size() + 1);
  params.emplace_back(shop_id);
  for (std::int64_t id : ids) params.emplace_back(id);
  return params;
}

Status AppendPostEvent(store::Transaction& tx, std::int64_t shop_id, std::string event_type, const Post& post,
                       TimePoint now) {
  store::OutboxEvent event;
  event.shop_id = shop_id;
  event.aggregate_type = "social_post";
  event.aggregate_id = std::to_string(post.id);
  event.event_type = std::move(event_type);
  event.payload_json =
      "{\"post_id\":" + std::to_string(post.id) + ",\"author_profile_id\":" + std::to_string(post.author.id) + "}";
  PLAZA_ASSIGN_OR_RETURN(std::int64_t id, store::AppendEvent(tx, event, now));
  (void)id;  // consumers find the event through the outbox, not by id
  return Ok();
}

Status ValidateNewPost(const NewPost& post) {
  PLAZA_TRY(internal::ValidateText(post.text, "/text", "the text", 0, kMaxPostLength, /*allow_newlines=*/true));
  if (post.text.empty() && post.media_ids.empty() && post.products.empty()) {
    return Error::Invalid("social/empty-post", "a post needs a text, an image or a product", "/text");
  }
  if (post.media_ids.size() > kMaxPostMedia) {
    return Error::Invalid("social/too-many-media",
                          "a post may show at most " + std::to_string(kMaxPostMedia) + " images", "/media_ids");
  }
  for (std::size_t i = 0; i < post.media_ids.size(); ++i) {
    if (post.media_ids[i] <= 0) {
      return Error::Invalid("validation/range", "a media id is a positive integer", "/media_ids/" + std::to_string(i));
    }
  }
  if (post.products.size() > kMaxProductTags) {
    return Error::Invalid("social/too-many-products",
                          "a post may tag at most " + std::to_string(kMaxProductTags) + " products", "/products");
  }
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  for (std::size_t i = 0; i < post.products.size(); ++i) {
    const ProductTagInput& tag = post.products[i];
    const std::string field = "/products/" + std::to_string(i);
    if (tag.product_id <= 0)
      return Error::Invalid("validation/range", "a product id is a positive integer", field + "/product_id");
    if (tag.variant_id && *tag.variant_id <= 0) {
      return Error::Invalid("validation/range", "a variant id is a positive integer", field + "/variant_id");
    }
    if (!seen.emplace(tag.product_id, tag.variant_id.value_or(0)).second) {
      return Error::Invalid("social/duplicate-product-tag", "this product is already tagged in the post", field);
    }
  }
  return Ok();
}

// Checks each tag against the catalog in the transaction that stores it: the product and
// variant exist in the shop and the product is on the online store, so a post cannot
// reveal a draft or point at nothing.
Status CheckProductTags(store::Transaction& tx, std::int64_t shop_id, const std::vector<ProductTagInput>& tags) {
  if (tags.empty()) return Ok();
  std::vector<std::int64_t> ids;
  ids.reserve(tags.size());
  for (const ProductTagInput& tag : tags) ids.push_back(tag.product_id);
  PLAZA_ASSIGN_OR_RETURN(std::vector<cat::Product> products, cat::GetProducts(tx, shop_id, ids));
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const std::string field = "/products/" + std::to_string(i);
    const auto product = std::find_if(products.begin(), products.end(),
                                      [&](const cat::Product& p) { return p.id == tags[i].product_id; });
    if (product == products.end()) {
      return Error::Invalid("social/unknown-product", "the shop has no product " + std::to_string(tags[i].product_id),
                            field + "/product_id");
    }
    if (!cat::IsVisibleOn(*product, cat::Channel::kOnlineStore)) {
      return Error::Invalid("social/product-not-available",
                            "\"" + product->title + "\" is not on sale in the online store, so it cannot be tagged",
                            field + "/product_id");
    }
    if (tags[i].variant_id) {
      const bool found = std::any_of(product->variants.begin(), product->variants.end(),
                                     [&](const cat::Variant& v) { return v.id == *tags[i].variant_id; });
      if (!found) {
        return Error::Invalid("social/unknown-variant",
                              "\"" + product->title + "\" has no variant " + std::to_string(*tags[i].variant_id),
                              field + "/variant_id");
      }
    }
  }
  return Ok();
}

Status StoreHashtags(store::Transaction& tx, std::int64_t shop_id, std::int64_t post_id, std::string_view text,
                     TimePoint now) {
  const std::vector<std::string> tags = ParseHashtags(text);
  for (std::size_t i = 0; i < tags.size(); ++i) {
    PLAZA_TRY(
        tx.Execute("INSERT INTO social_hashtags (shop_id, tag, post_count, created_at) VALUES (?, ?, 0, ?) "
                   "ON CONFLICT (shop_id, tag) DO NOTHING",
                   {shop_id, tags[i], ToUnixMillis(now)}));
    PLAZA_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT id FROM social_hashtags WHERE shop_id = ? AND tag = ?", {shop_id, tags[i]}));
    if (!row) return Error::Internal("hashtag row vanished inside its transaction");
    PLAZA_TRY(
        tx.Execute("INSERT INTO social_post_hashtags (shop_id, hashtag_id, post_id, position) VALUES (?, ?, ?, ?)",
                   {shop_id, row->Int(0), post_id, static_cast<std::int64_t>(i)}));
    PLAZA_TRY(tx.Execute("UPDATE social_hashtags SET post_count = post_count + 1 WHERE shop_id = ? AND id = ?",
                         {shop_id, row->Int(0)}));
  }
  return Ok();
}

// What Hydrate's one query returns per row: its kind, then the post, the position and
// the kind's own columns (two integers, three texts), NULL where a kind has fewer.
enum class Attachment : std::int64_t { kMedia = 0, kProduct = 1, kHashtag = 2, kMention = 3, kLiked = 4, kSaved = 5 };
// Branches of that query: the post's own attachments for anyone, then the viewer's two.
constexpr int kPostBranches = 4;
constexpr int kViewerBranches = 2;

// The SQL of Hydrate's query for `count` posts, with the viewer's likes and saves or
// without. Each branch binds the shop and the ids; the like and save branches also the
// viewer. One statement instead of one per kind: on PostgreSQL each statement is a round
// trip, and six of them were a third of a timeline read (bench/RESULTS.md, 2026-11-24).
std::string AttachmentSql(std::size_t count, bool with_viewer) {
  const std::string in = " IN (" + ParamList(count) + ")";
  std::string sql =
      "SELECT 0, post_id, position, media_id, CAST(NULL AS BIGINT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), "
      "CAST(NULL AS TEXT) FROM social_post_media WHERE shop_id = ? AND post_id" +
      in +
      " UNION ALL SELECT 1, post_id, position, product_id, variant_id, CAST(NULL AS TEXT), CAST(NULL AS TEXT), "
      "CAST(NULL AS TEXT) FROM social_post_products WHERE shop_id = ? AND post_id" +
      in +
      " UNION ALL SELECT 2, ph.post_id, ph.position, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), h.tag, "
      "CAST(NULL AS TEXT), CAST(NULL AS TEXT) FROM social_post_hashtags ph JOIN social_hashtags h ON h.shop_id = "
      "ph.shop_id AND h.id = ph.hashtag_id WHERE ph.shop_id = ? AND ph.post_id" +
      in +
      " UNION ALL SELECT 3, m.subject_id, m.position, pr.id, CAST(NULL AS BIGINT), pr.handle, pr.display_name, "
      "pr.avatar_url FROM social_mentions m JOIN social_profiles pr ON pr.shop_id = m.shop_id AND pr.id = "
      "m.profile_id WHERE m.shop_id = ? AND m.subject_kind = 'post' AND m.subject_id" +
      in;
  if (with_viewer) {
    sql +=
        " UNION ALL SELECT 4, post_id, 0, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS TEXT), "
        "CAST(NULL AS TEXT), CAST(NULL AS TEXT) FROM social_post_likes WHERE shop_id = ? AND post_id" +
        in +
        " AND profile_id = ? UNION ALL SELECT 5, post_id, 0, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), "
        "CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT) FROM social_post_saves WHERE shop_id = ? AND "
        "post_id" +
        in + " AND profile_id = ?";
  }
  return sql + " ORDER BY 1, 2, 3";
}

// Fills media, tags, mentions, hashtags and the viewer's like and save of `posts` with
// one query for the whole page, and the tagged products with one more when there are any.
Status Hydrate(store::Transaction& tx, std::int64_t shop_id, std::vector<Post>& posts,
               std::optional<std::int64_t> viewer) {
  if (posts.empty()) return Ok();
  std::vector<std::int64_t> ids;
  std::unordered_map<std::int64_t, Post*> by_id;
  for (Post& post : posts) {
    ids.push_back(post.id);
    by_id[post.id] = &post;
  }
  const std::vector<store::Param> id_params = IdParams(shop_id, ids);
  std::vector<store::Param> params;
  const int branches = viewer ? kPostBranches + kViewerBranches : kPostBranches;
  params.reserve(static_cast<std::size_t>(branches) * (id_params.size() + 1));
  for (int branch = 0; branch < branches; ++branch) {
    params.insert(params.end(), id_params.begin(), id_params.end());
    if (branch >= kPostBranches) params.emplace_back(*viewer);
  }
  PLAZA_ASSIGN_OR_RETURN(store::QueryResult attachments,
                         tx.Execute(AttachmentSql(ids.size(), viewer.has_value()), params));
  std::vector<std::int64_t> product_ids;
  for (const store::Row& row : attachments.rows) {
    Post& post = *by_id[row.Int(1)];
    switch (static_cast<Attachment>(row.Int(0))) {
      case Attachment::kMedia:
        post.media_ids.push_back(row.Int(3));
        break;
      case Attachment::kProduct: {
        ProductTag tag;
        tag.product_id = row.Int(3);
        tag.variant_id = row.OptionalInt(4);
        post.products.push_back(tag);
        product_ids.push_back(tag.product_id);
        break;
      }
      case Attachment::kHashtag:
        post.hashtags.push_back(row.Text(5));
        break;
      case Attachment::kMention:
        post.mentions.push_back(ProfileRef{row.Int(3), row.Text(5), row.Text(6), row.OptionalText(7)});
        break;
      case Attachment::kLiked:
        post.liked = true;
        break;
      case Attachment::kSaved:
        post.saved = true;
        break;
    }
  }
  if (!product_ids.empty()) {
    std::sort(product_ids.begin(), product_ids.end());
    product_ids.erase(std::unique(product_ids.begin(), product_ids.end()), product_ids.end());
    PLAZA_ASSIGN_OR_RETURN(std::vector<cat::Product> products, cat::GetProducts(tx, shop_id, product_ids));
    std::unordered_map<std::int64_t, const cat::Product*> product_by_id;
    for (const cat::Product& product : products) product_by_id[product.id] = &product;
    for (Post& post : posts) {
      for (ProductTag& tag : post.products) {
        const auto found = product_by_id.find(tag.product_id);
        if (found == product_by_id.end()) continue;  // deleted: kMissing
        const cat::Product& product = *found->second;
        const cat::Variant* variant = nullptr;
        if (tag.variant_id) {
          const auto it = std::find_if(product.variants.begin(), product.variants.end(),
                                       [&](const cat::Variant& v) { return v.id == *tag.variant_id; });
          if (it == product.variants.end()) continue;  // the tagged variant was deleted: kMissing
          variant = &*it;
        }
        if (product.status == cat::ProductStatus::kDraft) {
          tag.state = TagState::kUnavailable;
          continue;  // a draft shows nothing of itself
        }
        tag.state = product.status == cat::ProductStatus::kArchived         ? TagState::kArchived
                    : cat::IsVisibleOn(product, cat::Channel::kOnlineStore) ? TagState::kAvailable
                                                                            : TagState::kUnavailable;
        tag.product_handle = product.handle;
        tag.product_title = product.title;
        if (variant) {
          tag.variant_title = variant->title;
          tag.variant_ids = {variant->id};
        } else {
          for (const cat::Variant& v : product.variants) tag.variant_ids.push_back(v.id);
        }
      }
    }
  }
  return Ok();
}

Result<Post> LoadVisible(store::Transaction& tx, std::int64_t shop_id, std::int64_t post_id,
                         std::optional<std::int64_t> viewer, GroupGate* gate) {
  PLAZA_ASSIGN_OR_RETURN(internal::PostRow row, internal::VisiblePost(tx, shop_id, post_id, viewer, gate));
  std::vector<Post> posts{std::move(row.post)};
  PLAZA_TRY(Hydrate(tx, shop_id, posts, viewer));
  return std::move(posts.front());
}

// One page of posts, newest first: `where` restricts `kPostFrom` (joined as p and a) and
// binds `params` after the shop; the visibility filter for `viewer` is added here.
Result<PostPage> PageOfPosts(store::Transaction& tx, std::int64_t shop_id, std::string_view extra_from,
                             std::string_view where, std::vector<store::Param> params,
                             std::optional<std::int64_t> viewer, const PageRequest& page) {
  PLAZA_TRY(internal::ValidatePage(page));
  PLAZA_ASSIGN_OR_RETURN(std::optional<std::int64_t> after, internal::DecodeCursor(page.cursor));
  const std::int64_t me = viewer.value_or(0);
  const std::string sql =
      "SELECT " + std::string(kPostColumns) + std::string(kPostFrom) + std::string(extra_from) +
      " WHERE p.shop_id = ? " + std::string(where) +
      " AND p.id < ? AND (p.visibility = 'visible' OR (p.visibility = 'held' AND p.author_id = ?))"
      " AND (a.is_private = 0 OR a.id = ? OR EXISTS (SELECT 1 FROM social_follows f WHERE f.shop_id = p.shop_id"
      " AND f.follower_id = ? AND f.followee_id = a.id))"
      " AND NOT EXISTS (SELECT 1 FROM social_blocks b WHERE b.shop_id = p.shop_id AND b.blocker_id = a.id"
      " AND b.blocked_id = ?) ORDER BY p.id DESC LIMIT ?";
  std::vector<store::Param> bound;
  bound.reserve(params.size() + 7);
  bound.emplace_back(shop_id);
  for (store::Param& param : params) bound.push_back(std::move(param));
  bound.emplace_back(after.value_or(std::numeric_limits<std::int64_t>::max()));
  for (int i = 0; i < 4; ++i) bound.emplace_back(me);
  bound.emplace_back(static_cast<std::int64_t>(page.limit) + 1);
  PLAZA_ASSIGN_OR_RETURN(store::QueryResult result, tx.Execute(sql, bound));
  PostPage out;
  for (const store::Row& row : result.rows) {
    if (out.posts.size() == static_cast<std::size_t>(page.limit)) {
      out.next_cursor = internal::EncodeCursor(out.posts.back().id);
      break;
    }
    out.posts.push_back(ReadPostRow(row).post);
  }
  PLAZA_TRY(Hydrate(tx, shop_id, out.posts, viewer));
  return out;
}

Result<std::int64_t> ProfileIdByHandle(store::Transaction& tx, std::int64_t shop_id, std::string_view handle,
                                       std::optional<std::int64_t> viewer, bool* visible) {
  if (handle.empty() || handle.size() > kMaxHandleLength) return Error::NotFound("no profile @" + std::string(handle));
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, is_private FROM social_profiles WHERE shop_id = ? AND "
                                               "handle_key = ?",
                                               {shop_id, Lower(handle)}));
  if (!row) return Error::NotFound("no profile @" + std::string(handle));
  const std::int64_t id = row->Int(0);
  *visible = !row->Bool(1);
  if (viewer) {
    PLAZA_ASSIGN_OR_RETURN(auto blocked, tx.QueryOne("SELECT 1 FROM social_blocks WHERE shop_id = ? AND blocker_id = ? "
                                                     "AND blocked_id = ?",
                                                     {shop_id, id, *viewer}));
    if (blocked) return Error::NotFound("no profile @" + std::string(handle));
    if (*viewer == id) *visible = true;
    if (!*visible) {
      PLAZA_ASSIGN_OR_RETURN(auto follows, tx.QueryOne("SELECT 1 FROM social_follows WHERE shop_id = ? AND "
                                                       "follower_id = ? AND followee_id = ?",
                                                       {shop_id, *viewer, id}));
      *visible = follows.has_value();
    }
  }
  return id;
}

bool IsSlug(std::string_view s) {
  return !s.empty() && s.size() <= kMaxShareChannelLength && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

// ---- internal ----

namespace internal {

Result<std::optional<PostRow>> FindPost(store::Transaction& tx, std::int64_t shop_id, std::int64_t post_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kPostColumns) + std::string(kPostFrom) +
                                                   " WHERE p.shop_id = ? AND p.id = ?",
                                               {shop_id, post_id}));
  if (!row) return std::optional<PostRow>();
  return std::optional<PostRow>(ReadPostRow(*row));
}

Result<bool> MayView(store::Transaction& tx, std::int64_t shop_id, const PostRow& row,
                     std::optional<std::int64_t> viewer, GroupGate* gate) {
  const Post& post = row.post;
  const bool is_author = viewer && *viewer == post.author.id;
  if (post.visibility == ContentVisibility::kHeld && !is_author) return false;
  if (post.visibility == ContentVisibility::kHidden || post.visibility == ContentVisibility::kRemoved) return false;
  if (viewer && !is_author) {
    PLAZA_ASSIGN_OR_RETURN(auto blocked, tx.QueryOne("SELECT 1 FROM social_blocks WHERE shop_id = ? AND blocker_id = ? "
                                                     "AND blocked_id = ?",
                                                     {shop_id, post.author.id, *viewer}));
    if (blocked) return false;
  }
  if (row.author_private && !is_author) {
    if (!viewer) return false;
    PLAZA_ASSIGN_OR_RETURN(auto follows, tx.QueryOne("SELECT 1 FROM social_follows WHERE shop_id = ? AND "
                                                     "follower_id = ? AND followee_id = ?",
                                                     {shop_id, *viewer, post.author.id}));
    if (!follows) return false;
  }
  if (post.group_id) {
    if (gate == nullptr) return false;
    return gate->CanRead(tx, shop_id, *post.group_id, viewer);
  }
  return true;
}

Result<PostRow> VisiblePost(store::Transaction& tx, std::int64_t shop_id, std::int64_t post_id,
                            std::optional<std::int64_t> viewer, GroupGate* gate) {
  PLAZA_ASSIGN_OR_RETURN(std::optional<PostRow> row, FindPost(tx, shop_id, post_id));
  if (!row) return Error::NotFound("no such post");
  PLAZA_ASSIGN_OR_RETURN(bool visible, MayView(tx, shop_id, *row, viewer, gate));
  if (!visible) return Error::NotFound("no such post");
  return std::move(*row);
}

Result<std::vector<Post>> LoadVisiblePosts(store::Transaction& tx, std::int64_t shop_id,
                                           const std::vector<std::int64_t>& ids, std::optional<std::int64_t> viewer,
                                           GroupGate* gate) {
  std::vector<std::int64_t> unique = ids;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  // MayView's block and follow look-ups, answered for every post of the chunk by two
  // columns of the one query; an anonymous viewer binds 0, which is nobody's id. The
  // unary + keeps SQLite from walking every post of the shop through an index that starts
  // with shop_id (its planner preferred social_posts_created to the id look-ups: 300 ms
  // instead of 0.1 ms a page at 1,000,000 posts); PostgreSQL reads it as the column.
  const std::int64_t me = viewer.value_or(0);
  const std::string columns =
      "SELECT " + std::string(kPostColumns) +
      ", CASE WHEN EXISTS (SELECT 1 FROM social_blocks b WHERE b.shop_id = p.shop_id AND b.blocker_id = p.author_id "
      "AND b.blocked_id = ?) THEN 1 ELSE 0 END, CASE WHEN EXISTS (SELECT 1 FROM social_follows f WHERE f.shop_id = "
      "p.shop_id AND f.follower_id = ? AND f.followee_id = p.author_id) THEN 1 ELSE 0 END" +
      std::string(kPostFrom) + " WHERE +p.shop_id = ? AND p.id IN (";
  constexpr std::size_t kBlocked = 15;
  constexpr std::size_t kFollowed = 16;
  std::vector<Post> visible;
  std::map<std::int64_t, bool> group_readable;
  for (std::size_t start = 0; start < unique.size(); start += kLoadChunk) {
    const std::size_t count = std::min(kLoadChunk, unique.size() - start);
    std::vector<store::Param> params{me, me, shop_id};
    params.reserve(count + 3);
    for (std::size_t i = start; i < start + count; ++i) params.emplace_back(unique[i]);
    PLAZA_ASSIGN_OR_RETURN(store::QueryResult result, tx.Execute(columns + ParamList(count) + ")", params));
    std::vector<Post> chunk;
    chunk.reserve(result.rows.size());
    for (const store::Row& row : result.rows) {
      PostRow post_row = ReadPostRow(row);
      const Post& post = post_row.post;
      const bool is_author = viewer && *viewer == post.author.id;
      if (post.visibility == ContentVisibility::kHeld && !is_author) continue;
      if (post.visibility == ContentVisibility::kHidden || post.visibility == ContentVisibility::kRemoved) continue;
      if (viewer && !is_author && row.Bool(kBlocked)) continue;
      if (post_row.author_private && !is_author && !(viewer && row.Bool(kFollowed))) continue;
      if (post.group_id) {
        if (gate == nullptr) continue;
        auto known = group_readable.find(*post.group_id);
        if (known == group_readable.end()) {
          PLAZA_ASSIGN_OR_RETURN(bool may_read, gate->CanRead(tx, shop_id, *post.group_id, viewer));
          known = group_readable.emplace(*post.group_id, may_read).first;
        }
        if (!known->second) continue;
      }
      chunk.push_back(std::move(post_row.post));
    }
    PLAZA_TRY(Hydrate(tx, shop_id, chunk, viewer));
    for (Post& post : chunk) visible.push_back(std::move(post));
  }
  std::unordered_map<std::int64_t, std::size_t> loaded;
  for (std::size_t i = 0; i < visible.size(); ++i) loaded.emplace(visible[i].id, i);
  std::vector<Post> out;
  out.reserve(ids.size());
  std::unordered_map<std::int64_t, std::size_t> placed;
  for (const std::int64_t id : ids) {
    if (const auto again = placed.find(id); again != placed.end()) {
      Post copy = out[again->second];
      out.push_back(std::move(copy));
      continue;
    }
    const auto found = loaded.find(id);
    if (found == loaded.end()) continue;
    placed.emplace(id, out.size());
    out.push_back(std::move(visible[found->second]));
  }
  return out;
}

Result<std::vector<ProfileRef>> StoreMentions(store::Transaction& tx, std::int64_t shop_id,
                                              std::string_view subject_kind, std::int64_t subject_id,
                                              std::int64_t author, std::string_view text) {
  std::vector<ProfileRef> out;
  for (const std::string& handle : ParseMentions(text)) {
    PLAZA_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("SELECT p.id, p.handle, p.display_name, p.avatar_url FROM social_profiles p WHERE p.shop_id = ? "
                    "AND p.handle_key = ? AND NOT EXISTS (SELECT 1 FROM social_blocks b WHERE b.shop_id = p.shop_id "
                    "AND b.blocker_id = p.id AND b.blocked_id = ?)",
                    {shop_id, Lower(handle), author}));
    if (!row) continue;
    ProfileRef ref{row->Int(0), row->Text(1), row->Text(2), row->OptionalText(3)};
    PLAZA_TRY(
        tx.Execute("INSERT INTO social_mentions (shop_id, subject_kind, subject_id, position, profile_id) "
                   "VALUES (?, ?, ?, ?, ?)",
                   {shop_id, subject_kind, subject_id, static_cast<std::int64_t>(out.size()), ref.id}));
    out.push_back(std::move(ref));
  }
  return out;
}

Result<std::map<std::int64_t, std::vector<ProfileRef>>> LoadMentions(store::Transaction& tx, std::int64_t shop_id,
                                                                     std::string_view subject_kind,
                                                                     const std::vector<std::int64_t>& subject_ids) {
  std::map<std::int64_t, std::vector<ProfileRef>> out;
  if (subject_ids.empty()) return out;
  std::vector<store::Param> params = IdParams(shop_id, subject_ids);
  params.emplace_back(subject_kind);
  PLAZA_ASSIGN_OR_RETURN(
      store::QueryResult result,
      tx.Execute("SELECT m.subject_id, p.id, p.handle, p.display_name, p.avatar_url FROM social_mentions m JOIN "
                 "social_profiles p ON p.shop_id = m.shop_id AND p.id = m.profile_id WHERE m.shop_id = ? AND "
                 "m.subject_id IN (" +
                     ParamList(subject_ids.size()) +
                     ") AND m.subject_kind = ? "
                     "ORDER BY m.subject_id, m.position",
                 params));
  for (const store::Row& row : result.rows) {
    out[row.Int(0)].push_back(ProfileRef{row.Int(1), row.Text(2), row.Text(3), row.OptionalText(4)});
  }
  return out;
}

Status NotifyIfVisible(store::Transaction& tx, std::int64_t shop_id, NotificationService& notifications,
                       const PostRow& post, GroupGate* gate, std::int64_t recipient, NewNotification notification) {
  PLAZA_ASSIGN_OR_RETURN(bool visible, MayView(tx, shop_id, post, recipient, gate));
  if (!visible) return Ok();
  notification.recipient_profile_id = recipient;
  return notifications.Notify(tx, shop_id, notification);
}

// Links as trust levels count them: every web address in the text.
int CountLinks(std::string_view text) {
  int links = 0;
  for (std::string_view scheme : {"http://", "https://", "www."}) {
    for (std::size_t pos = text.find(scheme); pos != std::string_view::npos; pos = text.find(scheme, pos + 1)) {
      // "https://www.x" is one link, not two.
      if (scheme == "www." && pos >= 2 && text.substr(pos - 2, 2) == "//") continue;
      ++links;
    }
  }
  return links;
}

Result<Moderated> Moderate(store::Transaction& tx, moderation::ModerationService* moderation, std::int64_t shop_id,
                           std::int64_t author, moderation::Activity activity, std::string_view text, int images) {
  Moderated out{std::string(text), ContentVisibility::kVisible};
  if (moderation == nullptr) return out;
  PLAZA_TRY(moderation->AdmitActivity(tx, shop_id, author, activity,
                                      moderation::ActivityShape{.links = CountLinks(text), .images = images}));
  if (text.empty()) return out;
  PLAZA_ASSIGN_OR_RETURN(moderation::Screening screening, moderation->ScreenText(tx, shop_id, text));
  out.text = std::move(screening.text);
  if (screening.verdict == moderation::Screening::Verdict::kHold) out.visibility = ContentVisibility::kHeld;
  return out;
}

Status FlagIfHeld(store::Transaction& tx, moderation::ModerationService* moderation, std::int64_t shop_id,
                  const Moderated& moderated, moderation::ContentKind kind, std::int64_t id) {
  if (moderation == nullptr || moderated.visibility != ContentVisibility::kHeld) return Ok();
  return moderation->FlagForReview(tx, shop_id, moderation::ContentRef{kind, id}, "keyword rule");
}

constexpr std::string_view kCursorPrefix = "s1:";

std::string EncodeCursor(std::int64_t id) {
  return text::HexEncode(text::AsBytes(std::string(kCursorPrefix) + std::to_string(id)));
}

Result<std::optional<std::int64_t>> DecodeCursor(std::string_view cursor) {
  if (cursor.empty()) return std::optional<std::int64_t>();
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
  return std::optional<std::int64_t>(std::stoll(digits));
}

Status ValidatePage(const PageRequest& page) {
  if (page.limit < 1 || page.limit > kMaxPageSize) {
    return Error::Invalid("validation/range", "limit must be between 1 and " + std::to_string(kMaxPageSize), "limit");
  }
  return Ok();
}

}  // namespace internal

// ---- names and parsing ----

std::string_view ContentVisibilityName(ContentVisibility visibility) {
  switch (visibility) {
    case ContentVisibility::kVisible:
      return "visible";
    case ContentVisibility::kHeld:
      return "held";
    case ContentVisibility::kHidden:
      return "hidden";
    case ContentVisibility::kRemoved:
      return "removed";
  }
  return "removed";
}

std::optional<ContentVisibility> ParseContentVisibility(std::string_view name) {
  for (ContentVisibility v : {ContentVisibility::kVisible, ContentVisibility::kHeld, ContentVisibility::kHidden,
                              ContentVisibility::kRemoved}) {
    if (ContentVisibilityName(v) == name) return v;
  }
  return std::nullopt;
}

std::string_view TagStateName(TagState state) {
  switch (state) {
    case TagState::kAvailable:
      return "available";
    case TagState::kArchived:
      return "archived";
    case TagState::kUnavailable:
      return "unavailable";
    case TagState::kMissing:
      return "missing";
  }
  return "missing";
}

std::optional<std::string> NormalizeHashtag(std::string_view tag) {
  if (tag.starts_with('#')) tag.remove_prefix(1);
  if (tag.empty() || !text::IsValidUtf8(tag)) return std::nullopt;
  std::size_t count = 0;
  bool has_non_digit = false;
  for (std::size_t pos = 0; pos < tag.size();) {
    const char32_t c = text::NextCodePoint(tag, pos);
    if (!IsHashtagChar(c)) return std::nullopt;
    if (c < '0' || c > '9') has_non_digit = true;
    ++count;
  }
  // "#1" is a number, not a topic.
  if (count > kMaxHashtagLength || !has_non_digit) return std::nullopt;
  return Lower(tag);
}

std::vector<std::string> ParseHashtags(std::string_view text) {
  std::vector<std::string> out;
  if (!text::IsValidUtf8(text)) return out;
  char32_t previous = ' ';
  for (std::size_t pos = 0; pos < text.size() && out.size() < kMaxHashtags;) {
    const char32_t c = text::NextCodePoint(text, pos);
    // A '#' inside a word ("C#", "&#39;") does not start a hashtag.
    if (c == '#' && !IsHashtagChar(previous) && previous != '&' && previous != '#') {
      const std::size_t start = pos;
      std::size_t end = pos;
      while (end < text.size()) {
        std::size_t next = end;
        if (!IsHashtagChar(text::NextCodePoint(text, next))) break;
        end = next;
      }
      if (auto tag = NormalizeHashtag(text.substr(start, end - start))) {
        if (std::find(out.begin(), out.end(), *tag) == out.end()) out.push_back(std::move(*tag));
      }
      pos = end;
      previous = 'x';
      continue;
    }
    previous = c;
  }
  return out;
}

std::vector<std::string> ParseMentions(std::string_view text) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < text.size() && out.size() < kMaxMentions; ++i) {
    if (text[i] != '@') continue;
    // "ada@example.com" is an address, not a mention.
    if (i > 0 && (IsHandleChar(text[i - 1]) || text[i - 1] == '@')) continue;
    std::size_t end = i + 1;
    while (end < text.size() && IsHandleChar(text[end])) ++end;
    std::string_view handle = text.substr(i + 1, end - i - 1);
    // A sentence ending after a handle ("thanks @ada.") keeps its full stop.
    while (handle.ends_with('.')) handle.remove_suffix(1);
    i = end - 1;
    if (!ValidateHandle(handle).ok()) continue;
    if (seen.insert(Lower(handle)).second) out.emplace_back(handle);
  }
  return out;
}

Result<bool> CanView(store::Transaction& tx, std::int64_t shop_id, std::int64_t post_id,
                     std::optional<std::int64_t> viewer, GroupGate* gate) {
  PLAZA_ASSIGN_OR_RETURN(std::optional<internal::PostRow> row, internal::FindPost(tx, shop_id, post_id));
  if (!row) return false;
  return internal::MayView(tx, shop_id, *row, viewer, gate);
}

// ---- PostService ----

Result<Post> PostService::CreatePost(std::int64_t shop_id, std::int64_t author, const NewPost& input) {
  PLAZA_TRY(ValidateNewPost(input));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Post> {
    PLAZA_ASSIGN_OR_RETURN(
        auto me, tx.QueryOne("SELECT 1 FROM social_profiles WHERE shop_id = ? AND id = ?", {shop_id, author}));
    if (!me) return Error::NotFound("no such profile");
    PLAZA_ASSIGN_OR_RETURN(internal::Moderated moderated,
                           internal::Moderate(tx, moderation_, shop_id, author, moderation::Activity::kPost, input.text,
                                              static_cast<int>(input.media_ids.size())));
    if (!input.media_ids.empty()) {
      if (media_ == nullptr) {
        return Error::Invalid("social/media-unavailable", "images cannot be attached here", "/media_ids");
      }
      PLAZA_TRY(media_->GetOwned(tx, shop_id, input.media_ids, author, "/media_ids"));
    }
    if (input.group_id) {
      if (group_gate_ == nullptr) {
        return Error::Invalid("social/groups-unavailable", "this shop has no groups to post in", "/group_id");
      }
      PLAZA_TRY(group_gate_->CheckCanPost(tx, shop_id, *input.group_id, author));
    }
    PLAZA_TRY(CheckProductTags(tx, shop_id, input.products));
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("INSERT INTO social_posts (shop_id, author_id, body, group_id, "
                                                 "visibility, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                                 {shop_id, author, moderated.text, input.group_id,
                                                  ContentVisibilityName(moderated.visibility), ToUnixMillis(now)}));
    const std::int64_t post_id = row->Int(0);
    PLAZA_TRY(internal::FlagIfHeld(tx, moderation_, shop_id, moderated, moderation::ContentKind::kPost, post_id));
    for (std::size_t i = 0; i < input.media_ids.size(); ++i) {
      PLAZA_TRY(tx.Execute("INSERT INTO social_post_media (shop_id, post_id, position, media_id) VALUES (?, ?, ?, ?)",
                           {shop_id, post_id, static_cast<std::int64_t>(i), input.media_ids[i]}));
    }
    for (std::size_t i = 0; i < input.products.size(); ++i) {
      PLAZA_TRY(
          tx.Execute("INSERT INTO social_post_products (shop_id, post_id, position, product_id, variant_id) "
                     "VALUES (?, ?, ?, ?, ?)",
                     {shop_id, post_id, static_cast<std::int64_t>(i), input.products[i].product_id,
                      input.products[i].variant_id}));
    }
    PLAZA_ASSIGN_OR_RETURN(std::vector<ProfileRef> mentioned,
                           internal::StoreMentions(tx, shop_id, "post", post_id, author, moderated.text));
    PLAZA_TRY(StoreHashtags(tx, shop_id, post_id, moderated.text, now));
    PLAZA_ASSIGN_OR_RETURN(internal::PostRow stored, internal::VisiblePost(tx, shop_id, post_id, author, group_gate_));
    for (const ProfileRef& profile : mentioned) {
      PLAZA_TRY(internal::NotifyIfVisible(tx, shop_id, notifications_, stored, group_gate_, profile.id,
                                          NewNotification{.kind = NotificationKind::kMention,
                                                          .actor_profile_id = author,
                                                          .subject_kind = "post",
                                                          .subject_id = post_id,
                                                          .text = moderated.text}));
    }
    PLAZA_ASSIGN_OR_RETURN(Post post, LoadVisible(tx, shop_id, post_id, author, group_gate_));
    PLAZA_TRY(AppendPostEvent(tx, shop_id, "social.post.created", post, now));
    return post;
  });
}

Result<Post> PostService::GetPost(std::int64_t shop_id, std::int64_t post_id, std::optional<std::int64_t> viewer) {
  return db_.Read([&](store::Transaction& tx) { return LoadVisible(tx, shop_id, post_id, viewer, group_gate_); });
}

Result<std::vector<Post>> PostService::GetPosts(std::int64_t shop_id, const std::vector<std::int64_t>& post_ids,
                                                std::optional<std::int64_t> viewer) {
  return db_.Read(
      [&](store::Transaction& tx) { return internal::LoadVisiblePosts(tx, shop_id, post_ids, viewer, group_gate_); });
}

Status PostService::DeletePost(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(std::optional<internal::PostRow> row, internal::FindPost(tx, shop_id, post_id));
    // Someone else's post reads as absent: nobody learns which ids exist by deleting.
    if (!row || row->post.author.id != actor) return Error::NotFound("no such post");
    PLAZA_TRY(
        tx.Execute("UPDATE social_hashtags SET post_count = post_count - 1 WHERE shop_id = ? AND id IN (SELECT "
                   "hashtag_id FROM social_post_hashtags WHERE shop_id = ? AND post_id = ?)",
                   {shop_id, shop_id, post_id}));
    PLAZA_TRY(
        tx.Execute("DELETE FROM social_mentions WHERE shop_id = ? AND subject_kind = 'comment' AND subject_id IN "
                   "(SELECT id FROM social_comments WHERE shop_id = ? AND post_id = ?)",
                   {shop_id, shop_id, post_id}));
    PLAZA_TRY(tx.Execute("DELETE FROM social_mentions WHERE shop_id = ? AND subject_kind = 'post' AND subject_id = ?",
                         {shop_id, post_id}));
    PLAZA_TRY(tx.Execute("DELETE FROM social_posts WHERE shop_id = ? AND id = ?", {shop_id, post_id}));
    return AppendPostEvent(tx, shop_id, "social.post.deleted", row->post, now);
  });
}

Result<PostPage> PostService::ListProfilePosts(std::int64_t shop_id, std::string_view handle,
                                               std::optional<std::int64_t> viewer, const PageRequest& page) {
  return db_.Read([&](store::Transaction& tx) -> Result<PostPage> {
    bool visible = false;
    PLAZA_ASSIGN_OR_RETURN(std::int64_t author, ProfileIdByHandle(tx, shop_id, handle, viewer, &visible));
    if (!visible) {
      return Error{ErrorCode::kPermissionDenied,
                   "social/private-profile",
                   "@" + std::string(handle) + " is private; only approved followers see their posts",
                   {}};
    }
    return PageOfPosts(tx, shop_id, "", "AND p.author_id = ? AND p.group_id IS NULL", {author}, viewer, page);
  });
}

Result<PostPage> PostService::ListHashtagPosts(std::int64_t shop_id, std::string_view tag,
                                               std::optional<std::int64_t> viewer, const PageRequest& page) {
  const std::optional<std::string> normalized = NormalizeHashtag(tag);
  if (!normalized) {
    return Error::Invalid("social/invalid-hashtag", "a hashtag is letters, digits and '_', not only digits", "tag");
  }
  return db_.Read([&](store::Transaction& tx) -> Result<PostPage> {
    return PageOfPosts(tx, shop_id,
                       " JOIN social_post_hashtags ph ON ph.shop_id = p.shop_id AND ph.post_id = p.id"
                       " JOIN social_hashtags h ON h.shop_id = ph.shop_id AND h.id = ph.hashtag_id",
                       "AND h.tag = ? AND p.group_id IS NULL", {*normalized}, viewer, page);
  });
}

Result<PostPage> PostService::ListGroupPosts(std::int64_t shop_id, std::int64_t group_id,
                                             std::optional<std::int64_t> viewer, const PageRequest& page) {
  return db_.Read([&](store::Transaction& tx) -> Result<PostPage> {
    if (group_gate_ == nullptr) return Error::NotFound("no such group");
    PLAZA_ASSIGN_OR_RETURN(bool may_read, group_gate_->CanRead(tx, shop_id, group_id, viewer));
    if (!may_read) return Error::NotFound("no such group");
    return PageOfPosts(tx, shop_id, "", "AND p.group_id = ?", {group_id}, viewer, page);
  });
}

Result<Post> PostService::Like(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id) {
  const TimePoint now = clock_.Now();
  // Everyone liking one popular post updates its row; queueing them behind each other
  // avoids rounds of serialization failures on PostgreSQL.
  const std::int64_t keys[] = {store::QueueKey("social/post", shop_id, post_id)};
  return db_.WriteQueued(keys, [&](store::Transaction& tx) -> Result<Post> {
    PLAZA_ASSIGN_OR_RETURN(internal::PostRow row, internal::VisiblePost(tx, shop_id, post_id, actor, group_gate_));
    PLAZA_ASSIGN_OR_RETURN(auto liked, tx.QueryOne("SELECT 1 FROM social_post_likes WHERE shop_id = ? AND post_id = ? "
                                                   "AND profile_id = ?",
                                                   {shop_id, post_id, actor}));
    if (!liked) {
      PLAZA_TRY(
          tx.Execute("INSERT INTO social_post_likes (shop_id, post_id, profile_id, created_at) VALUES (?, ?, ?, ?)",
                     {shop_id, post_id, actor, ToUnixMillis(now)}));
      PLAZA_TRY(tx.Execute("UPDATE social_posts SET like_count = like_count + 1 WHERE shop_id = ? AND id = ?",
                           {shop_id, post_id}));
      PLAZA_TRY(notifications_.Notify(tx, shop_id,
                                      NewNotification{.recipient_profile_id = row.post.author.id,
                                                      .kind = NotificationKind::kLike,
                                                      .actor_profile_id = actor,
                                                      .subject_kind = "post",
                                                      .subject_id = post_id,
                                                      .text = row.post.text}));
    }
    return LoadVisible(tx, shop_id, post_id, actor, group_gate_);
  });
}

Result<Post> PostService::Unlike(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id) {
  const std::int64_t keys[] = {store::QueueKey("social/post", shop_id, post_id)};
  return db_.WriteQueued(keys, [&](store::Transaction& tx) -> Result<Post> {
    PLAZA_TRY(internal::VisiblePost(tx, shop_id, post_id, actor, group_gate_));
    PLAZA_ASSIGN_OR_RETURN(
        store::QueryResult removed,
        tx.Execute("DELETE FROM social_post_likes WHERE shop_id = ? AND post_id = ? AND profile_id = ?",
                   {shop_id, post_id, actor}));
    if (removed.affected_rows > 0) {
      PLAZA_TRY(tx.Execute("UPDATE social_posts SET like_count = like_count - 1 WHERE shop_id = ? AND id = ?",
                           {shop_id, post_id}));
    }
    return LoadVisible(tx, shop_id, post_id, actor, group_gate_);
  });
}

Result<Post> PostService::Save(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id) {
  const TimePoint now = clock_.Now();
  const std::int64_t keys[] = {store::QueueKey("social/post", shop_id, post_id)};
  return db_.WriteQueued(keys, [&](store::Transaction& tx) -> Result<Post> {
    PLAZA_TRY(internal::VisiblePost(tx, shop_id, post_id, actor, group_gate_));
    PLAZA_ASSIGN_OR_RETURN(auto saved, tx.QueryOne("SELECT 1 FROM social_post_saves WHERE shop_id = ? AND post_id = ? "
                                                   "AND profile_id = ?",
                                                   {shop_id, post_id, actor}));
    if (!saved) {
      PLAZA_TRY(
          tx.Execute("INSERT INTO social_post_saves (shop_id, post_id, profile_id, created_at) VALUES (?, ?, ?, ?)",
                     {shop_id, post_id, actor, ToUnixMillis(now)}));
      PLAZA_TRY(tx.Execute("UPDATE social_posts SET save_count = save_count + 1 WHERE shop_id = ? AND id = ?",
                           {shop_id, post_id}));
    }
    return LoadVisible(tx, shop_id, post_id, actor, group_gate_);
  });
}

Result<Post> PostService::Unsave(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id) {
  const std::int64_t keys[] = {store::QueueKey("social/post", shop_id, post_id)};
  return db_.WriteQueued(keys, [&](store::Transaction& tx) -> Result<Post> {
    PLAZA_TRY(internal::VisiblePost(tx, shop_id, post_id, actor, group_gate_));
    PLAZA_ASSIGN_OR_RETURN(
        store::QueryResult removed,
        tx.Execute("DELETE FROM social_post_saves WHERE shop_id = ? AND post_id = ? AND profile_id = ?",
                   {shop_id, post_id, actor}));
    if (removed.affected_rows > 0) {
      PLAZA_TRY(tx.Execute("UPDATE social_posts SET save_count = save_count - 1 WHERE shop_id = ? AND id = ?",
                           {shop_id, post_id}));
    }
    return LoadVisible(tx, shop_id, post_id, actor, group_gate_);
  });
}

Result<PostPage> PostService::ListSaves(std::int64_t shop_id, std::int64_t actor, const PageRequest& page) {
  PLAZA_TRY(internal::ValidatePage(page));
  return db_.Read([&](store::Transaction& tx) -> Result<PostPage> {
    PLAZA_ASSIGN_OR_RETURN(std::optional<std::int64_t> after, internal::DecodeCursor(page.cursor));
    std::int64_t cursor = after.value_or(std::numeric_limits<std::int64_t>::max());
    const auto limit = static_cast<std::size_t>(page.limit);
    PostPage out;
    bool exhausted = false;
    // Saves of posts the actor may no longer see are skipped; reading on in batches keeps
    // a page full however many of them there are.
    while (!exhausted && out.posts.size() < limit) {
      PLAZA_ASSIGN_OR_RETURN(
          store::QueryResult saves,
          tx.Execute("SELECT id, post_id FROM social_post_saves WHERE shop_id = ? AND profile_id = ? "
                     "AND id < ? ORDER BY id DESC LIMIT ?",
                     {shop_id, actor, cursor, static_cast<std::int64_t>(limit)}));
      exhausted = saves.rows.size() < limit;
      for (const store::Row& save : saves.rows) {
        cursor = save.Int(0);
        PLAZA_ASSIGN_OR_RETURN(std::optional<internal::PostRow> row, internal::FindPost(tx, shop_id, save.Int(1)));
        if (!row) continue;
        PLAZA_ASSIGN_OR_RETURN(bool visible, internal::MayView(tx, shop_id, *row, actor, group_gate_));
        if (!visible) continue;
        out.posts.push_back(std::move(row->post));
        if (out.posts.size() == limit) break;
      }
    }
    if (out.posts.size() == limit) {
      PLAZA_ASSIGN_OR_RETURN(auto more, tx.QueryOne("SELECT 1 FROM social_post_saves WHERE shop_id = ? AND "
                                                    "profile_id = ? AND id < ?",
                                                    {shop_id, actor, cursor}));
      if (more) out.next_cursor = internal::EncodeCursor(cursor);
    }
    PLAZA_TRY(Hydrate(tx, shop_id, out.posts, actor));
    return out;
  });
}

Result<Share> PostService::SharePost(std::int64_t shop_id, std::int64_t actor, std::int64_t post_id,
                                     std::string_view channel) {
  const std::string on = channel.empty() ? "link" : std::string(channel);
  if (!IsSlug(on)) {
    return Error::Invalid("social/invalid-channel",
                          "the channel is a short lower-case name such as \"whatsapp\" (a–z, 0–9, '_' and '-')",
                          "/channel");
  }
  const TimePoint now = clock_.Now();
  const std::int64_t keys[] = {store::QueueKey("social/post", shop_id, post_id)};
  return db_.WriteQueued(keys, [&](store::Transaction& tx) -> Result<Share> {
    PLAZA_TRY(internal::VisiblePost(tx, shop_id, post_id, actor, group_gate_));
    PLAZA_ASSIGN_OR_RETURN(
        auto sharer, tx.QueryOne("SELECT handle FROM social_profiles WHERE shop_id = ? AND id = ?", {shop_id, actor}));
    if (!sharer) return Error::NotFound("no such profile");
    PLAZA_ASSIGN_OR_RETURN(auto inserted,
                           tx.QueryOne("INSERT INTO social_post_shares (shop_id, post_id, profile_id, channel, "
                                       "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                       {shop_id, post_id, actor, on, ToUnixMillis(now)}));
    PLAZA_TRY(tx.Execute("UPDATE social_posts SET share_count = share_count + 1 WHERE shop_id = ? AND id = ?",
                         {shop_id, post_id}));
    Share share;
    share.id = inserted->Int(0);
    share.post_id = post_id;
    share.channel = on;
    // Handles and slugs are URL-safe by construction, so nothing needs escaping.
    const std::string id = std::to_string(post_id);
    share.path = "/posts/" + id + "?utm_source=" + on + "&utm_medium=social&utm_campaign=post_share&utm_content=post_" +
                 id + "&ref=" + sharer->Text(0);
    return share;
  });
}

}  // namespace plaza::social
