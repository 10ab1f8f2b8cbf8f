#include "plaza/inventory/inventory.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "internal.h"

namespace plaza::inventory {

using internal::CheckQuantity;
using internal::CheckText;
using internal::Params;

namespace {

constexpr std::array<SalesChannel, 7> kChannels = {
    SalesChannel::kOnlineStore, SalesChannel::kMeta, SalesChannel::kTiktok, SalesChannel::kPinterest,
    SalesChannel::kGoogle,      SalesChannel::kLive, SalesChannel::kPos};

constexpr std::string_view kLocationColumns = "id, shop_id, name, priority, active, created_at, updated_at";
constexpr std::string_view kItemColumns =
    "id, shop_id, sku, allow_backorder, low_stock_threshold, preorder_arrival_at, preorder_cap, preorder_used,"
    " created_at, updated_at";

Location LocationFromRow(const store::Row& row) {
  return {.id = row.Int(0),
          .shop_id = row.Int(1),
          .name = row.Text(2),
          .priority = static_cast<int>(row.Int(3)),
          .active = row.Bool(4),
          .created_at = FromUnixMillis(row.Int(5)),
          .updated_at = FromUnixMillis(row.Int(6))};
}

Item ItemFromRow(const store::Row& row) {
  Item item{.id = row.Int(0),
            .shop_id = row.Int(1),
            .sku = row.Text(2),
            .allow_backorder = row.Bool(3),
            .low_stock_threshold = row.OptionalInt(4),
            .created_at = FromUnixMillis(row.Int(8)),
            .updated_at = FromUnixMillis(row.Int(9))};
  if (!row.IsNull(5)) {
    item.preorder = Preorder{.arrival = FromUnixMillis(row.Int(5)), .cap = row.Int(6), .used = row.Int(7)};
  }
  return item;
}

Level LevelFromRow(const store::Row& row) {
  return {.item_id = row.Int(0),
          .location_id = row.Int(1),
          .on_hand = row.Int(2),
          .reserved = row.Int(3),
          .committed = row.Int(4)};
}

Result<Location> LoadLocation(store::Transaction& tx, std::int64_t shop_id, std::int64_t location_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kLocationColumns) +
                                                   " FROM inventory_locations WHERE shop_id = ? AND id = ?",
                                               {shop_id, location_id}));
  if (!row) return Error::NotFound("location not found");
  return LocationFromRow(*row);
}

Result<Item> LoadItem(store::Transaction& tx, std::int64_t shop_id, std::int64_t item_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kItemColumns) +
                                                   " FROM inventory_items WHERE shop_id = ? AND id = ?",
                                               {shop_id, item_id}));
  if (!row) return Error::NotFound("item not found");
  return ItemFromRow(*row);
}

Result<Level> LoadLevel(store::Transaction& tx, std::int64_t shop_id, std::int64_t item_id, std::int64_t location_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT item_id, location_id, on_hand, reserved, committed"
                                               " FROM inventory_levels WHERE shop_id = ? AND item_id = ?"
                                               " AND location_id = ?",
                                               {shop_id, item_id, location_id}));
  if (!row) return Level{.item_id = item_id, .location_id = location_id};
  return LevelFromRow(*row);
}

Result<VariantStock> LoadVariant(store::Transaction& tx, std::int64_t shop_id, std::int64_t variant_id) {
  PLAZA_ASSIGN_OR_RETURN(auto variant, tx.QueryOne("SELECT max_per_order FROM inventory_variants"
                                                   " WHERE shop_id = ? AND variant_id = ?",
                                                   {shop_id, variant_id}));
  if (!variant) return Error::NotFound("variant has no inventory");
  VariantStock stock{.variant_id = variant_id, .max_per_order = variant->OptionalInt(0)};
  PLAZA_ASSIGN_OR_RETURN(auto components, tx.Execute("SELECT item_id, quantity FROM inventory_components"
                                                     " WHERE shop_id = ? AND variant_id = ? ORDER BY item_id",
                                                     {shop_id, variant_id}));
  for (const store::Row& row : components.rows) {
    stock.components.push_back({.item_id = row.Int(0), .quantity = row.Int(1)});
  }
  return stock;
}

Status CheckSku(const std::string& sku) {
  return CheckText(sku, "/sku", false);
}

store::Param SkuParam(const std::string& sku) {
  return sku.empty() ? store::Param(nullptr) : store::Param(sku);
}

Error SkuTaken() {
  Error error = Error::Conflict("inventory/sku-taken", "another item of this shop has this SKU");
  error.field = "/sku";
  return error;
}

Status CheckMovement(const Movement& movement) {
  PLAZA_TRY(CheckText(movement.reason, "/reason"));
  return CheckText(movement.actor, "/actor");
}

}  // namespace

