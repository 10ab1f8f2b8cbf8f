#pragma once
// The HTTP/1.1 server: keep-alive connections served by I/O threads, handlers run on a
// bounded worker pool, every resource an outside client can grow is limited, and
// shutdown drains in-flight requests. WebSocket routes upgrade in place.
//
//   http::Server server(options, metrics);
//   api::RegisterRoutes(server.router(), services);
//   server.SetReadinessCheck([&] { return db.Ping(); });
//   return server.Run();  // returns after SIGTERM (options.handle_signals) or Stop()

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "plaza/core/result.h"
#include "plaza/http/metrics.h"
#include "plaza/http/request.h"
#include "plaza/http/response.h"
#include "plaza/http/router.h"

namespace plaza::http {

// Every limit the server enforces. The defaults suit a public deployment behind a
// reverse proxy; tests shrink the time-outs.
struct ServerOptions {
  // Where to listen. Port 0 picks a free port (tests); Server::port() tells which.
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 8080;

  // Threads that only move bytes and parse; two saturate a typical NIC for small
  // requests, and they never block.
  int io_threads = 2;
  // Threads that run handlers, which may block on the database: sized like the
  // database pool so that waiting handlers do not queue for connections twice.
  int worker_threads = 8;
  // Requests waiting for a worker. Past this the server answers 503
  // "http/overloaded" at once instead of letting memory and latency grow without
  // bound under overload; a client (or load balancer) can retry elsewhere.
  std::size_t worker_queue_limit = 1024;

  // Open connections, WebSockets included. Each costs a socket, buffers and a
  // coroutine; past the limit a new connection gets one 503 "http/too-many-connections"
  // response and is closed, so the client learns why instead of hanging in the backlog.
  std::size_t max_connections = 10000;

  // Request line plus header fields. 16 KiB holds any real browser's cookies and
  // headers; larger is an attack or a bug, answered 431 "http/header-too-large".
  std::size_t max_header_bytes = std::size_t{16} * 1024;
  // Request body. JSON API bodies are small; 1 MiB leaves room for bulk requests.
  // Checked against Content-Length before reading, and while reading chunked bodies:
  // 413 "http/payload-too-large", then the connection closes (the rest is not read).
  std::size_t max_body_bytes = std::size_t{1024} * 1024;

  // Time for a client to send the whole request head once its first byte arrived.
  // A client that trickles bytes (slowloris) holds a connection slot; this cuts it off
  // with 408 "http/request-timeout".
  std::chrono::milliseconds header_timeout = std::chrono::seconds(10);
  // Time to receive the whole body once the head is read. Generous for slow mobile
  // links, yet bounded for the same reason as header_timeout.
  std::chrono::milliseconds body_timeout = std::chrono::seconds(30);
  // Time to write one response. A client that stops reading is dropped.
  std::chrono::milliseconds write_timeout = std::chrono::seconds(30);
  // How long an idle keep-alive connection waits for the next request. Shorter than
  // a typical proxy's upstream idle time-out would race it; 60 s sits above nginx's
  // and HAProxy's defaults.
  std::chrono::milliseconds keep_alive_timeout = std::chrono::seconds(60);
  // On Stop(): how long in-flight requests may take to finish before their
  // connections are closed anyway. Below Kubernetes' default 30 s grace period.
  std::chrono::milliseconds drain_timeout = std::chrono::seconds(25);

  // Largest WebSocket message accepted; bigger ones close the session with 1009.
  // Chat and live events are small.
  std::size_t websocket_max_message_bytes = std::size_t{64} * 1024;
  // A WebSocket with no traffic for this long is closed; the server pings at half this
  // interval, so a healthy but quiet client stays connected.
  std::chrono::milliseconds websocket_idle_timeout = std::chrono::seconds(60);
  // Outgoing messages queued per session. A client that reads slower than events
  // arrive would otherwise grow memory without bound; SendText() refuses past it.
  std::size_t websocket_send_queue_limit = 256;

  // Take the client address from X-Forwarded-For (left-most entry). Only behind a
  // proxy that sets it; otherwise clients could forge their address in logs and limits.
  bool trust_forwarded_for = false;

  // Serve `metrics_path` with the Prometheus exposition of the server's Metrics. Off
  // when the port is public and metrics should not be.
  bool expose_metrics = true;
  std::string metrics_path = "/metrics";

  // Run() stops on SIGINT and SIGTERM. For the `serve` command; tests leave it off.
  bool handle_signals = false;

  // Write one line per request to the spdlog logger "access" (created on stderr
  // if the application has not registered one).
  bool access_log = true;

  // Added to every response that does not already set the field. The HTML
  // Content-Security-Policy is the web layer's (it sets its own on each page, or adds
  // a response hook); frame-ancestors here protects every other response.
  std::vector<std::pair<std::string, std::string>> default_headers = {
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "strict-origin-when-cross-origin"},
      {"X-Frame-Options", "DENY"},
      {"Content-Security-Policy", "frame-ancestors 'none'"},
  };
};

// Owns the listening socket, the I/O and worker threads and every connection.
// Lifecycle: construct, register routes on router(), Start() (or Run()), Stop(), Wait().
// Stop() and port() may be called from any thread; the rest from the owning thread.
// The destructor stops and waits.
class Server {
 public:
  // `metrics`: shared with other layers; a private instance is created when null.
  explicit Server(ServerOptions options, std::shared_ptr<Metrics> metrics = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The routes; register before Start(). The server adds /healthz, /readyz and (with
  // expose_metrics) the metrics path at Start().
  Router& router();
  Metrics& metrics();

  // Used by /readyz: 200 {"status":"ready"} when it returns Ok, else 503 with its
  // problem. Runs on a worker thread per probe. Without a check /readyz answers ready.
  // /healthz always answers 200 {"status":"ok"} while the server serves.
  void SetReadinessCheck(std::function<Status()> check);
  // Called for every response (including 404s and problems the server itself makes)
  // just before the default headers are added; may adjust headers, e.g. a CSP.
  // Runs on a worker thread for routed requests and on an I/O thread for the server's
  // own error responses, so it must not block.
  void SetResponseHook(std::function<void(const Request&, Response&)> hook);

  // Binds, listens and starts the threads; returns at once. Fails (kUnavailable) when
  // the address cannot be bound.
  Status Start();
  // The bound port (the real one when options.port was 0). REQUIRES: Start() succeeded.
  std::uint16_t port() const;

  // Begins a graceful shutdown and returns at once: stop accepting, close idle
  // keep-alive connections and WebSockets, let in-flight requests finish (each answered
  // with Connection: close) for up to drain_timeout, then close the rest.
  // Idempotent; safe from any thread, including a handler.
  void Stop();
  // Blocks until the shutdown has finished and every thread has been joined.
  void Wait();
  // Start() if not started, then Wait().
  Status Run();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace plaza::http
