#include "plaza/http/response.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace plaza::http {
namespace {

TEST(ResponseTest, JsonSerialisesWithContentType) {
  Response response = Response::Json(boost::json::object{{"id", 42}}, 201);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(response.body, R"({"id":42})");
}

TEST(ResponseTest, HtmlTextAndNoContent) {
  EXPECT_EQ(Response::Html("<p>x</p>").headers.Get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(Response::Text("x", 202).status, 202);
  EXPECT_EQ(Response::NoContent().status, 204);
}

TEST(ResponseTest, ProblemCarriesRequestIdAndRetryAfter) {
  Response response = Response::Problem(Error::RateLimited("slow down"), "req-1");
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.headers.Get("Content-Type"), "application/problem+json");
  EXPECT_EQ(response.headers.Get("Retry-After"), "1");
  boost::json::object body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body["type"], "/problems/rate-limited");
  EXPECT_EQ(body["request_id"], "req-1");
  EXPECT_EQ(body["detail"], "slow down");
}

TEST(ResponseTest, RedirectDefaultsToSeeOther) {
  Response response = Response::Redirect("/orders/1");
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(response.headers.Get("Location"), "/orders/1");
}

TEST(ResponseTest, SessionCookieDefaultsAreSafe) {
  EXPECT_EQ(FormatSetCookie(Cookie{.name = "sid", .value = "abc"}), "sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax");
}

TEST(ResponseTest, CookieAttributes) {
  Cookie cookie{.name = "pref",
                .value = "x",
                .path = "/shop",
                .domain = "example.com",
                .max_age = std::chrono::hours(1),
                .http_only = false,
                .secure = false,
                .same_site = SameSite::kStrict};
  EXPECT_EQ(FormatSetCookie(cookie), "pref=x; Path=/shop; Domain=example.com; Max-Age=3600; SameSite=Strict");
  cookie.max_age = std::chrono::seconds(-5);
  cookie.same_site = SameSite::kNone;
  EXPECT_EQ(FormatSetCookie(cookie), "pref=x; Path=/shop; Domain=example.com; Max-Age=0; Secure; SameSite=None");
}

TEST(ResponseTest, SeveralCookiesAreSeveralFields) {
  Response response;
  response.SetCookie({.name = "a", .value = "1"}).SetCookie({.name = "b", .value = "2"});
  EXPECT_EQ(response.headers.size(), 2u);
}

}  // namespace
}  // namespace plaza::http
