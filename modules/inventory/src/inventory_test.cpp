#include "plaza/inventory/inventory.h"

#include <gtest/gtest.h>

#include "inventory_test_fixture.h"

namespace plaza::inventory {
namespace {

TEST(InventoryNames, ChannelsRoundTrip) {
  EXPECT_EQ(AllChannels().size(), 7u);
  for (const SalesChannel channel : AllChannels()) EXPECT_EQ(ParseChannel(ChannelName(channel)), channel);
  EXPECT_EQ(ParseChannel("myspace"), std::nullopt);
  EXPECT_EQ(StockStateName(StockState::kLowStock), "low_stock");
}

class InventoryServiceTest : public InventoryTest {};

TEST_P(InventoryServiceTest, AvailabilityStates) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  Stock(101, warehouse, 50);
  Stock(102, warehouse, 3);
  Stock(103, warehouse, 0);
  const std::int64_t preorder_item = Stock(104, warehouse, 0);
  const std::int64_t backorder_item = Stock(105, warehouse, 0);
  const TimePoint arrival = clock_.Now() + std::chrono::days(30);
  ASSERT_TRUE(service_.SetPreorder(kShop, preorder_item, PreorderSettings{.arrival = arrival, .cap = 20}).ok());
  ASSERT_TRUE(service_.UpdateItem(kShop, backorder_item, {.allow_backorder = true}).ok());

  const std::vector<std::int64_t> ids = {101, 102, 103, 104, 105, 999};
  auto states = service_.GetAvailability(kShop, ids, SalesChannel::kOnlineStore);
  ASSERT_TRUE(states.ok()) << states.error().detail;
  ASSERT_EQ(states->size(), 6u);
  EXPECT_EQ((*states)[0].state, StockState::kInStock);
  EXPECT_EQ((*states)[0].available, 50);
  EXPECT_EQ((*states)[1].state, StockState::kLowStock);
  EXPECT_EQ((*states)[1].available, 3);
  EXPECT_EQ((*states)[2].state, StockState::kOutOfStock);
  EXPECT_EQ((*states)[3].state, StockState::kPreorder);
  EXPECT_EQ((*states)[3].preorder_arrival, arrival);
  EXPECT_EQ((*states)[3].preorder_remaining, 20);
  EXPECT_EQ((*states)[4].state, StockState::kBackorder);
  EXPECT_EQ((*states)[5].state, StockState::kOutOfStock);
  EXPECT_EQ((*states)[5].variant_id, 999);

  // A per-item threshold overrides the shop default.
  auto item = service_.EnsureVariantItem(kShop, 101);
  ASSERT_TRUE(item.ok());
  ASSERT_TRUE(service_.UpdateItem(kShop, item->id, {.low_stock_threshold = std::optional<std::int64_t>(60)}).ok());
  EXPECT_EQ(AvailabilityOf(101).state, StockState::kLowStock);
}

TEST_P(InventoryServiceTest, KitsSharingAnItemCannotOversellIt) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t battery = Stock(201, warehouse, 10);
  auto camera = service_.CreateItem(kShop, {.sku = "CAM"});
  ASSERT_TRUE(camera.ok());
  Receive(camera->id, warehouse, 10);
  // Kit 202: a camera and two batteries.
  ASSERT_TRUE(service_.SetVariantComponents(kShop, 202, {{camera->id, 1}, {battery, 2}}).ok());
  EXPECT_EQ(AvailabilityOf(202).available, 5);

  // Three kits need six batteries, five loose batteries need five: eleven of ten.
  auto too_many = Reserve("k1", {{202, 3}, {201, 5}});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().type, "inventory/insufficient-stock");
  EXPECT_EQ(LevelAt(battery, warehouse).reserved, 0);

  auto fits = Reserve("k2", {{202, 3}, {201, 4}});
  ASSERT_TRUE(fits.ok()) << fits.error().detail;
  EXPECT_EQ(LevelAt(battery, warehouse).reserved, 10);
  EXPECT_EQ(LevelAt(camera->id, warehouse).reserved, 3);
  EXPECT_EQ(AvailabilityOf(202).state, StockState::kOutOfStock);
  EXPECT_EQ(AvailabilityOf(201).available, 0);
  ExpectLedgerConsistent();
}

