// The server: accept loop, HTTP/1.1 connections, WebSocket sessions and shutdown. The
// only translation unit of plaza_http (besides asio_impl.cpp) that sees Beast and Asio.

#include "plaza/http/server.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "access_log.h"
#include "compression.h"
#include "metrics_impl.h"
#include "pch.h"
#include "plaza/core/text.h"
#include "plaza/http/problem.h"
#include "response_head.h"
#include "upgrade.h"
#include "worker_pool.h"

namespace plaza::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using BeastRequest = bhttp::request<bhttp::string_body>;

// Every awaited operation reports its error as a value: a peer vanishing is routine.
const auto kAwait = asio::as_tuple(asio::use_awaitable);

// Bytes asked of the socket per read while waiting for a request; a typical request
// head fits, and the buffer grows only as far as the header limit allows.
constexpr std::size_t kReadChunk = std::size_t{8} * 1024;
// After an error response that leaves request bytes unread (413, 431, 400), the server
// reads and discards for a while before closing: closing with unread data makes the
// kernel send a reset, which can destroy the response before the client reads it.
// Bounded in bytes and time so that a client cannot keep the slot by sending forever.
constexpr std::size_t kLingerBytes = std::size_t{1024} * 1024;
constexpr std::chrono::seconds kLingerTime(1);
// A connection over max_connections gets a short time to take its 503; it holds a
// socket meanwhile, so this is kept brief.
constexpr std::chrono::seconds kRejectTime(2);
// After a failed accept (out of file descriptors), pause before retrying instead of
// spinning on an error that will repeat until some connection closes.
constexpr std::chrono::milliseconds kAcceptBackoff(50);
// X-Request-Id values longer than this, or with characters outside a safe set, are
// replaced: they are copied into every log line about the request.
constexpr std::size_t kMaxRequestIdLength = 128;

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// Request ids correlate log lines; they need to be unique, not unguessable.
std::string NewRequestId() {
  thread_local std::mt19937_64 engine([] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }());
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(engine()));
  return std::string(text, 16);
}

// The IMF-fixdate for the Date header, formatted once per second per thread.
const std::string& HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached_text;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[40];
    std::size_t length = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
    cached_text.assign(text, length);
    cached_second = now;
  }
  return cached_text;
}

// Field names and values must not smuggle line breaks into the response head.
bool IsSafeFieldText(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

bool IsSafeField(std::string_view name, std::string_view value) {
  return !name.empty() && IsSafeFieldText(name) && IsSafeFieldText(value);
}

bool IsFramingField(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Transfer-Encoding") ||
         EqualsIgnoreCase(name, "Connection");
}

bool PeerLeft(const boost::system::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
         ec == asio::error::broken_pipe || ec == asio::error::bad_descriptor || ec == beast::error::timeout;
}

Error TransportError(std::string type, std::string detail) {
  ErrorCode code = ErrorCode::kInvalidArgument;
  if (type == "http/payload-too-large") code = ErrorCode::kPayloadTooLarge;
  if (type == "http/overloaded" || type == "http/too-many-connections") code = ErrorCode::kUnavailable;
  return Error{code, std::move(type), std::move(detail), {}};
}

// Runs `work` (returning T) on the worker pool and resumes the awaiting coroutine on its
// own executor with the result; nullopt when the pool refused the job (queue full).
template <typename T, typename Work>
asio::awaitable<std::optional<T>> OnWorker(internal::WorkerPool& pool, Work work) {
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::optional<T>)>(
      [&pool, &work](auto handler) {
        auto executor = asio::get_associated_executor(handler);
        pool.Submit(
            internal::Task([work = std::move(work), handler = std::move(handler), executor](bool accepted) mutable {
              std::optional<T> result;
              if (accepted) result.emplace(work());
              asio::post(executor, [handler = std::move(handler), result = std::move(result)]() mutable {
                std::move(handler)(std::move(result));
              });
            }));
      },
      asio::use_awaitable);
}

}  // namespace

namespace internal {
class Connection;
class WebSocketConnection;
}  // namespace internal
using internal::Connection;
using internal::WebSocketConnection;

struct Server::Impl {
  Impl(ServerOptions server_options, std::shared_ptr<Metrics> shared_metrics);

  Status Start();
  void Stop();
  void Wait();

  asio::io_context& NextContext();
  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> RejectConnection(tcp::socket socket);
  void BeginShutdown();
  void Unregister(std::uint64_t id);
  void NotifyDrained();
  bool stopping() const { return stopping_flag.load(std::memory_order_relaxed); }

  // Runs on a worker: the router, with exceptions converted at this edge.
  Response RunHandler(Request& request);
  void ApplyHook(const Request& request, Response& response);
  void LogAccess(const Request& request, int status, std::size_t bytes, Clock::time_point start);