std::string_view ChannelName(SalesChannel channel) {
  switch (channel) {
    case SalesChannel::kOnlineStore:
      return "online_store";
    case SalesChannel::kMeta:
      return "meta";
    case SalesChannel::kTiktok:
      return "tiktok";
    case SalesChannel::kPinterest:
      return "pinterest";
    case SalesChannel::kGoogle:
      return "google";
    case SalesChannel::kLive:
      return "live";
    case SalesChannel::kPos:
      return "pos";
  }
  return "online_store";
}

std::optional<SalesChannel> ParseChannel(std::string_view name) {
  for (const SalesChannel channel : kChannels) {
    if (ChannelName(channel) == name) return channel;
  }
  return std::nullopt;
}

std::span<const SalesChannel> AllChannels() {
  return kChannels;
}

std::string_view MovementKindName(MovementKind kind) {
  switch (kind) {
    case MovementKind::kReceive:
      return "receive";
    case MovementKind::kAdjust:
      return "adjust";
    case MovementKind::kTransferOut:
      return "transfer_out";
    case MovementKind::kTransferIn:
      return "transfer_in";
    case MovementKind::kReserve:
      return "reserve";
    case MovementKind::kRelease:
      return "release";
    case MovementKind::kSell:
      return "sell";
    case MovementKind::kCancel:
      return "cancel";
    case MovementKind::kFulfil:
      return "fulfil";
    case MovementKind::kReturn:
      return "return";
    case MovementKind::kWriteOff:
      return "write_off";
    case MovementKind::kAllocate:
      return "allocate";
  }
  return "adjust";
}

namespace {
MovementKind ParseMovementKind(std::string_view name) {
  for (int kind_idx = 0; kind_idx <= static_cast<int>(MovementKind::kAllocate); ++kind_idx) {
    const auto kind = static_cast<MovementKind>(kind_idx);
    if (MovementKindName(kind) == name) return kind;
  }
  return MovementKind::kAdjust;
}
}  // namespace

std::string_view ReservationStateName(ReservationState state) {
  switch (state) {
    case ReservationState::kActive:
      return "active";
    case ReservationState::kReleased:
      return "released";
    case ReservationState::kExpired:
      return "expired";
    case ReservationState::kConverted:
      return "converted";
    case ReservationState::kCancelled:
      return "cancelled";
    case ReservationState::kFulfilled:
      return "fulfilled";
  }
  return "active";
}

std::string_view AllocationSourceName(AllocationSource source) {
  switch (source) {
    case AllocationSource::kStock:
      return "stock";
    case AllocationSource::kPreorder:
      return "preorder";
    case AllocationSource::kBackorder:
      return "backorder";
  }
  return "stock";
}

std::string_view StockStateName(StockState state) {
  switch (state) {
    case StockState::kInStock:
      return "in_stock";
    case StockState::kLowStock:
      return "low_stock";
    case StockState::kOutOfStock:
      return "out_of_stock";
    case StockState::kPreorder:
      return "preorder";
    case StockState::kBackorder:
      return "backorder";
  }
  return "out_of_stock";
}

InventoryService::InventoryService(store::Database& db, const Clock& clock, InventorySettings settings)
    : db_(db), clock_(clock), settings_(settings) {}

// ---- locations ----------------------------------------------------------------------

Result<Location> InventoryService::CreateLocation(std::int64_t shop_id, const NewLocation& input) {
  PLAZA_TRY(CheckText(input.name, "/name"));
  const std::int64_t now = ToUnixMillis(clock_.Now());
  return db_.Write([&](store::Transaction& tx) -> Result<Location> {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("INSERT INTO inventory_locations (shop_id, name, priority, active,"
                                                 " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING " +
                                                     std::string(kLocationColumns),
                                                 {shop_id, input.name, input.priority, input.active, now, now}));
    return LocationFromRow(*row);
  });
}

Result<std::vector<Location>> InventoryService::ListLocations(std::int64_t shop_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Location>> {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT " + std::string(kLocationColumns) +
                                                       " FROM inventory_locations WHERE shop_id = ?"
                                                       " ORDER BY priority, id",
                                                   {shop_id}));
    std::vector<Location> locations;
    for (const store::Row& row : result.rows) locations.push_back(LocationFromRow(row));
    return locations;
  });
}

Result<Location> InventoryService::GetLocation(std::int64_t shop_id, std::int64_t location_id) {
  return db_.Read([&](store::Transaction& tx) { return LoadLocation(tx, shop_id, location_id); });
}

