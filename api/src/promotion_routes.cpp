// Promotions, their discount codes, usage counts and the shop's redemption policy, for
// staff. A promotion's body is the JSON form of promotions::PromotionDefinition
// (docs/promotions.md), read and validated by the module itself.

#include <boost/json/parse.hpp>

#include "plaza/http/json.h"
#include "plaza/promotions/promotions.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;

Status MayManage(const Request& request) {
  return identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kPromotionsWrite);
}

boost::json::object Encode(const promotions::Promotion& promotion) {
  // EncodeDefinition always writes an object; parsing it back keeps one JSON form of a
  // definition, the module's.
  boost::json::object out = boost::json::parse(promotions::EncodeDefinition(promotion.definition)).as_object();
  out["id"] = promotion.id;
  out["uses"] = promotion.uses;
  out["created_at"] = FormatRfc3339(promotion.created_at);
  out["updated_at"] = FormatRfc3339(promotion.updated_at);
  return out;
}

boost::json::object Encode(const promotions::PromotionCode& code) {
  return {{"id", code.id},     {"promotion_id", code.promotion_id},
          {"code", code.code}, {"creator", code.creator},
          {"uses", code.uses}, {"created_at", FormatRfc3339(code.created_at)}};
}

template <typename T>
boost::json::array EncodeEach(const std::vector<T>& items) {
  boost::json::array out;
  out.reserve(items.size());
  for (const T& item : items) out.emplace_back(Encode(item));
  return out;
}

// The body as a definition; ParseJsonObject first for the media type and syntax checks
// every route shares.
Result<promotions::PromotionDefinition> ReadDefinition(const Request& request) {
  PLAZA_TRY(http::ParseJsonObject(request));
  return promotions::DecodeDefinition(request.body);
}

boost::json::object EncodePolicy(const promotions::RedemptionPolicy& policy) {
  return {{"release_on_cancel", policy.release_on_cancel}};
}

}  // namespace

void RegisterPromotionRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.Get("/promotions", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayManage(request));
              PLAZA_ASSIGN_OR_RETURN(auto promotions, services.promotions.List(ShopOf(request)));
              return Response::Json({{"promotions", EncodeEach(promotions)}});
            }));
  admin.Post("/promotions", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayManage(request));
               PLAZA_ASSIGN_OR_RETURN(auto definition, ReadDefinition(request));
               PLAZA_ASSIGN_OR_RETURN(auto created, services.promotions.Create(ShopOf(request), definition));
               return Response::Json(Encode(created), 201);
             }));
  admin.Get("/promotions/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayManage(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto promotion, services.promotions.Get(ShopOf(request), id));
              return Response::Json(Encode(promotion));
            }));
  admin.Put("/promotions/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayManage(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              // Another shop's promotion is absent whatever the body says.
              PLAZA_TRY(services.promotions.Get(ShopOf(request), id));
              PLAZA_ASSIGN_OR_RETURN(auto definition, ReadDefinition(request));
              PLAZA_ASSIGN_OR_RETURN(auto updated, services.promotions.Update(ShopOf(request), id, definition));
              return Response::Json(Encode(updated));
            }));
  admin.Delete("/promotions/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayManage(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.promotions.Delete(ShopOf(request), id));
                 return Response::NoContent();
               }));

  admin.Get("/promotions/{id}/codes", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayManage(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto codes, services.promotions.ListCodes(ShopOf(request), id));
              return Response::Json({{"codes", EncodeEach(codes)}});
            }));
  admin.Post("/promotions/{id}/codes", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayManage(request));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               // Another shop's promotion is absent whatever the body says.
               PLAZA_TRY(services.promotions.Get(ShopOf(request), id));
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"code", "creator"}));
               promotions::NewCode code;
               PLAZA_ASSIGN_OR_RETURN(code.code, reader.RequiredString("code", {.min_length = 1, .max_length = 64}));
               PLAZA_ASSIGN_OR_RETURN(auto creator, reader.OptionalString("creator", {.max_length = 100}));
               if (creator) code.creator = *creator;
               PLAZA_ASSIGN_OR_RETURN(auto added, services.promotions.AddCode(ShopOf(request), id, code));
               return Response::Json(Encode(added), 201);
             }));
  admin.Delete("/promotions/{id}/codes/{code_id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayManage(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t code_id, IdFromPath(request, "code_id"));
                 PLAZA_TRY(services.promotions.DeleteCode(ShopOf(request), id, code_id));
                 return Response::NoContent();
               }));
  admin.Get("/promotions/{id}/usage", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayManage(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto usage, services.promotions.Usage(ShopOf(request), id));
              boost::json::value limit = nullptr;
              if (usage.usage_limit) limit = *usage.usage_limit;
              return Response::Json({{"promotion_id", usage.promotion_id},
                                     {"uses", usage.uses},
                                     {"usage_limit", limit},
                                     {"customers", usage.customers},
                                     {"codes", EncodeEach(usage.codes)}});
            }));

  admin.Get("/promotion-settings", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayManage(request));
              PLAZA_ASSIGN_OR_RETURN(auto policy, services.promotions.GetPolicy(ShopOf(request)));
              return Response::Json(EncodePolicy(policy));
            }));
  admin.Put("/promotion-settings", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayManage(request));
              PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
              JsonReader reader(body);
              PLAZA_TRY(reader.AllowOnly({"release_on_cancel"}));
              promotions::RedemptionPolicy policy;
              PLAZA_ASSIGN_OR_RETURN(policy.release_on_cancel, reader.RequiredBool("release_on_cancel"));
              PLAZA_ASSIGN_OR_RETURN(auto stored, services.promotions.SetPolicy(ShopOf(request), policy));
              return Response::Json(EncodePolicy(stored));
            }));
}

}  // namespace plaza::api
