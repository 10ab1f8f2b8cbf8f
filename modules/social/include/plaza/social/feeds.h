#pragma once
// Feeds of a shop's social layer: the following timeline, the discovery feed, the
// hashtag and product ("from the community") feeds, and social proof on product pages
// ("3 people you follow bought this") from buyers who chose to share their purchases.
// docs/feeds.md explains the design (fan-out on read) and the ranking.
//
// Every function takes the shop and filters by it. `viewer` is a profile id the caller
// has resolved and authorised (ProfileService::ProfileOfCustomer); none means an
// anonymous visitor. Every feed shows only posts the viewer may see under the rule of
// posts.h, and only posts outside groups (a group's posts stay in the group).
//
// Thread-safety: a FeedService may be used from any number of threads at once.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/social/posts.h"
#include "plaza/social/profiles.h"
#include "plaza/store/database.h"

namespace plaza::social {

// Discovery ranks the newest kDiscoveryCandidates public posts of the last
// kDiscoveryWindow; older or later ones would need far more engagement to rank anyway.
inline constexpr std::chrono::hours kDiscoveryWindow{24 * 7};
inline constexpr int kDiscoveryCandidates = 1000;
// How many of the followed buyers SocialProof names.
inline constexpr std::size_t kSocialProofExamples = 3;

// The discovery score of one post at `now`: engagement (likes, then saves and comments
// twice, shares three times, plus one so a new post is not zero) divided by
// (age in hours + 2) ^ 1.5, so a post loses half its weight in its first few hours and
// keeps losing it. Public so pages and tests compute the same number.
double DiscoveryScore(std::int64_t likes, std::int64_t comments, std::int64_t saves, std::int64_t shares,
                      TimePoint created_at, TimePoint now);
// Each further post of an author already placed on the page counts this much less
// (multiplied per post), so one busy author cannot fill the feed.
inline constexpr double kAuthorRepeatFactor = 0.5;

// "N people you follow bought this": `count` followed profiles that share purchases and
// paid for the product; `examples` names up to kSocialProofExamples of them, most
// recently followed first.
struct SocialProof {
  std::int64_t count = 0;
  std::vector<ProfileRef> examples{};
};

class FeedService {
 public:
  // A feed selects a page of post ids and loads them in the same read transaction with
  // the batch loader behind PostService::GetPosts (tags, media and the viewer's likes),
  // which applies the visibility rule a second time; `posts` supplies the GroupGate.
  FeedService(store::Database& db, const Clock& clock, PostService& posts) : db_(db), clock_(clock), posts_(posts) {}

  // Posts of the profiles the viewer follows and the viewer's own, newest first, without
  // the profiles the viewer mutes. Computed when read (fan-out on read), so a follow,
  // unfollow, mute or block shows in the next page.
  Result<PostPage> Timeline(std::int64_t shop_id, std::int64_t viewer, const PageRequest& page);

  // Public posts of the last kDiscoveryWindow ranked by DiscoveryScore with author
  // diversity (kAuthorRepeatFactor), best first; ties go to the newer post. The ranking
  // is fixed when the first page is read: the cursor carries that moment, so later pages
  // continue the same ranking and the same clock always gives the same order. Leaves out
  // posts of profiles the viewer blocks, mutes or is blocked by.
  Result<PostPage> Discovery(std::int64_t shop_id, std::optional<std::int64_t> viewer, const PageRequest& page);

  // Posts carrying `tag`, newest first (PostService::ListHashtagPosts).
  Result<PostPage> Hashtag(std::int64_t shop_id, std::string_view tag, std::optional<std::int64_t> viewer,
                           const PageRequest& page);

  // Posts that tag `product_id` (any of its variants), newest first: the product page's
  // "from the community". An unknown product is an empty feed.
  Result<PostPage> Product(std::int64_t shop_id, std::int64_t product_id, std::optional<std::int64_t> viewer,
                           const PageRequest& page);

  // A profile's choice to let the profiles following it see what it bought (off until
  // turned on). kNotFound when the profile is not of the shop.
  Status SetPurchaseSharing(std::int64_t shop_id, std::int64_t profile_id, bool share);
  Result<bool> PurchaseSharing(std::int64_t shop_id, std::int64_t profile_id);

  // Who among the profiles the viewer follows paid for `product_id`, counting only
  // customers' profiles that share purchases (orders::CustomersWhoPaidFor).
  Result<SocialProof> FollowedBuyers(std::int64_t shop_id, std::int64_t viewer, std::int64_t product_id);

 private:
  store::Database& db_;
  const Clock& clock_;
  PostService& posts_;
};

}  // namespace plaza::social
