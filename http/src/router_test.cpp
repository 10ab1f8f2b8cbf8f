#include "plaza/http/router.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace plaza::http {
namespace {

Handler Named(std::string name) {
  return [name](Request& request) {
    std::string body = name;
    for (const auto& [key, value] : request.path_params) body += " " + key + "=" + value;
    return Response::Text(body);
  };
}

Response Send(const Router& router, Method method, std::string path) {
  Request request;
  request.method = method;
  request.path = std::move(path);
  request.request_id = "test";
  return router.Dispatch(request);
}

std::string ProblemType(const Response& response) {
  return std::string(boost::json::parse(response.body).as_object()["type"].as_string());
}

TEST(RouterTest, MatchesLiteralsAndParameters) {
  Router router;
  router.Get("/api/v1/shops/{shop_id}/webhooks/{id}", Named("webhook"));
  router.Get("/api/v1/shops/{shop_id}", Named("shop"));
  Response response = Send(router, Method::kGet, "/api/v1/shops/s1/webhooks/w9");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "webhook shop_id=s1 id=w9");
  EXPECT_EQ(Send(router, Method::kGet, "/api/v1/shops/s1").body, "shop shop_id=s1");
}

TEST(RouterTest, BodyLimitsBelongToTheRoutesThatSetThem) {
  Router router;
  EXPECT_EQ(router.LargestBodyLimit(), 0u);
  RouteGroup shop = router.Group("/shops/{shop_id}");
  shop.Post("/notes", Named("note"));
  shop.WithBodyLimit(8000).Post("/media", Named("upload"));
  shop.Get("/media", Named("list"));
  router.Group("/big").WithBodyLimit(20000).Put("/{rest...}", Named("big"));
  EXPECT_EQ(router.LargestBodyLimit(), 20000u);
  EXPECT_EQ(router.BodyLimitFor(Method::kPost, "/shops/1/media"), 8000u);
  EXPECT_EQ(router.BodyLimitFor(Method::kGet, "/shops/1/media"), std::nullopt);
  EXPECT_EQ(router.BodyLimitFor(Method::kPost, "/shops/1/notes"), std::nullopt);
  EXPECT_EQ(router.BodyLimitFor(Method::kPost, "/shops/1/media/2"), std::nullopt);
  EXPECT_EQ(router.BodyLimitFor(Method::kPut, "/big/a/b"), 20000u);
  EXPECT_EQ(router.BodyLimitFor(Method::kOther, "/big/a/b"), std::nullopt);
  // The limit does not leak into the group it was copied from.
  shop.Post("/later", Named("later"));
  EXPECT_EQ(router.BodyLimitFor(Method::kPost, "/shops/1/later"), std::nullopt);
}

TEST(RouterTest, RootPath) {
  Router router;
  router.Get("/", Named("home"));
  EXPECT_EQ(Send(router, Method::kGet, "/").body, "home");
  EXPECT_EQ(Send(router, Method::kGet, "/x").status, 404);
}

TEST(RouterTest, LiteralBeatsParameterWhateverTheOrder) {
  Router router;
  router.Get("/products/{id}", Named("by-id"));
  router.Get("/products/new", Named("new"));
  EXPECT_EQ(Send(router, Method::kGet, "/products/new").body, "new");
  EXPECT_EQ(Send(router, Method::kGet, "/products/p1").body, "by-id id=p1");
}

TEST(RouterTest, BacktracksFromADeadLiteralBranch) {
  Router router;
  router.Get("/a/b/d", Named("literal"));
  router.Get("/a/{x}/c", Named("param"));
  EXPECT_EQ(Send(router, Method::kGet, "/a/b/c").body, "param x=b");
  EXPECT_EQ(Send(router, Method::kGet, "/a/b/d").body, "literal");
}

TEST(RouterTest, PrefersTheBranchThatHasTheMethod) {
  Router router;
  router.Get("/items/export", Named("export"));
  router.Delete("/items/{id}", Named("delete"));
  EXPECT_EQ(Send(router, Method::kDelete, "/items/export").body, "delete id=export");
}

TEST(RouterTest, RestParameterTakesTheRemainder) {
  Router router;
  router.Get("/static/{path...}", Named("static"));
  EXPECT_EQ(Send(router, Method::kGet, "/static/css/site.css").body, "static path=css/site.css");
  EXPECT_EQ(Send(router, Method::kGet, "/static").status, 404);
}

