#include "plaza/http/testing/client.h"

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <optional>
#include <utility>

namespace plaza::http::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using ErrorCodeValue = boost::system::error_code;

// Test responses can be large (metrics, lists) but never this large.
constexpr std::uint64_t kMaxResponseBody = 64 * 1024 * 1024;

Error Failed(std::string_view what, const ErrorCodeValue& ec) {
  return Error::Unavailable(std::string(what) + ": " + ec.message());
}

// Starts one asynchronous operation and runs `io` until it completes. Every operation
// here is on a stream with a deadline, so this returns within the time-out. Other work
// (the WebSocket stream's idle timer) may stay pending; it runs during later calls.
template <typename Start>
ErrorCodeValue RunOne(asio::io_context& io, Start start) {
  ErrorCodeValue result;
  bool done = false;
  start([&result, &done](ErrorCodeValue ec, auto&&...) {
    result = ec;
    done = true;
  });
  io.restart();
  while (!done && io.run_one() > 0) {
  }
  return result;
}

ClientResponse ToClientResponse(bhttp::response<bhttp::string_body>& message) {
  ClientResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) response.headers.Add(std::string(field.name_string()), std::string(field.value()));
  response.body = std::move(message.body());
  return response;
}

Result<ClientResponse> ReadOne(asio::io_context& io, beast::tcp_stream& stream, beast::flat_buffer& buffer,
                               std::chrono::milliseconds timeout, bool head) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kMaxResponseBody);
  parser.header_limit(1024 * 1024);
  if (head) parser.skip(true);
  stream.expires_after(timeout);
  ErrorCodeValue ec = RunOne(io, [&](auto handler) { bhttp::async_read(stream, buffer, parser, std::move(handler)); });
  if (ec) return Failed("reading the response", ec);
  return ToClientResponse(parser.get());
}

tcp::endpoint Loopback(std::uint16_t port) {
  return tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
}

Status ConnectStream(asio::io_context& io, beast::tcp_stream& stream, std::uint16_t port,
                     std::chrono::milliseconds timeout) {
  stream.expires_after(timeout);
  tcp::endpoint endpoint = Loopback(port);
  ErrorCodeValue ec = RunOne(io, [&](auto handler) { stream.async_connect(endpoint, std::move(handler)); });
  if (ec) return Failed("connecting", ec);
  return Ok();
}

bool IsClosedError(const ErrorCodeValue& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset || ec == bhttp::error::end_of_stream ||
         ec == asio::error::broken_pipe;
}

}  // namespace

boost::json::value ClientResponse::Json() const {
  ErrorCodeValue ec;
  boost::json::value value = boost::json::parse(body, ec);
  return ec ? boost::json::value() : value;
}

std::string ClientResponse::ProblemType() const {
  boost::json::value value = Json();
  if (!value.is_object()) return {};
  const boost::json::value* type = value.get_object().if_contains("type");
  return type != nullptr && type->is_string() ? std::string(type->get_string()) : std::string();
}

struct HttpClient::Impl {
  asio::io_context io;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
};

HttpClient::HttpClient(std::uint16_t port, std::chrono::milliseconds timeout) : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->timeout = timeout;
}

HttpClient::~HttpClient() {
  Close();
}

void HttpClient::Close() {
  if (!impl_->stream) return;
  ErrorCodeValue ignored;  // The server may have closed first.
  impl_->stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->stream->close();
  impl_->stream.reset();
  impl_->buffer.clear();
}

Result<ClientResponse> HttpClient::Send(std::string_view method, std::string_view target, std::string body,
                                        const Headers& headers) {
  if (!impl_->stream) {
    impl_->stream.emplace(impl_->io);
    if (Status connected = ConnectStream(impl_->io, *impl_->stream, impl_->port, impl_->timeout); !connected.ok()) {
      impl_->stream.reset();
      return std::move(connected).error();
    }
    ++connection_count_;
  }
  bhttp::request<bhttp::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(bhttp::field::host, "127.0.0.1:" + std::to_string(impl_->port));
  for (const auto& [name, value] : headers) request.insert(name, value);
  bool has_body = !body.empty();
  request.body() = std::move(body);
  if (has_body || method == "POST" || method == "PUT" || method == "PATCH") request.prepare_payload();

  beast::tcp_stream& stream = *impl_->stream;
  stream.expires_after(impl_->timeout);
  ErrorCodeValue ec = RunOne(impl_->io, [&](auto handler) { bhttp::async_write(stream, request, std::move(handler)); });
  if (ec) {
    Close();
    return Failed("writing the request", ec);
  }
  Result<ClientResponse> response = ReadOne(impl_->io, stream, impl_->buffer, impl_->timeout, method == "HEAD");
  if (!response.ok()) {
    Close();
    return response;
  }
  std::optional<std::string_view> connection = response->headers.Get("Connection");
  if (connection && EqualsIgnoreCase(*connection, "close")) Close();
  return response;
}

