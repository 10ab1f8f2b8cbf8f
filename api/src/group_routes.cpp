// Community groups: public reads (`shop`, anonymous viewer), the signed-in customer's
// groups, membership and moderation (`customer`, acting as their social profile), and the
// staff's view of every group with the VIP rules (`admin`). Who may see or do what is
// decided by community::GroupService.

#include <boost/json/array.hpp>
#include <limits>

#include "plaza/community/groups.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;
namespace community = plaza::community;

// Reading limits only bound the work a hostile body can cause; the module then checks
// the real limits and answers with its own precise errors.
constexpr http::StringLimits kLooseLine{.max_length = 4 * community::kMaxGroupNameLength};
constexpr http::StringLimits kLooseText{.max_length = 4 * community::kMaxGroupRulesLength, .multiline = true};
constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();

boost::json::value OptionalValue(const std::optional<std::string>& value) {
  return value ? boost::json::value(*value) : nullptr;
}

boost::json::object EncodeGroup(const community::Group& group) {
  boost::json::object out{{"id", group.id},
                          {"handle", group.handle},
                          {"name", group.name},
                          {"description", group.description},
                          {"rules", group.rules},
                          {"access", community::GroupAccessName(group.access)},
                          {"owner_profile_id", group.owner_profile_id},
                          {"members_count", group.members_count},
                          {"created_at", FormatRfc3339(group.created_at)}};
  if (group.vip) {
    out["vip"] = {{"customer_tag", OptionalValue(group.vip->customer_tag)},
                  {"min_paid_orders", group.vip->min_paid_orders ? boost::json::value(*group.vip->min_paid_orders)
                                                                 : boost::json::value(nullptr)},
                  {"member_tag", OptionalValue(group.vip->member_tag)}};
  } else {
    out["vip"] = nullptr;
  }
  return out;
}

boost::json::object EncodeView(const community::GroupView& view) {
  boost::json::object out = EncodeGroup(view.group);
  out["content_visible"] = view.content_visible;
  out["standing"] = {
      {"role", view.standing.role ? boost::json::value(community::MemberRoleName(*view.standing.role)) : nullptr},
      {"requested", view.standing.requested},
      {"invited", view.standing.invited}};
  return out;
}

Result<community::PageQuery> ReadPage(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
  return community::PageQuery{.cursor = page.cursor, .limit = page.limit};
}

// A list shows each group's header; whether its content is readable is answered by the
// group's own route, with the viewer's standing.
Response GroupsResponse(const community::GroupPage& page) {
  boost::json::array groups;
  for (const community::Group& group : page.groups) groups.emplace_back(EncodeGroup(group));
  return Response::Json(
      {{"groups", std::move(groups)},
       {"next_cursor", page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor)}});
}

Response MembersResponse(const community::MemberPage& page) {
  boost::json::array members;
  for (const community::Member& member : page.members) {
    members.push_back({{"profile_id", member.profile_id},
                       {"role", community::MemberRoleName(member.role)},
                       {"joined_at", FormatRfc3339(member.joined_at)}});
  }
  return Response::Json(
      {{"members", std::move(members)},
       {"next_cursor", page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor)}});
}

Result<community::GroupAccess> ReadAccess(const std::string& name) {
  auto access = community::ParseGroupAccess(name);
  if (!access) return Error::Invalid("validation/enum", "access must be public, private or invite_only", "/access");
  return *access;
}

Result<community::NewGroup> ReadNewGroup(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  const JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"handle", "name", "description", "rules", "access"}));
  community::NewGroup group;
  PLAZA_ASSIGN_OR_RETURN(group.handle, reader.RequiredString("handle", kLooseLine));
  PLAZA_ASSIGN_OR_RETURN(group.name, reader.RequiredString("name", kLooseLine));
  PLAZA_ASSIGN_OR_RETURN(auto description, reader.OptionalString("description", kLooseText));
  group.description = description.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto rules, reader.OptionalString("rules", kLooseText));
  group.rules = rules.value_or("");
  PLAZA_ASSIGN_OR_RETURN(auto access, reader.OptionalString("access", kLooseLine));
  if (access) {
    PLAZA_ASSIGN_OR_RETURN(group.access, ReadAccess(*access));
  }
  return group;
}