TEST_P(InventoryServiceTest, BuffersHoldUnitsBackFromTheirChannels) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t item = Stock(301, warehouse, 8);
  auto buffer = service_.CreateBuffer(
      kShop, {.item_id = item, .channels = {SalesChannel::kMeta, SalesChannel::kTiktok}, .quantity = 5});
  ASSERT_TRUE(buffer.ok()) << buffer.error().detail;
  EXPECT_EQ(buffer->channels, (std::vector<SalesChannel>{SalesChannel::kMeta, SalesChannel::kTiktok}));
  EXPECT_EQ(AvailabilityOf(301, SalesChannel::kOnlineStore).available, 8);
  EXPECT_EQ(AvailabilityOf(301, SalesChannel::kTiktok).available, 3);

  auto too_many = Reserve("social", {{301, 4}}, SalesChannel::kMeta);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().type, "inventory/insufficient-stock");
  EXPECT_EQ(too_many.error().field, "/lines/0/quantity");
  ASSERT_TRUE(Reserve("social", {{301, 3}}, SalesChannel::kMeta).ok());
  EXPECT_EQ(AvailabilityOf(301, SalesChannel::kMeta).state, StockState::kOutOfStock);
  // The held-back units still sell on the store.
  ASSERT_TRUE(Reserve("store", {{301, 5}}).ok());
  EXPECT_EQ(AvailabilityOf(301).available, 0);

  ASSERT_TRUE(service_.DeleteBuffer(kShop, buffer->id).ok());
  EXPECT_EQ(service_.DeleteBuffer(kShop, buffer->id).error().code, ErrorCode::kNotFound);
}

TEST_P(InventoryServiceTest, PreorderCapIsNeverExceeded) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t item = Stock(401, warehouse, 2);
  ASSERT_TRUE(
      service_.SetPreorder(kShop, item, PreorderSettings{.arrival = clock_.Now() + std::chrono::days(10), .cap = 5})
          .ok());
  // Two from stock, five promised: seven in all, never eight.
  auto first = Reserve("p1", {{401, 4}});
  ASSERT_TRUE(first.ok()) << first.error().detail;
  ASSERT_EQ(first->allocations.size(), 2u);
  EXPECT_EQ(first->allocations[0].source, AllocationSource::kStock);
  EXPECT_EQ(first->allocations[0].quantity, 2);
  EXPECT_EQ(first->allocations[1].source, AllocationSource::kPreorder);
  EXPECT_EQ(first->allocations[1].quantity, 2);
  EXPECT_EQ(AvailabilityOf(401).state, StockState::kPreorder);
  EXPECT_EQ(AvailabilityOf(401).preorder_remaining, 3);
  EXPECT_FALSE(Reserve("p2", {{401, 4}}).ok());
  ASSERT_TRUE(Reserve("p3", {{401, 3}}).ok());
  EXPECT_EQ(AvailabilityOf(401).state, StockState::kOutOfStock);

  // The cap cannot drop below what is promised; releasing gives promises back.
  auto lowered = service_.SetPreorder(kShop, item, PreorderSettings{.arrival = clock_.Now(), .cap = 4});
  ASSERT_FALSE(lowered.ok());
  EXPECT_EQ(lowered.error().type, "inventory/preorder-in-use");
  ASSERT_TRUE(service_.Release(kShop, "p3", "cart:t").ok());
  auto fetched = service_.GetItem(kShop, item);
  ASSERT_TRUE(fetched.ok());
  ASSERT_TRUE(fetched->preorder.has_value());
  EXPECT_EQ(fetched->preorder->used, 2);
  ExpectLedgerConsistent();
}

TEST_P(InventoryServiceTest, PerOrderLimitForDrops) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  Stock(501, warehouse, 100);
  ASSERT_TRUE(service_.SetMaxPerOrder(kShop, 501, 2).ok());
  EXPECT_EQ(AvailabilityOf(501).max_per_order, 2);
  // Split over two lines still counts as one order.
  auto over = Reserve("drop", {{501, 1}, {501, 2}});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().type, "inventory/per-order-limit");
  EXPECT_EQ(over.error().field, "/lines/1/quantity");
  ASSERT_TRUE(Reserve("drop", {{501, 2}}).ok());
  ASSERT_TRUE(service_.SetMaxPerOrder(kShop, 501, std::nullopt).ok());
  EXPECT_TRUE(Reserve("bulk", {{501, 50}}).ok());
}

