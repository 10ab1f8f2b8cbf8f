// Router matching and the JSON codec: the per-request work of plaza_http that does not
// touch a socket.
//   build/bench/bench/plaza_http_bench --benchmark_min_time=1

#include <benchmark/benchmark.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "plaza/http/json.h"
#include "plaza/http/router.h"

namespace plaza::http {
namespace {

Response Empty(Request&) {
  return Response::NoContent();
}

// A route table shaped like Plaza's API: a few dozen resources under shops, with the
// literal-versus-parameter overlaps the real one has.
void AddApiRoutes(Router& router) {
  RouteGroup api = router.Group("/api/v1");
  api.Use([](Request& request, const Handler& next) { return next(request); });
  api.Get("/me", Empty);
  api.Post("/sessions", Empty);
  api.Delete("/sessions/current", Empty);
  RouteGroup shop = api.Group("/shops/{shop_id}");
  const std::vector<std::string> resources = {"products", "orders",   "customers", "posts",   "reviews",
                                              "creators", "webhooks", "campaigns", "returns", "conversations"};
  for (const std::string& resource : resources) {
    shop.Get("/" + resource, Empty);
    shop.Post("/" + resource, Empty);
    shop.Get("/" + resource + "/{id}", Empty);
    shop.Patch("/" + resource + "/{id}", Empty);
    shop.Delete("/" + resource + "/{id}", Empty);
    shop.Get("/" + resource + "/export", Empty);
  }
  shop.Get("/webhooks/{id}/deliveries", Empty);
  shop.Post("/webhooks/{id}/deliveries/{delivery_id}/retry", Empty);
  router.Get("/", Empty);
  router.Get("/products/{slug}", Empty);
  router.Get("/static/{path...}", Empty);
}

void Dispatch(benchmark::State& state, Method method, const std::string& path) {
  Router router;
  AddApiRoutes(router);
  Request request;
  request.method = method;
  request.path = path;
  for (auto _ : state) {
    Response response = router.Dispatch(request);
    benchmark::DoNotOptimize(response.status);
  }
}

void BM_RouterLiteral(benchmark::State& state) {
  Dispatch(state, Method::kGet, "/api/v1/me");
}
BENCHMARK(BM_RouterLiteral);

void BM_RouterTwoParams(benchmark::State& state) {
  Dispatch(state, Method::kGet, "/api/v1/shops/shp_8f3a2c/webhooks/whk_19b7/deliveries");
}
BENCHMARK(BM_RouterTwoParams);

void BM_RouterThreeParamsPost(benchmark::State& state) {
  Dispatch(state, Method::kPost, "/api/v1/shops/shp_8f3a2c/webhooks/whk_19b7/deliveries/dlv_77/retry");
}
BENCHMARK(BM_RouterThreeParamsPost);

void BM_RouterRestParam(benchmark::State& state) {
  Dispatch(state, Method::kGet, "/static/css/site.min.css");
}
BENCHMARK(BM_RouterRestParam);

void BM_RouterNotFound(benchmark::State& state) {
  Dispatch(state, Method::kGet, "/api/v1/shops/s1/nothing/here");
}
BENCHMARK(BM_RouterNotFound);

void BM_RouterMethodNotAllowed(benchmark::State& state) {
  Dispatch(state, Method::kPut, "/api/v1/shops/s1/orders");
}
BENCHMARK(BM_RouterMethodNotAllowed);

// A checkout-sized request: what a create-order handler decodes.
constexpr std::string_view kOrderRequest = R"({
  "email": "ada.lovelace@example.com",
  "name": "Ada Lovelace",
  "quantity": 2,
  "variant_id": "var_7d1e9a",
  "gift": false,
  "note": "Leave at the door, please.",
  "address": {"line1": "12 St James's Square", "city": "London", "postcode": "SW1Y 4LB", "country": "GB"}
})";

void BM_JsonDecodeRequest(benchmark::State& state) {
  Request request;
  request.method = Method::kPost;
  request.headers.Add("Content-Type", "application/json");
  request.body = std::string(kOrderRequest);
  for (auto _ : state) {
    Result<boost::json::object> body = ParseJsonObject(request);
    JsonReader reader(*body);
    Result<std::string> email = reader.RequiredEmail("email");
    Result<std::string> name = reader.RequiredString("name", {.min_length = 1, .max_length = 200});
    Result<std::int64_t> quantity = reader.RequiredInt64("quantity", 1, 999);
    Result<std::string> variant = reader.RequiredString("variant_id", {.max_length = 64});
    Result<std::optional<bool>> gift = reader.OptionalBool("gift");
    Result<std::optional<std::string>> note = reader.OptionalString("note", {.max_length = 500, .multiline = true});
    Result<JsonReader> address = reader.RequiredObject("address");
    Result<std::string> city = address->RequiredString("city");
    benchmark::DoNotOptimize(email.ok() && name.ok() && quantity.ok() && variant.ok() && gift.ok() && note.ok() &&
                             city.ok());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kOrderRequest.size()));
}
BENCHMARK(BM_JsonDecodeRequest);

void BM_JsonEncodeResponse(benchmark::State& state) {
  boost::json::value order = boost::json::parse(R"({
    "id": "ord_5c2f81", "status": "confirmed", "currency": "EUR",
    "total": {"amount_minor": 12990, "currency": "EUR"},
    "lines": [{"variant_id": "var_7d1e9a", "quantity": 2, "unit_price_minor": 6495}],
    "delivery_promise": {"earliest": "2024-05-02", "latest": "2024-05-04"},
    "created_at": "2024-04-29T10:15:00Z"})");
  for (auto _ : state) {
    Response response = Response::Json(order, 201);
    benchmark::DoNotOptimize(response.body.data());
  }
}
BENCHMARK(BM_JsonEncodeResponse);

void BM_ProblemResponse(benchmark::State& state) {
  Error error = Error::Invalid("validation/required", "email is required.", "/email");
  for (auto _ : state) {
    Response response = Response::Problem(error, "9f86d081884c7d65");
    benchmark::DoNotOptimize(response.body.data());
  }
}
BENCHMARK(BM_ProblemResponse);

}  // namespace
}  // namespace plaza::http
