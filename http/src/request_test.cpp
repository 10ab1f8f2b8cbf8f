#include "plaza/http/request.h"

#include <gtest/gtest.h>

namespace plaza::http {
namespace {

TEST(MethodTest, ParsesKnownTokensCaseSensitively) {
  EXPECT_EQ(ParseMethod("GET"), Method::kGet);
  EXPECT_EQ(ParseMethod("PATCH"), Method::kPatch);
  EXPECT_EQ(ParseMethod("OPTIONS"), Method::kOptions);
  EXPECT_EQ(ParseMethod("get"), Method::kOther);
  EXPECT_EQ(ParseMethod("BREW"), Method::kOther);
  EXPECT_EQ(MethodName(Method::kDelete), "DELETE");
}

TEST(ParamsTest, GetAndGetAll) {
  Params params;
  params.Add("tag", "a");
  params.Add("tag", "b");
  params.Add("q", "shoes");
  EXPECT_EQ(params.Get("tag"), "a");
  EXPECT_EQ(params.GetAll("tag"), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_FALSE(params.Has("page"));
}

TEST(RequestTest, CookiesAreFoundAcrossFieldsAndUnquoted) {
  Request request;
  request.headers.Add("Cookie", "theme=dark; sid=abc123");
  request.headers.Add("cookie", "csrf=\"tok\"");
  EXPECT_EQ(request.Cookie("sid"), "abc123");
  EXPECT_EQ(request.Cookie("theme"), "dark");
  EXPECT_EQ(request.Cookie("csrf"), "tok");
  EXPECT_FALSE(request.Cookie("si").has_value());
}

TEST(RequestTest, RecognisesWebSocketUpgrade) {
  Request request;
  request.headers.Add("Upgrade", "websocket");
  request.headers.Add("Connection", "keep-alive, Upgrade");
  EXPECT_TRUE(request.IsWebSocketUpgrade());
  request.method = Method::kPost;
  EXPECT_FALSE(request.IsWebSocketUpgrade());
}

TEST(RequestTest, LocalsAreFoundByType) {
  struct Principal {
    std::string user;
  };
  Request request;
  EXPECT_EQ(request.Find<Principal>(), nullptr);
  request.Emplace<Principal>(Principal{"ada"});
  request.Emplace<int>(7);
  ASSERT_NE(request.Find<Principal>(), nullptr);
  EXPECT_EQ(request.Find<Principal>()->user, "ada");
  request.Emplace<Principal>(Principal{"grace"});
  EXPECT_EQ(request.Find<Principal>()->user, "grace");
  const int* number = request.Find<int>();
  ASSERT_NE(number, nullptr);
  EXPECT_EQ(*number, 7);
}

TEST(RequestTest, PathParamReadsRouterValues) {
  Request request;
  request.path_params.Add("shop_id", "s1");
  EXPECT_EQ(request.PathParam("shop_id"), "s1");
}

}  // namespace
}  // namespace plaza::http
