#include "plaza/http/server.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json/value_to.hpp>
#include <future>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "plaza/http/json.h"
#include "plaza/http/problem.h"
#include "plaza/http/testing/client.h"
#include "test_server.h"

namespace plaza::http {
namespace {

using testing::ClientResponse;
using testing::HttpClient;
using testing::RawConnection;
using testing::TestOptions;
using testing::TestServer;

// Opens a handler's gate when the test leaves early (a failed ASSERT), so no worker
// stays blocked in a handler and the server's destructor cannot wait for it forever.
// Declare it after the server, so it opens before the server is destroyed.
class OpenOnExit {
 public:
  explicit OpenOnExit(std::promise<void>& gate) : gate_(gate) {}
  ~OpenOnExit() { Open(); }
  OpenOnExit(const OpenOnExit&) = delete;
  OpenOnExit& operator=(const OpenOnExit&) = delete;
  void Open() {
    if (!open_) gate_.set_value();
    open_ = true;
  }

 private:
  std::promise<void>& gate_;
  bool open_ = false;
};

// Bounded polling for conditions the server reaches asynchronously (a closed connection
// being unregistered); fails the test instead of hanging.
template <typename Condition>
bool Eventually(Condition condition) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

// The routes of the bad-input matrix: a JSON endpoint with typed fields, and a few
// that misbehave on purpose.
void SignupRoutes(Router& router) {
  router.Post("/signup", [](Request& request) {
    boost::json::object body = OrThrow(ParseJsonObject(request));
    JsonReader reader(body);
    std::string email = OrThrow(reader.RequiredEmail("email"));
    std::int64_t age = OrThrow(reader.RequiredInt64("age", 13, 150));
    bool newsletter = OrThrow(reader.OptionalBool("newsletter")).value_or(false);
    return Response::Json({{"email", email}, {"age", age}, {"newsletter", newsletter}}, 201);
  });
  router.Get("/hello", [](Request& request) {
    std::string name(request.Query("name").value_or("world"));
    return Response::Text("hello " + name);
  });
  router.Get("/throws", [](Request&) -> Response { throw std::runtime_error("boom in handler"); });
  router.Get("/throws-int", [](Request&) -> Response { throw 42; });
  router.Get("/frame-me",
             [](Request&) { return Response::Html("<p>framed</p>").SetHeader("X-Frame-Options", "SAMEORIGIN"); });
  router.Get("/bad-header", [](Request&) { return Response::Text("x").SetHeader("X-Evil", "a\r\nSet-Cookie: y=1"); });
  router.Get("/bad-status", [](Request&) { return Response::Text("x", 42); });
  // An upload route allowed four times the server's 1024-byte default.
  router.Group("/files").WithBodyLimit(4096).Post(
      "/{name}", [](Request& request) { return Response::Text(std::to_string(request.body.size())); });
}

class ServerTest : public ::testing::Test {
 protected:
  static ServerOptions Options() {
    ServerOptions options = TestOptions();
    options.max_header_bytes = 2048;
    options.max_body_bytes = 1024;
    return options;
  }

  void ExpectStillServing() {
    HttpClient fresh(server_.port());
    Result<ClientResponse> response = fresh.Get("/healthz");
    ASSERT_TRUE(response.ok()) << response.error().detail;
    EXPECT_EQ(response->status, 200);
  }

  static void ExpectProblem(const Result<ClientResponse>& response, int status, std::string_view type) {
    ASSERT_TRUE(response.ok()) << response.error().detail;
    EXPECT_EQ(response->status, status) << response->body;
    EXPECT_EQ(response->headers.Get("Content-Type"), "application/problem+json");
    EXPECT_EQ(response->ProblemType(), "/problems/" + std::string(type)) << response->body;
    boost::json::value body = response->Json();
    ASSERT_TRUE(body.is_object());
    EXPECT_EQ(body.as_object()["status"], status);
    EXPECT_EQ(boost::json::value_to<std::string>(body.as_object()["request_id"]),
              response->headers.Get("X-Request-Id").value_or(""));
  }