  const ServerOptions options;
  std::shared_ptr<Metrics> metrics;
  Metrics::Impl& series;
  Router router;
  std::function<Status()> readiness;
  std::function<void(const Request&, Response&)> response_hook;
  std::unique_ptr<internal::AccessLog> access_log;

  // One io_context per I/O thread, each run by that thread alone, and every connection
  // bound to one of them: a connection's handlers then never migrate between threads,
  // need no strand, and a thread that posts to its own context wakes nobody. With one
  // shared io_context, idle threads were woken (a futex call) for most completions.
  // `io_context` is the first of them and also runs the acceptor and shutdown.
  asio::io_context io_context{1};
  std::vector<std::unique_ptr<asio::io_context>> more_io_contexts;
  std::size_t next_context = 0;  // Acceptor strand only.
  asio::strand<asio::io_context::executor_type> strand;
  tcp::acceptor acceptor;
  asio::steady_timer drain_timer;
  std::optional<asio::signal_set> signals;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_guards;
  std::unique_ptr<internal::WorkerPool> pool;
  std::vector<std::thread> io_threads;
  std::uint16_t bound_port = 0;

  std::atomic<bool> stop_requested{false};
  std::atomic<bool> stopping_flag{false};
  bool started = false;  // Owner thread only.
  bool waited = false;   // Owner thread only.

  std::mutex mutex;
  std::condition_variable drained_changed;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections;  // GUARDED_BY(mutex)
  std::uint64_t next_connection_id = 1;                                      // GUARDED_BY(mutex)
  bool drained = false;                                                      // GUARDED_BY(mutex)
  std::atomic<std::size_t> open_connections{0};
};

namespace internal {

// One accepted WebSocket. Everything except SendText/Close/IsOpen runs on the owning
// connection's executor (one I/O thread).
class WebSocketConnection final : public WebSocketSession, public std::enable_shared_from_this<WebSocketConnection> {
 public:
  WebSocketConnection(Server::Impl& server, asio::any_io_executor strand, std::string request_id)
      : server_(server), strand_(std::move(strand)), request_id_(std::move(request_id)) {}

  bool SendText(std::string message) override {
    if (!accepting_.load()) return false;
    if (queued_.fetch_add(1) >= server_.options.websocket_send_queue_limit) {
      queued_.fetch_sub(1);
      return false;
    }
    asio::post(strand_, [self = shared_from_this(), message = std::move(message)]() mutable {
      if (self->finished_) return;
      self->outbox_.push_back(std::move(message));
      self->MaybeStartWriter();
    });
    return true;
  }

  void Close(std::uint16_t code, std::string reason) override {
    accepting_.store(false);
    asio::post(strand_, [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
      if (self->finished_ || self->close_reason_) return;
      self->close_reason_.emplace(static_cast<websocket::close_code>(code), reason);
      self->MaybeStartWriter();
    });
  }

  bool IsOpen() const override { return accepting_.load(); }
  const std::string& request_id() const override { return request_id_; }

  // Completes the handshake on `stream` and serves messages until the session ends.
  asio::awaitable<void> Run(beast::tcp_stream stream, BeastRequest upgrade, WebSocketEvents events,
                            std::vector<std::pair<std::string, std::string>> response_headers) {
    const ServerOptions& options = server_.options;
    socket_.emplace(std::move(stream));
    websocket::stream<beast::tcp_stream>& ws = *socket_;
    // The WebSocket's own time-outs take over from the HTTP ones.
    beast::get_lowest_layer(ws).expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = options.write_timeout;
    timeouts.idle_timeout = options.websocket_idle_timeout;
    timeouts.keep_alive_pings = true;
    ws.set_option(timeouts);
    ws.read_message_max(options.websocket_max_message_bytes);
    ws.set_option(
        websocket::stream_base::decorator([headers = std::move(response_headers)](websocket::response_type& res) {
          for (const auto& [name, value] : headers) res.set(name, value);
        }));

    auto [accept_ec] = co_await ws.async_accept(upgrade, kAwait);
    if (!accept_ec) {
      handshake_done_ = true;
      MaybeStartWriter();
      beast::flat_buffer buffer;
      while (true) {
        auto [read_ec, bytes] = co_await ws.async_read(buffer, kAwait);
        if (read_ec) break;
        if (!ws.got_text()) {
          buffer.consume(buffer.size());
          Close(static_cast<std::uint16_t>(websocket::close_code::unknown_data), "text messages only");
          continue;
        }
        std::string message = beast::buffers_to_string(buffer.data());
        buffer.consume(buffer.size());
        if (!events.on_text || !accepting_.load()) continue;
        // Captures by reference only: the frame outlives the job, and GCC 12 mishandles
        // owning captures in temporaries inside co_await expressions.
        std::optional<bool> handled = co_await OnWorker<bool>(*server_.pool, [this, &events, &message] {
          try {
            events.on_text(*this, std::move(message));
            return true;
          } catch (const std::exception& e) {
            spdlog::error("websocket handler threw request_id={} what={}", request_id_, e.what());
          } catch (...) {
            spdlog::error("websocket handler threw request_id={} (not a std::exception)", request_id_);
          }
          return false;
        });
        if (!handled) {
          Close(static_cast<std::uint16_t>(websocket::close_code::try_again_later), "server overloaded");
        } else if (!*handled) {
          Close(static_cast<std::uint16_t>(websocket::close_code::internal_error), "internal error");
        }
      }
    }
    accepting_.store(false);
    finished_ = true;
    outbox_.clear();
    queued_.store(0);
    if (events.on_close) {
      // Must run exactly once, so it bypasses the queue limit (one per connection).
      server_.pool->SubmitUnbounded(internal::Task([on_close = std::move(events.on_close), id = request_id_](bool) {
        try {
          on_close();
        } catch (...) {
          spdlog::error("websocket on_close threw request_id={}", id);
        }
      }));
    }
  }

