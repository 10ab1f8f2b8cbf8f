// The catalog over HTTP: staff create products, shoppers read them on the storefront
// with the market's prices and inventory's availability, the Shopify CSV import reports
// per row, bad input gets precise problems, and search answers facets; on every backend.

#include <gtest/gtest.h>

#include "plaza/inventory/inventory.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class CatalogApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("atelier");
    owner_ = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
    auto market = Call("POST", Path("/markets"), owner_,
                       R"({"handle":"eu","name":"Europe","countries":["FR","DE"],"currency":"EUR"})");
    ASSERT_EQ(market.status, 201) << market.body;
    market_id_ = std::to_string(market.Json().at("id").as_int64());
    auto us = Call("POST", Path("/markets"), owner_,
                   R"({"handle":"us","name":"United States","countries":["US"],"currency":"USD"})");
    ASSERT_EQ(us.status, 201) << us.body;
    us_market_id_ = std::to_string(us.Json().at("id").as_int64());
  }

  std::string Path(const std::string& rest) const { return "/api/v1/shops/atelier" + rest; }

  // A shirt in S and M, active on the online store unless told otherwise.
  boost::json::object CreateShirt(const std::string& handle, const std::string& status = "active",
                                  const std::string& channels = R"(["online_store"])") {
    auto response = Call("POST", Path("/products"), owner_,
                         R"({"handle":")" + handle + R"(","title":"Linen shirt )" + handle +
                             R"(","vendor":"Atelier","product_type":"Shirt","tags":["linen","summer"],"status":")" +
                             status + R"(","channels":)" + channels +
                             R"(,"option_names":["Size"],"variants":[{"option_values":["S"],"sku":")" + handle +
                             R"(-S"},{"option_values":["M"],"sku":")" + handle + R"(-M"}]})");
    EXPECT_EQ(response.status, 201) << response.body;
    return response.Json().as_object();
  }

  void Price(std::int64_t variant_id, std::int64_t amount, std::optional<std::int64_t> compare_at = {}) {
    std::string body =
        R"({"prices":[{"variant_id":)" + std::to_string(variant_id) + R"(,"amount":)" + std::to_string(amount);
    if (compare_at) body += R"(,"compare_at_amount":)" + std::to_string(*compare_at);
    body += "}]}";
    auto response = Call("PUT", Path("/markets/" + market_id_ + "/prices"), owner_, body);
    ASSERT_EQ(response.status, 200) << response.body;
  }

  void Stock(std::int64_t variant_id, std::int64_t quantity) {
    inventory::InventoryService inventory(db(), clock());
    auto location = inventory.ListLocations(shop_.id);
    ASSERT_TRUE(location.ok());
    std::int64_t location_id = 0;
    if (location->empty()) {
      auto created = inventory.CreateLocation(shop_.id, {.name = "Paris"});
      ASSERT_TRUE(created.ok());
      location_id = created->id;
    } else {
      location_id = location->front().id;
    }
    auto item = inventory.EnsureVariantItem(shop_.id, variant_id, "");
    ASSERT_TRUE(item.ok()) << item.error().detail;
    ASSERT_TRUE(inventory
                    .Receive(shop_.id, {.item_id = item->id,
                                        .location_id = location_id,
                                        .quantity = quantity,
                                        .reason = "test",
                                        .actor = "staff:1"})
                    .ok());
  }

  static std::int64_t VariantId(const boost::json::object& product, std::size_t index) {
    return product.at("variants").as_array().at(index).at("id").as_int64();
  }

  TestShop shop_;
  Credentials owner_;
  std::string market_id_;
  std::string us_market_id_;
};

