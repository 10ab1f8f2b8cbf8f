#include "text_rules.h"

#include "plaza/core/free_text.h"
#include "plaza/core/text.h"

namespace plaza::reviews::internal {

Status ValidateText(std::string_view value, const std::string& field, std::string_view what, std::size_t min_length,
                    std::size_t max_length) {
  return text::CheckFreeText(value, field,
                             {.what = what,
                              .min_length = min_length,
                              .max_length = max_length,
                              .allow_newlines = true,
                              .require_non_blank = true,
                              .problem_area = "reviews"});
}

int CountLinks(std::string_view text) {
  const std::string lower = text::ToLowerAscii(text);
  int links = 0;
  for (const std::string_view marker : {"http://", "https://", "www."}) {
    for (std::size_t pos = lower.find(marker); pos != std::string::npos; pos = lower.find(marker, pos + 1)) {
      // "https://www.example.com" is one link, not two.
      if (marker == "www." && pos >= 3 && lower.compare(pos - 3, 3, "://") == 0) continue;
      ++links;
    }
  }
  return links;
}

}  // namespace plaza::reviews::internal