Result<ClientResponse> HttpClient::Get(std::string_view target, const Headers& headers) {
  return Send("GET", target, {}, headers);
}

Result<ClientResponse> HttpClient::PostJson(std::string_view target, std::string_view json, const Headers& headers) {
  Headers with_type = headers;
  with_type.SetIfAbsent("Content-Type", "application/json");
  return Send("POST", target, std::string(json), with_type);
}

struct RawConnection::Impl {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
};

RawConnection::RawConnection(std::uint16_t port, std::chrono::milliseconds timeout) : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->timeout = timeout;
}

RawConnection::~RawConnection() {
  ErrorCodeValue ignored;  // Already closed by the server, perhaps.
  impl_->stream.socket().close(ignored);
}

Status RawConnection::Connect() {
  return ConnectStream(impl_->io, impl_->stream, impl_->port, impl_->timeout);
}

Status RawConnection::Write(std::string_view bytes) {
  impl_->stream.expires_after(impl_->timeout);
  ErrorCodeValue ec = RunOne(impl_->io, [&](auto handler) {
    asio::async_write(impl_->stream, asio::buffer(bytes.data(), bytes.size()), std::move(handler));
  });
  if (ec) return Failed("writing", ec);
  return Ok();
}

Result<ClientResponse> RawConnection::ReadResponse() {
  return ReadOne(impl_->io, impl_->stream, impl_->buffer, impl_->timeout, false);
}

bool RawConnection::WaitForClose() {
  impl_->stream.expires_after(impl_->timeout);
  std::array<char, 4096> sink;
  while (true) {
    ErrorCodeValue ec =
        RunOne(impl_->io, [&](auto handler) { impl_->stream.async_read_some(asio::buffer(sink), std::move(handler)); });
    if (!ec) continue;
    return IsClosedError(ec);
  }
}

struct WebSocketClient::Impl {
  asio::io_context io;
  websocket::stream<beast::tcp_stream> ws{io};
  beast::flat_buffer buffer;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
};

WebSocketClient::WebSocketClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->timeout = timeout;
}

WebSocketClient::~WebSocketClient() {
  ErrorCodeValue ignored;  // Best effort; the test is over.
  beast::get_lowest_layer(impl_->ws).socket().close(ignored);
}

Status WebSocketClient::Connect(std::string_view target, const Headers& headers) {
  PLAZA_TRY(ConnectStream(impl_->io, beast::get_lowest_layer(impl_->ws), impl_->port, impl_->timeout));
  beast::get_lowest_layer(impl_->ws).expires_never();
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = impl_->timeout;
  timeouts.idle_timeout = impl_->timeout;
  timeouts.keep_alive_pings = false;
  impl_->ws.set_option(timeouts);
  impl_->ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
    for (const auto& [name, value] : headers) request.set(name, value);
  }));
  websocket::response_type response;
  std::string host = "127.0.0.1:" + std::to_string(impl_->port);
  ErrorCodeValue ec =
      RunOne(impl_->io, [&](auto handler) { impl_->ws.async_handshake(response, host, target, std::move(handler)); });
  if (ec) {
    return Error::Unavailable("handshake failed with HTTP status " + std::to_string(response.result_int()) + ": " +
                              ec.message());
  }
  return Ok();
}

Status WebSocketClient::SendText(std::string_view message) {
  impl_->ws.text(true);
  ErrorCodeValue ec = RunOne(impl_->io, [&](auto handler) {
    impl_->ws.async_write(asio::buffer(message.data(), message.size()), std::move(handler));
  });
  if (ec) return Failed("sending", ec);
  return Ok();
}

Result<std::string> WebSocketClient::ReceiveText() {
  ErrorCodeValue ec = RunOne(impl_->io, [&](auto handler) { impl_->ws.async_read(impl_->buffer, std::move(handler)); });
  if (ec) return Failed("receiving", ec);
  std::string message = beast::buffers_to_string(impl_->buffer.data());
  impl_->buffer.consume(impl_->buffer.size());
  return message;
}

Result<int> WebSocketClient::WaitForClose() {
  while (true) {
    ErrorCodeValue ec =
        RunOne(impl_->io, [&](auto handler) { impl_->ws.async_read(impl_->buffer, std::move(handler)); });
    impl_->buffer.consume(impl_->buffer.size());
    if (!ec) continue;
    // A server that fails the connection (e.g. message too big) closes its socket right
    // after its close frame, so answering that frame may fail; the code still arrived.
    if (impl_->ws.reason().code != websocket::close_code::none) return static_cast<int>(impl_->ws.reason().code);
    if (ec == websocket::error::closed || IsClosedError(ec)) return 0;
    return Failed("waiting for close", ec);
  }
}

Status WebSocketClient::Close() {
  ErrorCodeValue ec = RunOne(
      impl_->io, [&](auto handler) { impl_->ws.async_close(websocket::close_code::normal, std::move(handler)); });
  if (ec) return Failed("closing", ec);
  return Ok();
}

}  // namespace plaza::http::testing
