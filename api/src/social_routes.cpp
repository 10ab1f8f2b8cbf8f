// Social profiles and the follow graph: public reads of profiles (`shop`, anonymous
// viewer) and the signed-in customer's own profile, follows, requests, blocks and mutes
// (`customer`), and the brand and creator profiles staff manage (`admin`). Visibility
// and every rule are decided by social::ProfileService.

#include <charconv>
#include <limits>

#include "plaza/social/profiles.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;

// Reading limits only bound the work a hostile body can cause; the module then checks
// the real limits and answers with its own precise errors.
constexpr http::StringLimits kLooseText{.max_length = 4 * social::kMaxBioLength, .multiline = true};
constexpr http::StringLimits kLooseLine{.max_length = social::kMaxUrlLength + 1};
constexpr std::size_t kMaxLinksInRequest = 4 * social::kMaxLinks;
constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();

boost::json::object EncodeSummary(const social::Profile& profile) {
  boost::json::object out;
  out["id"] = profile.id;
  out["handle"] = profile.handle;
  out["display_name"] = profile.display_name;
  out["avatar_url"] = profile.avatar_url ? boost::json::value(*profile.avatar_url) : nullptr;
  out["kind"] = social::ProfileKindName(profile.kind);
  out["is_private"] = profile.is_private;
  return out;
}

boost::json::object EncodeProfile(const social::Profile& profile, bool content_visible) {
  boost::json::object out = EncodeSummary(profile);
  out["followers_count"] = profile.followers_count;
  out["following_count"] = profile.following_count;
  out["content_visible"] = content_visible;
  if (content_visible) {
    out["bio"] = profile.bio;
    out["links"] = boost::json::array(profile.links.begin(), profile.links.end());
  }
  out["created_at"] = FormatRfc3339(profile.created_at);
  return out;
}

boost::json::object EncodeView(const social::ProfileView& view, bool with_relationship) {
  boost::json::object out = EncodeProfile(view.profile, view.content_visible);
  if (with_relationship) {
    const social::Relationship& relation = view.relationship;
    out["relationship"] = {{"is_self", relation.is_self},     {"following", relation.following},
                           {"requested", relation.requested}, {"followed_by", relation.followed_by},
                           {"blocking", relation.blocking},   {"muting", relation.muting}};
  }
  return out;
}

Result<Response> PageResponse(Result<social::ProfilePage> page) {
  if (!page.ok()) return std::move(page).error();
  boost::json::array profiles;
  for (const social::Profile& profile : page->profiles) profiles.emplace_back(EncodeSummary(profile));
  boost::json::object out{{"profiles", std::move(profiles)}};
  out["next_cursor"] = page->next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page->next_cursor);
  return Response::Json(out);
}

Result<std::optional<std::vector<std::string>>> ReadLinks(const JsonReader& reader) {
  const auto* value = reader.object().if_contains("links");
  if (!value || value->is_null()) return std::optional<std::vector<std::string>>();
  PLAZA_ASSIGN_OR_RETURN(std::vector<std::string> links, ReadStringArray(reader, "links", kMaxLinksInRequest));
  return std::optional<std::vector<std::string>>(std::move(links));
}

Result<social::NewProfile> ReadNewProfile(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  const JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"handle", "display_name", "bio", "avatar_url", "links", "is_private"}));
  social::NewProfile profile;
  PLAZA_ASSIGN_OR_RETURN(profile.handle, reader.RequiredString("handle", kLooseLine));
  PLAZA_ASSIGN_OR_RETURN(profile.display_name, reader.RequiredString("display_name", kLooseLine));
  PLAZA_ASSIGN_OR_RETURN(auto bio, reader.OptionalString("bio", kLooseText));
  profile.bio = bio.value_or("");
  PLAZA_ASSIGN_OR_RETURN(profile.avatar_url, reader.OptionalString("avatar_url", kLooseLine));
  PLAZA_ASSIGN_OR_RETURN(auto links, ReadLinks(reader));
  profile.links = links.value_or(std::vector<std::string>{});
  PLAZA_ASSIGN_OR_RETURN(auto is_private, reader.OptionalBool("is_private"));
  profile.is_private = is_private.value_or(false);
  return profile;
}

