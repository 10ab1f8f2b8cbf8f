#pragma once
// Idempotency-Key on every mutating /api/v1/shops/{shop} call.
//
// A POST, PUT, PATCH or DELETE that carries an Idempotency-Key header is run at most once
// per key, caller and route: the first successful (2xx) answer is stored and replayed
// verbatim, with "Idempotent-Replayed: true", to every retry with the same request; the
// same key with a different request is 409 idempotency/key-reused; a retry that arrives
// while the first call still runs is 409 idempotency/in-progress with Retry-After. A call
// that fails stores nothing, so the client may retry it. Answers that set cookies (log-in)
// are never stored, since a replay could not set them again.
//
// Handlers whose effect must never repeat even across a crash (placing an order,
// charging a card) also record the key inside their own transaction with
// store::RunIdempotent; see store/idempotency.h.

#include "plaza/api/api.h"
#include "plaza/http/router.h"

namespace plaza::api {

inline constexpr std::string_view kIdempotencyKeyHeader = "Idempotency-Key";

// REQUIRES: behind ScopeToShop.
http::Middleware IdempotentRequests(const ApiServices& services);

}  // namespace plaza::api
