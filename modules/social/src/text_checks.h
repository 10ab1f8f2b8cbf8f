#pragma once
// Checks on people's free text shared by profiles, posts and comments, so every text a
// person writes in the social layer follows one rule about what characters it may hold.
// Internal to modules/social.

#include <cstddef>
#include <string>
#include <string_view>

#include "plaza/core/result.h"

namespace plaza::social::internal {

// "U+200B": how error details name a code point.
std::string CodePointName(char32_t code_point);

// REQUIRES: text::IsValidUtf8(s) and pos < s.size(). Decodes the code point at `pos` and
// advances `pos` past it.
char32_t NextCodePoint(std::string_view s, std::size_t& pos);

// Characters that render as nothing or reorder the text around them: they let one handle
// or name pass for another and hide text from moderators. Zero-width joiner and
// non-joiner are not among them, because emoji sequences and several scripts need them.
bool IsInvisible(char32_t c);

// Checks a free-text field: valid UTF-8, no control characters (line breaks only when
// `allow_newlines`), no invisible characters, and between `min_length` and `max_length`
// code points. Errors are kInvalidArgument with `field` and a detail naming the code
// point and its position; `what` names the text in it ("the bio").
Status ValidateText(std::string_view value, const std::string& field, std::string_view what, std::size_t min_length,
                    std::size_t max_length, bool allow_newlines);

}  // namespace plaza::social::internal
