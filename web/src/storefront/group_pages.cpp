// Community groups in the storefront:
//
//   GET  /groups                                 the groups the visitor may see, and theirs
//   GET  /groups/{handle}                        about, rules, members, the visitor's standing
//                                                with its form, join requests for moderators,
//                                                pinned posts first and then the others
//                                                (?cursor= for older ones)
//   POST /groups/{handle}/join                   join, ask to join, or accept the invitation
//   POST /groups/{handle}/leave                  leave, or withdraw a request
//   POST /groups/{handle}/requests/{profile}/approve|decline   moderators (with
//                                                `return=manage`, back to the management page)
//   POST /groups/{handle}/pins/{post}            moderators pin a post (form field
//                                                `action`: pin or unpin)
//
// Every form carries the signed-in customer's CSRF token and answers 303 back to the
// group. Who may see a group, read its posts, join it or moderate it is
// community::GroupService's: an invite-only group is "not found" for everyone but its
// members and invitees, here as in the API. Creating and managing a group is in
// group_manage_pages.cpp.

#include <charconv>
#include <variant>

#include "../form.h"
#include "cart_view.h"
#include "group_frame.h"
#include "plaza/community/groups.h"
#include "routes.h"
#include "shop_page.h"
#include "social_frame.h"
#include "visit.h"