Result<community::GroupUpdate> ReadGroupUpdate(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  const JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"name", "description", "rules", "access"}));
  community::GroupUpdate update;
  PLAZA_ASSIGN_OR_RETURN(update.name, reader.OptionalString("name", kLooseLine));
  PLAZA_ASSIGN_OR_RETURN(update.description, reader.OptionalString("description", kLooseText));
  PLAZA_ASSIGN_OR_RETURN(update.rules, reader.OptionalString("rules", kLooseText));
  PLAZA_ASSIGN_OR_RETURN(auto access, reader.OptionalString("access", kLooseLine));
  if (access) {
    PLAZA_ASSIGN_OR_RETURN(community::GroupAccess parsed, ReadAccess(*access));
    update.access = parsed;
  }
  return update;
}

Result<community::VipRule> ReadVipRule(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  const JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"customer_tag", "min_paid_orders", "member_tag"}));
  community::VipRule rule;
  PLAZA_ASSIGN_OR_RETURN(rule.customer_tag, reader.OptionalString("customer_tag", kLooseLine));
  PLAZA_ASSIGN_OR_RETURN(rule.min_paid_orders, reader.OptionalInt64("min_paid_orders", 0, kMaxId));
  PLAZA_ASSIGN_OR_RETURN(rule.member_tag, reader.OptionalString("member_tag", kLooseLine));
  return rule;
}

std::string HandleOf(const Request& request) {
  return std::string(request.PathParam("handle"));
}

}  // namespace

void RegisterGroupStorefrontRoutes(http::RouteGroup shop, const ApiServices& services) {
  shop.Get("/social/groups", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(community::PageQuery page, ReadPage(request));
             PLAZA_ASSIGN_OR_RETURN(community::GroupPage groups,
                                    services.groups.ListGroups(ShopOf(request), std::nullopt, page));
             return GroupsResponse(groups);
           }));
  shop.Get("/social/groups/{handle}", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(community::GroupView view,
                                    services.groups.ViewGroup(ShopOf(request), HandleOf(request), std::nullopt));
             return Response::Json(EncodeView(view));
           }));
  shop.Get("/social/groups/{handle}/members", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(community::PageQuery page, ReadPage(request));
             PLAZA_ASSIGN_OR_RETURN(community::GroupView view,
                                    services.groups.ViewGroup(ShopOf(request), HandleOf(request), std::nullopt));
             PLAZA_ASSIGN_OR_RETURN(community::MemberPage members,
                                    services.groups.ListMembers(ShopOf(request), std::nullopt, view.group.id, page));
             return MembersResponse(members);
           }));
}

