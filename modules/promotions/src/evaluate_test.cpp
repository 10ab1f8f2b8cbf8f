#include <gtest/gtest.h>

#include <numeric>

#include "plaza/promotions/promotions.h"
#include "promotions_test_fixture.h"

namespace plaza::promotions {
namespace {

using EvaluateTest = PromotionsDatabaseTest;

std::int64_t SumOf(const std::vector<std::int64_t>& amounts) {
  return std::accumulate(amounts.begin(), amounts.end(), std::int64_t{0});
}

TEST_P(EvaluateTest, OrderPercentageIsRoundedDownAndAllocatedExactly) {
  PromotionDefinition definition = Percent("Welcome", 1000);  // 10%
  definition.automatic = true;
  MustCreate(definition);
  // 10% of 999 + 1001 + 3 = 200.3 -> 200, split 99.75 / 99.95 / 0.30 -> 99, 99, 0; the two spare
  // units go to the largest fractions (lines 1 and 0).
  const Evaluation evaluation = MustEvaluate(Cart({Line(1, 1, 999), Line(2, 2, 1001), Line(3, 3, 3)}));
  ASSERT_EQ(evaluation.discounts.size(), 1u);
  const AppliedDiscount& applied = evaluation.discounts[0];
  EXPECT_EQ(applied.discount_class, DiscountClass::kOrder);
  EXPECT_EQ(applied.amount, 200);
  EXPECT_EQ(applied.line_amounts, (std::vector<std::int64_t>{100, 100, 0}));
  EXPECT_EQ(SumOf(applied.line_amounts), applied.amount);
  EXPECT_EQ(evaluation.total_discount, 200);
  EXPECT_EQ(evaluation.line_discounts, applied.line_amounts);
}

TEST_P(EvaluateTest, FixedAmountSplitsRemaindersDeterministically) {
  PromotionDefinition definition;
  definition.title = "Ten off";
  definition.kind = PromotionKind::kFixedAmount;
  definition.amount = 1000;
  definition.currency = "EUR";
  definition.automatic = true;
  MustCreate(definition);
  // Three equal lines: 333.33 each; the one spare unit goes to the earliest line.
  const Evaluation evaluation = MustEvaluate(Cart({Line(1, 1, 500), Line(2, 2, 500), Line(3, 3, 500)}));
  ASSERT_EQ(evaluation.discounts.size(), 1u);
  EXPECT_EQ(evaluation.discounts[0].line_amounts, (std::vector<std::int64_t>{334, 333, 333}));
  // Never more than the cart.
  const Evaluation small = MustEvaluate(Cart({Line(1, 1, 300), Line(2, 2, 200)}));
  EXPECT_EQ(small.discounts[0].amount, 500);
  EXPECT_EQ(small.discounts[0].line_amounts, (std::vector<std::int64_t>{300, 200}));
  // Another currency does not qualify.
  CartContext yen = Cart({Line(1, 1, 3000)});
  yen.currency = "JPY";
  EXPECT_TRUE(MustEvaluate(yen).discounts.empty());
}

TEST_P(EvaluateTest, TargetedPercentageAppliesPerEligibleLine) {
  PromotionDefinition definition = Percent("Shoes 25%", 2500);
  definition.applies_to.collection_ids = {77};
  definition.applies_to.variant_ids = {5};
  const Promotion promotion = MustCreate(definition);
  MustAddCode(promotion.id, "Shoes25");
  const Evaluation evaluation =
      MustEvaluate(Cart({Line(1, 1, 1999, 1, {77, 78}), Line(2, 2, 5000), Line(5, 3, 101, 3)}, {"shoes25"}));
  ASSERT_EQ(evaluation.discounts.size(), 1u)
      << (evaluation.rejected_codes.empty() ? "" : evaluation.rejected_codes[0].error.type);
  const AppliedDiscount& applied = evaluation.discounts[0];
  EXPECT_EQ(applied.discount_class, DiscountClass::kProduct);
  EXPECT_EQ(applied.code, "Shoes25");
  EXPECT_EQ(applied.code_id.has_value(), true);
  // 25% of 1999 = 499.75 -> 499; line 2 is not eligible; 25% of 303 = 75.75 -> 75.
  EXPECT_EQ(applied.line_amounts, (std::vector<std::int64_t>{499, 0, 75}));
  EXPECT_EQ(applied.amount, 574);
  // Nothing eligible: a precise rejection.
  const Evaluation none = MustEvaluate(Cart({Line(2, 2, 5000)}, {"SHOES25"}));
  ASSERT_EQ(none.rejected_codes.size(), 1u);
  EXPECT_EQ(none.rejected_codes[0].error.type, "promotions/no-eligible-items");
  EXPECT_EQ(none.rejected_codes[0].error.field, "/codes/0");
}

TEST_P(EvaluateTest, FreeShippingCoversTheShippingAmount) {
  PromotionDefinition definition;
  definition.title = "Free shipping over 50";
  definition.kind = PromotionKind::kFreeShipping;
  definition.minimum_subtotal = 5000;
  definition.currency = "EUR";
  const Promotion promotion = MustCreate(definition);
  MustAddCode(promotion.id, "SHIPFREE");
  const Evaluation evaluation = MustEvaluate(Cart({Line(1, 1, 5000)}, {"shipfree"}, std::nullopt, 695));
  ASSERT_EQ(evaluation.discounts.size(), 1u);
  EXPECT_EQ(evaluation.discounts[0].shipping_amount, 695);
  EXPECT_EQ(evaluation.shipping_discount, 695);
  EXPECT_EQ(evaluation.lines_discount, 0);
  EXPECT_EQ(evaluation.total_discount, 695);
  // One minor unit short of the minimum.
  const Evaluation short_cart = MustEvaluate(Cart({Line(1, 1, 4999)}, {"shipfree"}));
  ASSERT_EQ(short_cart.rejected_codes.size(), 1u);
  EXPECT_EQ(short_cart.rejected_codes[0].error.type, "promotions/minimum-not-met");
  EXPECT_TRUE(short_cart.discounts.empty());
  // Before shipping is chosen it still applies (and will cover whatever is chosen).
  const Evaluation unchosen = MustEvaluate(Cart({Line(1, 1, 5000)}, {"shipfree"}, std::nullopt, 0));
  ASSERT_EQ(unchosen.discounts.size(), 1u);
  EXPECT_EQ(unchosen.discounts[0].amount, 0);
}

TEST_P(EvaluateTest, BuyXGetYDiscountsTheCheapestQualifyingUnits) {
  PromotionDefinition definition;
  definition.title = "Buy 2 socks, get 1 free";
  definition.kind = PromotionKind::kBuyXGetY;
  definition.buy_quantity = 2;
  definition.get_quantity = 1;
  definition.percent_off = 10000;
  definition.buy_items.collection_ids = {9};
  definition.get_items.collection_ids = {9};
  definition.automatic = true;
  MustCreate(definition);
  // 5 socks (3 at 800, 2 at 500): two applications (buy 800+800, get 500; buy 800+500, get …):
  // units by price: buy takes the dearest, get the cheapest.
  const Evaluation evaluation =
      MustEvaluate(Cart({Line(1, 1, 800, 3, {9}), Line(2, 2, 500, 2, {9}), Line(3, 3, 2000)}));
  ASSERT_EQ(evaluation.discounts.size(), 1u);
  // Application 1: buy 800, 800; get 500. Application 2: buy 800, 500 … get nothing left -> stops.
  EXPECT_EQ(evaluation.discounts[0].line_amounts, (std::vector<std::int64_t>{0, 500, 0}));
  // Six socks: two full applications, both 500s free.
  const Evaluation six = MustEvaluate(Cart({Line(1, 1, 800, 4, {9}), Line(2, 2, 500, 2, {9})}));
  EXPECT_EQ(six.discounts[0].line_amounts, (std::vector<std::int64_t>{0, 1000}));
  // Two socks only: nothing.
  EXPECT_TRUE(MustEvaluate(Cart({Line(1, 1, 800, 2, {9})})).discounts.empty());
}

TEST_P(EvaluateTest, BuyXGetYAtAPercentageRoundsDown) {
  PromotionDefinition definition;
  definition.title = "Buy a camera, lens 15% off";
  definition.kind = PromotionKind::kBuyXGetY;
  definition.buy_quantity = 1;
  definition.buy_items.product_ids = {100};
  definition.get_quantity = 1;
  definition.get_items.product_ids = {200};
  definition.percent_off = 1500;
  definition.automatic = true;
  MustCreate(definition);
  // 15% of 33333 = 4999.95 -> 4999.
  const Evaluation evaluation = MustEvaluate(Cart({Line(1, 100, 99900), Line(2, 200, 33333, 2)}));
  ASSERT_EQ(evaluation.discounts.size(), 1u);
  EXPECT_EQ(evaluation.discounts[0].line_amounts, (std::vector<std::int64_t>{0, 4999}));
}

TEST_P(EvaluateTest, ConditionsExplainWhyACodeDoesNotApply) {
  const TimePoint now = clock_.Now();
  struct Case {
    std::string code;
    PromotionDefinition definition;
    CartContext cart;
    std::string type;
  };
  const std::optional<CartCustomer> returning = CartCustomer{.id = 7, .tags = {"retail"}, .has_previous_order = true};
  const std::vector<CartLine> lines = {Line(1, 1, 2000)};
  std::vector<Case> cases;
  {
    PromotionDefinition d = Percent("Late", 1000);
    d.starts_at = now + std::chrono::milliseconds(1);
    cases.push_back({"LATE", d, Cart(lines, {"LATE"}), "promotions/not-started"});
  }
  {
    PromotionDefinition d = Percent("Over", 1000);
    d.starts_at = now - std::chrono::hours(1);
    d.ends_at = now;  // exclusive
    cases.push_back({"OVER", d, Cart(lines, {"OVER"}), "promotions/expired"});
  }
  {
    PromotionDefinition d = Percent("Off", 1000);
    d.active = false;
    cases.push_back({"OFF", d, Cart(lines, {"OFF"}), "promotions/inactive"});
  }
  {
    PromotionDefinition d = Percent("VIP", 1000);
    d.customer_tags = {"VIP"};
    cases.push_back({"VIP", d, Cart(lines, {"VIP"}, returning), "promotions/customer-not-eligible"});
    cases.push_back({"VIP2", d, Cart(lines, {"VIP2"}), "promotions/customer-required"});
  }
  {
    PromotionDefinition d = Percent("First", 1000);
    d.first_order_only = true;
    cases.push_back({"FIRST", d, Cart(lines, {"FIRST"}, returning), "promotions/first-order-only"});
  }
  {
    PromotionDefinition d = Percent("US only", 1000);
    d.market_ids = {2};
    cases.push_back({"USONLY", d, Cart(lines, {"USONLY"}), "promotions/market-not-eligible"});
  }
  {
    PromotionDefinition d = Percent("Dollars", 1000);
    d.currency = "USD";
    cases.push_back({"DOLLARS", d, Cart(lines, {"DOLLARS"}), "promotions/currency-mismatch"});
  }
  {
    PromotionDefinition d = Percent("Big", 1000);
    d.minimum_subtotal = 2001;
    d.currency = "EUR";
    cases.push_back({"BIG", d, Cart(lines, {"BIG"}), "promotions/minimum-not-met"});
  }
  for (const Case& test_case : cases) {
    const Promotion promotion = MustCreate(test_case.definition);
    MustAddCode(promotion.id, test_case.code);
    const Evaluation evaluation = MustEvaluate(test_case.cart);
    ASSERT_EQ(evaluation.rejected_codes.size(), 1u) << test_case.code;
    EXPECT_EQ(evaluation.rejected_codes[0].error.type, test_case.type) << test_case.code;
    EXPECT_EQ(evaluation.rejected_codes[0].code, test_case.code);
    EXPECT_TRUE(evaluation.discounts.empty()) << test_case.code;
  }
  const Evaluation unknown = MustEvaluate(Cart(lines, {"NOPE", "nope"}));
  ASSERT_EQ(unknown.rejected_codes.size(), 2u);
  EXPECT_EQ(unknown.rejected_codes[0].error.type, "promotions/unknown-code");
  EXPECT_EQ(unknown.rejected_codes[1].error.type, "promotions/duplicate-code");
  EXPECT_EQ(unknown.rejected_codes[1].error.field, "/codes/1");

  // The positive side of each condition.
  PromotionDefinition vip = Percent("Tagged", 1000);
  vip.customer_tags = {"Retail"};
  vip.first_order_only = false;
  vip.market_ids = {1, 2};
  vip.starts_at = now;
  vip.ends_at = now + std::chrono::milliseconds(1);
  const Promotion tagged = MustCreate(vip);
  MustAddCode(tagged.id, "TAGGED");
  EXPECT_EQ(MustEvaluate(Cart(lines, {" tagged "}, returning)).discounts.size(), 1u);
  PromotionDefinition first = Percent("First order", 1000);
  first.first_order_only = true;
  MustAddCode(MustCreate(first).id, "NEWHERE");
  EXPECT_EQ(MustEvaluate(Cart(lines, {"NEWHERE"}, CartCustomer{.id = 8})).discounts.size(), 1u);
}

TEST_P(EvaluateTest, CombinabilityAndPriorityDecideWhatStacks) {
  // An automatic 10% order discount that combines with nothing, at priority 0.
  PromotionDefinition sitewide = Percent("Sitewide 10%", 1000);
  sitewide.automatic = true;
  sitewide.combines_with_shipping = true;
  MustCreate(sitewide);
  // A code for 20% off the order, priority 0: larger, so it wins over the automatic one.
  PromotionDefinition bigger = Percent("Twenty", 2000);
  const Promotion twenty = MustCreate(bigger);
  MustAddCode(twenty.id, "TWENTY");
  // Free shipping, combining with order discounts; both order discounts combine with shipping.
  PromotionDefinition shipping;
  shipping.title = "Free shipping";
  shipping.kind = PromotionKind::kFreeShipping;
  shipping.combines_with_order = true;
  MustAddCode(MustCreate(shipping).id, "SHIP");

  const Evaluation evaluation = MustEvaluate(Cart({Line(1, 1, 10000)}, {"TWENTY", "SHIP"}));
  ASSERT_EQ(evaluation.discounts.size(), 2u);
  EXPECT_EQ(evaluation.discounts[0].title, "Twenty");
  EXPECT_EQ(evaluation.discounts[0].amount, 2000);
  EXPECT_EQ(evaluation.discounts[1].title, "Free shipping");
  EXPECT_EQ(evaluation.total_discount, 2500);
  EXPECT_TRUE(evaluation.rejected_codes.empty());

  // Priority beats size: a smaller code at priority -1 displaces both order discounts.
  PromotionDefinition preferred = Percent("Staff 5%", 500);
  preferred.priority = -1;
  MustAddCode(MustCreate(preferred).id, "STAFF");
  const Evaluation staff = MustEvaluate(Cart({Line(1, 1, 10000)}, {"TWENTY", "STAFF"}));
  ASSERT_EQ(staff.discounts.size(), 1u);
  EXPECT_EQ(staff.discounts[0].title, "Staff 5%");
  ASSERT_EQ(staff.rejected_codes.size(), 1u);
  EXPECT_EQ(staff.rejected_codes[0].code, "TWENTY");
  EXPECT_EQ(staff.rejected_codes[0].error.type, "promotions/not-combinable");

  // Two that allow each other stack: product discounts first, then the order discount on
  // what the lines still cost.
  PromotionDefinition product = Percent("Hats 50%", 5000);
  product.applies_to.product_ids = {3};
  product.combines_with_order = true;
  product.priority = -5;
  PromotionDefinition order = Percent("Extra 10%", 1000);
  order.combines_with_product = true;
  order.priority = -5;
  MustAddCode(MustCreate(product).id, "HATS");
  MustAddCode(MustCreate(order).id, "EXTRA");
  const Evaluation stacked = MustEvaluate(Cart({Line(1, 3, 2001), Line(2, 4, 1000)}, {"EXTRA", "HATS"}));
  ASSERT_EQ(stacked.discounts.size(), 2u) << stacked.rejected_codes.size();
  EXPECT_EQ(stacked.discounts[0].title, "Hats 50%");
  EXPECT_EQ(stacked.discounts[0].line_amounts, (std::vector<std::int64_t>{1000, 0}));
  // 10% of (1001 + 1000) = 200.1 -> 200, split 100.1 / 99.9 -> 100 / 100.
  EXPECT_EQ(stacked.discounts[1].title, "Extra 10%");
  EXPECT_EQ(stacked.discounts[1].line_amounts, (std::vector<std::int64_t>{100, 100}));
  EXPECT_EQ(stacked.line_discounts, (std::vector<std::int64_t>{1100, 100}));
  EXPECT_EQ(stacked.total_discount, 1200);
}

TEST_P(EvaluateTest, AllocationSumsExactlyAcrossManyLines) {
  PromotionDefinition definition;
  definition.title = "Seven off";
  definition.kind = PromotionKind::kFixedAmount;
  definition.amount = 777;
  definition.currency = "EUR";
  definition.automatic = true;
  MustCreate(definition);
  std::vector<CartLine> lines;
  for (int idx = 1; idx <= 37; ++idx) lines.push_back(Line(idx, idx, 97 * idx + 13, idx % 4 + 1));
  const Evaluation evaluation = MustEvaluate(Cart(lines));
  ASSERT_EQ(evaluation.discounts.size(), 1u);
  const AppliedDiscount& applied = evaluation.discounts[0];
  EXPECT_EQ(SumOf(applied.line_amounts), 777);
  for (std::size_t idx = 0; idx < lines.size(); ++idx) {
    EXPECT_LE(applied.line_amounts[idx], lines[idx].unit_price * lines[idx].quantity);
    EXPECT_GE(applied.line_amounts[idx], 0);
  }
  // The same cart gives the same split every time.
  EXPECT_EQ(MustEvaluate(Cart(lines)).discounts[0].line_amounts, applied.line_amounts);
}

TEST_P(EvaluateTest, RejectsInvalidCarts) {
  struct Case {
    CartContext cart;
    std::string type;
    std::string field;
  };
  std::vector<Case> cases;
  CartContext bad_currency = Cart({Line(1, 1, 100)});
  bad_currency.currency = "EURO";
  cases.push_back({bad_currency, "money/unknown-currency", "/currency"});
  cases.push_back({Cart({Line(1, 1, 100), Line(2, 2, -1)}), "promotions/invalid-cart", "/lines/1/unit_price"});
  cases.push_back({Cart({Line(1, 1, 100, 0)}), "promotions/invalid-cart", "/lines/0/quantity"});
  CartContext wrong_subtotal = Cart({Line(1, 1, 100)});
  wrong_subtotal.subtotal = 99;
  cases.push_back({wrong_subtotal, "promotions/invalid-cart", "/subtotal"});
  cases.push_back({Cart({Line(1, 1, 100)}, {}, std::nullopt, -1), "promotions/invalid-cart", "/shipping_amount"});
  CartContext overflow = Cart({});
  overflow.lines = {Line(1, 1, INT64_MAX / 2, 3)};
  cases.push_back({overflow, "money/overflow", "/lines/0"});
  for (const Case& test_case : cases) {
    auto evaluated = service_.Evaluate(kShop, test_case.cart);
    ASSERT_FALSE(evaluated.ok()) << test_case.field;
    EXPECT_EQ(evaluated.error().type, test_case.type) << test_case.field;
    EXPECT_EQ(evaluated.error().field, test_case.field);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, EvaluateTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::promotions