Result<Location> InventoryService::UpdateLocation(std::int64_t shop_id, std::int64_t location_id,
                                                  const LocationUpdate& update) {
  if (update.name) PLAZA_TRY(CheckText(*update.name, "/name"));
  const std::int64_t now = ToUnixMillis(clock_.Now());
  return db_.Write([&](store::Transaction& tx) -> Result<Location> {
    PLAZA_ASSIGN_OR_RETURN(Location location, LoadLocation(tx, shop_id, location_id));
    if (update.name) location.name = *update.name;
    if (update.priority) location.priority = *update.priority;
    if (update.active) location.active = *update.active;
    PLAZA_TRY(
        tx.Execute("UPDATE inventory_locations SET name = ?, priority = ?, active = ?, updated_at = ?"
                   " WHERE shop_id = ? AND id = ?",
                   {location.name, location.priority, location.active, now, shop_id, location_id}));
    if (update.active) {
      PLAZA_ASSIGN_OR_RETURN(auto stocked, tx.Execute("SELECT item_id FROM inventory_levels WHERE shop_id = ?"
                                                      " AND location_id = ? ORDER BY item_id",
                                                      {shop_id, location_id}));
      std::vector<std::int64_t> item_ids;
      for (const store::Row& row : stocked.rows) item_ids.push_back(row.Int(0));
      // Bounded batches keep each IN list short for a location holding many items.
      for (std::size_t from = 0; from < item_ids.size(); from += kMaxAvailabilityBatch) {
        const std::size_t to = std::min(item_ids.size(), from + kMaxAvailabilityBatch);
        const std::vector<std::int64_t> batch(item_ids.begin() + static_cast<std::ptrdiff_t>(from),
                                              item_ids.begin() + static_cast<std::ptrdiff_t>(to));
        PLAZA_TRY(internal::PublishStockStates(tx, shop_id, batch, settings_.low_stock_threshold, FromUnixMillis(now)));
      }
    }
    location.updated_at = FromUnixMillis(now);
    return location;
  });
}

Status InventoryService::DeleteLocation(std::int64_t shop_id, std::int64_t location_id) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(LoadLocation(tx, shop_id, location_id));
    PLAZA_ASSIGN_OR_RETURN(auto used, tx.QueryOne("SELECT COUNT(*) FROM inventory_levels WHERE shop_id = ?"
                                                  " AND location_id = ? AND (on_hand > 0 OR reserved > 0"
                                                  " OR committed > 0)",
                                                  {shop_id, location_id}));
    if (used && used->Int(0) > 0) {
      return Error::Conflict("inventory/location-in-use", "move or adjust the stock at this location first");
    }
    // Empty level rows go with the location; the ledger keeps its history by id.
    PLAZA_TRY(tx.Execute("DELETE FROM inventory_levels WHERE shop_id = ? AND location_id = ?", {shop_id, location_id}));
    PLAZA_TRY(tx.Execute("DELETE FROM inventory_locations WHERE shop_id = ? AND id = ?", {shop_id, location_id}));
    return Ok();
  });
}

// ---- items --------------------------------------------------------------------------

Result<Item> InventoryService::CreateItem(std::int64_t shop_id, const NewItem& input) {
  PLAZA_TRY(CheckSku(input.sku));
  if (input.low_stock_threshold && (*input.low_stock_threshold < 0 || *input.low_stock_threshold > kMaxQuantity)) {
    return Error::Invalid("inventory/invalid-input", "a threshold is from 0 to " + std::to_string(kMaxQuantity),
                          "/low_stock_threshold");
  }
  const std::int64_t now = ToUnixMillis(clock_.Now());
  auto created = db_.Write([&](store::Transaction& tx) -> Result<Item> {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("INSERT INTO inventory_items (shop_id, sku, allow_backorder,"
                                                 " low_stock_threshold, created_at, updated_at)"
                                                 " VALUES (?, ?, ?, ?, ?, ?) RETURNING " +
                                                     std::string(kItemColumns),
                                                 {shop_id, SkuParam(input.sku), input.allow_backorder,
                                                  input.low_stock_threshold, now, now}));
    return ItemFromRow(*row);
  });
  if (!created.ok() && created.error().type == "db/unique-violation") return SkuTaken();
  return created;
}

Result<Item> InventoryService::GetItem(std::int64_t shop_id, std::int64_t item_id) {
  return db_.Read([&](store::Transaction& tx) { return LoadItem(tx, shop_id, item_id); });
}

Result<std::vector<Item>> InventoryService::ListItems(std::int64_t shop_id, std::int64_t after_id, int limit) {
  limit = std::clamp(limit, 1, kMaxLedgerPage);
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Item>> {
    PLAZA_ASSIGN_OR_RETURN(auto result,
                           tx.Execute("SELECT " + std::string(kItemColumns) +
                                          " FROM inventory_items WHERE shop_id = ? AND id > ? ORDER BY id LIMIT ?",
                                      {shop_id, after_id, limit}));
    std::vector<Item> items;
    for (const store::Row& row : result.rows) items.push_back(ItemFromRow(row));
    return items;
  });
}

