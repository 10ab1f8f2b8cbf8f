// Reservations, availability and expiry: the paths checkout and every storefront surface
// take. Each runs a fixed number of statements whatever the number of lines (the counts
// are in docs/inventory.md): reads batch with IN lists, writes with multi-row INSERTs
// and one UPDATE over a derived table.

#include <algorithm>
#include <map>

#include "internal.h"
#include "plaza/inventory/inventory.h"

namespace plaza::inventory {

using internal::Params;

namespace {

// Reservations expired per batch and batches per ExpireReservations call: one call does
// bounded work, and the next tick picks up the rest.
constexpr int kExpiryBatch = 200;
constexpr int kMaxExpiryBatches = 25;

struct LocationStock {
  std::int64_t location_id = 0;
  std::int64_t available = 0;
};

struct ItemStock {
  bool allow_backorder = false;
  std::optional<std::int64_t> low_stock_threshold{};
  std::optional<TimePoint> preorder_arrival{};
  std::int64_t preorder_cap = 0;
  std::int64_t preorder_used = 0;
  std::vector<LocationStock> locations{};  // active locations, by priority
  std::int64_t buffer = 0;

  // Units sellable from stock on the snapshot's channel.
  std::int64_t ChannelAvailable() const {
    std::int64_t total = 0;
    for (const LocationStock& location : locations) total += std::max<std::int64_t>(location.available, 0);
    return std::max<std::int64_t>(total - buffer, 0);
  }
  std::int64_t PreorderRemaining() const {
    return preorder_arrival ? std::max<std::int64_t>(preorder_cap - preorder_used, 0) : 0;
  }
};

struct VariantInfo {
  std::vector<Component> components{};
  std::optional<std::int64_t> max_per_order{};
};

struct StockSnapshot {
  std::map<std::int64_t, VariantInfo> variants;
  std::map<std::int64_t, ItemStock> items;
};

// Three queries: components with their items, levels at active locations, buffers.
Result<StockSnapshot> LoadStock(store::Transaction& tx, std::int64_t shop_id,
                                const std::vector<std::int64_t>& variant_ids, SalesChannel channel) {
  StockSnapshot snapshot;
  if (variant_ids.empty()) return snapshot;
  Params params{shop_id};
  params.insert(params.end(), variant_ids.begin(), variant_ids.end());
  PLAZA_ASSIGN_OR_RETURN(
      auto components,
      tx.Execute("SELECT c.variant_id, c.item_id, c.quantity, v.max_per_order, i.allow_backorder,"
                 " i.low_stock_threshold, i.preorder_arrival_at, i.preorder_cap, i.preorder_used"
                 " FROM inventory_components c JOIN inventory_items i ON i.id = c.item_id AND i.shop_id = c.shop_id"
                 " JOIN inventory_variants v ON v.shop_id = c.shop_id AND v.variant_id = c.variant_id"
                 " WHERE c.shop_id = ? AND c.variant_id IN (" +
                     store::Placeholders(variant_ids.size()) + ") ORDER BY c.variant_id, c.item_id",
                 params));
  for (const store::Row& row : components.rows) {
    VariantInfo& variant = snapshot.variants[row.Int(0)];
    variant.components.push_back({.item_id = row.Int(1), .quantity = row.Int(2)});
    variant.max_per_order = row.OptionalInt(3);
    ItemStock& item = snapshot.items[row.Int(1)];
    item.allow_backorder = row.Bool(4);
    item.low_stock_threshold = row.OptionalInt(5);
    if (!row.IsNull(6)) item.preorder_arrival = FromUnixMillis(row.Int(6));
    item.preorder_cap = row.Int(7);
    item.preorder_used = row.Int(8);
  }
  if (snapshot.items.empty()) return snapshot;
  Params item_params{shop_id};
  for (const auto& [item_id, item] : snapshot.items) item_params.emplace_back(item_id);
  const std::string item_list = store::Placeholders(snapshot.items.size());
  PLAZA_ASSIGN_OR_RETURN(
      auto levels,
      tx.Execute("SELECT l.item_id, l.location_id, l.on_hand - l.reserved - l.committed FROM inventory_levels l"
                 " JOIN inventory_locations loc ON loc.id = l.location_id AND loc.shop_id = l.shop_id"
                 " WHERE l.shop_id = ? AND loc.active = 1 AND l.item_id IN (" +
                     item_list + ") ORDER BY l.item_id, loc.priority, loc.id",
                 item_params));
  for (const store::Row& row : levels.rows) {
    snapshot.items[row.Int(0)].locations.push_back({.location_id = row.Int(1), .available = row.Int(2)});
  }
  Params buffer_params = item_params;
  buffer_params.emplace_back(std::string(ChannelName(channel)));
  // The pattern is built in SQL: SQLite compiles a statement again each time a bare
  // parameter used as a LIKE pattern is bound, which was 8% of a product page's CPU.
  PLAZA_ASSIGN_OR_RETURN(auto buffers,
                         tx.Execute("SELECT item_id, SUM(quantity) FROM inventory_buffers"
                                    " WHERE shop_id = ? AND item_id IN (" +
                                        item_list + ") AND channels LIKE '%,' || ? || ',%' GROUP BY item_id",
                                    buffer_params));
  for (const store::Row& row : buffers.rows) snapshot.items[row.Int(0)].buffer = row.Int(1);
  return snapshot;
}

Availability ComputeAvailability(std::int64_t variant_id, const StockSnapshot& snapshot,
                                 std::int64_t default_threshold) {
  Availability availability{.variant_id = variant_id};
  const auto variant = snapshot.variants.find(variant_id);
  if (variant == snapshot.variants.end() || variant->second.components.empty()) return availability;
  availability.max_per_order = variant->second.max_per_order;
  std::int64_t from_stock = kMaxQuantity;
  std::int64_t threshold = default_threshold;
  bool any_item_threshold = false;
  bool needs_preorder = false;
  bool needs_backorder = false;
  bool impossible = false;
  std::int64_t promisable = kMaxQuantity;
  std::optional<TimePoint> arrival;
  for (const Component& component : variant->second.components) {
    const ItemStock& item = snapshot.items.at(component.item_id);
    const std::int64_t stock = item.ChannelAvailable();
    from_stock = std::min(from_stock, stock / component.quantity);
    if (item.low_stock_threshold) {
      threshold = any_item_threshold ? std::max(threshold, *item.low_stock_threshold) : *item.low_stock_threshold;
      any_item_threshold = true;
    }
    if (stock >= component.quantity) continue;
    if (stock + item.PreorderRemaining() >= component.quantity) {
      needs_preorder = true;
      promisable = std::min(promisable, (stock + item.PreorderRemaining()) / component.quantity);
      if (!arrival || *item.preorder_arrival > *arrival) arrival = item.preorder_arrival;
    } else if (item.allow_backorder) {
      needs_backorder = true;
    } else {
      impossible = true;
    }
  }
  availability.available = from_stock;
  if (from_stock > 0) {
    availability.state = from_stock <= threshold ? StockState::kLowStock : StockState::kInStock;
  } else if (impossible) {
    availability.state = StockState::kOutOfStock;
  } else if (needs_preorder) {
    availability.state = StockState::kPreorder;
    availability.preorder_arrival = arrival;
    availability.preorder_remaining = promisable;
  } else if (needs_backorder) {
    availability.state = StockState::kBackorder;
  }
  return availability;
}

constexpr std::string_view kReservationColumns =
    "id, shop_id, reservation_key, channel, state, lines, order_ref, expires_at, created_at, updated_at";

ReservationState ParseState(std::string_view name) {
  for (int state_idx = 0; state_idx <= static_cast<int>(ReservationState::kFulfilled); ++state_idx) {
    const auto state = static_cast<ReservationState>(state_idx);
    if (ReservationStateName(state) == name) return state;
  }
  return ReservationState::kActive;
}

AllocationSource ParseSource(std::string_view name) {
  if (name == "preorder") return AllocationSource::kPreorder;
  if (name == "backorder") return AllocationSource::kBackorder;
  return AllocationSource::kStock;
}

// Two queries: the reservation and its allocations.
Result<std::optional<Reservation>> FindReservation(store::Transaction& tx, std::int64_t shop_id,
                                                   const std::string& key) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kReservationColumns) +
                                                   " FROM inventory_reservations WHERE shop_id = ?"
                                                   " AND reservation_key = ?",
                                               {shop_id, key}));
  if (!row) return std::optional<Reservation>();
  Reservation reservation{.id = row->Int(0),
                          .shop_id = row->Int(1),
                          .key = row->Text(2),
                          .channel = ParseChannel(row->Text(3)).value_or(SalesChannel::kOnlineStore),
                          .state = ParseState(row->Text(4)),
                          .lines = internal::DecodeLines(row->Text(5)),
                          .order_ref = row->Text(6),
                          .expires_at = FromUnixMillis(row->Int(7)),
                          .created_at = FromUnixMillis(row->Int(8)),
                          .updated_at = FromUnixMillis(row->Int(9))};
  PLAZA_ASSIGN_OR_RETURN(auto allocations, tx.Execute("SELECT item_id, location_id, source, quantity"
                                                      " FROM inventory_allocations WHERE shop_id = ?"
                                                      " AND reservation_id = ? ORDER BY id",
                                                      {shop_id, reservation.id}));
  for (const store::Row& allocation : allocations.rows) {
    reservation.allocations.push_back({.item_id = allocation.Int(0),
                                       .location_id = allocation.OptionalInt(1),
                                       .source = ParseSource(allocation.Text(2)),
                                       .quantity = allocation.Int(3)});
  }
  return std::optional<Reservation>(std::move(reservation));
}

