#pragma once
// Shared by the inventory sources: input checks, batched level updates and ledger
// inserts, each a single statement whatever the number of rows.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plaza/inventory/inventory.h"

namespace plaza::inventory::internal {

using Params = std::vector<store::Param>;

Error InvalidQuantity(const std::string& field);
Error InsufficientStock(const std::string& detail, const std::string& field);
// Required text: not empty, at most kMaxTextLength bytes, no control characters.
Status CheckText(const std::string& value, const std::string& field, bool required = true);
Status CheckQuantity(std::int64_t quantity, const std::string& field);

// A change to one level row; merged per level before it is written.
struct LevelDelta {
  std::int64_t item_id = 0;
  std::int64_t location_id = 0;
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
  std::int64_t committed = 0;
};

// Applies every delta in one UPDATE whose WHERE clause refuses any row that would end
// with a negative on_hand, reserved, committed or available. Returns false (writing
// nothing the caller keeps: the caller fails its transaction) when a row was refused.
Result<bool> ApplyLevelDeltas(store::Transaction& tx, std::int64_t shop_id, const std::vector<LevelDelta>& deltas);

// Adds `delta` to items' preorder_used in one UPDATE, refusing to pass the cap or go
// below zero. Returns false when an item was refused.
Result<bool> ApplyPreorderDeltas(store::Transaction& tx, std::int64_t shop_id,
                                 const std::map<std::int64_t, std::int64_t>& delta_by_item);

// Appends ledger rows in one INSERT.
Status AppendLedger(store::Transaction& tx, std::int64_t shop_id, const std::vector<LedgerEntry>& entries,
                    TimePoint now);

// Creates the missing level rows of (item, location) pairs, empty, in one INSERT.
// REQUIRES: items and locations belong to the shop (checked by the caller).
Status EnsureLevels(store::Transaction& tx, std::int64_t shop_id,
                    const std::vector<std::pair<std::int64_t, std::int64_t>>& item_locations);

std::string EncodeLines(const std::vector<Line>& lines);
std::vector<Line> DecodeLines(const std::string& text);
std::string EncodeChannels(const std::vector<SalesChannel>& channels);
std::vector<SalesChannel> DecodeChannels(const std::string& text);

}  // namespace plaza::inventory::internal
