#pragma once
// Inventory: where stock is, how much of it may be sold on which channel, and who holds
// it. The part of Plaza that must never oversell (docs/inventory.md).
//
// Model
//   - Locations (warehouses, shops, a live-show table) belong to a shop; `priority`
//     (lower first, then id) decides which location a reservation draws on first.
//   - Items are what is counted. A catalog variant (an id owned by the catalog module) is
//     backed by one or more items, each with a quantity per unit of the variant; a kit
//     draws on the items it contains, so two lines sharing an item cannot oversell it.
//   - Levels, per item and location: on_hand, reserved, committed;
//     available = on_hand - reserved - committed (never below zero, enforced by
//     conditional UPDATEs and CHECK constraints on both engines).
//   - Buffers hold units of an item back from a set of channels; available for a channel
//     is the sum over active locations minus every buffer that applies to the channel.
//   - Reservations hold stock for a time-to-live under a caller-supplied key; they are
//     released, expired, or converted (committed to an order). Every function taking a
//     key is idempotent for that key.
//   - The ledger records every movement with reason, actor and time; CheckLedger proves
//     the stored levels equal the ledger sums.
//
// Tenant isolation: every function takes the acting shop and every query filters by it;
// another shop's location, item, variant or reservation is reported as not found.
//
// Transactions: the functions checkout composes (Reserve, Convert, Release, Cancel,
// Fulfil, Restock) have an overload taking the caller's `store::Transaction&` (REQUIRES: a write
// transaction) and one that opens its own. Statement counts per call are bounded
// independent of the number of lines; they are listed in docs/inventory.md.
//
// Errors ("type" slugs clients may match on):
//   inventory/invalid-quantity   quantity <= 0 or > kMaxQuantity (field names the line)
//   inventory/too-many-lines     more than kMaxLines lines
//   inventory/unknown-variant    a variant without items (field names the line)
//   inventory/unknown-channel    a channel name not in the list below
//   inventory/insufficient-stock not enough available for the channel (field names the line)
//   inventory/per-order-limit    a line above the variant's max_per_order
//   inventory/key-reused         a reservation key reused for different lines
//   inventory/reservation-closed extend/convert of a released or expired reservation
//   inventory/invalid-input      other malformed input (field says where)
//   not found (kNotFound)        unknown or foreign location, item, variant, reservation
//
// Thread-safety: an InventoryService may be used from any number of threads.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::inventory {

// Bounds on outside input. A larger quantity is a typo or an attack, not an order, and
// keeps every sum far from int64 overflow.
inline constexpr std::int64_t kMaxQuantity = 1'000'000'000;
// One reservation's lines; a cart larger than this is refused rather than slowing every
// writer behind it.
inline constexpr std::size_t kMaxLines = 250;
// Items one variant may be built from.
inline constexpr std::size_t kMaxComponents = 50;
// Variants per availability request.
inline constexpr std::size_t kMaxAvailabilityBatch = 500;
// Ledger page bound.
inline constexpr int kMaxLedgerPage = 500;
// Longest accepted reservation key, SKU, name, reason or actor.
inline constexpr std::size_t kMaxTextLength = 200;
// Longest reservation time-to-live; a hold longer than a day is a stock leak.
inline constexpr std::chrono::milliseconds kMaxReservationTtl = std::chrono::hours(24);

// Where a sale happens. Buffers and availability are per channel.
enum class SalesChannel { kOnlineStore, kMeta, kTiktok, kPinterest, kGoogle, kLive, kPos };
// "online_store", "meta", "tiktok", "pinterest", "google", "live", "pos".
std::string_view ChannelName(SalesChannel channel);
std::optional<SalesChannel> ParseChannel(std::string_view name);
std::span<const SalesChannel> AllChannels();

// ---- locations --------------------------------------------------------------------

