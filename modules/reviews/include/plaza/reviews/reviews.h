#pragma once
// Product reviews: 1–5 stars, a title and text, photos, by a signed-in customer's social
// profile, one per customer and product (submitting again edits it). docs/reviews.md
// states the rules; in short:
//
//  * "Verified buyer" only when the author's customer has a delivered order line of the
//    product (orders/purchases.h); the review links that order.
//  * An incentivised review (free product, discount) carries its disclosure flag, which
//    every answer returns so pages show it.
//  * Staff holding care.reply reply as the merchant; the reply is audited.
//  * The rating of a product and of each variant (count, average in tenths, histogram)
//    counts visible reviews only and changes in the transaction that changes a review,
//    so it always equals the reviews it summarises.
//  * Fake-review signals (a burst on one product, an author with no order, a near-copy
//    of a recent review, a new account) are stored with the review for moderators.
//
// Every function takes the shop and filters by it: another shop's review is absent.
// Thread-safety: a ReviewService may be used from any number of threads at once.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/identity/permissions.h"
#include "plaza/reviews/content.h"
#include "plaza/store/database.h"

namespace plaza::media {
class MediaService;
}
namespace plaza::social {
class NotificationService;
class ProfileService;
}  // namespace plaza::social

namespace plaza::reviews {

// Bounds on what a review may hold, so outside input cannot grow a row without limit.
inline constexpr std::size_t kMaxTitleLength = 150;   // code points
inline constexpr std::size_t kMaxBodyLength = 5000;   // code points
inline constexpr std::size_t kMaxReplyLength = 2000;  // code points
inline constexpr std::size_t kMaxPhotos = 6;

struct ReviewReply {
  std::string text{};
  std::string staff{};  // the replying staff member's actor label, for staff screens
  TimePoint replied_at{};
};

struct Review {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::int64_t product_id = 0;
  std::optional<std::int64_t> variant_id{};
  std::int64_t author_profile_id = 0;
  int rating = 0;  // 1 … 5
  std::string title{};
  std::string body{};  // plain text as written; encoders escape it
  std::vector<std::int64_t> media_ids{};
  bool incentivised = false;               // the author disclosed an incentive
  bool verified_buyer = false;             // linked to a delivered order line of the product
  std::optional<std::int64_t> order_id{};  // that order, when verified
  Visibility visibility = Visibility::kVisible;
  std::vector<std::string> signals{};  // fake-review signals, for moderators
  std::optional<ReviewReply> reply{};
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct ReviewInput {
  std::int64_t product_id = 0;
  // The variant reviewed; when absent, a verified buyer's review takes the variant bought.
  std::optional<std::int64_t> variant_id{};
  int rating = 0;
  std::string title{};
  std::string body{};
  std::vector<std::int64_t> media_ids{};
  bool incentivised = false;
};

enum class ReviewSort { kNewest, kHighest, kLowest };
std::string_view ReviewSortName(ReviewSort sort);  // "newest", "highest", "lowest"
std::optional<ReviewSort> ParseReviewSort(std::string_view name);

struct ReviewQuery {
  std::int64_t product_id = 0;
  std::optional<std::int64_t> variant_id{};
  std::optional<int> rating{};                      // only reviews with these stars
  std::optional<std::int64_t> viewer_profile_id{};  // sees their own held review too
  ReviewSort sort = ReviewSort::kNewest;
  PageRequest page{};
};

struct StaffReviewQuery {
  std::optional<std::int64_t> product_id{};
  std::optional<Visibility> visibility{};
  bool flagged_only = false;  // reviews with at least one fake-review signal
  bool unreplied_only = false;
  PageRequest page{};  // newest first
};

struct ReviewPage {
  std::vector<Review> reviews{};
  std::string next_cursor{};  // empty on the last page
};

// A product's (variant_id absent) or one variant's rating over its visible reviews.
struct RatingSummary {
  std::int64_t product_id = 0;
  std::optional<std::int64_t> variant_id{};
  std::int64_t count = 0;
  // The mean in tenths of a star, rounded half up (43 is 4.3); 0 when count is 0.
  std::int64_t average_tenths = 0;
  std::array<std::int64_t, 5> histogram{};  // histogram[0] counts 1-star reviews
};

// Thresholds of the fake-review signals. Each is a bound a merchant may tune; the
// defaults flag what a person would find suspicious without flagging a normal launch.
struct ReviewOptions {
  // "burst": this many reviews (the new one included) on one product within the window.
  int burst_count = 5;
  std::chrono::milliseconds burst_window = std::chrono::hours(1);
  // "new-account": the author's profile is younger than this.
  std::chrono::milliseconds new_account_age = std::chrono::hours(24 * 7);
  // "near-duplicate": Jaccard similarity, in percent, of word 3-shingles of the
  // normalised text with one of the product's most recent reviews by someone else.
  int duplicate_percent = 80;
  // How many recent reviews of the product the text is compared with: bounds the work
  // one submission costs.
  int duplicate_window = 50;
};

// The fake-review signals `text` raises against `recent` texts, in percent; exposed for
// tests and for the moderation screens that explain a flag. Normalisation lower-cases
// ASCII letters and reduces every run of non-alphanumeric bytes to one space, so
// punctuation and spacing tricks do not hide a copy.
int NearDuplicatePercent(std::string_view a, std::string_view b);

class ReviewService {
 public:
  // Everything must outlive the service.
  ReviewService(store::Database& db, const Clock& clock, social::ProfileService& profiles, media::MediaService& media,
                social::NotificationService& notifications, moderation::ModerationService& moderation,
                ReviewOptions options = {});

