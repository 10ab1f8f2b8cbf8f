#pragma once
// Routes: method + path pattern -> handler, matched through a segment trie, with
// middleware for the concerns that wrap many handlers (authentication, CSRF,
// idempotency).
//
// Patterns are absolute paths of "/"-separated segments. A segment is a literal
// ("shops"), a parameter ("{shop_id}": one non-empty segment) or, last only, a rest
// parameter ("{path...}": one or more segments, joined with "/"). At each segment a
// literal beats a parameter, which beats a rest parameter; the matcher backtracks, so
// "/a/{x}/c" still matches "/a/b/c" when "/a/b/d" is also registered.
//
// Trailing slash: strict. "/shops/" and "/shops" are different paths and a pattern is
// never registered with a trailing slash (except "/" itself), so "/shops/" is 404. No
// implicit redirect: it would turn a client's mistaken POST into a silent second
// request, and two URLs for one page split caches and search ranking.
//
// Methods: HEAD is served by the GET handler with the body dropped by the server;
// OPTIONS on a known path without its own route answers 204 with Allow; a known path
// with another method answers 405 problem+json with Allow; an unknown path answers 404
// problem+json (or the not-found handler, see SetNotFoundHandler).
//
// Thread-safety: register everything before the server starts; afterwards the router is
// read-only and Dispatch may run on many worker threads at once.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/http/request.h"
#include "plaza/http/response.h"
#include "plaza/http/websocket.h"

namespace plaza::http {

// Runs on a worker thread, never on an I/O thread, so it may block on the database.
// Throwing ErrorException yields its problem; any other exception a logged 500.
using Handler = std::function<Response(Request& request)>;

// Wraps a handler: inspect or change the request, then call `next` (or answer without
// calling it, e.g. 401), then inspect or change the response. `next` is valid only
// during the call.
using Middleware = std::function<Response(Request& request, const Handler& next)>;

// Builds the handler `middleware[0](middleware[1](… handler))`: the first middleware is
// the outermost. For decorating one handler by hand.
Handler Chain(const std::vector<Middleware>& middleware, Handler handler);

struct RouteInfo {
  Method method = Method::kGet;
  std::string pattern;
  bool websocket = false;
};

class Router;

// A set of routes sharing a path prefix and middleware, e.g. the authenticated part of
// /api/v1. Cheap to copy; refers to its Router, which must outlive it.
//
// Middleware applies to routes registered through this group *after* the Use call, in
// Use order (first is outermost), like Express: register public routes, then Use(auth),
// then private routes. A group created by Group() starts with a copy of its parent's
// middleware at that moment.
class RouteGroup {
 public:
  RouteGroup& Use(Middleware middleware);
  // A nested group: `prefix` ("/shops/{shop_id}") is appended to this group's prefix.
  RouteGroup Group(std::string_view prefix) const;
  // A copy of this group whose routes accept bodies up to `max_body_bytes` instead of
  // ServerOptions::max_body_bytes: for the few routes that take uploads, so that every
  // other route keeps the small default. The server reads the limit from the route
  // before it reads the body.
  RouteGroup WithBodyLimit(std::size_t max_body_bytes) const;

  // Registers `handler` for `method` on prefix + `pattern`.
  // REQUIRES: a well-formed pattern (see above) and no route already registered for
  // the same method and an equivalent pattern; violating this is a programmer error
  // and throws std::logic_error at start-up.
  RouteGroup& Add(Method method, std::string_view pattern, Handler handler);
  RouteGroup& Get(std::string_view pattern, Handler handler) { return Add(Method::kGet, pattern, std::move(handler)); }
  RouteGroup& Post(std::string_view pattern, Handler handler) {
    return Add(Method::kPost, pattern, std::move(handler));
  }
  RouteGroup& Put(std::string_view pattern, Handler handler) { return Add(Method::kPut, pattern, std::move(handler)); }
  RouteGroup& Patch(std::string_view pattern, Handler handler) {
    return Add(Method::kPatch, pattern, std::move(handler));
  }
  RouteGroup& Delete(std::string_view pattern, Handler handler) {
    return Add(Method::kDelete, pattern, std::move(handler));
  }
  // A GET route that upgrades to WebSocket (websocket.h). The group's middleware runs
  // on the upgrade request first, so authentication applies as for any route. A plain
  // GET without the upgrade headers gets 426 "http/upgrade-required".
  RouteGroup& WebSocket(std::string_view pattern, WebSocketHandler handler);

 private:
  friend class Router;
  RouteGroup(Router* router, std::string prefix, std::vector<Middleware> middleware);

  Router* router_;
  std::string prefix_;
  std::vector<Middleware> middleware_;
  std::size_t max_body_bytes_ = 0;  // 0: the server's default
};

// Owns the route table. Not copyable or movable: groups refer to it.
class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // The root group's operations (prefix "").
  RouteGroup& Use(Middleware middleware) { return root_.Use(std::move(middleware)); }
  RouteGroup Group(std::string_view prefix) const { return root_.Group(prefix); }
  // The root group with its own body limit (RouteGroup::WithBodyLimit), for pages that
  // take uploads at top-level paths.
  RouteGroup WithBodyLimit(std::size_t max_body_bytes) const { return root_.WithBodyLimit(max_body_bytes); }
  RouteGroup& Add(Method method, std::string_view pattern, Handler handler) {
    return root_.Add(method, pattern, std::move(handler));
  }
  RouteGroup& Get(std::string_view pattern, Handler handler) { return root_.Get(pattern, std::move(handler)); }
  RouteGroup& Post(std::string_view pattern, Handler handler) { return root_.Post(pattern, std::move(handler)); }
  RouteGroup& Put(std::string_view pattern, Handler handler) { return root_.Put(pattern, std::move(handler)); }
  RouteGroup& Patch(std::string_view pattern, Handler handler) { return root_.Patch(pattern, std::move(handler)); }
  RouteGroup& Delete(std::string_view pattern, Handler handler) { return root_.Delete(pattern, std::move(handler)); }
  RouteGroup& WebSocket(std::string_view pattern, WebSocketHandler handler) {
    return root_.WebSocket(pattern, std::move(handler));
  }

  // Replaces the default 404 problem for paths no route matches (e.g. the web layer
  // renders an HTML page for browsers). No middleware runs around it.
  void SetNotFoundHandler(Handler handler);

  // Matches `request.method` and `request.path`, fills `path_params` and `route_pattern`,
  // and runs the route's middleware and handler; or answers 404/405/OPTIONS as described
  // at the top of this file. A path parameter that is not valid percent-encoded UTF-8
  // answers 400 "http/bad-path". Exceptions from handlers propagate to the caller (the
  // server converts them at its edge).
  Response Dispatch(Request& request) const;

  // The body limit of the route `method` and `path` (still percent-encoded) would be
  // dispatched to, when that route set one with WithBodyLimit; nullopt otherwise.
  std::optional<std::size_t> BodyLimitFor(Method method, std::string_view path) const;
  // The largest limit any route set with WithBodyLimit, 0 when none did: the server
  // reads request heads with it, then applies the matched route's own.
  std::size_t LargestBodyLimit() const;

  // Every registered route, in registration order (for documentation checks).
  std::vector<RouteInfo> Routes() const;

 private:
  friend class RouteGroup;
  struct Impl;

  std::unique_ptr<Impl> impl_;
  RouteGroup root_;
};

}  // namespace plaza::http
