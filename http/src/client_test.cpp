#include "plaza/http/testing/client.h"

#include <gtest/gtest.h>

namespace plaza::http::testing {
namespace {

TEST(ClientResponseTest, JsonAndProblemType) {
  ClientResponse response;
  response.body = R"({"type": "/problems/http/not-found", "status": 404})";
  EXPECT_EQ(response.ProblemType(), "/problems/http/not-found");
  EXPECT_EQ(response.Json().as_object()["status"], 404);
  response.body = "not json";
  EXPECT_TRUE(response.Json().is_null());
  EXPECT_EQ(response.ProblemType(), "");
}

TEST(HttpClientTest, ConnectionRefusedIsAnError) {
  // Port 1 is privileged and not listening in a test environment.
  HttpClient client(1, std::chrono::seconds(2));
  EXPECT_FALSE(client.Get("/").ok());
  RawConnection raw(1, std::chrono::seconds(2));
  EXPECT_FALSE(raw.Connect().ok());
}

}  // namespace
}  // namespace plaza::http::testing
