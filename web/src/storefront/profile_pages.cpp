// Community profiles on the storefront:
//
//   GET  /people/{handle}                      header (avatar, name, bio, links, counts),
//                                              the viewer's follow / block / mute forms,
//                                              and the profile's posts (?after=<cursor>)
//   POST /people/{handle}/follow|unfollow|block|unblock|mute|unmute
//   GET  /people/{handle}/followers            who follows the profile (?after=<cursor>)
//   GET  /people/{handle}/following            whom the profile follows
//   GET  /account/follow-requests              pending requests to a private profile
//   POST /account/follow-requests/{handle}/approve|decline
//   GET  /account/profile/new?next=<path>      choosing a handle and a name
//   POST /account/profile/new
//   GET  /account/profile                      editing one's profile (multipart: avatar)
//   POST /account/profile
//
// Every rule (who sees a private profile, what blocking does, which handles and links
// are valid) is ProfileService's; these pages only show its answers. A profile that
// blocks the viewer reads as absent (404). A private profile shows its header to
// everyone, and its bio, links, posts and follower lists only to its owner and approved
// followers. The forms of a signed-in customer carry the session's CSRF token, are
// refused when another site sent them, and answer 303; a visitor who is not signed in
// is sent to the log-in page and a customer without a profile to /account/profile/new,
// each coming back to the page they were on.

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "../form.h"
#include "../same_origin.h"
#include "../uploads.h"
#include "cart_view.h"
#include "plaza/core/text.h"
#include "plaza/http/multipart.h"
#include "plaza/media/media.h"
#include "plaza/social/posts.h"
#include "plaza/social/profiles.h"
#include "routes.h"
#include "safe_next.h"
#include "shop_page.h"
#include "social_frame.h"
#include "visit.h"