TEST_P(CatalogApiTest, ProductReadsBackOnTheStorefrontWithPricesAndAvailability) {
  const auto shirt = CreateShirt("linen-shirt");
  EXPECT_EQ(shirt.at("variants").as_array().size(), 2u);
  Price(VariantId(shirt, 0), 4950, 5900);
  Price(VariantId(shirt, 1), 4950);
  Stock(VariantId(shirt, 0), 10);

  auto admin = Call("GET", Path("/products/" + std::to_string(shirt.at("id").as_int64())), owner_);
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(admin.Json().at("handle").as_string(), "linen-shirt");
  EXPECT_EQ(admin.Json().at("status").as_string(), "active");

  auto page = Call("GET", Path("/storefront/products/linen-shirt?country=FR"), {});
  ASSERT_EQ(page.status, 200) << page.body;
  const auto product = page.Json().as_object();
  EXPECT_FALSE(product.contains("status"));
  const auto& small = product.at("variants").as_array().at(0).as_object();
  EXPECT_EQ(small.at("price").at("amount").as_int64(), 4950);
  EXPECT_EQ(small.at("price").at("currency").as_string(), "EUR");
  EXPECT_EQ(small.at("price").at("decimal").as_string(), "49.50");
  EXPECT_EQ(small.at("compare_at").at("amount").as_int64(), 5900);
  EXPECT_EQ(small.at("availability").as_string(), "in_stock");
  const auto& medium = product.at("variants").as_array().at(1).as_object();
  EXPECT_TRUE(medium.at("compare_at").is_null());
  EXPECT_EQ(medium.at("availability").as_string(), "out_of_stock");

  // The US market has no prices for it: the product shows, unpriced.
  auto us = Call("GET", Path("/storefront/products/linen-shirt?market=us"), {});
  ASSERT_EQ(us.status, 200) << us.body;
  EXPECT_TRUE(us.Json().at("variants").at(0).at("price").is_null());
  EXPECT_EQ(Call("GET", Path("/storefront/products/linen-shirt?market=nowhere"), {}).status, 404);

  auto list = Call("GET", Path("/storefront/products"), {});
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.Json().at("products").as_array().size(), 1u);
  EXPECT_EQ(list.Json().at("products").at(0).at("variants").at(0).at("price").at("amount").as_int64(), 4950);
}

TEST_P(CatalogApiTest, DraftAndUnpublishedProductsAreInvisibleOnTheStorefront) {
  CreateShirt("visible");
  CreateShirt("draft", "draft");
  CreateShirt("meta-only", "active", R"(["meta"])");
  const auto archived = CreateShirt("later");
  auto status = Call("PUT", Path("/products/" + std::to_string(archived.at("id").as_int64()) + "/status"), owner_,
                     R"({"status":"archived"})");
  ASSERT_EQ(status.status, 200) << status.body;

  EXPECT_EQ(Call("GET", Path("/storefront/products/visible"), {}).status, 200);
  for (const std::string handle : {"draft", "meta-only", "later", "missing"}) {
    auto response = Call("GET", Path("/storefront/products/" + handle), {});
    EXPECT_EQ(response.status, 404) << handle;
    EXPECT_EQ(response.ProblemType(), "/problems/not-found") << handle;
  }
  auto list = Call("GET", Path("/storefront/products?limit=1"), {});
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.Json().at("products").as_array().size(), 1u);
  EXPECT_EQ(list.Json().at("products").at(0).at("handle").as_string(), "visible");
  EXPECT_TRUE(list.Json().at("next_cursor").is_null());
  auto search = Call("GET", Path("/storefront/search?q=linen"), {});
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(search.Json().at("total").as_int64(), 1);

  // Staff see all four.
  auto admin = Call("GET", Path("/products"), owner_);
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(admin.Json().at("products").as_array().size(), 4u);

  // Publishing makes it visible.
  const auto meta = Call("GET", Path("/products?status=active&channel=meta"), owner_);
  ASSERT_EQ(meta.Json().at("products").as_array().size(), 1u);
  const std::string meta_id = std::to_string(meta.Json().at("products").at(0).at("id").as_int64());
  auto channels =
      Call("PUT", Path("/products/" + meta_id + "/channels"), owner_, R"({"channels":["meta","online_store"]})");
  ASSERT_EQ(channels.status, 200) << channels.body;
  EXPECT_EQ(Call("GET", Path("/storefront/products/meta-only"), {}).status, 200);
}