Result<Item> InventoryService::UpdateItem(std::int64_t shop_id, std::int64_t item_id, const ItemUpdate& update) {
  if (update.sku) PLAZA_TRY(CheckSku(*update.sku));
  if (update.low_stock_threshold && *update.low_stock_threshold &&
      (**update.low_stock_threshold < 0 || **update.low_stock_threshold > kMaxQuantity)) {
    return Error::Invalid("inventory/invalid-input", "a threshold is from 0 to " + std::to_string(kMaxQuantity),
                          "/low_stock_threshold");
  }
  const std::int64_t now = ToUnixMillis(clock_.Now());
  auto updated = db_.Write([&](store::Transaction& tx) -> Result<Item> {
    PLAZA_ASSIGN_OR_RETURN(Item item, LoadItem(tx, shop_id, item_id));
    if (update.sku) item.sku = *update.sku;
    if (update.allow_backorder) item.allow_backorder = *update.allow_backorder;
    if (update.low_stock_threshold) item.low_stock_threshold = *update.low_stock_threshold;
    PLAZA_TRY(
        tx.Execute("UPDATE inventory_items SET sku = ?, allow_backorder = ?, low_stock_threshold = ?,"
                   " updated_at = ? WHERE shop_id = ? AND id = ?",
                   {SkuParam(item.sku), item.allow_backorder, item.low_stock_threshold, now, shop_id, item_id}));
    PLAZA_TRY(internal::PublishStockStates(tx, shop_id, {item_id}, settings_.low_stock_threshold, FromUnixMillis(now)));
    item.updated_at = FromUnixMillis(now);
    return item;
  });
  if (!updated.ok() && updated.error().type == "db/unique-violation") return SkuTaken();
  return updated;
}

Result<Item> InventoryService::SetPreorder(std::int64_t shop_id, std::int64_t item_id,
                                           const std::optional<PreorderSettings>& preorder) {
  if (preorder && (preorder->cap < 0 || preorder->cap > kMaxQuantity)) {
    return Error::Invalid("inventory/invalid-quantity", "a cap is from 0 to " + std::to_string(kMaxQuantity), "/cap");
  }
  const std::int64_t now = ToUnixMillis(clock_.Now());
  return db_.Write([&](store::Transaction& tx) -> Result<Item> {
    PLAZA_ASSIGN_OR_RETURN(Item item, LoadItem(tx, shop_id, item_id));
    const std::int64_t used = item.preorder ? item.preorder->used : 0;
    const std::int64_t cap = preorder ? preorder->cap : 0;
    if (cap < used) {
      Error error = Error::Conflict("inventory/preorder-in-use",
                                    std::to_string(used) + " units are already promised against this pre-order");
      error.field = "/cap";
      return error;
    }
    PLAZA_TRY(
        tx.Execute("UPDATE inventory_items SET preorder_arrival_at = ?, preorder_cap = ?, updated_at = ?"
                   " WHERE shop_id = ? AND id = ?",
                   {preorder ? store::Param(ToUnixMillis(preorder->arrival)) : store::Param(nullptr), cap, now, shop_id,
                    item_id}));
    PLAZA_TRY(internal::PublishStockStates(tx, shop_id, {item_id}, settings_.low_stock_threshold, FromUnixMillis(now)));
    item.preorder.reset();
    if (preorder) item.preorder = Preorder{.arrival = preorder->arrival, .cap = cap, .used = used};
    item.updated_at = FromUnixMillis(now);
    return item;
  });
}

// ---- variants -----------------------------------------------------------------------

Result<Item> InventoryService::EnsureVariantItem(std::int64_t shop_id, std::int64_t variant_id,
                                                 const std::string& sku) {
  PLAZA_TRY(CheckSku(sku));
  if (variant_id <= 0) return Error::Invalid("inventory/invalid-input", "a variant id is positive", "/variant_id");
  const std::int64_t now = ToUnixMillis(clock_.Now());
  auto ensured = db_.Write([&](store::Transaction& tx) -> Result<Item> {
    PLAZA_ASSIGN_OR_RETURN(auto existing, tx.QueryOne("SELECT item_id FROM inventory_components WHERE shop_id = ?"
                                                      " AND variant_id = ? ORDER BY item_id",
                                                      {shop_id, variant_id}));
    if (existing) return LoadItem(tx, shop_id, existing->Int(0));
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("INSERT INTO inventory_items (shop_id, sku, created_at, updated_at)"
                                                 " VALUES (?, ?, ?, ?) RETURNING " +
                                                     std::string(kItemColumns),
                                                 {shop_id, SkuParam(sku), now, now}));
    Item item = ItemFromRow(*row);
    PLAZA_TRY(
        tx.Execute("INSERT INTO inventory_variants (shop_id, variant_id) VALUES (?, ?)"
                   " ON CONFLICT (shop_id, variant_id) DO NOTHING",
                   {shop_id, variant_id}));
    PLAZA_TRY(
        tx.Execute("INSERT INTO inventory_components (shop_id, variant_id, item_id, quantity)"
                   " VALUES (?, ?, ?, 1)",
                   {shop_id, variant_id, item.id}));
    return item;
  });
  if (!ensured.ok() && ensured.error().type == "db/unique-violation") return SkuTaken();
  return ensured;
}

