#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "plaza/promotions/promotions.h"
#include "promotions_test_fixture.h"

namespace plaza::promotions {
namespace {

using RedeemTest = PromotionsDatabaseTest;

std::int64_t Scalar(store::Database& db, const std::string& sql) {
  auto value = db.Read([&](store::Transaction& tx) -> Result<std::int64_t> {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql));
    return row ? row->Int(0) : 0;
  });
  return value.ok() ? *value : -1;
}

TEST_P(RedeemTest, CountsUsesAndRefusesPastTheLimit) {
  PromotionDefinition definition = Percent("Two only", 1000);
  definition.usage_limit = 2;
  const Promotion promotion = MustCreate(definition);
  const PromotionCode code = MustAddCode(promotion.id, "TWICE", "@maria");
  const CartContext cart = Cart({Line(1, 1, 1000)}, {"twice"});
  for (std::int64_t order_id = 1; order_id <= 2; ++order_id) {
    const Evaluation evaluation = MustEvaluate(cart);
    ASSERT_EQ(evaluation.discounts.size(), 1u);
    EXPECT_EQ(evaluation.discounts[0].creator, "@maria");
    ASSERT_TRUE(RedeemAll(evaluation, order_id, std::nullopt).ok());
  }
  const Evaluation exhausted = MustEvaluate(cart);
  ASSERT_EQ(exhausted.rejected_codes.size(), 1u);
  EXPECT_EQ(exhausted.rejected_codes[0].error.type, "promotions/limit-reached");

  // An evaluation made before the last use was taken fails at redemption, and writes nothing.
  AppliedDiscount stale;
  stale.promotion_id = promotion.id;
  stale.code_id = code.id;
  stale.amount = 100;
  auto late = db().Write([&](store::Transaction& tx) {
    return Redeem(tx, kShop, std::vector<AppliedDiscount>{stale}, 3, std::nullopt, clock_.Now());
  });
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().type, "promotions/limit-reached");
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  auto usage = service_.Usage(kShop, promotion.id);
  ASSERT_TRUE(usage.ok());
  EXPECT_EQ(usage->uses, 2);
  EXPECT_EQ(usage->usage_limit, 2);
  ASSERT_EQ(usage->codes.size(), 1u);
  EXPECT_EQ(usage->codes[0].uses, 2);
  EXPECT_EQ(CountRows("promotion_redemptions"), 2);
  EXPECT_EQ(Scalar(db(), "SELECT COUNT(*) FROM outbox_events WHERE event_type = 'promotion.redeemed'"), 2);

  // Redeeming the same promotion twice for one order is refused.
  auto twice = db().Write([&](store::Transaction& tx) {
    return Redeem(tx, kShop, std::vector<AppliedDiscount>{stale}, 1, std::nullopt, clock_.Now());
  });
  ASSERT_FALSE(twice.ok());
}