  // Shutdown: close the socket now (after the drain time-out).
  void ForceClose() {
    if (!socket_) return;
    boost::system::error_code ignored;  // Closing a socket that already failed is fine.
    beast::get_lowest_layer(*socket_).socket().close(ignored);
  }

 private:
  void MaybeStartWriter() {
    if (writing_ || !handshake_done_ || finished_) return;
    if (outbox_.empty() && (!close_reason_ || close_sent_)) return;
    writing_ = true;
    asio::co_spawn(strand_, WriteLoop(shared_from_this()), asio::detached);
  }

  static asio::awaitable<void> WriteLoop(std::shared_ptr<WebSocketConnection> self) {
    websocket::stream<beast::tcp_stream>& ws = *self->socket_;
    while (!self->outbox_.empty() && !self->finished_) {
      ws.text(true);
      auto [ec, bytes] = co_await ws.async_write(asio::buffer(self->outbox_.front()), kAwait);
      if (self->outbox_.empty()) break;  // The session ended meanwhile.
      self->outbox_.pop_front();
      self->queued_.fetch_sub(1);
      if (ec) {
        self->writing_ = false;
        co_return;  // The read loop sees the failure too and ends the session.
      }
    }
    if (self->close_reason_ && !self->close_sent_ && !self->finished_) {
      self->close_sent_ = true;
      // The result arrives through the read loop, which ends when the close completes.
      co_await ws.async_close(*self->close_reason_, kAwait);
    }
    self->writing_ = false;
  }

  Server::Impl& server_;
  asio::any_io_executor strand_;
  const std::string request_id_;
  std::atomic<bool> accepting_{true};
  std::atomic<std::size_t> queued_{0};

  // Owning executor only.
  std::optional<websocket::stream<beast::tcp_stream>> socket_;
  std::deque<std::string> outbox_;
  std::optional<websocket::close_reason> close_reason_;
  bool handshake_done_ = false;
  bool writing_ = false;
  bool close_sent_ = false;
  bool finished_ = false;
};

// One HTTP connection; runs as a coroutine on the io_context of one I/O thread, which
// serialises its handlers as a strand would. Shutdown reaches it through
// OnShutdown/ForceClose, posted to that executor.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server::Impl& server, tcp::socket socket, std::uint64_t id)
      : server_(server), id_(id), executor_(socket.get_executor()), stream_(std::move(socket)) {
    boost::system::error_code ec;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = peer.address().to_string();
    // Write tries a direct send before an asynchronous one; that send must not block.
    stream_.socket().non_blocking(true, ec);
  }

  const asio::any_io_executor& executor() const { return executor_; }

  static asio::awaitable<void> Serve(std::shared_ptr<Connection> self) {
    co_await self->ServeLoop();
    self->Finish();
  }

  void OnShutdown() {
    closing_ = true;
    if (websocket_) {
      websocket_->Close(static_cast<std::uint16_t>(websocket::close_code::going_away), "server shutting down");
    } else if (idle_ && !upgraded_) {
      stream_.cancel();
    }
  }

  void ForceClose() {
    if (websocket_) {
      websocket_->ForceClose();
    } else if (!upgraded_) {
      boost::system::error_code ignored;  // The socket may already be closed.
      stream_.socket().close(ignored);
    }
  }