  TestServer server_{Options(), SignupRoutes};
};

TEST_F(ServerTest, BindsToAFreePort) {
  EXPECT_NE(server_.port(), 0);
}

TEST_F(ServerTest, ServesJsonAndKeepsTheConnectionAlive) {
  HttpClient client(server_.port());
  for (int i = 0; i < 3; ++i) {
    Result<ClientResponse> response =
        client.PostJson("/signup", R"({"email": "ada@example.com", "age": 36, "newsletter": true})");
    ASSERT_TRUE(response.ok()) << response.error().detail;
    EXPECT_EQ(response->status, 201);
    EXPECT_EQ(response->Json().as_object()["email"], "ada@example.com");
  }
  EXPECT_EQ(client.connection_count(), 1);
}

TEST_F(ServerTest, DecodesQueryParameters) {
  HttpClient client(server_.port());
  Result<ClientResponse> response = client.Get("/hello?name=Caf%C3%A9+au+lait");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->body, "hello Café au lait");
}

TEST_F(ServerTest, SecurityHeadersOnEveryResponseUnlessTheHandlerSetsThem) {
  HttpClient client(server_.port());
  for (std::string target : {"/hello", "/nowhere"}) {
    Result<ClientResponse> response = client.Get(target);
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->headers.Get("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(response->headers.Get("X-Frame-Options"), "DENY") << target;
    EXPECT_EQ(response->headers.Get("Content-Security-Policy"), "frame-ancestors 'none'") << target;
    EXPECT_TRUE(response->headers.Has("Referrer-Policy")) << target;
    EXPECT_TRUE(response->headers.Has("Date")) << target;
  }
  Result<ClientResponse> framed = client.Get("/frame-me");
  ASSERT_TRUE(framed.ok());
  EXPECT_EQ(framed->headers.Get("X-Frame-Options"), "SAMEORIGIN");
}

TEST_F(ServerTest, EchoesASaneRequestIdAndReplacesOthers) {
  HttpClient client(server_.port());
  Result<ClientResponse> kept = client.Get("/hello", {{"X-Request-Id", "trace-42.a:b_c"}});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->headers.Get("X-Request-Id"), "trace-42.a:b_c");
  Result<ClientResponse> replaced = client.Get("/hello", {{"X-Request-Id", "<script>"}});
  ASSERT_TRUE(replaced.ok());
  EXPECT_NE(replaced->headers.Get("X-Request-Id"), "<script>");
  EXPECT_EQ(replaced->headers.Get("X-Request-Id")->size(), 16u);
  Result<ClientResponse> generated = client.Get("/hello");
  ASSERT_TRUE(generated.ok());
  EXPECT_NE(generated->headers.Get("X-Request-Id"), replaced->headers.Get("X-Request-Id"));
}

TEST_F(ServerTest, HeadHasTheLengthOfGetButNoBody) {
  HttpClient client(server_.port());
  Result<ClientResponse> head = client.Send("HEAD", "/hello");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers.Get("Content-Length"), "11");
  EXPECT_TRUE(head->body.empty());
  // The connection is still in sync: the next response parses.
  Result<ClientResponse> get = client.Get("/hello");
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->body, "hello world");
  EXPECT_EQ(client.connection_count(), 1);
}

TEST_F(ServerTest, MalformedJson) {
  HttpClient client(server_.port());
  Result<ClientResponse> response = client.PostJson("/signup", R"({"email": "a@b.co",, "age": 20})");
  ExpectProblem(response, 400, "json/malformed");
  EXPECT_NE(response->Json().as_object()["detail"].as_string().find("byte 19"), boost::json::string::npos)
      << response->body;
  ExpectStillServing();
}

TEST_F(ServerTest, WrongTypeNamesTheField) {
  HttpClient client(server_.port());
  Result<ClientResponse> response = client.PostJson("/signup", R"({"email": "a@b.co", "age": "twenty"})");
  ExpectProblem(response, 422, "validation/type");
  EXPECT_EQ(response->Json().as_object()["field"], "/age");
}

