#include "plaza/orders/purchases.h"

#include <gtest/gtest.h>

#include "orders_test_fixture.h"

namespace plaza::orders::testing {
namespace {

using plaza::testing::BackendName;
using plaza::testing::TestBackends;

class PurchasesTest : public OrdersTest {
 protected:
  // An order of `customer_id` for one unit of `variant_id`, placed and paid.
  Result<Order> Buy(std::int64_t customer_id, std::int64_t variant_id, const std::string& key) {
    PLAZA_ASSIGN_OR_RETURN(Cart cart, service_.CreateCart(kShop, {.country = "FR", .customer_id = customer_id}));
    PLAZA_TRY(service_.AddLine(kShop, cart.token, {variant_id, 1}));
    PLAZA_TRY(service_.StartCheckout(kShop, cart.token));
    PLAZA_TRY(service_.SetContact(kShop, cart.token, "buyer@example.fr"));
    PLAZA_TRY(service_.SetShippingAddress(kShop, cart.token, Paris()));
    PLAZA_TRY(service_.SelectShipping(kShop, cart.token, rate_id_));
    return service_.PlaceOrder(kShop, cart.token, Input(key));
  }

  Result<Order> Deliver(const Order& order) {
    PLAZA_TRY(service_.Fulfil(kShop, order.id, {{order.lines.at(0).id, order.lines.at(0).quantity}}));
    return service_.MarkDelivered(kShop, order.id);
  }

  std::int64_t ProductOf(std::int64_t variant_id) {
    auto summaries = catalog_.GetVariantSummaries(kShop, std::vector<std::int64_t>{variant_id});
    return summaries.ok() && !summaries->empty() ? summaries->at(0).product_id : 0;
  }

  template <typename Query>
  auto Read(Query&& query) {
    return db().Read([&](store::Transaction& tx) { return query(tx); });
  }
};

TEST_P(PurchasesTest, OnlyDeliveredOrdersOfTheSameCustomerCount) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 10);
  const std::int64_t product = ProductOf(shirt);
  ASSERT_NE(product, 0);
  auto paid = Buy(42, shirt, "k1");
  PLAZA_ASSERT_OK(paid);
  auto lines = Read([&](store::Transaction& tx) { return DeliveredLinesOf(tx, kShop, 42, product); });
  PLAZA_ASSERT_OK(lines);
  EXPECT_TRUE(lines->empty()) << "a paid order not yet delivered proves nothing";
  EXPECT_EQ(*Read([&](store::Transaction& tx) { return CountOrdersOf(tx, kShop, 42); }), 1);

  auto delivered = Deliver(*paid);
  PLAZA_ASSERT_OK(delivered);
  lines = Read([&](store::Transaction& tx) { return DeliveredLinesOf(tx, kShop, 42, product); });
  PLAZA_ASSERT_OK(lines);
  ASSERT_EQ(lines->size(), 1U);
  EXPECT_EQ(lines->at(0).order_id, paid->id);
  EXPECT_EQ(lines->at(0).variant_id, shirt);
  EXPECT_EQ(lines->at(0).customer_id, 42);

  EXPECT_TRUE(Read([&](store::Transaction& tx) { return DeliveredLinesOf(tx, kShop, 43, product); })->empty());
  EXPECT_TRUE(Read([&](store::Transaction& tx) { return DeliveredLinesOf(tx, kOtherShop, 42, product); })->empty());
  EXPECT_EQ(Read([&](store::Transaction& tx) { return DeliveredLinesOfOrder(tx, kShop, paid->id); })->size(), 1U);
  EXPECT_TRUE(Read([&](store::Transaction& tx) { return DeliveredLinesOfOrder(tx, kOtherShop, paid->id); })->empty());
  EXPECT_EQ(*Read([&](store::Transaction& tx) { return CountOrdersOf(tx, kShop, 43); }), 0);
}

TEST_P(PurchasesTest, CancelledOrdersAreNotCounted) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 10);
  auto order = Buy(42, shirt, "k1");
  PLAZA_ASSERT_OK(order);
  PLAZA_ASSERT_OK(service_.Cancel(kShop, order->id));
  EXPECT_EQ(*Read([&](store::Transaction& tx) { return CountOrdersOf(tx, kShop, 42); }), 0);
  EXPECT_TRUE(Read([&](store::Transaction& tx) { return DeliveredLinesOfOrder(tx, kShop, order->id); })->empty());
}

TEST_P(PurchasesTest, CustomersWhoPaidForAProduct) {
  const std::int64_t shirt = MakeVariant("Shirt", 2500, 10);
  const std::int64_t hat = MakeVariant("Hat", 1500, 10);
  PLAZA_ASSERT_OK(Buy(42, shirt, "k1"));
  PLAZA_ASSERT_OK(Buy(42, shirt, "k2"));
  PLAZA_ASSERT_OK(Buy(43, hat, "k3"));
  auto cancelled = Buy(44, shirt, "k4");
  PLAZA_ASSERT_OK(cancelled);
  PLAZA_ASSERT_OK(service_.Cancel(kShop, cancelled->id));
  const std::vector<std::int64_t> asked = {44, 43, 42, 41};
  auto buyers = Read([&](store::Transaction& tx) { return CustomersWhoPaidFor(tx, kShop, ProductOf(shirt), asked); });
  PLAZA_ASSERT_OK(buyers);
  EXPECT_EQ(*buyers, std::vector<std::int64_t>{42});
  EXPECT_TRUE(Read([&](store::Transaction& tx) {
                return CustomersWhoPaidFor(tx, kOtherShop, ProductOf(shirt), asked);
              })->empty());
  EXPECT_TRUE(Read([&](store::Transaction& tx) {
                return CustomersWhoPaidFor(tx, kShop, ProductOf(shirt), std::vector<std::int64_t>{});
              })->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, PurchasesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::orders::testing
