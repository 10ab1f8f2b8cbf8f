#pragma once
// Row mapping and small helpers shared by the service's source files.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "plaza/moderation/moderation.h"

namespace plaza::moderation::internal {

inline std::optional<TimePoint> OptionalTime(const store::Row& row, std::size_t column) {
  const std::optional<std::int64_t> ms = row.OptionalInt(column);
  if (!ms) return std::nullopt;
  return FromUnixMillis(*ms);
}

inline std::string Serialize(const boost::json::object& object) {
  return boost::json::serialize(object);
}

inline std::string Target(ContentRef ref) {
  return std::string(ContentKindName(ref.kind)) + ":" + std::to_string(ref.id);
}

// Checks a note or other free text: UTF-8 and at most `max_length` code points.
Status ValidateNote(std::string_view note, std::size_t max_length, const std::string& field);

constexpr std::string_view kBanColumns =
    "id, profile_id, item_id, note, issued_by, created_at, ends_at, lifted_at, lifted_by";
Ban ReadBan(const store::Row& row, TimePoint now);

// The active ban of a profile, if any.
Result<std::optional<Ban>> ActiveBan(store::Transaction& tx, std::int64_t shop_id, std::int64_t profile_id,
                                     TimePoint now);

// Makes sure the profile has a history row (first seen `now`).
Status EnsureMember(store::Transaction& tx, std::int64_t shop_id, std::int64_t profile_id, TimePoint now);

}  // namespace plaza::moderation::internal