struct Location {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string name{};
  int priority = 0;    // lower is drawn on first; ties by id
  bool active = true;  // inactive locations are neither sold from nor counted as available
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct NewLocation {
  std::string name{};
  int priority = 0;
  bool active = true;
};

struct LocationUpdate {
  std::optional<std::string> name{};
  std::optional<int> priority{};
  std::optional<bool> active{};
};

// ---- items and variants -----------------------------------------------------------

struct Preorder {
  TimePoint arrival{};    // when stock is expected; shown as preorder(date)
  std::int64_t cap = 0;   // units that may be promised beyond stock, in total
  std::int64_t used = 0;  // units promised so far (reserved or sold), <= cap
};

struct Item {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string sku{};             // unique per shop when not empty
  bool allow_backorder = false;  // sell beyond stock with no cap (after any pre-order)
  // Below or at this many available units the state is low_stock; nullopt uses the
  // shop's default (InventorySettings::low_stock_threshold).
  std::optional<std::int64_t> low_stock_threshold{};
  std::optional<Preorder> preorder{};
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct NewItem {
  std::string sku{};
  bool allow_backorder = false;
  std::optional<std::int64_t> low_stock_threshold{};
};

// Fields left empty are unchanged; pre-orders are set with SetPreorder.
struct ItemUpdate {
  std::optional<std::string> sku{};
  std::optional<bool> allow_backorder{};
  std::optional<std::optional<std::int64_t>> low_stock_threshold{};
};

struct PreorderSettings {
  TimePoint arrival{};
  std::int64_t cap = 0;  // must be >= units already promised
};

// One item in a variant, `quantity` units per unit of the variant.
struct Component {
  std::int64_t item_id = 0;
  std::int64_t quantity = 1;
};

struct VariantStock {
  std::int64_t variant_id = 0;
  std::vector<Component> components{};
  // At most this many units per reservation (a drop's per-order limit); nullopt = none.
  std::optional<std::int64_t> max_per_order{};
};

// ---- levels and movements ---------------------------------------------------------

struct Level {
  std::int64_t item_id = 0;
  std::int64_t location_id = 0;
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
  std::int64_t committed = 0;
  std::int64_t available() const { return on_hand - reserved - committed; }
};

// How the ledger names a movement ("receive", "adjust", …; see docs/inventory.md).
enum class MovementKind {
  kReceive,      // +on_hand
  kAdjust,       // ±on_hand (count correction, damage)
  kTransferOut,  // -on_hand at the source
  kTransferIn,   // +on_hand at the destination
  kReserve,      // +reserved
  kRelease,      // -reserved (release or expiry)
  kSell,         // -reserved +committed (conversion to an order)
  kCancel,       // -committed (order cancelled before shipping: back to available)
  kFulfil,       // -committed -on_hand (shipped)
  kReturn,       // +on_hand (returned and restocked)
  kWriteOff,     // returned without restocking; no level changes, recorded for audit
  kAllocate,     // received stock given to a pre-ordered or backordered reservation:
                 // +reserved (active) or +committed (sold) at the location, -preorder
};
std::string_view MovementKindName(MovementKind kind);

struct LedgerEntry {
  std::int64_t id = 0;
  std::int64_t item_id = 0;
  std::optional<std::int64_t> location_id{};  // none for pre-order/backorder promises
  MovementKind kind = MovementKind::kReceive;
  std::int64_t on_hand_delta = 0;
  std::int64_t reserved_delta = 0;
  std::int64_t committed_delta = 0;
  std::int64_t preorder_delta = 0;  // change of the item's promised pre-order units
  std::string reason{};
  std::string actor{};            // "staff:3", "system:expiry", "order:17"
  std::string reservation_key{};  // when the movement belongs to a reservation
  TimePoint at{};
};

struct LedgerQuery {
  std::optional<std::int64_t> item_id{};
  std::optional<std::int64_t> location_id{};
  std::int64_t before_id = 0;  // paging, newest first: the last id of the previous page
  int limit = 50;              // at most kMaxLedgerPage
};

// A stock change made by staff or an integration. `reason` and `actor` are required.
struct Movement {
  std::int64_t item_id = 0;
  std::int64_t location_id = 0;
  std::int64_t quantity = 0;  // Receive: > 0; Adjust: != 0 (negative removes)
  std::string reason{};
  std::string actor{};
};

struct Transfer {
  std::int64_t item_id = 0;
  std::int64_t from_location_id = 0;
  std::int64_t to_location_id = 0;
  std::int64_t quantity = 0;  // > 0, at most what is available at the source
  std::string reason{};
  std::string actor{};
};

// Units held back from `channels` (e.g. 5 units kept from the social channels).
struct Buffer {
  std::int64_t id = 0;
  std::int64_t item_id = 0;
  std::vector<SalesChannel> channels{};
  std::int64_t quantity = 0;
};

struct NewBuffer {
  std::int64_t item_id = 0;
  std::vector<SalesChannel> channels{};  // not empty
  std::int64_t quantity = 0;             // >= 0
};

// ---- reservations -----------------------------------------------------------------

struct Line {
  std::int64_t variant_id = 0;
  std::int64_t quantity = 0;
};

struct ReservationRequest {
  std::string key{};  // caller-chosen, unique per shop: the idempotency key
  SalesChannel channel = SalesChannel::kOnlineStore;
  std::vector<Line> lines{};
  std::chrono::milliseconds ttl = std::chrono::minutes(15);  // (0, kMaxReservationTtl]
  std::string actor{};                                       // "cart:abc", "live:12" …
};

enum class ReservationState { kActive, kReleased, kExpired, kConverted, kCancelled, kFulfilled };
// "active", "released", "expired", "converted", "cancelled", "fulfilled".
std::string_view ReservationStateName(ReservationState state);

// Where one item's units of a reservation were taken from.
enum class AllocationSource { kStock, kPreorder, kBackorder };
std::string_view AllocationSourceName(AllocationSource source);

struct Allocation {
  std::int64_t item_id = 0;
  std::optional<std::int64_t> location_id{};  // kStock only
  AllocationSource source = AllocationSource::kStock;
  std::int64_t quantity = 0;
};

struct Reservation {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string key{};
  SalesChannel channel = SalesChannel::kOnlineStore;
  ReservationState state = ReservationState::kActive;
  std::vector<Line> lines{};
  std::vector<Allocation> allocations{};  // by item, then location priority
  std::string order_ref{};                // set by Convert ("order:17")
  TimePoint expires_at{};
  TimePoint created_at{};
  TimePoint updated_at{};
};

// ---- availability -----------------------------------------------------------------

enum class StockState { kInStock, kLowStock, kOutOfStock, kPreorder, kBackorder };
// "in_stock", "low_stock", "out_of_stock", "preorder", "backorder".
std::string_view StockStateName(StockState state);

// What every surface (storefront, feeds, posts, live shows) shows for one variant on
// one channel.
struct Availability {
  std::int64_t variant_id = 0;
  StockState state = StockState::kOutOfStock;
  // Units of the variant sellable from stock on the channel now (0 when none); for
  // low_stock this is the n shown.
  std::int64_t available = 0;
  std::optional<TimePoint> preorder_arrival{};  // kPreorder
  std::int64_t preorder_remaining = 0;          // kPreorder: units still promisable
  std::optional<std::int64_t> max_per_order{};
};

// ---- ledger check -----------------------------------------------------------------

struct LedgerMismatch {
  std::int64_t shop_id = 0;
  std::int64_t item_id = 0;
  std::optional<std::int64_t> location_id{};  // none: the item's pre-order count
  std::string field{};                        // "on_hand", "reserved", "committed", "preorder_used", "negative"
  std::int64_t stored = 0;
  std::int64_t ledger = 0;
};

struct LedgerReport {
  std::int64_t levels_checked = 0;
  std::int64_t entries_checked = 0;
  std::vector<LedgerMismatch> mismatches{};
  bool ok() const { return mismatches.empty(); }
};

struct InventorySettings {
  // Default low-stock threshold for items without their own.
  std::int64_t low_stock_threshold = 5;
};

class InventoryService {
 public:
  // `db` and `clock` must outlive the service.
  InventoryService(store::Database& db, const Clock& clock, InventorySettings settings = {});

