// Webhook subscriptions, their delivery records, and the outbox's dead letters.

#include "encode.h"
#include "plaza/channels/webhook_consumer.h"
#include "plaza/http/json.h"
#include "plaza/store/outbox_dispatcher.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;

Status MayManageWebhooks(const Request& request) {
  return identity::Authorize(Caller(request), ShopOf(request), identity::Permission::kWebhooksManage);
}

Response WithSecret(const channels::SubscriptionWithSecret& created, int status) {
  boost::json::object out = Encode(created.subscription);
  out["secret"] = created.secret;  // shown now and on rotation only
  Response response = Response::Json(out, status);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

Result<int> PageLimit(const Request& request, int maximum) {
  constexpr int kDefaultPage = 50;
  const auto text = request.Query("limit");
  if (!text) return kDefaultPage;
  const int limit = std::atoi(std::string(*text).c_str());
  if (limit < 1 || limit > maximum) {
    return Error::Invalid("validation/range", "limit must be between 1 and " + std::to_string(maximum), "limit");
  }
  return limit;
}

Result<std::int64_t> OptionalIdQuery(const Request& request, std::string_view name) {
  const auto text = request.Query(name);
  if (!text) return std::int64_t{0};
  const long long value = std::atoll(std::string(*text).c_str());
  if (value <= 0)
    return Error::Invalid("validation/range", std::string(name) + " must be a positive id", std::string(name));
  return static_cast<std::int64_t>(value);
}

}  // namespace

void RegisterChannelRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.Get("/webhooks", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayManageWebhooks(request));
              PLAZA_ASSIGN_OR_RETURN(auto subscriptions, services.webhooks.List(ShopOf(request)));
              return Response::Json({{"webhooks", EncodeAll(subscriptions)}});
            }));
  admin.Post("/webhooks", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayManageWebhooks(request));
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"url", "event_types", "active"}));
               channels::NewSubscription subscription;
               PLAZA_ASSIGN_OR_RETURN(
                   subscription.url,
                   reader.RequiredString("url", {.min_length = 1, .max_length = channels::kMaxWebhookUrlLength}));
               PLAZA_ASSIGN_OR_RETURN(subscription.event_types,
                                      ReadStringArray(reader, "event_types", channels::kMaxEventTypesPerSubscription));
               PLAZA_ASSIGN_OR_RETURN(auto active, reader.OptionalBool("active"));
               subscription.active = active.value_or(true);
               PLAZA_ASSIGN_OR_RETURN(auto created, services.webhooks.Create(ShopOf(request), subscription));
               return WithSecret(created, 201);
             }));
  admin.Get("/webhooks/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayManageWebhooks(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto subscription, services.webhooks.Get(ShopOf(request), id));
              return Response::Json(Encode(subscription));
            }));
  admin.Patch(
      "/webhooks/{id}", Handle([&services](Request& request) -> Result<Response> {
        PLAZA_TRY(MayManageWebhooks(request));
        PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
        PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
        JsonReader reader(body);
        PLAZA_TRY(reader.AllowOnly({"url", "event_types", "active"}));
        channels::SubscriptionUpdate update;
        PLAZA_ASSIGN_OR_RETURN(
            update.url, reader.OptionalString("url", {.min_length = 1, .max_length = channels::kMaxWebhookUrlLength}));
        if (body.contains("event_types") && !body.at("event_types").is_null()) {
          PLAZA_ASSIGN_OR_RETURN(update.event_types,
                                 ReadStringArray(reader, "event_types", channels::kMaxEventTypesPerSubscription));
        }
        PLAZA_ASSIGN_OR_RETURN(update.active, reader.OptionalBool("active"));
        PLAZA_ASSIGN_OR_RETURN(auto subscription, services.webhooks.Update(ShopOf(request), id, update));
        return Response::Json(Encode(subscription));
      }));
  admin.Delete("/webhooks/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_TRY(MayManageWebhooks(request));
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.webhooks.Delete(ShopOf(request), id));
                 return Response::NoContent();
               }));
  admin.Post("/webhooks/{id}/rotate-secret", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayManageWebhooks(request));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               PLAZA_ASSIGN_OR_RETURN(auto rotated, services.webhooks.RotateSecret(ShopOf(request), id));
               return WithSecret(rotated, 200);
             }));
  admin.Get("/webhooks/{id}/deliveries", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayManageWebhooks(request));
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_TRY(services.webhooks.Get(ShopOf(request), id));  // 404 for another shop's subscription
              channels::DeliveryQuery query;
              query.subscription_id = id;
              PLAZA_ASSIGN_OR_RETURN(query.limit, PageLimit(request, channels::kMaxDeliveryPage));
              PLAZA_ASSIGN_OR_RETURN(query.before_id, OptionalIdQuery(request, "before"));
              PLAZA_ASSIGN_OR_RETURN(auto deliveries, services.webhooks.ListDeliveries(ShopOf(request), query));
              return Response::Json({{"deliveries", EncodeAll(deliveries)}});
            }));

  admin.Get("/outbox/dead-letters", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_TRY(MayManageWebhooks(request));
              store::DeadLetterQuery query;
              query.shop_id = ShopOf(request);
              PLAZA_ASSIGN_OR_RETURN(query.limit, PageLimit(request, store::kMaxDeadLetterPage));
              PLAZA_ASSIGN_OR_RETURN(query.after_event_id, OptionalIdQuery(request, "after"));
              PLAZA_ASSIGN_OR_RETURN(auto dead_letters, store::ListDeadLetters(services.db, query));
              return Response::Json({{"dead_letters", EncodeAll(dead_letters)}});
            }));
  admin.Post("/outbox/dead-letters/{consumer}/{event_id}/requeue",
             Handle([&services](Request& request) -> Result<Response> {
               PLAZA_TRY(MayManageWebhooks(request));
               PLAZA_ASSIGN_OR_RETURN(std::int64_t event_id, IdFromPath(request, "event_id"));
               PLAZA_TRY(store::RequeueDeadLetter(services.db, ShopOf(request), request.PathParam("consumer"), event_id,
                                                  services.clock.Now()));
               return Response::Json({{"status", "requeued"}}, 202);
             }));
}

}  // namespace plaza::api