Result<VariantStock> InventoryService::SetVariantComponents(std::int64_t shop_id, std::int64_t variant_id,
                                                            const std::vector<Component>& components) {
  if (variant_id <= 0) return Error::Invalid("inventory/invalid-input", "a variant id is positive", "/variant_id");
  if (components.empty() || components.size() > kMaxComponents) {
    return Error::Invalid("inventory/invalid-input",
                          "a variant has from 1 to " + std::to_string(kMaxComponents) + " components", "/components");
  }
  std::vector<std::int64_t> item_ids;
  for (std::size_t component_idx = 0; component_idx < components.size(); ++component_idx) {
    const Component& component = components[component_idx];
    const std::string field = "/components/" + std::to_string(component_idx);
    PLAZA_TRY(CheckQuantity(component.quantity, field + "/quantity"));
    if (std::find(item_ids.begin(), item_ids.end(), component.item_id) != item_ids.end()) {
      return Error::Invalid("inventory/invalid-input", "an item appears twice", field + "/item_id");
    }
    item_ids.push_back(component.item_id);
  }
  return db_.Write([&](store::Transaction& tx) -> Result<VariantStock> {
    Params params{shop_id};
    params.insert(params.end(), item_ids.begin(), item_ids.end());
    PLAZA_ASSIGN_OR_RETURN(auto found, tx.Execute("SELECT id FROM inventory_items WHERE shop_id = ? AND id IN (" +
                                                      store::Placeholders(item_ids.size()) + ")",
                                                  params));
    for (std::size_t component_idx = 0; component_idx < item_ids.size(); ++component_idx) {
      const bool present = std::any_of(found.rows.begin(), found.rows.end(),
                                       [&](const store::Row& row) { return row.Int(0) == item_ids[component_idx]; });
      if (!present) {
        Error error = Error::NotFound("item not found");
        error.field = "/components/" + std::to_string(component_idx) + "/item_id";
        return error;
      }
    }
    PLAZA_TRY(
        tx.Execute("INSERT INTO inventory_variants (shop_id, variant_id) VALUES (?, ?)"
                   " ON CONFLICT (shop_id, variant_id) DO NOTHING",
                   {shop_id, variant_id}));
    PLAZA_TRY(
        tx.Execute("DELETE FROM inventory_components WHERE shop_id = ? AND variant_id = ?", {shop_id, variant_id}));
    std::string sql = "INSERT INTO inventory_components (shop_id, variant_id, item_id, quantity) VALUES ";
    Params insert;
    for (std::size_t component_idx = 0; component_idx < components.size(); ++component_idx) {
      sql += component_idx == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)";
      insert.insert(insert.end(),
                    {shop_id, variant_id, components[component_idx].item_id, components[component_idx].quantity});
    }
    PLAZA_TRY(tx.Execute(sql, insert));
    return LoadVariant(tx, shop_id, variant_id);
  });
}

Result<VariantStock> InventoryService::GetVariant(std::int64_t shop_id, std::int64_t variant_id) {
  return db_.Read([&](store::Transaction& tx) { return LoadVariant(tx, shop_id, variant_id); });
}

Result<VariantStock> InventoryService::SetMaxPerOrder(std::int64_t shop_id, std::int64_t variant_id,
                                                      std::optional<std::int64_t> max_per_order) {
  if (max_per_order) PLAZA_TRY(CheckQuantity(*max_per_order, "/max_per_order"));
  return db_.Write([&](store::Transaction& tx) -> Result<VariantStock> {
    PLAZA_TRY(LoadVariant(tx, shop_id, variant_id));
    PLAZA_TRY(tx.Execute("UPDATE inventory_variants SET max_per_order = ? WHERE shop_id = ? AND variant_id = ?",
                         {max_per_order, shop_id, variant_id}));
    return LoadVariant(tx, shop_id, variant_id);
  });
}

// ---- levels and movements -------------------------------------------------------------

Result<std::vector<Level>> InventoryService::ItemLevels(std::int64_t shop_id, std::int64_t item_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Level>> {
    PLAZA_TRY(LoadItem(tx, shop_id, item_id));
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT l.item_id, l.location_id, l.on_hand, l.reserved,"
                                                   " l.committed FROM inventory_levels l JOIN inventory_locations loc"
                                                   " ON loc.id = l.location_id AND loc.shop_id = l.shop_id"
                                                   " WHERE l.shop_id = ? AND l.item_id = ?"
                                                   " ORDER BY loc.priority, loc.id",
                                                   {shop_id, item_id}));
    std::vector<Level> levels;
    for (const store::Row& row : result.rows) levels.push_back(LevelFromRow(row));
    return levels;
  });
}

Result<std::vector<Level>> InventoryService::LocationLevels(std::int64_t shop_id, std::int64_t location_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Level>> {
    PLAZA_TRY(LoadLocation(tx, shop_id, location_id));
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT item_id, location_id, on_hand, reserved, committed"
                                                   " FROM inventory_levels WHERE shop_id = ? AND location_id = ?"
                                                   " ORDER BY item_id",
                                                   {shop_id, location_id}));
    std::vector<Level> levels;
    for (const store::Row& row : result.rows) levels.push_back(LevelFromRow(row));
    return levels;
  });
}

