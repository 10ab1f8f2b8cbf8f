// The module's header first, proving it is self-contained.
#include <gtest/gtest.h>

#include "catalog_test_fixture.h"
#include "plaza/catalog/catalog.h"

namespace plaza::catalog::testing {
namespace {

using ProductsTest = CatalogTest;

TEST(Handles, ValidAndMade) {
  EXPECT_TRUE(IsValidHandle("linen-shirt-2"));
  for (const char* bad : {"", "-a", "a-", "a--b", "A", "a b", "é", "a_b"}) EXPECT_FALSE(IsValidHandle(bad)) << bad;
  EXPECT_EQ(MakeHandle("Blue Shirt (XL)!"), "blue-shirt-xl");
  EXPECT_EQ(MakeHandle("¡¡!!"), "product");
}

TEST_P(ProductsTest, CreateReadsBackEverything) {
  const Product product = Create(Shirt());
  EXPECT_GT(product.id, 0);
  EXPECT_EQ(product.handle, "linen-shirt");
  EXPECT_EQ(product.tags, (std::vector<std::string>{"linen", "summer"}));
  ASSERT_EQ(product.options.size(), 2u);
  EXPECT_EQ(product.options[0].name, "Size");
  EXPECT_EQ(product.options[0].values, (std::vector<std::string>{"M", "L"}));
  EXPECT_EQ(product.options[1].values, (std::vector<std::string>{"Blue", "Red"}));
  ASSERT_EQ(product.variants.size(), 4u);
  EXPECT_EQ(product.variants[0].title, "M / Blue");
  EXPECT_EQ(product.variants[0].tax_class, "standard");
  EXPECT_EQ(product.variants[0].position, 1);
  ASSERT_EQ(product.media.size(), 2u);
  EXPECT_EQ(product.variants[0].image_id, product.media[0].id);
  EXPECT_FALSE(product.variants[1].image_id.has_value());
  EXPECT_EQ(product.channels, (std::vector<Channel>{Channel::kOnlineStore, Channel::kMeta}));
  EXPECT_TRUE(IsVisibleOn(product, Channel::kMeta));
  EXPECT_FALSE(IsVisibleOn(product, Channel::kTiktok));

  auto by_handle = service_.GetProductByHandle(kShop, "linen-shirt");
  CATALOG_ASSERT_OK(by_handle);
  EXPECT_EQ(by_handle->id, product.id);
  EXPECT_EQ(service_.GetProduct(kOtherShop, product.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.GetProductByHandle(kOtherShop, "linen-shirt").error().code, ErrorCode::kNotFound);
}

TEST_P(ProductsTest, ProductWithoutOptionsGetsTheDefaultVariant) {
  ProductInput input;
  input.title = "Gift Box!";
  const Product product = Create(input);
  EXPECT_EQ(product.handle, "gift-box");
  ASSERT_EQ(product.variants.size(), 1u);
  EXPECT_EQ(product.variants[0].title, "Default Title");
  // A second product with the same title gets a free handle.
  EXPECT_EQ(Create(input).handle, "gift-box-2");
}

TEST_P(ProductsTest, ValidationNamesTheField) {
  struct Case {
    std::function<void(ProductInput&)> change;
    std::string type;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](ProductInput& p) { p.title = " "; }, "validation/required", "/title"},
      {[](ProductInput& p) { p.handle = "Bad Handle"; }, "catalog/invalid-handle", "/handle"},
      {[](ProductInput& p) { p.option_names.push_back("Size"); }, "catalog/duplicate-option", "/option_names/2"},
      {[](ProductInput& p) { p.variants[1].option_values.pop_back(); }, "catalog/option-mismatch",
       "/variants/1/option_values"},
      {[](ProductInput& p) {
         p.variants[2].option_values = {"M", "Blue"};
       },
       "catalog/duplicate-variant", "/variants/2/option_values"},
      {[](ProductInput& p) { p.variants[3].sku = p.variants[0].sku; }, "catalog/duplicate-sku", "/variants/3/sku"},
      {[](ProductInput& p) { p.variants[0].gtin = "4006381333932"; }, "catalog/invalid-gtin", "/variants/0/gtin"},
      {[](ProductInput& p) { p.variants[0].weight_grams = -1; }, "catalog/invalid-weight", "/variants/0/weight_grams"},
      {[](ProductInput& p) { p.variants[0].tax_class = "Reduced Rate"; }, "catalog/invalid-tax-class",
       "/variants/0/tax_class"},
      {[](ProductInput& p) { p.variants[0].image_url = "https://elsewhere.example/x.jpg"; }, "catalog/unknown-image",
       "/variants/0/image_url"},
      {[](ProductInput& p) { p.media[1].url = "javascript:alert(1)"; }, "catalog/invalid-url", "/media/1/url"},
      {[](ProductInput& p) { p.title = "bad \xC3"; }, "catalog/invalid-text", "/title"},
      {[](ProductInput& p) { p.tags = {"a,b"}; }, "catalog/invalid-tag", "/tags/0"},
      {[](ProductInput& p) {
         p.option_names = {"A", "B", "C", "D"};
       },
       "catalog/too-many-options", "/option_names"},
      {[](ProductInput& p) { p.option_names.clear(); }, "catalog/options-required", "/option_names"},
  };
  for (std::size_t index = 0; index < cases.size(); ++index) {
    ProductInput input = Shirt();
    cases[index].change(input);
    auto created = service_.CreateProduct(kShop, input);
    ASSERT_FALSE(created.ok()) << "case " << index;
    EXPECT_EQ(created.error().type, cases[index].type) << "case " << index;
    EXPECT_EQ(created.error().field, cases[index].field) << "case " << index;
  }
  EXPECT_EQ(CountRows("catalog_products"), 0);
}

TEST_P(ProductsTest, HandlesAndSkusAreUniquePerShop) {
  Create(Shirt());
  auto same_handle = service_.CreateProduct(kShop, Shirt("linen-shirt", "OTHER"));
  ASSERT_FALSE(same_handle.ok());
  EXPECT_EQ(same_handle.error().type, "catalog/handle-taken");
  auto same_sku = service_.CreateProduct(kShop, Shirt("another-shirt", "SH"));
  ASSERT_FALSE(same_sku.ok());
  EXPECT_EQ(same_sku.error().type, "catalog/sku-taken");
  EXPECT_EQ(same_sku.error().field, "/variants/0/sku");
  // Another shop may use both.
  Create(Shirt(), kOtherShop);
  EXPECT_EQ(CountRows("catalog_products"), 2);
  EXPECT_EQ(CountRows("catalog_variants"), 8);
}

TEST_P(ProductsTest, UpdateKeepsVariantIdsAndRetiresRemovedOnes) {
  const Product product = Create(Shirt());
  ProductInput input = Shirt();
  // Reorder, drop one variant, add one, and swap two SKUs.
  std::swap(input.variants[0], input.variants[1]);
  std::swap(input.variants[0].sku, input.variants[1].sku);
  input.variants.pop_back();
  VariantInput xl;
  xl.option_values = {"XL", "Blue"};
  xl.sku = "SH-XL-Blue";
  input.variants.push_back(xl);
  auto updated = service_.UpdateProduct(kShop, product.id, input);
  CATALOG_ASSERT_OK(updated);
  ASSERT_EQ(updated->variants.size(), 4u);
  EXPECT_EQ(updated->variants[0].id, product.variants[1].id);
  EXPECT_EQ(updated->variants[0].sku, "SH-M-Blue");
  EXPECT_EQ(updated->variants[1].id, product.variants[0].id);
  EXPECT_EQ(updated->variants[2].id, product.variants[2].id);
  const std::int64_t retired = product.variants[3].id;
  EXPECT_GT(updated->variants[3].id, retired);

  // Ids are never reused, even after deletion.
  CATALOG_ASSERT_OK(service_.DeleteProduct(kShop, product.id));
  const Product again = Create(Shirt());
  EXPECT_GT(again.id, product.id);
  EXPECT_GT(again.variants.front().id, updated->variants[3].id);
  EXPECT_EQ(service_.DeleteProduct(kOtherShop, again.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.UpdateProduct(kOtherShop, again.id, Shirt()).error().code, ErrorCode::kNotFound);
}

TEST_P(ProductsTest, ForeignVariantIdIsRefused) {
  const Product first = Create(Shirt());
  const Product second = Create(Shirt("second", "S2"));
  ProductInput input = Shirt("second", "S2");
  input.variants[0].id = first.variants[0].id;
  auto updated = service_.UpdateProduct(kShop, second.id, input);
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().type, "catalog/unknown-variant");
  EXPECT_EQ(updated.error().field, "/variants/0/id");
}

TEST_P(ProductsTest, WritesAppendOutboxEvents) {
  const Product product = Create(Shirt());
  CATALOG_ASSERT_OK(service_.SetStatus(kShop, product.id, ProductStatus::kArchived));
  CATALOG_ASSERT_OK(service_.DeleteProduct(kShop, product.id));
  auto events = db().Read([&](store::Transaction& tx) -> Result<std::vector<std::string>> {
    PLAZA_ASSIGN_OR_RETURN(auto rows, tx.Execute("SELECT event_type, aggregate_id FROM outbox_events ORDER BY id"));
    std::vector<std::string> out;
    for (const auto& row : rows.rows) out.push_back(row.Text(0) + " " + row.Text(1));
    return out;
  });
  CATALOG_ASSERT_OK(events);
  const std::string id = std::to_string(product.id);
  EXPECT_EQ(*events,
            (std::vector<std::string>{"product.created " + id, "product.updated " + id, "product.deleted " + id}));
}

TEST_P(ProductsTest, StatusAndChannels) {
  const Product product = Create(Shirt());
  auto archived = service_.SetStatus(kShop, product.id, ProductStatus::kArchived);
  CATALOG_ASSERT_OK(archived);
  EXPECT_FALSE(IsVisibleOn(*archived, Channel::kOnlineStore));
  auto channels = service_.SetChannels(kShop, product.id, {Channel::kGoogle, Channel::kTiktok});
  CATALOG_ASSERT_OK(channels);
  EXPECT_EQ(channels->channels, (std::vector<Channel>{Channel::kTiktok, Channel::kGoogle}));
  EXPECT_EQ(channels->variants.front().id, product.variants.front().id);
}

TEST_P(ProductsTest, ListPagesWithACursor) {
  for (int index = 0; index < 5; ++index) Create(Shirt("shirt-" + std::to_string(index), "S" + std::to_string(index)));
  ProductListQuery query;
  query.limit = 2;
  std::vector<std::string> handles;
  for (int page_count = 0; page_count < 5; ++page_count) {
    auto page = service_.ListProducts(kShop, query);
    CATALOG_ASSERT_OK(page);
    for (const Product& product : page->products) handles.push_back(product.handle);
    if (page->next_cursor.empty()) break;
    query.cursor = page->next_cursor;
  }
  EXPECT_EQ(handles, (std::vector<std::string>{"shirt-4", "shirt-3", "shirt-2", "shirt-1", "shirt-0"}));
  EXPECT_EQ(service_.ListProducts(kShop, {.cursor = "x'--"}).error().field, "/cursor");
  auto other = service_.ListProducts(kOtherShop, {});
  CATALOG_ASSERT_OK(other);
  EXPECT_TRUE(other->products.empty());
}

TEST_P(ProductsTest, VariantSummariesInOneBatch) {
  const Product shirt = Create(Shirt());
  auto collection = service_.CreateCollection(kShop, {.handle = "summer",
                                                      .title = "Summer",
                                                      .rule_based = true,
                                                      .rules = {{RuleField::kTag, RuleRelation::kEquals, "Summer"}}});
  CATALOG_ASSERT_OK(collection);
  const Product foreign = Create(Shirt(), kOtherShop);
  const std::vector<std::int64_t> ids = {shirt.variants[2].id, foreign.variants[0].id, 999999, shirt.variants[0].id};
  auto summaries = db().Read([&](store::Transaction& tx) { return GetVariantSummaries(tx, kShop, ids); });
  CATALOG_ASSERT_OK(summaries);
  ASSERT_EQ(summaries->size(), 2u);
  const VariantSummary& first = (*summaries)[0];
  EXPECT_EQ(first.variant_id, shirt.variants[2].id);
  EXPECT_EQ(first.product_title, "Linen Shirt");
  EXPECT_EQ(first.variant_title, "L / Blue");
  EXPECT_EQ(first.sku, "SH-L-Blue");
  EXPECT_EQ(first.weight_grams, 200);
  EXPECT_EQ(first.status, ProductStatus::kActive);
  EXPECT_EQ(first.collection_ids, std::vector<std::int64_t>{collection->id});
  EXPECT_EQ(first.image_url, "https://cdn.example/shirt-blue.jpg");
  EXPECT_EQ((*summaries)[1].variant_id, shirt.variants[0].id);

  auto by_sku = db().Read([&](store::Transaction& tx) { return GetVariantBySku(tx, kShop, "SH-M-Red"); });
  CATALOG_ASSERT_OK(by_sku);
  EXPECT_EQ(by_sku->variant_id, shirt.variants[1].id);
  EXPECT_EQ(by_sku->image_url, "https://cdn.example/shirt-blue.jpg");  // the product's first image
}

using CollectionsTest = CatalogTest;

TEST_P(CollectionsTest, ManualKeepsOrderAndRulesFollowProducts) {
  const Product shirt = Create(Shirt());
  ProductInput mug_input;
  mug_input.title = "Mug";
  mug_input.vendor = "Potter";
  mug_input.tags = {"kitchen"};
  const Product mug = Create(mug_input);

  auto manual = service_.CreateCollection(kShop, {.title = "Staff picks", .product_ids = {mug.id, shirt.id}});
  CATALOG_ASSERT_OK(manual);
  EXPECT_EQ(manual->handle, "staff-picks");
  EXPECT_EQ(manual->product_ids, (std::vector<std::int64_t>{mug.id, shirt.id}));

  auto any = service_.CreateCollection(kShop, {.handle = "any",
                                               .title = "Any",
                                               .rule_based = true,
                                               .match_all = false,
                                               .rules = {{RuleField::kVendor, RuleRelation::kEquals, "potter"},
                                                         {RuleField::kTitle, RuleRelation::kContains, "LINEN"}}});
  CATALOG_ASSERT_OK(any);
  auto all = service_.CreateCollection(kShop, {.handle = "all",
                                               .title = "All",
                                               .rule_based = true,
                                               .rules = {{RuleField::kTag, RuleRelation::kEquals, "summer"},
                                                         {RuleField::kProductType, RuleRelation::kNotEquals, "Mugs"}}});
  CATALOG_ASSERT_OK(all);
  const auto members = [&](std::int64_t collection_id) {
    auto page = service_.ListProducts(kShop, {.collection_id = collection_id});
    std::vector<std::int64_t> ids;
    if (page.ok()) {
      for (const Product& product : page->products) ids.push_back(product.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  EXPECT_EQ(members(any->id), (std::vector<std::int64_t>{shirt.id, mug.id}));
  EXPECT_EQ(members(all->id), (std::vector<std::int64_t>{shirt.id}));

  // A product change moves it between rule collections.
  ProductInput changed = Shirt();
  changed.tags = {"winter"};
  CATALOG_ASSERT_OK(service_.UpdateProduct(kShop, shirt.id, changed));
  EXPECT_EQ(members(all->id), std::vector<std::int64_t>{});
  EXPECT_EQ(members(manual->id), (std::vector<std::int64_t>{shirt.id, mug.id}));

  auto bad = service_.CreateCollection(kShop, {.title = "X", .product_ids = {mug.id, 424242}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().type, "catalog/unknown-product");
  const Product foreign = Create(Shirt(), kOtherShop);
  EXPECT_FALSE(service_.CreateCollection(kShop, {.title = "Y", .product_ids = {foreign.id}}).ok());
  EXPECT_EQ(service_.GetCollection(kOtherShop, manual->id).error().code, ErrorCode::kNotFound);
  auto rule_error = service_.CreateCollection(
      kShop, {.title = "Z", .rule_based = true, .rules = {{RuleField::kVendor, RuleRelation::kContains, "x"}}});
  ASSERT_FALSE(rule_error.ok());
  EXPECT_EQ(rule_error.error().field, "/rules/0/relation");
  CATALOG_ASSERT_OK(service_.DeleteCollection(kShop, any->id));
  EXPECT_EQ(service_.DeleteCollection(kShop, any->id).error().code, ErrorCode::kNotFound);
}

using AttributesTest = CatalogTest;

TEST_P(AttributesTest, TypedValuesAreValidated) {
  CATALOG_ASSERT_OK(service_.DefineAttribute(
      kShop, {.owner = AttributeOwner::kProduct, .key = "material", .name = "Material", .type = AttributeType::kText}));
  CATALOG_ASSERT_OK(service_.DefineAttribute(
      kShop, {.owner = AttributeOwner::kProduct, .key = "care", .name = "Care", .type = AttributeType::kList}));
  CATALOG_ASSERT_OK(service_.DefineAttribute(kShop, {.owner = AttributeOwner::kProduct,
                                                     .key = "related",
                                                     .name = "Related",
                                                     .type = AttributeType::kProductReference}));
  CATALOG_ASSERT_OK(service_.DefineAttribute(kShop, {.owner = AttributeOwner::kVariant,
                                                     .key = "chest_cm",
                                                     .name = "Chest",
                                                     .type = AttributeType::kDecimal,
                                                     .required = true}));
  EXPECT_FALSE(service_.DefineAttribute(kShop, {.key = "Bad Key", .name = "x"}).ok());

  ProductInput input = Shirt();
  input.attributes = {{.key = "material", .value = "linen"}, {.key = "care", .values = {"wash 30", "no dryer"}}};
  for (VariantInput& variant : input.variants) variant.attributes = {{.key = "chest_cm", .value = "102.5"}};
  const Product product = Create(input);
  ASSERT_EQ(product.attributes.size(), 2u);
  EXPECT_EQ(product.attributes[0].key, "care");
  EXPECT_EQ(product.attributes[0].values, (std::vector<std::string>{"wash 30", "no dryer"}));
  EXPECT_EQ(product.variants[3].attributes.front().value, "102.5");

  const auto error_of = [&](const ProductInput& bad) {
    auto created = service_.CreateProduct(kShop, bad);
    return created.ok() ? Error{} : created.error();
  };
  ProductInput missing = Shirt("missing", "MI");
  EXPECT_EQ(error_of(missing).type, "catalog/attribute-required");
  missing.status = ProductStatus::kDraft;  // drafts may be incomplete
  Create(missing);

  ProductInput bad_decimal = input;
  bad_decimal.handle = "bad-decimal";
  for (VariantInput& variant : bad_decimal.variants) variant.sku.clear();
  bad_decimal.variants[1].attributes = {{.key = "chest_cm", .value = "1e5"}};
  EXPECT_EQ(error_of(bad_decimal).field, "/variants/1/attributes/0/value");

  ProductInput unknown = bad_decimal;
  unknown.variants[1].attributes = {{.key = "chest_cm", .value = "1"}};
  unknown.attributes = {{.key = "colourway", .value = "x"}};
  EXPECT_EQ(error_of(unknown).type, "catalog/unknown-attribute");

  ProductInput dangling = unknown;
  dangling.attributes = {{.key = "related", .value = "987654"}};
  EXPECT_EQ(error_of(dangling).type, "catalog/invalid-reference");
  dangling.attributes = {{.key = "related", .value = std::to_string(product.id)}};
  Create(dangling);

  auto in_use = service_.ListAttributes(kShop);
  CATALOG_ASSERT_OK(in_use);
  EXPECT_EQ(in_use->size(), 4u);
  EXPECT_EQ(service_.DeleteAttribute(kShop, in_use->front().id).error().type, "catalog/attribute-in-use");
}

TEST_P(ProductsTest, EveryCatalogWriteRaisesTheShopsVersion) {
  const auto version = [&](std::int64_t shop) {
    auto read = db().Read([&](store::Transaction& tx) { return CatalogVersion(tx, shop); });
    EXPECT_TRUE(read.ok());
    return read.ok() ? *read : -1;
  };
  EXPECT_EQ(version(kShop), 0);
  std::int64_t last = 0;
  const auto raised = [&](const char* what) {
    const std::int64_t now = version(kShop);
    EXPECT_GT(now, last) << what;
    last = now;
  };
  const Product shirt = Create(Shirt());
  raised("create");
  ProductInput input = Shirt();
  input.title = "Washed Linen Shirt";
  CATALOG_ASSERT_OK(service_.UpdateProduct(kShop, shirt.id, input));
  raised("update");
  CATALOG_ASSERT_OK(service_.SetStatus(kShop, shirt.id, ProductStatus::kDraft));
  raised("status");
  CATALOG_ASSERT_OK(service_.SetChannels(kShop, shirt.id, {Channel::kMeta}));
  raised("channels");
  auto collection = service_.CreateCollection(kShop, {.handle = "summer", .title = "Summer"});
  CATALOG_ASSERT_OK(collection);
  raised("collection create");
  CATALOG_ASSERT_OK(service_.UpdateCollection(kShop, collection->id, {.handle = "summer", .title = "Sun"}));
  raised("collection update");
  CATALOG_ASSERT_OK(service_.DeleteCollection(kShop, collection->id));
  raised("collection delete");
  CATALOG_ASSERT_OK(service_.DeleteProduct(kShop, shirt.id));
  raised("delete");
  // A failed write changes nothing, and other shops keep their own count.
  EXPECT_FALSE(service_.DeleteProduct(kShop, shirt.id).ok());
  EXPECT_EQ(version(kShop), last);
  EXPECT_EQ(version(kOtherShop), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProductsTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());
INSTANTIATE_TEST_SUITE_P(Backends, CollectionsTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());
INSTANTIATE_TEST_SUITE_P(Backends, AttributesTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::catalog::testing
