#include "plaza/social/feeds.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <queue>
#include <unordered_set>

#include "plaza/core/text.h"
#include "plaza/orders/purchases.h"
#include "posts_internal.h"

namespace plaza::social {
namespace {

// Timeline and product cursors name the last post id shown ("f1:<id>"); discovery
// cursors name the moment its ranking was computed and how many posts were shown
// ("d1:<unix ms>:<offset>"). Both are hex so clients treat them as opaque.
constexpr std::string_view kFeedCursor = "f1:";
constexpr std::string_view kDiscoveryCursor = "d1:";

Error InvalidCursor() {
  return Error::Invalid("social/invalid-cursor", "the cursor is not one this feed handed out", "cursor");
}

std::string Hex(const std::string& text) {
  return text::HexEncode(text::AsBytes(text));
}

bool ParseDigits(std::string_view digits, std::int64_t& out) {
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  out = std::stoll(std::string(digits));
  return true;
}

// The decoded text of `cursor` after `prefix`, or an error.
Result<std::string> Unwrap(std::string_view cursor, std::string_view prefix) {
  if (cursor.size() > 96) return InvalidCursor();
  const auto bytes = text::HexDecode(cursor);
  if (!bytes) return InvalidCursor();
  std::string decoded(bytes->begin(), bytes->end());
  if (!decoded.starts_with(prefix)) return InvalidCursor();
  return decoded.substr(prefix.size());
}

Result<std::int64_t> DecodeFeedCursor(std::string_view cursor) {
  if (cursor.empty()) return std::numeric_limits<std::int64_t>::max();
  PLAZA_ASSIGN_OR_RETURN(std::string body, Unwrap(cursor, kFeedCursor));
  std::int64_t id = 0;
  if (!ParseDigits(body, id)) return InvalidCursor();
  return id;
}

struct DiscoveryPosition {
  TimePoint as_of{};
  std::int64_t offset = 0;
};

Result<std::optional<DiscoveryPosition>> DecodeDiscoveryCursor(std::string_view cursor) {
  if (cursor.empty()) return std::optional<DiscoveryPosition>();
  PLAZA_ASSIGN_OR_RETURN(std::string body, Unwrap(cursor, kDiscoveryCursor));
  const std::size_t colon = body.find(':');
  std::int64_t as_of = 0;
  std::int64_t offset = 0;
  if (colon == std::string::npos || !ParseDigits(std::string_view(body).substr(0, colon), as_of) ||
      !ParseDigits(std::string_view(body).substr(colon + 1), offset) || offset > kDiscoveryCandidates) {
    return InvalidCursor();
  }
  return std::optional<DiscoveryPosition>(DiscoveryPosition{FromUnixMillis(as_of), offset});
}

Status ValidateLimit(const PageRequest& page) {
  if (page.limit < 1 || page.limit > kMaxPageSize) {
    return Error::Invalid("validation/range", "limit must be between 1 and " + std::to_string(kMaxPageSize), "limit");
  }
  return Ok();
}

// Post ids of one page selected by `sql`, whose last parameter is the row limit: one
// more than the page is asked for, to know whether another page follows.
struct IdPage {
  std::vector<std::int64_t> ids;
  bool more = false;
};

Result<IdPage> SelectIds(store::Transaction& tx, const std::string& sql, std::vector<store::Param> params, int limit) {
  params.emplace_back(static_cast<std::int64_t>(limit) + 1);
  PLAZA_ASSIGN_OR_RETURN(store::QueryResult result, tx.Execute(sql, params));
  IdPage page;
  for (const store::Row& row : result.rows) {
    if (page.ids.size() == static_cast<std::size_t>(limit)) {
      page.more = true;
      break;
    }
    page.ids.push_back(row.Int(0));
  }
  return page;
}

// The page of `ids` as `viewer` sees it, read in the transaction that selected them. The
// selection already applied the rule of posts.h; LoadVisiblePosts applies it again, so a
// feed's SQL cannot show more than GetPost would.
Result<PostPage> LoadPage(store::Transaction& tx, std::int64_t shop_id, const IdPage& ids,
                          std::optional<std::int64_t> viewer, GroupGate* gate) {
  PostPage out;
  PLAZA_ASSIGN_OR_RETURN(out.posts, internal::LoadVisiblePosts(tx, shop_id, ids.ids, viewer, gate));
  if (ids.more) out.next_cursor = Hex(std::string(kFeedCursor) + std::to_string(ids.ids.back()));
  return out;
}

struct Candidate {
  std::int64_t id = 0;
  std::int64_t author = 0;
  double score = 0;
};

// Orders candidates best first, each further post of an author weighted down by
// kAuthorRepeatFactor per post of theirs already placed. Greedy over a heap holding each
// author's best remaining post; ties go to the newer post, so the order is total.
std::vector<std::int64_t> RankWithDiversity(std::vector<Candidate> candidates) {
  auto better = [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.id > b.id;
  };
  std::sort(candidates.begin(), candidates.end(), better);
  std::map<std::int64_t, std::vector<Candidate>> by_author;  // each author's posts, best last
  for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) by_author[it->author].push_back(*it);
  std::map<std::int64_t, int> placed;
  auto worse = [&](const Candidate& a, const Candidate& b) { return better(b, a); };
  std::priority_queue<Candidate, std::vector<Candidate>, decltype(worse)> heads(worse);
  for (auto& [author, posts] : by_author) {
    heads.push(posts.back());
    posts.pop_back();
  }
  std::vector<std::int64_t> ranked;
  ranked.reserve(candidates.size());
  while (!heads.empty()) {
    const Candidate head = heads.top();
    heads.pop();
    ranked.push_back(head.id);
    const int count = ++placed[head.author];
    std::vector<Candidate>& rest = by_author[head.author];
    if (rest.empty()) continue;
    Candidate next = rest.back();
    rest.pop_back();
    next.score *= std::pow(kAuthorRepeatFactor, count);
    heads.push(next);
  }
  return ranked;
}

}  // namespace