Result<Level> InventoryService::Receive(std::int64_t shop_id, const Movement& movement) {
  PLAZA_TRY(CheckQuantity(movement.quantity, "/quantity"));
  PLAZA_TRY(CheckMovement(movement));
  return MoveOnHand(shop_id, movement, MovementKind::kReceive);
}

Result<Level> InventoryService::Adjust(std::int64_t shop_id, const Movement& movement) {
  if (movement.quantity == 0 || movement.quantity > kMaxQuantity || movement.quantity < -kMaxQuantity) {
    return Error::Invalid(
        "inventory/invalid-quantity",
        "an adjustment is a non-zero whole number of at most " + std::to_string(kMaxQuantity) + " units either way",
        "/quantity");
  }
  PLAZA_TRY(CheckMovement(movement));
  return MoveOnHand(shop_id, movement, MovementKind::kAdjust);
}

Result<Level> InventoryService::MoveOnHand(std::int64_t shop_id, const Movement& movement, MovementKind kind) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Level> {
    PLAZA_TRY(LoadItem(tx, shop_id, movement.item_id));
    PLAZA_TRY(LoadLocation(tx, shop_id, movement.location_id));
    PLAZA_TRY(internal::EnsureLevels(tx, shop_id, {{movement.item_id, movement.location_id}}));
    PLAZA_ASSIGN_OR_RETURN(
        const bool applied,
        internal::ApplyLevelDeltas(
            tx, shop_id,
            {{.item_id = movement.item_id, .location_id = movement.location_id, .on_hand = movement.quantity}}));
    if (!applied && kind == MovementKind::kReceive) {
      return Error::Conflict("inventory/level-limit", "the level cannot take this many units");
    }
    if (!applied) {
      return internal::InsufficientStock("an adjustment may not take on hand below reserved plus committed units",
                                         "/quantity");
    }
    PLAZA_TRY(internal::AppendLedger(tx, shop_id,
                                     {{.item_id = movement.item_id,
                                       .location_id = movement.location_id,
                                       .kind = kind,
                                       .on_hand_delta = movement.quantity,
                                       .reason = movement.reason,
                                       .actor = movement.actor}},
                                     now));
    std::int64_t allocated = 0;
    if (kind == MovementKind::kReceive) {
      PLAZA_ASSIGN_OR_RETURN(allocated, internal::AllocateOwed(tx, shop_id, movement.item_id, movement.location_id,
                                                               movement.quantity, movement.actor, now));
    }
    PLAZA_ASSIGN_OR_RETURN(Level level, LoadLevel(tx, shop_id, movement.item_id, movement.location_id));
    boost::json::object payload{{"item_id", movement.item_id},   {"location_id", movement.location_id},
                                {"quantity", movement.quantity}, {"reason", movement.reason},
                                {"actor", movement.actor},       {"on_hand", level.on_hand},
                                {"available", level.available()}};
    if (kind == MovementKind::kReceive) payload["allocated_to_reservations"] = allocated;
    PLAZA_TRY(internal::AppendItemEvent(tx, shop_id, movement.item_id,
                                        kind == MovementKind::kReceive ? "inventory.received" : "inventory.adjusted",
                                        boost::json::serialize(payload), now));
    PLAZA_TRY(internal::PublishStockStates(tx, shop_id, {movement.item_id}, settings_.low_stock_threshold, now));
    return level;
  });
}

Status InventoryService::TransferStock(std::int64_t shop_id, const Transfer& transfer) {
  PLAZA_TRY(CheckQuantity(transfer.quantity, "/quantity"));
  PLAZA_TRY(CheckText(transfer.reason, "/reason"));
  PLAZA_TRY(CheckText(transfer.actor, "/actor"));
  if (transfer.from_location_id == transfer.to_location_id) {
    return Error::Invalid("inventory/invalid-input", "a transfer needs two different locations", "/to_location_id");
  }
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(LoadItem(tx, shop_id, transfer.item_id));
    PLAZA_TRY(LoadLocation(tx, shop_id, transfer.from_location_id));
    PLAZA_TRY(LoadLocation(tx, shop_id, transfer.to_location_id));
    PLAZA_TRY(internal::EnsureLevels(
        tx, shop_id, {{transfer.item_id, transfer.from_location_id}, {transfer.item_id, transfer.to_location_id}}));
    PLAZA_ASSIGN_OR_RETURN(
        const bool applied,
        internal::ApplyLevelDeltas(
            tx, shop_id,
            {{.item_id = transfer.item_id, .location_id = transfer.from_location_id, .on_hand = -transfer.quantity},
             {.item_id = transfer.item_id, .location_id = transfer.to_location_id, .on_hand = transfer.quantity}}));
    if (!applied) return internal::InsufficientStock("not enough available at the source location", "/quantity");
    PLAZA_TRY(internal::AppendItemEvent(
        tx, shop_id, transfer.item_id, "inventory.transferred",
        boost::json::serialize(boost::json::object{{"item_id", transfer.item_id},
                                                   {"from_location_id", transfer.from_location_id},
                                                   {"to_location_id", transfer.to_location_id},
                                                   {"quantity", transfer.quantity},
                                                   {"reason", transfer.reason},
                                                   {"actor", transfer.actor}}),
        now));
    // Both locations count toward the item's state only while active, so moving units
    // into or out of an inactive location changes what buyers see.
    PLAZA_TRY(internal::PublishStockStates(tx, shop_id, {transfer.item_id}, settings_.low_stock_threshold, now));
    return internal::AppendLedger(tx, shop_id,
                                  {{.item_id = transfer.item_id,
                                    .location_id = transfer.from_location_id,
                                    .kind = MovementKind::kTransferOut,
                                    .on_hand_delta = -transfer.quantity,
                                    .reason = transfer.reason,
                                    .actor = transfer.actor},
                                   {.item_id = transfer.item_id,
                                    .location_id = transfer.to_location_id,
                                    .kind = MovementKind::kTransferIn,
                                    .on_hand_delta = transfer.quantity,
                                    .reason = transfer.reason,
                                    .actor = transfer.actor}},
                                  now);
  });
}