TEST_P(CatalogApiTest, CollectionsOnTheStorefrontListTheirVisibleProducts) {
  const auto shirt = CreateShirt("in-collection");
  const auto hidden = CreateShirt("hidden-draft", "draft");
  auto collection =
      Call("POST", Path("/collections"), owner_,
           R"({"handle":"summer","title":"Summer","product_ids":[)" + std::to_string(shirt.at("id").as_int64()) + "," +
               std::to_string(hidden.at("id").as_int64()) + "]}");
  ASSERT_EQ(collection.status, 201) << collection.body;
  auto page = Call("GET", Path("/storefront/collections/summer"), {});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Json().at("title").as_string(), "Summer");
  ASSERT_EQ(page.Json().at("products").as_array().size(), 1u);
  EXPECT_EQ(page.Json().at("products").at(0).at("handle").as_string(), "in-collection");

  const std::string id = std::to_string(collection.Json().at("id").as_int64());
  auto unpublished = Call("PUT", Path("/collections/" + id), owner_, R"({"title":"Summer","published":false})");
  ASSERT_EQ(unpublished.status, 200) << unpublished.body;
  EXPECT_EQ(Call("GET", Path("/storefront/collections/summer"), {}).status, 404);
  EXPECT_EQ(Call("DELETE", Path("/collections/" + id), owner_).status, 204);
  EXPECT_EQ(Call("GET", Path("/collections/" + id), owner_).status, 404);
}