double DiscoveryScore(std::int64_t likes, std::int64_t comments, std::int64_t saves, std::int64_t shares,
                      TimePoint created_at, TimePoint now) {
  const double engagement = 1.0 + static_cast<double>(likes) + 2.0 * static_cast<double>(comments) +
                            2.0 * static_cast<double>(saves) + 3.0 * static_cast<double>(shares);
  const double age_hours =
      std::max<double>(0.0, static_cast<double>(ToUnixMillis(now) - ToUnixMillis(created_at)) / 3'600'000.0);
  return engagement / std::pow(age_hours + 2.0, 1.5);
}

Result<PostPage> FeedService::Timeline(std::int64_t shop_id, std::int64_t viewer, const PageRequest& page) {
  PLAZA_TRY(ValidateLimit(page));
  PLAZA_ASSIGN_OR_RETURN(std::int64_t before, DecodeFeedCursor(page.cursor));
  // Following implies neither side blocks the other (a block removes follows both ways)
  // and that a private author approved the viewer, so the rule of posts.h reduces to
  // moderation, groups and mutes here. Mutes are applied to the ~50 follows rather than
  // to the few hundred posts, and the followed authors' visible posts are read from the
  // partial index social_posts_timeline alone (feeds migration 3); only the viewer's own
  // held posts need the table. On PostgreSQL this took the id query from ~3 ms to
  // ~0.3 ms for a viewer whose follows hold 1,155 posts.
  //
  // PostgreSQL reads at most a page of each author, newest first (LATERAL … LIMIT): a few
  // prolific authors otherwise make it read and sort every post they ever wrote (4,895
  // index entries for a page of 20 on the benchmark's shop, against 504). SQLite has no
  // LATERAL; its plan reads each author's posts through the same index, and the unary +
  // keeps it off social_posts_group, which would walk every post outside groups newest
  // first (56 instead of 1,000 timelines a second on the benchmark's shop).
  static const std::string followed =
      "SELECT f.followee_id FROM social_follows f WHERE f.shop_id = ? AND f.follower_id = ? AND NOT EXISTS (SELECT 1 "
      "FROM social_mutes m WHERE m.shop_id = f.shop_id AND m.muter_id = f.follower_id AND m.muted_id = f.followee_id) ";
  static const std::string own_held =
      "UNION ALL SELECT p.id FROM social_posts p WHERE p.shop_id = ? AND p.author_id = ? AND p.id < ? AND "
      "+p.group_id IS NULL AND p.visibility = 'held' ORDER BY id DESC LIMIT ?";
  static const std::string sqlite_sql =
      "SELECT p.id FROM social_posts p WHERE p.shop_id = ? AND p.author_id IN (" + followed +
      "UNION ALL SELECT ?) AND p.id < ? AND +p.group_id IS NULL AND p.visibility = 'visible' " + own_held;
  static const std::string postgres_sql =
      "SELECT t.id FROM (" + followed +
      "UNION SELECT ?) a (author_id) CROSS JOIN LATERAL (SELECT p.id FROM social_posts p WHERE p.shop_id = ? AND "
      "p.author_id = a.author_id AND p.id < ? AND p.group_id IS NULL AND p.visibility = 'visible' ORDER BY p.id DESC "
      "LIMIT ?) t " +
      own_held;
  return db_.Read([&](store::Transaction& tx) -> Result<PostPage> {
    const bool sqlite = tx.dialect() == store::Dialect::kSqlite;
    const std::int64_t per_author = std::int64_t{page.limit} + 1;
    PLAZA_ASSIGN_OR_RETURN(
        IdPage ids,
        sqlite
            ? SelectIds(tx, sqlite_sql, {shop_id, shop_id, viewer, viewer, before, shop_id, viewer, before}, page.limit)
            : SelectIds(tx, postgres_sql,
                        {shop_id, viewer, viewer, shop_id, before, per_author, shop_id, viewer, before}, page.limit));
    // A profile outside the shop follows nobody in it and has no posts there, so only an
    // empty page needs the look-up that tells "no such profile" from "nothing yet".
    if (ids.ids.empty()) {
      PLAZA_ASSIGN_OR_RETURN(
          auto me, tx.QueryOne("SELECT 1 FROM social_profiles WHERE shop_id = ? AND id = ?", {shop_id, viewer}));
      if (!me) return Error::NotFound("no such profile");
    }
    return LoadPage(tx, shop_id, ids, viewer, posts_.group_gate());
  });
}