 private:
  asio::awaitable<void> ServeLoop() {
    const ServerOptions& options = server_.options;
    bool first = true;
    while (!closing_) {
      if (buffer_.size() == 0) {
        // Idle: between requests, or before the first. Only here may shutdown close the
        // connection at once, since nothing has been received that needs an answer.
        idle_ = true;
        stream_.expires_after(first ? options.header_timeout : options.keep_alive_timeout);
        auto [ec, bytes] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kAwait);
        idle_ = false;
        if (ec) co_return;
        buffer_.commit(bytes);
      }
      first = false;

      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(options.max_header_bytes, UINT32_MAX)));
      // The head is read with the largest limit any route allows; the matched route's own
      // limit (or the default) is applied once the target is known, before the body.
      parser.body_limit(
          static_cast<std::uint64_t>(std::max(options.max_body_bytes, server_.router.LargestBodyLimit())));
      Clock::time_point start = Clock::now();
      if (boost::system::error_code header_ec = co_await ReadHead(parser)) {
        // A Content-Length past every limit is found with the head, which is parsed by
        // then, so the answer can name the limit of the route it was sent to.
        const std::size_t limit =
            header_ec == bhttp::error::body_limit ? RouteBodyLimit(parser.get()) : options.max_body_bytes;
        co_await AnswerReadError(header_ec, start, limit);
        co_return;
      }
      const std::size_t body_limit = RouteBodyLimit(parser.get());
      if (const auto length = parser.content_length(); length && *length > body_limit) {
        co_await AnswerReadError(bhttp::error::body_limit, start, body_limit);
        co_return;
      }
      parser.body_limit(static_cast<std::uint64_t>(body_limit));
      if (!parser.is_done()) {
        auto field = parser.get().find(bhttp::field::expect);
        if (field != parser.get().end() && EqualsIgnoreCase(field->value(), "100-continue")) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          stream_.expires_after(options.write_timeout);
          auto [ec, bytes] = co_await asio::async_write(stream_, asio::buffer(kContinue), kAwait);
          if (ec) co_return;
        }
        stream_.expires_after(options.body_timeout);
        auto [body_ec, body_bytes] = co_await bhttp::async_read(stream_, buffer_, parser, kAwait);
        if (body_ec) {
          co_await AnswerReadError(body_ec, start, body_limit);
          co_return;
        }
      }
      stream_.expires_never();
      bool keep_going = co_await Handle(parser.release(), start);
      if (!keep_going) co_return;
    }
  }

  // Parses the request head from what the buffer holds, reading more only while it is
  // incomplete. A whole request usually arrives in the idle read, so this mostly parses
  // in place, without the read operation and the scheduler round trip Beast's
  // async_read_header takes even when it has nothing to read.
  asio::awaitable<boost::system::error_code> ReadHead(bhttp::request_parser<bhttp::string_body>& parser) {
    for (;;) {
      if (buffer_.size() > 0) {
        boost::system::error_code ec;
        buffer_.consume(parser.put(buffer_.data(), ec));
        if (ec != bhttp::error::need_more) co_return ec;
      }
      stream_.expires_after(server_.options.header_timeout);
      auto [ec, bytes] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kAwait);
      if (ec == asio::error::eof)
        co_return buffer_.size() > 0 ? bhttp::error::partial_message : bhttp::error::end_of_stream;
      if (ec) co_return ec;
      buffer_.commit(bytes);
    }
  }

  // Fills `request` from `message`; an error when the target or query is malformed.
  std::optional<Error> BuildRequest(BeastRequest& message, Request& request) {
    request.method = ParseMethod(message.method_string());
    for (const auto& field : message) {
      request.headers.Add(std::string(field.name_string()), std::string(field.value()));
    }
    std::optional<std::string_view> incoming_id = request.headers.Get("X-Request-Id");
    request.request_id = incoming_id && IsSaneRequestId(*incoming_id) ? std::string(*incoming_id) : NewRequestId();
    request.remote_address = remote_address_;
    if (server_.options.trust_forwarded_for) {
      if (std::optional<std::string_view> forwarded = request.headers.Get("X-Forwarded-For")) {
        std::string first(text::TrimAscii(forwarded->substr(0, forwarded->find(','))));
        boost::system::error_code ec;
        asio::ip::address address = asio::ip::make_address(first, ec);
        if (!ec) request.remote_address = address.to_string();
      }
    }
    request.body = std::move(message.body());

    if (message.version() >= 11 && message.find(bhttp::field::host) == message.end()) {
      return TransportError("http/bad-request", "HTTP/1.1 requests need a Host header.");
    }
    auto target = boost::urls::parse_origin_form(message.target());
    if (!target) {
      return TransportError("http/bad-request", "The request target is not a valid origin-form path and query.");
    }
    request.path = std::string(target->encoded_path());
    for (auto param : target->params(boost::urls::encoding_opts(true, false, false))) {
      if (!text::IsValidUtf8(param.key) || !text::IsValidUtf8(param.value) ||
          param.key.find('\0') != std::string::npos || param.value.find('\0') != std::string::npos) {
        return TransportError("http/bad-request", "Query parameters must be percent-encoded UTF-8.");
      }
      request.query.Add(std::move(param.key), std::move(param.value));
    }
    return std::nullopt;
  }

  // Serves one complete request; returns whether the connection stays open.
  asio::awaitable<bool> Handle(BeastRequest message, Clock::time_point start) {
    Request request;
    Response response;
    bool routed = false;
    if (std::optional<Error> error = BuildRequest(message, request)) {
      response = Response::Problem(*error, request.request_id);
    } else if (request.path == "/healthz" && (request.method == Method::kGet || request.method == Method::kHead)) {
      // Answered here, not on a worker: a liveness probe must not fail because the
      // worker queue is full, or an overloaded server would be restarted.
      request.route_pattern = "/healthz";
      response = Response::Json(boost::json::object{{"status", "ok"}});
    } else {
      std::shared_ptr<WebSocketConnection> session;
      if (request.IsWebSocketUpgrade()) {
        session = std::make_shared<WebSocketConnection>(server_, executor_, request.request_id);
        request.Emplace<internal::PendingUpgrade>(internal::PendingUpgrade{session, std::nullopt});
      }
      server_.series.in_flight.Increment();
      std::optional<Response> handled =
          co_await OnWorker<Response>(*server_.pool, [this, &request] { return server_.RunHandler(request); });
      server_.series.in_flight.Decrement();
      if (handled) {
        response = std::move(*handled);
        routed = true;
      } else {
        server_.series.rejected_overload.Increment();
        response = Response::Problem(TransportError("http/overloaded", "The server is overloaded; retry shortly."),
                                     request.request_id);
      }
      if (response.status == 101) {
        auto* pending = request.Find<internal::PendingUpgrade>();
        if (pending != nullptr && pending->events && session) {
          co_await Upgrade(std::move(message), request, std::move(session), std::move(*pending->events), start);
          co_return false;
        }
        response = Response::Problem(Error::Internal("101 answered without a WebSocket upgrade"), request.request_id);
        routed = false;
      }
    }
    if (!routed) server_.ApplyHook(request, response);
    bool keep_alive = message.keep_alive() && !closing_ && !server_.stopping();
    bool written = co_await Write(request, std::move(response), message.version(), keep_alive, start);
    co_return written&& keep_alive;
  }

  asio::awaitable<void> Upgrade(BeastRequest message, const Request& request,
                                std::shared_ptr<WebSocketConnection> session, WebSocketEvents events,
                                Clock::time_point start) {
    websocket_ = std::move(session);
    std::vector<std::pair<std::string, std::string>> headers = server_.options.default_headers;
    headers.emplace_back("X-Request-Id", request.request_id);
    server_.LogAccess(request, 101, 0, start);
    server_.series.ObserveRequest(request.route_pattern, request.method, 101,
                                  std::chrono::duration<double>(Clock::now() - start).count());
    upgraded_ = true;
    // Shutdown began while the handler ran: complete the handshake (the handler already
    // accepted) and say goodbye at once, so its on_close still runs.
    if (closing_) {
      websocket_->Close(static_cast<std::uint16_t>(websocket::close_code::going_away), "server shutting down");
    }
    co_await websocket_->Run(std::move(stream_), std::move(message), std::move(events), std::move(headers));
  }

  // Writes `response`; returns false when the write failed.
  asio::awaitable<bool> Write(const Request& request, Response response, unsigned version, bool keep_alive,
                              Clock::time_point start) {
    int status = response.status;
    if (status < 100 || status > 599 || status == 101) {
      spdlog::error("handler answered invalid status {} request_id={}", status, request.request_id);
      response = Response::Problem(Error::Internal("invalid status"), request.request_id);
      status = response.status;
    }
    internal::ResponseHead head(status, version);
    for (const auto& [name, value] : response.headers) {
      // The server writes the framing fields, Date and X-Request-Id itself.
      if (IsFramingField(name) || EqualsIgnoreCase(name, "Date") || EqualsIgnoreCase(name, "X-Request-Id")) continue;
      if (!IsSafeField(name, value)) {
        spdlog::error("dropped header with line break request_id={}", request.request_id);
        continue;
      }
      head.AddField(name, value);
    }
    for (const auto& default_field : server_.options.default_headers) {
      const bool replaced = std::any_of(response.headers.begin(), response.headers.end(), [&](const auto& field) {
        return EqualsIgnoreCase(field.first, default_field.first) && IsSafeField(field.first, field.second);
      });
      if (!replaced) head.AddField(default_field.first, default_field.second);
    }
    head.AddField("Date", HttpDate());
    head.AddField("X-Request-Id", request.request_id);
    const bool has_content = internal::ResponseHead::HasContent(status);
    const std::string wire_head = std::move(head).Finish(keep_alive, has_content ? response.body.size() : 0);
    const bool send_body = has_content && request.method != Method::kHead;
    const std::size_t bytes = send_body ? response.body.size() : 0;

    const std::array<asio::const_buffer, 2> wire{asio::buffer(wire_head), asio::buffer(response.body.data(), bytes)};
    // Most answers fit in the socket's send buffer: they go out at once, and only a rest
    // that does not waits, under the write time-out. Arming and cancelling that timer for
    // every answer cost more than the write itself.
    boost::system::error_code ec;
    const std::size_t sent = stream_.socket().write_some(wire, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) ec = {};
    if (!ec && sent < wire_head.size() + bytes) {
      beast::buffers_suffix<std::array<asio::const_buffer, 2>> rest(wire);
      rest.consume(sent);
      stream_.expires_after(server_.options.write_timeout);
      std::tie(ec, std::ignore) = co_await asio::async_write(stream_, rest, kAwait);
      stream_.expires_never();
    }
    server_.LogAccess(request, status, bytes, start);
    server_.series.ObserveRequest(request.route_pattern, request.method, status,
                                  std::chrono::duration<double>(Clock::now() - start).count());
    co_return !ec;
  }

  // The body limit of the route the request's method and path lead to.
  std::size_t RouteBodyLimit(const bhttp::request_header<>& head) const {
    const std::string_view target = head.target();
    const std::string_view path = target.substr(0, target.find('?'));
    return server_.router.BodyLimitFor(ParseMethod(head.method_string()), path)
        .value_or(server_.options.max_body_bytes);
  }

  // Answers a request that could not be read in full, then closes.
  asio::awaitable<void> AnswerReadError(const boost::system::error_code& ec, Clock::time_point start,
                                        std::size_t body_limit) {
    // A time-out closes the socket (Beast's stream does), and a peer that left cannot
    // be answered: both just end the connection, which RFC 9112 §9.6 allows.
    if (PeerLeft(ec)) co_return;
    Error error;
    if (ec == bhttp::error::header_limit) {
      error = TransportError("http/header-too-large", "The request head exceeds " +
                                                          std::to_string(server_.options.max_header_bytes) + " bytes.");
    } else if (ec == bhttp::error::body_limit) {
      error = TransportError("http/payload-too-large",
                             "The request body exceeds " + std::to_string(body_limit) + " bytes.");
    } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
      error = TransportError("http/bad-request", "The request is not valid HTTP/1.1: " + ec.message() + ".");
    } else {
      co_return;  // A socket error: nobody to answer.
    }
    Request request;
    request.request_id = NewRequestId();
    request.remote_address = remote_address_;
    request.method = Method::kOther;
    Response response = Response::Problem(error, request.request_id);
    server_.ApplyHook(request, response);
    if (co_await Write(request, std::move(response), 11, false, start)) co_await LingeringClose();
  }

  asio::awaitable<void> LingeringClose() {
    boost::system::error_code ignored;  // The peer may be gone already; closing follows.
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    std::size_t discarded = 0;
    std::array<char, 8192> sink;
    while (discarded < kLingerBytes) {
      auto [ec, bytes] = co_await stream_.async_read_some(asio::buffer(sink), kAwait);
      if (ec) break;
      discarded += bytes;
    }
  }

  void Finish() {
    if (!upgraded_) {
      boost::system::error_code ignored;  // Shutdown of a reset socket fails harmlessly.
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_.close();
    }
    server_.Unregister(id_);
  }

  Server::Impl& server_;
  const std::uint64_t id_;
  asio::any_io_executor executor_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string remote_address_;
  std::shared_ptr<WebSocketConnection> websocket_;
  // Owning executor only.
  bool idle_ = true;
  bool closing_ = false;
  bool upgraded_ = false;
};

}  // namespace internal

