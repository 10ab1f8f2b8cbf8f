#pragma once
// Reading JSON request bodies with precise, client-actionable errors.
//
//   PLAZA_ASSIGN_OR_RETURN(boost::json::object body, ParseJsonObject(request));
//   JsonReader reader(body);
//   PLAZA_ASSIGN_OR_RETURN(std::string email, reader.RequiredEmail("email"));
//   PLAZA_ASSIGN_OR_RETURN(std::int64_t quantity, reader.RequiredInt64("quantity", 1, 999));
//
// Every error is an Error with code kInvalidArgument, a stable slug in `type`, and in
// `field` the RFC 6901 JSON pointer of the offending member ("/address/city").
// Syntax slugs ("json/…") map to 400, validation slugs ("validation/…") to 422.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "plaza/core/result.h"
#include "plaza/http/request.h"

namespace plaza::http {

struct JsonParseLimits {
  // Deep nesting costs stack and time in every consumer and no Plaza document needs it;
  // 20 levels leave room for any real payload while refusing {"a":{"a":{… attacks.
  std::size_t max_depth = 20;
};

// Parses `request.body` as a JSON object.
// Errors: "http/unsupported-media-type" (415) unless Content-Type is application/json
// or application/<something>+json (charset, if given, must be utf-8);
// "json/invalid-utf8" when the body is not UTF-8; "json/malformed" with the byte offset
// of the first error in `detail` (also for an empty body); "json/too-deep"; and
// "json/not-an-object" when the top level is another JSON value.
Result<boost::json::object> ParseJsonObject(const Request& request, const JsonParseLimits& limits = {});
// The same checks on a bare body, without the media-type check.
Result<boost::json::object> ParseJsonObject(std::string_view body, const JsonParseLimits& limits = {});

// Bounds for a string member. Lengths count Unicode code points, as a user counts
// characters; the byte size is already bounded by the body limit.
struct StringLimits {
  std::size_t min_length = 0;
  std::size_t max_length = 1000;
  // Allow line breaks and tabs (descriptions, messages). Other control characters are
  // always rejected: they have no place in Plaza text and hide content from reviewers.
  bool multiline = false;
};

// Typed, validating access to the members of one JSON object. Holds a reference: the
// object must outlive the reader. A member that is present with value null counts as
// absent (optional readers give nullopt, required ones "validation/required").
//
// Error slugs: "validation/required", "validation/type" (wrong JSON type),
// "validation/range" (number out of bounds or not an integer), "validation/length",
// "validation/control-character", "validation/format" (e.g. not an e-mail address),
// "validation/unknown-field".
class JsonReader {
 public:
  // `pointer` is the JSON pointer of `object` itself ("" for the body).
  explicit JsonReader(const boost::json::object& object, std::string pointer = {});

  Result<std::string> RequiredString(std::string_view key, const StringLimits& limits = {}) const;
  Result<std::optional<std::string>> OptionalString(std::string_view key, const StringLimits& limits = {}) const;

  // Integers only: 3.0 and 1e3 are "validation/type", so a quantity is never fractional.
  Result<std::int64_t> RequiredInt64(std::string_view key, std::int64_t min, std::int64_t max) const;
  Result<std::optional<std::int64_t>> OptionalInt64(std::string_view key, std::int64_t min, std::int64_t max) const;

  Result<bool> RequiredBool(std::string_view key) const;
  Result<std::optional<bool>> OptionalBool(std::string_view key) const;

  // An address shaped like local@domain.tld (at most 254 bytes, local part at most 64,
  // domain labels of letters, digits and hyphens or non-ASCII). Surrounding whitespace
  // is trimmed and the domain lower-cased; the local part is kept as given. Shape only:
  // whether it receives mail is the confirmation mail's job.
  Result<std::string> RequiredEmail(std::string_view key) const;
  Result<std::optional<std::string>> OptionalEmail(std::string_view key) const;

  // A nested object, read with its own pointer prefix.
  Result<JsonReader> RequiredObject(std::string_view key) const;
  Result<std::optional<JsonReader>> OptionalObject(std::string_view key) const;
  // A nested array of at most `max_items` elements; the pointer of element i is
  // PointerTo(key) + "/" + i.
  Result<const boost::json::array*> RequiredArray(std::string_view key, std::size_t max_items) const;

  // Fails with "validation/unknown-field" on the first member not in `allowed`, so a
  // misspelt optional field is reported instead of silently ignored.
  Status AllowOnly(std::initializer_list<std::string_view> allowed) const;

  // The JSON pointer of member `key` of this object, escaped per RFC 6901.
  std::string PointerTo(std::string_view key) const;
  const std::string& pointer() const { return pointer_; }
  const boost::json::object& object() const { return *object_; }

 private:
  const boost::json::object* object_;
  std::string pointer_;
};

}  // namespace plaza::http
