#pragma once
// Helpers shared by the group and idea services.

#include <cstdint>
#include <string>
#include <string_view>

#include "plaza/core/result.h"

namespace plaza::community::internal {

// An id cursor a list gave ("42"), or `when_empty` for the first page. kInvalidArgument
// "validation/cursor" for anything else.
Result<std::int64_t> ParseCursor(std::string_view cursor, std::int64_t when_empty);
// A page size in 1 … kMaxGroupPage, or "validation/limit".
Result<int> CheckLimit(int limit);
// Text people write: valid UTF-8, at most `max` code points, no control characters
// (newlines and tabs allowed when `multiline`), not blank when `required`.
Status ValidateUserText(std::string_view value, std::size_t max, const std::string& field, bool required,
                        bool multiline);

}  // namespace plaza::community::internal