namespace plaza::web::storefront {
namespace {

using http::Request;
using http::Response;
namespace community = plaza::community;

constexpr int kGroupsPerPage = 50;
constexpr int kPostsPerPage = 20;

std::string MembersLabel(std::int64_t count) {
  return std::to_string(count) + (count == 1 ? " member" : " members");
}

// Who may join a VIP group, in the words a customer reads.
std::string VipNote(const community::VipRule& rule) {
  if (rule.customer_tag) return "VIP group for the shop's selected customers.";
  const std::int64_t orders = rule.min_paid_orders.value_or(0);
  return "VIP group for customers with at least " + std::to_string(orders) +
         (orders == 1 ? " paid order." : " paid orders.");
}

void GroupCard(HtmlWriter& html, const community::Group& group) {
  html.Raw("<li class=\"group-item card\"><h3><a href=\"")
      .Text(GroupPath(group.handle))
      .Raw("\">")
      .Text(group.name)
      .Raw("</a></h3><p class=\"group-meta\">")
      .Text(AccessLabel(group.access))
      .Raw(" · ")
      .Text(MembersLabel(group.members_count))
      .Raw("</p>");
  if (!group.description.empty()) {
    const std::string_view first_line = std::string_view(group.description).substr(0, group.description.find('\n'));
    html.Raw("<p>").Text(first_line).Raw("</p>");
  }
  html.Raw("</li>");
}

Response ListPage(const PageServices& services, const Visit& visit, const Request& request) {
  const auto viewer = ViewerProfile(services, visit);
  const std::optional<std::int64_t> viewer_id = viewer ? std::optional(viewer->id) : std::nullopt;
  community::PageQuery query{.limit = kGroupsPerPage};
  if (auto cursor = request.Query("cursor"); cursor && IsCursor(*cursor)) query.cursor = std::string(*cursor);
  auto page = services.groups.ListGroups(visit.shop.id, viewer_id, query);
  if (!page.ok() && !query.cursor.empty()) {
    query.cursor.clear();
    page = services.groups.ListGroups(visit.shop.id, viewer_id, query);
  }
  if (!page.ok())
    return MessagePage(services, visit, "Groups", "The groups could not be loaded; please try again.", 503);
  HtmlWriter html;
  html.Raw("<div class=\"groups\"><h1>Groups</h1><p><a class=\"button\" href=\"/groups/new\">Start a group</a></p>");
  if (viewer && query.cursor.empty()) {
    auto mine = services.groups.ListMyGroups(visit.shop.id, viewer->id, {.limit = kGroupsPerPage});
    if (mine.ok() && !mine->groups.empty()) {
      html.Raw("<section aria-labelledby=\"my-groups\"><h2 id=\"my-groups\">Your groups</h2><ul class=\"group-list\">");
      for (const community::Group& group : mine->groups) GroupCard(html, group);
      html.Raw("</ul></section>");
    }
  }
  html.Raw("<section aria-labelledby=\"all-groups\"><h2 id=\"all-groups\">All groups</h2>");
  if (page->groups.empty()) {
    html.Raw("<p>There are no groups yet.</p>");
  } else {
    html.Raw("<ul class=\"group-list\">");
    for (const community::Group& group : page->groups) GroupCard(html, group);
    html.Raw("</ul>");
  }
  if (!page->next_cursor.empty()) {
    html.Raw("<p><a href=\"/groups?cursor=").Text(page->next_cursor).Raw("\">More groups</a></p>");
  }
  html.Raw("</section></div>");
  PageMeta meta;
  meta.title = "Groups";
  meta.description = "Groups of the shop's community";
  meta.path = "/groups";
  meta.noindex = !query.cursor.empty();
  return ShopPage(services, visit, meta, {html.Take()});
}

void StandingSection(HtmlWriter& html, const Visit& visit, const std::optional<social::Profile>& viewer,
                     const community::GroupView& view) {
  const community::Group& group = view.group;
  const std::string path = GroupPath(group.handle);
  html.Raw("<div class=\"group-standing\">");
  if (!visit.customer) {
    html.Raw("<p><a href=\"").Text(LogInPath(path)).Raw("\">Log in</a> to join this group.</p></div>");
    return;
  }
  if (!viewer) {
    html.Raw("<p><a href=\"")
        .Text(NewProfilePath(path))
        .Raw("\">Create your community profile</a> to join this group.</p></div>");
    return;
  }
  const community::Standing& standing = view.standing;
  if (standing.role) {
    html.Raw("<p>")
        .Raw(*standing.role == community::MemberRole::kOwner       ? "You own this group."
             : *standing.role == community::MemberRole::kModerator ? "You are a moderator of this group."
                                                                   : "You are a member of this group.")
        .Raw("</p><p><a class=\"button\" href=\"/posts/new?group=")
        .Text(group.handle)
        .Raw("\">Write a post in the group</a></p>");
    if (Moderates(standing)) {
      html.Raw("<p><a href=\"").Text(GroupManagePath(group.handle)).Raw("\">Manage group</a></p>");
    }
    if (*standing.role != community::MemberRole::kOwner) ButtonForm(html, visit, path + "/leave", "Leave", true);
  } else if (standing.invited) {
    html.Raw("<p>You are invited to this group.</p>");
    ButtonForm(html, visit, path + "/join", "Accept the invitation", false);
  } else if (standing.requested) {
    html.Raw("<p>Your request to join is waiting for a moderator.</p>");
    ButtonForm(html, visit, path + "/leave", "Withdraw the request", true);
  } else {
    const bool asks = group.access == community::GroupAccess::kPrivate && !group.vip;
    ButtonForm(html, visit, path + "/join", asks ? "Ask to join" : "Join the group", false);
  }
  html.Raw("</div>");
}

void PostsSection(HtmlWriter& html, const PageServices& services, const Visit& visit,
                  const std::optional<std::int64_t>& viewer, const community::GroupView& view, const Request& request,
                  bool moderator) {
  const community::Group& group = view.group;
  const std::string path = GroupPath(group.handle);
  html.Raw("<section aria-labelledby=\"posts-title\"><h2 id=\"posts-title\">Posts</h2>");
  if (!view.content_visible) {
    html.Raw("<p>Posts in this group are for its members.</p></section>");
    return;
  }
  social::PageRequest page{.limit = kPostsPerPage};
  if (auto cursor = request.Query("cursor"); cursor && IsCursor(*cursor)) page.cursor = std::string(*cursor);
  auto posts = services.groups.ListPosts(visit.shop.id, group.id, viewer, page);
  if (!posts.ok() && !page.cursor.empty()) {
    page.cursor.clear();
    posts = services.groups.ListPosts(visit.shop.id, group.id, viewer, page);
  }
  if (!posts.ok()) {
    html.Raw("<p role=\"alert\">The posts could not be loaded; please try again.</p></section>");
    return;
  }
  std::vector<social::Post> shown = posts->pinned;
  shown.insert(shown.end(), posts->posts.posts.begin(), posts->posts.posts.end());
  if (shown.empty()) {
    html.Raw("<p>No posts yet.</p></section>");
    return;
  }
  auto extras = LoadPostExtras(services, visit, shown);
  const PostExtras none;
  const PostCardOptions options{.return_to = path, .on_post_page = false, .heading_level = 3};
  html.Raw("<ol class=\"group-posts\">");
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const bool pinned = i < posts->pinned.size();
    html.Raw(pinned ? "<li class=\"pinned\"><p class=\"pin-label\">Pinned</p>" : "<li>");
    PostCard(html, services, visit, shown[i], extras.ok() ? *extras : none, options);
    if (moderator) {
      ButtonForm(html, visit, path + "/pins/" + std::to_string(shown[i].id), pinned ? "Unpin" : "Pin to the top", true,
                 "action", pinned ? "unpin" : "pin");
    }
    html.Raw("</li>");
  }
  html.Raw("</ol>");
  if (!posts->posts.next_cursor.empty()) {
    html.Raw("<p><a href=\"").Text(path).Raw("?cursor=").Text(posts->posts.next_cursor).Raw("\">Older posts</a></p>");
  }
  html.Raw("</section>");
}

Response GroupPage(const PageServices& services, const Visit& visit, const Request& request) {
  const auto viewer = ViewerProfile(services, visit);
  const std::optional<std::int64_t> viewer_id = viewer ? std::optional(viewer->id) : std::nullopt;
  auto view = services.groups.ViewGroup(visit.shop.id, request.PathParam("handle"), viewer_id);
  if (!view.ok()) {
    if (view.error().code == ErrorCode::kNotFound) {
      return MessagePage(services, visit, "Group not found", "There is no group at this address.", 404);
    }
    return MessagePage(services, visit, "Group", "The group could not be loaded; please try again.", 503);
  }
  const community::Group& group = view->group;
  const bool moderator = Moderates(view->standing);
  HtmlWriter html;
  html.Raw("<div class=\"group\"><p><a href=\"/groups\">All groups</a></p><header class=\"group-header\"><h1>")
      .Text(group.name)
      .Raw("</h1><p class=\"group-meta\">")
      .Text(AccessLabel(group.access))
      .Raw(" · ")
      .Text(MembersLabel(group.members_count))
      .Raw("</p>");
  if (group.vip) html.Raw("<p class=\"group-vip\">").Text(VipNote(*group.vip)).Raw("</p>");
  html.Raw("</header>");
  StandingSection(html, visit, viewer, *view);
  if (!group.description.empty()) {
    html.Raw("<section aria-labelledby=\"about-title\"><h2 id=\"about-title\">About</h2>");
    UserText(html, group.description);
    html.Raw("</section>");
  }
  if (!group.rules.empty()) {
    html.Raw("<section aria-labelledby=\"rules-title\"><h2 id=\"rules-title\">Rules</h2>");
    UserText(html, group.rules);
    html.Raw("</section>");
  }
  if (moderator) JoinRequestsSection(html, services, visit, *viewer_id, group, false);
  PostsSection(html, services, visit, viewer_id, *view, request, moderator);
  html.Raw("</div>");
  PageMeta meta;
  meta.title = group.name;
  meta.description = ShortDescription(group.description, "A group of the shop's community");
  meta.path = GroupPath(group.handle);
  // Private and invite-only groups, and pages past the first, stay out of search engines.
  meta.noindex = group.access != community::GroupAccess::kPublic || request.Query("cursor").has_value();
  return ShopPage(services, visit, meta, {html.Take()});
}

// The answer to a group action: back to the group, or the module's reason in words.
Response Outcome(const PageServices& services, const GroupActor& actor, const Status& status) {
  const Visit& visit = actor.post.visit;
  if (status.ok()) {
    // Requests settled from the management page go back there.
    const bool from_manage = FormValue(actor.post.form, "return") == "manage";
    const std::string& handle = actor.group.group.handle;
    return RedirectAfterPost(visit, from_manage ? GroupManagePath(handle) : GroupPath(handle));
  }
  const Error& error = status.error();
  if (error.code == ErrorCode::kNotFound) {
    return MessagePage(services, visit, "Not found", "That is no longer here.", 404);
  }
  if (error.type == "community/owner-cannot-leave") {
    return MessagePage(services, visit, "Leave the group",
                       "The owner cannot leave the group; hand it to someone else first.", 409);
  }
  if (error.type == "community/too-many-pins") {
    return MessagePage(
        services, visit, "Pin a post",
        "A group can have at most " + std::to_string(community::kMaxPinnedPosts) + " pinned posts; unpin one first.",
        409);
  }
  if (error.code == ErrorCode::kInvalidArgument) {
    return MessagePage(services, visit, actor.group.group.name, Sentence(error.detail), 400);
  }
  if (error.code == ErrorCode::kPermissionDenied || error.code == ErrorCode::kConflict) {
    return MessagePage(services, visit, actor.group.group.name, Sentence(error.detail),
                       error.code == ErrorCode::kConflict ? 409 : 403);
  }
  return MessagePage(services, visit, actor.group.group.name, "That did not work; please try again.", 503);
}

using ActionFn = std::function<Status(const PageServices&, const GroupActor&, const Request&)>;

http::Handler GroupAction(const PageServices& services, ActionFn action) {
  return [&services, action = std::move(action)](Request& request) -> Response {
    auto begun = BeginGroupAction(services, request);
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    const GroupActor& actor = std::get<GroupActor>(begun);
    return Outcome(services, actor, action(services, actor, request));
  };
}

Status PathIdOr404(std::string_view text, std::int64_t& id) {
  const auto parsed = ParseId(text);
  if (!parsed) return Error::NotFound("no such item");
  id = *parsed;
  return Ok();
}

}  // namespace

