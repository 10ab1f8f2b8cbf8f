#pragma once
// The one rule for the free text people write (bios, posts, comments, reviews, questions):
// which characters it may hold and how long it may be, with errors that name the
// offending character and its position so a person can fix it.

#include <cstddef>
#include <string>
#include <string_view>

#include "plaza/core/result.h"

namespace plaza::text {

// "U+200B": how error details name a code point.
std::string CodePointName(char32_t code_point);

// REQUIRES: IsValidUtf8(s) and pos < s.size(). Decodes the code point at `pos` and
// advances `pos` past it.
char32_t NextCodePoint(std::string_view s, std::size_t& pos);

// Characters that render as nothing or reorder the text around them: they let one name
// pass for another and hide text from moderators. Zero-width joiner and non-joiner are
// not among them, because emoji sequences and several scripts need them.
bool IsInvisible(char32_t c);

struct FreeTextRule {
  std::string_view what;       // names the text in details: "the bio"
  std::size_t min_length = 0;  // code points
  std::size_t max_length = 0;  // code points
  // Line breaks and tabs: LF, CR (browsers send a textarea's line breaks as CRLF) and TAB.
  bool allow_newlines = false;
  // A text of only spaces counts as missing (min_length > 0 only).
  bool require_non_blank = false;
  // The module whose problem types the character errors carry: "social" gives
  // "social/control-character" and "social/invisible-character".
  std::string_view problem_area;
};

// Valid UTF-8, no control characters (line breaks and tabs only when allowed), no invisible
// characters, and within the rule's length. Errors are kInvalidArgument with `field`:
// "validation/utf8", "<area>/control-character", "<area>/invisible-character",
// "validation/required", "validation/too-long".
Status CheckFreeText(std::string_view value, const std::string& field, const FreeTextRule& rule);

}  // namespace plaza::text