Result<Reservation> LoadReservation(store::Transaction& tx, std::int64_t shop_id, const std::string& key) {
  PLAZA_ASSIGN_OR_RETURN(auto found, FindReservation(tx, shop_id, key));
  if (!found) return Error::NotFound("reservation not found");
  return std::move(*found);
}

Status CheckKey(const std::string& key) {
  return internal::CheckText(key, "/key");
}

Error Closed(const Reservation& reservation) {
  return Error::Conflict("inventory/reservation-closed",
                         "the reservation is " + std::string(ReservationStateName(reservation.state)));
}

// Moves a reservation from `from` to `to`, applying the level and pre-order changes of
// `kind` to every allocation: four statements (levels, pre-orders, state, ledger), and
// for a release or cancellation, which give units back, the stock-state check.
Result<Reservation> Transition(store::Transaction& tx, std::int64_t shop_id, Reservation reservation,
                               ReservationState to, MovementKind kind, const std::string& actor,
                               const std::string& order_ref, TimePoint now, std::int64_t default_threshold) {
  std::vector<internal::LevelDelta> deltas;
  std::map<std::int64_t, std::int64_t> preorder_deltas;
  std::vector<LedgerEntry> entries;
  for (const Allocation& allocation : reservation.allocations) {
    LedgerEntry entry{.item_id = allocation.item_id,
                      .location_id = allocation.location_id,
                      .kind = kind,
                      .reason = std::string(ReservationStateName(to)),
                      .actor = actor,
                      .reservation_key = reservation.key};
    const std::int64_t quantity = allocation.quantity;
    if (allocation.source == AllocationSource::kStock) {
      switch (kind) {
        case MovementKind::kRelease:
          entry.reserved_delta = -quantity;
          break;
        case MovementKind::kSell:
          entry.reserved_delta = -quantity;
          entry.committed_delta = quantity;
          break;
        case MovementKind::kCancel:
          entry.committed_delta = -quantity;
          break;
        case MovementKind::kFulfil:
          entry.committed_delta = -quantity;
          entry.on_hand_delta = -quantity;
          break;
        default:
          return Error::Internal("not a reservation movement");
      }
      deltas.push_back({.item_id = allocation.item_id,
                        .location_id = *allocation.location_id,
                        .on_hand = entry.on_hand_delta,
                        .reserved = entry.reserved_delta,
                        .committed = entry.committed_delta});
    } else if (allocation.source == AllocationSource::kPreorder) {
      if (kind == MovementKind::kFulfil) {
        return Error::Conflict("inventory/awaiting-stock",
                               "pre-ordered units ship once received stock is allocated to them");
      }
      if (kind == MovementKind::kRelease || kind == MovementKind::kCancel) {
        entry.preorder_delta = -quantity;
        preorder_deltas[allocation.item_id] -= quantity;
      }
    } else if (kind == MovementKind::kFulfil) {
      return Error::Conflict("inventory/awaiting-stock", "backordered units ship once stock is received");
    }
    entries.push_back(std::move(entry));
  }
  PLAZA_ASSIGN_OR_RETURN(const bool levels_applied, internal::ApplyLevelDeltas(tx, shop_id, deltas));
  PLAZA_ASSIGN_OR_RETURN(const bool preorders_applied, internal::ApplyPreorderDeltas(tx, shop_id, preorder_deltas));
  if (!levels_applied || !preorders_applied) {
    return Error::Internal("stored levels disagree with reservation " + reservation.key +
                           "; run plaza inventory check");
  }
  if (!order_ref.empty()) reservation.order_ref = order_ref;
  PLAZA_TRY(
      tx.Execute("UPDATE inventory_reservations SET state = ?, order_ref = ?, updated_at = ?"
                 " WHERE shop_id = ? AND id = ?",
                 {std::string(ReservationStateName(to)),
                  reservation.order_ref.empty() ? store::Param(nullptr) : store::Param(reservation.order_ref),
                  ToUnixMillis(now), shop_id, reservation.id}));
  PLAZA_TRY(internal::AppendLedger(tx, shop_id, entries, now));
  // Selling and shipping leave available units as they were: no state can change.
  if (kind == MovementKind::kRelease || kind == MovementKind::kCancel) {
    std::vector<std::int64_t> item_ids;
    for (const Allocation& allocation : reservation.allocations) {
      if (std::find(item_ids.begin(), item_ids.end(), allocation.item_id) == item_ids.end()) {
        item_ids.push_back(allocation.item_id);
      }
    }
    PLAZA_TRY(internal::PublishStockStates(tx, shop_id, item_ids, default_threshold, now));
  }
  reservation.state = to;
  reservation.updated_at = now;
  return reservation;
}

