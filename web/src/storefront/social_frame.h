#pragma once
// What every community page shares: the visitor's own profile, how a profile, a piece of
// user text and a post read on a page, and relative times. Posts, profiles, feeds,
// groups and ideas all render through these, so a post looks and behaves the same
// wherever it appears.
//
// Everything a customer wrote is hostile: it goes through the escaper, links in it carry
// rel="nofollow ugc", and images are only ever Plaza's own media paths (an avatar URL
// that is not one is not shown). The action forms of a post (like, save, share, comment,
// delete) post to /posts/{id}/... with the viewer's CSRF token and come back to
// `PostCardOptions::return_to` with a 303 (post_pages.cpp).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "../html.h"
#include "plaza/media/media.h"
#include "plaza/social/posts.h"
#include "plaza/social/profiles.h"
#include "plaza/social/tag_offers.h"
#include "plaza/web/pages.h"
#include "visit.h"

namespace plaza::web::storefront {

// The signed-in customer's community profile; nullopt for a visitor who is not signed
// in, a customer without a profile, or when it cannot be read. Looked up once per visit.
std::optional<social::Profile> ViewerProfile(const PageServices& services, const Visit& visit);

// The viewer's profile, or the redirect that gets them one (log in, then create a
// community profile), coming back to `back`.
std::variant<social::Profile, http::Response> MemberOrRedirect(const PageServices& services, const Visit& visit,
                                                               const std::string& back);

// The path to send a signed-in customer without a profile to, coming back to `next`.
std::string NewProfilePath(std::string_view next);
// The log-in page, coming back to `next` (a local path).
std::string LogInPath(std::string_view next);

// The avatar and name of a profile, linking /people/{handle}.
void ProfileChip(HtmlWriter& html, const social::ProfileRef& profile);
void ProfileChip(HtmlWriter& html, const social::Profile& profile);

// The path of an avatar when it is one of Plaza's own media renditions (absolute or not);
// nullopt for any other URL, which a page must not load.
std::optional<std::string> OwnMediaPath(std::string_view url);

// User-written text as paragraphs (a blank line starts one, a line break stays one):
// escaped, with @handle linking /people/{handle}, #tag linking /hashtags/{tag} and
// http(s) URLs as links with rel="nofollow ugc".
void UserText(HtmlWriter& html, std::string_view text);

// An error's detail as a sentence for a page: capital first letter, a full stop at the end.
std::string Sentence(std::string text);

// The first line of `text` when it is short enough for a search result's description,
// else `fallback`.
std::string ShortDescription(std::string_view text, std::string_view fallback);

// "just now", "5 min ago", "3 h ago", "2 days ago", then the date ("3 Nov 2026").
std::string RelativeTime(std::int64_t then_ms, std::int64_t now_ms);

// The same inside <time datetime="..."> for `at`, relative to the page's clock.
void TimeElement(HtmlWriter& html, TimePoint at, TimePoint now);

// One image from the media library: the smallest rendition at least `src_width` pixels
// wide as src (the largest when none is), all of them in srcset, width and height set.
void MediaImage(HtmlWriter& html, const media::MediaAsset& asset, std::string_view fallback_alt, std::string_view sizes,
                int src_width = 640);

// What the cards of some posts show besides the posts themselves: their images and the
// live offers of the tagged products in the visit's market.
struct PostExtras {
  std::unordered_map<std::int64_t, media::MediaAsset> media;
  social::TagOffers tags;
};

// Reads the extras of `posts` in one read transaction.
Result<PostExtras> LoadPostExtras(const PageServices& services, const Visit& visit,
                                  std::span<const social::Post> posts);

struct PostCardOptions {
  // Where the action forms come back to after their 303 (a local path with its query).
  std::string return_to = "/feed";
  // The post's own page shows the card without the link to itself and its heading as
  // the page's <h1>.
  bool on_post_page = false;
  // The heading level of the card's title on list pages (one <h1> per page).
  int heading_level = 2;
  // The viewer's profile id when the caller already knows it; otherwise it is looked up
  // for a signed-in customer (the author sees a delete form instead of "Report").
  std::optional<std::int64_t> viewer{};
};

// A post as an <article>: the author's chip, the time, the text, the images, the product
// tags with price, availability and "arrives by" in the visit's market (or why they are
// no longer sold), the counts and the actions (like, save, share, comment, report, and
// delete for the author). A held post says it awaits review.
void PostCard(HtmlWriter& html, const PageServices& services, const Visit& visit, const social::Post& post,
              const PostExtras& extras, const PostCardOptions& options);

// The same, reading the post's extras itself (a page that shows one post).
void PostCard(HtmlWriter& html, const PageServices& services, const Visit& visit, const social::Post& post,
              const PostCardOptions& options);

// Several posts as a list of cards, reading their extras in one transaction; `empty` is
// said when there are none.
void PostList(HtmlWriter& html, const PageServices& services, const Visit& visit, std::span<const social::Post> posts,
              const PostCardOptions& options, std::string_view empty);

}  // namespace plaza::web::storefront