Server::Impl::Impl(ServerOptions server_options, std::shared_ptr<Metrics> shared_metrics)
    : options(std::move(server_options)),
      metrics(shared_metrics ? std::move(shared_metrics) : std::make_shared<Metrics>()),
      series(metrics->impl()),
      strand(asio::make_strand(io_context)),
      acceptor(strand),
      drain_timer(strand) {
  if (options.access_log) {
    std::shared_ptr<spdlog::logger> logger = spdlog::get("access");
    if (!logger) {
      try {
        logger = internal::AccessLog::MakeStderrLogger("access");
      } catch (const spdlog::spdlog_ex&) {
        logger = spdlog::get("access");  // Another server registered it meanwhile.
      }
    }
    if (logger) {
      access_log =
          std::make_unique<internal::AccessLog>(std::move(logger), [this] { series.access_log_dropped.Increment(); });
    }
  }
  router.Get("/healthz", [](Request&) { return Response::Json(boost::json::object{{"status", "ok"}}); });
  router.Get("/readyz", [this](Request& request) {
    if (readiness) {
      Status status = readiness();
      if (!status.ok()) return Response::Problem(status.error(), request.request_id);
    }
    return Response::Json(boost::json::object{{"status", "ready"}});
  });
  if (options.expose_metrics) router.Get(options.metrics_path, metrics->MakeHandler());
}

