// Starting and managing a community group in the storefront:
//
//   GET  /groups/new                          the form to start a group (signed in, with a
//                                             community profile)
//   POST /groups/new                          csrf_token, handle, name, description, rules,
//                                             access -> 303 /groups/{handle}
//   GET  /groups/{handle}/manage              for the owner and moderators: the settings,
//                                             inviting by handle, the pending requests and
//                                             the members (?cursor= for more), ?notice= after
//                                             a change
//   POST /groups/{handle}/manage              name, description, rules, access
//   POST /groups/{handle}/invite              handle of the profile to invite
//   POST /groups/{handle}/members/{profile}/remove
//   POST /groups/{handle}/members/{profile}/role   role: moderator or member (the owner)
//
// Every form carries the CSRF token and a successful one answers 303 to the management
// page with a notice. The group's rules (who moderates, that nobody removes the owner,
// that a VIP group is not invite-only) are community::GroupService's; a refusal comes
// back as a message on the page, a refused field next to the field with what was typed.
// Requests are settled through group_pages.cpp's routes with `return=manage`.

#include <functional>
#include <map>
#include <optional>
#include <string>
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

constexpr int kMembersPerPage = 50;

// A group's editable fields as typed, with the words for each refused one.
struct GroupForm {
  std::string handle{};
  std::string name{};
  std::string description{};
  std::string rules{};
  std::string access = "public";
  std::map<std::string, std::string, std::less<>> errors{};  // by field name
  std::string general_error{};
};

GroupForm FormFromPost(const FormFields& form) {
  return {.handle = FormValue(form, "handle"),
          .name = FormValue(form, "name"),
          .description = FormValue(form, "description"),
          .rules = FormValue(form, "rules"),
          .access = FormValue(form, "access")};
}

GroupForm FormFromGroup(const community::Group& group) {
  return {.handle = group.handle,
          .name = group.name,
          .description = group.description,
          .rules = group.rules,
          .access = std::string(community::GroupAccessName(group.access))};
}

std::string_view ErrorOf(const GroupForm& form, std::string_view field) {
  const auto found = form.errors.find(field);
  return found == form.errors.end() ? std::string_view() : std::string_view(found->second);
}

void TextAreaField(HtmlWriter& html, std::string_view id, std::string_view label, std::string_view hint,
                   std::string_view value, std::string_view error, std::size_t max_length, int rows) {
  const std::string hint_id = std::string(id) + "-hint";
  const std::string error_id = std::string(id) + "-error";
  html.Raw("<div class=\"field\"><label for=\"")
      .Text(id)
      .Raw("\">")
      .Text(label)
      .Raw("</label><p class=\"hint\" id=\"")
      .Text(hint_id)
      .Raw("\">")
      .Text(hint)
      .Raw("</p><textarea id=\"")
      .Text(id)
      .Raw("\" name=\"")
      .Text(id)
      .Raw("\" rows=\"")
      .Text(std::to_string(rows))
      .Raw("\" maxlength=\"")
      .Text(std::to_string(max_length))
      .Raw("\" aria-describedby=\"")
      .Text(hint_id);
  if (!error.empty()) html.Raw(" ").Text(error_id).Raw("\" aria-invalid=\"true");
  html.Raw("\">").Text(value).Raw("</textarea>");
  if (!error.empty()) {
    html.Raw("<p class=\"field-error\" role=\"alert\" id=\"").Text(error_id).Raw("\">").Text(error).Raw("</p>");
  }
  html.Raw("</div>");
}

