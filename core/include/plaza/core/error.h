#pragma once
// The one error type of Plaza. Modules return it as a value (see result.h); the HTTP
// edge maps `code` to a status and `type` to the problem+json `type` member, once.

#include <string>
#include <string_view>

namespace plaza {

// What kind of failure happened; decides the HTTP status at the edge.
enum class ErrorCode {
  kInvalidArgument,     // 400/422: the input is wrong; `field` says where
  kUnauthenticated,     // 401: no or bad credentials
  kPermissionDenied,    // 403: authenticated, but not allowed
  kNotFound,            // 404: absent, or belongs to another tenant
  kConflict,            // 409: duplicate, or state does not allow it
  kPreconditionFailed,  // 412/428: missing or stale precondition (CSRF, idempotency)
  kPayloadTooLarge,     // 413
  kRateLimited,         // 429
  kUnavailable,         // 503: a dependency (database, network) is down; retrying may help
  kInternal,            // 500: a bug or an unexpected state
};

// A failure a caller can act on. `type` is a stable slug ("validation/required",
// "auth/invalid-credentials") that clients may match on; `detail` is for people;
// `field` names the offending input (a JSON pointer such as "/email"), if any.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string type;
  std::string detail;
  std::string field;

  static Error Invalid(std::string type, std::string detail, std::string field = {});
  static Error NotFound(std::string detail);
  static Error Conflict(std::string type, std::string detail);
  static Error Unauthenticated(std::string type, std::string detail);
  static Error Forbidden(std::string detail);
  static Error RateLimited(std::string detail);
  static Error Unavailable(std::string detail);
  static Error Internal(std::string detail);
};

std::string_view ErrorCodeName(ErrorCode code);

}  // namespace plaza
