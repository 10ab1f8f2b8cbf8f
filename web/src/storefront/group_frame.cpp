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