void AccessField(HtmlWriter& html, std::string_view chosen, std::string_view error) {
  struct Choice {
    community::GroupAccess access;
    std::string_view words;
  };
  static constexpr Choice kChoices[] = {
      {community::GroupAccess::kPublic, "Public: anyone reads the posts, anyone with a profile joins"},
      {community::GroupAccess::kPrivate, "Private: listed for everyone, posts for members, joined by request"},
      {community::GroupAccess::kInviteOnly, "Invite-only: hidden from everyone but members and those invited"}};
  html.Raw("<fieldset class=\"field group-access\"");
  if (!error.empty()) html.Raw(" aria-describedby=\"access-error\"");
  html.Raw("><legend>Who may see and join it</legend>");
  for (const Choice& choice : kChoices) {
    const std::string_view name = community::GroupAccessName(choice.access);
    const std::string id = "access-" + std::string(name);
    html.Raw("<div class=\"choice\"><input type=\"radio\" name=\"access\" id=\"")
        .Text(id)
        .Raw("\" value=\"")
        .Text(name)
        .Raw(name == chosen ? "\" checked>" : "\">")
        .Raw("<label for=\"")
        .Text(id)
        .Raw("\">")
        .Text(choice.words)
        .Raw("</label></div>");
  }
  if (!error.empty()) {
    html.Raw("<p class=\"field-error\" role=\"alert\" id=\"access-error\">").Text(error).Raw("</p>");
  }
  html.Raw("</fieldset>");
}

// Name, description, rules and access: the fields both forms share.
void SharedFields(HtmlWriter& html, const GroupForm& form) {
  html.Fragment(
      LabelledInput({.id = "name",
                     .label = "Name",
                     .value = form.name,
                     .error = ErrorOf(form, "name"),
                     .attributes = "required maxlength=\"" + std::to_string(community::kMaxGroupNameLength) + "\""}));
  TextAreaField(html, "description", "Description", "What the group is about; shown to everyone who can see it.",
                form.description, ErrorOf(form, "description"), community::kMaxGroupDescriptionLength, 4);
  TextAreaField(html, "rules", "Rules", "How members treat each other and what belongs in the group.", form.rules,
                ErrorOf(form, "rules"), community::kMaxGroupRulesLength, 5);
  AccessField(html, form.access, ErrorOf(form, "access"));
}

// Puts a refusal of the group's fields next to its field, in words. False when the error
// is not about one of them.
bool PlaceFieldError(GroupForm& form, const Error& error) {
  if (error.field == "/handle") {
    std::string& message = form.errors["handle"];
    if (error.type == "community/handle-taken") {
      message = "Another group already uses this handle; choose another.";
    } else if (form.handle.empty()) {
      message = "Choose a handle: it makes the group's address.";
    } else {
      message = Sentence(error.detail);
    }
    return true;
  }
  if (error.field == "/name") {
    form.errors["name"] = form.name.empty() ? "Give the group a name."
                                            : "Keep the name to one line of at most " +
                                                  std::to_string(community::kMaxGroupNameLength) +
                                                  " characters, without invisible characters.";
    return true;
  }
  if (error.field == "/description") {
    form.errors["description"] = "Keep the description under " + std::to_string(community::kMaxGroupDescriptionLength) +
                                 " characters, without invisible characters.";
    return true;
  }
  if (error.field == "/rules") {
    form.errors["rules"] = "Keep the rules under " + std::to_string(community::kMaxGroupRulesLength) +
                           " characters, without invisible characters.";
    return true;
  }
  if (error.field == "/access") {
    form.errors["access"] = Sentence(error.detail);
    return true;
  }
  return false;
}

Response NewGroupPage(const PageServices& services, const Visit& visit, const GroupForm& form, int status) {
  HtmlWriter html;
  html.Raw("<div class=\"card group-form\"><h1>Start a group</h1><p>You will own the group and moderate it; you can ")
      .Raw("appoint moderators among its members later.</p>")
      .Fragment(Alert(form.general_error))
      .Raw("<form method=\"post\" action=\"/groups/new\" novalidate>")
      .Fragment(CsrfField(*visit.customer))
      .Fragment(LabelledInput({.id = "handle",
                               .label = "Handle (the group's address: /groups/handle)",
                               .value = form.handle,
                               .error = ErrorOf(form, "handle"),
                               .attributes = "required autocapitalize=\"none\" spellcheck=\"false\""}));
  SharedFields(html, form);
  html.Raw("<button type=\"submit\">Start the group</button></form></div>");
  return ShopPage(services, visit, PrivatePage("Start a group", "/groups/new"), {html.Take()}, status);
}