TEST(RouterTest, ParametersArePercentDecodedAfterSplitting) {
  Router router;
  router.Get("/tags/{tag}", Named("tag"));
  EXPECT_EQ(Send(router, Method::kGet, "/tags/caf%C3%A9%2Fbar").body, "tag tag=café/bar");
}

TEST(RouterTest, MalformedParameterEncodingIs400) {
  Router router;
  router.Get("/tags/{tag}", Named("tag"));
  for (std::string path : {"/tags/%zz", "/tags/%C3", "/tags/a%00b", "/tags/%4"}) {
    Response response = Send(router, Method::kGet, path);
    EXPECT_EQ(response.status, 400) << path;
    EXPECT_EQ(ProblemType(response), "/problems/http/bad-path") << path;
  }
}

TEST(RouterTest, TrailingSlashIsADifferentPath) {
  Router router;
  router.Get("/shops", Named("shops"));
  EXPECT_EQ(Send(router, Method::kGet, "/shops").status, 200);
  EXPECT_EQ(Send(router, Method::kGet, "/shops/").status, 404);
  EXPECT_EQ(Send(router, Method::kGet, "//shops").status, 404);
}

TEST(RouterTest, UnknownPathIs404Problem) {
  Router router;
  router.Get("/shops", Named("shops"));
  Response response = Send(router, Method::kGet, "/nope");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.headers.Get("Content-Type"), "application/problem+json");
  EXPECT_EQ(ProblemType(response), "/problems/http/not-found");
}

TEST(RouterTest, WrongMethodIs405WithAllow) {
  Router router;
  router.Get("/orders/{id}", Named("get"));
  router.Patch("/orders/{id}", Named("patch"));
  Response response = Send(router, Method::kPost, "/orders/7");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.Get("Allow"), "GET, HEAD, PATCH, OPTIONS");
  EXPECT_EQ(ProblemType(response), "/problems/http/method-not-allowed");
}

TEST(RouterTest, OptionsAnswersAllowWithoutARoute) {
  Router router;
  router.Post("/carts", Named("create"));
  Response response = Send(router, Method::kOptions, "/carts");
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.headers.Get("Allow"), "POST, OPTIONS");
}

TEST(RouterTest, HeadIsServedByGet) {
  Router router;
  router.Get("/feed", Named("feed"));
  Response response = Send(router, Method::kHead, "/feed");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "feed");  // The server drops it on the wire.
}

TEST(RouterTest, UnknownMethodIs501) {
  Router router;
  router.Get("/feed", Named("feed"));
  EXPECT_EQ(Send(router, Method::kOther, "/feed").status, 501);
}

TEST(RouterTest, RoutePatternIsRecorded) {
  Router router;
  std::string seen;
  router.Get("/shops/{shop_id}", [&seen](Request& request) {
    seen = request.route_pattern;
    return Response::NoContent();
  });
  Send(router, Method::kGet, "/shops/x");
  EXPECT_EQ(seen, "/shops/{shop_id}");
}

TEST(RouterTest, MiddlewareRunsOutermostFirstAndOnlyOnLaterRoutes) {
  Router router;
  std::string trace;
  router.Get("/public", [&trace](Request&) {
    trace += "public;";
    return Response::NoContent();
  });
  router.Use([&trace](Request& request, const Handler& next) {
    trace += "outer>";
    Response response = next(request);
    trace += "<outer;";
    return response;
  });
  router.Use([&trace](Request& request, const Handler& next) {
    trace += "inner>";
    return next(request);
  });
  router.Get("/private", [&trace](Request&) {
    trace += "handler;";
    return Response::NoContent();
  });
  Send(router, Method::kGet, "/public");
  EXPECT_EQ(trace, "public;");
  trace.clear();
  Send(router, Method::kGet, "/private");
  EXPECT_EQ(trace, "outer>inner>handler;<outer;");
}

TEST(RouterTest, MiddlewareCanAnswerWithoutCallingNext) {
  Router router;
  router.Use([](Request& request, const Handler& next) {
    if (!request.Header("Authorization")) {
      return Response::Problem(Error::Unauthenticated("auth/missing", "Sign in."), request.request_id);
    }
    return next(request);
  });
  router.Get("/me", Named("me"));
  EXPECT_EQ(Send(router, Method::kGet, "/me").status, 401);
}