TEST_F(ServerTest, MissingFieldNamesTheField) {
  HttpClient client(server_.port());
  Result<ClientResponse> response = client.PostJson("/signup", R"({"age": 20})");
  ExpectProblem(response, 422, "validation/required");
  EXPECT_EQ(response->Json().as_object()["field"], "/email");
}

TEST_F(ServerTest, OutOfRangeAndBadFormat) {
  HttpClient client(server_.port());
  ExpectProblem(client.PostJson("/signup", R"({"email": "a@b.co", "age": 7})"), 422, "validation/range");
  ExpectProblem(client.PostJson("/signup", R"({"email": "nobody", "age": 20})"), 422, "validation/format");
}

TEST_F(ServerTest, InvalidUtf8Body) {
  HttpClient client(server_.port());
  ExpectProblem(client.PostJson("/signup", "{\"email\": \"\xFF\xFE@b.co\", \"age\": 20}"), 400, "json/invalid-utf8");
  ExpectStillServing();
}

TEST_F(ServerTest, WrongContentType) {
  HttpClient client(server_.port());
  ExpectProblem(client.Send("POST", "/signup", R"({"age": 20})", {{"Content-Type", "text/plain"}}), 415,
                "http/unsupported-media-type");
}

TEST_F(ServerTest, UnknownRouteMethodAndVerb) {
  HttpClient client(server_.port());
  ExpectProblem(client.Get("/no/such/thing"), 404, "http/not-found");
  Result<ClientResponse> wrong_method = client.Send("DELETE", "/signup");
  ExpectProblem(wrong_method, 405, "http/method-not-allowed");
  EXPECT_EQ(wrong_method->headers.Get("Allow"), "POST, OPTIONS");
  ExpectProblem(client.Send("BREW", "/signup"), 501, "http/method-not-implemented");
  EXPECT_EQ(client.connection_count(), 1);  // None of these costs the connection.
}

TEST_F(ServerTest, InvalidQueryEncodingIs400) {
  HttpClient client(server_.port());
  ExpectProblem(client.Get("/hello?name=%FF"), 400, "http/bad-request");
  ExpectProblem(client.Get("/hello?name=%zz"), 400, "http/bad-request");
}

TEST_F(ServerTest, GarbageRequestLineIs400ThenClose) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Connect().ok());
  ASSERT_TRUE(raw.Write("THIS IS NOT HTTP\r\n\r\n").ok());
  ExpectProblem(raw.ReadResponse(), 400, "http/bad-request");
  EXPECT_TRUE(raw.WaitForClose());
  ExpectStillServing();
}

TEST_F(ServerTest, BinaryGarbageIs400ThenClose) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Connect().ok());
  ASSERT_TRUE(raw.Write(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15)).ok());
  ExpectProblem(raw.ReadResponse(), 400, "http/bad-request");
  EXPECT_TRUE(raw.WaitForClose());
  ExpectStillServing();
}

TEST_F(ServerTest, MissingHostIs400) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Connect().ok());
  ASSERT_TRUE(raw.Write("GET /hello HTTP/1.1\r\n\r\n").ok());
  ExpectProblem(raw.ReadResponse(), 400, "http/bad-request");
}

TEST_F(ServerTest, OversizedHeaderIs431ThenClose) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Connect().ok());
  ASSERT_TRUE(raw.Write("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n").ok());
  ExpectProblem(raw.ReadResponse(), 431, "http/header-too-large");
  EXPECT_TRUE(raw.WaitForClose());
  ExpectStillServing();
}

TEST_F(ServerTest, OversizedContentLengthIs413BeforeTheBodyIsSent) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Connect().ok());
  // Only the head is sent: the answer must come from Content-Length alone.
  ASSERT_TRUE(raw.Write("POST /signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Content-Length: 1000000\r\n\r\n")
                  .ok());
  ExpectProblem(raw.ReadResponse(), 413, "http/payload-too-large");
  EXPECT_TRUE(raw.WaitForClose());
  ExpectStillServing();
}