TEST_P(CatalogApiTest, CsvImportDryRunReportsTheBrokenRowAndWritesNothing) {
  const std::string csv =
      "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Status,Published\n"
      "good-tee,Good tee,Size,S,GT-S,19.00,active,TRUE\n"
      "good-tee,,Size,M,GT-M,19.00,,\n"
      "bad-tee,Bad tee,Size,S,BT-S,not-a-price,active,TRUE\n";
  http::Headers headers = owner_.headers;
  headers.Set("Content-Type", "text/csv");
  auto dry = client().Send("POST", Path("/catalog/import?dry_run=true"), csv, headers);
  ASSERT_TRUE(dry.ok());
  ASSERT_EQ(dry->status, 200) << dry->body;
  const auto report = dry->Json().as_object();
  EXPECT_TRUE(report.at("dry_run").as_bool());
  EXPECT_EQ(report.at("rows").as_int64(), 3);
  EXPECT_EQ(report.at("products_rejected").as_int64(), 1);
  ASSERT_EQ(report.at("issues").as_array().size(), 1u);
  const auto& issue = report.at("issues").at(0).as_object();
  EXPECT_EQ(issue.at("row").as_int64(), 4);
  EXPECT_EQ(issue.at("column").as_string(), "Variant Price");
  EXPECT_EQ(issue.at("handle").as_string(), "bad-tee");
  EXPECT_EQ(Call("GET", Path("/products"), owner_).Json().at("products").as_array().size(), 0u);

  auto real = client().Send("POST", Path("/catalog/import"), csv, headers);
  ASSERT_TRUE(real.ok());
  ASSERT_EQ(real->status, 200) << real->body;
  EXPECT_EQ(real->Json().at("products_created").as_int64(), 1);
  auto tee = Call("GET", Path("/storefront/products/good-tee?country=DE"), {});
  ASSERT_EQ(tee.status, 200) << tee.body;
  EXPECT_EQ(tee.Json().at("variants").at(0).at("price").at("amount").as_int64(), 1900);
  EXPECT_EQ(Call("GET", Path("/storefront/products/bad-tee"), {}).status, 404);

  auto exported = Call("GET", Path("/catalog/export"), owner_);
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(exported.headers.Get("Content-Type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_NE(exported.body.find("good-tee"), std::string::npos);
  EXPECT_NE(exported.body.find("19.00"), std::string::npos);

  auto json_body = Call("POST", Path("/catalog/import"), owner_, "{}");
  EXPECT_EQ(json_body.status, 415) << json_body.body;
}

TEST_P(CatalogApiTest, BadInputGetsPreciseProblems) {
  struct Case {
    std::string body;
    int status;
    std::string type;
    std::string field;
  };
  const std::vector<Case> cases = {
      {R"({"title":"A",)", 400, "/problems/json/malformed", ""},
      {R"({"title":42})", 422, "/problems/validation/type", "/title"},
      {R"({"title":"A","colour":"red"})", 422, "/problems/validation/unknown-field", "/colour"},
      {R"({"title":"A","variants":[{"sku":"X"},{"sku":7}]})", 422, "/problems/validation/type", "/variants/1/sku"},
      {R"({"title":"A","variants":[{"skew":"X"}]})", 422, "/problems/validation/unknown-field", "/variants/0/skew"},
      {R"({"title":"A","variants":["X"]})", 422, "/problems/validation/type", "/variants/0"},
      {R"({"title":"A","status":"live"})", 422, "/problems/catalog/unknown-status", "/status"},
      {R"({"title":"A","channels":["online_store","myspace"]})", 422, "/problems/catalog/unknown-channel",
       "/channels/1"},
      {R"({"title":"A","media":[{"url":"https://cdn.example/a.jpg","alt":5}]})", 422, "/problems/validation/type",
       "/media/0/alt"},
      {R"({"title":"A","variants":[{"weight_grams":1.5}]})", 422, "/problems/validation/type",
       "/variants/0/weight_grams"},
  };
  for (const Case& c : cases) {
    auto response = Call("POST", Path("/products"), owner_, c.body);
    EXPECT_EQ(response.status, c.status) << c.body << " -> " << response.body;
    EXPECT_EQ(response.headers.Get("Content-Type").value_or(""), "application/problem+json") << c.body;
    EXPECT_EQ(response.ProblemType(), c.type) << c.body << " -> " << response.body;
    if (!c.field.empty()) {
      EXPECT_EQ(response.Json().at("field").as_string(), c.field) << c.body;
    }
  }
  // The service's own validation keeps its pointer through the API.
  CreateShirt("taken");
  auto duplicate =
      Call("POST", Path("/products"), owner_,
           R"({"title":"B","option_names":["Size"],"variants":[{"option_values":["S"],"sku":"taken-S"}]})");
  EXPECT_EQ(duplicate.status, 409) << duplicate.body;
  EXPECT_EQ(Call("GET", Path("/products"), owner_).Json().at("products").as_array().size(), 1u);

  // A support agent has no catalog.write.
  const Credentials agent = StaffWithRoles(shop_, "agent@atelier.example", {identity::Role::kSupportAgent});
  EXPECT_EQ(Call("POST", Path("/products"), agent, R"({"title":"A"})").status, 403);
}

TEST_P(CatalogApiTest, SearchAnswersFacetsWithMarketPricesAndStock) {
  const auto shirt = CreateShirt("linen-a");
  const auto other = CreateShirt("linen-b");
  auto attribute = Call("POST", Path("/attributes"), owner_, R"({"key":"fabric","name":"Fabric","type":"text"})");
  ASSERT_EQ(attribute.status, 201) << attribute.body;
  EXPECT_EQ(Call("GET", Path("/attributes"), owner_).Json().at("attributes").as_array().size(), 1u);
  auto trousers = Call("POST", Path("/products"), owner_,
                       R"({"title":"Linen trousers","vendor":"Other","product_type":"Trousers","status":"active",)"
                       R"("channels":["online_store"],"variants":[{"sku":"TR-1"}]})");
  ASSERT_EQ(trousers.status, 201) << trousers.body;
  Price(VariantId(shirt, 0), 3000);
  Price(VariantId(other, 0), 6000);
  Price(trousers.Json().at("variants").at(0).at("id").as_int64(), 8000);
  Stock(VariantId(other, 0), 3);

  auto all = Call("GET", Path("/storefront/search?q=linen&country=FR"), {});
  ASSERT_EQ(all.status, 200) << all.body;
  const auto result = all.Json().as_object();
  EXPECT_EQ(result.at("total").as_int64(), 3);
  EXPECT_EQ(result.at("currency").as_string(), "EUR");
  const auto& facets = result.at("facets").as_object();
  EXPECT_EQ(facets.at("vendors").as_array().size(), 2u);
  EXPECT_EQ(facets.at("min_price").as_int64(), 3000);
  EXPECT_EQ(facets.at("max_price").as_int64(), 8000);
  EXPECT_EQ(facets.at("in_stock").as_int64(), 1);
  ASSERT_FALSE(facets.at("options").as_array().empty());
  EXPECT_EQ(facets.at("options").at(0).at("name").as_string(), "Size");

  auto filtered = Call("GET", Path("/storefront/search?q=linen&vendor=Atelier&max_price=5000"), {});
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_EQ(filtered.Json().at("total").as_int64(), 1);
  EXPECT_EQ(filtered.Json().at("products").at(0).at("handle").as_string(), "linen-a");
  auto in_stock = Call("GET", Path("/storefront/search?in_stock=true"), {});
  ASSERT_EQ(in_stock.status, 200) << in_stock.body;
  EXPECT_EQ(in_stock.Json().at("total").as_int64(), 1);
  EXPECT_EQ(in_stock.Json().at("products").at(0).at("handle").as_string(), "linen-b");
  EXPECT_EQ(Call("GET", Path("/storefront/search?limit=0"), {}).status, 422);
}

INSTANTIATE_TEST_SUITE_P(Backends, CatalogApiTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
