#pragma once
// How a WebSocket route and the server meet: the server puts a PendingUpgrade into an
// upgrade request's locals before dispatching it; the route's handler fills `events`
// when it accepts, and answers 101, which tells the server to complete the handshake.

#include <memory>
#include <optional>

#include "plaza/http/websocket.h"

namespace plaza::http::internal {

struct PendingUpgrade {
  std::shared_ptr<WebSocketSession> session;
  std::optional<WebSocketEvents> events;
};

}  // namespace plaza::http::internal
