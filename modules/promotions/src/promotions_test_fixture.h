#pragma once
// A fresh database with the store and promotions schemas; each test runs once per
// backend (plaza::testing::TestBackends()).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/promotions/migrations.h"
#include "plaza/promotions/promotions.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::promotions {

inline constexpr std::int64_t kShop = 1;
inline constexpr std::int64_t kOtherShop = 2;

class PromotionsDatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  PromotionsDatabaseTest() : test_db_(GetParam()), clock_(FromUnixMillis(1'800'000'000'000)) {}

  void SetUp() override {
    const Status migrated =
        store::Migrate(db(), std::vector<store::MigrationSet>{store::StoreMigrations(), PromotionsMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  Promotion MustCreate(PromotionDefinition definition, std::int64_t shop_id = kShop) {
    auto created = service_.Create(shop_id, definition);
    EXPECT_TRUE(created.ok()) << created.error().type << " " << created.error().field << " " << created.error().detail;
    return created.ok() ? *created : Promotion{};
  }

  PromotionCode MustAddCode(std::int64_t promotion_id, std::string code, std::string creator = {}) {
    auto added = service_.AddCode(kShop, promotion_id, {.code = std::move(code), .creator = std::move(creator)});
    EXPECT_TRUE(added.ok()) << added.error().detail;
    return added.ok() ? *added : PromotionCode{};
  }

  Evaluation MustEvaluate(const CartContext& cart) {
    auto evaluated = service_.Evaluate(kShop, cart);
    EXPECT_TRUE(evaluated.ok()) << evaluated.error().type << " " << evaluated.error().detail;
    return evaluated.ok() ? *evaluated : Evaluation{};
  }

  Status RedeemAll(const Evaluation& evaluation, std::int64_t order_id, std::optional<std::int64_t> customer_id) {
    return db().Write([&](store::Transaction& tx) {
      return Redeem(tx, kShop, evaluation.discounts, order_id, customer_id, clock_.Now());
    });
  }

  std::int64_t CountRows(const std::string& table) {
    auto count = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM " + table));
      return row ? row->Int(0) : 0;
    });
    return count.ok() ? *count : -1;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  PromotionService service_{db(), clock_};
};

// A cart in EUR in market 1: lines of (variant, product, collections, unit price, quantity).
inline CartContext Cart(std::vector<CartLine> lines, std::vector<std::string> codes = {},
                        std::optional<CartCustomer> customer = std::nullopt, std::int64_t shipping = 500) {
  CartContext cart;
  cart.market_id = 1;
  cart.currency = "EUR";
  cart.lines = std::move(lines);
  for (const CartLine& line : cart.lines) cart.subtotal += line.unit_price * line.quantity;
  cart.codes = std::move(codes);
  cart.customer = std::move(customer);
  cart.shipping_amount = shipping;
  return cart;
}

inline CartLine Line(std::int64_t variant_id, std::int64_t product_id, std::int64_t unit_price,
                     std::int64_t quantity = 1, std::vector<std::int64_t> collections = {}) {
  return CartLine{.variant_id = variant_id,
                  .product_id = product_id,
                  .collection_ids = std::move(collections),
                  .unit_price = unit_price,
                  .quantity = quantity};
}

inline PromotionDefinition Percent(std::string title, std::int64_t basis_points) {
  PromotionDefinition definition;
  definition.title = std::move(title);
  definition.kind = PromotionKind::kPercentage;
  definition.percent_off = basis_points;
  return definition;
}

}  // namespace plaza::promotions
