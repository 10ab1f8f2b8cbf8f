#include "plaza/channels/http_sender.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "plaza_test/http_receiver.h"

namespace plaza::channels {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(IsNonPublicAddressTest, ClassifiesAddresses) {
  for (const char* address : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                              "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1",
                              "fd00::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"}) {
    EXPECT_TRUE(IsNonPublicAddress(address)) << address;
  }
  for (const char* address : {"8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1", "192.169.0.1",
                              "2001:4860:4860::8888", "::ffff:8.8.8.8", "example.com", "", "1.2.3"}) {
    EXPECT_FALSE(IsNonPublicAddress(address)) << address;
  }
}

class CurlSenderTest : public ::testing::Test {
 protected:
  HttpRequest Request(const std::string& path = "/hooks") {
    return {.url = receiver_.Url(path),
            .headers = {{"Content-Type", "application/json"}, {"X-Test", "yes"}},
            .body = R"({"hello":"world"})"};
  }

  plaza::testing::HttpReceiver receiver_;
};

TEST_F(CurlSenderTest, PostsHeadersAndBodyAndReportsTheStatus) {
  auto sender = MakeCurlHttpSender();
  receiver_.Script({.status = 202, .body = "accepted"});
  const std::vector<HttpRequest> requests = {Request()};
  const auto responses = sender->PostAll(requests);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status_code, 202);
  EXPECT_EQ(responses[0].error, "");
  EXPECT_EQ(responses[0].body_excerpt, "accepted");
  ASSERT_EQ(receiver_.RequestCount(), 1u);
  const auto received = receiver_.Requests()[0];
  EXPECT_EQ(received.method, "POST");
  EXPECT_EQ(received.target, "/hooks");
  EXPECT_EQ(received.body, R"({"hello":"world"})");
  EXPECT_EQ(received.Header("content-type"), "application/json");
  EXPECT_EQ(received.Header("X-Test"), "yes");
  EXPECT_EQ(received.Header("User-Agent"), "Plaza-Webhooks/1");
  EXPECT_EQ(received.Header("Expect"), "");
}

TEST_F(CurlSenderTest, SendsManyRequestsConcurrentlyAndAnswersInOrder) {
  auto sender = MakeCurlHttpSender({.max_concurrent = 3});
  receiver_.FailNext(1, 500);
  std::vector<HttpRequest> requests;
  for (int i = 0; i < 10; ++i) requests.push_back(Request("/hooks/" + std::to_string(i)));
  const auto responses = sender->PostAll(requests);
  ASSERT_EQ(responses.size(), 10u);
  int failed = 0;
  for (const HttpResponse& response : responses) {
    if (response.status_code == 500) ++failed;
    EXPECT_TRUE(response.status_code == 200 || response.status_code == 500) << response.error;
  }
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(receiver_.RequestCount(), 10u);
}

TEST_F(CurlSenderTest, DoesNotFollowRedirects) {
  auto sender = MakeCurlHttpSender();
  receiver_.Script({.status = 302, .headers = {{"Location", receiver_.Url("/elsewhere")}}});
  const std::vector<HttpRequest> requests = {Request()};
  const auto responses = sender->PostAll(requests);
  EXPECT_EQ(responses[0].status_code, 302);
  EXPECT_EQ(receiver_.RequestCount(), 1u);
}

TEST_F(CurlSenderTest, CapsTheResponseBody) {
  auto sender = MakeCurlHttpSender({.max_response_bytes = 1024});
  receiver_.Script({.status = 200, .body = std::string(100'000, 'x')});
  const std::vector<HttpRequest> requests = {Request()};
  const auto responses = sender->PostAll(requests);
  EXPECT_EQ(responses[0].status_code, 200);
  EXPECT_LE(responses[0].body_excerpt.size(), 1024u);
}

TEST_F(CurlSenderTest, TimesOutOnAReceiverThatNeverAnswers) {
  auto sender = MakeCurlHttpSender({.total_timeout = milliseconds(500)});
  receiver_.HangNext(1);
  const std::vector<HttpRequest> requests = {Request(), Request()};
  const auto responses = sender->PostAll(requests);
  ASSERT_EQ(responses.size(), 2u);
  // One of the two hung; the other was answered.
  const int timed_out = (responses[0].status_code == 0) + (responses[1].status_code == 0);
  EXPECT_EQ(timed_out, 1);
  for (const HttpResponse& response : responses) {
    if (response.status_code == 0) {
      EXPECT_NE(response.error.find("timed out"), std::string::npos) << response.error;
    }
  }
}

TEST_F(CurlSenderTest, ReportsARefusedConnection) {
  // A port that was just free: bind, read the port, close.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  auto sender = MakeCurlHttpSender();
  const std::vector<HttpRequest> requests = {
      {.url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/hooks", .headers = {}, .body = "{}"}};
  const auto responses = sender->PostAll(requests);
  EXPECT_EQ(responses[0].status_code, 0);
  EXPECT_FALSE(responses[0].error.empty());
}

TEST_F(CurlSenderTest, BlocksNonPublicAddressesWhenAsked) {
  auto sender = MakeCurlHttpSender({.block_private_networks = true});
  const std::vector<HttpRequest> requests = {Request()};
  const auto responses = sender->PostAll(requests);
  EXPECT_EQ(responses[0].status_code, 0);
  EXPECT_NE(responses[0].error.find("not public"), std::string::npos) << responses[0].error;
  EXPECT_EQ(receiver_.RequestCount(), 0u);
}

TEST_F(CurlSenderTest, RefusesOtherSchemes) {
  auto sender = MakeCurlHttpSender();
  const std::vector<HttpRequest> requests = {{.url = "file:///etc/passwd", .headers = {}, .body = "{}"}};
  const auto responses = sender->PostAll(requests);
  EXPECT_EQ(responses[0].status_code, 0);
  EXPECT_FALSE(responses[0].error.empty());
}

TEST_F(CurlSenderTest, AnEmptyBatchSendsNothing) {
  auto sender = MakeCurlHttpSender();
  EXPECT_TRUE(sender->PostAll({}).empty());
}

}  // namespace
}  // namespace plaza::channels
