#include "social_frame.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <vector>

#include "../form.h"
#include "cart_view.h"
#include "catalog_view.h"
#include "plaza/core/free_text.h"
#include "plaza/core/text.h"
#include "safe_next.h"

namespace plaza::web::storefront {
namespace {

bool IsDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool IsTokenText(std::string_view text) {
  return !text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") ==
                              std::string_view::npos;
}

bool IsHandleChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

// Whether `c` may be part of a hashtag, by the module's own rule: a letter is one when a
// tag made of it is.
bool IsHashtagChar(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  std::string probe = "a";
  if (c < 0x800) {
    probe += static_cast<char>(0xC0 | (c >> 6));
    probe += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    probe += static_cast<char>(0xE0 | (c >> 12));
    probe += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    probe += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    probe += static_cast<char>(0xF0 | (c >> 18));
    probe += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    probe += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    probe += static_cast<char>(0x80 | (c & 0x3F));
  }
  return social::NormalizeHashtag(probe).has_value();
}

bool StartsWithUrl(std::string_view text) {
  const std::string head = text::ToLowerAscii(text.substr(0, 8));
  return head.starts_with("https://") || head.starts_with("http://");
}

bool EndsUrl(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '`';
}

// One line of user text with its links.
void InlineText(HtmlWriter& html, std::string_view line) {
  std::size_t plain_start = 0;
  char32_t previous = ' ';
  std::size_t pos = 0;
  const auto flush = [&](std::size_t until) { html.Text(line.substr(plain_start, until - plain_start)); };
  while (pos < line.size()) {
    const char c = line[pos];
    const bool at_word_start = previous == ' ' || previous == '\t' || previous == '(' || previous == '[';
    if ((c == 'h' || c == 'H') && at_word_start && StartsWithUrl(line.substr(pos))) {
      std::size_t end = pos;
      while (end < line.size() && !EndsUrl(line[end])) ++end;
      // "see https://example.com." ends its sentence after the address.
      while (end > pos && std::string_view(".,;:!?)]").find(line[end - 1]) != std::string_view::npos) --end;
      const std::string_view url = line.substr(pos, end - pos);
      if (url.find("://") + 3 < url.size()) {
        flush(pos);
        html.Raw("<a href=\"").Text(url).Raw("\" rel=\"nofollow ugc noopener\">").Text(url).Raw("</a>");
        pos = end;
        plain_start = end;
        previous = 'x';
        continue;
      }
    }
    if (c == '@' && !(previous < 0x80 && (IsHandleChar(static_cast<char>(previous)) || previous == '@'))) {
      std::size_t end = pos + 1;
      while (end < line.size() && IsHandleChar(line[end])) ++end;
      std::string_view handle = line.substr(pos + 1, end - pos - 1);
      while (handle.ends_with('.')) handle.remove_suffix(1);
      if (social::ValidateHandle(handle).ok()) {
        flush(pos);
        const std::size_t stop = pos + 1 + handle.size();
        html.Raw("<a href=\"/people/").Text(handle).Raw("\">@").Text(handle).Raw("</a>");
        pos = stop;
        plain_start = stop;
        previous = 'x';
        continue;
      }
    }
    if (c == '#' && !IsHashtagChar(previous) && previous != '&' && previous != '#') {
      std::size_t end = pos + 1;
      while (end < line.size()) {
        std::size_t next = end;
        if (!IsHashtagChar(text::NextCodePoint(line, next))) break;
        end = next;
      }
      if (auto tag = social::NormalizeHashtag(line.substr(pos + 1, end - pos - 1))) {
        flush(pos);
        html.Raw("<a href=\"/hashtags/")
            .Text(QueryEscape(*tag))
            .Raw("\">")
            .Text(line.substr(pos, end - pos))
            .Raw("</a>");
        pos = end;
        plain_start = end;
        previous = 'x';
        continue;
      }
    }
    previous = text::NextCodePoint(line, pos);
  }
  flush(line.size());
}

std::string_view Name(const social::ProfileRef& profile) {
  return profile.display_name.empty() ? std::string_view(profile.handle) : std::string_view(profile.display_name);
}

std::string Plural(std::int64_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

void HiddenFields(HtmlWriter& html, const Visit& visit, std::string_view return_to) {
  html.Fragment(CsrfField(*visit.customer))
      .Raw("<input type=\"hidden\" name=\"return_to\" value=\"")
      .Text(return_to)
      .Raw("\">");
}

// A one-button form posting to /posts/{id}/{action}.
void ActionForm(HtmlWriter& html, const Visit& visit, std::int64_t post_id, std::string_view action,
                std::string_view label, std::string_view return_to, std::optional<bool> pressed = std::nullopt) {
  html.Raw("<form method=\"post\" class=\"inline\" action=\"/posts/")
      .Text(std::to_string(post_id))
      .Raw("/")
      .Text(action)
      .Raw("\">");
  HiddenFields(html, visit, return_to);
  html.Raw("<button type=\"submit\"");
  if (pressed) html.Raw(*pressed ? " aria-pressed=\"true\"" : " aria-pressed=\"false\"");
  html.Raw(">").Text(label).Raw("</button></form>");
}

void ProductTags(HtmlWriter& html, const social::Post& post, const PostExtras& extras) {
  if (post.products.empty()) return;
  html.Raw("<ul class=\"post-products\" aria-label=\"Products in this post\">");
  for (const social::ProductTag& tag : post.products) {
    html.Raw("<li>");
    std::string title = tag.product_title;
    if (!tag.variant_title.empty()) title += " — " + tag.variant_title;
    switch (tag.state) {
      case social::TagState::kAvailable: {
        html.Raw("<a href=\"/products/").Text(tag.product_handle).Raw("\">").Text(title).Raw("</a>");
        const auto offer = extras.tags.Offer(tag);
        if (!offer || offer->price == nullptr) {
          html.Raw(" <span class=\"tag-note\">Not sold in your market</span>");
          break;
        }
        html.Raw(" <span class=\"price\">").Text(PriceText(offer->price->price));
        if (offer->price->compare_at) {
          html.Raw(" <s class=\"compare-at\">").Text(PriceText(*offer->price->compare_at)).Raw("</s>");
        }
        html.Raw("</span> <span class=\"availability\">").Text(AvailabilityText(offer->stock)).Raw("</span>");
        if (offer->promise) html.Raw(" <span class=\"promise\">").Text(offer->promise->text).Raw("</span>");
        break;
      }
      case social::TagState::kArchived:
        html.Text(title.empty() ? "A product" : title).Raw(" <span class=\"tag-note\">No longer sold</span>");
        break;
      case social::TagState::kUnavailable:
        html.Text(title.empty() ? "A product" : title).Raw(" <span class=\"tag-note\">Not available right now</span>");
        break;
      case social::TagState::kMissing:
        html.Raw("<span class=\"tag-note\">A product that was removed from the shop</span>");
        break;
    }
    html.Raw("</li>");
  }
  html.Raw("</ul>");
}

}  // namespace

std::optional<social::Profile> ViewerProfile(const PageServices& services, const Visit& visit) {
  if (!visit.customer) return std::nullopt;
  if (!visit.viewer_profile) {
    auto profile = services.profiles.ProfileOfCustomer(visit.shop.id, visit.customer->user_id);
    visit.viewer_profile = profile.ok() ? std::optional<social::Profile>(std::move(profile).value()) : std::nullopt;
  }
  return *visit.viewer_profile;
}

std::variant<social::Profile, http::Response> MemberOrRedirect(const PageServices& services, const Visit& visit,
                                                               const std::string& back) {
  if (!visit.customer) return RedirectAfterPost(visit, LogInPath(back));
  auto profile = ViewerProfile(services, visit);
  if (!profile) return RedirectAfterPost(visit, NewProfilePath(back));
  return std::move(*profile);
}

std::string NewProfilePath(std::string_view next) {
  return WithNext("/account/profile/new", next);
}

std::string LogInPath(std::string_view next) {
  return WithNext("/account/login", next);
}

std::optional<std::string> OwnMediaPath(std::string_view url) {
  if (StartsWithUrl(url)) {
    const std::size_t host = url.find("://") + 3;
    const std::size_t path = url.find('/', host);
    if (path == std::string_view::npos) return std::nullopt;
    url.remove_prefix(path);
  }
  // "/api/v1/shops/<shop>/media/<id>/<token>/<width>.webp"
  constexpr std::string_view kPrefix = "/api/v1/shops/";
  if (!url.starts_with(kPrefix)) return std::nullopt;
  std::string_view rest = url.substr(kPrefix.size());
  std::vector<std::string_view> parts;
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    parts.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (parts.size() != 5 || !IsDigits(parts[0]) || parts[1] != "media" || !IsDigits(parts[2]) ||
      !IsTokenText(parts[3]) || !parts[4].ends_with(".webp") || !IsDigits(parts[4].substr(0, parts[4].size() - 5))) {
    return std::nullopt;
  }
  return std::string(url);
}

void ProfileChip(HtmlWriter& html, const social::ProfileRef& profile) {
  html.Raw("<a class=\"profile-chip\" href=\"/people/").Text(profile.handle).Raw("\">");
  const auto avatar = profile.avatar_url ? OwnMediaPath(*profile.avatar_url) : std::nullopt;
  if (avatar) {
    html.Raw("<img class=\"avatar\" src=\"").Text(*avatar).Raw("\" alt=\"\" width=\"40\" height=\"40\">");
  } else {
    const std::string_view name = Name(profile);
    std::size_t end = 0;
    if (!name.empty()) text::NextCodePoint(name, end);
    html.Raw("<span class=\"avatar avatar-initial\" aria-hidden=\"true\">").Text(name.substr(0, end)).Raw("</span>");
  }
  html.Raw("<span class=\"chip-name\">")
      .Text(Name(profile))
      .Raw("</span> <span class=\"chip-handle\">@")
      .Text(profile.handle)
      .Raw("</span></a>");
}

void ProfileChip(HtmlWriter& html, const social::Profile& profile) {
  ProfileChip(html, social::ProfileRef{.id = profile.id,
                                       .handle = profile.handle,
                                       .display_name = profile.display_name,
                                       .avatar_url = profile.avatar_url});
}

void UserText(HtmlWriter& html, std::string_view text) {
  if (!text::IsValidUtf8(text)) {
    html.Raw("<p>").Text(text).Raw("</p>");
    return;
  }
  std::vector<std::string_view> lines;
  while (true) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  bool open = false;
  for (std::string_view line : lines) {
    if (text::TrimAscii(line).empty()) {
      if (open) html.Raw("</p>");
      open = false;
      continue;
    }
    html.Raw(open ? "<br>" : "<p>");
    open = true;
    InlineText(html, line);
  }
  if (open) html.Raw("</p>");
}

std::string Sentence(std::string text) {
  if (!text.empty()) {
    text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    if (text.back() != '.') text += '.';
  }
  return text;
}

std::string ShortDescription(std::string_view text, std::string_view fallback) {
  const std::string_view first = text.substr(0, text.find('\n'));
  return std::string(first.empty() || first.size() > 300 ? fallback : first);
}

std::string RelativeTime(std::int64_t then_ms, std::int64_t now_ms) {
  const std::int64_t seconds = (now_ms - then_ms) / 1000;
  if (seconds < 60) return "just now";
  if (seconds < 3600) return std::to_string(seconds / 60) + " min ago";
  if (seconds < 86400) return std::to_string(seconds / 3600) + " h ago";
  if (seconds < 7 * 86400) return Plural(seconds / 86400, "day ago", "days ago");
  const auto day = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(FromUnixMillis(then_ms))};
  char iso[16];
  std::snprintf(iso, sizeof iso, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                static_cast<unsigned>(day.day()));
  return DayText(iso);
}

void TimeElement(HtmlWriter& html, TimePoint at, TimePoint now) {
  const auto day = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::hh_mm_ss clock{std::chrono::floor<std::chrono::seconds>(at - day)};
  const auto date = std::chrono::year_month_day{day};
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  html.Raw("<time datetime=\"")
      .Text(stamp)
      .Raw("\">")
      .Text(RelativeTime(ToUnixMillis(at), ToUnixMillis(now)))
      .Raw("</time>");
}

void MediaImage(HtmlWriter& html, const media::MediaAsset& asset, std::string_view fallback_alt, std::string_view sizes,
                int src_width) {
  if (asset.renditions.empty()) return;
  const media::Rendition* shown = &asset.renditions.back();
  for (const media::Rendition& rendition : asset.renditions) {
    if (rendition.width >= src_width) {
      shown = &rendition;
      break;
    }
  }
  html.Raw("<img src=\"").Text(media::MediaPath(asset, shown->width)).Raw("\" srcset=\"");
  bool first = true;
  for (const media::Rendition& rendition : asset.renditions) {
    if (!first) html.Raw(", ");
    first = false;
    html.Text(media::MediaPath(asset, rendition.width)).Raw(" ").Text(std::to_string(rendition.width)).Raw("w");
  }
  html.Raw("\" sizes=\"")
      .Text(sizes)
      .Raw("\" width=\"")
      .Text(std::to_string(shown->width))
      .Raw("\" height=\"")
      .Text(std::to_string(shown->height))
      .Raw("\" alt=\"")
      .Text(asset.alt.empty() ? fallback_alt : std::string_view(asset.alt))
      .Raw("\" loading=\"lazy\" decoding=\"async\">");
}

Result<PostExtras> LoadPostExtras(const PageServices& services, const Visit& visit,
                                  std::span<const social::Post> posts) {
  std::vector<const social::Post*> pointers;
  bool any = false;
  for (const social::Post& post : posts) {
    pointers.push_back(&post);
    any = any || !post.media_ids.empty() || !post.products.empty();
  }
  PostExtras out;
  if (!any) return out;
  const TimePoint now = services.clock.Now();
  return services.db.Read([&](store::Transaction& tx) -> Result<PostExtras> {
    for (const social::Post& post : posts) {
      for (std::int64_t id : post.media_ids) {
        auto asset = services.media.Get(tx, visit.shop.id, id);
        if (asset.ok()) {
          out.media.emplace(id, std::move(asset).value());
        } else if (asset.error().code != ErrorCode::kNotFound) {
          return asset.error();
        }
      }
    }
    PLAZA_ASSIGN_OR_RETURN(out.tags, social::LoadTagOffers(tx, services.inventory, services.shipping, visit.shop.id,
                                                           visit.market, pointers, now));
    return std::move(out);
  });
}

void PostCard(HtmlWriter& html, const PageServices& services, const Visit& visit, const social::Post& post,
              const PostExtras& extras, const PostCardOptions& options) {
  const std::string id = std::to_string(post.id);
  const std::string path = "/posts/" + id;
  const std::string heading = options.on_post_page ? "h1" : "h" + std::to_string(options.heading_level);
  std::optional<std::int64_t> viewer = options.viewer;
  if (!viewer && visit.customer) {
    if (auto profile = ViewerProfile(services, visit)) viewer = profile->id;
  }
  const bool own = viewer == post.author.id;

  html.Raw("<article class=\"post-card\" id=\"post-")
      .Text(id)
      .Raw("\" aria-labelledby=\"post-")
      .Text(id)
      .Raw("-title\"><header class=\"post-head\"><")
      .Text(heading)
      .Raw(" id=\"post-")
      .Text(id)
      .Raw("-title\" class=\"post-title\">Post by ")
      .Text(Name(post.author))
      .Raw("</")
      .Text(heading)
      .Raw(">");
  ProfileChip(html, post.author);
  html.Raw(" <a class=\"post-time\" href=\"").Text(path).Raw("\">");
  TimeElement(html, post.created_at, services.clock.Now());
  html.Raw("</a></header>");
  if (post.visibility == social::ContentVisibility::kHeld) {
    html.Raw(
        "<p class=\"post-status\">Awaiting review: only you can see this post until the shop's moderators have "
        "looked at it.</p>");
  }
  if (!post.text.empty()) {
    html.Raw("<div class=\"post-text\">");
    UserText(html, post.text);
    html.Raw("</div>");
  }
  bool any_image = false;
  for (std::int64_t media_id : post.media_ids) {
    const auto asset = extras.media.find(media_id);
    if (asset == extras.media.end()) continue;
    if (!any_image) html.Raw("<div class=\"post-media\">");
    any_image = true;
    MediaImage(html, asset->second, "Photo in the post by " + std::string(Name(post.author)),
               "(min-width: 48rem) 36rem, 100vw");
  }
  if (any_image) html.Raw("</div>");
  ProductTags(html, post, extras);

  html.Raw("<p class=\"post-counts\">")
      .Text(Plural(post.like_count, "like", "likes"))
      .Raw(" · ")
      .Text(Plural(post.comment_count, "comment", "comments"))
      .Raw(" · ")
      .Text(Plural(post.save_count, "save", "saves"))
      .Raw(" · ")
      .Text(Plural(post.share_count, "share", "shares"))
      .Raw("</p><div class=\"post-actions\">");
  if (visit.customer) {
    ActionForm(html, visit, post.id, post.liked ? "unlike" : "like", post.liked ? "Liked" : "Like", options.return_to,
               post.liked);
    ActionForm(html, visit, post.id, post.saved ? "unsave" : "save", post.saved ? "Saved" : "Save", options.return_to,
               post.saved);
    if (!options.on_post_page) ActionForm(html, visit, post.id, "share", "Share", options.return_to);
  } else {
    html.Raw("<a href=\"").Text(LogInPath(path)).Raw("\">Log in to like, save or comment</a>");
  }
  if (!options.on_post_page) {
    html.Raw(" <a href=\"")
        .Text(path)
        .Raw("#comments\">Comments<span class=\"visually-hidden\"> on the post by ")
        .Text(Name(post.author))
        .Raw("</span></a>");
  }
  if (!own) {
    html.Raw(" <a href=\"/report?kind=post&amp;id=")
        .Text(id)
        .Raw("\">Report<span class=\"visually-hidden\"> the post by ")
        .Text(Name(post.author))
        .Raw("</span></a>");
  } else {
    html.Raw("<form method=\"post\" class=\"inline\" action=\"").Text(path).Raw("/delete\">");
    HiddenFields(html, visit, options.on_post_page ? "/feed" : options.return_to);
    html.Raw("<button type=\"submit\" class=\"danger\">Delete post</button></form>");
  }
  html.Raw("</div></article>");
}

void PostCard(HtmlWriter& html, const PageServices& services, const Visit& visit, const social::Post& post,
              const PostCardOptions& options) {
  auto extras = LoadPostExtras(services, visit, std::span(&post, 1));
  PostCard(html, services, visit, post, extras.ok() ? *extras : PostExtras{}, options);
}

void PostList(HtmlWriter& html, const PageServices& services, const Visit& visit, std::span<const social::Post> posts,
              const PostCardOptions& options, std::string_view empty) {
  if (posts.empty()) {
    html.Raw("<p class=\"post-list-empty\">").Text(empty).Raw("</p>");
    return;
  }
  auto extras = LoadPostExtras(services, visit, posts);
  const PostExtras none;
  PostCardOptions shared = options;
  if (!shared.viewer && visit.customer) {
    if (auto profile = ViewerProfile(services, visit)) shared.viewer = profile->id;
  }
  html.Raw("<div class=\"post-list\">");
  for (const social::Post& post : posts) PostCard(html, services, visit, post, extras.ok() ? *extras : none, shared);
  html.Raw("</div>");
}

}  // namespace plaza::web::storefront
