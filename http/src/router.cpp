#include "plaza/http/router.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <stdexcept>
#include <utility>

#include "plaza/core/text.h"
#include "plaza/http/problem.h"
#include "upgrade.h"

namespace plaza::http {
namespace {

constexpr std::size_t kRoutableMethods = static_cast<std::size_t>(Method::kOther);
constexpr int kNoRoute = -1;

struct Node {
  // Sorted by segment for binary search; most nodes have few children.
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::unique_ptr<Node> param;
  std::unique_ptr<Node> rest;
  // Index into Impl::routes per method, or kNoRoute.
  std::array<int, kRoutableMethods> routes;
  bool has_route = false;

  Node() { routes.fill(kNoRoute); }

  const Node* FindLiteral(std::string_view segment) const {
    auto it = std::lower_bound(literals.begin(), literals.end(), segment,
                               [](const auto& entry, std::string_view key) { return entry.first < key; });
    return it != literals.end() && it->first == segment ? it->second.get() : nullptr;
  }

  Node& LiteralChild(std::string_view segment) {
    auto it = std::lower_bound(literals.begin(), literals.end(), segment,
                               [](const auto& entry, std::string_view key) { return entry.first < key; });
    if (it == literals.end() || it->first != segment) {
      it = literals.emplace(it, std::string(segment), std::make_unique<Node>());
    }
    return *it->second;
  }
};

struct Route {
  Method method;
  std::string pattern;
  std::vector<std::string> param_names;  // In segment order; a rest parameter is last.
  Handler handler;                       // With its middleware applied.
  bool websocket;
  std::size_t max_body_bytes;  // 0: the server's default
};

struct PatternSegment {
  enum Kind { kLiteral, kParam, kRest } kind;
  std::string_view text;  // Literal text or parameter name.
};

bool IsParamNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

[[noreturn]] void BadPattern(std::string_view pattern, std::string_view why) {
  throw std::logic_error("invalid route pattern \"" + std::string(pattern) + "\": " + std::string(why));
}

std::vector<PatternSegment> ParsePattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') BadPattern(pattern, "must start with /");
  std::vector<PatternSegment> segments;
  if (pattern == "/") return segments;
  std::string_view rest = pattern.substr(1);
  while (true) {
    std::size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    if (segment.empty()) BadPattern(pattern, "empty segment or trailing slash");
    if (!segments.empty() && segments.back().kind == PatternSegment::kRest) {
      BadPattern(pattern, "a {name...} parameter must be last");
    }
    if (segment.front() == '{') {
      if (segment.back() != '}') BadPattern(pattern, "unterminated parameter");
      std::string_view name = segment.substr(1, segment.size() - 2);
      PatternSegment::Kind kind = PatternSegment::kParam;
      if (name.ends_with("...")) {
        name.remove_suffix(3);
        kind = PatternSegment::kRest;
      }
      if (name.empty() || !std::all_of(name.begin(), name.end(), IsParamNameChar)) {
        BadPattern(pattern, "parameter names are letters, digits and _");
      }
      for (const PatternSegment& earlier : segments) {
        if (earlier.kind != PatternSegment::kLiteral && earlier.text == name) {
          BadPattern(pattern, "duplicate parameter name");
        }
      }
      segments.push_back({kind, name});
    } else {
      if (segment.find_first_of("{}") != std::string_view::npos) BadPattern(pattern, "braces inside a segment");
      segments.push_back({PatternSegment::kLiteral, segment});
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return segments;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes a path segment ("+" stays "+" in paths); nullopt when an escape is
// malformed or the result is not UTF-8 or contains NUL.
std::optional<std::string> DecodePathSegment(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out += raw[i];
      continue;
    }
    if (i + 2 >= raw.size()) return std::nullopt;
    int high = HexValue(raw[i + 1]);
    int low = HexValue(raw[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  if (out.find('\0') != std::string::npos || !text::IsValidUtf8(out)) return std::nullopt;
  return out;
}

// Splits "/a/b" into {"a", "b"}; "/" into {}; "/a/" into {"a", ""}.
void SplitPath(std::string_view path, std::vector<std::string_view>& segments) {
  segments.clear();
  if (path.size() <= 1) return;
  std::string_view rest = path.substr(1);
  while (true) {
    std::size_t slash = rest.find('/');
    segments.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
}

struct MatchState {
  std::span<const std::string_view> segments;
  std::string_view path;
  std::size_t method_index;
  std::vector<std::string_view> values;
  // The first node the path reached, for 405/OPTIONS when no node has the method.
  const Node* path_match = nullptr;
  std::vector<std::string_view> path_match_values;
};

int RouteFor(const Node& node, std::size_t method_index) {
  int route = node.routes[method_index];
  if (route == kNoRoute && method_index == static_cast<std::size_t>(Method::kHead)) {
    route = node.routes[static_cast<std::size_t>(Method::kGet)];
  }
  return route;
}

// Depth-first: literal, then parameter, then rest; returns the node serving the method.
const Node* MatchNode(const Node& node, std::size_t index, MatchState& state) {
  if (index == state.segments.size()) {
    if (!node.has_route) return nullptr;
    if (RouteFor(node, state.method_index) != kNoRoute) return &node;
    if (state.path_match == nullptr) {
      state.path_match = &node;
      state.path_match_values = state.values;
    }
    return nullptr;
  }
  std::string_view segment = state.segments[index];
  if (const Node* literal = node.FindLiteral(segment)) {
    if (const Node* found = MatchNode(*literal, index + 1, state)) return found;
  }
  if (node.param && !segment.empty()) {
    state.values.push_back(segment);
    if (const Node* found = MatchNode(*node.param, index + 1, state)) return found;
    state.values.pop_back();
  }
  if (node.rest && !segment.empty()) {
    // The raw remainder of the path, from this segment to the end.
    std::size_t offset = static_cast<std::size_t>(segment.data() - state.path.data());
    state.values.push_back(state.path.substr(offset));
    const Node& rest = *node.rest;
    if (RouteFor(rest, state.method_index) != kNoRoute) return &rest;
    if (state.path_match == nullptr) {
      state.path_match = &rest;
      state.path_match_values = state.values;
    }
    state.values.pop_back();
  }
  return nullptr;
}

std::string AllowHeader(const Node& node) {
  std::string allow;
  auto append = [&allow](std::string_view name) {
    if (!allow.empty()) allow += ", ";
    allow += name;
  };
  for (std::size_t i = 0; i < kRoutableMethods; ++i) {
    auto method = static_cast<Method>(i);
    bool present = node.routes[i] != kNoRoute;
    if (method == Method::kHead) present = present || node.routes[static_cast<std::size_t>(Method::kGet)] != kNoRoute;
    if (method == Method::kOptions) present = true;
    if (present) append(MethodName(method));
  }
  return allow;
}

Response WebSocketUpgrade(const WebSocketHandler& handler, Request& request) {
  if (!request.IsWebSocketUpgrade()) {
    Response response = Response::Problem(
        Error::Invalid("http/upgrade-required", "This resource speaks WebSocket only."), request.request_id);
    response.headers.Set("Upgrade", "websocket");
    response.headers.Set("Connection", "Upgrade");
    return response;
  }
  auto* pending = request.Find<internal::PendingUpgrade>();
  if (pending == nullptr) {
    return Response::Problem(Error::Internal("WebSocket route dispatched outside the server"), request.request_id);
  }
  Result<WebSocketEvents> events = handler(request, pending->session);
  if (!events.ok()) return Response::Problem(events.error(), request.request_id);
  pending->events = std::move(events).value();
  Response response;
  response.status = 101;
  return response;
}

}  // namespace

struct Router::Impl {
  Node root;
  std::vector<Route> routes;
  Handler not_found;
  std::size_t largest_body_limit = 0;

  void Insert(Method method, std::string pattern, Handler handler, bool websocket, std::size_t max_body_bytes) {
    if (method == Method::kOther) throw std::logic_error("routes need a concrete method");
    std::vector<PatternSegment> segments = ParsePattern(pattern);
    Node* node = &root;
    std::vector<std::string> names;
    for (const PatternSegment& segment : segments) {
      switch (segment.kind) {
        case PatternSegment::kLiteral:
          node = &node->LiteralChild(segment.text);
          break;
        case PatternSegment::kParam:
          if (!node->param) node->param = std::make_unique<Node>();
          node = node->param.get();
          names.emplace_back(segment.text);
          break;
        case PatternSegment::kRest:
          if (!node->rest) node->rest = std::make_unique<Node>();
          node = node->rest.get();
          names.emplace_back(segment.text);
          break;
      }
    }
    int& slot = node->routes[static_cast<std::size_t>(method)];
    if (slot != kNoRoute) {
      throw std::logic_error("duplicate route " + std::string(MethodName(method)) + " " + pattern + " (already " +
                             routes[static_cast<std::size_t>(slot)].pattern + ")");
    }
    slot = static_cast<int>(routes.size());
    node->has_route = true;
    routes.push_back(
        Route{method, std::move(pattern), std::move(names), std::move(handler), websocket, max_body_bytes});
    largest_body_limit = std::max(largest_body_limit, max_body_bytes);
  }
};

Handler Chain(const std::vector<Middleware>& middleware, Handler handler) {
  for (auto it = middleware.rbegin(); it != middleware.rend(); ++it) {
    handler = [layer = *it, next = std::move(handler)](Request& request) { return layer(request, next); };
  }
  return handler;
}

RouteGroup::RouteGroup(Router* router, std::string prefix, std::vector<Middleware> middleware)
    : router_(router), prefix_(std::move(prefix)), middleware_(std::move(middleware)) {}

RouteGroup& RouteGroup::Use(Middleware middleware) {
  middleware_.push_back(std::move(middleware));
  return *this;
}

RouteGroup RouteGroup::Group(std::string_view prefix) const {
  if (prefix.empty() || prefix.front() != '/' || prefix.back() == '/') {
    throw std::logic_error("group prefix \"" + std::string(prefix) + "\" must start and not end with /");
  }
  return RouteGroup(router_, prefix_ + std::string(prefix), middleware_);
}

RouteGroup RouteGroup::WithBodyLimit(std::size_t max_body_bytes) const {
  RouteGroup group = *this;
  group.max_body_bytes_ = max_body_bytes;
  return group;
}

RouteGroup& RouteGroup::Add(Method method, std::string_view pattern, Handler handler) {
  std::string full = pattern == "/" && !prefix_.empty() ? prefix_ : prefix_ + std::string(pattern);
  router_->impl_->Insert(method, std::move(full), Chain(middleware_, std::move(handler)), false, max_body_bytes_);
  return *this;
}

RouteGroup& RouteGroup::WebSocket(std::string_view pattern, WebSocketHandler handler) {
  std::string full = pattern == "/" && !prefix_.empty() ? prefix_ : prefix_ + std::string(pattern);
  Handler upgrade = [ws = std::move(handler)](Request& request) { return WebSocketUpgrade(ws, request); };
  router_->impl_->Insert(Method::kGet, std::move(full), Chain(middleware_, std::move(upgrade)), true, 0);
  return *this;
}

Router::Router() : impl_(std::make_unique<Impl>()), root_(this, {}, {}) {}
Router::~Router() = default;

void Router::SetNotFoundHandler(Handler handler) {
  impl_->not_found = std::move(handler);
}

Response Router::Dispatch(Request& request) const {
  request.path_params.Clear();
  request.route_pattern.clear();
  if (request.method == Method::kOther) {
    return Response::Problem(Error::Invalid("http/method-not-implemented", "This method is not supported."),
                             request.request_id);
  }
  // Reused per thread: dispatch is hot and paths are short.
  thread_local std::vector<std::string_view> segments;
  SplitPath(request.path, segments);
  MatchState state{segments, request.path, static_cast<std::size_t>(request.method), {}, nullptr, {}};
  state.values.reserve(segments.size());

  const Node* node = MatchNode(impl_->root, 0, state);
  if (node == nullptr) {
    if (state.path_match != nullptr) {
      std::string allow = AllowHeader(*state.path_match);
      if (request.method == Method::kOptions) {
        Response response = Response::NoContent();
        response.headers.Set("Allow", std::move(allow));
        return response;
      }
      Response response = Response::Problem(
          Error::Invalid("http/method-not-allowed",
                         std::string(MethodName(request.method)) + " is not allowed here; see the Allow header."),
          request.request_id);
      response.headers.Set("Allow", std::move(allow));
      return response;
    }
    if (impl_->not_found) return impl_->not_found(request);
    return Response::Problem(Error{ErrorCode::kNotFound, "http/not-found", "No resource at this path.", {}},
                             request.request_id);
  }

  const Route& route = impl_->routes[static_cast<std::size_t>(RouteFor(*node, state.method_index))];
  for (std::size_t i = 0; i < route.param_names.size(); ++i) {
    std::optional<std::string> value = DecodePathSegment(state.values[i]);
    if (!value) {
      return Response::Problem(Error::Invalid("http/bad-path", "Path parameter " + route.param_names[i] +
                                                                   " is not valid percent-encoded UTF-8."),
                               request.request_id);
    }
    request.path_params.Add(route.param_names[i], std::move(*value));
  }
  request.route_pattern = route.pattern;
  return route.handler(request);
}

std::optional<std::size_t> Router::BodyLimitFor(Method method, std::string_view path) const {
  if (method == Method::kOther || impl_->largest_body_limit == 0) return std::nullopt;
  thread_local std::vector<std::string_view> segments;
  SplitPath(path, segments);
  MatchState state{segments, path, static_cast<std::size_t>(method), {}, nullptr, {}};
  const Node* node = MatchNode(impl_->root, 0, state);
  if (node == nullptr) return std::nullopt;
  const Route& route = impl_->routes[static_cast<std::size_t>(RouteFor(*node, state.method_index))];
  if (route.max_body_bytes == 0) return std::nullopt;
  return route.max_body_bytes;
}

std::size_t Router::LargestBodyLimit() const {
  return impl_->largest_body_limit;
}

std::vector<RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  out.reserve(impl_->routes.size());
  for (const Route& route : impl_->routes) out.push_back({route.method, route.pattern, route.websocket});
  return out;
}

}  // namespace plaza::http