Status CheckLines(const std::vector<Line>& lines) {
  if (lines.empty()) return Error::Invalid("inventory/invalid-input", "at least one line is required", "/lines");
  if (lines.size() > kMaxLines) {
    return Error::Invalid("inventory/too-many-lines", "at most " + std::to_string(kMaxLines) + " lines", "/lines");
  }
  for (std::size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
    PLAZA_TRY(internal::CheckQuantity(lines[line_idx].quantity, "/lines/" + std::to_string(line_idx) + "/quantity"));
  }
  return Ok();
}

std::vector<std::int64_t> VariantIds(const std::vector<Line>& lines) {
  std::vector<std::int64_t> ids;
  for (const Line& line : lines) {
    if (std::find(ids.begin(), ids.end(), line.variant_id) == ids.end()) ids.push_back(line.variant_id);
  }
  return ids;
}

Error UnknownVariant(std::size_t line_idx) {
  return Error::Invalid("inventory/unknown-variant", "this variant has no inventory",
                        "/lines/" + std::to_string(line_idx) + "/variant_id");
}

}  // namespace

Result<Reservation> InventoryService::Reserve(store::Transaction& tx, std::int64_t shop_id,
                                              const ReservationRequest& request) {
  PLAZA_TRY(CheckKey(request.key));
  PLAZA_TRY(internal::CheckText(request.actor, "/actor"));
  PLAZA_TRY(CheckLines(request.lines));
  if (request.ttl <= std::chrono::milliseconds(0) || request.ttl > kMaxReservationTtl) {
    return Error::Invalid("inventory/invalid-input", "a time-to-live is from 1 ms to 24 hours", "/ttl");
  }
  const TimePoint now = clock_.Now();
  const std::string encoded_lines = internal::EncodeLines(request.lines);

  PLAZA_ASSIGN_OR_RETURN(auto existing, FindReservation(tx, shop_id, request.key));
  if (existing) {
    if (existing->channel != request.channel || internal::EncodeLines(existing->lines) != encoded_lines) {
      Error error = Error::Conflict("inventory/key-reused", "this key already reserved other lines");
      error.field = "/key";
      return error;
    }
    return std::move(*existing);
  }

  const std::vector<std::int64_t> variant_ids = VariantIds(request.lines);
  PLAZA_ASSIGN_OR_RETURN(StockSnapshot snapshot, LoadStock(tx, shop_id, variant_ids, request.channel));

  // Units per item across every line, so kits sharing an item are counted together, and
  // units per variant for the per-order limit.
  std::map<std::int64_t, std::int64_t> need_by_item;
  std::map<std::int64_t, std::size_t> first_line_by_item;
  std::map<std::int64_t, std::int64_t> quantity_by_variant;
  for (std::size_t line_idx = 0; line_idx < request.lines.size(); ++line_idx) {
    const Line& line = request.lines[line_idx];
    const auto variant = snapshot.variants.find(line.variant_id);
    if (variant == snapshot.variants.end()) return UnknownVariant(line_idx);
    std::int64_t& variant_total = quantity_by_variant[line.variant_id];
    variant_total += line.quantity;
    if (variant->second.max_per_order && variant_total > *variant->second.max_per_order) {
      Error error = Error::Conflict("inventory/per-order-limit",
                                    "at most " + std::to_string(*variant->second.max_per_order) + " per order");
      error.field = "/lines/" + std::to_string(line_idx) + "/quantity";
      return error;
    }
    for (const Component& component : variant->second.components) {
      std::int64_t units = 0;
      std::int64_t& need = need_by_item[component.item_id];
      if (__builtin_mul_overflow(line.quantity, component.quantity, &units) || units > kMaxQuantity - need) {
        return internal::InvalidQuantity("/lines/" + std::to_string(line_idx) + "/quantity");
      }
      need += units;
      first_line_by_item.emplace(component.item_id, line_idx);
    }
  }

  // Stock first, by location priority; then the pre-order cap; then backorder.
  std::vector<Allocation> allocations;
  std::vector<internal::LevelDelta> deltas;
  std::map<std::int64_t, std::int64_t> preorder_deltas;
  for (const auto& [item_id, need] : need_by_item) {
    const ItemStock& item = snapshot.items.at(item_id);
    std::int64_t remaining = need;
    std::int64_t sellable = item.ChannelAvailable();
    for (const LocationStock& location : item.locations) {
      const std::int64_t take = std::min({remaining, sellable, location.available});
      if (take <= 0) continue;
      allocations.push_back({.item_id = item_id,
                             .location_id = location.location_id,
                             .source = AllocationSource::kStock,
                             .quantity = take});
      deltas.push_back({.item_id = item_id, .location_id = location.location_id, .reserved = take});
      remaining -= take;
      sellable -= take;
    }
    if (remaining > 0 && item.PreorderRemaining() > 0) {
      const std::int64_t take = std::min(remaining, item.PreorderRemaining());
      allocations.push_back({.item_id = item_id, .source = AllocationSource::kPreorder, .quantity = take});
      preorder_deltas[item_id] += take;
      remaining -= take;
    }
    if (remaining > 0 && item.allow_backorder) {
      allocations.push_back({.item_id = item_id, .source = AllocationSource::kBackorder, .quantity = remaining});
      remaining = 0;
    }
    if (remaining > 0) {
      return internal::InsufficientStock("only " + std::to_string(need - remaining) + " of " + std::to_string(need) +
                                             " units of item " + std::to_string(item_id) + " are available",
                                         "/lines/" + std::to_string(first_line_by_item.at(item_id)) + "/quantity");
    }
  }

  // The guarded UPDATEs re-check what the snapshot promised, so a concurrent writer the
  // isolation level did not stop still cannot push a level negative.
  PLAZA_ASSIGN_OR_RETURN(const bool levels_applied, internal::ApplyLevelDeltas(tx, shop_id, deltas));
  PLAZA_ASSIGN_OR_RETURN(const bool preorders_applied, internal::ApplyPreorderDeltas(tx, shop_id, preorder_deltas));
  if (!levels_applied || !preorders_applied) {
    return internal::InsufficientStock("stock changed while reserving", "/lines");
  }
  const TimePoint expires_at = now + request.ttl;
  auto inserted = tx.QueryOne(
      "INSERT INTO inventory_reservations (shop_id, reservation_key, channel, state, lines, expires_at, created_at,"
      " updated_at) VALUES (?, ?, ?, 'active', ?, ?, ?, ?) RETURNING id",
      {shop_id, request.key, std::string(ChannelName(request.channel)), encoded_lines, ToUnixMillis(expires_at),
       ToUnixMillis(now), ToUnixMillis(now)});
  // The same key reserved concurrently by another transaction: retrying the whole
  // transaction finds that reservation and answers with it, as a replay would.
  if (!inserted.ok() && inserted.error().type == "db/unique-violation") {
    return Error{ErrorCode::kUnavailable, "db/retry", "reservation key taken concurrently", "/key"};
  }
  if (!inserted.ok()) return std::move(inserted).error();
  const std::int64_t reservation_id = (*inserted)->Int(0);
  std::string sql =
      "INSERT INTO inventory_allocations (shop_id, reservation_id, item_id, location_id, source, quantity) VALUES ";
  Params params;
  std::vector<LedgerEntry> entries;
  for (std::size_t allocation_idx = 0; allocation_idx < allocations.size(); ++allocation_idx) {
    const Allocation& allocation = allocations[allocation_idx];
    sql += allocation_idx == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)";
    params.insert(params.end(), {shop_id, reservation_id, allocation.item_id, allocation.location_id,
                                 std::string(AllocationSourceName(allocation.source)), allocation.quantity});
    entries.push_back({.item_id = allocation.item_id,
                       .location_id = allocation.location_id,
                       .kind = MovementKind::kReserve,
                       .reserved_delta = allocation.source == AllocationSource::kStock ? allocation.quantity : 0,
                       .preorder_delta = allocation.source == AllocationSource::kPreorder ? allocation.quantity : 0,
                       .reason = std::string(AllocationSourceName(allocation.source)),
                       .actor = request.actor,
                       .reservation_key = request.key});
  }
  PLAZA_TRY(tx.Execute(sql, params));
  PLAZA_TRY(internal::AppendLedger(tx, shop_id, entries, now));
  std::vector<std::int64_t> item_ids;
  item_ids.reserve(need_by_item.size());
  for (const auto& [item_id, need] : need_by_item) item_ids.push_back(item_id);
  PLAZA_TRY(internal::PublishStockStates(tx, shop_id, item_ids, settings_.low_stock_threshold, now));
  return Reservation{.id = reservation_id,
                     .shop_id = shop_id,
                     .key = request.key,
                     .channel = request.channel,
                     .state = ReservationState::kActive,
                     .lines = request.lines,
                     .allocations = std::move(allocations),
                     .expires_at = expires_at,
                     .created_at = now,
                     .updated_at = now};
}

