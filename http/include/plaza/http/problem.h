#pragma once
// RFC 9457 problem details: the single mapping from Plaza's Error to an HTTP status and
// an application/problem+json body. docs/http.md lists the stable `type` slugs.

#include <boost/json/object.hpp>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "plaza/core/error.h"
#include "plaza/core/result.h"

namespace plaza::http {

inline constexpr std::string_view kProblemContentType = "application/problem+json";

// The HTTP status for `error`. Decided by `code`, except for the transport slugs that
// have their own status (e.g. "http/method-not-allowed" 405, "http/unsupported-media-type"
// 415, "http/header-too-large" 431). kInvalidArgument is 422 for validation of a
// well-formed body and 400 for syntax ("json/…" and "http/…" slugs); kPreconditionFailed
// is 428 when the slug ends in "-required" and 412 otherwise. See docs/http.md.
int HttpStatusFor(const Error& error);

// "/problems/<slug>", the `type` member. An empty slug becomes the code's name.
std::string ProblemType(const Error& error);

// The problem+json object: type, title, status, detail, field (when set), request_id
// (when non-empty).
boost::json::object ProblemBody(const Error& error, std::string_view request_id);

// Handlers return values; when a failure should end the request from deep inside a
// helper, throw this. The server catches it at the edge and answers with its problem.
// Any other exception becomes a logged 500 "internal" problem.
class ErrorException : public std::exception {
 public:
  explicit ErrorException(Error error) : error_(std::move(error)) {}
  const char* what() const noexcept override { return error_.detail.c_str(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
};

// The value of `result`, or throws its error as ErrorException.
template <typename T>
T OrThrow(Result<T> result) {
  if (!result.ok()) throw ErrorException(std::move(result).error());
  return std::move(result).value();
}
inline void OrThrow(Status status) {
  if (!status.ok()) throw ErrorException(std::move(status).error());
}

}  // namespace plaza::http