  // Locations.
  Result<Location> CreateLocation(std::int64_t shop_id, const NewLocation& input);
  Result<std::vector<Location>> ListLocations(std::int64_t shop_id);  // by priority, id
  Result<Location> GetLocation(std::int64_t shop_id, std::int64_t location_id);
  Result<Location> UpdateLocation(std::int64_t shop_id, std::int64_t location_id, const LocationUpdate& update);
  // kConflict ("inventory/location-in-use") while the location holds any stock.
  Status DeleteLocation(std::int64_t shop_id, std::int64_t location_id);

  // Items.
  Result<Item> CreateItem(std::int64_t shop_id, const NewItem& input);
  Result<Item> GetItem(std::int64_t shop_id, std::int64_t item_id);
  Result<std::vector<Item>> ListItems(std::int64_t shop_id, std::int64_t after_id = 0, int limit = 100);
  Result<Item> UpdateItem(std::int64_t shop_id, std::int64_t item_id, const ItemUpdate& update);
  // Sets (or with nullopt clears) the item's pre-order; the cap must cover units promised.
  Result<Item> SetPreorder(std::int64_t shop_id, std::int64_t item_id, const std::optional<PreorderSettings>& preorder);

  // Variants. The common case: a variant backed by exactly one item of its own, created
  // on first call (with `sku` when given), returned as is afterwards.
  Result<Item> EnsureVariantItem(std::int64_t shop_id, std::int64_t variant_id, const std::string& sku = {});
  // Replaces a variant's components (a kit); every item must exist in the shop.
  Result<VariantStock> SetVariantComponents(std::int64_t shop_id, std::int64_t variant_id,
                                            const std::vector<Component>& components);
  Result<VariantStock> GetVariant(std::int64_t shop_id, std::int64_t variant_id);
  // nullopt removes the limit.
  Result<VariantStock> SetMaxPerOrder(std::int64_t shop_id, std::int64_t variant_id,
                                      std::optional<std::int64_t> max_per_order);

