#pragma once
// What reviews, questions and answers share: their moderation state and page requests.

#include <string>

#include "plaza/moderation/moderation.h"

namespace plaza::reviews {

// Who sees a piece of content: everyone (visible), its author and moderators (held,
// waiting for a moderator), moderators only (hidden, removed). Lists show visible rows
// to everyone and held rows to their author as well. Moderation owns the vocabulary.
using moderation::ParseVisibility;
using moderation::Visibility;
using moderation::VisibilityName;

// Page sizes of every list in this module.
inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

struct PageRequest {
  std::string cursor{};  // empty for the first page; otherwise a previous page's next_cursor
  int limit = kDefaultPageSize;
};

}  // namespace plaza::reviews