TEST_F(ServerTest, OversizedChunkedBodyIs413WhileReading) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Connect().ok());
  ASSERT_TRUE(raw.Write("POST /signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n")
                  .ok());
  std::string chunk = "258\r\n" + std::string(600, ' ') + "\r\n";  // 0x258 = 600 bytes.
  ASSERT_TRUE(raw.Write(chunk).ok());
  ASSERT_TRUE(raw.Write(chunk).ok());  // 1200 bytes: past the 1024-byte limit.
  ExpectProblem(raw.ReadResponse(), 413, "http/payload-too-large");
  EXPECT_TRUE(raw.WaitForClose());
  ExpectStillServing();
}

TEST_F(ServerTest, ARouteWithItsOwnBodyLimitTakesLargerBodiesAndOnlyIt) {
  HttpClient client(server_.port());
  Result<ClientResponse> upload = client.Send("POST", "/files/a?x=1", std::string(3000, 'u'));
  ASSERT_TRUE(upload.ok()) << upload.error().detail;
  EXPECT_EQ(upload->status, 200) << upload->body;
  EXPECT_EQ(upload->body, "3000");

  HttpClient other(server_.port());
  ExpectProblem(other.PostJson("/signup", std::string(3000, ' ')), 413, "http/payload-too-large");

  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Connect().ok());
  ASSERT_TRUE(raw.Write("POST /files/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n").ok());
  Result<ClientResponse> refused = raw.ReadResponse();
  ExpectProblem(refused, 413, "http/payload-too-large");
  EXPECT_NE(refused->body.find("4096"), std::string::npos) << refused->body;
  ExpectStillServing();
}

TEST_F(ServerTest, AChunkedBodyPastARoutesOwnLimitIs413) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Connect().ok());
  ASSERT_TRUE(raw.Write("POST /files/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n").ok());
  const std::string chunk = "7d0\r\n" + std::string(2000, 'u') + "\r\n";  // 0x7d0 = 2000 bytes.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(raw.Write(chunk).ok());         // 6000 bytes: past 4096.
  ExpectProblem(raw.ReadResponse(), 413, "http/payload-too-large");
  EXPECT_TRUE(raw.WaitForClose());
  ExpectStillServing();
}

TEST_F(ServerTest, ChunkedBodyWithinTheLimitIsServed) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Connect().ok());
  std::string json = R"({"email": "ada@example.com", "age": 36})";
  std::ostringstream request;
  request << "POST /signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          << "Transfer-Encoding: chunked\r\n\r\n"
          << std::hex << json.size() << "\r\n"
          << json << "\r\n0\r\n\r\n";
  ASSERT_TRUE(raw.Write(request.str()).ok());
  Result<ClientResponse> response = raw.ReadResponse();
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 201);
}

TEST_F(ServerTest, ExpectContinueGetsAnInterimResponse) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Connect().ok());
  std::string json = R"({"email": "ada@example.com", "age": 36})";
  ASSERT_TRUE(raw.Write("POST /signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                        "Content-Length: " +
                        std::to_string(json.size()) + "\r\n\r\n")
                  .ok());
  Result<ClientResponse> interim = raw.ReadResponse();
  ASSERT_TRUE(interim.ok());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(raw.Write(json).ok());
  Result<ClientResponse> response = raw.ReadResponse();
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 201);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Connect().ok());
  ASSERT_TRUE(
      raw.Write("GET /hello?name=a HTTP/1.1\r\nHost: x\r\n\r\nGET /hello?name=b HTTP/1.1\r\nHost: x\r\n\r\n").ok());
  Result<ClientResponse> first = raw.ReadResponse();
  Result<ClientResponse> second = raw.ReadResponse();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->body, "hello a");
  EXPECT_EQ(second->body, "hello b");
}