Response CreateGroup(const PageServices& services, GuestPost& post) {
  const Visit& visit = post.visit;
  auto member = MemberOrRedirect(services, visit, "/groups/new");
  if (auto* answer = std::get_if<Response>(&member)) return std::move(*answer);
  if (!identity::CheckCsrf(*visit.customer, FormValue(post.form, "csrf_token")).ok()) {
    return MessagePage(services, visit, "Start a group", "The form expired; reload the page and try again.", 403);
  }
  GroupForm form = FormFromPost(post.form);
  const auto access = community::ParseGroupAccess(form.access);
  if (!access) {
    form.errors["access"] = "Choose who may see and join the group.";
    return NewGroupPage(services, visit, form, 422);
  }
  auto created = services.groups.CreateGroup(visit.shop.id, std::get<social::Profile>(member).id,
                                             {.handle = form.handle,
                                              .name = form.name,
                                              .description = form.description,
                                              .rules = form.rules,
                                              .access = *access});
  if (created.ok()) return RedirectAfterPost(visit, GroupPath(created->handle));
  if (PlaceFieldError(form, created.error())) return NewGroupPage(services, visit, form, 422);
  if (created.error().code == ErrorCode::kPermissionDenied) {
    form.general_error = Sentence(created.error().detail);
    return NewGroupPage(services, visit, form, 403);
  }
  return MessagePage(services, visit, "Start a group", "The group could not be created; please try again.", 503);
}

// What the management page shows besides the group: the settings as typed after a
// refused change, the invitation field, and a notice or a refusal at the top.
struct ManageState {
  std::optional<GroupForm> settings{};  // none: the group's current values
  std::string invite_handle{};
  std::string invite_error{};
  std::string notice{};
  std::string refusal{};
  std::string cursor{};  // the members page
};

std::string_view NoticeText(std::string_view code) {
  if (code == "saved") return "The group's settings are saved.";
  if (code == "invited") return "The invitation is sent; they can now join the group.";
  if (code == "removed") return "The member is removed from the group.";
  if (code == "moderator") return "They are now a moderator of the group.";
  if (code == "member") return "They are now a member without moderation rights.";
  return "";
}

std::string_view RoleLabel(community::MemberRole role) {
  switch (role) {
    case community::MemberRole::kOwner:
      return "Owner";
    case community::MemberRole::kModerator:
      return "Moderator";
    case community::MemberRole::kMember:
      return "Member";
  }
  return "";
}

