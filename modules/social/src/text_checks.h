#pragma once
// Checks on people's free text shared by profiles, posts and comments, so every text a
// person writes in the social layer follows one rule about what characters it may hold.
// Internal to modules/social.

#include <cstddef>
#include <string>
#include <string_view>

#include "plaza/core/free_text.h"
#include "plaza/core/result.h"

namespace plaza::social::internal {

// text::CheckFreeText with the social layer's problem types ("social/invisible-character").
Status ValidateText(std::string_view value, const std::string& field, std::string_view what, std::size_t min_length,
                    std::size_t max_length, bool allow_newlines);

}  // namespace plaza::social::internal
