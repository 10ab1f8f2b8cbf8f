#include "response_head.h"

#include <gtest/gtest.h>

#include <string>

namespace plaza::http::internal {
namespace {

std::string Head(int status, unsigned version, bool keep_alive, std::size_t length) {
  ResponseHead head(status, version);
  head.AddField("Content-Type", "application/json");
  return std::move(head).Finish(keep_alive, length);
}

TEST(ResponseHeadTest, WritesStatusLineFieldsInOrderAndContentLength) {
  ResponseHead head(200, 11);
  head.AddField("Content-Type", "application/json");
  head.AddField("Set-Cookie", "a=1");
  head.AddField("Set-Cookie", "b=2");
  EXPECT_EQ(std::move(head).Finish(true, 15),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
            "Content-Length: 15\r\n\r\n");
}

TEST(ResponseHeadTest, NamesTheReasonOfEveryStatusAndAnEmptyOneForUnknownCodes) {
  EXPECT_EQ(Head(404, 11, true, 0).substr(0, 24), "HTTP/1.1 404 Not Found\r\n");
  EXPECT_EQ(Head(503, 11, true, 0).substr(0, 34), "HTTP/1.1 503 Service Unavailable\r\n");
  EXPECT_EQ(Head(299, 11, true, 0).substr(0, 15), "HTTP/1.1 299 \r\n");
}

TEST(ResponseHeadTest, StatusesWithoutContentGetNoContentLength) {
  for (int status : {100, 204, 304}) {
    EXPECT_EQ(Head(status, 11, true, 0).find("Content-Length"), std::string::npos) << status;
  }
  EXPECT_NE(Head(200, 11, true, 0).find("Content-Length: 0\r\n"), std::string::npos);
  EXPECT_NE(Head(404, 11, true, 9).find("Content-Length: 9\r\n"), std::string::npos);
}

TEST(ResponseHeadTest, ConnectionFieldFollowsTheVersionDefault) {
  EXPECT_EQ(Head(200, 11, true, 0).find("Connection"), std::string::npos);
  EXPECT_NE(Head(200, 11, false, 0).find("\r\nConnection: close\r\n\r\n"), std::string::npos);
  EXPECT_EQ(Head(200, 10, true, 0).substr(0, 9), "HTTP/1.0 ");
  EXPECT_NE(Head(200, 10, true, 0).find("\r\nConnection: keep-alive\r\n\r\n"), std::string::npos);
  EXPECT_EQ(Head(200, 10, false, 0).find("Connection"), std::string::npos);
}

}  // namespace
}  // namespace plaza::http::internal
