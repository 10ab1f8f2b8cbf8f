#pragma once
// WebSocket routes: a GET route that accepts the upgrade and then exchanges text
// messages through a small session interface, independent of the network library.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "plaza/core/result.h"
#include "plaza/http/request.h"

namespace plaza::http {

// One open WebSocket connection. Shared: the server holds it while the connection lives;
// a handler may keep a std::weak_ptr (e.g. to fan out live-shopping events) and call it
// from any thread. Calls on a closed session are harmless no-ops.
class WebSocketSession {
 public:
  virtual ~WebSocketSession() = default;

  // Queues a text message (REQUIRES: valid UTF-8). Returns false, sending nothing, when the
  // session is closed or its send queue (ServerOptions::websocket_send_queue_limit) is
  // full because the peer reads too slowly; the caller decides whether to Close().
  virtual bool SendText(std::string message) = 0;
  // Starts the closing handshake with `code` (RFC 6455 §7.4; 1000 normal closure).
  // Messages queued before it are sent first.
  virtual void Close(std::uint16_t code = 1000, std::string reason = {}) = 0;
  virtual bool IsOpen() const = 0;
  // The id of the upgrade request, for logs.
  virtual const std::string& request_id() const = 0;
};

// What a WebSocket route does with an accepted connection. Both callbacks run on the
// worker pool (they may block), one at a time per session and in arrival order; the next
// message is not read until on_text returns, which bounds memory per session.
struct WebSocketEvents {
  // A complete text message (at most ServerOptions::websocket_max_message_bytes,
  // valid UTF-8). Binary messages close the session with 1003.
  std::function<void(WebSocketSession& session, std::string message)> on_text;
  // Called once when the connection has ended for any reason; may be empty.
  std::function<void()> on_close;
};

// Runs on the worker pool after the route's middleware, with the upgrade request. Return
// the events to accept the upgrade, or an Error to refuse it with that problem (the
// connection then stays plain HTTP). `session` may be stored and written to at once;
// messages are delivered after the handshake completes.
using WebSocketHandler =
    std::function<Result<WebSocketEvents>(Request& request, std::shared_ptr<WebSocketSession> session)>;

}  // namespace plaza::http
