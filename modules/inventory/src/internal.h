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

// Gives up to `units` just received at `location_id` to reservations (active or sold)
// still owed pre-ordered or backordered units of `item_id`, oldest first: their
// allocations move to stock at the location, the levels' reserved or committed grow,
// pre-order promises shrink, and each move gets an "allocate" ledger entry. Returns the
// units given. REQUIRES: the units are already on hand at the location.
Result<std::int64_t> AllocateOwed(store::Transaction& tx, std::int64_t shop_id, std::int64_t item_id,
                                  std::int64_t location_id, std::int64_t units, const std::string& actor,
                                  TimePoint now);

// ---- outbox events (docs/inventory.md, "Events") ----

// The state one item shows on its own, on no particular channel (buffers aside): the
// state GetAvailability gives a variant made of one unit of this item.
StockState ItemStockState(std::int64_t available, std::int64_t threshold, bool preorder_open,
                          std::int64_t preorder_remaining, bool allow_backorder);

// Recomputes the stock state of `item_ids` and, for each whose state differs from the
// one last announced, stores it and appends "inventory.stock_state_changed". One query
// when nothing changed; callers pass only items whose available units or settings moved.
Status PublishStockStates(store::Transaction& tx, std::int64_t shop_id, const std::vector<std::int64_t>& item_ids,
                          std::int64_t default_threshold, TimePoint now);

// Appends an event about one item ("inventory.received", …) with `payload_json`.
Status AppendItemEvent(store::Transaction& tx, std::int64_t shop_id, std::int64_t item_id, std::string event_type,
                       std::string payload_json, TimePoint now);

std::string EncodeLines(const std::vector<Line>& lines);
std::vector<Line> DecodeLines(const std::string& text);
std::string EncodeChannels(const std::vector<SalesChannel>& channels);
std::vector<SalesChannel> DecodeChannels(const std::string& text);

}  // namespace plaza::inventory::internal