void RegisterGroupPages(http::Router& router, const PageServices& services) {
  router.Get("/groups", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    return ListPage(services, *visit, request);
  });

  router.Get("/groups/{handle}", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    return GroupPage(services, *visit, request);
  });

  router.Post("/groups/{handle}/join",
              GroupAction(services, [](const PageServices& s, const GroupActor& actor, const Request&) -> Status {
                auto joined = s.groups.Join(actor.post.visit.shop.id, actor.profile_id, actor.group.group.id);
                if (!joined.ok()) return joined.error();
                return Ok();
              }));

  router.Post("/groups/{handle}/leave",
              GroupAction(services, [](const PageServices& s, const GroupActor& actor, const Request&) -> Status {
                return s.groups.Leave(actor.post.visit.shop.id, actor.profile_id, actor.group.group.id);
              }));

  for (const bool approve : {true, false}) {
    router.Post(
        approve ? "/groups/{handle}/requests/{profile}/approve" : "/groups/{handle}/requests/{profile}/decline",
        GroupAction(
            services, [approve](const PageServices& s, const GroupActor& actor, const Request& request) -> Status {
              std::int64_t requester = 0;
              PLAZA_TRY(PathIdOr404(request.PathParam("profile"), requester));
              const std::int64_t shop_id = actor.post.visit.shop.id;
              return approve ? s.groups.ApproveRequest(shop_id, actor.profile_id, actor.group.group.id, requester)
                             : s.groups.DeclineRequest(shop_id, actor.profile_id, actor.group.group.id, requester);
            }));
  }

  router.Post(
      "/groups/{handle}/pins/{post}",
      GroupAction(services, [](const PageServices& s, const GroupActor& actor, const Request& request) -> Status {
        std::int64_t post_id = 0;
        PLAZA_TRY(PathIdOr404(request.PathParam("post"), post_id));
        const std::int64_t shop_id = actor.post.visit.shop.id;
        const std::string action = FormValue(actor.post.form, "action");
        if (action == "pin") return s.groups.Pin(shop_id, actor.profile_id, actor.group.group.id, post_id);
        if (action == "unpin") return s.groups.Unpin(shop_id, actor.profile_id, actor.group.group.id, post_id);
        return Error::Invalid("validation/enum", "choose to pin or unpin the post", "/action");
      }));
}

}  // namespace plaza::web::storefront