Status Server::Impl::Start() {
  if (started) return Error::Internal("server already started");
  if (stop_requested.load()) return Error::Unavailable("server stopped before it started");
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(options.bind_address, ec);
  if (ec) return Error::Invalid("config/bind-address", "not an IP address: " + options.bind_address);
  tcp::endpoint endpoint(address, options.port);
  std::string where = options.bind_address + ":" + std::to_string(options.port);
  if (acceptor.open(endpoint.protocol(), ec); ec) return Error::Unavailable("cannot open socket: " + ec.message());
  // Restarting must not wait for the old process's connections in TIME_WAIT.
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return Error::Unavailable("cannot set SO_REUSEADDR: " + ec.message());
  }
  if (acceptor.bind(endpoint, ec); ec) return Error::Unavailable("cannot bind " + where + ": " + ec.message());
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return Error::Unavailable("cannot listen on " + where + ": " + ec.message());
  }
  bound_port = acceptor.local_endpoint().port();

  pool = std::make_unique<internal::WorkerPool>(
      std::max(1, options.worker_threads), options.worker_queue_limit,
      [this](std::size_t depth) { series.queue_depth.Set(static_cast<double>(depth)); });
  if (options.handle_signals) {
    signals.emplace(strand, SIGINT, SIGTERM);
    signals->async_wait([this](const boost::system::error_code& error, int) {
      if (!error) Stop();
    });
  }
  const int thread_count = std::max(1, options.io_threads);
  for (int i = 1; i < thread_count; ++i) more_io_contexts.push_back(std::make_unique<asio::io_context>(1));
  asio::co_spawn(strand, AcceptLoop(), asio::detached);
  work_guards.push_back(asio::make_work_guard(io_context));
  io_threads.emplace_back([this] { io_context.run(); });
  for (auto& context : more_io_contexts) {
    work_guards.push_back(asio::make_work_guard(*context));
    io_threads.emplace_back([&context = *context] { context.run(); });
  }
  started = true;
  return Ok();
}

