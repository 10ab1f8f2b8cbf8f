#include "plaza/http/problem.h"

#include <array>
#include <span>
#include <string>

namespace plaza::http {
namespace {

struct SlugStatus {
  std::string_view slug;
  int status;
  std::string_view title;
};

// Transport problems whose status is not implied by their ErrorCode. Titles of the
// other slugs fall back to the status's reason phrase.
constexpr std::array<SlugStatus, 11> kSlugTable = {{
    {"http/bad-request", 400, "Malformed request"},
    {"http/bad-path", 400, "Malformed path"},
    {"http/not-found", 404, "No such resource"},
    {"http/method-not-allowed", 405, "Method not allowed on this resource"},
    {"http/request-timeout", 408, "Request not received in time"},
    {"http/payload-too-large", 413, "Request body too large"},
    {"http/unsupported-media-type", 415, "Unsupported content type"},
    {"http/upgrade-required", 426, "WebSocket upgrade required"},
    {"http/header-too-large", 431, "Request header too large"},
    {"http/method-not-implemented", 501, "Method not implemented"},
    {"http/overloaded", 503, "Server overloaded"},
}};

constexpr std::array<SlugStatus, 13> kTitles = {{
    {"json/malformed", 400, "Malformed JSON"},
    {"json/invalid-utf8", 400, "Body is not UTF-8"},
    {"json/too-deep", 400, "JSON nested too deeply"},
    {"json/not-an-object", 400, "JSON body must be an object"},
    {"validation/required", 422, "Required field missing"},
    {"validation/type", 422, "Field has the wrong type"},
    {"validation/range", 422, "Number out of range"},
    {"validation/length", 422, "Text too short or too long"},
    {"validation/control-character", 422, "Text contains control characters"},
    {"validation/format", 422, "Field is not in the expected format"},
    {"validation/unknown-field", 422, "Unknown field"},
    {"http/too-many-connections", 503, "Too many connections"},
    {"http/shutting-down", 503, "Server shutting down"},
}};

const SlugStatus* FindSlug(std::span<const SlugStatus> table, std::string_view slug) {
  for (const SlugStatus& entry : table) {
    if (entry.slug == slug) return &entry;
  }
  return nullptr;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "Internal Server Error";
  }
}

}  // namespace

int HttpStatusFor(const Error& error) {
  if (const SlugStatus* entry = FindSlug(kSlugTable, error.type)) return entry->status;
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      // Syntax the server could not even read is 400; content it read but rejects is
      // 422 (RFC 9110 §15.5.21), so clients can tell a broken encoder from bad data.
      return StartsWith(error.type, "json/") || StartsWith(error.type, "http/") ? 400 : 422;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPreconditionFailed:
      // A precondition the client did not send at all (If-Match, Idempotency-Key) is
      // 428 (RFC 6585 §3); one it sent that no longer holds is 412.
      return EndsWith(error.type, "-required") ? 428 : 412;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string ProblemType(const Error& error) {
  std::string type = "/problems/";
  if (error.type.empty()) {
    type += ErrorCodeName(error.code);
  } else {
    type += error.type;
  }
  return type;
}

boost::json::object ProblemBody(const Error& error, std::string_view request_id) {
  int status = HttpStatusFor(error);
  std::string_view title = ReasonPhrase(status);
  if (const SlugStatus* entry = FindSlug(kSlugTable, error.type)) {
    title = entry->title;
  } else if (const SlugStatus* titled = FindSlug(kTitles, error.type)) {
    title = titled->title;
  }
  boost::json::object body;
  body["type"] = ProblemType(error);
  body["title"] = title;
  body["status"] = status;
  // An internal error's detail may name tables or queries; it goes to the log, and the
  // client gets the request id to quote instead.
  body["detail"] = error.code == ErrorCode::kInternal
                       ? std::string_view("An unexpected error occurred; quote the request id when reporting it.")
                       : std::string_view(error.detail);
  if (!error.field.empty()) body["field"] = error.field;
  if (!request_id.empty()) body["request_id"] = request_id;
  return body;
}

}  // namespace plaza::http