TEST_P(InventoryServiceTest, AllocatesByLocationPriority) {
  const std::int64_t shop_floor = MakeLocation("Shop floor", 2);
  const std::int64_t warehouse = MakeLocation("Warehouse", 1);
  const std::int64_t item = Stock(601, warehouse, 3);
  Receive(item, shop_floor, 10);
  auto reservation = Reserve("split", {{601, 5}});
  ASSERT_TRUE(reservation.ok()) << reservation.error().detail;
  ASSERT_EQ(reservation->allocations.size(), 2u);
  EXPECT_EQ(reservation->allocations[0].location_id, warehouse);
  EXPECT_EQ(reservation->allocations[0].quantity, 3);
  EXPECT_EQ(reservation->allocations[1].location_id, shop_floor);
  EXPECT_EQ(reservation->allocations[1].quantity, 2);
  // An inactive location is neither sold from nor counted.
  ASSERT_TRUE(service_.UpdateLocation(kShop, shop_floor, {.active = false}).ok());
  EXPECT_EQ(AvailabilityOf(601).state, StockState::kOutOfStock);
}

TEST_P(InventoryServiceTest, ReceiveAdjustTransferKeepTheLedgerTrue) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t store_room = MakeLocation("Store room");
  const std::int64_t item = Stock(701, warehouse, 20);
  auto adjusted = service_.Adjust(
      kShop, {.item_id = item, .location_id = warehouse, .quantity = -3, .reason = "damaged", .actor = "staff:3"});
  ASSERT_TRUE(adjusted.ok()) << adjusted.error().detail;
  EXPECT_EQ(adjusted->on_hand, 17);
  ASSERT_TRUE(service_
                  .TransferStock(kShop, {.item_id = item,
                                         .from_location_id = warehouse,
                                         .to_location_id = store_room,
                                         .quantity = 7,
                                         .reason = "replenish",
                                         .actor = "staff:3"})
                  .ok());
  EXPECT_EQ(LevelAt(item, warehouse).on_hand, 10);
  EXPECT_EQ(LevelAt(item, store_room).on_hand, 7);
  ASSERT_TRUE(Reserve("r", {{701, 9}}).ok());
  // Reserved units cannot be adjusted or transferred away.
  auto below = service_.Adjust(
      kShop, {.item_id = item, .location_id = warehouse, .quantity = -2, .reason = "count", .actor = "staff:3"});
  ASSERT_FALSE(below.ok());
  EXPECT_EQ(below.error().type, "inventory/insufficient-stock");
  EXPECT_FALSE(service_
                   .TransferStock(kShop, {.item_id = item,
                                          .from_location_id = warehouse,
                                          .to_location_id = store_room,
                                          .quantity = 2,
                                          .reason = "x",
                                          .actor = "staff:3"})
                   .ok());

  auto ledger = service_.ListLedger(kShop, {.item_id = item});
  ASSERT_TRUE(ledger.ok());
  ASSERT_EQ(ledger->size(), 5u);
  EXPECT_EQ((*ledger)[0].kind, MovementKind::kReserve);
  EXPECT_EQ((*ledger)[0].reservation_key, "r");
  EXPECT_EQ((*ledger)[3].kind, MovementKind::kAdjust);
  EXPECT_EQ((*ledger)[3].reason, "damaged");
  EXPECT_EQ((*ledger)[3].actor, "staff:3");
  auto page = service_.ListLedger(kShop, {.item_id = item, .before_id = (*ledger)[1].id, .limit = 2});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, (*ledger)[2].id);
  ExpectLedgerConsistent();
}

TEST_P(InventoryServiceTest, CheckLedgerFindsTampering) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t item = Stock(801, warehouse, 5);
  ExpectLedgerConsistent();
  ASSERT_TRUE(db().Write([&](store::Transaction& tx) -> Status {
                    PLAZA_TRY(tx.Execute("UPDATE inventory_levels SET on_hand = 9 WHERE item_id = ?", {item}));
                    return Ok();
                  })
                  .ok());
  auto report = service_.CheckLedger();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->mismatches.size(), 1u);
  EXPECT_EQ(report->mismatches[0].field, "on_hand");
  EXPECT_EQ(report->mismatches[0].stored, 9);
  EXPECT_EQ(report->mismatches[0].ledger, 5);
  EXPECT_EQ(report->levels_checked, 1);
  EXPECT_EQ(report->entries_checked, 1);
}