Result<social::ProfileUpdate> ReadProfileUpdate(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  const JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"handle", "display_name", "bio", "avatar_url", "links", "is_private"}));
  social::ProfileUpdate update;
  PLAZA_ASSIGN_OR_RETURN(update.handle, reader.OptionalString("handle", kLooseLine));
  PLAZA_ASSIGN_OR_RETURN(update.display_name, reader.OptionalString("display_name", kLooseLine));
  PLAZA_ASSIGN_OR_RETURN(update.bio, reader.OptionalString("bio", kLooseText));
  if (const auto* avatar = body.if_contains("avatar_url"); avatar && avatar->is_null()) {
    update.avatar_url = std::optional<std::string>();
  } else {
    PLAZA_ASSIGN_OR_RETURN(auto avatar_url, reader.OptionalString("avatar_url", kLooseLine));
    if (avatar_url) update.avatar_url = std::optional<std::string>(std::move(*avatar_url));
  }
  PLAZA_ASSIGN_OR_RETURN(update.links, ReadLinks(reader));
  PLAZA_ASSIGN_OR_RETURN(update.is_private, reader.OptionalBool("is_private"));
  return update;
}

std::string HandleOf(const Request& request) {
  return std::string(request.PathParam("handle"));
}

Status MayManage(const Request& request) {
  return identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kGrowthManage);
}

// A brand or creator profile of the shop; customers' own profiles are theirs, not staff's
// to edit here, and answer 404 like an absent one.
Result<social::Profile> ManagedProfile(const ApiServices& services, const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
  PLAZA_ASSIGN_OR_RETURN(social::Profile profile, services.social.GetProfile(ShopOf(request), id));
  if (profile.kind == social::ProfileKind::kCustomer) return Error::NotFound("no such brand or creator profile");
  return profile;
}

boost::json::object EncodeManaged(const social::Profile& profile) {
  boost::json::object out = EncodeProfile(profile, /*content_visible=*/true);
  out["customer_id"] = profile.customer_id ? boost::json::value(*profile.customer_id) : nullptr;
  return out;
}

}  // namespace

Result<social::PageRequest> ReadSocialPage(const Request& request) {
  social::PageRequest page;
  if (auto cursor = request.Query("cursor")) page.cursor = std::string(*cursor);
  if (auto text = request.Query("limit")) {
    int limit = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), limit);
    if (error != std::errc() || end != text->data() + text->size()) {
      return Error::Invalid("validation/format", "limit is not an integer", "limit");
    }
    page.limit = limit;
  }
  return page;
}

Result<std::int64_t> MyProfile(const ApiServices& services, const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(social::Profile me,
                         services.social.ProfileOfCustomer(ShopOf(request), Caller(request).user_id));
  return me.id;
}

void RegisterSocialStorefrontRoutes(http::RouteGroup shop, const ApiServices& services) {
  shop.Get("/social/profiles/{handle}", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(social::ProfileView view,
                                    services.social.ViewProfile(ShopOf(request), HandleOf(request), std::nullopt));
             return Response::Json(EncodeView(view, /*with_relationship=*/false));
           }));
  shop.Get("/social/profiles/{handle}/followers", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
             return PageResponse(services.social.ListFollowers(ShopOf(request), HandleOf(request), std::nullopt, page));
           }));
  shop.Get("/social/profiles/{handle}/following", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
             return PageResponse(services.social.ListFollowing(ShopOf(request), HandleOf(request), std::nullopt, page));
           }));
}

void RegisterSocialRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.Post("/social/managed-profiles", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayManage(request));
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               const JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly(
                   {"handle", "display_name", "bio", "avatar_url", "links", "is_private", "kind", "customer_id"}));
               social::NewProfile profile;
               PLAZA_ASSIGN_OR_RETURN(profile.handle, reader.RequiredString("handle", kLooseLine));
               PLAZA_ASSIGN_OR_RETURN(profile.display_name, reader.RequiredString("display_name", kLooseLine));
               PLAZA_ASSIGN_OR_RETURN(auto bio, reader.OptionalString("bio", kLooseText));
               profile.bio = bio.value_or("");
               PLAZA_ASSIGN_OR_RETURN(profile.avatar_url, reader.OptionalString("avatar_url", kLooseLine));
               PLAZA_ASSIGN_OR_RETURN(auto links, ReadLinks(reader));
               profile.links = links.value_or(std::vector<std::string>{});
               PLAZA_ASSIGN_OR_RETURN(auto is_private, reader.OptionalBool("is_private"));
               profile.is_private = is_private.value_or(false);
               PLAZA_ASSIGN_OR_RETURN(std::string kind, reader.RequiredString("kind", kLooseLine));
               const auto parsed = social::ParseProfileKind(kind);
               if (!parsed || *parsed == social::ProfileKind::kCustomer) {
                 return Error::Invalid("validation/enum", "kind must be \"brand\" or \"creator\"", "/kind");
               }
               profile.kind = *parsed;
               PLAZA_ASSIGN_OR_RETURN(profile.customer_id, reader.OptionalInt64("customer_id", 1, kMaxId));
               PLAZA_ASSIGN_OR_RETURN(social::Profile created, services.social.CreateProfile(ShopOf(request), profile));
               return Response::Json(EncodeManaged(created), 201);
             }));
  admin.Get("/social/managed-profiles/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayManage(request));
              PLAZA_ASSIGN_OR_RETURN(social::Profile profile, ManagedProfile(services, request));
              return Response::Json(EncodeManaged(profile));
            }));
  admin.Patch("/social/managed-profiles/{id}", Handle([&services](Request& request) -> Result<Response> {
                PLAZA_TRY(MayManage(request));
                PLAZA_ASSIGN_OR_RETURN(social::Profile profile, ManagedProfile(services, request));
                PLAZA_ASSIGN_OR_RETURN(social::ProfileUpdate update, ReadProfileUpdate(request));
                PLAZA_ASSIGN_OR_RETURN(social::Profile updated,
                                       services.social.UpdateProfile(ShopOf(request), profile.id, update));
                return Response::Json(EncodeManaged(updated));
              }));
}

