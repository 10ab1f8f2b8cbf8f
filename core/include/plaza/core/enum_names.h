#pragma once
// Tables that give an enum's values their stable wire names ("post", "draft"), read both
// ways, so each module writes its table once and never a pair of switch statements.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace plaza {

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

// The name of `value`, or `fallback` when the table lacks it.
template <typename Enum, std::size_t N>
std::string_view NameIn(const NameTable<Enum, N>& table, Enum value, std::string_view fallback = {}) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return fallback;
}

// The value named `name` exactly, or nullopt.
template <typename Enum, std::size_t N>
std::optional<Enum> ParseIn(const NameTable<Enum, N>& table, std::string_view name) {
  for (const auto& [value, candidate] : table) {
    if (candidate == name) return value;
  }
  return std::nullopt;
}

}  // namespace plaza
