#include "plaza/http/headers.h"

#include <gtest/gtest.h>

namespace plaza::http {
namespace {

TEST(HeadersTest, LookupIgnoresCase) {
  Headers headers{{"Content-Type", "application/json"}};
  EXPECT_EQ(headers.Get("content-type"), "application/json");
  EXPECT_EQ(headers.Get("CONTENT-TYPE"), "application/json");
  EXPECT_FALSE(headers.Get("Content-Length").has_value());
}

TEST(HeadersTest, SetReplacesEveryDuplicate) {
  Headers headers;
  headers.Add("Vary", "Accept");
  headers.Add("vary", "Cookie");
  headers.Set("VARY", "Origin");
  EXPECT_EQ(headers.size(), 1u);
  EXPECT_EQ(headers.Get("Vary"), "Origin");
}

TEST(HeadersTest, AddKeepsRepeatedFieldsInOrder) {
  Headers headers;
  headers.Add("Set-Cookie", "a=1");
  headers.Add("Set-Cookie", "b=2");
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers.begin()->second, "a=1");
  EXPECT_EQ(headers.Get("set-cookie"), "a=1");
}

TEST(HeadersTest, SetIfAbsentAndRemove) {
  Headers headers{{"X-Frame-Options", "SAMEORIGIN"}};
  EXPECT_FALSE(headers.SetIfAbsent("x-frame-options", "DENY"));
  EXPECT_EQ(headers.Get("X-Frame-Options"), "SAMEORIGIN");
  EXPECT_TRUE(headers.SetIfAbsent("Referrer-Policy", "no-referrer"));
  headers.Remove("X-FRAME-OPTIONS");
  EXPECT_FALSE(headers.Has("X-Frame-Options"));
  EXPECT_TRUE(headers.Has("Referrer-Policy"));
}

TEST(HeadersTest, EqualsIgnoreCaseComparesLengthToo) {
  EXPECT_TRUE(EqualsIgnoreCase("Keep-Alive", "keep-alive"));
  EXPECT_FALSE(EqualsIgnoreCase("Keep", "Keep-Alive"));
}

}  // namespace
}  // namespace plaza::http