void MembersSection(HtmlWriter& html, const PageServices& services, const Visit& visit, std::int64_t me,
                    const community::GroupView& view, std::string cursor) {
  const community::Group& group = view.group;
  const bool owner = view.standing.role == community::MemberRole::kOwner;
  community::PageQuery query{.cursor = std::move(cursor), .limit = kMembersPerPage};
  auto page = services.groups.ListMembers(visit.shop.id, me, group.id, query);
  if (!page.ok() && !query.cursor.empty()) {
    query.cursor.clear();
    page = services.groups.ListMembers(visit.shop.id, me, group.id, query);
  }
  html.Raw("<section aria-labelledby=\"members-title\"><h2 id=\"members-title\">Members</h2>");
  if (!page.ok()) {
    html.Fragment(Alert("The members could not be shown; please try again.")).Raw("</section>");
    return;
  }
  html.Raw("<p>").Text(std::to_string(group.members_count)).Raw(group.members_count == 1 ? " member" : " members");
  if (!owner) html.Raw("; only the owner appoints moderators and removes them");
  html.Raw(".</p><ul class=\"group-members\">");
  const auto profiles = MemberProfiles(services, visit, page->members);
  for (const community::Member& member : page->members) {
    html.Raw("<li>");
    MemberChip(html, profiles, member.profile_id);
    html.Raw(" <span class=\"group-role\">").Text(RoleLabel(member.role)).Raw("</span>");
    const std::string base = GroupPath(group.handle) + "/members/" + std::to_string(member.profile_id);
    // The service refuses the rest (the owner, or a moderator by another moderator); the
    // page offers only what would succeed.
    const bool removable =
        member.role == community::MemberRole::kMember || (owner && member.role == community::MemberRole::kModerator);
    if (owner && member.role == community::MemberRole::kMember) {
      ButtonForm(html, visit, base + "/role", "Make moderator", false, "role", "moderator");
    }
    if (owner && member.role == community::MemberRole::kModerator) {
      ButtonForm(html, visit, base + "/role", "Make member", true, "role", "member");
    }
    if (removable && member.profile_id != me) ButtonForm(html, visit, base + "/remove", "Remove", true);
    html.Raw("</li>");
  }
  html.Raw("</ul>");
  if (!page->next_cursor.empty()) {
    html.Raw("<p><a href=\"")
        .Text(GroupManagePath(group.handle))
        .Raw("?cursor=")
        .Text(page->next_cursor)
        .Raw("\">More members</a></p>");
  }
  html.Raw("</section>");
}

Response ManagePage(const PageServices& services, const Visit& visit, std::int64_t me, const community::GroupView& view,
                    const ManageState& state, int status) {
  const community::Group& group = view.group;
  const std::string manage = GroupManagePath(group.handle);
  const GroupForm settings = state.settings.value_or(FormFromGroup(group));
  HtmlWriter html;
  html.Raw("<div class=\"group group-manage\"><p><a href=\"")
      .Text(GroupPath(group.handle))
      .Raw("\">Back to the group</a></p><h1>Manage ")
      .Text(group.name)
      .Raw("</h1><p class=\"group-meta\">")
      .Text(AccessLabel(group.access))
      .Raw("</p>");
  if (!state.notice.empty()) html.Raw("<p class=\"notice\" role=\"status\">").Text(state.notice).Raw("</p>");
  html.Fragment(Alert(state.refusal));

  html.Raw("<section aria-labelledby=\"settings-title\" class=\"card\"><h2 id=\"settings-title\">Settings</h2>")
      .Fragment(Alert(settings.general_error))
      .Raw("<form method=\"post\" action=\"")
      .Text(manage)
      .Raw("\" novalidate>")
      .Fragment(CsrfField(*visit.customer));
  SharedFields(html, settings);
  html.Raw("<button type=\"submit\">Save the settings</button></form></section>");

  html.Raw("<section aria-labelledby=\"invite-title\" class=\"card\"><h2 id=\"invite-title\">Invite someone</h2>")
      .Raw("<p>They are told in their notifications and can then join, whatever the group's access.</p>")
      .Raw("<form method=\"post\" action=\"")
      .Text(GroupPath(group.handle))
      .Raw("/invite\" novalidate>")
      .Fragment(CsrfField(*visit.customer))
      .Fragment(LabelledInput({.id = "invitee",
                               .label = "Their handle",
                               .value = state.invite_handle,
                               .error = state.invite_error,
                               .attributes = "required autocapitalize=\"none\" spellcheck=\"false\""}))
      .Raw("<button type=\"submit\">Invite</button></form></section>");

  JoinRequestsSection(html, services, visit, me, group, true);
  MembersSection(html, services, visit, me, view, state.cursor);
  html.Raw("</div>");
  return ShopPage(services, visit, PrivatePage("Manage " + group.name, manage), {html.Take()}, status);
}

Response NotAModerator(const PageServices& services, const Visit& visit) {
  return MessagePage(services, visit, "Manage the group", "Only the group's owner and its moderators can manage it.",
                     403);
}