Result<Reservation> InventoryService::Reserve(std::int64_t shop_id, const ReservationRequest& request) {
  return db_.Write([&](store::Transaction& tx) { return Reserve(tx, shop_id, request); });
}

Result<Reservation> InventoryService::Extend(std::int64_t shop_id, const std::string& key,
                                             std::chrono::milliseconds ttl) {
  if (ttl <= std::chrono::milliseconds(0) || ttl > kMaxReservationTtl) {
    return Error::Invalid("inventory/invalid-input", "a time-to-live is from 1 ms to 24 hours", "/ttl");
  }
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Reservation> {
    PLAZA_ASSIGN_OR_RETURN(Reservation reservation, LoadReservation(tx, shop_id, key));
    if (reservation.state != ReservationState::kActive) return Closed(reservation);
    reservation.expires_at = now + ttl;
    reservation.updated_at = now;
    PLAZA_TRY(
        tx.Execute("UPDATE inventory_reservations SET expires_at = ?, updated_at = ? WHERE shop_id = ?"
                   " AND id = ?",
                   {ToUnixMillis(reservation.expires_at), ToUnixMillis(now), shop_id, reservation.id}));
    return reservation;
  });
}

Result<Reservation> InventoryService::Release(store::Transaction& tx, std::int64_t shop_id, const std::string& key,
                                              const std::string& actor) {
  PLAZA_TRY(internal::CheckText(actor, "/actor"));
  PLAZA_ASSIGN_OR_RETURN(Reservation reservation, LoadReservation(tx, shop_id, key));
  if (reservation.state != ReservationState::kActive) return reservation;
  return Transition(tx, shop_id, std::move(reservation), ReservationState::kReleased, MovementKind::kRelease, actor, {},
                    clock_.Now(), settings_.low_stock_threshold);
}