// ---- buffers ------------------------------------------------------------------------

Result<Buffer> InventoryService::CreateBuffer(std::int64_t shop_id, const NewBuffer& input) {
  if (input.channels.empty()) {
    return Error::Invalid("inventory/invalid-input", "a buffer applies to at least one channel", "/channels");
  }
  if (input.quantity < 0 || input.quantity > kMaxQuantity) return internal::InvalidQuantity("/quantity");
  return db_.Write([&](store::Transaction& tx) -> Result<Buffer> {
    PLAZA_TRY(LoadItem(tx, shop_id, input.item_id));
    const std::string channels = internal::EncodeChannels(input.channels);
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("INSERT INTO inventory_buffers (shop_id, item_id, channels, quantity)"
                                                 " VALUES (?, ?, ?, ?) RETURNING id",
                                                 {shop_id, input.item_id, channels, input.quantity}));
    return Buffer{.id = row->Int(0),
                  .item_id = input.item_id,
                  .channels = internal::DecodeChannels(channels),
                  .quantity = input.quantity};
  });
}

Result<std::vector<Buffer>> InventoryService::ListBuffers(std::int64_t shop_id, std::optional<std::int64_t> item_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Buffer>> {
    PLAZA_ASSIGN_OR_RETURN(auto result,
                           tx.Execute("SELECT id, item_id, channels, quantity FROM inventory_buffers"
                                      " WHERE shop_id = ? AND (CAST(? AS BIGINT) IS NULL OR item_id = ?) ORDER BY id",
                                      {shop_id, item_id, item_id}));
    std::vector<Buffer> buffers;
    for (const store::Row& row : result.rows) {
      buffers.push_back({.id = row.Int(0),
                         .item_id = row.Int(1),
                         .channels = internal::DecodeChannels(row.Text(2)),
                         .quantity = row.Int(3)});
    }
    return buffers;
  });
}

Status InventoryService::DeleteBuffer(std::int64_t shop_id, std::int64_t buffer_id) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(
        auto result, tx.Execute("DELETE FROM inventory_buffers WHERE shop_id = ? AND id = ?", {shop_id, buffer_id}));
    if (result.affected_rows == 0) return Error::NotFound("buffer not found");
    return Ok();
  });
}

// ---- ledger ---------------------------------------------------------------------------

Result<std::vector<LedgerEntry>> InventoryService::ListLedger(std::int64_t shop_id, const LedgerQuery& query) {
  const int limit = std::clamp(query.limit, 1, kMaxLedgerPage);
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<LedgerEntry>> {
    PLAZA_ASSIGN_OR_RETURN(
        auto result,
        tx.Execute("SELECT id, item_id, location_id, kind, on_hand_delta, reserved_delta, committed_delta,"
                   " preorder_delta, reason, actor, reservation_key, at FROM inventory_ledger WHERE shop_id = ?"
                   " AND (CAST(? AS BIGINT) IS NULL OR item_id = ?) AND (CAST(? AS BIGINT) IS NULL OR location_id = ?) "
                   "AND (? = 0 OR id < ?)"
                   " ORDER BY id DESC LIMIT ?",
                   {shop_id, query.item_id, query.item_id, query.location_id, query.location_id, query.before_id,
                    query.before_id, limit}));
    std::vector<LedgerEntry> entries;
    for (const store::Row& row : result.rows) {
      entries.push_back({.id = row.Int(0),
                         .item_id = row.Int(1),
                         .location_id = row.OptionalInt(2),
                         .kind = ParseMovementKind(row.Text(3)),
                         .on_hand_delta = row.Int(4),
                         .reserved_delta = row.Int(5),
                         .committed_delta = row.Int(6),
                         .preorder_delta = row.Int(7),
                         .reason = row.Text(8),
                         .actor = row.Text(9),
                         .reservation_key = row.Text(10),
                         .at = FromUnixMillis(row.Int(11))});
    }
    return entries;
  });
}