TEST_F(ServerTest, ThrowingHandlerIs500AndTheServerLives) {
  HttpClient client(server_.port());
  Result<ClientResponse> response = client.Get("/throws");
  ExpectProblem(response, 500, "internal");
  EXPECT_EQ(response->body.find("boom"), std::string::npos);  // No internals leak.
  ExpectProblem(client.Get("/throws-int"), 500, "internal");
  Result<ClientResponse> after = client.Get("/hello");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, 200);
}

TEST_F(ServerTest, HeaderInjectionFromAHandlerIsDropped) {
  HttpClient client(server_.port());
  Result<ClientResponse> response = client.Get("/bad-header");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_FALSE(response->headers.Has("X-Evil"));
  EXPECT_FALSE(response->headers.Has("Set-Cookie"));
}

TEST_F(ServerTest, InvalidStatusFromAHandlerIs500) {
  HttpClient client(server_.port());
  ExpectProblem(client.Get("/bad-status"), 500, "internal");
}

TEST_F(ServerTest, HealthReadinessAndMetrics) {
  HttpClient client(server_.port());
  Result<ClientResponse> health = client.Get("/healthz");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->body, R"({"status":"ok"})");
  Result<ClientResponse> ready = client.Get("/readyz");
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->status, 200);
  ASSERT_TRUE(client.Get("/hello").ok());
  Result<ClientResponse> metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics->body.find(R"(plaza_http_requests_total{method="GET",route="/hello",status="2xx"} 1)"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("plaza_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics->body.find("plaza_http_connections"), std::string::npos);
}

TEST(ServerReadinessTest, FailingCheckIs503) {
  TestServer server(TestOptions(), [](Router&) {});
  server.server().SetReadinessCheck([] { return Status(Error::Unavailable("database unreachable")); });
  HttpClient client(server.port());
  Result<ClientResponse> response = client.Get("/readyz");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->ProblemType(), "/problems/unavailable");
  EXPECT_EQ(response->headers.Get("Retry-After"), "1");
}

TEST(ServerHookTest, ResponseHookSeesEveryResponse) {
  TestServer server(TestOptions(),
                    [](Router& router) { router.Get("/page", [](Request&) { return Response::Html("<p>x</p>"); }); });
  server.server().SetResponseHook([](const Request&, Response& response) {
    if (response.headers.Get("Content-Type") == "text/html; charset=utf-8") {
      response.headers.Set("Content-Security-Policy", "default-src 'self'");
    }
  });
  HttpClient client(server.port());
  Result<ClientResponse> page = client.Get("/page");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->headers.Get("Content-Security-Policy"), "default-src 'self'");
  Result<ClientResponse> missing = client.Get("/missing");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->headers.Get("Content-Security-Policy"), "frame-ancestors 'none'");
}

TEST(ServerTimeoutTest, SlowHeadersAreCutOff) {
  ServerOptions options = TestOptions();
  options.header_timeout = std::chrono::milliseconds(300);
  TestServer server(options, SignupRoutes);
  RawConnection raw(server.port());
  ASSERT_TRUE(raw.Connect().ok());
  ASSERT_TRUE(raw.Write("GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ").ok());  // And never the rest.
  EXPECT_TRUE(raw.WaitForClose());
  HttpClient client(server.port());
  Result<ClientResponse> response = client.Get("/hello");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
}

TEST(ServerTimeoutTest, SlowBodiesAreCutOff) {
  ServerOptions options = TestOptions();
  options.body_timeout = std::chrono::milliseconds(300);
  TestServer server(options, SignupRoutes);
  RawConnection raw(server.port());
  ASSERT_TRUE(raw.Connect().ok());
  ASSERT_TRUE(raw.Write("POST /signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Content-Length: 100\r\n\r\n{\"email\"")
                  .ok());
  EXPECT_TRUE(raw.WaitForClose());
}