Result<Reservation> InventoryService::Release(std::int64_t shop_id, const std::string& key, const std::string& actor) {
  return db_.Write([&](store::Transaction& tx) { return Release(tx, shop_id, key, actor); });
}

Result<Reservation> InventoryService::Convert(store::Transaction& tx, std::int64_t shop_id, const std::string& key,
                                              const std::string& order_ref) {
  PLAZA_TRY(internal::CheckText(order_ref, "/order_ref"));
  PLAZA_ASSIGN_OR_RETURN(Reservation reservation, LoadReservation(tx, shop_id, key));
  if (reservation.state == ReservationState::kConverted || reservation.state == ReservationState::kFulfilled) {
    return reservation;
  }
  // An active reservation past its expiry still holds its units until the expiry job
  // runs, so converting it is safe; once expired or released they may be gone.
  if (reservation.state != ReservationState::kActive) return Closed(reservation);
  return Transition(tx, shop_id, std::move(reservation), ReservationState::kConverted, MovementKind::kSell, order_ref,
                    order_ref, clock_.Now(), settings_.low_stock_threshold);
}

Result<Reservation> InventoryService::Convert(std::int64_t shop_id, const std::string& key,
                                              const std::string& order_ref) {
  return db_.Write([&](store::Transaction& tx) { return Convert(tx, shop_id, key, order_ref); });
}