Result<LedgerReport> InventoryService::CheckLedger(std::optional<std::int64_t> shop_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<LedgerReport> {
    LedgerReport report;
    // Levels against the sums of their ledger rows, and ledger sums with no level row.
    PLAZA_ASSIGN_OR_RETURN(
        auto levels,
        tx.Execute("SELECT l.shop_id, l.item_id, l.location_id, l.on_hand, l.reserved, l.committed,"
                   " COALESCE(g.on_hand, 0), COALESCE(g.reserved, 0), COALESCE(g.committed, 0)"
                   " FROM inventory_levels l LEFT JOIN (SELECT shop_id, item_id, location_id,"
                   " SUM(on_hand_delta) AS on_hand, SUM(reserved_delta) AS reserved,"
                   " SUM(committed_delta) AS committed FROM inventory_ledger WHERE location_id IS NOT NULL"
                   " GROUP BY shop_id, item_id, location_id) g ON g.shop_id = l.shop_id AND g.item_id = l.item_id"
                   " AND g.location_id = l.location_id WHERE (CAST(? AS BIGINT) IS NULL OR l.shop_id = ?)"
                   " ORDER BY l.shop_id, l.item_id, l.location_id",
                   {shop_id, shop_id}));
    for (const store::Row& row : levels.rows) {
      ++report.levels_checked;
      const std::array<std::string_view, 3> fields = {"on_hand", "reserved", "committed"};
      for (std::size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
        const std::int64_t stored = row.Int(3 + field_idx);
        const std::int64_t ledger = row.Int(6 + field_idx);
        if (stored != ledger || stored < 0) {
          report.mismatches.push_back(
              {.shop_id = row.Int(0),
               .item_id = row.Int(1),
               .location_id = row.Int(2),
               .field = stored < 0 ? "negative_" + std::string(fields[field_idx]) : std::string(fields[field_idx]),
               .stored = stored,
               .ledger = ledger});
        }
      }
      if (row.Int(3) - row.Int(4) - row.Int(5) < 0) {
        report.mismatches.push_back({.shop_id = row.Int(0),
                                     .item_id = row.Int(1),
                                     .location_id = row.Int(2),
                                     .field = "negative_available",
                                     .stored = row.Int(3) - row.Int(4) - row.Int(5),
                                     .ledger = 0});
      }
    }
    PLAZA_ASSIGN_OR_RETURN(
        auto orphans,
        tx.Execute("SELECT g.shop_id, g.item_id, g.location_id, g.on_hand FROM (SELECT shop_id, item_id, location_id,"
                   " SUM(on_hand_delta) AS on_hand, SUM(reserved_delta) AS reserved, SUM(committed_delta) AS committed"
                   " FROM inventory_ledger WHERE location_id IS NOT NULL AND (CAST(? AS BIGINT) IS NULL OR shop_id = ?)"
                   " GROUP BY shop_id, item_id, location_id) g LEFT JOIN inventory_levels l ON l.shop_id = g.shop_id"
                   " AND l.item_id = g.item_id AND l.location_id = g.location_id"
                   " WHERE l.id IS NULL AND (g.on_hand <> 0 OR g.reserved <> 0 OR g.committed <> 0)",
                   {shop_id, shop_id}));
    for (const store::Row& row : orphans.rows) {
      report.mismatches.push_back({.shop_id = row.Int(0),
                                   .item_id = row.Int(1),
                                   .location_id = row.Int(2),
                                   .field = "missing_level",
                                   .stored = 0,
                                   .ledger = row.Int(3)});
    }
    PLAZA_ASSIGN_OR_RETURN(
        auto preorders,
        tx.Execute("SELECT i.shop_id, i.id, i.preorder_used, COALESCE(g.used, 0) FROM inventory_items i"
                   " LEFT JOIN (SELECT shop_id, item_id, SUM(preorder_delta) AS used FROM inventory_ledger"
                   " GROUP BY shop_id, item_id) g ON g.shop_id = i.shop_id AND g.item_id = i.id"
                   " WHERE (CAST(? AS BIGINT) IS NULL OR i.shop_id = ?) AND (i.preorder_used <> COALESCE(g.used, 0)"
                   " OR i.preorder_used < 0)",
                   {shop_id, shop_id}));
    for (const store::Row& row : preorders.rows) {
      report.mismatches.push_back({.shop_id = row.Int(0),
                                   .item_id = row.Int(1),
                                   .field = "preorder_used",
                                   .stored = row.Int(2),
                                   .ledger = row.Int(3)});
    }
    PLAZA_ASSIGN_OR_RETURN(
        auto count,
        tx.QueryOne("SELECT COUNT(*) FROM inventory_ledger WHERE (CAST(? AS BIGINT) IS NULL OR shop_id = ?)",
                    {shop_id, shop_id}));
    report.entries_checked = count ? count->Int(0) : 0;
    return report;
  });
}

}  // namespace plaza::inventory
