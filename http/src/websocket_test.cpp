#include "plaza/http/websocket.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <thread>

#include "plaza/http/server.h"
#include "plaza/http/testing/client.h"
#include "test_server.h"

namespace plaza::http {
namespace {

using testing::HttpClient;
using testing::TestOptions;
using testing::TestServer;
using testing::WebSocketClient;

// Echoes every message; refuses clients without a token, as authentication middleware
// would; records closes so tests can wait for them.
struct EchoRoutes {
  std::promise<void> closed;
  std::once_flag closed_once;
  std::mutex sessions_mutex;
  std::vector<std::weak_ptr<WebSocketSession>> sessions;

  void Register(Router& router) {
    router.WebSocket("/ws/echo",
                     [this](Request& request, std::shared_ptr<WebSocketSession> session) -> Result<WebSocketEvents> {
                       if (request.Query("token") != "letmein") {
                         return Error::Unauthenticated("auth/missing", "A token is required.");
                       }
                       {
                         std::lock_guard lock(sessions_mutex);
                         sessions.push_back(session);
                       }
                       session->SendText("welcome");
                       WebSocketEvents events;
                       events.on_text = [](WebSocketSession& self, std::string message) {
                         if (std::string_view(message) == "bye") {
                           self.Close(1000, "bye");
                           return;
                         }
                         self.SendText("echo:" + message);
                       };
                       events.on_close = [this] { std::call_once(closed_once, [this] { closed.set_value(); }); };
                       return events;
                     });
  }
};

ServerOptions WebSocketOptions() {
  ServerOptions options = TestOptions();
  options.websocket_max_message_bytes = 1024;
  return options;
}

TEST(WebSocketTest, EchoesInOrder) {
  EchoRoutes routes;
  TestServer server(WebSocketOptions(), [&](Router& router) { routes.Register(router); });
  WebSocketClient client(server.port());
  ASSERT_TRUE(client.Connect("/ws/echo?token=letmein").ok());
  EXPECT_EQ(client.ReceiveText().value(), "welcome");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.SendText("m" + std::to_string(i)).ok());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(client.ReceiveText().value(), "echo:m" + std::to_string(i));
  ASSERT_TRUE(client.SendText("bye").ok());
  EXPECT_EQ(client.WaitForClose().value(), 1000);
  EXPECT_EQ(routes.closed.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

TEST(WebSocketTest, RefusedUpgradeIsAProblem) {
  EchoRoutes routes;
  TestServer server(WebSocketOptions(), [&](Router& router) { routes.Register(router); });
  WebSocketClient client(server.port());
  Status status = client.Connect("/ws/echo");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().detail.find("401"), std::string::npos) << status.error().detail;
  // The server keeps serving plain HTTP.
  HttpClient http(server.port());
  Result<testing::ClientResponse> plain = http.Get("/ws/echo?token=letmein");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->status, 426);
  EXPECT_EQ(plain->ProblemType(), "/problems/http/upgrade-required");
}

TEST(WebSocketTest, OversizedMessageClosesWith1009) {
  EchoRoutes routes;
  TestServer server(WebSocketOptions(), [&](Router& router) { routes.Register(router); });
  WebSocketClient client(server.port());
  ASSERT_TRUE(client.Connect("/ws/echo?token=letmein").ok());
  EXPECT_EQ(client.ReceiveText().value(), "welcome");
  ASSERT_TRUE(client.SendText(std::string(2000, 'x')).ok());
  EXPECT_EQ(client.WaitForClose().value(), 1009);
  EXPECT_EQ(routes.closed.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

TEST(WebSocketTest, SessionsCanBeWrittenFromOtherThreads) {
  EchoRoutes routes;
  TestServer server(WebSocketOptions(), [&](Router& router) { routes.Register(router); });
  WebSocketClient client(server.port());
  ASSERT_TRUE(client.Connect("/ws/echo?token=letmein").ok());
  EXPECT_EQ(client.ReceiveText().value(), "welcome");
  std::shared_ptr<WebSocketSession> session;
  {
    std::lock_guard lock(routes.sessions_mutex);
    ASSERT_EQ(routes.sessions.size(), 1u);
    session = routes.sessions.front().lock();
  }
  ASSERT_NE(session, nullptr);
  std::thread([session] { EXPECT_TRUE(session->SendText("pushed")); }).join();
  EXPECT_EQ(client.ReceiveText().value(), "pushed");
  EXPECT_TRUE(session->IsOpen());
}

TEST(WebSocketTest, QuietClientIsClosedAfterTheIdleTimeOut) {
  EchoRoutes routes;
  ServerOptions options = WebSocketOptions();
  options.websocket_idle_timeout = std::chrono::milliseconds(400);
  TestServer server(options, [&](Router& router) { routes.Register(router); });
  WebSocketClient client(server.port());
  ASSERT_TRUE(client.Connect("/ws/echo?token=letmein").ok());
  // Not reading means not answering the server's pings.
  EXPECT_EQ(routes.closed.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

TEST(WebSocketTest, ShutdownClosesSessionsWithGoingAway) {
  EchoRoutes routes;
  Server server(WebSocketOptions());
  routes.Register(server.router());
  ASSERT_TRUE(server.Start().ok());
  WebSocketClient client(server.port());
  ASSERT_TRUE(client.Connect("/ws/echo?token=letmein").ok());
  EXPECT_EQ(client.ReceiveText().value(), "welcome");
  server.Stop();
  EXPECT_EQ(client.WaitForClose().value(), 1001);
  server.Wait();
  EXPECT_EQ(routes.closed.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

}  // namespace
}  // namespace plaza::http
