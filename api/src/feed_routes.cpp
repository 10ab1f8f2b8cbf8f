// Feeds, notifications and social proof: the public discovery and product ("from the
// community") feeds (`shop`, anonymous viewer), and the signed-in customer's timeline,
// feeds as their profile, notifications, purchase-sharing choice and the followed buyers
// of a product (`customer`). Rules are social::FeedService's and NotificationService's.

#include "plaza/social/feeds.h"
#include "plaza/social/notifications.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;

boost::json::object EncodeNotification(const social::Notification& n) {
  boost::json::object out{{"id", n.id},
                          {"kind", social::NotificationKindName(n.kind)},
                          {"subject_kind", n.subject_kind},
                          {"subject_id", n.subject_id},
                          {"text", n.text},
                          {"created_at", FormatRfc3339(n.created_at)}};
  if (n.actor_profile_id) {
    out["actor"] = {{"id", *n.actor_profile_id}, {"handle", n.actor_handle}, {"display_name", n.actor_display_name}};
  } else {
    out["actor"] = nullptr;
  }
  out["read_at"] = n.read_at ? boost::json::value(FormatRfc3339(*n.read_at)) : boost::json::value(nullptr);
  return out;
}

Result<Response> SharingResponse(const ApiServices& services, const Request& request, std::int64_t me) {
  PLAZA_ASSIGN_OR_RETURN(bool share, services.feeds.PurchaseSharing(ShopOf(request), me));
  return Response::Json({{"share_purchases", share}});
}

}  // namespace

void RegisterFeedStorefrontRoutes(http::RouteGroup shop, const ApiServices& services) {
  shop.Get("/social/discovery", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
             return PostPageResponse(services, request, services.feeds.Discovery(ShopOf(request), std::nullopt, page));
           }));
  shop.Get("/social/products/{id}/posts", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
             PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
             return PostPageResponse(services, request,
                                     services.feeds.Product(ShopOf(request), id, std::nullopt, page));
           }));
}

void RegisterCustomerFeedRoutes(http::RouteGroup customer, const ApiServices& services) {
  customer.Get("/customer/social/timeline", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
                 return PostPageResponse(services, request, services.feeds.Timeline(ShopOf(request), me, page));
               }));
  customer.Get("/customer/social/discovery", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
                 return PostPageResponse(services, request, services.feeds.Discovery(ShopOf(request), me, page));
               }));
  customer.Get("/customer/social/products/{id}/posts", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
                 return PostPageResponse(services, request, services.feeds.Product(ShopOf(request), id, me, page));
               }));
  customer.Get(
      "/customer/social/products/{id}/followed-buyers", Handle([&services](Request& request) -> Result<Response> {
        PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
        PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
        PLAZA_ASSIGN_OR_RETURN(social::SocialProof proof, services.feeds.FollowedBuyers(ShopOf(request), me, id));
        boost::json::array examples;
        for (const social::ProfileRef& profile : proof.examples) {
          examples.push_back({{"id", profile.id},
                              {"handle", profile.handle},
                              {"display_name", profile.display_name},
                              {"avatar_url", profile.avatar_url ? boost::json::value(*profile.avatar_url)
                                                                : boost::json::value(nullptr)}});
        }
        return Response::Json({{"count", proof.count}, {"examples", std::move(examples)}});
      }));
  customer.Get(
      "/customer/social/notifications", Handle([&services](Request& request) -> Result<Response> {
        PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
        PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
        const auto unread = request.Query("unread");
        if (unread && *unread != "true" && *unread != "false") {
          return Error::Invalid("validation/format", "unread is true or false", "unread");
        }
        PLAZA_ASSIGN_OR_RETURN(social::NotificationPage list,
                               services.notifications.List(ShopOf(request), me, page, unread && *unread == "true"));
        PLAZA_ASSIGN_OR_RETURN(std::int64_t unread_count, services.notifications.UnreadCount(ShopOf(request), me));
        boost::json::array items;
        for (const social::Notification& n : list.notifications) items.emplace_back(EncodeNotification(n));
        return Response::Json({{"notifications", std::move(items)},
                               {"unread_count", unread_count},
                               {"next_cursor", list.next_cursor.empty() ? boost::json::value(nullptr)
                                                                        : boost::json::value(list.next_cursor)}});
      }));
  customer.Post("/customer/social/notifications/{id}/read", Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                  PLAZA_TRY(services.notifications.MarkRead(ShopOf(request), me, id));
                  return Response::NoContent();
                }));
  customer.Post("/customer/social/notifications/read-all", Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t marked, services.notifications.MarkAllRead(ShopOf(request), me));
                  return Response::Json({{"marked", marked}});
                }));
  customer.Get("/customer/social/purchase-sharing", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 return SharingResponse(services, request, me);
               }));
  customer.Put("/customer/social/purchase-sharing", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
                 const JsonReader reader(body);
                 PLAZA_TRY(reader.AllowOnly({"share_purchases"}));
                 PLAZA_ASSIGN_OR_RETURN(bool share, reader.RequiredBool("share_purchases"));
                 PLAZA_TRY(services.feeds.SetPurchaseSharing(ShopOf(request), me, share));
                 return SharingResponse(services, request, me);
               }));
}

}  // namespace plaza::api
