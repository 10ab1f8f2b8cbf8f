#pragma once
// Outbound HTTP for webhook deliveries, behind an interface so tests can break the
// outside world on purpose. The real implementation is libcurl.

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace plaza::channels {

struct HttpRequest {
  std::string url{};
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};  // sent with POST
};

struct HttpResponse {
  int status_code = 0;         // 0 when no response arrived (see `error`)
  std::string error{};         // transport failure: refused, time-out, TLS …; empty otherwise
  std::string body_excerpt{};  // the start of the response body, for staff diagnosing a failure
};

// Thread-safety: PostAll may be called from several threads at once.
class HttpSender {
 public:
  virtual ~HttpSender() = default;
  // POSTs every request, concurrently where the implementation can, and returns one
  // response per request in the same order. Never throws; failures are responses.
  virtual std::vector<HttpResponse> PostAll(std::span<const HttpRequest> requests) = 0;
};

struct CurlSenderOptions {
  // A receiver that cannot accept a connection within this is down; failing fast keeps a
  // batch well inside the outbox lease.
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(5);
  // A whole request, connection included. Receivers are expected to acknowledge and do
  // their work later; waiting longer would let one slow endpoint hold a batch hostage.
  std::chrono::milliseconds total_timeout = std::chrono::seconds(10);
  // Transfers in flight at once. With the defaults of the outbox (32 events a batch) and
  // of the webhooks (16 subscriptions a shop), a batch of timing-out receivers takes at
  // most 512 / 32 * 10 s = 160 s, inside the outbox's 5-minute lease.
  std::size_t max_concurrent = 32;
  // Only an excerpt of a response is kept; a larger response is cut off here so a
  // hostile receiver cannot make Plaza buffer an endless body.
  std::size_t max_response_bytes = std::size_t{64} * 1024;
  // When true, connections to loopback, private, link-local and other non-public
  // addresses are refused after DNS resolution (which also defeats DNS rebinding).
  // Off by default: self-hosted receivers often live on the same host or network.
  bool block_private_networks = false;
  // An HTTP(S) proxy URL for all deliveries; empty means connect directly. Proxy
  // environment variables are ignored, so a variable cannot silently reroute deliveries.
  std::string proxy{};
  std::string user_agent = "Plaza-Webhooks/1";
};

// REQUIRES: options.max_concurrent >= 1.
std::unique_ptr<HttpSender> MakeCurlHttpSender(CurlSenderOptions options = {});

// True for addresses that are not on the public internet: loopback, RFC 1918 private,
// carrier-grade NAT, link-local, unique-local, unspecified and IPv4-mapped forms of
// these. `address` is a numeric IPv4 or IPv6 address; anything else returns false.
bool IsNonPublicAddress(const std::string& address);

}  // namespace plaza::channels
