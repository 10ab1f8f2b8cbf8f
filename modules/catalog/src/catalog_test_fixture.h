#pragma once
// A fresh database with the store and catalog schemas for the catalog tests; each test
// runs once per backend (plaza::testing::TestBackends()).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plaza/catalog/catalog.h"
#include "plaza/catalog/migrations.h"
#include "plaza/core/clock.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::catalog::testing {

inline constexpr std::int64_t kShop = 1;
inline constexpr std::int64_t kOtherShop = 2;

#define CATALOG_ASSERT_OK(expr)                                                                         \
  do {                                                                                                  \
    const auto& catalog_assert_result = (expr);                                                         \
    ASSERT_TRUE(catalog_assert_result.ok())                                                             \
        << catalog_assert_result.error().type << ": " << catalog_assert_result.error().detail << " at " \
        << catalog_assert_result.error().field;                                                         \
  } while (false)

class CatalogTest : public ::testing::TestWithParam<std::string> {
 protected:
  CatalogTest() : test_db_(GetParam()), clock_(FromUnixMillis(1'700'000'000'000)), service_(test_db_.db(), clock_) {}

  void SetUp() override {
    const Status migrated =
        store::Migrate(db(), std::vector<store::MigrationSet>{store::StoreMigrations(), CatalogMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  store::Database& db() { return test_db_.db(); }

  // A shirt in two sizes and two colours, active on the online store.
  static ProductInput Shirt(std::string handle = "linen-shirt", std::string sku_prefix = "SH") {
    ProductInput input;
    input.handle = std::move(handle);
    input.title = "Linen Shirt";
    input.description_html = "<p>A breezy <b>summer</b> shirt.</p>";
    input.vendor = "Northwind";
    input.product_type = "Shirts";
    input.tags = {"summer", "linen"};
    input.status = ProductStatus::kActive;
    input.channels = {Channel::kOnlineStore, Channel::kMeta};
    input.option_names = {"Size", "Colour"};
    input.media = {{"https://cdn.example/shirt-blue.jpg", "Blue shirt"}, {"https://cdn.example/shirt-red.jpg", ""}};
    for (const char* size : {"M", "L"}) {
      for (const char* colour : {"Blue", "Red"}) {
        VariantInput variant;
        variant.option_values = {size, colour};
        variant.sku = sku_prefix + "-" + size + "-" + colour;
        variant.weight_grams = 200;
        variant.image_url = std::string(colour) == "Blue" ? "https://cdn.example/shirt-blue.jpg" : "";
        input.variants.push_back(variant);
      }
    }
    return input;
  }

  Product Create(const ProductInput& input, std::int64_t shop = kShop) {
    auto created = service_.CreateProduct(shop, input);
    EXPECT_TRUE(created.ok()) << created.error().type << ": " << created.error().detail << " at "
                              << created.error().field;
    return created.ok() ? std::move(created).value() : Product{};
  }

  std::int64_t CountRows(const std::string& table) {
    auto count = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM " + table));
      return row->Int(0);
    });
    return count.ok() ? *count : -1;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  CatalogService service_;
};

}  // namespace plaza::catalog::testing