Result<Reservation> InventoryService::Cancel(store::Transaction& tx, std::int64_t shop_id, const std::string& key,
                                             const std::string& actor) {
  PLAZA_TRY(internal::CheckText(actor, "/actor"));
  PLAZA_ASSIGN_OR_RETURN(Reservation reservation, LoadReservation(tx, shop_id, key));
  if (reservation.state == ReservationState::kCancelled) return reservation;
  if (reservation.state != ReservationState::kConverted) return Closed(reservation);
  return Transition(tx, shop_id, std::move(reservation), ReservationState::kCancelled, MovementKind::kCancel, actor, {},
                    clock_.Now(), settings_.low_stock_threshold);
}

Result<Reservation> InventoryService::Cancel(std::int64_t shop_id, const std::string& key, const std::string& actor) {
  return db_.Write([&](store::Transaction& tx) { return Cancel(tx, shop_id, key, actor); });
}

Result<Reservation> InventoryService::Fulfil(store::Transaction& tx, std::int64_t shop_id, const std::string& key,
                                             const std::string& actor) {
  PLAZA_TRY(internal::CheckText(actor, "/actor"));
  PLAZA_ASSIGN_OR_RETURN(Reservation reservation, LoadReservation(tx, shop_id, key));
  if (reservation.state == ReservationState::kFulfilled) return reservation;
  if (reservation.state != ReservationState::kConverted) return Closed(reservation);
  return Transition(tx, shop_id, std::move(reservation), ReservationState::kFulfilled, MovementKind::kFulfil, actor, {},
                    clock_.Now(), settings_.low_stock_threshold);
}

Result<Reservation> InventoryService::Fulfil(std::int64_t shop_id, const std::string& key, const std::string& actor) {
  return db_.Write([&](store::Transaction& tx) { return Fulfil(tx, shop_id, key, actor); });
}

