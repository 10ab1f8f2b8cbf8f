// Outbox events: one "inventory.stock_state_changed" per real transition of an item's
// state (not one per reservation), and one event per staff movement, in the same
// transaction as the change.

#include <boost/json.hpp>

#include "inventory_test_fixture.h"

namespace plaza::inventory {
namespace {

using InventoryEventsTest = InventoryTest;

struct StoredEvent {
  std::string type;
  boost::json::object payload;
};

class EventLog {
 public:
  explicit EventLog(store::Database& db) : db_(db) {}

  // Events appended since the previous call, oldest first.
  std::vector<StoredEvent> Next() {
    std::vector<StoredEvent> events;
    auto rows = db_.Read([&](store::Transaction& tx) {
      return tx.Execute(
          "SELECT id, event_type, payload FROM outbox_events WHERE aggregate_type = 'inventory_item'"
          " AND id > ? ORDER BY id",
          {last_id_});
    });
    EXPECT_TRUE(rows.ok());
    if (!rows.ok()) return events;
    for (const store::Row& row : rows->rows) {
      last_id_ = row.Int(0);
      events.push_back({row.Text(1), boost::json::parse(row.Text(2)).as_object()});
    }
    return events;
  }

  // The states announced since the previous call, in order.
  std::vector<std::string> States() {
    std::vector<std::string> states;
    for (const StoredEvent& event : Next()) {
      if (event.type == "inventory.stock_state_changed") states.emplace_back(event.payload.at("state").as_string());
    }
    return states;
  }

 private:
  store::Database& db_;
  std::int64_t last_id_ = 0;
};

using States = std::vector<std::string>;

TEST_P(InventoryEventsTest, StateEventsFollowTransitionsOnly) {
  EventLog log(db());
  const std::int64_t paris = MakeLocation("Paris");
  const std::int64_t item = Stock(10, paris, 0);
  EXPECT_TRUE(log.States().empty());  // a new item is out of stock, as stored

  Receive(item, paris, 8);  // threshold 5: in stock
  const auto received = log.Next();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].type, "inventory.received");
  EXPECT_EQ(received[0].payload.at("quantity").as_int64(), 8);
  EXPECT_EQ(received[0].payload.at("available").as_int64(), 8);
  EXPECT_EQ(received[1].type, "inventory.stock_state_changed");
  EXPECT_EQ(received[1].payload.at("state").as_string(), "in_stock");
  EXPECT_EQ(received[1].payload.at("previous_state").as_string(), "out_of_stock");
  EXPECT_EQ(boost::json::serialize(received[1].payload.at("variant_ids")), "[10]");

  ASSERT_TRUE(Reserve("a", {{10, 1}}).ok());  // 7 left: still in stock, no event
  ASSERT_TRUE(Reserve("b", {{10, 1}}).ok());  // 6
  EXPECT_TRUE(log.Next().empty());
  ASSERT_TRUE(Reserve("c", {{10, 1}}).ok());  // 5: low stock
  EXPECT_EQ(log.States(), (States{"low_stock"}));
  ASSERT_TRUE(Reserve("d", {{10, 4}}).ok());  // 1: still low, no event
  EXPECT_TRUE(log.Next().empty());
  ASSERT_TRUE(service_.Convert(kShop, "d", "order:1").ok());  // selling moves no available unit
  EXPECT_TRUE(log.Next().empty());
  ASSERT_TRUE(Reserve("e", {{10, 1}}).ok());  // 0
  EXPECT_EQ(log.States(), (States{"out_of_stock"}));

  ASSERT_TRUE(service_.Release(kShop, "e", "cart:t").ok());  // back to 1
  EXPECT_EQ(log.States(), (States{"low_stock"}));
  ASSERT_TRUE(Reserve("f", {{10, 1}}).ok());
  EXPECT_EQ(log.States(), (States{"out_of_stock"}));

  // A pre-order opens: the state becomes preorder without any movement.
  ASSERT_TRUE(
      service_.SetPreorder(kShop, item, PreorderSettings{.arrival = FromUnixMillis(1'800'000'000'000), .cap = 2}).ok());
  const auto opened = log.Next();
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].payload.at("state").as_string(), "preorder");
  EXPECT_EQ(opened[0].payload.at("preorder_remaining").as_int64(), 2);
  ASSERT_TRUE(Reserve("g", {{10, 2}}).ok());  // the cap is used up
  EXPECT_EQ(log.States(), (States{"out_of_stock"}));
  ASSERT_TRUE(service_.UpdateItem(kShop, item, {.allow_backorder = true}).ok());
  EXPECT_EQ(log.States(), (States{"backorder"}));

  // Expiry gives units back like a release does.
  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(service_.ExpireReservations(clock_.Now()).ok());
  // a, b, c and f give 4 units back (8 on hand, 4 sold): low stock from the first one on.
  EXPECT_EQ(log.States(), (States{"low_stock"}));
  ExpectLedgerConsistent();
}

TEST_P(InventoryEventsTest, MovementsAreAnnouncedWithTheirReasonAndActor) {
  EventLog log(db());
  const std::int64_t paris = MakeLocation("Paris");
  const std::int64_t lyon = MakeLocation("Lyon", 1);
  const std::int64_t item = Stock(20, paris, 30);
  log.Next();
  ASSERT_TRUE(
      service_
          .Adjust(kShop,
                  {.item_id = item, .location_id = paris, .quantity = -4, .reason = "damaged", .actor = "staff:2"})
          .ok());
  ASSERT_TRUE(service_
                  .TransferStock(kShop, {.item_id = item,
                                         .from_location_id = paris,
                                         .to_location_id = lyon,
                                         .quantity = 6,
                                         .reason = "rebalance",
                                         .actor = "staff:3"})
                  .ok());
  const auto events = log.Next();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "inventory.adjusted");
  EXPECT_EQ(events[0].payload.at("quantity").as_int64(), -4);
  EXPECT_EQ(events[0].payload.at("reason").as_string(), "damaged");
  EXPECT_EQ(events[0].payload.at("actor").as_string(), "staff:2");
  EXPECT_EQ(events[0].payload.at("on_hand").as_int64(), 26);
  EXPECT_EQ(events[1].type, "inventory.transferred");
  EXPECT_EQ(events[1].payload.at("from_location_id").as_int64(), paris);
  EXPECT_EQ(events[1].payload.at("to_location_id").as_int64(), lyon);
  EXPECT_EQ(events[1].payload.at("quantity").as_int64(), 6);

  // Deactivating the only location holding stock takes the item out of stock.
  ASSERT_TRUE(service_
                  .TransferStock(kShop, {.item_id = item,
                                         .from_location_id = lyon,
                                         .to_location_id = paris,
                                         .quantity = 6,
                                         .reason = "back",
                                         .actor = "staff:3"})
                  .ok());
  log.Next();
  ASSERT_TRUE(service_.UpdateLocation(kShop, paris, {.active = false}).ok());
  EXPECT_EQ(log.States(), (States{"out_of_stock"}));
  ASSERT_TRUE(service_.UpdateLocation(kShop, paris, {.active = true}).ok());
  EXPECT_EQ(log.States(), (States{"in_stock"}));

  // A refused movement appends nothing.
  EXPECT_FALSE(
      service_
          .Adjust(kShop,
                  {.item_id = item, .location_id = paris, .quantity = -1000, .reason = "typo", .actor = "staff:2"})
          .ok());
  EXPECT_TRUE(log.Next().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, InventoryEventsTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::inventory