TEST(ServerTimeoutTest, IdleKeepAliveConnectionsAreClosed) {
  ServerOptions options = TestOptions();
  options.keep_alive_timeout = std::chrono::milliseconds(300);
  TestServer server(options, SignupRoutes);
  RawConnection raw(server.port());
  ASSERT_TRUE(raw.Connect().ok());
  ASSERT_TRUE(raw.Write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").ok());
  Result<ClientResponse> response = raw.ReadResponse();
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(raw.WaitForClose());
}

TEST(ServerLimitTest, TooManyConnectionsGet503ThenServiceResumes) {
  ServerOptions options = TestOptions();
  options.max_connections = 2;
  TestServer server(options, SignupRoutes);
  auto first = std::make_unique<HttpClient>(server.port());
  HttpClient second(server.port());
  ASSERT_TRUE(first->Get("/hello").ok());
  ASSERT_TRUE(second.Get("/hello").ok());

  HttpClient third(server.port());
  Result<ClientResponse> refused = third.Get("/hello");
  ASSERT_TRUE(refused.ok()) << refused.error().detail;
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->ProblemType(), "/problems/http/too-many-connections");
  EXPECT_EQ(refused->headers.Get("Connection"), "close");

  first.reset();  // Frees a slot once the server has seen the close.
  EXPECT_TRUE(Eventually([&] {
    Result<ClientResponse> response = third.Get("/hello");
    return response.ok() && response->status == 200;
  }));
}

TEST(ServerLimitTest, FullWorkerQueueIs503) {
  ServerOptions options = TestOptions();
  options.worker_threads = 1;
  options.worker_queue_limit = 1;
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  TestServer server(options, [&](Router& router) {
    router.Get("/block", [&entered, released](Request&) {
      entered.set_value();
      released.wait();
      return Response::Text("unblocked");
    });
    router.Get("/queued", [](Request&) { return Response::Text("queued"); });
  });
  OpenOnExit gate(release);
  auto blocked = std::async(std::launch::async, [&] { return HttpClient(server.port()).Get("/block"); });
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  auto queued = std::async(std::launch::async, [&] { return HttpClient(server.port()).Get("/queued"); });
  ASSERT_TRUE(Eventually([&] {
    return server.server().metrics().Serialize().find("plaza_http_worker_queue_depth 1") != std::string::npos;
  }));

  HttpClient client(server.port());
  Result<ClientResponse> rejected = client.Get("/queued");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->status, 503);
  EXPECT_EQ(rejected->ProblemType(), "/problems/http/overloaded");
  EXPECT_EQ(rejected->headers.Get("Retry-After"), "1");

  // Liveness does not depend on the queue.
  Result<ClientResponse> health = client.Get("/healthz");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);

  gate.Open();
  Result<ClientResponse> blocked_response = blocked.get();
  Result<ClientResponse> queued_response = queued.get();
  ASSERT_TRUE(blocked_response.ok() && queued_response.ok());
  EXPECT_EQ(blocked_response->body, "unblocked");
  EXPECT_EQ(queued_response->body, "queued");
}

TEST(ServerShutdownTest, InFlightRequestFinishesAndNewConnectionsAreRefused) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ServerOptions options = TestOptions();
  auto server = std::make_unique<Server>(options);
  server->router().Get("/slow", [&entered, released](Request&) {
    entered.set_value();
    released.wait();
    return Response::Text("finished");
  });
  ASSERT_TRUE(server->Start().ok());
  OpenOnExit gate(release);
  std::uint16_t port = server->port();

  RawConnection idle_raw(port);  // An idle keep-alive connection: closed at once on Stop().
  ASSERT_TRUE(idle_raw.Connect().ok());
  ASSERT_TRUE(idle_raw.Write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").ok());
  ASSERT_TRUE(idle_raw.ReadResponse().ok());

  auto slow = std::async(std::launch::async, [port] { return HttpClient(port).Get("/slow"); });
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);

  server->Stop();
  EXPECT_TRUE(idle_raw.WaitForClose());
  EXPECT_TRUE(Eventually([port] { return !RawConnection(port, std::chrono::seconds(1)).Connect().ok(); }));

  gate.Open();
  Result<ClientResponse> response = slow.get();
  ASSERT_TRUE(response.ok()) << response.error().detail;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "finished");
  EXPECT_EQ(response->headers.Get("Connection"), "close");
  server->Wait();
  EXPECT_FALSE(RawConnection(port, std::chrono::seconds(1)).Connect().ok());
}