TEST_P(RedeemTest, ExactlyTheLimitSucceedsUnderConcurrency) {
  PromotionDefinition definition = Percent("Flash 50", 1000);
  definition.usage_limit = 50;
  const Promotion promotion = MustCreate(definition);
  const PromotionCode code = MustAddCode(promotion.id, "FLASH50");
  AppliedDiscount applied;
  applied.promotion_id = promotion.id;
  applied.code_id = code.id;
  applied.amount = 100;
  constexpr int kAttempts = 200;
  std::atomic<int> succeeded{0};
  std::atomic<int> limit_reached{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  threads.reserve(kAttempts);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    threads.emplace_back([&, attempt] {
      const Status status = db().Write([&](store::Transaction& tx) {
        return Redeem(tx, kShop, std::vector<AppliedDiscount>{applied}, 1000 + attempt, 5000 + attempt, clock_.Now());
      });
      if (status.ok()) {
        ++succeeded;
      } else if (status.error().type == "promotions/limit-reached") {
        ++limit_reached;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), 50);
  EXPECT_EQ(limit_reached.load(), 150);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(service_.Get(kShop, promotion.id)->uses, 50);
  EXPECT_EQ(CountRows("promotion_redemptions"), 50);
  EXPECT_EQ(CountRows("promotion_customer_uses"), 50);
  EXPECT_EQ(service_.ListCodes(kShop, promotion.id)->front().uses, 50);
}

TEST_P(RedeemTest, PerCustomerLimitHoldsUnderConcurrency) {
  PromotionDefinition definition = Percent("Twice each", 1000);
  definition.per_customer_limit = 2;
  const Promotion promotion = MustCreate(definition);
  AppliedDiscount applied;
  applied.promotion_id = promotion.id;
  applied.amount = 100;
  constexpr int kAttempts = 40;
  std::atomic<int> succeeded{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    threads.emplace_back([&, attempt] {
      // Two customers race: 20 attempts each.
      const std::int64_t customer = attempt % 2 == 0 ? 7 : 8;
      const Status status = db().Write([&](store::Transaction& tx) {
        return Redeem(tx, kShop, std::vector<AppliedDiscount>{applied}, 1 + attempt, customer, clock_.Now());
      });
      if (status.ok()) {
        ++succeeded;
      } else if (status.error().type == "promotions/customer-limit-reached") {
        ++refused;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), 4);
  EXPECT_EQ(refused.load(), kAttempts - 4);
  EXPECT_EQ(service_.Get(kShop, promotion.id)->uses, 4);
  EXPECT_EQ(Scalar(db(), "SELECT SUM(uses) FROM promotion_customer_uses"), 4);
  EXPECT_EQ(service_.Usage(kShop, promotion.id)->customers, 2);

  // Evaluate now explains the limit, and a guest cannot use it at all.
  const Evaluation limited = MustEvaluate(Cart({Line(1, 1, 1000)}, {}, CartCustomer{.id = 7}));
  EXPECT_TRUE(limited.discounts.empty());
  auto guest = db().Write([&](store::Transaction& tx) {
    return Redeem(tx, kShop, std::vector<AppliedDiscount>{applied}, 999, std::nullopt, clock_.Now());
  });
  ASSERT_FALSE(guest.ok());
  EXPECT_EQ(guest.error().type, "promotions/customer-required");
  EXPECT_EQ(service_.Get(kShop, promotion.id)->uses, 4);
}

TEST_P(RedeemTest, CustomerLimitIsExplainedForCodes) {
  PromotionDefinition definition = Percent("Once", 1000);
  definition.per_customer_limit = 1;
  const Promotion promotion = MustCreate(definition);
  MustAddCode(promotion.id, "ONCE");
  const CartContext cart = Cart({Line(1, 1, 1000)}, {"ONCE"}, CartCustomer{.id = 3});
  ASSERT_TRUE(RedeemAll(MustEvaluate(cart), 1, 3).ok());
  const Evaluation again = MustEvaluate(cart);
  ASSERT_EQ(again.rejected_codes.size(), 1u);
  EXPECT_EQ(again.rejected_codes[0].error.type, "promotions/customer-limit-reached");
  CartContext other = cart;
  other.customer = CartCustomer{.id = 4};
  EXPECT_EQ(MustEvaluate(other).discounts.size(), 1u);
}

TEST_P(RedeemTest, ReleaseGivesUsesBackWhenThePolicySaysSo) {
  PromotionDefinition definition = Percent("Limited", 1000);
  definition.usage_limit = 1;
  definition.per_customer_limit = 1;
  const Promotion promotion = MustCreate(definition);
  MustAddCode(promotion.id, "ONLYONE");
  const CartContext cart = Cart({Line(1, 1, 1000)}, {"ONLYONE"}, CartCustomer{.id = 3});
  ASSERT_TRUE(RedeemAll(MustEvaluate(cart), 11, 3).ok());
  EXPECT_EQ(MustEvaluate(cart).rejected_codes.size(), 1u);

  const auto release = [&](std::int64_t order_id) {
    return db().Write([&](store::Transaction& tx) { return ReleaseRedemption(tx, kShop, order_id, clock_.Now()); });
  };
  // Default policy: released once; a second release or another shop changes nothing.
  EXPECT_EQ(*db().Write([&](store::Transaction& tx) { return ReleaseRedemption(tx, kOtherShop, 11, clock_.Now()); }),
            0);
  EXPECT_EQ(*release(11), 1);
  EXPECT_EQ(*release(11), 0);
  EXPECT_EQ(service_.Get(kShop, promotion.id)->uses, 0);
  EXPECT_EQ(service_.ListCodes(kShop, promotion.id)->front().uses, 0);
  EXPECT_EQ(MustEvaluate(cart).discounts.size(), 1u);

  // A shop that keeps uses of cancelled orders.
  ASSERT_TRUE(service_.SetPolicy(kShop, {.release_on_cancel = false}).ok());
  EXPECT_FALSE(service_.GetPolicy(kShop)->release_on_cancel);
  EXPECT_TRUE(service_.GetPolicy(kOtherShop)->release_on_cancel);
  ASSERT_TRUE(RedeemAll(MustEvaluate(cart), 12, 3).ok());
  EXPECT_EQ(*release(12), 0);
  EXPECT_EQ(service_.Get(kShop, promotion.id)->uses, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, RedeemTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::promotions