  // Levels of one item at every location, or of every item at one location.
  Result<std::vector<Level>> ItemLevels(std::int64_t shop_id, std::int64_t item_id);
  Result<std::vector<Level>> LocationLevels(std::int64_t shop_id, std::int64_t location_id);

  // Staff movements, each one transaction and one ledger entry (two for a transfer),
  // each announced in the outbox ("inventory.received", "inventory.adjusted",
  // "inventory.transferred"). Received units go first to reservations still owed
  // pre-ordered or backordered units of the item, oldest reservation first (an
  // "allocate" ledger entry each), so new buyers never see units already promised.
  Result<Level> Receive(std::int64_t shop_id, const Movement& movement);
  // A negative adjustment may not take on_hand below reserved + committed.
  Result<Level> Adjust(std::int64_t shop_id, const Movement& movement);
  Status TransferStock(std::int64_t shop_id, const Transfer& transfer);

  // Buffers.
  Result<Buffer> CreateBuffer(std::int64_t shop_id, const NewBuffer& input);
  Result<std::vector<Buffer>> ListBuffers(std::int64_t shop_id, std::optional<std::int64_t> item_id = {});
  Status DeleteBuffer(std::int64_t shop_id, std::int64_t buffer_id);

  // Reservations. Reserve draws each item from stock at locations in priority order,
  // then from the pre-order cap, then (if allowed) as backorder; all lines or none.
  // The same key again with the same channel and lines returns the existing reservation
  // (whatever its state) and changes nothing; with other lines it is kConflict
  // "inventory/key-reused".
  Result<Reservation> Reserve(store::Transaction& tx, std::int64_t shop_id, const ReservationRequest& request);
  Result<Reservation> Reserve(std::int64_t shop_id, const ReservationRequest& request);
  // Moves expires_at to now + ttl. kConflict "inventory/reservation-closed" unless active.
  Result<Reservation> Extend(std::int64_t shop_id, const std::string& key, std::chrono::milliseconds ttl);
  // Gives the units back. Idempotent: a reservation no longer active is returned as is.
  Result<Reservation> Release(store::Transaction& tx, std::int64_t shop_id, const std::string& key,
                              const std::string& actor);
  Result<Reservation> Release(std::int64_t shop_id, const std::string& key, const std::string& actor);
  // Commits the units to an order (`order_ref`, e.g. "order:17"). Idempotent for an
  // already converted reservation; kConflict "inventory/reservation-closed" when it was
  // released or expired (the caller must reserve again).
  Result<Reservation> Convert(store::Transaction& tx, std::int64_t shop_id, const std::string& key,
                              const std::string& order_ref);
  Result<Reservation> Convert(std::int64_t shop_id, const std::string& key, const std::string& order_ref);
  // A converted reservation's order was cancelled before shipping: committed units go
  // back to available where they were taken. Idempotent.
  Result<Reservation> Cancel(store::Transaction& tx, std::int64_t shop_id, const std::string& key,
                             const std::string& actor);
  Result<Reservation> Cancel(std::int64_t shop_id, const std::string& key, const std::string& actor);
  // A converted reservation's units shipped: committed and on_hand both drop. Idempotent.
  // kConflict "inventory/awaiting-stock" while some units are still pre-ordered or
  // backordered (not yet allocated from received stock).
  Result<Reservation> Fulfil(store::Transaction& tx, std::int64_t shop_id, const std::string& key,
                             const std::string& actor);
  Result<Reservation> Fulfil(std::int64_t shop_id, const std::string& key, const std::string& actor);
  // Returned units of `lines`: restocked at `location_id` (+on_hand), or, with
  // `location_id` nullopt, written off (recorded, no level change).
  Status Restock(store::Transaction& tx, std::int64_t shop_id, const std::vector<Line>& lines,
                 std::optional<std::int64_t> location_id, const std::string& reason, const std::string& actor);
  Status Restock(std::int64_t shop_id, const std::vector<Line>& lines, std::optional<std::int64_t> location_id,
                 const std::string& reason, const std::string& actor);
  Result<Reservation> GetReservation(std::int64_t shop_id, const std::string& key);