Result<PostPage> FeedService::Discovery(std::int64_t shop_id, std::optional<std::int64_t> viewer,
                                        const PageRequest& page) {
  PLAZA_TRY(ValidateLimit(page));
  PLAZA_ASSIGN_OR_RETURN(std::optional<DiscoveryPosition> position, DecodeDiscoveryCursor(page.cursor));
  const TimePoint as_of = position ? position->as_of : clock_.Now();
  const std::int64_t offset = position ? position->offset : 0;
  const std::int64_t me = viewer.value_or(0);
  static const std::string sql =
      "SELECT p.id, p.author_id, p.like_count, p.comment_count, p.save_count, p.share_count, p.created_at "
      "FROM social_posts p JOIN social_profiles a ON a.shop_id = p.shop_id AND a.id = p.author_id "
      "WHERE p.shop_id = ? AND p.created_at > ? AND p.created_at <= ? AND p.group_id IS NULL AND "
      "p.visibility = 'visible' AND a.is_private = 0 AND NOT EXISTS (SELECT 1 FROM social_blocks b WHERE "
      "b.shop_id = p.shop_id AND ((b.blocker_id = ? AND b.blocked_id = p.author_id) OR (b.blocker_id = p.author_id "
      "AND b.blocked_id = ?))) AND NOT EXISTS (SELECT 1 FROM social_mutes m WHERE m.shop_id = p.shop_id AND "
      "m.muter_id = ? AND m.muted_id = p.author_id) ORDER BY p.created_at DESC, p.id DESC LIMIT ?";
  return db_.Read([&](store::Transaction& tx) -> Result<PostPage> {
    PLAZA_ASSIGN_OR_RETURN(store::QueryResult result,
                           tx.Execute(sql, {shop_id, ToUnixMillis(as_of - kDiscoveryWindow), ToUnixMillis(as_of), me,
                                            me, me, std::int64_t{kDiscoveryCandidates}}));
    std::vector<Candidate> candidates;
    candidates.reserve(result.rows.size());
    for (const store::Row& row : result.rows) {
      candidates.push_back(
          {.id = row.Int(0),
           .author = row.Int(1),
           .score = DiscoveryScore(row.Int(2), row.Int(3), row.Int(4), row.Int(5), FromUnixMillis(row.Int(6)), as_of)});
    }
    const std::vector<std::int64_t> ranked = RankWithDiversity(std::move(candidates));
    const auto begin = std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(offset), std::ssize(ranked));
    const auto end = std::min<std::ptrdiff_t>(begin + page.limit, std::ssize(ranked));
    PostPage out;
    PLAZA_ASSIGN_OR_RETURN(
        out.posts,
        internal::LoadVisiblePosts(tx, shop_id, std::vector<std::int64_t>(ranked.begin() + begin, ranked.begin() + end),
                                   viewer, posts_.group_gate()));
    if (end < std::ssize(ranked)) {
      out.next_cursor =
          Hex(std::string(kDiscoveryCursor) + std::to_string(ToUnixMillis(as_of)) + ":" + std::to_string(end));
    }
    return out;
  });
}

Result<PostPage> FeedService::Hashtag(std::int64_t shop_id, std::string_view tag, std::optional<std::int64_t> viewer,
                                      const PageRequest& page) {
  return posts_.ListHashtagPosts(shop_id, tag, viewer, page);
}

