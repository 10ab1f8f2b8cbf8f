#include "text_checks.h"

namespace plaza::social::internal {

Status ValidateText(std::string_view value, const std::string& field, std::string_view what, std::size_t min_length,
                    std::size_t max_length, bool allow_newlines) {
  return text::CheckFreeText(value, field,
                             {.what = what,
                              .min_length = min_length,
                              .max_length = max_length,
                              .allow_newlines = allow_newlines,
                              .problem_area = "social"});
}

}  // namespace plaza::social::internal