Status InventoryService::Restock(store::Transaction& tx, std::int64_t shop_id, const std::vector<Line>& lines,
                                 std::optional<std::int64_t> location_id, const std::string& reason,
                                 const std::string& actor) {
  PLAZA_TRY(CheckLines(lines));
  PLAZA_TRY(internal::CheckText(reason, "/reason"));
  PLAZA_TRY(internal::CheckText(actor, "/actor"));
  const TimePoint now = clock_.Now();
  if (location_id) {
    PLAZA_ASSIGN_OR_RETURN(auto location, tx.QueryOne("SELECT id FROM inventory_locations WHERE shop_id = ? AND id = ?",
                                                      {shop_id, *location_id}));
    if (!location) {
      Error error = Error::NotFound("location not found");
      error.field = "/location_id";
      return error;
    }
  }
  Params params{shop_id};
  const std::vector<std::int64_t> variant_ids = VariantIds(lines);
  params.insert(params.end(), variant_ids.begin(), variant_ids.end());
  PLAZA_ASSIGN_OR_RETURN(auto components, tx.Execute("SELECT variant_id, item_id, quantity FROM inventory_components"
                                                     " WHERE shop_id = ? AND variant_id IN (" +
                                                         store::Placeholders(variant_ids.size()) + ")",
                                                     params));
  std::map<std::int64_t, std::int64_t> units_by_item;
  for (std::size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
    bool known = false;
    for (const store::Row& row : components.rows) {
      if (row.Int(0) != lines[line_idx].variant_id) continue;
      known = true;
      std::int64_t units = 0;
      std::int64_t& total = units_by_item[row.Int(1)];
      if (__builtin_mul_overflow(lines[line_idx].quantity, row.Int(2), &units) || units > kMaxQuantity - total) {
        return internal::InvalidQuantity("/lines/" + std::to_string(line_idx) + "/quantity");
      }
      total += units;
    }
    if (!known) return UnknownVariant(line_idx);
  }
  std::vector<LedgerEntry> entries;
  std::vector<internal::LevelDelta> deltas;
  std::vector<std::pair<std::int64_t, std::int64_t>> item_locations;
  for (const auto& [item_id, units] : units_by_item) {
    entries.push_back({.item_id = item_id,
                       .location_id = location_id,
                       .kind = location_id ? MovementKind::kReturn : MovementKind::kWriteOff,
                       .on_hand_delta = location_id ? units : 0,
                       .reason = reason,
                       .actor = actor});
    if (location_id) {
      item_locations.emplace_back(item_id, *location_id);
      deltas.push_back({.item_id = item_id, .location_id = *location_id, .on_hand = units});
    }
  }
  PLAZA_TRY(internal::EnsureLevels(tx, shop_id, item_locations));
  PLAZA_ASSIGN_OR_RETURN(const bool applied, internal::ApplyLevelDeltas(tx, shop_id, deltas));
  if (!applied) return Error::Conflict("inventory/level-limit", "the level cannot take this many units");
  PLAZA_TRY(internal::AppendLedger(tx, shop_id, entries, now));
  if (!location_id) return Ok();
  std::vector<std::int64_t> item_ids;
  item_ids.reserve(units_by_item.size());
  for (const auto& [item_id, units] : units_by_item) item_ids.push_back(item_id);
  return internal::PublishStockStates(tx, shop_id, item_ids, settings_.low_stock_threshold, now);
}

Status InventoryService::Restock(std::int64_t shop_id, const std::vector<Line>& lines,
                                 std::optional<std::int64_t> location_id, const std::string& reason,
                                 const std::string& actor) {
  return db_.Write([&](store::Transaction& tx) { return Restock(tx, shop_id, lines, location_id, reason, actor); });
}

Result<Reservation> InventoryService::GetReservation(std::int64_t shop_id, const std::string& key) {
  return db_.Read([&](store::Transaction& tx) { return LoadReservation(tx, shop_id, key); });
}

Result<int> InventoryService::ExpireReservations(TimePoint now) {
  int expired = 0;
  for (int batch_idx = 0; batch_idx < kMaxExpiryBatches; ++batch_idx) {
    PLAZA_ASSIGN_OR_RETURN(auto due, db_.Read([&](store::Transaction& tx) {
      return tx.Execute(
          "SELECT shop_id, reservation_key FROM inventory_reservations WHERE state = 'active'"
          " AND expires_at <= ? ORDER BY expires_at, id LIMIT ?",
          {ToUnixMillis(now), kExpiryBatch});
    }));
    for (const store::Row& row : due.rows) {
      const std::int64_t shop_id = row.Int(0);
      const std::string key = row.Text(1);
      // One transaction per reservation: a checkout converting it meanwhile wins cleanly,
      // and the state is re-read inside the transaction before anything moves.
      PLAZA_ASSIGN_OR_RETURN(const bool changed, db_.Write([&](store::Transaction& tx) -> Result<bool> {
        PLAZA_ASSIGN_OR_RETURN(Reservation reservation, LoadReservation(tx, shop_id, key));
        if (reservation.state != ReservationState::kActive || reservation.expires_at > now) return false;
        PLAZA_TRY(Transition(tx, shop_id, std::move(reservation), ReservationState::kExpired, MovementKind::kRelease,
                             "system:expiry", {}, now, settings_.low_stock_threshold));
        return true;
      }));
      if (changed) ++expired;
    }
    if (due.rows.size() < static_cast<std::size_t>(kExpiryBatch)) break;
  }
  return expired;
}

Result<std::vector<Availability>> InventoryService::GetAvailability(std::int64_t shop_id,
                                                                    std::span<const std::int64_t> variant_ids,
                                                                    SalesChannel channel) {
  return db_.Read([&](store::Transaction& tx) { return GetAvailability(tx, shop_id, variant_ids, channel); });
}