Result<PostPage> FeedService::Product(std::int64_t shop_id, std::int64_t product_id, std::optional<std::int64_t> viewer,
                                      const PageRequest& page) {
  PLAZA_TRY(ValidateLimit(page));
  PLAZA_ASSIGN_OR_RETURN(std::int64_t before, DecodeFeedCursor(page.cursor));
  const std::int64_t me = viewer.value_or(0);
  // DISTINCT: a post may tag two variants of one product.
  static const std::string sql =
      "SELECT DISTINCT p.id FROM social_post_products pp JOIN social_posts p ON p.shop_id = pp.shop_id AND "
      "p.id = pp.post_id JOIN social_profiles a ON a.shop_id = p.shop_id AND a.id = p.author_id "
      "WHERE pp.shop_id = ? AND pp.product_id = ? AND pp.post_id < ? AND p.group_id IS NULL AND "
      "(p.visibility = 'visible' OR (p.visibility = 'held' AND p.author_id = ?)) AND (a.is_private = 0 OR a.id = ? "
      "OR EXISTS (SELECT 1 FROM social_follows f WHERE f.shop_id = p.shop_id AND f.follower_id = ? AND "
      "f.followee_id = a.id)) AND NOT EXISTS (SELECT 1 FROM social_blocks b WHERE b.shop_id = p.shop_id AND "
      "b.blocker_id = a.id AND b.blocked_id = ?) ORDER BY p.id DESC LIMIT ?";
  return db_.Read([&](store::Transaction& tx) -> Result<PostPage> {
    PLAZA_ASSIGN_OR_RETURN(IdPage ids, SelectIds(tx, sql, {shop_id, product_id, before, me, me, me, me}, page.limit));
    return LoadPage(tx, shop_id, ids, viewer, posts_.group_gate());
  });
}

Status FeedService::SetPurchaseSharing(std::int64_t shop_id, std::int64_t profile_id, bool share) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(
        auto profile, tx.QueryOne("SELECT 1 FROM social_profiles WHERE shop_id = ? AND id = ?", {shop_id, profile_id}));
    if (!profile) return Error::NotFound("no such profile");
    PLAZA_TRY(
        tx.Execute("DELETE FROM social_purchase_sharing WHERE shop_id = ? AND profile_id = ?", {shop_id, profile_id}));
    if (share) {
      PLAZA_TRY(tx.Execute("INSERT INTO social_purchase_sharing (shop_id, profile_id, created_at) VALUES (?, ?, ?)",
                           {shop_id, profile_id, ToUnixMillis(now)}));
    }
    return Ok();
  });
}

Result<bool> FeedService::PurchaseSharing(std::int64_t shop_id, std::int64_t profile_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<bool> {
    PLAZA_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT s.profile_id FROM social_profiles p LEFT JOIN social_purchase_sharing s ON "
                              "s.shop_id = p.shop_id AND s.profile_id = p.id WHERE p.shop_id = ? AND p.id = ?",
                              {shop_id, profile_id}));
    if (!row) return Error::NotFound("no such profile");
    return !row->IsNull(0);
  });
}

Result<SocialProof> FeedService::FollowedBuyers(std::int64_t shop_id, std::int64_t viewer, std::int64_t product_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<SocialProof> {
    PLAZA_ASSIGN_OR_RETURN(
        store::QueryResult sharing,
        tx.Execute("SELECT p.id, p.handle, p.display_name, p.avatar_url, p.customer_id FROM social_follows f "
                   "JOIN social_profiles p ON p.shop_id = f.shop_id AND p.id = f.followee_id "
                   "JOIN social_purchase_sharing s ON s.shop_id = p.shop_id AND s.profile_id = p.id "
                   "WHERE f.shop_id = ? AND f.follower_id = ? AND p.customer_id IS NOT NULL ORDER BY f.id DESC",
                   {shop_id, viewer}));
    SocialProof proof;
    if (sharing.rows.empty()) return proof;
    std::vector<std::int64_t> customers;
    customers.reserve(sharing.rows.size());
    for (const store::Row& row : sharing.rows) customers.push_back(row.Int(4));
    PLAZA_ASSIGN_OR_RETURN(std::vector<std::int64_t> paid,
                           orders::CustomersWhoPaidFor(tx, shop_id, product_id, customers));
    const std::unordered_set<std::int64_t> buyers(paid.begin(), paid.end());
    for (const store::Row& row : sharing.rows) {
      if (!buyers.contains(row.Int(4))) continue;
      ++proof.count;
      if (proof.examples.size() < kSocialProofExamples) {
        proof.examples.push_back(ProfileRef{
            .id = row.Int(0), .handle = row.Text(1), .display_name = row.Text(2), .avatar_url = row.OptionalText(3)});
      }
    }
    return proof;
  });
}

}  // namespace plaza::social
