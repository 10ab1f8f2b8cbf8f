#pragma once
// Checks on the free text of reviews, questions, answers and replies.

#include <string>
#include <string_view>

#include "plaza/core/result.h"

namespace plaza::reviews::internal {

// UTF-8, no control characters but line breaks, no invisible characters (they hide text
// from moderators and defeat duplicate detection), `min_length` … `max_length` code
// points. Errors are kInvalidArgument naming `field` and saying which character at which
// position, so a person can fix it.
Status ValidateText(std::string_view value, const std::string& field, std::string_view what, std::size_t min_length,
                    std::size_t max_length);

// How many links `text` holds ("http://", "https://" or "www." anywhere, ignoring case),
// for moderation's trust levels, which limit links from new accounts.
int CountLinks(std::string_view text);

}  // namespace plaza::reviews::internal