Result<std::vector<Availability>> InventoryService::GetAvailability(store::Transaction& tx, std::int64_t shop_id,
                                                                    std::span<const std::int64_t> variant_ids,
                                                                    SalesChannel channel) {
  if (variant_ids.size() > kMaxAvailabilityBatch) {
    return Error::Invalid("inventory/invalid-input",
                          "at most " + std::to_string(kMaxAvailabilityBatch) + " variants per request", "/variant_ids");
  }
  std::vector<std::int64_t> unique(variant_ids.begin(), variant_ids.end());
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  PLAZA_ASSIGN_OR_RETURN(StockSnapshot snapshot, LoadStock(tx, shop_id, unique, channel));
  std::vector<Availability> out;
  out.reserve(variant_ids.size());
  for (const std::int64_t variant_id : variant_ids) {
    out.push_back(ComputeAvailability(variant_id, snapshot, settings_.low_stock_threshold));
  }
  return out;
}

namespace internal {

Result<std::int64_t> AllocateOwed(store::Transaction& tx, std::int64_t shop_id, std::int64_t item_id,
                                  std::int64_t location_id, std::int64_t units, const std::string& actor,
                                  TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(
      auto owed, tx.Execute("SELECT a.id, a.reservation_id, a.source, a.quantity, r.state, r.reservation_key"
                            " FROM inventory_allocations a JOIN inventory_reservations r ON r.shop_id = a.shop_id"
                            " AND r.id = a.reservation_id WHERE a.shop_id = ? AND a.item_id = ?"
                            " AND a.source IN ('preorder', 'backorder') AND r.state IN ('active', 'converted')"
                            " ORDER BY a.reservation_id, a.id",
                            {shop_id, item_id}));
  std::int64_t left = units;
  std::vector<std::int64_t> emptied;
  std::optional<std::pair<std::int64_t, std::int64_t>> partial;  // (allocation id, units taken)
  std::string insert =
      "INSERT INTO inventory_allocations (shop_id, reservation_id, item_id, location_id, source, quantity) VALUES ";
  Params insert_params;
  LevelDelta delta{.item_id = item_id, .location_id = location_id};
  std::int64_t preorder_delta = 0;
  std::vector<LedgerEntry> entries;
  for (const store::Row& row : owed.rows) {
    if (left == 0) break;
    const std::int64_t take = std::min(left, row.Int(3));
    left -= take;
    if (take == row.Int(3)) {
      emptied.push_back(row.Int(0));
    } else {
      partial = {row.Int(0), take};
    }
    insert += insert_params.empty() ? "(?, ?, ?, ?, 'stock', ?)" : ", (?, ?, ?, ?, 'stock', ?)";
    insert_params.insert(insert_params.end(), {shop_id, row.Int(1), item_id, location_id, take});
    const bool sold = row.Text(4) == "converted";
    const bool preordered = row.Text(2) == "preorder";
    (sold ? delta.committed : delta.reserved) += take;
    if (preordered) preorder_delta -= take;
    entries.push_back({.item_id = item_id,
                       .location_id = location_id,
                       .kind = MovementKind::kAllocate,
                       .reserved_delta = sold ? 0 : take,
                       .committed_delta = sold ? take : 0,
                       .preorder_delta = preordered ? -take : 0,
                       .reason = row.Text(2),
                       .actor = actor,
                       .reservation_key = row.Text(5)});
  }
  if (entries.empty()) return std::int64_t{0};
  if (!emptied.empty()) {
    Params params{shop_id};
    params.insert(params.end(), emptied.begin(), emptied.end());
    PLAZA_TRY(tx.Execute(
        "DELETE FROM inventory_allocations WHERE shop_id = ? AND id IN (" + store::Placeholders(emptied.size()) + ")",
        params));
  }
  if (partial) {
    PLAZA_TRY(tx.Execute("UPDATE inventory_allocations SET quantity = quantity - ? WHERE shop_id = ? AND id = ?",
                         {partial->second, shop_id, partial->first}));
  }
  PLAZA_TRY(tx.Execute(insert, insert_params));
  PLAZA_ASSIGN_OR_RETURN(const bool levels_applied, ApplyLevelDeltas(tx, shop_id, {delta}));
  PLAZA_ASSIGN_OR_RETURN(const bool preorders_applied, ApplyPreorderDeltas(tx, shop_id, {{item_id, preorder_delta}}));
  if (!levels_applied || !preorders_applied) {
    return Error::Internal("stored levels disagree with the allocations of item " + std::to_string(item_id) +
                           "; run plaza inventory check");
  }
  PLAZA_TRY(AppendLedger(tx, shop_id, entries, now));
  return units - left;
}

}  // namespace internal

}  // namespace plaza::inventory