void RegisterCustomerSocialRoutes(http::RouteGroup customer, const ApiServices& services) {
  customer.Post("/customer/social/profile", Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(social::NewProfile profile, ReadNewProfile(request));
                  profile.kind = social::ProfileKind::kCustomer;
                  profile.customer_id = Caller(request).user_id;
                  PLAZA_ASSIGN_OR_RETURN(social::Profile created,
                                         services.social.CreateProfile(ShopOf(request), profile));
                  return Response::Json(EncodeProfile(created, /*content_visible=*/true), 201);
                }));
  customer.Get("/customer/social/profile", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(social::Profile me,
                                        services.social.ProfileOfCustomer(ShopOf(request), Caller(request).user_id));
                 return Response::Json(EncodeProfile(me, /*content_visible=*/true));
               }));
  customer.Patch("/customer/social/profile", Handle([&services](Request& request) -> Result<Response> {
                   PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                   PLAZA_ASSIGN_OR_RETURN(social::ProfileUpdate update, ReadProfileUpdate(request));
                   PLAZA_ASSIGN_OR_RETURN(social::Profile updated,
                                          services.social.UpdateProfile(ShopOf(request), me, update));
                   return Response::Json(EncodeProfile(updated, /*content_visible=*/true));
                 }));
  customer.Get("/customer/social/profiles/{handle}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(social::ProfileView view,
                                        services.social.ViewProfile(ShopOf(request), HandleOf(request), me));
                 return Response::Json(EncodeView(view, /*with_relationship=*/true));
               }));
  customer.Get("/customer/social/profiles/{handle}/followers",
               Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
                 return PageResponse(services.social.ListFollowers(ShopOf(request), HandleOf(request), me, page));
               }));
  customer.Get("/customer/social/profiles/{handle}/following",
               Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
                 return PageResponse(services.social.ListFollowing(ShopOf(request), HandleOf(request), me, page));
               }));
  customer.Put("/customer/social/following/{handle}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(social::FollowState state,
                                        services.social.Follow(ShopOf(request), me, HandleOf(request)));
                 return Response::Json({{"state", social::FollowStateName(state)}});
               }));
  customer.Delete("/customer/social/following/{handle}", Handle([&services](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                    PLAZA_TRY(services.social.Unfollow(ShopOf(request), me, HandleOf(request)));
                    return Response::NoContent();
                  }));
  customer.Get("/customer/social/follow-requests", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
                 return PageResponse(services.social.ListFollowRequests(ShopOf(request), me, page));
               }));
  customer.Post("/customer/social/follow-requests/{handle}/approve",
                Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                  PLAZA_TRY(services.social.ApproveRequest(ShopOf(request), me, HandleOf(request)));
                  return Response::NoContent();
                }));
  customer.Post("/customer/social/follow-requests/{handle}/decline",
                Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                  PLAZA_TRY(services.social.DeclineRequest(ShopOf(request), me, HandleOf(request)));
                  return Response::NoContent();
                }));
  customer.Put("/customer/social/blocks/{handle}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_TRY(services.social.Block(ShopOf(request), me, HandleOf(request)));
                 return Response::NoContent();
               }));
  customer.Delete("/customer/social/blocks/{handle}", Handle([&services](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                    PLAZA_TRY(services.social.Unblock(ShopOf(request), me, HandleOf(request)));
                    return Response::NoContent();
                  }));
  customer.Put("/customer/social/mutes/{handle}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_TRY(services.social.Mute(ShopOf(request), me, HandleOf(request)));
                 return Response::NoContent();
               }));
  customer.Delete("/customer/social/mutes/{handle}", Handle([&services](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                    PLAZA_TRY(services.social.Unmute(ShopOf(request), me, HandleOf(request)));
                    return Response::NoContent();
                  }));
}

}  // namespace plaza::api
