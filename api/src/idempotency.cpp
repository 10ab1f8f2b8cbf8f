#include "idempotency.h"

#include <spdlog/spdlog.h>

#include "context.h"
#include "plaza/core/crypto.h"
#include "plaza/core/text.h"
#include "plaza/store/idempotency.h"

namespace plaza::api {
namespace {

// How long a claimed key stays busy when its holder died before finishing.
constexpr std::chrono::seconds kClaimLease{60};

bool IsMutating(http::Method method) {
  return method == http::Method::kPost || method == http::Method::kPut || method == http::Method::kPatch ||
         method == http::Method::kDelete;
}

std::string Digest(std::string_view text) {
  return text::HexEncode(crypto::Sha256(text));
}

// Whoever presents the same credentials: a token, a staff or a customer session, or
// nobody (public storefront calls, where the key itself is the client's secret).
std::string CallerOf(const http::Request& request) {
  std::string credentials(request.Header("Authorization").value_or(""));
  credentials += '\n';
  credentials += request.Cookie(kStaffSessionCookie).value_or("");
  credentials += '\n';
  credentials += request.Cookie(kCustomerSessionCookie).value_or("");
  return Digest(credentials);
}

std::string FingerprintOf(const http::Request& request) {
  std::string text(http::MethodName(request.method));
  text += ' ';
  text += request.path;
  for (const auto& [name, value] : request.query) {
    text += '\n';
    text += name;
    text += '=';
    text += value;
  }
  text += "\n\n";
  text += request.body;
  return Digest(text);
}

}  // namespace

http::Middleware IdempotentRequests(const ApiServices& services) {
  return [&services](http::Request& request, const http::Handler& next) -> http::Response {
    const std::optional<std::string_view> header = request.Header(kIdempotencyKeyHeader);
    if (!header || !IsMutating(request.method)) return next(request);
    const store::IdempotencyKey key{
        .shop_id = ShopOf(request),
        .operation = std::string(http::MethodName(request.method)) + " " + request.route_pattern,
        .caller = CallerOf(request),
        .key = std::string(*header),
        .fingerprint = FingerprintOf(request)};
    Result<store::IdempotencyClaim> claim =
        store::ClaimIdempotencyKey(services.db, key, services.clock.Now(), kClaimLease);
    if (!claim.ok()) return Problem(request, claim.error());
    switch (claim->state) {
      case store::IdempotencyClaim::State::kReplay: {
        http::Response replay;
        replay.status = claim->outcome.status;
        replay.body = std::move(claim->outcome.body);
        if (!replay.body.empty()) replay.SetHeader("Content-Type", "application/json");
        replay.SetHeader("Idempotent-Replayed", "true");
        return replay;
      }
      case store::IdempotencyClaim::State::kInProgress: {
        Error busy{ErrorCode::kConflict, "idempotency/in-progress",
                   "a request with this Idempotency-Key is still being processed; retry shortly",
                   std::string(kIdempotencyKeyHeader)};
        return Problem(request, busy).SetHeader("Retry-After", "1");
      }
      case store::IdempotencyClaim::State::kClaimed:
        break;
    }
    http::Response response = next(request);
    const bool storable = response.status >= 200 && response.status < 300 && !response.headers.Has("Set-Cookie");
    const Status recorded = storable ? store::CompleteIdempotencyKey(services.db, key, {response.status, response.body})
                                     : store::AbandonIdempotencyKey(services.db, key);
    // The effect happened and its answer goes out regardless; an unrecorded key only means
    // a retry after the claim's lease runs the call again.
    if (!recorded.ok()) {
      spdlog::warn("request {}: could not record Idempotency-Key: {}", request.request_id, recorded.error().detail);
    }
    return response;
  };
}

}  // namespace plaza::api
