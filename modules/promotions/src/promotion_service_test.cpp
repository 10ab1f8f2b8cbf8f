#include <gtest/gtest.h>

#include "plaza/promotions/promotions.h"
#include "promotions_test_fixture.h"

namespace plaza::promotions {
namespace {

using PromotionServiceTest = PromotionsDatabaseTest;

TEST_P(PromotionServiceTest, CreatesListsUpdatesAndDeletes) {
  PromotionDefinition definition = Percent("Spring", 1500);
  definition.applies_to.collection_ids = {4, 5};
  definition.customer_tags = {"vip"};
  definition.starts_at = clock_.Now();
  definition.ends_at = clock_.Now() + std::chrono::hours(24 * 7);
  definition.usage_limit = 100;
  const Promotion created = MustCreate(definition);
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.uses, 0);
  EXPECT_EQ(created.definition.applies_to.collection_ids, (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(created.definition.ends_at, definition.ends_at);

  auto fetched = service_.Get(kShop, created.id);
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(fetched->definition.title, "Spring");
  EXPECT_EQ(fetched->definition.customer_tags, (std::vector<std::string>{"vip"}));

  definition.title = "Spring, extended";
  definition.percent_off = 2000;
  auto updated = service_.Update(kShop, created.id, definition);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->definition.percent_off, 2000);
  EXPECT_EQ(service_.List(kShop)->size(), 1u);
  EXPECT_TRUE(service_.List(kOtherShop)->empty());

  // Another shop cannot see, change or delete it.
  EXPECT_EQ(service_.Get(kOtherShop, created.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.Update(kOtherShop, created.id, definition).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.Delete(kOtherShop, created.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.AddCode(kOtherShop, created.id, {.code = "SPRING"}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.Usage(kOtherShop, created.id).error().code, ErrorCode::kNotFound);

  MustAddCode(created.id, "SPRING");
  ASSERT_TRUE(service_.Delete(kShop, created.id).ok());
  EXPECT_EQ(service_.Get(kShop, created.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(CountRows("promotion_codes"), 0);
}

TEST_P(PromotionServiceTest, RejectsBadDefinitionsPreciselyAndWritesNothing) {
  struct Case {
    PromotionDefinition definition;
    std::string type;
    std::string field;
  };
  std::vector<Case> cases;
  cases.push_back({Percent("Too much", 10001), "promotions/invalid-percentage", "/percent_off"});
  cases.push_back({Percent("Nothing", 0), "promotions/invalid-percentage", "/percent_off"});
  cases.push_back({Percent("", 100), "promotions/invalid-title", "/title"});
  {
    PromotionDefinition d = Percent("Backwards", 100);
    d.starts_at = clock_.Now();
    d.ends_at = clock_.Now() - std::chrono::hours(1);
    cases.push_back({d, "promotions/invalid-window", "/ends_at"});
    d.ends_at = d.starts_at;
    cases.push_back({d, "promotions/invalid-window", "/ends_at"});
  }
  {
    PromotionDefinition d;
    d.title = "Fixed";
    d.kind = PromotionKind::kFixedAmount;
    d.amount = -100;
    d.currency = "EUR";
    cases.push_back({d, "promotions/invalid-amount", "/amount"});
    d.amount = 100;
    d.currency = "EURO";
    cases.push_back({d, "money/unknown-currency", "/currency"});
    d.currency = "";
    cases.push_back({d, "promotions/currency-required", "/currency"});
  }
  {
    PromotionDefinition d = Percent("Minimum", 100);
    d.minimum_subtotal = -1;
    d.currency = "EUR";
    cases.push_back({d, "promotions/negative-amount", "/minimum_subtotal"});
  }
  {
    PromotionDefinition d = Percent("Limits", 100);
    d.usage_limit = 0;
    cases.push_back({d, "promotions/invalid-limit", "/usage_limit"});
    d.usage_limit.reset();
    d.per_customer_limit = -3;
    cases.push_back({d, "promotions/invalid-limit", "/per_customer_limit"});
  }
  {
    PromotionDefinition d = Percent("Ids", 100);
    d.applies_to.product_ids = {1, -2};
    cases.push_back({d, "promotions/invalid-id", "/applies_to/product_ids/1"});
  }
  {
    PromotionDefinition d;
    d.title = "BXGY";
    d.kind = PromotionKind::kBuyXGetY;
    d.buy_quantity = 0;
    d.get_quantity = 1;
    d.percent_off = 10000;
    cases.push_back({d, "promotions/invalid-quantity", "/buy_quantity"});
    d.buy_quantity = 1;
    d.percent_off = 20000;
    cases.push_back({d, "promotions/invalid-percentage", "/percent_off"});
  }
  for (const Case& test_case : cases) {
    auto created = service_.Create(kShop, test_case.definition);
    ASSERT_FALSE(created.ok()) << test_case.type;
    EXPECT_EQ(created.error().type, test_case.type);
    EXPECT_EQ(created.error().field, test_case.field) << test_case.type;
    EXPECT_EQ(created.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(CountRows("promotions"), 0);
}

TEST_P(PromotionServiceTest, CodesAreUniquePerShopInAnyLetterCase) {
  const Promotion first = MustCreate(Percent("First", 100));
  const Promotion second = MustCreate(Percent("Second", 100));
  const PromotionCode code = MustAddCode(first.id, "Maria10", "creator:maria");
  EXPECT_EQ(code.code, "Maria10");
  EXPECT_EQ(code.creator, "creator:maria");
  for (const char* taken : {"MARIA10", "maria10"}) {
    auto duplicate = service_.AddCode(kShop, second.id, {.code = taken});
    ASSERT_FALSE(duplicate.ok());
    EXPECT_EQ(duplicate.error().type, "promotions/duplicate-code");
    EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  }
  for (const char* bad : {"ab", "has space", "émoji", ""}) {
    auto invalid = service_.AddCode(kShop, second.id, {.code = bad});
    ASSERT_FALSE(invalid.ok()) << bad;
    EXPECT_EQ(invalid.error().type, "promotions/invalid-code");
  }
  // Another shop may use the same code.
  const Promotion elsewhere = MustCreate(Percent("Elsewhere", 100), kOtherShop);
  ASSERT_TRUE(service_.AddCode(kOtherShop, elsewhere.id, {.code = "MARIA10"}).ok());
  // Automatic promotions have no codes.
  PromotionDefinition automatic = Percent("Automatic", 100);
  automatic.automatic = true;
  const Promotion auto_promotion = MustCreate(automatic);
  EXPECT_EQ(service_.AddCode(kShop, auto_promotion.id, {.code = "AUTO1"}).error().type,
            "promotions/automatic-has-no-codes");
  PromotionDefinition now_automatic = first.definition;
  now_automatic.automatic = true;
  EXPECT_EQ(service_.Update(kShop, first.id, now_automatic).error().type, "promotions/automatic-has-no-codes");

  EXPECT_EQ(service_.ListCodes(kShop, first.id)->size(), 1u);
  EXPECT_EQ(service_.DeleteCode(kShop, second.id, code.id).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(service_.DeleteCode(kShop, first.id, code.id).ok());
  EXPECT_TRUE(service_.ListCodes(kShop, first.id)->empty());
}

TEST(DefinitionJsonTest, RoundTripsAndNamesTheOffendingMember) {
  PromotionDefinition definition;
  definition.title = "Buy 2 get 1";
  definition.kind = PromotionKind::kBuyXGetY;
  definition.buy_quantity = 2;
  definition.get_quantity = 1;
  definition.percent_off = 10000;
  definition.buy_items.collection_ids = {3};
  definition.get_items.variant_ids = {8, 9};
  definition.market_ids = {1};
  definition.starts_at = FromUnixMillis(1'800'000'000'000);
  definition.per_customer_limit = 1;
  definition.combines_with_order = true;
  definition.priority = -3;
  auto decoded = DecodeDefinition(EncodeDefinition(definition));
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(EncodeDefinition(*decoded), EncodeDefinition(definition));
  EXPECT_EQ(decoded->get_items.variant_ids, (std::vector<std::int64_t>{8, 9}));
  EXPECT_EQ(decoded->starts_at, definition.starts_at);
  EXPECT_EQ(decoded->priority, -3);

  struct Case {
    std::string json;
    std::string type;
    std::string field;
  };
  const std::vector<Case> cases = {
      {R"({"kind":"percentage","percent_off":10})", "validation/required", "/title"},
      {R"({"title":"x","kind":"bogus"})", "promotions/invalid-kind", "/kind"},
      {R"({"title":"x","kind":"percentage","percent_off":"10"})", "validation/type", "/percent_off"},
      {R"({"title":"x","kind":"percentage","percent_off":10.5})", "validation/type", "/percent_off"},
      {R"({"title":"x","kind":"percentage","percent_off":100000})", "promotions/invalid-percentage", "/percent_off"},
      {R"({"title":"x","kind":"percentage","percent_off":10,"colour":1})", "validation/unknown-field", "/colour"},
      {R"({"title":"x","kind":"percentage","percent_off":10,"applies_to":{"product_ids":[1,"a"]}})", "validation/type",
       "/applies_to/product_ids/1"},
      {R"({"title":"x","kind":"percentage","percent_off":10,"ends_at":"yesterday"})", "validation/format", "/ends_at"},
      {R"({"title":"x","kind":"percentage","percent_off":10,"starts_at":"2026-01-02T00:00:00Z","ends_at":"2026-01-01T00:00:00Z"})",
       "promotions/invalid-window", "/ends_at"},
      {R"({"title":"x","kind":"percentage","percent_off":10,"combines_with":{"orders":true}})",
       "validation/unknown-field", "/combines_with/orders"},
      {R"({"title":"x","kind":"percentage","percent_off":18446744073709551615})", "validation/range", "/percent_off"},
      {R"([1])", "json/not-an-object", ""},
      {R"({"title":)", "json/malformed", ""},
  };
  for (const Case& test_case : cases) {
    auto result = DecodeDefinition(test_case.json);
    ASSERT_FALSE(result.ok()) << test_case.json;
    EXPECT_EQ(result.error().type, test_case.type) << test_case.json;
    EXPECT_EQ(result.error().field, test_case.field) << test_case.json;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, PromotionServiceTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::promotions
