#pragma once
// What reviews, questions and answers share: their moderation state and page requests.

#include <optional>
#include <string>
#include <string_view>

namespace plaza::reviews {

// Who sees a piece of content: everyone (visible), its author and moderators (held,
// waiting for a moderator), moderators only (hidden, removed). Lists show visible rows
// to everyone and held rows to their author as well.
enum class Visibility { kVisible, kHeld, kHidden, kRemoved };
std::string_view VisibilityName(Visibility visibility);  // "visible", "held", "hidden", "removed"
std::optional<Visibility> ParseVisibility(std::string_view name);

// Page sizes of every list in this module.
inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

struct PageRequest {
  std::string cursor{};  // empty for the first page; otherwise a previous page's next_cursor
  int limit = kDefaultPageSize;
};

}  // namespace plaza::reviews