namespace plaza::web::storefront {
namespace {

using http::Request;
using http::Response;
using FieldErrors = std::map<std::string, std::string, std::less<>>;

// Posts per page of a profile; a grid of cards reads best in multiples of 2 and 3.
constexpr int kPostsPerPage = 12;
// The width avatars are shown at; the rendition stored is the smallest, at least 320 px.
constexpr std::string_view kAvatarSide = "96";

std::string PersonPath(std::string_view handle) {
  return "/people/" + std::string(handle);
}

std::string Name(const social::Profile& profile) {
  return profile.display_name.empty() ? profile.handle : profile.display_name;
}

// Cursors are opaque tokens of the module; anything else in the query is ignored.
std::string CursorParam(const Request& request) {
  const std::string_view text = request.Query("after").value_or("");
  const bool valid = text.size() <= 512 && std::all_of(text.begin(), text.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                              c == '_' || c == '=';
                     });
  return valid ? std::string(text) : std::string();
}

// A one-button form of the signed-in customer.
void ActionForm(HtmlWriter& html, const Visit& visit, std::string_view action, std::string_view label,
                std::string_view css_class) {
  html.Raw("<form method=\"post\" class=\"inline-form\" action=\"")
      .Text(action)
      .Raw("\">")
      .Fragment(CsrfField(*visit.customer))
      .Raw("<button type=\"submit\" class=\"")
      .Text(css_class)
      .Raw("\">")
      .Text(label)
      .Raw("</button></form>");
}

void Avatar(HtmlWriter& html, const std::optional<std::string>& url) {
  if (!url) return;
  const auto path = OwnMediaPath(*url);
  if (!path) return;
  // The name stands beside it, so the picture itself says nothing more.
  html.Raw("<img class=\"profile-avatar\" src=\"")
      .Text(*path)
      .Raw("\" alt=\"\" width=\"")
      .Raw(kAvatarSide)
      .Raw("\" height=\"")
      .Raw(kAvatarSide)
      .Raw("\">");
}

std::string_view KindLabel(social::ProfileKind kind) {
  switch (kind) {
    case social::ProfileKind::kBrand:
      return "Brand";
    case social::ProfileKind::kCreator:
      return "Creator";
    case social::ProfileKind::kCustomer:
      return "";
  }
  return "";
}

std::string Count(std::int64_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

// What the viewer may do on a profile: sign in, create their own profile, edit it, or
// follow, block and mute it.
void Actions(HtmlWriter& html, const Visit& visit, const std::optional<social::Profile>& me,
             const social::ProfileView& view) {
  const social::Profile& profile = view.profile;
  const social::Relationship& relation = view.relationship;
  const std::string path = PersonPath(profile.handle);
  html.Raw("<div class=\"profile-actions\">");
  if (!visit.customer) {
    html.Raw("<a class=\"button\" href=\"").Text(LogInPath(path)).Raw("\">Log in to follow</a>");
  } else if (!me) {
    html.Raw("<a class=\"button\" href=\"")
        .Text(NewProfilePath(path))
        .Raw("\">Create your community profile to follow</a>");
  } else if (relation.is_self) {
    html.Raw("<a class=\"button\" href=\"/account/profile\">Edit your profile</a>");
    if (profile.is_private) html.Raw("<a href=\"/account/follow-requests\">Follow requests</a>");
  } else if (relation.blocking) {
    html.Raw("<p>You block this profile.</p>");
    ActionForm(html, visit, path + "/unblock", "Unblock", "secondary");
  } else {
    if (relation.following) {
      html.Raw("<p>You follow this profile.</p>");
      ActionForm(html, visit, path + "/unfollow", "Unfollow", "secondary");
    } else if (relation.requested) {
      html.Raw("<p>Follow request sent; it waits for approval.</p>");
      ActionForm(html, visit, path + "/unfollow", "Withdraw the request", "secondary");
    } else {
      ActionForm(html, visit, path + "/follow", profile.is_private ? "Ask to follow" : "Follow", "");
    }
    if (relation.muting) {
      ActionForm(html, visit, path + "/unmute", "Unmute", "secondary");
    } else {
      ActionForm(html, visit, path + "/mute", "Mute", "secondary");
    }
    ActionForm(html, visit, path + "/block", "Block", "secondary");
  }
  html.Raw("</div>");
}

void Header(HtmlWriter& html, const Visit& visit, const std::optional<social::Profile>& me,
            const social::ProfileView& view) {
  const social::Profile& profile = view.profile;
  const std::string path = PersonPath(profile.handle);
  html.Raw("<section class=\"profile-header\" aria-labelledby=\"profile-name\">");
  Avatar(html, profile.avatar_url);
  html.Raw("<div class=\"profile-identity\"><h1 id=\"profile-name\">")
      .Text(Name(profile))
      .Raw("</h1><p class=\"profile-handle\">@")
      .Text(profile.handle);
  if (const std::string_view kind = KindLabel(profile.kind); !kind.empty()) {
    html.Raw(" <span class=\"badge\">").Text(kind).Raw("</span>");
  }
  if (view.relationship.followed_by && !view.relationship.is_self)
    html.Raw(" <span class=\"badge\">Follows you</span>");
  html.Raw("</p></div>");
  if (view.content_visible) {
    if (!profile.bio.empty()) {
      html.Raw("<div class=\"profile-bio\">");
      UserText(html, profile.bio);
      html.Raw("</div>");
    }
    if (!profile.links.empty()) {
      html.Raw("<ul class=\"profile-links\">");
      for (const std::string& link : profile.links) {
        html.Raw("<li><a href=\"").Text(link).Raw("\" rel=\"nofollow ugc noopener\">").Text(link).Raw("</a></li>");
      }
      html.Raw("</ul>");
    }
  }
  html.Raw("<ul class=\"profile-counts\"><li><a href=\"")
      .Text(path)
      .Raw("/followers\">")
      .Text(Count(profile.followers_count, "follower", "followers"))
      .Raw("</a></li><li><a href=\"")
      .Text(path)
      .Raw("/following\">")
      .Text(std::to_string(profile.following_count))
      .Raw(" following</a></li></ul>");
  Actions(html, visit, me, view);
  html.Raw("</section>");
}

// The profile as the viewer sees it, or the page to answer instead (404 when it is absent
// or blocks the viewer).
std::variant<social::ProfileView, Response> FindProfile(const PageServices& services, const Visit& visit,
                                                        const std::optional<social::Profile>& me,
                                                        std::string_view handle) {
  auto view = services.profiles.ViewProfile(visit.shop.id, handle, me ? std::optional(me->id) : std::nullopt);
  if (view.ok()) return std::move(view).value();
  if (view.error().code == ErrorCode::kNotFound || view.error().code == ErrorCode::kInvalidArgument) {
    return MessagePage(services, visit, "Profile not found", "There is no profile at this address.", 404);
  }
  return MessagePage(services, visit, "Profile", "The profile could not be shown; please try again.", 503);
}

PageMeta ProfileMeta(const PageServices& services, const social::ProfileView& view, std::string path) {
  const social::Profile& profile = view.profile;
  PageMeta meta;
  meta.title = Name(profile) + " (@" + profile.handle + ")";
  meta.path = std::move(path);
  meta.og_type = "profile";
  if (view.content_visible) {
    // Cut on a character boundary: a UTF-8 continuation byte is 10xxxxxx.
    std::size_t end = std::min<std::size_t>(profile.bio.size(), 300);
    while (end > 0 && end < profile.bio.size() && (static_cast<unsigned char>(profile.bio[end]) & 0xC0) == 0x80) --end;
    meta.description = profile.bio.substr(0, end);
  }
  if (profile.avatar_url) {
    if (const auto avatar = OwnMediaPath(*profile.avatar_url)) meta.image_url = AbsoluteUrl(services, *avatar);
  }
  // A private profile's page says little, and its owner did not ask to be found.
  meta.noindex = profile.is_private;
  return meta;
}

Response ProfilePage(const PageServices& services, const Visit& visit, const Request& request) {
  const auto me = ViewerProfile(services, visit);
  auto found = FindProfile(services, visit, me, request.PathParam("handle"));
  if (auto* answer = std::get_if<Response>(&found)) return std::move(*answer);
  const social::ProfileView& view = std::get<social::ProfileView>(found);
  const social::Profile& profile = view.profile;
  const std::string path = PersonPath(profile.handle);

  HtmlWriter html;
  if (request.Query("blocked") == "1" && view.relationship.blocking) {
    html.Raw("<p class=\"notice\" role=\"status\">You blocked @")
        .Text(profile.handle)
        .Raw(". Neither of you follows the other now, and they cannot see your profile.</p>");
  }
  Header(html, visit, me, view);
  html.Raw("<section class=\"profile-posts\" aria-labelledby=\"posts-heading\"><h2 id=\"posts-heading\">Posts</h2>");
  if (!view.content_visible) {
    html.Raw("<p class=\"profile-private\">This profile is private. Only the people it approves see its posts.</p>");
  } else if (view.relationship.blocking) {
    html.Raw("<p>Unblock this profile to see its posts.</p>");
  } else {
    auto posts =
        services.posts.ListProfilePosts(visit.shop.id, profile.handle, me ? std::optional(me->id) : std::nullopt,
                                        {.cursor = CursorParam(request), .limit = kPostsPerPage});
    if (!posts.ok()) {
      html.Fragment(Alert("The posts could not be shown; please try again."));
    } else {
      PostList(html, services, visit, posts->posts, {.return_to = path, .heading_level = 3}, "No posts yet.");
      if (!posts->next_cursor.empty()) {
        html.Raw("<p class=\"pager\"><a href=\"")
            .Text(path + "?after=" + posts->next_cursor)
            .Raw("\" rel=\"next\">Older posts</a></p>");
      }
    }
  }
  html.Raw("</section>");
  return ShopPage(services, visit, ProfileMeta(services, view, path), {html.Take()});
}

// Followers or followed profiles of one profile.
Response ListPage(const PageServices& services, const Visit& visit, const Request& request, bool followers) {
  const auto me = ViewerProfile(services, visit);
  auto found = FindProfile(services, visit, me, request.PathParam("handle"));
  if (auto* answer = std::get_if<Response>(&found)) return std::move(*answer);
  const social::ProfileView& view = std::get<social::ProfileView>(found);
  const std::string owner_path = PersonPath(view.profile.handle);
  const std::string path = owner_path + (followers ? "/followers" : "/following");
  const std::string title = (followers ? "Followers of " : "Followed by ") + Name(view.profile);
  const std::optional<std::int64_t> viewer = me ? std::optional(me->id) : std::nullopt;
  const social::PageRequest page{.cursor = CursorParam(request), .limit = social::kDefaultPageSize};
  auto listed = followers ? services.profiles.ListFollowers(visit.shop.id, view.profile.handle, viewer, page)
                          : services.profiles.ListFollowing(visit.shop.id, view.profile.handle, viewer, page);

  HtmlWriter html;
  html.Raw("<h1>").Text(title).Raw("</h1><p><a href=\"").Text(owner_path).Raw("\">Back to @").Text(view.profile.handle);
  html.Raw("</a></p>");
  int status = 200;
  if (!listed.ok()) {
    if (listed.error().code == ErrorCode::kPermissionDenied) {
      status = 403;
      html.Raw("<p class=\"profile-private\">This profile is private. Only the people it approves see whom it ")
          .Raw(followers ? "is followed by" : "follows")
          .Raw(".</p>");
    } else if (listed.error().code == ErrorCode::kNotFound) {
      return MessagePage(services, visit, "Profile not found", "There is no profile at this address.", 404);
    } else {
      status = 503;
      html.Fragment(Alert("The list could not be shown; please try again."));
    }
  } else if (listed->profiles.empty()) {
    html.Raw(followers ? "<p>No followers yet.</p>" : "<p>Not following anyone yet.</p>");
  } else {
    html.Raw("<ul class=\"profile-list\">");
    for (const social::Profile& person : listed->profiles) {
      html.Raw("<li>");
      ProfileChip(html, person);
      html.Raw("</li>");
    }
    html.Raw("</ul>");
    if (!listed->next_cursor.empty()) {
      html.Raw("<p class=\"pager\"><a href=\"")
          .Text(path + "?after=" + listed->next_cursor)
          .Raw("\" rel=\"next\">More</a></p>");
    }
  }
  PageMeta meta = ProfileMeta(services, view, path);
  meta.title = title;
  return ShopPage(services, visit, meta, {html.Take()}, status);
}

// A signed-in customer with a profile posting a same-origin form with the session's
// token; or the answer to send instead.
struct Actor {
  Visit visit;
  social::Profile profile;
};

std::variant<Actor, Response> BeginAction(const PageServices& services, const Request& request,
                                          std::string_view come_back_to) {
  auto begun = BeginGuestPost(services, request);
  if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
  GuestPost& post = std::get<GuestPost>(begun);
  if (!post.visit.customer) return RedirectAfterPost(post.visit, LogInPath(come_back_to));
  if (!identity::CheckCsrf(*post.visit.customer, FormValue(post.form, "csrf_token")).ok()) {
    return MessagePage(services, post.visit, "The form expired", "The form expired; reload the page and try again.",
                       403);
  }
  auto me = ViewerProfile(services, post.visit);
  if (!me) return RedirectAfterPost(post.visit, NewProfilePath(come_back_to));
  return Actor{std::move(post.visit), std::move(*me)};
}

// The answer to a follow, block or mute that the service refused.
Response Refused(const PageServices& services, const Visit& visit, const Error& error, std::string_view handle) {
  if (error.code == ErrorCode::kNotFound) {
    return MessagePage(services, visit, "Profile not found", "There is no profile at this address.", 404);
  }
  if (error.type == "social/blocked") {
    return MessagePage(services, visit, "Unblock first",
                       "You block @" + std::string(handle) + "; unblock the profile before following it.", 409);
  }
  if (error.code == ErrorCode::kInvalidArgument || error.code == ErrorCode::kConflict ||
      error.code == ErrorCode::kPermissionDenied) {
    return MessagePage(services, visit, "That did not work", Explain(error), 422);
  }
  return MessagePage(services, visit, "That did not work", "That did not work; please try again.", 503);
}

enum class Act { kFollow, kUnfollow, kBlock, kUnblock, kMute, kUnmute };

constexpr std::array<std::pair<std::string_view, Act>, 6> kActs{{{"follow", Act::kFollow},
                                                                 {"unfollow", Act::kUnfollow},
                                                                 {"block", Act::kBlock},
                                                                 {"unblock", Act::kUnblock},
                                                                 {"mute", Act::kMute},
                                                                 {"unmute", Act::kUnmute}}};

Response Perform(const PageServices& services, const Request& request, Act act) {
  const std::string handle(request.PathParam("handle"));
  const std::string path = PersonPath(handle);
  auto begun = BeginAction(services, request, path);
  if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
  const Actor& actor = std::get<Actor>(begun);
  social::ProfileService& profiles = services.profiles;
  const std::int64_t shop_id = actor.visit.shop.id;
  const std::int64_t me = actor.profile.id;
  Status done = Ok();
  switch (act) {
    case Act::kFollow: {
      auto followed = profiles.Follow(shop_id, me, handle);
      if (!followed.ok()) done = followed.error();
      break;
    }
    case Act::kUnfollow:
      done = profiles.Unfollow(shop_id, me, handle);
      break;
    case Act::kBlock:
      done = profiles.Block(shop_id, me, handle);
      break;
    case Act::kUnblock:
      done = profiles.Unblock(shop_id, me, handle);
      break;
    case Act::kMute:
      done = profiles.Mute(shop_id, me, handle);
      break;
    case Act::kUnmute:
      done = profiles.Unmute(shop_id, me, handle);
      break;
  }
  if (!done.ok()) return Refused(services, actor.visit, done.error(), handle);
  return RedirectAfterPost(actor.visit, act == Act::kBlock ? path + "?blocked=1" : path);
}

// --- Follow requests -------------------------------------------------------------------

constexpr std::string_view kRequestsPath = "/account/follow-requests";

// The signed-in customer's own profile for an account page, or where to send them.
std::variant<social::Profile, Response> OwnProfile(const PageServices& services, const Visit& visit,
                                                   std::string_view page) {
  if (!visit.customer) return RedirectAfterPost(visit, LogInPath(page));
  auto profile = services.profiles.ProfileOfCustomer(visit.shop.id, visit.customer->user_id);
  if (profile.ok()) return std::move(profile).value();
  if (profile.error().code == ErrorCode::kNotFound) return RedirectAfterPost(visit, NewProfilePath(page));
  return MessagePage(services, visit, "Your profile", "Your profile could not be read; please try again.", 503);
}

Response RequestsPage(const PageServices& services, const Visit& visit, const Request& request) {
  auto own = OwnProfile(services, visit, kRequestsPath);
  if (auto* answer = std::get_if<Response>(&own)) return std::move(*answer);
  const social::Profile& me = std::get<social::Profile>(own);
  auto requests = services.profiles.ListFollowRequests(
      visit.shop.id, me.id, {.cursor = CursorParam(request), .limit = social::kDefaultPageSize});
  HtmlWriter html;
  html.Raw("<h1>Follow requests</h1>");
  const std::string_view done = request.Query("done").value_or("");
  if (done == "approved") html.Raw("<p class=\"notice\" role=\"status\">Request approved.</p>");
  if (done == "declined") html.Raw("<p class=\"notice\" role=\"status\">Request declined.</p>");
  if (!me.is_private) {
    html.Raw(
        "<p>Your profile is public: anyone can follow you without asking. <a href=\"/account/profile\">Make it "
        "private</a> to approve each follower.</p>");
  }
  if (!requests.ok()) {
    html.Fragment(Alert("The requests could not be shown; please try again."));
  } else if (requests->profiles.empty()) {
    html.Raw("<p>No follow requests are waiting.</p>");
  } else {
    html.Raw("<ul class=\"profile-list\">");
    for (const social::Profile& person : requests->profiles) {
      const std::string base = std::string(kRequestsPath) + "/" + person.handle;
      html.Raw("<li>");
      ProfileChip(html, person);
      html.Raw("<div class=\"profile-actions\">");
      ActionForm(html, visit, base + "/approve", "Approve @" + person.handle, "");
      ActionForm(html, visit, base + "/decline", "Decline @" + person.handle, "secondary");
      html.Raw("</div></li>");
    }
    html.Raw("</ul>");
    if (!requests->next_cursor.empty()) {
      html.Raw("<p class=\"pager\"><a href=\"")
          .Text(std::string(kRequestsPath) + "?after=" + requests->next_cursor)
          .Raw("\" rel=\"next\">More</a></p>");
    }
  }
  html.Raw("<p><a href=\"").Text(PersonPath(me.handle)).Raw("\">Your profile</a></p>");
  return ShopPage(services, visit, PrivatePage("Follow requests", std::string(kRequestsPath)), {html.Take()});
}

Response Settle(const PageServices& services, const Request& request, bool approve) {
  auto begun = BeginAction(services, request, kRequestsPath);
  if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
  const Actor& actor = std::get<Actor>(begun);
  const std::string_view requester = request.PathParam("handle");
  const Status settled = approve ? services.profiles.ApproveRequest(actor.visit.shop.id, actor.profile.id, requester)
                                 : services.profiles.DeclineRequest(actor.visit.shop.id, actor.profile.id, requester);
  if (!settled.ok()) {
    if (settled.error().code == ErrorCode::kNotFound) {
      return MessagePage(services, actor.visit, "Follow requests", "That request is no longer waiting.", 404);
    }
    return MessagePage(services, actor.visit, "Follow requests", "That did not work; please try again.", 503);
  }
  return RedirectAfterPost(actor.visit, std::string(kRequestsPath) + (approve ? "?done=approved" : "?done=declined"));
}

// --- Creating and editing one's profile ----------------------------------------------

// An input with its label, hint and error, the error tied to it by aria-describedby.
struct FieldSpec {
  std::string_view id{};
  std::string_view label{};
  std::string_view value{};
  std::string_view hint{};
  std::string_view attributes{};
  bool multiline = false;
};

void Field(HtmlWriter& html, const FieldSpec& spec, const FieldErrors& errors) {
  const auto error = errors.find(spec.id);
  const bool failed = error != errors.end();
  std::string described;
  if (!spec.hint.empty()) described = std::string(spec.id) + "-hint";
  if (failed) described += (described.empty() ? "" : " ") + std::string(spec.id) + "-error";
  html.Raw("<div class=\"field\"><label for=\"").Text(spec.id).Raw("\">").Text(spec.label).Raw("</label>");
  if (!spec.hint.empty()) {
    html.Raw("<p class=\"hint\" id=\"").Text(spec.id).Raw("-hint\">").Text(spec.hint).Raw("</p>");
  }
  html.Raw(spec.multiline ? "<textarea" : "<input").Raw(" id=\"").Text(spec.id).Raw("\" name=\"").Text(spec.id);
  html.Raw("\" ").Raw(spec.attributes);
  if (!described.empty()) html.Raw(" aria-describedby=\"").Text(described).Raw("\"");
  if (failed) html.Raw(" aria-invalid=\"true\"");
  if (spec.multiline) {
    html.Raw(">").Text(spec.value).Raw("</textarea>");
  } else {
    html.Raw(" value=\"").Text(spec.value).Raw("\">");
  }
  if (failed) {
    html.Raw("<p class=\"field-error\" role=\"alert\" id=\"")
        .Text(spec.id)
        .Raw("-error\">")
        .Text(error->second)
        .Raw("</p>");
  }
  html.Raw("</div>");
}

constexpr std::string_view kHandleHint =
    "3 to 30 letters, digits, '_' or '.'; people mention you as @handle and find you at /people/handle.";

// The form field a service error belongs to: "/links/2" -> "links".
std::string FieldName(const Error& error) {
  if (error.type == "social/handle-taken") return "handle";
  if (error.field.size() < 2 || error.field.front() != '/') return "";
  const std::string name = error.field.substr(1, error.field.find('/', 1) - 1);
  return name == "avatar_url" ? "avatar" : name;
}

std::string ErrorAt(const FieldErrors& errors, std::string_view field) {
  const auto found = errors.find(field);
  return found == errors.end() ? std::string() : found->second;
}

std::string Explained(const Error& error) {
  if (error.type == "social/handle-taken") return "That handle is taken; choose another.";
  return Explain(error);
}

struct NewProfileForm {
  std::string handle{};
  std::string display_name{};
  std::string next{};
  FieldErrors errors{};
};

Response NewProfilePage(const PageServices& services, const Visit& visit, const NewProfileForm& form, int status) {
  HtmlWriter html;
  html.Raw(
          "<div class=\"card\"><h1>Create your community profile</h1><p>Your profile is how you appear when you "
          "post, review, comment or follow people. You can change it later.</p>")
      .Fragment(Alert(ErrorAt(form.errors, "")))
      .Raw("<form method=\"post\" action=\"/account/profile/new\" novalidate>")
      .Fragment(CsrfField(*visit.customer));
  if (const auto next = SafeNext(form.next)) {
    html.Raw("<input type=\"hidden\" name=\"next\" value=\"").Text(*next).Raw("\">");
  }
  Field(html,
        {.id = "handle",
         .label = "Handle",
         .value = form.handle,
         .hint = kHandleHint,
         .attributes = "type=\"text\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" "
                       "maxlength=\"30\" required"},
        form.errors);
  Field(html,
        {.id = "display_name",
         .label = "Name shown on your posts",
         .value = form.display_name,
         .attributes = "type=\"text\" autocomplete=\"nickname\" maxlength=\"80\""},
        form.errors);
  html.Raw("<button type=\"submit\">Create profile</button></form></div>");
  return ShopPage(services, visit, PrivatePage("Create your community profile", "/account/profile/new"), {html.Take()},
                  status);
}

Response CreateProfile(const PageServices& services, const Request& request) {
  auto begun = BeginGuestPost(services, request);
  if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
  GuestPost& post = std::get<GuestPost>(begun);
  NewProfileForm form{.handle = std::string(text::TrimAscii(FormValue(post.form, "handle"))),
                      .display_name = std::string(text::TrimAscii(FormValue(post.form, "display_name"))),
                      .next = FormValue(post.form, "next")};
  const Visit& visit = post.visit;
  if (!visit.customer) return RedirectAfterPost(visit, LogInPath(WithNext("/account/profile/new", form.next)));
  if (!identity::CheckCsrf(*visit.customer, FormValue(post.form, "csrf_token")).ok()) {
    form.errors[""] = "The form expired; reload the page and try again.";
    return NewProfilePage(services, visit, form, 403);
  }
  if (form.handle.empty()) {
    form.errors["handle"] = "Choose a handle.";
    return NewProfilePage(services, visit, form, 422);
  }
  auto created = services.profiles.CreateProfile(visit.shop.id, {.handle = form.handle,
                                                                 .display_name = form.display_name,
                                                                 .kind = social::ProfileKind::kCustomer,
                                                                 .customer_id = visit.customer->user_id});
  if (!created.ok() && created.error().type == "social/customer-has-profile") {
    return RedirectAfterPost(visit, SafeNext(form.next).value_or("/account/profile"));
  }
  if (!created.ok()) {
    const Error& error = created.error();
    if (error.code != ErrorCode::kInvalidArgument && error.code != ErrorCode::kConflict) {
      form.errors[""] = "Your profile could not be created; please try again.";
      return NewProfilePage(services, visit, form, 503);
    }
    const std::string field = FieldName(error);
    form.errors[field == "handle" || field == "display_name" ? field : ""] = Explained(error);
    return NewProfilePage(services, visit, form, error.code == ErrorCode::kConflict ? 409 : 422);
  }
  return RedirectAfterPost(visit, SafeNext(form.next).value_or(PersonPath(created->handle)));
}

struct EditForm {
  std::string handle{};
  std::string display_name{};
  std::string bio{};
  std::string links{};  // one per line, as typed
  bool is_private = false;
  FieldErrors errors{};
};

EditForm FormOf(const social::Profile& profile) {
  EditForm form{.handle = profile.handle,
                .display_name = profile.display_name,
                .bio = profile.bio,
                .is_private = profile.is_private};
  for (const std::string& link : profile.links) form.links += link + "\n";
  return form;
}

Response EditPage(const PageServices& services, const Visit& visit, const social::Profile& profile,
                  const EditForm& form, std::string_view notice, int status) {
  HtmlWriter html;
  html.Raw("<div class=\"card profile-form\"><h1>Your community profile</h1>");
  if (!notice.empty()) html.Raw("<p class=\"notice\" role=\"status\">").Text(notice).Raw("</p>");
  html.Fragment(Alert(ErrorAt(form.errors, "")))
      .Raw("<p><a href=\"")
      .Text(PersonPath(profile.handle))
      .Raw("\">See your profile</a> · <a href=\"/account/follow-requests\">Follow requests</a></p>")
      .Raw("<form method=\"post\" action=\"/account/profile\" enctype=\"multipart/form-data\" novalidate>")
      .Fragment(CsrfField(*visit.customer))
      .Raw("<fieldset><legend>Picture</legend>");
  Avatar(html, profile.avatar_url);
  Field(html,
        {.id = "avatar",
         .label = "New picture",
         .hint = "A JPEG, PNG or WebP photo; it is shown square.",
         .attributes = "type=\"file\" accept=\"image/jpeg,image/png,image/webp\""},
        form.errors);
  if (profile.avatar_url) {
    html.Raw(
        "<div class=\"choice\"><input type=\"checkbox\" id=\"remove_avatar\" name=\"remove_avatar\" value=\"1\">"
        "<label for=\"remove_avatar\">Remove the picture</label></div>");
  }
  html.Raw("</fieldset>");
  Field(html,
        {.id = "display_name",
         .label = "Name shown on your posts",
         .value = form.display_name,
         .attributes = "type=\"text\" autocomplete=\"nickname\" maxlength=\"80\""},
        form.errors);
  Field(html,
        {.id = "handle",
         .label = "Handle",
         .value = form.handle,
         .hint = kHandleHint,
         .attributes = "type=\"text\" autocapitalize=\"none\" spellcheck=\"false\" maxlength=\"30\" required"},
        form.errors);
  Field(html, {.id = "bio", .label = "About you", .value = form.bio, .attributes = "rows=\"4\"", .multiline = true},
        form.errors);
  Field(html,
        {.id = "links",
         .label = "Links",
         .value = form.links,
         .hint = "One per line, up to 5, each starting with https:// or http://.",
         .attributes = "rows=\"3\"",
         .multiline = true},
        form.errors);
  html.Raw("<fieldset><legend>Who sees your posts</legend><div class=\"choice\"><input type=\"radio\" id=\"public\" ")
      .Raw("name=\"visibility\" value=\"public\"")
      .Raw(form.is_private ? "" : " checked")
      .Raw("><label for=\"public\">Everyone (public)</label></div><div class=\"choice\"><input type=\"radio\" ")
      .Raw("id=\"private\" name=\"visibility\" value=\"private\"")
      .Raw(form.is_private ? " checked" : "")
      .Raw("><label for=\"private\">Only followers I approve (private)</label></div></fieldset>")
      .Raw("<button type=\"submit\">Save profile</button></form></div>");
  return ShopPage(services, visit, PrivatePage("Your community profile", "/account/profile"), {html.Take()}, status);
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text::TrimAscii(text.substr(0, end));
    if (!line.empty()) lines.emplace_back(line);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return lines;
}

Response SaveProfile(const PageServices& services, const Request& request) {
  auto visit = BeginVisit(services, request);
  if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
  if (CrossOrigin(request)) return CrossSiteRefused(services, *visit);
  auto own = OwnProfile(services, *visit, "/account/profile");
  if (auto* answer = std::get_if<Response>(&own)) return std::move(*answer);
  const social::Profile& profile = std::get<social::Profile>(own);
  EditForm form = FormOf(profile);
  if (!identity::CheckCsrf(*visit->customer, UploadFormToken(request)).ok()) {
    form.errors[""] = "The form expired; reload the page and try again.";
    return EditPage(services, *visit, profile, form, "", 403);
  }
  auto upload = ReadUploadForm(request, services.media, visit->shop.id, profile.id);
  if (!upload.ok()) {
    const Error& error = upload.error();
    form.errors[error.field == "/avatar" ? "avatar" : ""] = Explain(error);
    return EditPage(services, *visit, profile, form, "", error.type.starts_with("http/") ? 400 : 422);
  }
  form = EditForm{.handle = std::string(text::TrimAscii(upload->Field("handle"))),
                  .display_name = std::string(text::TrimAscii(upload->Field("display_name"))),
                  .bio = upload->Field("bio"),
                  .links = upload->Field("links"),
                  .is_private = upload->Field("visibility") == "private"};
  social::ProfileUpdate update{.handle = form.handle,
                               .display_name = form.display_name,
                               .bio = form.bio,
                               .links = Lines(form.links),
                               .is_private = form.is_private};
  if (const std::vector<std::int64_t> avatar = upload->Media("avatar"); !avatar.empty()) {
    auto asset = services.media.Get(visit->shop.id, avatar.front());
    if (!asset.ok() || asset->renditions.empty()) {
      form.errors["avatar"] = "The picture could not be stored; please try again.";
      return EditPage(services, *visit, profile, form, "", 503);
    }
    // The smallest rendition is already larger than an avatar is ever shown.
    update.avatar_url = AbsoluteUrl(services, media::MediaPath(*asset, asset->renditions.front().width));
  } else if (upload->Field("remove_avatar") == "1") {
    update.avatar_url = std::optional<std::string>();
  }
  auto saved = services.profiles.UpdateProfile(visit->shop.id, profile.id, update);
  if (!saved.ok()) {
    const Error& error = saved.error();
    if (error.code != ErrorCode::kInvalidArgument && error.code != ErrorCode::kConflict) {
      form.errors[""] = "Your profile could not be saved; please try again.";
      return EditPage(services, *visit, profile, form, "", 503);
    }
    std::string field = FieldName(error);
    if (field != "handle" && field != "display_name" && field != "bio" && field != "links" && field != "avatar") {
      field = "";
    }
    form.errors[field] = Explained(error);
    return EditPage(services, *visit, profile, form, "", error.code == ErrorCode::kConflict ? 409 : 422);
  }
  return RedirectAfterPost(*visit, "/account/profile?saved=1");
}

}  // namespace

void RegisterProfilePages(http::Router& router, const PageServices& services) {
  router.Get("/people/{handle}", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    return ProfilePage(services, *visit, request);
  });
  router.Get("/people/{handle}/followers", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    return ListPage(services, *visit, request, true);
  });
  router.Get("/people/{handle}/following", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    return ListPage(services, *visit, request, false);
  });
  for (const auto& [name, act] : kActs) {
    router.Post("/people/{handle}/" + std::string(name),
                [&services, action = act](Request& request) -> Response { return Perform(services, request, action); });
  }

  router.Get(std::string(kRequestsPath), [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    return RequestsPage(services, *visit, request);
  });
  router.Post(std::string(kRequestsPath) + "/{handle}/approve",
              [&services](Request& request) -> Response { return Settle(services, request, true); });
  router.Post(std::string(kRequestsPath) + "/{handle}/decline",
              [&services](Request& request) -> Response { return Settle(services, request, false); });

  router.Get("/account/profile/new", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    const std::string next(request.Query("next").value_or(""));
    if (!visit->customer) return RedirectAfterPost(*visit, LogInPath(WithNext("/account/profile/new", next)));
    if (ViewerProfile(services, *visit)) {
      return RedirectAfterPost(*visit, SafeNext(next).value_or("/account/profile"));
    }
    return NewProfilePage(services, *visit, {.next = next}, 200);
  });
  router.Post("/account/profile/new",
              [&services](Request& request) -> Response { return CreateProfile(services, request); });

  router.Get("/account/profile", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    auto own = OwnProfile(services, *visit, "/account/profile");
    if (auto* answer = std::get_if<Response>(&own)) return std::move(*answer);
    const social::Profile& profile = std::get<social::Profile>(own);
    const bool saved = request.Query("saved") == "1";
    return EditPage(services, *visit, profile, FormOf(profile), saved ? "Your profile was saved." : "", 200);
  });
  UploadRoutes(router, services.media).Post("/account/profile", [&services](Request& request) -> Response {
    return SaveProfile(services, request);
  });
}

}  // namespace plaza::web::storefront