// A refused change as the management page with the refusal in words at the top.
Response Refused(const PageServices& services, const GroupActor& actor, const Error& error, std::int64_t target = 0) {
  const Visit& visit = actor.post.visit;
  ManageState state;
  int status = 503;
  if (target != 0 && target == actor.group.group.owner_profile_id) {
    state.refusal = "The owner cannot be removed from the group, and stays its owner.";
    status = 403;
  } else if (error.code == ErrorCode::kNotFound) {
    state.refusal = "That person is no longer a member of the group.";
    status = 404;
  } else if (error.code == ErrorCode::kPermissionDenied) {
    state.refusal = Sentence(error.detail);
    status = 403;
  } else if (error.code == ErrorCode::kConflict || error.code == ErrorCode::kInvalidArgument) {
    state.refusal = Sentence(error.detail);
    status = error.code == ErrorCode::kConflict ? 409 : 400;
  } else {
    return MessagePage(services, visit, "Manage the group", "That did not work; please try again.", 503);
  }
  return ManagePage(services, visit, actor.profile_id, actor.group, state, status);
}

Response Done(const GroupActor& actor, std::string_view notice) {
  return RedirectAfterPost(actor.post.visit,
                           GroupManagePath(actor.group.group.handle) + "?notice=" + std::string(notice));
}

Response SaveSettings(const PageServices& services, const GroupActor& actor) {
  const Visit& visit = actor.post.visit;
  GroupForm form = FormFromPost(actor.post.form);
  form.handle = actor.group.group.handle;
  const auto access = community::ParseGroupAccess(form.access);
  ManageState state;
  if (!access) {
    form.errors["access"] = "Choose who may see and join the group.";
    state.settings = std::move(form);
    return ManagePage(services, visit, actor.profile_id, actor.group, state, 422);
  }
  auto updated = services.groups.UpdateGroup(
      visit.shop.id, actor.profile_id, actor.group.group.id,
      {.name = form.name, .description = form.description, .rules = form.rules, .access = *access});
  if (updated.ok()) return Done(actor, "saved");
  if (!PlaceFieldError(form, updated.error())) return Refused(services, actor, updated.error());
  state.settings = std::move(form);
  return ManagePage(services, visit, actor.profile_id, actor.group, state, 422);
}

Response InviteByHandle(const PageServices& services, const GroupActor& actor) {
  const Visit& visit = actor.post.visit;
  ManageState state{.invite_handle = FormValue(actor.post.form, "invitee")};
  std::string_view handle = state.invite_handle;
  // People write handles as they read them, with the @.
  if (handle.starts_with('@')) handle.remove_prefix(1);
  if (handle.empty()) {
    state.invite_error = "Enter the handle of the person to invite.";
    return ManagePage(services, visit, actor.profile_id, actor.group, state, 422);
  }
  const auto unknown = [&] {
    state.invite_error = "No one in the community has the handle @" + std::string(handle) + ".";
    return ManagePage(services, visit, actor.profile_id, actor.group, state, 422);
  };
  auto invitee = services.profiles.ViewProfile(visit.shop.id, handle, actor.profile_id);
  if (!invitee.ok()) {
    if (invitee.error().code != ErrorCode::kNotFound) return Refused(services, actor, invitee.error());
    return unknown();
  }
  const Status invited =
      services.groups.Invite(visit.shop.id, actor.profile_id, actor.group.group.id, invitee->profile.id);
  if (invited.ok()) return Done(actor, "invited");
  // The group's absence was ruled out when the form began; what went missing since is
  // the profile.
  if (invited.error().code == ErrorCode::kNotFound) return unknown();
  return Refused(services, actor, invited.error());
}

using ManageFn = std::function<Response(const PageServices&, const GroupActor&, const Request&)>;

