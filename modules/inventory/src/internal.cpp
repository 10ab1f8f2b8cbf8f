#include "internal.h"

#include <charconv>

namespace plaza::inventory::internal {

Error InvalidQuantity(const std::string& field) {
  return Error::Invalid("inventory/invalid-quantity",
                        "a quantity must be a whole number from 1 to " + std::to_string(kMaxQuantity), field);
}

Error InsufficientStock(const std::string& detail, const std::string& field) {
  Error error = Error::Conflict("inventory/insufficient-stock", detail);
  error.field = field;
  return error;
}

Status CheckText(const std::string& value, const std::string& field, bool required) {
  if (required && value.empty()) return Error::Invalid("inventory/invalid-input", "a value is required", field);
  if (value.size() > kMaxTextLength) {
    return Error::Invalid("inventory/invalid-input", "at most " + std::to_string(kMaxTextLength) + " bytes", field);
  }
  for (const char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Error::Invalid("inventory/invalid-input", "control characters are not allowed", field);
    }
  }
  return Ok();
}

Status CheckQuantity(std::int64_t quantity, const std::string& field) {
  if (quantity <= 0 || quantity > kMaxQuantity) return InvalidQuantity(field);
  return Ok();
}

Result<bool> ApplyLevelDeltas(store::Transaction& tx, std::int64_t shop_id, const std::vector<LevelDelta>& deltas) {
  std::map<std::pair<std::int64_t, std::int64_t>, LevelDelta> merged;
  for (const LevelDelta& delta : deltas) {
    LevelDelta& into = merged[{delta.item_id, delta.location_id}];
    into.item_id = delta.item_id;
    into.location_id = delta.location_id;
    into.on_hand += delta.on_hand;
    into.reserved += delta.reserved;
    into.committed += delta.committed;
  }
  if (merged.empty()) return true;
  // The deltas arrive as a derived table so one statement updates every row; CAST gives
  // PostgreSQL the parameter types it cannot infer through UNION ALL.
  std::string derived;
  Params params;
  for (const auto& [key, delta] : merged) {
    derived += derived.empty() ? "SELECT CAST(? AS BIGINT) AS iid, CAST(? AS BIGINT) AS lid, CAST(? AS BIGINT) AS don,"
                                 " CAST(? AS BIGINT) AS dres, CAST(? AS BIGINT) AS dcom"
                               : " UNION ALL SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),"
                                 " CAST(? AS BIGINT), CAST(? AS BIGINT)";
    params.insert(params.end(), {delta.item_id, delta.location_id, delta.on_hand, delta.reserved, delta.committed});
  }
  params.emplace_back(shop_id);
  const std::string sql =
      "UPDATE inventory_levels SET on_hand = on_hand + d.don, reserved = reserved + d.dres, "
      "committed = committed + d.dcom FROM (" +
      derived +
      ") AS d WHERE inventory_levels.item_id = d.iid AND inventory_levels.location_id = d.lid"
      " AND inventory_levels.shop_id = ?"
      " AND inventory_levels.on_hand + d.don >= 0 AND inventory_levels.reserved + d.dres >= 0"
      " AND inventory_levels.committed + d.dcom >= 0"
      " AND (inventory_levels.on_hand + d.don) - (inventory_levels.reserved + d.dres)"
      " - (inventory_levels.committed + d.dcom) >= 0";
  PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute(sql, params));
  return result.affected_rows == static_cast<std::int64_t>(merged.size());
}