  // Releases every active reservation of every shop whose expires_at <= now, in batches;
  // returns how many expired. Called periodically by the server (any thread).
  Result<int> ExpireReservations(TimePoint now);

  // Availability of `variant_ids` on `channel`, in request order; unknown variants are
  // reported out_of_stock. At most kMaxAvailabilityBatch ids; three queries.
  Result<std::vector<Availability>> GetAvailability(std::int64_t shop_id, std::span<const std::int64_t> variant_ids,
                                                    SalesChannel channel);
  // The same inside the caller's transaction (a storefront page reads catalog, prices
  // and stock in one snapshot).
  Result<std::vector<Availability>> GetAvailability(store::Transaction& tx, std::int64_t shop_id,
                                                    std::span<const std::int64_t> variant_ids, SalesChannel channel);

  // Ledger, newest first.
  Result<std::vector<LedgerEntry>> ListLedger(std::int64_t shop_id, const LedgerQuery& query);

  // Verifies, for every shop (or one), that levels equal their ledger sums and that
  // nothing is negative.
  Result<LedgerReport> CheckLedger(std::optional<std::int64_t> shop_id = {});

 private:
  // Receive and Adjust: one guarded on_hand change, its ledger entry and events.
  Result<Level> MoveOnHand(std::int64_t shop_id, const Movement& movement, MovementKind kind);

  store::Database& db_;
  const Clock& clock_;
  InventorySettings settings_;
};

}  // namespace plaza::inventory
