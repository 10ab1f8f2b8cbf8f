#include "plaza/core/error.h"

#include <utility>

namespace plaza {

Error Error::Invalid(std::string type, std::string detail, std::string field) {
  return {ErrorCode::kInvalidArgument, std::move(type), std::move(detail), std::move(field)};
}
Error Error::NotFound(std::string detail) {
  return {ErrorCode::kNotFound, "not-found", std::move(detail), {}};
}
Error Error::Conflict(std::string type, std::string detail) {
  return {ErrorCode::kConflict, std::move(type), std::move(detail), {}};
}
Error Error::Unauthenticated(std::string type, std::string detail) {
  return {ErrorCode::kUnauthenticated, std::move(type), std::move(detail), {}};
}
Error Error::Forbidden(std::string detail) {
  return {ErrorCode::kPermissionDenied, "forbidden", std::move(detail), {}};
}
Error Error::RateLimited(std::string detail) {
  return {ErrorCode::kRateLimited, "rate-limited", std::move(detail), {}};
}
Error Error::Unavailable(std::string detail) {
  return {ErrorCode::kUnavailable, "unavailable", std::move(detail), {}};
}
Error Error::Internal(std::string detail) {
  return {ErrorCode::kInternal, "internal", std::move(detail), {}};
}

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid-argument";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kPermissionDenied:
      return "permission-denied";
    case ErrorCode::kNotFound:
      return "not-found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kPreconditionFailed:
      return "precondition-failed";
    case ErrorCode::kPayloadTooLarge:
      return "payload-too-large";
    case ErrorCode::kRateLimited:
      return "rate-limited";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace plaza