asio::io_context& Server::Impl::NextContext() {
  std::size_t index = next_context++ % (more_io_contexts.size() + 1);
  return index == 0 ? io_context : *more_io_contexts[index - 1];
}

asio::awaitable<void> Server::Impl::AcceptLoop() {
  while (true) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::any_io_executor(NextContext().get_executor()), kAwait);
    if (stopping() || !acceptor.is_open()) co_return;
    if (ec) {
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause(strand, kAcceptBackoff);
      co_await pause.async_wait(kAwait);
      continue;
    }
    if (open_connections.load() >= options.max_connections) {
      series.rejected_connections.Increment();
      asio::any_io_executor executor = socket.get_executor();
      asio::co_spawn(executor, RejectConnection(std::move(socket)), asio::detached);
      continue;
    }
    // Responses go out in one write each, but a WebSocket sends frame after frame, and
    // Nagle's algorithm would hold a small frame back until the previous one is acknowledged.
    boost::system::error_code ignored;  // Without the option the connection still works.
    socket.set_option(tcp::no_delay(true), ignored);
    std::shared_ptr<Connection> connection;
    {
      std::lock_guard lock(mutex);
      std::uint64_t id = next_connection_id++;
      connection = std::make_shared<Connection>(*this, std::move(socket), id);
      connections.emplace(id, connection);
    }
    series.connections.Set(static_cast<double>(open_connections.fetch_add(1) + 1));
    asio::co_spawn(connection->executor(), Connection::Serve(connection), asio::detached);
  }
}

asio::awaitable<void> Server::Impl::RejectConnection(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  std::string id = NewRequestId();
  std::string body = boost::json::serialize(ProblemBody(
      TransportError("http/too-many-connections", "The server has too many open connections; retry shortly."), id));
  internal::ResponseHead head(503, 11);
  head.AddField("Content-Type", kProblemContentType);
  head.AddField("Retry-After", "1");
  for (const auto& [name, value] : options.default_headers) head.AddField(name, value);
  head.AddField("Date", HttpDate());
  head.AddField("X-Request-Id", id);
  const std::string wire_head = std::move(head).Finish(false, body.size());
  stream.expires_after(kRejectTime);
  const std::array<asio::const_buffer, 2> wire{asio::buffer(wire_head), asio::buffer(body)};
  auto [ec, bytes] = co_await asio::async_write(stream, wire, kAwait);
  if (ec) co_return;
  boost::system::error_code ignored;  // Best effort: the peer may have gone.
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  // Read what the client sent, so closing does not reset the connection under its 503.
  std::array<char, 4096> sink;
  for (std::size_t discarded = 0; discarded < kLingerBytes;) {
    auto [read_ec, read] = co_await stream.async_read_some(asio::buffer(sink), kAwait);
    if (read_ec) break;
    discarded += read;
  }
}

void Server::Impl::Stop() {
  if (stop_requested.exchange(true)) return;
  asio::post(strand, [this] { BeginShutdown(); });
}