void RegisterCustomerGroupRoutes(http::RouteGroup customer, const ApiServices& services) {
  customer.Post("/customer/social/groups", Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(community::NewGroup input, ReadNewGroup(request));
                  PLAZA_ASSIGN_OR_RETURN(community::Group group,
                                         services.groups.CreateGroup(ShopOf(request), me, input));
                  return Response::Json(EncodeGroup(group), 201);
                }));
  customer.Get("/customer/social/groups", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(community::PageQuery page, ReadPage(request));
                 PLAZA_ASSIGN_OR_RETURN(community::GroupPage groups,
                                        services.groups.ListGroups(ShopOf(request), me, page));
                 return GroupsResponse(groups);
               }));
  customer.Get("/customer/social/my-groups", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(community::PageQuery page, ReadPage(request));
                 PLAZA_ASSIGN_OR_RETURN(community::GroupPage groups,
                                        services.groups.ListMyGroups(ShopOf(request), me, page));
                 return GroupsResponse(groups);
               }));
  customer.Get("/customer/social/groups/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(community::GroupView view,
                                        services.groups.ViewGroupById(ShopOf(request), group_id, me));
                 return Response::Json(EncodeView(view));
               }));
  customer.Patch("/customer/social/groups/{id}", Handle([&services](Request& request) -> Result<Response> {
                   PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                   PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                   PLAZA_ASSIGN_OR_RETURN(community::GroupUpdate update, ReadGroupUpdate(request));
                   PLAZA_ASSIGN_OR_RETURN(community::Group group,
                                          services.groups.UpdateGroup(ShopOf(request), me, group_id, update));
                   return Response::Json(EncodeGroup(group));
                 }));
  customer.Put("/customer/social/groups/{id}/membership", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(community::JoinOutcome outcome,
                                        services.groups.Join(ShopOf(request), me, group_id));
                 return Response::Json({{"state", community::JoinOutcomeName(outcome)}});
               }));
  customer.Delete("/customer/social/groups/{id}/membership", Handle([&services](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                    PLAZA_TRY(services.groups.Leave(ShopOf(request), me, group_id));
                    return Response::NoContent();
                  }));
  customer.Get("/customer/social/groups/{id}/members", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(community::PageQuery page, ReadPage(request));
                 PLAZA_ASSIGN_OR_RETURN(community::MemberPage members,
                                        services.groups.ListMembers(ShopOf(request), me, group_id, page));
                 return MembersResponse(members);
               }));
  customer.Get(
      "/customer/social/groups/{id}/requests", Handle([&services](Request& request) -> Result<Response> {
        PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
        PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
        PLAZA_ASSIGN_OR_RETURN(std::vector<community::Member> requests,
                               services.groups.ListRequests(ShopOf(request), me, group_id));
        boost::json::array out;
        for (const community::Member& requester : requests) {
          out.push_back({{"profile_id", requester.profile_id}, {"requested_at", FormatRfc3339(requester.joined_at)}});
        }
        return Response::Json({{"requests", std::move(out)}});
      }));
  customer.Post("/customer/social/groups/{id}/requests/{profile}/approve",
                Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t profile_id, IdFromPath(request, "profile"));
                  PLAZA_TRY(services.groups.ApproveRequest(ShopOf(request), me, group_id, profile_id));
                  return Response::NoContent();
                }));
  customer.Post("/customer/social/groups/{id}/requests/{profile}/decline",
                Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t profile_id, IdFromPath(request, "profile"));
                  PLAZA_TRY(services.groups.DeclineRequest(ShopOf(request), me, group_id, profile_id));
                  return Response::NoContent();
                }));
  customer.Put("/customer/social/groups/{id}/invitations/{profile}",
               Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t profile_id, IdFromPath(request, "profile"));
                 PLAZA_TRY(services.groups.Invite(ShopOf(request), me, group_id, profile_id));
                 return Response::NoContent();
               }));
  customer.Delete("/customer/social/groups/{id}/members/{profile}",
                  Handle([&services](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t profile_id, IdFromPath(request, "profile"));
                    PLAZA_TRY(services.groups.RemoveMember(ShopOf(request), me, group_id, profile_id));
                    return Response::NoContent();
                  }));
  customer.Put("/customer/social/groups/{id}/moderators/{profile}",
               Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t profile_id, IdFromPath(request, "profile"));
                 PLAZA_TRY(services.groups.SetModerator(ShopOf(request), me, group_id, profile_id, true));
                 return Response::NoContent();
               }));
  customer.Delete("/customer/social/groups/{id}/moderators/{profile}",
                  Handle([&services](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t profile_id, IdFromPath(request, "profile"));
                    PLAZA_TRY(services.groups.SetModerator(ShopOf(request), me, group_id, profile_id, false));
                    return Response::NoContent();
                  }));
  customer.Put("/customer/social/groups/{id}/pins/{post}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t post_id, IdFromPath(request, "post"));
                 PLAZA_TRY(services.groups.Pin(ShopOf(request), me, group_id, post_id));
                 return Response::NoContent();
               }));
  customer.Delete("/customer/social/groups/{id}/pins/{post}", Handle([&services](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t post_id, IdFromPath(request, "post"));
                    PLAZA_TRY(services.groups.Unpin(ShopOf(request), me, group_id, post_id));
                    return Response::NoContent();
                  }));
}

void RegisterGroupRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.Get("/community/groups", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(community::PageQuery page, ReadPage(request));
              PLAZA_ASSIGN_OR_RETURN(community::GroupPage groups,
                                     services.groups.ListAllGroups(Caller(request), ShopOf(request), page));
              return GroupsResponse(groups);
            }));
  admin.Get("/community/groups/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(community::Group group,
                                     services.groups.GetGroup(Caller(request), ShopOf(request), group_id));
              return Response::Json(EncodeGroup(group));
            }));
  admin.Put("/community/groups/{id}/vip", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(community::VipRule rule, ReadVipRule(request));
              PLAZA_ASSIGN_OR_RETURN(community::Group group,
                                     services.groups.SetVipRule(Caller(request), ShopOf(request), group_id, rule));
              return Response::Json(EncodeGroup(group));
            }));
  admin.Delete("/community/groups/{id}/vip", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(
                     community::Group group,
                     services.groups.SetVipRule(Caller(request), ShopOf(request), group_id, std::nullopt));
                 return Response::Json(EncodeGroup(group));
               }));
  admin.Post("/community/groups/{id}/vip/reevaluate", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(std::int64_t group_id, IdFromPath(request, "id"));
               PLAZA_ASSIGN_OR_RETURN(community::VipSweep sweep,
                                      services.groups.ReevaluateVip(Caller(request), ShopOf(request), group_id));
               return Response::Json({{"kept", sweep.kept}, {"removed", sweep.removed}, {"retagged", sweep.retagged}});
             }));
}

}  // namespace plaza::api
