// The idea board: public reads (`shop`), the signed-in customer's ideas and supports
// (`customer`, acting as their social profile), and the staff's review, decisions and
// threshold (`admin`). The rules live in community::IdeaService.

#include <boost/json/array.hpp>

#include "plaza/community/ideas.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;
namespace community = plaza::community;

// Reading limits only bound the work a hostile body can cause; the module then checks
// the real limits and answers with its own precise errors.
constexpr http::StringLimits kLooseTitle{.max_length = 4 * community::kMaxIdeaTitleLength, .multiline = true};
constexpr http::StringLimits kLooseText{.max_length = 4 * community::kMaxIdeaDescriptionLength, .multiline = true};

boost::json::value OptionalTime(const std::optional<TimePoint>& at) {
  return at ? boost::json::value(FormatRfc3339(*at)) : nullptr;
}

boost::json::object EncodeIdea(const community::Idea& idea) {
  return {{"id", idea.id},
          {"author_profile_id", idea.author_profile_id},
          {"title", idea.title},
          {"description", idea.description},
          {"status", community::IdeaStatusName(idea.status)},
          {"visibility", community::ContentVisibilityName(idea.visibility)},
          {"supports_count", idea.supports_count},
          {"decline_reason", idea.decline_reason ? boost::json::value(*idea.decline_reason) : nullptr},
          {"product_id", idea.product_id ? boost::json::value(*idea.product_id) : nullptr},
          {"created_at", FormatRfc3339(idea.created_at)},
          {"review_at", OptionalTime(idea.review_at)},
          {"decided_at", OptionalTime(idea.decided_at)}};
}

boost::json::object EncodeView(const community::IdeaView& view) {
  boost::json::object out = EncodeIdea(view.idea);
  out["supported"] = view.supported;
  return out;
}

Result<community::IdeaQuery> ReadQuery(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(social::PageRequest page, ReadSocialPage(request));
  community::IdeaQuery query{.cursor = page.cursor, .limit = page.limit};
  if (auto status = request.Query("status")) {
    query.status = community::ParseIdeaStatus(*status);
    if (!query.status) {
      return Error::Invalid("validation/enum", "status must be open, review, accepted or declined", "status");
    }
  }
  return query;
}

Response IdeasResponse(const community::IdeaPage& page) {
  boost::json::array ideas;
  for (const community::Idea& idea : page.ideas) ideas.emplace_back(EncodeIdea(idea));
  return Response::Json(
      {{"ideas", std::move(ideas)},
       {"next_cursor", page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor)}});
}

}  // namespace

void RegisterIdeaStorefrontRoutes(http::RouteGroup shop, const ApiServices& services) {
  shop.Get("/social/ideas", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(community::IdeaQuery query, ReadQuery(request));
             PLAZA_ASSIGN_OR_RETURN(community::IdeaPage page,
                                    services.ideas.ListIdeas(ShopOf(request), std::nullopt, query));
             return IdeasResponse(page);
           }));
  shop.Get("/social/ideas/{id}", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(std::int64_t idea_id, IdFromPath(request, "id"));
             PLAZA_ASSIGN_OR_RETURN(community::IdeaView view,
                                    services.ideas.ViewIdea(ShopOf(request), idea_id, std::nullopt));
             return Response::Json(EncodeIdea(view.idea));
           }));
}

void RegisterCustomerIdeaRoutes(http::RouteGroup customer, const ApiServices& services) {
  customer.Post("/customer/social/ideas", Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
                  const JsonReader reader(body);
                  PLAZA_TRY(reader.AllowOnly({"title", "description"}));
                  community::NewIdea idea;
                  PLAZA_ASSIGN_OR_RETURN(idea.title, reader.RequiredString("title", kLooseTitle));
                  PLAZA_ASSIGN_OR_RETURN(idea.description, reader.RequiredString("description", kLooseText));
                  PLAZA_ASSIGN_OR_RETURN(community::Idea created, services.ideas.Submit(ShopOf(request), me, idea));
                  return Response::Json(EncodeIdea(created), 201);
                }));
  customer.Get("/customer/social/ideas", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(community::IdeaQuery query, ReadQuery(request));
                 PLAZA_ASSIGN_OR_RETURN(community::IdeaPage page, services.ideas.ListIdeas(ShopOf(request), me, query));
                 return IdeasResponse(page);
               }));
  customer.Get("/customer/social/ideas/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t idea_id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(community::IdeaView view,
                                        services.ideas.ViewIdea(ShopOf(request), idea_id, me));
                 return Response::Json(EncodeView(view));
               }));
  customer.Put("/customer/social/ideas/{id}/support", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t idea_id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(community::IdeaView view, services.ideas.Support(ShopOf(request), me, idea_id));
                 return Response::Json(EncodeView(view));
               }));
  customer.Delete("/customer/social/ideas/{id}/support", Handle([&services](Request& request) -> Result<Response> {
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t me, MyProfile(services, request));
                    PLAZA_ASSIGN_OR_RETURN(std::int64_t idea_id, IdFromPath(request, "id"));
                    PLAZA_ASSIGN_OR_RETURN(community::IdeaView view,
                                           services.ideas.WithdrawSupport(ShopOf(request), me, idea_id));
                    return Response::Json(EncodeView(view));
                  }));
}

void RegisterIdeaRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.Get("/community/ideas", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(community::IdeaQuery query, ReadQuery(request));
              PLAZA_ASSIGN_OR_RETURN(community::IdeaPage page,
                                     services.ideas.ListForStaff(Caller(request), ShopOf(request), query));
              return IdeasResponse(page);
            }));
  admin.Get("/community/ideas/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(std::int64_t idea_id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(community::Idea idea,
                                     services.ideas.GetForStaff(Caller(request), ShopOf(request), idea_id));
              return Response::Json(EncodeIdea(idea));
            }));
  admin.Post("/community/ideas/{id}/accept", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(std::int64_t idea_id, IdFromPath(request, "id"));
               PLAZA_ASSIGN_OR_RETURN(community::Idea idea,
                                      services.ideas.Accept(Caller(request), ShopOf(request), idea_id));
               return Response::Json(EncodeIdea(idea));
             }));
  admin.Post("/community/ideas/{id}/decline", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(std::int64_t idea_id, IdFromPath(request, "id"));
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               const JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"reason"}));
               PLAZA_ASSIGN_OR_RETURN(std::string reason, reader.RequiredString("reason", kLooseText));
               PLAZA_ASSIGN_OR_RETURN(community::Idea idea,
                                      services.ideas.Decline(Caller(request), ShopOf(request), idea_id, reason));
               return Response::Json(EncodeIdea(idea));
             }));
  admin.Get("/community/idea-settings", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kCatalogRead));
              PLAZA_ASSIGN_OR_RETURN(community::IdeaSettings settings, services.ideas.GetSettings(ShopOf(request)));
              return Response::Json({{"support_threshold", settings.support_threshold}});
            }));
  admin.Put("/community/idea-settings", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
              const JsonReader reader(body);
              PLAZA_TRY(reader.AllowOnly({"support_threshold"}));
              community::IdeaSettings settings;
              PLAZA_ASSIGN_OR_RETURN(settings.support_threshold,
                                     reader.RequiredInt64("support_threshold", 0, community::kMaxSupportThreshold + 1));
              PLAZA_ASSIGN_OR_RETURN(community::IdeaSettings saved,
                                     services.ideas.UpdateSettings(Caller(request), ShopOf(request), settings));
              return Response::Json({{"support_threshold", saved.support_threshold}});
            }));
}

}  // namespace plaza::api
