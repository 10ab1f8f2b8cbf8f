#include "plaza/reviews/reviews.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <set>

#include "plaza/catalog/catalog.h"
#include "plaza/core/text.h"
#include "plaza/identity/audit.h"
#include "plaza/media/media.h"
#include "plaza/orders/purchases.h"
#include "plaza/social/notifications.h"
#include "plaza/social/profiles.h"
#include "text_rules.h"

namespace plaza::reviews {
namespace {

constexpr std::string_view kReviewColumns =
    "id, shop_id, product_id, variant_id, author_profile_id, rating, title, body, media_ids, incentivised, "
    "verified_buyer, order_id, visibility, signals, reply_text, reply_staff, replied_at, created_at, updated_at";

std::string JoinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

std::string JoinWith(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += "; ";
    out += item;
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

std::string JoinIds(const std::vector<std::int64_t>& ids) {
  std::vector<std::string> items;
  items.reserve(ids.size());
  for (const std::int64_t id : ids) items.push_back(std::to_string(id));
  return JoinLines(items);
}

std::vector<std::int64_t> SplitIds(const std::string& text) {
  std::vector<std::int64_t> ids;
  for (const std::string& item : SplitLines(text)) ids.push_back(std::stoll(item));
  return ids;
}

Review ReadReview(const store::Row& row) {
  Review review;
  review.id = row.Int(0);
  review.shop_id = row.Int(1);
  review.product_id = row.Int(2);
  review.variant_id = row.OptionalInt(3);
  review.author_profile_id = row.Int(4);
  review.rating = static_cast<int>(row.Int(5));
  review.title = row.Text(6);
  review.body = row.Text(7);
  review.media_ids = SplitIds(row.Text(8));
  review.incentivised = row.Bool(9);
  review.verified_buyer = row.Bool(10);
  review.order_id = row.OptionalInt(11);
  review.visibility = ParseVisibility(row.Text(12)).value_or(Visibility::kHeld);
  review.signals = SplitLines(row.Text(13));
  if (const auto reply = row.OptionalText(14)) {
    review.reply = ReviewReply{
        .text = *reply, .staff = row.Text(15), .replied_at = FromUnixMillis(row.OptionalInt(16).value_or(0))};
  }
  review.created_at = FromUnixMillis(row.Int(17));
  review.updated_at = FromUnixMillis(row.Int(18));
  return review;
}

Error ReviewNotFound() {
  Error error = Error::NotFound("no such review");
  error.type = "reviews/not-found";
  return error;
}

// Adds (sign 1) or takes away (sign -1) one review's stars from the product's rating and,
// when it names one, its variant's. Taking away updates in place: the row exists, since
// the review was added to it, and an upsert would check its negative values first.
Status ApplyRating(store::Transaction& tx, std::int64_t shop_id, std::int64_t product_id,
                   std::optional<std::int64_t> variant_id, int rating, int sign) {
  std::vector<std::int64_t> rows = {0};
  if (variant_id) rows.push_back(*variant_id);
  const std::string stars_column = "stars_" + std::to_string(rating);
  for (const std::int64_t variant : rows) {
    if (sign < 0) {
      PLAZA_TRY(tx.Execute("UPDATE reviews_ratings SET review_count = review_count - 1, rating_sum = rating_sum - ?, " +
                               stars_column + " = " + stars_column +
                               " - 1 WHERE shop_id = ? AND product_id = ? AND variant_id = ?",
                           {rating, shop_id, product_id, variant}));
      continue;
    }
    std::vector<store::Param> params = {shop_id, product_id, variant, rating};
    for (int stars = 1; stars <= 5; ++stars) params.emplace_back(stars == rating ? 1 : 0);
    PLAZA_TRY(
        tx.Execute("INSERT INTO reviews_ratings (shop_id, product_id, variant_id, review_count, rating_sum,"
                   " stars_1, stars_2, stars_3, stars_4, stars_5) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?)"
                   " ON CONFLICT (shop_id, product_id, variant_id) DO UPDATE SET"
                   " review_count = reviews_ratings.review_count + 1,"
                   " rating_sum = reviews_ratings.rating_sum + excluded.rating_sum,"
                   " stars_1 = reviews_ratings.stars_1 + excluded.stars_1,"
                   " stars_2 = reviews_ratings.stars_2 + excluded.stars_2,"
                   " stars_3 = reviews_ratings.stars_3 + excluded.stars_3,"
                   " stars_4 = reviews_ratings.stars_4 + excluded.stars_4,"
                   " stars_5 = reviews_ratings.stars_5 + excluded.stars_5",
                   params));
  }
  return Ok();
}

Status AddContribution(store::Transaction& tx, const Review& review, int sign) {
  if (review.visibility != Visibility::kVisible) return Ok();
  return ApplyRating(tx, review.shop_id, review.product_id, review.variant_id, review.rating, sign);
}

RatingSummary ReadRating(const store::Row& row) {
  RatingSummary summary;
  summary.product_id = row.Int(0);
  const std::int64_t variant = row.Int(1);
  if (variant != 0) summary.variant_id = variant;
  summary.count = row.Int(2);
  const std::int64_t sum = row.Int(3);
  for (std::size_t stars = 0; stars < 5; ++stars) summary.histogram[stars] = row.Int(4 + stars);
  // Half up in integers: (sum * 10 / count) rounded = (20 * sum + count) / (2 * count).
  summary.average_tenths = summary.count == 0 ? 0 : (20 * sum + summary.count) / (2 * summary.count);
  return summary;
}

constexpr std::string_view kRatingColumns =
    "product_id, variant_id, review_count, rating_sum, stars_1, stars_2, stars_3, stars_4, stars_5";

// Lower-cased ASCII, every run of anything but letters and digits (bytes of non-ASCII
// letters count as letters) one space.
std::vector<std::string> NormalisedWords(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || byte >= 0x80) {
      current += static_cast<char>(std::tolower(byte));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

// Word 3-shingles; a text shorter than three words is one shingle of all its words.
std::set<std::string> Shingles(std::string_view text) {
  constexpr std::size_t kShingle = 3;
  const std::vector<std::string> words = NormalisedWords(text);
  std::set<std::string> shingles;
  if (words.empty()) return shingles;
  const std::size_t size = std::min(kShingle, words.size());
  for (std::size_t start = 0; start + size <= words.size(); ++start) {
    std::string shingle;
    for (std::size_t i = start; i < start + size; ++i) {
      if (i > start) shingle += ' ';
      shingle += words[i];
    }
    shingles.insert(std::move(shingle));
  }
  return shingles;
}

int Jaccard(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() || b.empty()) return 0;
  std::size_t common = 0;
  for (const std::string& shingle : a) common += b.count(shingle);
  const std::size_t all = a.size() + b.size() - common;
  return static_cast<int>(common * 100 / all);
}

std::string ReviewText(std::string_view title, std::string_view body) {
  return std::string(title) + "\n" + std::string(body);
}

Result<std::vector<std::string>> FakeReviewSignals(store::Transaction& tx, const ReviewOptions& options,
                                                   std::int64_t shop_id, const social::Profile& author,
                                                   const ReviewInput& input, TimePoint now) {
  std::vector<std::string> signals;
  const std::int64_t window_start = ToUnixMillis(now) - options.burst_window.count();
  PLAZA_ASSIGN_OR_RETURN(const auto recent,
                         tx.QueryOne("SELECT COUNT(*) FROM reviews_reviews WHERE shop_id = ? AND product_id = ?"
                                     " AND created_at >= ? AND author_profile_id <> ?",
                                     {shop_id, input.product_id, window_start, author.id}));
  const std::int64_t in_window = (recent ? recent->Int(0) : 0) + 1;
  if (in_window >= options.burst_count) {
    signals.push_back("burst: " + std::to_string(in_window) + " reviews of this product within " +
                      std::to_string(options.burst_window.count() / 60'000) + " minutes");
  }
  std::int64_t orders = 0;
  if (author.customer_id) {
    PLAZA_ASSIGN_OR_RETURN(orders, orders::CountOrdersOf(tx, shop_id, *author.customer_id));
  }
  if (orders == 0) signals.emplace_back("no-order: the author has no order in this shop");

  const std::set<std::string> mine = Shingles(ReviewText(input.title, input.body));
  PLAZA_ASSIGN_OR_RETURN(const auto others,
                         tx.Execute("SELECT id, title, body FROM reviews_reviews WHERE shop_id = ? AND product_id = ?"
                                    " AND author_profile_id <> ? ORDER BY created_at DESC, id DESC LIMIT ?",
                                    {shop_id, input.product_id, author.id, options.duplicate_window}));
  for (const store::Row& row : others.rows) {
    const int percent = Jaccard(mine, Shingles(ReviewText(row.Text(1), row.Text(2))));
    if (percent >= options.duplicate_percent) {
      signals.push_back("near-duplicate: " + std::to_string(percent) + "% the same words as review " +
                        std::to_string(row.Int(0)));
      break;
    }
  }
  const auto age = now - author.created_at;
  if (age < options.new_account_age) {
    signals.push_back("new-account: the profile is " +
                      std::to_string(std::chrono::duration_cast<std::chrono::hours>(age).count()) + " hours old");
  }
  return signals;
}

Status ValidateInput(const ReviewInput& input) {
  if (input.rating < 1 || input.rating > 5) {
    return Error::Invalid("validation/range", "the rating is from 1 to 5 stars", "/rating");
  }
  PLAZA_TRY(internal::ValidateText(input.title, "/title", "the title", 0, kMaxTitleLength));
  PLAZA_TRY(internal::ValidateText(input.body, "/body", "the review", 0, kMaxBodyLength));
  if (input.media_ids.size() > kMaxPhotos) {
    return Error::Invalid("reviews/too-many-photos",
                          "a review may show at most " + std::to_string(kMaxPhotos) + " photos", "/media_ids");
  }
  for (std::size_t i = 0; i < input.media_ids.size(); ++i) {
    const std::string field = "/media_ids/" + std::to_string(i);
    if (input.media_ids[i] <= 0) return Error::Invalid("reviews/unknown-photo", "no such photo", field);
    for (std::size_t j = 0; j < i; ++j) {
      if (input.media_ids[j] == input.media_ids[i]) {
        return Error::Invalid("reviews/duplicate-photo", "the same photo is attached twice", field);
      }
    }
  }
  return Ok();
}

struct Cursor {
  int rating = 0;
  std::int64_t id = 0;
};

std::string FormatCursor(ReviewSort sort, const Review& last) {
  if (sort == ReviewSort::kNewest) return std::to_string(last.id);
  return std::to_string(last.rating) + "." + std::to_string(last.id);
}

Result<Cursor> ParseCursor(ReviewSort sort, std::string_view text) {
  const Error invalid = Error::Invalid("reviews/invalid-cursor", "the cursor does not come from this list", "/cursor");
  auto parse = [](std::string_view digits, std::int64_t& out) {
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return ec == std::errc() && end == digits.data() + digits.size() && out > 0;
  };
  Cursor cursor;
  if (sort == ReviewSort::kNewest) {
    if (!parse(text, cursor.id)) return invalid;
    return cursor;
  }
  const std::size_t dot = text.find('.');
  std::int64_t rating = 0;
  if (dot == std::string_view::npos || !parse(text.substr(0, dot), rating) || rating > 5 ||
      !parse(text.substr(dot + 1), cursor.id)) {
    return invalid;
  }
  cursor.rating = static_cast<int>(rating);
  return cursor;
}

int PageLimit(int limit) {
  return std::clamp(limit, 1, kMaxPageSize);
}

}  // namespace

std::string_view ReviewSortName(ReviewSort sort) {
  switch (sort) {
    case ReviewSort::kNewest:
      return "newest";
    case ReviewSort::kHighest:
      return "highest";
    case ReviewSort::kLowest:
      return "lowest";
  }
  return "newest";
}

std::optional<ReviewSort> ParseReviewSort(std::string_view name) {
  for (const ReviewSort sort : {ReviewSort::kNewest, ReviewSort::kHighest, ReviewSort::kLowest}) {
    if (ReviewSortName(sort) == name) return sort;
  }
  return std::nullopt;
}

int NearDuplicatePercent(std::string_view a, std::string_view b) {
  return Jaccard(Shingles(a), Shingles(b));
}

ReviewService::ReviewService(store::Database& db, const Clock& clock, social::ProfileService& profiles,
                             media::MediaService& media, social::NotificationService& notifications,
                             moderation::ModerationService& moderation, ReviewOptions options)
    : db_(db),
      clock_(clock),
      profiles_(profiles),
      media_(media),
      notifications_(notifications),
      moderation_(moderation),
      options_(options) {}

Result<Review> ReviewService::LoadReview(store::Transaction& tx, std::int64_t shop_id, std::int64_t review_id) {
  PLAZA_ASSIGN_OR_RETURN(const auto row, tx.QueryOne("SELECT " + std::string(kReviewColumns) +
                                                         " FROM reviews_reviews WHERE shop_id = ? AND id = ?",
                                                     {shop_id, review_id}));
  if (!row) return ReviewNotFound();
  return ReadReview(*row);
}

Result<Review> ReviewService::SubmitReview(std::int64_t shop_id, std::int64_t author_profile_id,
                                           const ReviewInput& input) {
  PLAZA_TRY(ValidateInput(input));
  PLAZA_ASSIGN_OR_RETURN(const social::Profile author, profiles_.GetProfile(shop_id, author_profile_id));
  const TimePoint now = clock_.Now();
  const std::int64_t key = store::QueueKey("reviews/product", shop_id, input.product_id);
  return db_.WriteQueued(std::span<const std::int64_t>(&key, 1), [&](store::Transaction& tx) -> Result<Review> {
    PLAZA_ASSIGN_OR_RETURN(const catalog::Product product, catalog::GetProduct(tx, shop_id, input.product_id));
    if (input.variant_id &&
        std::none_of(product.variants.begin(), product.variants.end(),
                     [&](const catalog::Variant& variant) { return variant.id == *input.variant_id; })) {
      return Error::Invalid("reviews/unknown-variant", "the product has no such variant", "/variant_id");
    }
    if (!input.media_ids.empty()) {
      PLAZA_ASSIGN_OR_RETURN(const auto photos,
                             media_.GetOwned(tx, shop_id, input.media_ids, author_profile_id, "/media_ids"));
      (void)photos;  // checked to be the author's own uploads in this shop; the ids are what is stored
    }
    PLAZA_ASSIGN_OR_RETURN(const auto existing_row,
                           tx.QueryOne("SELECT " + std::string(kReviewColumns) +
                                           " FROM reviews_reviews WHERE shop_id = ? AND product_id = ?"
                                           " AND author_profile_id = ?",
                                       {shop_id, input.product_id, author_profile_id}));
    std::optional<Review> existing;
    if (existing_row) existing = ReadReview(*existing_row);
    if (existing && existing->visibility == Visibility::kRemoved) {
      return Error::Conflict("reviews/removed", "a moderator removed your review of this product; it cannot be edited");
    }
    if (existing) {
      // An edit is not new content, so it does not count against the rate limits; a
      // banned author still may not change what others read.
      PLAZA_ASSIGN_OR_RETURN(const moderation::TrustStatus trust, moderation_.Trust(tx, shop_id, author_profile_id));
      if (trust.ban) {
        Error error = Error::Forbidden("you are banned from posting in this shop");
        error.type = "moderation/banned";
        return error;
      }
    } else {
      PLAZA_TRY(
          moderation_.AdmitActivity(tx, shop_id, author_profile_id, moderation::Activity::kReview,
                                    {.links = internal::CountLinks(input.title) + internal::CountLinks(input.body),
                                     .images = static_cast<int>(input.media_ids.size())}));
    }

    Review review;
    review.shop_id = shop_id;
    review.product_id = input.product_id;
    review.variant_id = input.variant_id;
    review.author_profile_id = author_profile_id;
    review.rating = input.rating;
    review.media_ids = input.media_ids;
    review.incentivised = input.incentivised;
    review.visibility = existing ? existing->visibility : Visibility::kVisible;
    PLAZA_ASSIGN_OR_RETURN(const moderation::Screening title, moderation_.ScreenText(tx, shop_id, input.title));
    PLAZA_ASSIGN_OR_RETURN(const moderation::Screening body, moderation_.ScreenText(tx, shop_id, input.body));
    review.title = title.text;
    review.body = body.text;
    std::vector<std::string> held_by =
        title.verdict == moderation::Screening::Verdict::kHold ? title.matched : std::vector<std::string>{};
    if (body.verdict == moderation::Screening::Verdict::kHold) {
      held_by.insert(held_by.end(), body.matched.begin(), body.matched.end());
    }
    if (!held_by.empty() && review.visibility == Visibility::kVisible) review.visibility = Visibility::kHeld;
    if (author.customer_id) {
      PLAZA_ASSIGN_OR_RETURN(const auto lines,
                             orders::DeliveredLinesOf(tx, shop_id, *author.customer_id, input.product_id));
      const orders::DeliveredLine* link = lines.empty() ? nullptr : &lines.front();
      for (const orders::DeliveredLine& line : lines) {
        if (input.variant_id && line.variant_id == *input.variant_id) {
          link = &line;
          break;
        }
      }
      if (link != nullptr) {
        review.verified_buyer = true;
        review.order_id = link->order_id;
        if (!review.variant_id) review.variant_id = link->variant_id;
      }
    }
    PLAZA_ASSIGN_OR_RETURN(review.signals, FakeReviewSignals(tx, options_, shop_id, author, input, now));

    if (existing) {
      PLAZA_TRY(AddContribution(tx, *existing, -1));
      PLAZA_TRY(
          tx.Execute("UPDATE reviews_reviews SET variant_id = ?, rating = ?, title = ?, body = ?, media_ids = ?,"
                     " incentivised = ?, verified_buyer = ?, order_id = ?, visibility = ?, signals = ?,"
                     " updated_at = ? WHERE shop_id = ? AND id = ?",
                     {review.variant_id, review.rating, review.title, review.body, JoinIds(review.media_ids),
                      review.incentivised, review.verified_buyer, review.order_id, VisibilityName(review.visibility),
                      JoinLines(review.signals), ToUnixMillis(now), shop_id, existing->id}));
      review.id = existing->id;
    } else {
      PLAZA_ASSIGN_OR_RETURN(
          const auto inserted,
          tx.QueryOne(
              "INSERT INTO reviews_reviews (shop_id, product_id, variant_id, author_profile_id, rating, title,"
              " body, media_ids, incentivised, verified_buyer, order_id, visibility, signals, created_at,"
              " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
              {shop_id, review.product_id, review.variant_id, author_profile_id, review.rating, review.title,
               review.body, JoinIds(review.media_ids), review.incentivised, review.verified_buyer, review.order_id,
               VisibilityName(review.visibility), JoinLines(review.signals), ToUnixMillis(now), ToUnixMillis(now)}));
      review.id = inserted->Int(0);
    }
    PLAZA_TRY(AddContribution(tx, review, 1));
    const moderation::ContentRef ref{.kind = moderation::ContentKind::kReview, .id = review.id};
    if (!held_by.empty()) PLAZA_TRY(moderation_.FlagForReview(tx, shop_id, ref, "keyword rule: " + JoinWith(held_by)));
    if (!review.signals.empty()) {
      PLAZA_TRY(moderation_.FlagForReview(tx, shop_id, ref, "fake-review signals: " + JoinWith(review.signals)));
    }
    return LoadReview(tx, shop_id, review.id);
  });
}

Result<Review> ReviewService::GetReview(std::int64_t shop_id, std::int64_t review_id,
                                        std::optional<std::int64_t> viewer) {
  PLAZA_ASSIGN_OR_RETURN(Review review,
                         db_.Read([&](store::Transaction& tx) { return LoadReview(tx, shop_id, review_id); }));
  const bool own_held = review.visibility == Visibility::kHeld && viewer && *viewer == review.author_profile_id;
  if (review.visibility != Visibility::kVisible && !own_held) return ReviewNotFound();
  return review;
}

Result<Review> ReviewService::ReviewOf(std::int64_t shop_id, std::int64_t author_profile_id, std::int64_t product_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<Review> {
    PLAZA_ASSIGN_OR_RETURN(const auto row, tx.QueryOne("SELECT " + std::string(kReviewColumns) +
                                                           " FROM reviews_reviews WHERE shop_id = ? AND product_id = ?"
                                                           " AND author_profile_id = ?",
                                                       {shop_id, product_id, author_profile_id}));
    if (!row) return ReviewNotFound();
    return ReadReview(*row);
  });
}

Result<ReviewPage> ReviewService::ListReviews(std::int64_t shop_id, const ReviewQuery& query) {
  std::optional<Cursor> cursor;
  if (!query.page.cursor.empty()) {
    PLAZA_ASSIGN_OR_RETURN(cursor, ParseCursor(query.sort, query.page.cursor));
  }
  if (query.rating && (*query.rating < 1 || *query.rating > 5)) {
    return Error::Invalid("validation/range", "the rating filter is from 1 to 5 stars", "/rating");
  }
  const int limit = PageLimit(query.page.limit);
  std::string sql = "SELECT " + std::string(kReviewColumns) +
                    " FROM reviews_reviews WHERE shop_id = ? AND product_id = ?"
                    " AND (visibility = 'visible' OR (visibility = 'held' AND author_profile_id = ?))";
  std::vector<store::Param> params = {shop_id, query.product_id, query.viewer_profile_id};
  if (query.variant_id) {
    sql += " AND variant_id = ?";
    params.emplace_back(*query.variant_id);
  }
  if (query.rating) {
    sql += " AND rating = ?";
    params.emplace_back(*query.rating);
  }
  switch (query.sort) {
    case ReviewSort::kNewest:
      if (cursor) {
        sql += " AND id < ?";
        params.emplace_back(cursor->id);
      }
      sql += " ORDER BY id DESC";
      break;
    case ReviewSort::kHighest:
      if (cursor) {
        sql += " AND (rating < ? OR (rating = ? AND id < ?))";
        params.insert(params.end(), {cursor->rating, cursor->rating, cursor->id});
      }
      sql += " ORDER BY rating DESC, id DESC";
      break;
    case ReviewSort::kLowest:
      if (cursor) {
        sql += " AND (rating > ? OR (rating = ? AND id < ?))";
        params.insert(params.end(), {cursor->rating, cursor->rating, cursor->id});
      }
      sql += " ORDER BY rating ASC, id DESC";
      break;
  }
  sql += " LIMIT ?";
  params.emplace_back(limit + 1);
  PLAZA_ASSIGN_OR_RETURN(const auto result, db_.Read([&](store::Transaction& tx) { return tx.Execute(sql, params); }));
  ReviewPage page;
  for (const store::Row& row : result.rows) page.reviews.push_back(ReadReview(row));
  if (page.reviews.size() > static_cast<std::size_t>(limit)) {
    page.reviews.pop_back();
    page.next_cursor = FormatCursor(query.sort, page.reviews.back());
  }
  return page;
}

Result<RatingSummary> ReviewService::GetRating(std::int64_t shop_id, std::int64_t product_id,
                                               std::optional<std::int64_t> variant_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<RatingSummary> {
    PLAZA_ASSIGN_OR_RETURN(const auto row, tx.QueryOne("SELECT " + std::string(kRatingColumns) +
                                                           " FROM reviews_ratings WHERE shop_id = ? AND product_id = ?"
                                                           " AND variant_id = ?",
                                                       {shop_id, product_id, variant_id.value_or(0)}));
    if (!row) return RatingSummary{.product_id = product_id, .variant_id = variant_id};
    return ReadRating(*row);
  });
}

Result<std::vector<RatingSummary>> ReviewService::GetRatings(std::int64_t shop_id,
                                                             const std::vector<std::int64_t>& product_ids) {
  if (product_ids.empty()) return std::vector<RatingSummary>{};
  if (product_ids.size() > static_cast<std::size_t>(kMaxPageSize)) {
    return Error::Invalid("validation/range", "ask for at most " + std::to_string(kMaxPageSize) + " products at once",
                          "/product_ids");
  }
  std::vector<store::Param> params = {shop_id};
  for (const std::int64_t id : product_ids) params.emplace_back(id);
  PLAZA_ASSIGN_OR_RETURN(const auto result, db_.Read([&](store::Transaction& tx) {
    return tx.Execute("SELECT " + std::string(kRatingColumns) +
                          " FROM reviews_ratings WHERE shop_id = ? AND variant_id = 0 AND review_count > 0"
                          " AND product_id IN (" +
                          store::Placeholders(product_ids.size()) + ") ORDER BY product_id",
                      params);
  }));
  std::vector<RatingSummary> ratings;
  ratings.reserve(result.rows.size());
  for (const store::Row& row : result.rows) ratings.push_back(ReadRating(row));
  return ratings;
}

Result<Review> ReviewService::Reply(const identity::Principal& staff, std::int64_t shop_id, std::int64_t review_id,
                                    std::string_view text) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kCareReply));
  PLAZA_TRY(internal::ValidateText(text, "/text", "the reply", 0, kMaxReplyLength));
  const bool removing = text::TrimAscii(text).empty();
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Review> {
    PLAZA_ASSIGN_OR_RETURN(const Review review, LoadReview(tx, shop_id, review_id));
    if (removing) {
      PLAZA_TRY(
          tx.Execute("UPDATE reviews_reviews SET reply_text = NULL, reply_staff = NULL, replied_at = NULL"
                     " WHERE shop_id = ? AND id = ?",
                     {shop_id, review.id}));
    } else {
      PLAZA_TRY(tx.Execute(
          "UPDATE reviews_reviews SET reply_text = ?, reply_staff = ?, replied_at = ? WHERE shop_id = ? AND id = ?",
          {text, staff.ActorLabel(), ToUnixMillis(now), shop_id, review.id}));
    }
    const boost::json::object details{{"product_id", review.product_id}, {"removed", removing}};
    PLAZA_TRY(identity::AppendAudit(
        tx, identity::AuditBy(staff, removing ? "review.reply_removed" : "review.replied",
                              "review:" + std::to_string(review.id), boost::json::serialize(details), now)));
    if (!removing) {
      PLAZA_TRY(notifications_.Notify(tx, shop_id,
                                      {.recipient_profile_id = review.author_profile_id,
                                       .kind = social::NotificationKind::kReviewReply,
                                       .subject_kind = "review",
                                       .subject_id = review.id,
                                       .text = std::string(text)}));
    }
    return LoadReview(tx, shop_id, review.id);
  });
}

