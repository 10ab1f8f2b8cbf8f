#include <gtest/gtest.h>

#include "catalog_test_fixture.h"

namespace plaza::catalog::testing {
namespace {

using SearchTest = CatalogTest;

ProductInput Simple(std::string title, std::string description, std::string vendor, std::string sku) {
  ProductInput input;
  input.title = std::move(title);
  input.description_html = std::move(description);
  input.vendor = std::move(vendor);
  input.status = ProductStatus::kActive;
  input.channels = {Channel::kOnlineStore};
  VariantInput variant;
  variant.sku = std::move(sku);
  input.variants = {variant};
  return input;
}

std::vector<std::string> Handles(const SearchResult& result) {
  std::vector<std::string> handles;
  for (const SearchHit& hit : result.hits) handles.push_back(hit.handle);
  return handles;
}

TEST_P(SearchTest, TitleMatchesRankAboveDescriptionMatches) {
  Create(Simple("Wool Socks", "<p>Warm and <b>cosy</b></p>", "Acme", "SOCK-1"));
  Create(Simple("Hiking Boots", "<p>Pair them with wool socks</p>", "Acme", "BOOT-1"));
  Create(Simple("Cotton Shirt", "<p>Light</p>", "Woolworth", "SHIRT-1"));
  auto result = service_.Search(kShop, {.text = "wool"});
  CATALOG_ASSERT_OK(result);
  ASSERT_EQ(result->hits.size(), 3u);
  EXPECT_EQ(result->hits.front().handle, "wool-socks");
  EXPECT_EQ(result->hits.back().handle, "hiking-boots");
  EXPECT_GT(result->hits[0].rank, result->hits[2].rank);
  EXPECT_EQ(result->total, 3);

  // SKU, prefix and multi-word queries; punctuation is not syntax.
  auto by_sku = service_.Search(kShop, {.text = "BOOT-1"});
  CATALOG_ASSERT_OK(by_sku);
  EXPECT_EQ(Handles(*by_sku), std::vector<std::string>{"hiking-boots"});
  auto prefix = service_.Search(kShop, {.text = "hik"});
  CATALOG_ASSERT_OK(prefix);
  EXPECT_EQ(Handles(*prefix), std::vector<std::string>{"hiking-boots"});
  auto hostile = service_.Search(kShop, {.text = "\" OR 1=1 -- ' & | ! :* NEAR("});
  CATALOG_ASSERT_OK(hostile);
  EXPECT_TRUE(hostile->hits.empty());
  // Description text is indexed without its markup.
  auto markup = service_.Search(kShop, {.text = "cosy"});
  CATALOG_ASSERT_OK(markup);
  EXPECT_EQ(Handles(*markup), std::vector<std::string>{"wool-socks"});
  // Another shop sees nothing.
  auto other = service_.Search(kOtherShop, {.text = "wool"});
  CATALOG_ASSERT_OK(other);
  EXPECT_TRUE(other->hits.empty());
}

TEST_P(SearchTest, FiltersAndFacets) {
  const Product shirt = Create(Shirt());
  ProductInput draft = Shirt("draft-shirt", "DR");
  draft.status = ProductStatus::kDraft;
  Create(draft);
  ProductInput mug = Simple("Linen Mug", "", "Potter", "MUG-1");
  mug.product_type = "Mugs";
  const Product mug_product = Create(mug);
  auto collection = service_.CreateCollection(kShop, {.handle = "summer",
                                                      .title = "Summer",
                                                      .rule_based = true,
                                                      .rules = {{RuleField::kTag, RuleRelation::kEquals, "summer"}}});
  CATALOG_ASSERT_OK(collection);

  SearchQuery query{.text = "linen", .channel = Channel::kOnlineStore};
  auto result = service_.Search(kShop, query);
  CATALOG_ASSERT_OK(result);
  EXPECT_EQ(result->total, 2);  // the draft is not on the storefront
  const Facets& facets = result->facets;
  ASSERT_EQ(facets.vendors.size(), 2u);
  EXPECT_EQ(facets.vendors[0].value, "Northwind");
  ASSERT_EQ(facets.collections.size(), 1u);
  EXPECT_EQ(facets.collections[0].value, "summer");
  EXPECT_EQ(facets.collections[0].count, 1);
  ASSERT_EQ(facets.options.size(), 2u);
  EXPECT_EQ(facets.options[0].name, "Colour");
  EXPECT_EQ(facets.options[1].name, "Size");
  EXPECT_EQ(facets.options[1].values.size(), 2u);

  query.option_values = {{"Colour", "Red"}};
  result = service_.Search(kShop, query);
  CATALOG_ASSERT_OK(result);
  EXPECT_EQ(Handles(*result), std::vector<std::string>{"linen-shirt"});
  query.option_values.clear();
  query.vendors = {"Potter"};
  result = service_.Search(kShop, query);
  CATALOG_ASSERT_OK(result);
  EXPECT_EQ(Handles(*result), std::vector<std::string>{"linen-mug"});
  query.vendors.clear();
  query.tags = {"SUMMER"};
  result = service_.Search(kShop, query);
  CATALOG_ASSERT_OK(result);
  EXPECT_EQ(Handles(*result), std::vector<std::string>{"linen-shirt"});
  query.tags.clear();
  query.collection_id = collection->id;
  result = service_.Search(kShop, query);
  CATALOG_ASSERT_OK(result);
  EXPECT_EQ(Handles(*result), std::vector<std::string>{"linen-shirt"});

  // Price and stock come from the caller.
  query.collection_id.reset();
  query.variant_prices = {
      {shirt.variants[0].id, 4500}, {shirt.variants[1].id, 5500}, {mug_product.variants[0].id, 1200}};
  query.in_stock_variant_ids = std::vector<std::int64_t>{mug_product.variants[0].id};
  result = service_.Search(kShop, query);
  CATALOG_ASSERT_OK(result);
  EXPECT_EQ(result->facets.min_price, 1200);
  EXPECT_EQ(result->facets.max_price, 5500);
  EXPECT_EQ(result->facets.in_stock, 1);
  query.min_price = 5000;
  result = service_.Search(kShop, query);
  CATALOG_ASSERT_OK(result);
  EXPECT_EQ(Handles(*result), std::vector<std::string>{"linen-shirt"});
  query.min_price.reset();
  query.in_stock_only = true;
  result = service_.Search(kShop, query);
  CATALOG_ASSERT_OK(result);
  EXPECT_EQ(Handles(*result), std::vector<std::string>{"linen-mug"});
  EXPECT_EQ(result->total, 1);

  EXPECT_EQ(service_.Search(kShop, {.limit = 0}).error().field, "/limit");
  EXPECT_EQ(service_.Search(kShop, {.in_stock_only = true}).error().type, "catalog/stock-required");
}

TEST_P(SearchTest, OffsetPagesThroughRankedResults) {
  for (int index = 0; index < 7; ++index) {
    Create(Simple("Candle " + std::to_string(index), "", "Wax", "C" + std::to_string(index)));
  }
  std::vector<std::string> seen;
  for (int offset = 0; offset < 7; offset += 3) {
    auto page = service_.Search(kShop, {.text = "candle", .with_facets = false, .offset = offset, .limit = 3});
    CATALOG_ASSERT_OK(page);
    EXPECT_EQ(page->total, 7);
    for (const SearchHit& hit : page->hits) seen.push_back(hit.handle);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
  EXPECT_EQ(seen.size(), 7u);
}

TEST_P(SearchTest, AnnotateIsAskedOnlyForTheCandidatesVariants) {
  const Product socks = Create(Simple("Wool Socks", "", "Acme", "SOCK-1"));
  const Product hat = Create(Simple("Wool Hat", "", "Acme", "HAT-1"));
  const Product boots = Create(Simple("Hiking Boots", "", "Acme", "BOOT-1"));
  std::vector<std::int64_t> asked;
  SearchQuery query{.text = "wool", .channel = Channel::kOnlineStore};
  query.annotate = [&](store::Transaction&, std::span<const std::int64_t> ids, VariantAnnotations& out) -> Status {
    for (const std::int64_t id : ids) {
      asked.push_back(id);
      out.prices.push_back({id, id == socks.variants[0].id ? 900 : 2500});
    }
    out.in_stock.push_back(hat.variants[0].id);
    return Ok();
  };
  auto result = service_.Search(kShop, query);
  CATALOG_ASSERT_OK(result);
  std::sort(asked.begin(), asked.end());
  EXPECT_EQ(asked, (std::vector<std::int64_t>{socks.variants[0].id, hat.variants[0].id}));
  EXPECT_FALSE(std::count(asked.begin(), asked.end(), boots.variants[0].id));
  EXPECT_EQ(result->facets.min_price, 900);
  EXPECT_EQ(result->facets.max_price, 2500);
  EXPECT_EQ(result->facets.in_stock, 1);

  query.max_price = 1000;
  result = service_.Search(kShop, query);
  CATALOG_ASSERT_OK(result);
  EXPECT_EQ(Handles(*result), std::vector<std::string>{"wool-socks"});
  query.max_price.reset();
  query.in_stock_only = true;
  result = service_.Search(kShop, query);
  CATALOG_ASSERT_OK(result);
  EXPECT_EQ(Handles(*result), std::vector<std::string>{"wool-hat"});

  // A failing lookup fails the search.
  query.annotate = [](store::Transaction&, std::span<const std::int64_t>, VariantAnnotations&) -> Status {
    return Error::Unavailable("prices unavailable");
  };
  EXPECT_FALSE(service_.Search(kShop, query).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, SearchTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::catalog::testing
