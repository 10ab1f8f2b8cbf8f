#include "group_frame.h"

#include "../form.h"
#include "social_frame.h"

namespace plaza::web::storefront {

std::string GroupPath(std::string_view handle) {
  return "/groups/" + std::string(handle);
}

std::string GroupManagePath(std::string_view handle) {
  return GroupPath(handle) + "/manage";
}

std::string_view AccessLabel(community::GroupAccess access) {
  switch (access) {
    case community::GroupAccess::kPublic:
      return "Public group";
    case community::GroupAccess::kPrivate:
      return "Private group";
    case community::GroupAccess::kInviteOnly:
      return "Invite-only group";
  }
  return "";
}

bool Moderates(const community::Standing& standing) {
  return standing.role &&
         (*standing.role == community::MemberRole::kOwner || *standing.role == community::MemberRole::kModerator);
}

void ButtonForm(HtmlWriter& html, const Visit& visit, const std::string& action, std::string_view label, bool secondary,
                std::string_view hidden_name, std::string_view hidden_value) {
  html.Raw("<form method=\"post\" class=\"inline\" action=\"").Text(action).Raw("\">");
  html.Fragment(CsrfField(*visit.customer));
  if (!hidden_name.empty()) {
    html.Raw("<input type=\"hidden\" name=\"").Text(hidden_name).Raw("\" value=\"").Text(hidden_value).Raw("\">");
  }
  html.Raw(secondary ? "<button type=\"submit\" class=\"secondary\">" : "<button type=\"submit\">")
      .Text(label)
      .Raw("</button></form>");
}

std::unordered_map<std::int64_t, social::Profile> MemberProfiles(const PageServices& services, const Visit& visit,
                                                                 const std::vector<community::Member>& members) {
  std::vector<std::int64_t> ids;
  ids.reserve(members.size());
  for (const community::Member& member : members) ids.push_back(member.profile_id);
  std::unordered_map<std::int64_t, social::Profile> out;
  auto profiles = services.profiles.GetProfiles(visit.shop.id, ids);
  if (!profiles.ok()) return out;  // each chip then says it could not be read
  for (social::Profile& profile : *profiles) out.emplace(profile.id, std::move(profile));
  return out;
}

void MemberChip(HtmlWriter& html, const std::unordered_map<std::int64_t, social::Profile>& profiles,
                std::int64_t profile_id) {
  if (const auto found = profiles.find(profile_id); found != profiles.end()) {
    ProfileChip(html, found->second);
  } else {
    html.Raw("<span>A member of the community</span>");
  }
}

void JoinRequestsSection(HtmlWriter& html, const PageServices& services, const Visit& visit, std::int64_t me,
                         const community::Group& group, bool on_manage_page) {
  auto requests = services.groups.ListRequests(visit.shop.id, me, group.id);
  if (!on_manage_page && (!requests.ok() || requests->empty())) return;
  html.Raw("<section aria-labelledby=\"requests-title\"><h2 id=\"requests-title\">Requests to join</h2>");
  if (!requests.ok()) {
    html.Fragment(Alert("The requests could not be shown; please try again."));
  } else if (requests->empty()) {
    html.Raw("<p>No one is waiting to join.</p>");
  } else {
    const std::string_view back = on_manage_page ? "return" : "";
    const auto profiles = MemberProfiles(services, visit, *requests);
    html.Raw("<ul class=\"group-requests\">");
    for (const community::Member& request : *requests) {
      html.Raw("<li>");
      MemberChip(html, profiles, request.profile_id);
      const std::string base = GroupPath(group.handle) + "/requests/" + std::to_string(request.profile_id);
      ButtonForm(html, visit, base + "/approve", "Approve", false, back, "manage");
      ButtonForm(html, visit, base + "/decline", "Decline", true, back, "manage");
      html.Raw("</li>");
    }
    html.Raw("</ul>");
  }
  html.Raw("</section>");
}

std::variant<GroupActor, http::Response> BeginGroupAction(const PageServices& services, const http::Request& request) {
  auto begun = BeginGuestPost(services, request);
  if (auto* answer = std::get_if<http::Response>(&begun)) return std::move(*answer);
  GuestPost& post = std::get<GuestPost>(begun);
  const Visit& visit = post.visit;
  const std::string path = GroupPath(request.PathParam("handle"));
  if (!visit.customer) return RedirectAfterPost(visit, LogInPath(path));
  if (!identity::CheckCsrf(*visit.customer, FormValue(post.form, "csrf_token")).ok()) {
    return MessagePage(services, visit, "Group", "The form expired; reload the page and try again.", 403);
  }
  auto profile = ViewerProfile(services, visit);
  if (!profile) return RedirectAfterPost(visit, NewProfilePath(path));
  auto view = services.groups.ViewGroup(visit.shop.id, request.PathParam("handle"), profile->id);
  if (!view.ok()) {
    if (view.error().code == ErrorCode::kNotFound) {
      return MessagePage(services, visit, "Group not found", "There is no group at this address.", 404);
    }
    return MessagePage(services, visit, "Group", "That did not work; please try again.", 503);
  }
  return GroupActor{std::move(post), profile->id, std::move(view).value()};
}

}  // namespace plaza::web::storefront
