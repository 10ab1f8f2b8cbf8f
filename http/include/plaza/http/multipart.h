#pragma once
// multipart/form-data bodies (RFC 7578 over RFC 2046 §5.1), as browsers send file
// uploads. The whole body is already in memory (bounded by the route's body limit), so
// parts are views into it: no copy of an upload's bytes.
//
// Strict on purpose: CRLF line endings, a Content-Disposition of form-data with a name on
// every part, no Content-Transfer-Encoding other than the identity ones, a closing
// delimiter, and bounds on the number of parts and the size of their heads. Anything else
// is "http/bad-multipart" (400) naming what is wrong.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/result.h"
#include "plaza/http/request.h"

namespace plaza::http {

struct MultipartLimits {
  // A form with a file, its alt text and a few fields; more parts is abuse.
  std::size_t max_parts = 16;
  // The head of one part (its Content-Disposition and Content-Type lines); real ones are
  // under 300 bytes, a long file name included.
  std::size_t max_part_head_bytes = 2048;
};

struct MultipartPart {
  std::string name;                     // the form field's name, valid UTF-8
  std::optional<std::string> filename;  // present for file fields (may be empty)
  std::string content_type;             // as declared; "text/plain" when absent
  std::string_view body;                // a view into the request body
};

struct MultipartForm {
  std::vector<MultipartPart> parts;  // in body order

  // The first part named `name`, or nullptr.
  const MultipartPart* Find(std::string_view name) const;
};

// The boundary parameter of a multipart/form-data Content-Type. Errors:
// "http/unsupported-media-type" when the type is another, "http/bad-multipart" when the
// boundary is missing or not 1–70 characters of RFC 2046's alphabet.
Result<std::string> MultipartBoundary(std::string_view content_type);

// Parses `body` sent with `content_type`. The parts view `body`, which must outlive them.
Result<MultipartForm> ParseMultipartFormData(std::string_view content_type, std::string_view body,
                                             const MultipartLimits& limits = {});

// The same for a request (its Content-Type header and body). The parts view
// request.body.
Result<MultipartForm> ParseMultipartFormData(const Request& request, const MultipartLimits& limits = {});

}  // namespace plaza::http
