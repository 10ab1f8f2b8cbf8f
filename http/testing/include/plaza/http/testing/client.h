#pragma once
// Blocking clients for tests that talk to a real Server over 127.0.0.1: an HTTP/1.1
// client that keeps one connection alive, a raw socket for malformed bytes, and a
// WebSocket client. Every wait is bounded by a time-out so a broken server fails the
// test instead of hanging it. Link plaza_http_testing. Not thread-safe; one per thread.

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "plaza/core/result.h"
#include "plaza/http/headers.h"

namespace plaza::http::testing {

// How long any single blocking step may take before it fails with kUnavailable.
inline constexpr std::chrono::milliseconds kDefaultTimeout = std::chrono::seconds(10);

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;

  // The body parsed as JSON; null when it is not JSON.
  boost::json::value Json() const;
  // For problem+json bodies: the `type` member, or "" when absent.
  std::string ProblemType() const;
};

// One keep-alive connection, opened on first use and reopened after the server closes
// it (so a test can tell, through connection_count(), whether keep-alive held).
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port, std::chrono::milliseconds timeout = kDefaultTimeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and reads its response. `method` is sent verbatim (so tests can
  // send unknown methods); Host and Content-Length are added. A HEAD response is read
  // without a body.
  Result<ClientResponse> Send(std::string_view method, std::string_view target, std::string body = {},
                              const Headers& headers = {});
  Result<ClientResponse> Get(std::string_view target, const Headers& headers = {});
  // POST with Content-Type application/json.
  Result<ClientResponse> PostJson(std::string_view target, std::string_view json, const Headers& headers = {});

  // Drops the connection; the next request opens a new one.
  void Close();
  // Connections opened so far.
  int connection_count() const { return connection_count_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int connection_count_ = 0;
};

// A plain TCP connection for bytes no well-behaved client would send.
class RawConnection {
 public:
  RawConnection(std::uint16_t port, std::chrono::milliseconds timeout = kDefaultTimeout);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Fails when the connection could not be opened.
  Status Connect();
  Status Write(std::string_view bytes);
  // Reads and parses one HTTP response (kUnavailable on time-out or when the server
  // closed the connection first).
  Result<ClientResponse> ReadResponse();
  // True when the server closed the connection (EOF or reset) within the time-out;
  // bytes received meanwhile are discarded.
  bool WaitForClose();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A WebSocket client: connects with an upgrade request, then sends and receives text.
class WebSocketClient {
 public:
  WebSocketClient(std::uint16_t port, std::chrono::milliseconds timeout = kDefaultTimeout);
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  // Performs the handshake on `target`. When the server refuses the upgrade, fails with
  // an Error whose detail carries the HTTP status.
  Status Connect(std::string_view target, const Headers& headers = {});
  Status SendText(std::string_view message);
  // The next text message.
  Result<std::string> ReceiveText();
  // Waits for the server to close; returns the close code it sent (0 when none).
  Result<int> WaitForClose();
  Status Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace plaza::http::testing
