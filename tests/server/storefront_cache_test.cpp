// The storefront keeps the catalog part of its answers between requests. These tests
// warm every storefront read, then change prices, stock and the catalog through
// services of their own on the same database, the way another Plaza process would, so
// nothing in the serving process hears of the change: the next read must show it.

#include <gtest/gtest.h>

#include "plaza/catalog/catalog.h"
#include "plaza/inventory/inventory.h"
#include "plaza/pricing/pricing.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class StorefrontCacheTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("atelier");
    owner_ = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
    auto market = Call("POST", Path("/markets"), owner_,
                       R"({"handle":"eu","name":"Europe","countries":["FR"],"currency":"EUR","is_default":true})");
    ASSERT_EQ(market.status, 201) << market.body;
    market_id_ = market.Json().at("id").as_int64();
    auto product = Call("POST", Path("/products"), owner_,
                        R"({"handle":"linen-shirt","title":"Linen shirt","vendor":"Atelier","status":"active",)"
                        R"("channels":["online_store"],"variants":[{"sku":"LS-1"}]})");
    ASSERT_EQ(product.status, 201) << product.body;
    product_id_ = product.Json().at("id").as_int64();
    variant_id_ = product.Json().at("variants").at(0).at("id").as_int64();
    SetPrice(4950);
  }

  std::string Path(const std::string& rest) const { return "/api/v1/shops/atelier" + rest; }

  // The three storefront reads that show the shirt, each as the shirt's object.
  std::vector<boost::json::object> Reads() {
    std::vector<boost::json::object> out;
    auto one = Call("GET", Path("/storefront/products/linen-shirt?country=FR"), {});
    EXPECT_EQ(one.status, 200) << one.body;
    if (one.status == 200) out.push_back(one.Json().as_object());
    for (const std::string path : {"/storefront/products?country=FR", "/storefront/search?q=linen&country=FR"}) {
      auto list = Call("GET", Path(path), {});
      EXPECT_EQ(list.status, 200) << list.body;
      if (list.status != 200) continue;
      const boost::json::value json = list.Json();
      const auto& products = json.at("products").as_array();
      EXPECT_EQ(products.size(), 1u) << path;
      if (!products.empty()) out.push_back(products.front().as_object());
    }
    return out;
  }

  static const boost::json::object& Variant(const boost::json::object& product) {
    return product.at("variants").as_array().at(0).as_object();
  }

  void SetPrice(std::int64_t amount) {
    pricing::PricingService pricing(db(), clock());
    const pricing::PriceInput price{.variant_id = variant_id_, .amount = amount};
    ASSERT_TRUE(pricing.SetPrices(shop_.id, market_id_, std::span(&price, 1)).ok());
  }

  void Receive(std::int64_t quantity) {
    inventory::InventoryService inventory(db(), clock());
    auto location = inventory.CreateLocation(shop_.id, {.name = "Paris"});
    ASSERT_TRUE(location.ok());
    auto item = inventory.EnsureVariantItem(shop_.id, variant_id_, "");
    ASSERT_TRUE(item.ok()) << item.error().detail;
    ASSERT_TRUE(inventory
                    .Receive(shop_.id, {.item_id = item->id,
                                        .location_id = location->id,
                                        .quantity = quantity,
                                        .reason = "test",
                                        .actor = "staff:1"})
                    .ok());
  }

  TestShop shop_;
  Credentials owner_;
  std::int64_t market_id_ = 0;
  std::int64_t product_id_ = 0;
  std::int64_t variant_id_ = 0;
};

TEST_P(StorefrontCacheTest, APriceChangeShowsOnTheNextRead) {
  for (const auto& product : Reads()) EXPECT_EQ(Variant(product).at("price").at("amount").as_int64(), 4950);
  SetPrice(3900);
  const auto reads = Reads();
  ASSERT_EQ(reads.size(), 3u);
  for (const auto& product : reads) EXPECT_EQ(Variant(product).at("price").at("amount").as_int64(), 3900);
  auto search = Call("GET", Path("/storefront/search?q=linen&country=FR&max_price=4000"), {});
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(search.Json().at("total").as_int64(), 1);
  EXPECT_EQ(search.Json().at("facets").at("min_price").as_int64(), 3900);
}

TEST_P(StorefrontCacheTest, AStockChangeShowsOnTheNextRead) {
  for (const auto& product : Reads()) {
    EXPECT_EQ(Variant(product).at("availability").as_string(), "out_of_stock");
    EXPECT_EQ(Variant(product).at("available").as_int64(), 0);
  }
  auto none = Call("GET", Path("/storefront/search?q=linen&country=FR&in_stock=true"), {});
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.Json().at("total").as_int64(), 0);

  Receive(40);
  const auto reads = Reads();
  ASSERT_EQ(reads.size(), 3u);
  for (const auto& product : reads) {
    EXPECT_EQ(Variant(product).at("availability").as_string(), "in_stock");
    EXPECT_EQ(Variant(product).at("available").as_int64(), 40);
  }
  auto some = Call("GET", Path("/storefront/search?q=linen&country=FR&in_stock=true"), {});
  ASSERT_EQ(some.status, 200) << some.body;
  EXPECT_EQ(some.Json().at("total").as_int64(), 1);
  EXPECT_EQ(some.Json().at("facets").at("in_stock").as_int64(), 1);
}

TEST_P(StorefrontCacheTest, ACatalogWriteShowsOnTheNextRead) {
  for (const auto& product : Reads()) EXPECT_EQ(product.at("title").as_string(), "Linen shirt");
  catalog::CatalogService catalog(db(), clock());
  auto current = catalog.GetProduct(shop_.id, product_id_);
  ASSERT_TRUE(current.ok());
  catalog::ProductInput input{.handle = "linen-shirt",
                              .title = "Linen shirt, washed",
                              .vendor = "Atelier",
                              .status = catalog::ProductStatus::kActive,
                              .channels = {catalog::Channel::kOnlineStore},
                              .variants = {{.id = variant_id_, .sku = "LS-1"}}};
  ASSERT_TRUE(catalog.UpdateProduct(shop_.id, product_id_, input).ok());
  const auto reads = Reads();
  ASSERT_EQ(reads.size(), 3u);
  for (const auto& product : reads) {
    EXPECT_EQ(product.at("title").as_string(), "Linen shirt, washed");
    EXPECT_EQ(Variant(product).at("price").at("amount").as_int64(), 4950);
  }

  ASSERT_TRUE(catalog.SetStatus(shop_.id, product_id_, catalog::ProductStatus::kDraft).ok());
  EXPECT_EQ(Call("GET", Path("/storefront/products/linen-shirt?country=FR"), {}).status, 404);
  auto list = Call("GET", Path("/storefront/products?country=FR"), {});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(list.Json().at("products").as_array().empty());
}

TEST_P(StorefrontCacheTest, AnUnknownHandleAnswersOnceTheProductExists) {
  EXPECT_EQ(Call("GET", Path("/storefront/products/wool-scarf?country=FR"), {}).status, 404);
  catalog::CatalogService catalog(db(), clock());
  ASSERT_TRUE(catalog
                  .CreateProduct(shop_.id, {.handle = "wool-scarf",
                                            .title = "Wool scarf",
                                            .status = catalog::ProductStatus::kActive,
                                            .channels = {catalog::Channel::kOnlineStore}})
                  .ok());
  auto found = Call("GET", Path("/storefront/products/wool-scarf?country=FR"), {});
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.Json().at("title").as_string(), "Wool scarf");
}

INSTANTIATE_TEST_SUITE_P(Backends, StorefrontCacheTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