Result<bool> ApplyPreorderDeltas(store::Transaction& tx, std::int64_t shop_id,
                                 const std::map<std::int64_t, std::int64_t>& delta_by_item) {
  std::string derived;
  Params params;
  for (const auto& [item_id, delta] : delta_by_item) {
    if (delta == 0) continue;
    derived += derived.empty() ? "SELECT CAST(? AS BIGINT) AS iid, CAST(? AS BIGINT) AS dq"
                               : " UNION ALL SELECT CAST(? AS BIGINT), CAST(? AS BIGINT)";
    params.insert(params.end(), {item_id, delta});
  }
  if (params.empty()) return true;
  const auto expected = static_cast<std::int64_t>(params.size() / 2);
  params.emplace_back(shop_id);
  const std::string sql = "UPDATE inventory_items SET preorder_used = preorder_used + d.dq FROM (" + derived +
                          ") AS d WHERE inventory_items.id = d.iid AND inventory_items.shop_id = ?"
                          " AND inventory_items.preorder_used + d.dq >= 0"
                          " AND inventory_items.preorder_used + d.dq <= inventory_items.preorder_cap";
  PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute(sql, params));
  return result.affected_rows == expected;
}

Status AppendLedger(store::Transaction& tx, std::int64_t shop_id, const std::vector<LedgerEntry>& entries,
                    TimePoint now) {
  if (entries.empty()) return Ok();
  std::string sql =
      "INSERT INTO inventory_ledger (shop_id, item_id, location_id, kind, on_hand_delta, reserved_delta,"
      " committed_delta, preorder_delta, reason, actor, reservation_key, at) VALUES ";
  Params params;
  for (std::size_t entry_idx = 0; entry_idx < entries.size(); ++entry_idx) {
    const LedgerEntry& entry = entries[entry_idx];
    sql += entry_idx == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    params.insert(
        params.end(),
        {shop_id, entry.item_id, entry.location_id, std::string(MovementKindName(entry.kind)), entry.on_hand_delta,
         entry.reserved_delta, entry.committed_delta, entry.preorder_delta, entry.reason, entry.actor,
         entry.reservation_key.empty() ? store::Param(nullptr) : store::Param(entry.reservation_key),
         ToUnixMillis(now)});
  }
  PLAZA_TRY(tx.Execute(sql, params));
  return Ok();
}

Status EnsureLevels(store::Transaction& tx, std::int64_t shop_id,
                    const std::vector<std::pair<std::int64_t, std::int64_t>>& item_locations) {
  if (item_locations.empty()) return Ok();
  std::string sql = "INSERT INTO inventory_levels (shop_id, item_id, location_id) VALUES ";
  Params params;
  for (std::size_t pair_idx = 0; pair_idx < item_locations.size(); ++pair_idx) {
    sql += pair_idx == 0 ? "(?, ?, ?)" : ", (?, ?, ?)";
    params.insert(params.end(), {shop_id, item_locations[pair_idx].first, item_locations[pair_idx].second});
  }
  sql += " ON CONFLICT (item_id, location_id) DO NOTHING";
  PLAZA_TRY(tx.Execute(sql, params));
  return Ok();
}

std::string EncodeLines(const std::vector<Line>& lines) {
  std::string out;
  for (const Line& line : lines) {
    if (!out.empty()) out += ',';
    out += std::to_string(line.variant_id) + ':' + std::to_string(line.quantity);
  }
  return out;
}

std::vector<Line> DecodeLines(const std::string& text) {
  std::vector<Line> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string part = text.substr(start, end - start);
    const std::size_t colon = part.find(':');
    Line line;
    std::from_chars(part.data(), part.data() + colon, line.variant_id);
    std::from_chars(part.data() + colon + 1, part.data() + part.size(), line.quantity);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::string EncodeChannels(const std::vector<SalesChannel>& channels) {
  std::string out = ",";
  for (const SalesChannel channel : AllChannels()) {
    for (const SalesChannel wanted : channels) {
      if (wanted == channel) {
        out += std::string(ChannelName(channel)) + ",";
        break;
      }
    }
  }
  return out;
}

std::vector<SalesChannel> DecodeChannels(const std::string& text) {
  std::vector<SalesChannel> channels;
  for (const SalesChannel channel : AllChannels()) {
    // Built by appending: GCC 12 at -O3 reports a false -Wrestrict for "," + std::string.
    std::string needle(",");
    needle.append(ChannelName(channel)).append(",");
    if (text.find(needle) != std::string::npos) channels.push_back(channel);
  }
  return channels;
}

}  // namespace plaza::inventory::internal
