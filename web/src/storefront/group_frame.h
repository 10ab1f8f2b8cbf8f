#pragma once
// What the group pages (group_pages.cpp) and the group management pages
// (group_manage_pages.cpp) share: a group's address and access in words, the one-button
// forms, and the start of every group form post.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "../html.h"
#include "cart_view.h"
#include "plaza/community/groups.h"
#include "plaza/http/request.h"
#include "plaza/http/response.h"
#include "plaza/web/pages.h"
#include "visit.h"

namespace plaza::web::storefront {

// "/groups/{handle}".
std::string GroupPath(std::string_view handle);
// "/groups/{handle}/manage".
std::string GroupManagePath(std::string_view handle);

// "Public group", "Private group", "Invite-only group".
std::string_view AccessLabel(community::GroupAccess access);

// Whether a standing lets its profile manage the group (owner or moderator).
bool Moderates(const community::Standing& standing);

// A one-button form posting to `action` with the visit's CSRF token and, when
// `hidden_name` is set, one hidden field.
void ButtonForm(HtmlWriter& html, const Visit& visit, const std::string& action, std::string_view label, bool secondary,
                std::string_view hidden_name = {}, std::string_view hidden_value = {});

// The profiles of a list of members or requesters, read at once, by id.
std::unordered_map<std::int64_t, social::Profile> MemberProfiles(const PageServices& services, const Visit& visit,
                                                                 const std::vector<community::Member>& members);

// The chip of member `profile_id` (ProfileChip) from `profiles`, or words when it could
// not be read.
void MemberChip(HtmlWriter& html, const std::unordered_map<std::int64_t, social::Profile>& profiles,
                std::int64_t profile_id);

// The pending join requests with Approve / Decline, for a moderator `me`. The group page
// shows the section only when someone is waiting; the management page always, and its
// forms come back to it (`return=manage`).
void JoinRequestsSection(HtmlWriter& html, const PageServices& services, const Visit& visit, std::int64_t me,
                         const community::Group& group, bool on_manage_page);

// A signed-in customer with a profile posting a same-origin form with the right token to
// the group of the path's {handle}, which they may see.
struct GroupActor {
  GuestPost post;
  std::int64_t profile_id = 0;
  community::GroupView group;
};

// The actor, or the answer to send instead: the cross-site refusal, a 303 to log in or
// to create a profile, 403 for a missing or wrong token, 404 for a group they cannot see.
std::variant<GroupActor, http::Response> BeginGroupAction(const PageServices& services, const http::Request& request);

}  // namespace plaza::web::storefront