TEST(ServerShutdownTest, DrainTimeOutClosesStuckRequests) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ServerOptions options = TestOptions();
  options.drain_timeout = std::chrono::milliseconds(200);
  Server server(options);
  server.router().Get("/stuck", [&entered, released](Request&) {
    entered.set_value();
    released.wait();
    return Response::Text("too late");
  });
  ASSERT_TRUE(server.Start().ok());
  OpenOnExit gate(release);
  RawConnection raw(server.port());
  ASSERT_TRUE(raw.Connect().ok());
  ASSERT_TRUE(raw.Write("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n").ok());
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  server.Stop();
  EXPECT_TRUE(raw.WaitForClose());  // Closed by the drain time-out, with the handler still running.
  gate.Open();
  server.Wait();
}

TEST(ServerShutdownTest, StopFromAHandlerAndRunReturns) {
  ServerOptions options = TestOptions();
  Server server(options);
  server.router().Post("/shutdown", [&server](Request&) {
    server.Stop();
    return Response::NoContent();
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client(server.port());
  Result<ClientResponse> response = client.Send("POST", "/shutdown");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 204);
  EXPECT_TRUE(server.Run().ok());  // Already started: just waits for the drain.
}

TEST(ServerStartTest, BindFailureIsAnError) {
  TestServer first(TestOptions(), [](Router&) {});
  ServerOptions options = TestOptions();
  options.port = first.port();
  Server second(options);
  Status status = second.Start();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
}

TEST(ServerStartTest, BadBindAddressIsAnError) {
  ServerOptions options = TestOptions();
  options.bind_address = "not-an-ip";
  Server server(options);
  EXPECT_FALSE(server.Start().ok());
}

TEST(ServerProxyTest, ForwardedForIsUsedOnlyWhenTrusted) {
  for (bool trusted : {false, true}) {
    ServerOptions options = TestOptions();
    options.trust_forwarded_for = trusted;
    TestServer server(options, [](Router& router) {
      router.Get("/whoami", [](Request& request) { return Response::Text(request.remote_address); });
    });
    HttpClient client(server.port());
    Result<ClientResponse> response = client.Get("/whoami", {{"X-Forwarded-For", "203.0.113.7, 10.0.0.1"}});
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->body, trusted ? "203.0.113.7" : "127.0.0.1");
    Result<ClientResponse> forged = client.Get("/whoami", {{"X-Forwarded-For", "not an address"}});
    ASSERT_TRUE(forged.ok());
    EXPECT_EQ(forged->body, "127.0.0.1");
  }
}

TEST(ServerAccessLogTest, OneLinePerRequestWithTheRequestId) {
  auto stream = std::make_shared<std::ostringstream>();
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*stream);
  auto logger = std::make_shared<spdlog::logger>("access", sink);
  spdlog::drop("access");
  spdlog::register_logger(logger);
  {
    ServerOptions options = TestOptions();
    options.access_log = true;
    TestServer server(options, SignupRoutes);
    HttpClient client(server.port());
    ASSERT_TRUE(client.Get("/hello?token=secret", {{"X-Request-Id", "log-me-1"}}).ok());
  }
  spdlog::drop("access");
  std::string line = stream->str();
  EXPECT_NE(line.find("method=GET path=/hello route=/hello status=200"), std::string::npos) << line;
  EXPECT_NE(line.find("request_id=log-me-1 remote=127.0.0.1"), std::string::npos) << line;
  EXPECT_EQ(line.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace plaza::http
