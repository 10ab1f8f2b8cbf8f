#pragma once
// Signing and verifying webhook bodies (docs/webhooks.md describes the scheme for
// receivers):
//
//   Plaza-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//
// During a secret rotation the header carries one v1 entry per valid secret. Signing the
// timestamp with the body lets a receiver reject replays of an old delivery.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"

namespace plaza::channels {

// Lower-case hex HMAC-SHA256 of "<timestamp>.<body>" under `secret`.
std::string ComputeSignature(std::string_view secret, std::int64_t timestamp_seconds, std::string_view body);

// The Plaza-Signature header value, with one v1 entry per secret, in the given order.
// REQUIRES: at least one secret.
std::string SignatureHeader(std::span<const std::string> secrets, std::int64_t timestamp_seconds,
                            std::string_view body);

// A receiver accepts deliveries whose timestamp is within this of its own clock: wide
// enough for clock skew and a slow delivery, narrow enough that a captured request
// cannot be replayed later.
inline constexpr std::chrono::seconds kDefaultSignatureTolerance = std::chrono::minutes(5);

// Checks `header` (a Plaza-Signature value) against the raw `body` and `secret`: some v1
// entry must match, and t must be within `tolerance` of `now`. Errors are kUnauthenticated
// with type "webhook/malformed-signature", "webhook/stale-timestamp" or
// "webhook/signature-mismatch". Compares in constant time.
Status VerifySignature(std::string_view header, std::string_view body, std::string_view secret, TimePoint now,
                       std::chrono::seconds tolerance = kDefaultSignatureTolerance);

}  // namespace plaza::channels