TEST_P(InventoryServiceTest, BadInputIsRefusedAndWritesNothing) {
  const std::int64_t warehouse = MakeLocation("Warehouse");
  const std::int64_t item = Stock(901, warehouse, 10);
  struct Case {
    std::vector<Line> lines;
    std::string type;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{901, 0}}, "inventory/invalid-quantity", "/lines/0/quantity"},
      {{{901, -1}}, "inventory/invalid-quantity", "/lines/0/quantity"},
      {{{901, 1}, {901, kMaxQuantity + 1}}, "inventory/invalid-quantity", "/lines/1/quantity"},
      {{{901, 1}, {424242, 1}}, "inventory/unknown-variant", "/lines/1/variant_id"},
      {{}, "inventory/invalid-input", "/lines"},
      {std::vector<Line>(kMaxLines + 1, Line{901, 1}), "inventory/too-many-lines", "/lines"},
  };
  for (const Case& test_case : cases) {
    auto reserved = Reserve("bad", test_case.lines);
    ASSERT_FALSE(reserved.ok());
    EXPECT_EQ(reserved.error().type, test_case.type);
    EXPECT_EQ(reserved.error().field, test_case.field);
  }
  auto no_key = service_.Reserve(kShop, {.key = "", .lines = {{901, 1}}, .actor = "cart:t"});
  EXPECT_EQ(no_key.error().field, "/key");
  auto long_ttl =
      service_.Reserve(kShop, {.key = "k", .lines = {{901, 1}}, .ttl = std::chrono::hours(25), .actor = "c"});
  EXPECT_EQ(long_ttl.error().field, "/ttl");

  const Movement base{.item_id = item, .location_id = warehouse, .quantity = 1, .reason = "r", .actor = "staff:1"};
  Movement zero = base;
  zero.quantity = 0;
  EXPECT_EQ(service_.Receive(kShop, zero).error().type, "inventory/invalid-quantity");
  Movement huge = base;
  huge.quantity = kMaxQuantity + 1;
  EXPECT_EQ(service_.Receive(kShop, huge).error().type, "inventory/invalid-quantity");
  Movement unknown_location = base;
  unknown_location.location_id = 987654;
  EXPECT_EQ(service_.Receive(kShop, unknown_location).error().code, ErrorCode::kNotFound);
  Movement unknown_item = base;
  unknown_item.item_id = 987654;
  EXPECT_EQ(service_.Receive(kShop, unknown_item).error().code, ErrorCode::kNotFound);
  Movement no_reason = base;
  no_reason.reason.clear();
  EXPECT_EQ(service_.Receive(kShop, no_reason).error().field, "/reason");
  // Another shop's ids are not found.
  EXPECT_EQ(service_.Receive(kOtherShop, base).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.GetLocation(kOtherShop, warehouse).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.SetVariantComponents(kShop, 902, {{987654, 1}}).error().field, "/components/0/item_id");
  EXPECT_EQ(service_.SetVariantComponents(kShop, 902, {{item, 0}}).error().type, "inventory/invalid-quantity");

  auto ledger = service_.ListLedger(kShop, {});
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ(ledger->size(), 1u);  // the initial receipt only
  EXPECT_EQ(LevelAt(item, warehouse).on_hand, 10);
  EXPECT_EQ(LevelAt(item, warehouse).reserved, 0);
  EXPECT_EQ(service_.GetReservation(kShop, "bad").error().code, ErrorCode::kNotFound);
  ExpectLedgerConsistent();
}

TEST_P(InventoryServiceTest, LocationsAndItemsCrud) {
  const std::int64_t warehouse = MakeLocation("Warehouse", 5);
  const std::int64_t annex = MakeLocation("Annex", 1);
  auto listed = service_.ListLocations(kShop);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, annex);
  EXPECT_TRUE(service_.ListLocations(kOtherShop)->empty());
  const std::int64_t item = Stock(1001, warehouse, 1);
  auto in_use = service_.DeleteLocation(kShop, warehouse);
  ASSERT_FALSE(in_use.ok());
  EXPECT_EQ(in_use.error().type, "inventory/location-in-use");
  ASSERT_TRUE(service_.DeleteLocation(kShop, annex).ok());

  ASSERT_TRUE(service_.UpdateItem(kShop, item, {.sku = std::string("TEE-1")}).ok());
  auto duplicate = service_.CreateItem(kShop, {.sku = "TEE-1"});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().type, "inventory/sku-taken");
  EXPECT_TRUE(service_.CreateItem(kOtherShop, {.sku = "TEE-1"}).ok());
  // EnsureVariantItem is idempotent.
  auto again = service_.EnsureVariantItem(kShop, 1001, "OTHER");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, item);
  EXPECT_EQ(again->sku, "TEE-1");
}

INSTANTIATE_TEST_SUITE_P(Backends, InventoryServiceTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::inventory