// A management form: the actor must moderate the group they can see.
http::Handler ManageAction(const PageServices& services, ManageFn action) {
  return [&services, action = std::move(action)](Request& request) -> Response {
    auto begun = BeginGroupAction(services, request);
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    const GroupActor& actor = std::get<GroupActor>(begun);
    if (!Moderates(actor.group.standing)) return NotAModerator(services, actor.post.visit);
    return action(services, actor, request);
  };
}

}  // namespace

void RegisterGroupManagePages(http::Router& router, const PageServices& services) {
  router.Get("/groups/new", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    auto member = MemberOrRedirect(services, *visit, "/groups/new");
    if (auto* answer = std::get_if<Response>(&member)) return std::move(*answer);
    return NewGroupPage(services, *visit, {}, 200);
  });

  router.Post("/groups/new", [&services](Request& request) -> Response {
    auto begun = BeginGuestPost(services, request);
    if (auto* answer = std::get_if<Response>(&begun)) return std::move(*answer);
    return CreateGroup(services, std::get<GuestPost>(begun));
  });

  router.Get("/groups/{handle}/manage", [&services](Request& request) -> Response {
    auto visit = BeginVisit(services, request);
    if (!visit.ok()) return Response::Problem(visit.error(), request.request_id);
    auto member = MemberOrRedirect(services, *visit, GroupManagePath(request.PathParam("handle")));
    if (auto* answer = std::get_if<Response>(&member)) return std::move(*answer);
    const std::int64_t me = std::get<social::Profile>(member).id;
    auto view = services.groups.ViewGroup(visit->shop.id, request.PathParam("handle"), me);
    if (!view.ok()) {
      if (view.error().code == ErrorCode::kNotFound) {
        return MessagePage(services, *visit, "Group not found", "There is no group at this address.", 404);
      }
      return MessagePage(services, *visit, "Group", "The group could not be loaded; please try again.", 503);
    }
    if (!Moderates(view->standing)) return NotAModerator(services, *visit);
    ManageState state{.notice = std::string(NoticeText(request.Query("notice").value_or("")))};
    if (auto cursor = request.Query("cursor"); cursor && IsCursor(*cursor)) state.cursor = std::string(*cursor);
    return ManagePage(services, *visit, me, *view, state, 200);
  });

  router.Post("/groups/{handle}/manage", ManageAction(services, [](const PageServices& s, const GroupActor& actor,
                                                                   const Request&) { return SaveSettings(s, actor); }));

  router.Post("/groups/{handle}/invite",
              ManageAction(services, [](const PageServices& s, const GroupActor& actor, const Request&) {
                return InviteByHandle(s, actor);
              }));

  router.Post("/groups/{handle}/members/{profile}/remove",
              ManageAction(services, [](const PageServices& s, const GroupActor& actor, const Request& request) {
                const auto member = ParseId(request.PathParam("profile"));
                if (!member) return Refused(s, actor, Error::NotFound("no such member"));
                const Status removed =
                    s.groups.RemoveMember(actor.post.visit.shop.id, actor.profile_id, actor.group.group.id, *member);
                return removed.ok() ? Done(actor, "removed") : Refused(s, actor, removed.error(), *member);
              }));

  router.Post("/groups/{handle}/members/{profile}/role",
              ManageAction(services, [](const PageServices& s, const GroupActor& actor, const Request& request) {
                const auto member = ParseId(request.PathParam("profile"));
                if (!member) return Refused(s, actor, Error::NotFound("no such member"));
                const std::string role = FormValue(actor.post.form, "role");
                if (role != "moderator" && role != "member") {
                  return Refused(s, actor, Error::Invalid("validation/enum", "choose moderator or member", "/role"));
                }
                const Status set = s.groups.SetModerator(actor.post.visit.shop.id, actor.profile_id,
                                                         actor.group.group.id, *member, role == "moderator");
                return set.ok() ? Done(actor, role) : Refused(s, actor, set.error(), *member);
              }));
}

}  // namespace plaza::web::storefront