  // Creates the author's review of the product, or edits it when one exists (the
  // product stays; rating, text, photos, variant and disclosure change). Verified-buyer
  // status and signals are worked out again on every submission. A new review is an
  // Activity::kReview for moderation's bans, rate limits and trust levels (an edit only
  // checks the ban: it is not new content); every submission's
  // texts pass the shop's keyword rules: masked, or held for a moderator; held reviews
  // and reviews with signals enter the moderation queue. Errors: moderation's refusals; kNotFound for
  // an unknown product or profile; "validation/range" ("/rating"), "validation/too-long"
  // ("/title", "/body"), "reviews/unknown-variant" ("/variant_id"), "reviews/too-many-photos"
  // ("/media_ids"), "media/not-found" ("/media_ids/i": a photo of the shop the author did
  // not upload), "reviews/removed" (kConflict) when a moderator removed the review.
  Result<Review> SubmitReview(std::int64_t shop_id, std::int64_t author_profile_id, const ReviewInput& input);

  // A review as `viewer` may see it: kNotFound unless visible, or held and the viewer's.
  Result<Review> GetReview(std::int64_t shop_id, std::int64_t review_id, std::optional<std::int64_t> viewer);
  // The author's review of a product, whatever its visibility; kNotFound when none.
  Result<Review> ReviewOf(std::int64_t shop_id, std::int64_t author_profile_id, std::int64_t product_id);
  // A product's reviews. Errors: "reviews/invalid-cursor" ("/cursor").
  Result<ReviewPage> ListReviews(std::int64_t shop_id, const ReviewQuery& query);

  Result<RatingSummary> GetRating(std::int64_t shop_id, std::int64_t product_id,
                                  std::optional<std::int64_t> variant_id = std::nullopt);
  // Ratings of several products at once (a collection page); products without a visible
  // review are left out. At most kMaxPageSize ids.
  Result<std::vector<RatingSummary>> GetRatings(std::int64_t shop_id, const std::vector<std::int64_t>& product_ids);

  // Staff (care.reply) reply as the merchant; replying again replaces the reply, an empty
  // text removes it. Audited ("review.replied"); the author is notified (review_reply).
  // kNotFound for another shop's review.
  Result<Review> Reply(const identity::Principal& staff, std::int64_t shop_id, std::int64_t review_id,
                       std::string_view text);
  // Every review of the shop whatever its visibility, newest first (care.reply).
  Result<ReviewPage> ListForStaff(const identity::Principal& staff, std::int64_t shop_id,
                                  const StaffReviewQuery& query);

  // For moderation: the review's visibility changes and the ratings follow in the same
  // transaction. kNotFound when the shop has no such review. REQUIRES: a write transaction.
  Status SetVisibility(store::Transaction& tx, std::int64_t shop_id, std::int64_t review_id, Visibility visibility);
  // For moderation: the review in the caller's transaction, whatever its visibility.
  Result<Review> LoadReview(store::Transaction& tx, std::int64_t shop_id, std::int64_t review_id);

 private:
  store::Database& db_;
  const Clock& clock_;
  social::ProfileService& profiles_;
  media::MediaService& media_;
  social::NotificationService& notifications_;
  moderation::ModerationService& moderation_;
  ReviewOptions options_;
};

}  // namespace plaza::reviews