void Server::Impl::BeginShutdown() {
  stopping_flag.store(true);
  boost::system::error_code ignored;  // Closing a closed acceptor or cancelling idle signals is harmless.
  acceptor.close(ignored);
  if (signals) signals->cancel(ignored);
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(mutex);
    for (auto& [id, weak] : connections) {
      if (auto connection = weak.lock()) open.push_back(std::move(connection));
    }
  }
  if (open.empty()) {
    NotifyDrained();
    return;
  }
  for (auto& connection : open) {
    asio::post(connection->executor(), [connection] { connection->OnShutdown(); });
  }
  drain_timer.expires_after(options.drain_timeout);
  drain_timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // Cancelled: everything drained in time.
    std::vector<std::shared_ptr<Connection>> remaining;
    {
      std::lock_guard lock(mutex);
      for (auto& [id, weak] : connections) {
        if (auto connection = weak.lock()) remaining.push_back(std::move(connection));
      }
    }
    spdlog::warn("drain time-out: closing {} connections with requests in flight", remaining.size());
    for (auto& connection : remaining) {
      asio::post(connection->executor(), [connection] { connection->ForceClose(); });
    }
    NotifyDrained();
  });
}

void Server::Impl::Unregister(std::uint64_t id) {
  bool now_empty = false;
  {
    std::lock_guard lock(mutex);
    connections.erase(id);
    now_empty = connections.empty() && stopping();
  }
  series.connections.Set(static_cast<double>(open_connections.fetch_sub(1) - 1));
  if (now_empty) NotifyDrained();
}

void Server::Impl::NotifyDrained() {
  {
    std::lock_guard lock(mutex);
    if (drained) return;
    drained = true;
  }
  drained_changed.notify_all();
  asio::post(strand, [this] { drain_timer.cancel(); });
}

void Server::Impl::Wait() {
  if (!started || waited) return;
  {
    std::unique_lock lock(mutex);
    drained_changed.wait(lock, [this] { return drained; });
  }
  // Handlers still running (past the drain time-out) finish here; their connections are
  // closed, so their results go nowhere, but threads cannot be killed safely.
  pool->Shutdown();
  work_guards.clear();
  for (std::thread& thread : io_threads) thread.join();
  io_threads.clear();
  if (access_log) access_log->Stop();
  waited = true;
}

Response Server::Impl::RunHandler(Request& request) {
  Response response;
  try {
    response = router.Dispatch(request);
  } catch (const ErrorException& e) {
    response = Response::Problem(e.error(), request.request_id);
  } catch (const std::exception& e) {
    response = Response::Problem(Error::Internal(std::string("handler threw: ") + e.what()), request.request_id);
  } catch (...) {
    response = Response::Problem(Error::Internal("handler threw a non-standard exception"), request.request_id);
  }
  ApplyHook(request, response);
  CompressForClient(request, response);
  return response;
}

void Server::Impl::ApplyHook(const Request& request, Response& response) {
  if (!response_hook) return;
  try {
    response_hook(request, response);
  } catch (const std::exception& e) {
    spdlog::error("response hook threw request_id={} what={}", request.request_id, e.what());
  } catch (...) {
    spdlog::error("response hook threw request_id={}", request.request_id);
  }
}

void Server::Impl::LogAccess(const Request& request, int status, std::size_t bytes, Clock::time_point start) {
  if (!access_log || !access_log->enabled()) return;
  double milliseconds = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  // The path only, never the query: query strings carry tokens and personal data.
  access_log->Record(
      fmt::format("method={} path={} route={} status={} bytes={} duration_ms={:.3f} request_id={} remote={}",
                  request.method == Method::kOther ? std::string_view("-") : MethodName(request.method),
                  request.path.empty() ? std::string_view("-") : std::string_view(request.path),
                  request.route_pattern.empty() ? std::string_view("-") : std::string_view(request.route_pattern),
                  status, bytes, milliseconds, request.request_id, request.remote_address));
}

Server::Server(ServerOptions options, std::shared_ptr<Metrics> metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(metrics))) {}

Server::~Server() {
  Stop();
  Wait();
}

Router& Server::router() {
  return impl_->router;
}
Metrics& Server::metrics() {
  return *impl_->metrics;
}
void Server::SetReadinessCheck(std::function<Status()> check) {
  impl_->readiness = std::move(check);
}
void Server::SetResponseHook(std::function<void(const Request&, Response&)> hook) {
  impl_->response_hook = std::move(hook);
}
Status Server::Start() {
  return impl_->Start();
}
std::uint16_t Server::port() const {
  return impl_->bound_port;
}
void Server::Stop() {
  impl_->Stop();
}
void Server::Wait() {
  impl_->Wait();
}

Status Server::Run() {
  if (!impl_->started) PLAZA_TRY(Start());
  Wait();
  return Ok();
}

}  // namespace plaza::http
