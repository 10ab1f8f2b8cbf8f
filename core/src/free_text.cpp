#include "plaza/core/free_text.h"

#include <cstdio>

#include "plaza/core/text.h"

namespace plaza::text {

std::string CodePointName(char32_t code_point) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(code_point));
  return buffer;
}

char32_t NextCodePoint(std::string_view s, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(s[pos]);
  int extra = 0;
  char32_t code_point = lead;
  if (lead >= 0xF0) {
    extra = 3;
    code_point = lead & 0x07;
  } else if (lead >= 0xE0) {
    extra = 2;
    code_point = lead & 0x0F;
  } else if (lead >= 0xC0) {
    extra = 1;
    code_point = lead & 0x1F;
  }
  ++pos;
  for (int i = 0; i < extra; ++i, ++pos) code_point = (code_point << 6) | (static_cast<unsigned char>(s[pos]) & 0x3F);
  return code_point;
}

bool IsInvisible(char32_t c) {
  return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x180E || c == 0x200B || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

Status CheckFreeText(std::string_view value, const std::string& field, const FreeTextRule& rule) {
  const std::string what(rule.what);
  if (!IsValidUtf8(value)) return Error::Invalid("validation/utf8", what + " is not valid UTF-8", field);
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < value.size();) {
    const char32_t c = NextCodePoint(value, pos);
    ++count;
    const bool line_break_or_tab = c == '\n' || c == '\r' || c == '\t';
    if ((c < 0x20 && !(rule.allow_newlines && line_break_or_tab)) || (c >= 0x7F && c < 0xA0)) {
      return Error::Invalid(
          std::string(rule.problem_area) + "/control-character",
          what + " contains the control character " + CodePointName(c) + " at position " + std::to_string(count),
          field);
    }
    if (IsInvisible(c)) {
      return Error::Invalid(std::string(rule.problem_area) + "/invisible-character",
                            what + " contains the invisible character " + CodePointName(c) + " at position " +
                                std::to_string(count) + "; remove it",
                            field);
    }
  }
  if (count < rule.min_length || (rule.require_non_blank && rule.min_length > 0 && TrimAscii(value).empty())) {
    return Error::Invalid("validation/required", what + " is required", field);
  }
  if (count > rule.max_length) {
    return Error::Invalid("validation/too-long",
                          what + " is " + std::to_string(count) + " characters long; at most " +
                              std::to_string(rule.max_length) + " are allowed",
                          field);
  }
  return Ok();
}

}  // namespace plaza::text