Result<ReviewPage> ReviewService::ListForStaff(const identity::Principal& staff, std::int64_t shop_id,
                                               const StaffReviewQuery& query) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kCareReply));
  std::optional<Cursor> cursor;
  if (!query.page.cursor.empty()) {
    PLAZA_ASSIGN_OR_RETURN(cursor, ParseCursor(ReviewSort::kNewest, query.page.cursor));
  }
  const int limit = PageLimit(query.page.limit);
  std::string sql = "SELECT " + std::string(kReviewColumns) + " FROM reviews_reviews WHERE shop_id = ?";
  std::vector<store::Param> params = {shop_id};
  if (query.product_id) {
    sql += " AND product_id = ?";
    params.emplace_back(*query.product_id);
  }
  if (query.visibility) {
    sql += " AND visibility = ?";
    params.emplace_back(VisibilityName(*query.visibility));
  }
  if (query.flagged_only) sql += " AND signals <> ''";
  if (query.unreplied_only) sql += " AND reply_text IS NULL";
  if (cursor) {
    sql += " AND id < ?";
    params.emplace_back(cursor->id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(limit + 1);
  PLAZA_ASSIGN_OR_RETURN(const auto result, db_.Read([&](store::Transaction& tx) { return tx.Execute(sql, params); }));
  ReviewPage page;
  for (const store::Row& row : result.rows) page.reviews.push_back(ReadReview(row));
  if (page.reviews.size() > static_cast<std::size_t>(limit)) {
    page.reviews.pop_back();
    page.next_cursor = FormatCursor(ReviewSort::kNewest, page.reviews.back());
  }
  return page;
}

Status ReviewService::SetVisibility(store::Transaction& tx, std::int64_t shop_id, std::int64_t review_id,
                                    Visibility visibility) {
  PLAZA_ASSIGN_OR_RETURN(Review review, LoadReview(tx, shop_id, review_id));
  if (review.visibility == visibility) return Ok();
  PLAZA_TRY(AddContribution(tx, review, -1));
  PLAZA_TRY(tx.Execute("UPDATE reviews_reviews SET visibility = ?, updated_at = ? WHERE shop_id = ? AND id = ?",
                       {VisibilityName(visibility), ToUnixMillis(clock_.Now()), shop_id, review_id}));
  review.visibility = visibility;
  return AddContribution(tx, review, 1);
}

}  // namespace plaza::reviews