TEST(RouterTest, GroupsNestPrefixesAndInheritMiddleware) {
  Router router;
  std::vector<std::string> trace;
  RouteGroup api = router.Group("/api/v1");
  api.Use([&trace](Request& request, const Handler& next) {
    trace.push_back("api");
    return next(request);
  });
  RouteGroup shop = api.Group("/shops/{shop_id}");
  shop.Use([&trace](Request& request, const Handler& next) {
    trace.push_back("shop " + std::string(request.PathParam("shop_id")));
    return next(request);
  });
  shop.Get("/orders", Named("orders"));
  shop.Get("/", Named("shop"));
  api.Get("/health", Named("health"));

  EXPECT_EQ(Send(router, Method::kGet, "/api/v1/shops/s1/orders").body, "orders shop_id=s1");
  EXPECT_EQ((trace), (std::vector<std::string>{"api", "shop s1"}));
  trace.clear();
  EXPECT_EQ(Send(router, Method::kGet, "/api/v1/shops/s1").body, "shop shop_id=s1");
  trace.clear();
  Send(router, Method::kGet, "/api/v1/health");
  EXPECT_EQ(trace, (std::vector<std::string>{"api"}));
}

TEST(RouterTest, ChainDecoratesOneHandler) {
  std::string trace;
  Middleware tag = [&trace](Request& request, const Handler& next) {
    trace += "m;";
    return next(request);
  };
  Handler handler = Chain({tag, tag}, [&trace](Request&) {
    trace += "h;";
    return Response::NoContent();
  });
  Request request;
  handler(request);
  EXPECT_EQ(trace, "m;m;h;");
}

TEST(RouterTest, NotFoundHandlerReplacesTheDefault) {
  Router router;
  router.SetNotFoundHandler([](Request&) { return Response::Html("<h1>Not here</h1>", 404); });
  Response response = Send(router, Method::kGet, "/missing");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.headers.Get("Content-Type"), "text/html; charset=utf-8");
}

TEST(RouterTest, ProgrammerErrorsThrowAtRegistration) {
  Router router;
  router.Get("/a/{id}", Named("a"));
  EXPECT_THROW(router.Get("/a/{other}", Named("dup")), std::logic_error);
  EXPECT_NO_THROW(router.Post("/a/{other}", Named("post")));
  EXPECT_THROW(router.Get("no-slash", Named("x")), std::logic_error);
  EXPECT_THROW(router.Get("/trailing/", Named("x")), std::logic_error);
  EXPECT_THROW(router.Get("/a//b", Named("x")), std::logic_error);
  EXPECT_THROW(router.Get("/x/{bad name}", Named("x")), std::logic_error);
  EXPECT_THROW(router.Get("/x/{p...}/more", Named("x")), std::logic_error);
  EXPECT_THROW(router.Get("/x/{id}/{id}", Named("x")), std::logic_error);
  EXPECT_THROW(router.Get("/x/a{id}", Named("x")), std::logic_error);
  EXPECT_THROW(router.Group("/api/"), std::logic_error);
}

TEST(RouterTest, RoutesListsRegistrations) {
  Router router;
  router.Get("/a", Named("a"));
  router.WebSocket("/live", [](Request&, std::shared_ptr<WebSocketSession>) -> Result<WebSocketEvents> {
    return WebSocketEvents{};
  });
  std::vector<RouteInfo> routes = router.Routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].pattern, "/a");
  EXPECT_FALSE(routes[0].websocket);
  EXPECT_TRUE(routes[1].websocket);
}

TEST(RouterTest, WebSocketRouteWithoutUpgradeIs426) {
  Router router;
  router.WebSocket("/live", [](Request&, std::shared_ptr<WebSocketSession>) -> Result<WebSocketEvents> {
    return WebSocketEvents{};
  });
  Response response = Send(router, Method::kGet, "/live");
  EXPECT_EQ(response.status, 426);
  EXPECT_EQ(response.headers.Get("Upgrade"), "websocket");
}

}  // namespace
}  // namespace plaza::http
