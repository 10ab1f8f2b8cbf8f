#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "catalog_test_fixture.h"

namespace plaza::catalog::testing {
namespace {

using ShopifyCsvTest = CatalogTest;

constexpr char kHeader[] =
    "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,"
    "Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory "
    "Qty,Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires "
    "Shipping,Variant Taxable,Variant Barcode,Image Src,Image Position,Image Alt Text,Gift Card,SEO Title,SEO "
    "Description,Google Shopping / Google Product Category,Google Shopping / MPN,Google Shopping / Condition,Variant "
    "Image,Variant Weight Unit,Variant Tax Code,Cost per item,Status\r\n";

// A two-option product over three rows (the third only adds an image) and a simple one.
constexpr char kCatalog[] =
    "linen-shirt,Linen Shirt,\"<p>Breezy, \"\"light\"\"\nshirt</p>\",Northwind,Apparel > Shirts,Shirts,\"summer, "
    "linen\",TRUE,Size,M,Colour,Blue,,,SH-M-B,200,shopify,5,deny,manual,45.00,50.00,TRUE,TRUE,4006381333931,"
    "https://cdn.example/a.jpg,1,Front,FALSE,Shirt SEO,Shirt desc,,MPN-1,new,https://cdn.example/a.jpg,g,,20.00,"
    "active\r\n"
    "linen-shirt,,,,,,,,,L,,Red,,,SH-L-R,210,shopify,0,continue,manual,47.50,,TRUE,FALSE,,https://cdn.example/"
    "b.jpg,2,Back,,,,,,,,g,,,\r\n"
    "linen-shirt,,,,,,,,,,,,,,,,,,,,,,,,,https://cdn.example/c.jpg,3,Detail,,,,,,,,,,,\r\n"
    "gift-card-box,Gift Box,,Potter,,Boxes,,FALSE,Title,Default Title,,,,,BOX-1,0,,,deny,manual,12.00,,FALSE,TRUE,,"
    ",,,FALSE,,,,,,,,reduced,,draft\r\n";

class RecordingSink : public ImportSink {
 public:
  Status Prices(std::int64_t, std::span<const ImportedPrice> prices) override {
    prices_.insert(prices_.end(), prices.begin(), prices.end());
    return Ok();
  }
  Status Stock(std::int64_t, std::span<const ImportedStock> stock) override {
    stock_.insert(stock_.end(), stock.begin(), stock.end());
    return Ok();
  }
  std::vector<ImportedPrice> prices_;
  std::vector<ImportedStock> stock_;
};

std::string Describe(const ImportResult& result) {
  std::string out;
  for (const ImportIssue& issue : result.issues) {
    out += "row " + std::to_string(issue.row) + " [" + issue.column + "] " + issue.handle + ": " + issue.reason + "\n";
  }
  return out;
}

TEST_P(ShopifyCsvTest, ImportsMultiRowProductsPricesAndStock) {
  RecordingSink sink;
  auto result = service_.ImportShopifyCsv(kShop, std::string(kHeader) + kCatalog, {.currency = "EUR"}, &sink);
  CATALOG_ASSERT_OK(result);
  EXPECT_TRUE(result->issues.empty()) << Describe(*result);
  EXPECT_EQ(result->rows, 4u);
  EXPECT_EQ(result->products_created, 2u);
  EXPECT_EQ(result->variants, 3u);

  auto shirt = service_.GetProductByHandle(kShop, "linen-shirt");
  CATALOG_ASSERT_OK(shirt);
  EXPECT_EQ(shirt->description_html, "<p>Breezy, \"light\"\nshirt</p>");
  EXPECT_EQ(shirt->tags, (std::vector<std::string>{"linen", "summer"}));
  EXPECT_EQ(shirt->status, ProductStatus::kActive);
  EXPECT_EQ(shirt->channels, std::vector<Channel>{Channel::kOnlineStore});
  EXPECT_EQ(shirt->google_product_category, "Apparel > Shirts");
  ASSERT_EQ(shirt->variants.size(), 2u);
  EXPECT_EQ(shirt->variants[0].gtin, "4006381333931");
  EXPECT_EQ(shirt->variants[0].mpn, "MPN-1");
  EXPECT_EQ(shirt->variants[1].tax_class, "zero");
  EXPECT_EQ(shirt->variants[1].option_values, (std::vector<std::string>{"L", "Red"}));
  ASSERT_EQ(shirt->media.size(), 3u);
  EXPECT_EQ(shirt->media[2].alt, "Detail");
  EXPECT_EQ(shirt->variants[0].image_id, shirt->media[0].id);
  auto box = service_.GetProductByHandle(kShop, "gift-card-box");
  CATALOG_ASSERT_OK(box);
  EXPECT_TRUE(box->options.empty());
  EXPECT_EQ(box->variants[0].tax_class, "reduced");
  EXPECT_FALSE(box->variants[0].requires_shipping);

  ASSERT_EQ(sink.prices_.size(), 3u);
  EXPECT_EQ(sink.prices_[0].variant_id, shirt->variants[0].id);
  EXPECT_EQ(sink.prices_[0].amount, 4500);
  EXPECT_EQ(sink.prices_[0].compare_at_amount, 5000);
  EXPECT_EQ(sink.prices_[0].cost_amount, 2000);
  EXPECT_EQ(sink.prices_[1].amount, 4750);
  ASSERT_EQ(sink.stock_.size(), 2u);
  EXPECT_EQ(sink.stock_[0].quantity, 5);
  EXPECT_TRUE(sink.stock_[0].tracked);
  EXPECT_TRUE(sink.stock_[1].continue_selling);
  EXPECT_EQ(result->prices.size(), 3u);
}

TEST_P(ShopifyCsvTest, DryRunWritesNothing) {
  RecordingSink sink;
  auto result =
      service_.ImportShopifyCsv(kShop, std::string(kHeader) + kCatalog, {.dry_run = true, .currency = "EUR"}, &sink);
  CATALOG_ASSERT_OK(result);
  EXPECT_TRUE(result->issues.empty()) << Describe(*result);
  EXPECT_EQ(result->products_created, 2u);
  EXPECT_EQ(result->prices.size(), 3u);
  EXPECT_TRUE(sink.prices_.empty());
  EXPECT_EQ(CountRows("catalog_products"), 0);
  EXPECT_EQ(CountRows("catalog_variants"), 0);
  EXPECT_EQ(CountRows("outbox_events"), 0);
}

TEST_P(ShopifyCsvTest, ExportThenImportGivesTheSameCatalog) {
  ASSERT_TRUE(service_.ImportShopifyCsv(kShop, std::string(kHeader) + kCatalog, {.currency = "EUR"}, nullptr).ok());
  ProductInput tricky = Shirt("tricky", "TR");
  tricky.title = "=HYPERLINK(\"http://evil.example\")";
  tricky.vendor = "-Vendor";
  tricky.description_html = "@cmd, with \"quotes\"\r\nand lines";
  tricky.tags = {"+plus", "'=quoted"};
  Create(tricky);
  auto before = service_.ListProducts(kShop, {.limit = 250});
  CATALOG_ASSERT_OK(before);
  auto exported = service_.ExportShopifyCsv(kShop);
  CATALOG_ASSERT_OK(exported);
  EXPECT_NE(exported->find("'=HYPERLINK"), std::string::npos);
  EXPECT_NE(exported->find("'-Vendor"), std::string::npos);
  EXPECT_EQ(exported->find(",=HYPERLINK"), std::string::npos);

  // Into an empty shop: the same catalog comes back.
  auto imported = service_.ImportShopifyCsv(kOtherShop, *exported, {.currency = "EUR"}, nullptr);
  CATALOG_ASSERT_OK(imported);
  EXPECT_TRUE(imported->issues.empty()) << Describe(*imported);
  auto after = service_.ListProducts(kOtherShop, {.limit = 250});
  CATALOG_ASSERT_OK(after);
  ASSERT_EQ(after->products.size(), before->products.size());
  for (std::size_t index = 0; index < before->products.size(); ++index) {
    const Product& a = before->products[index];
    const Product& b = after->products[index];
    EXPECT_EQ(a.handle, b.handle);
    EXPECT_EQ(a.title, b.title);
    EXPECT_EQ(a.description_html, b.description_html);
    EXPECT_EQ(a.vendor, b.vendor);
    EXPECT_EQ(a.product_type, b.product_type);
    EXPECT_EQ(a.tags, b.tags);
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.condition, b.condition);
    EXPECT_EQ(a.google_product_category, b.google_product_category);
    EXPECT_EQ(a.seo_title, b.seo_title);
    EXPECT_EQ(a.seo_description, b.seo_description);
    EXPECT_EQ(a.options, b.options);
    ASSERT_EQ(a.variants.size(), b.variants.size()) << a.handle;
    for (std::size_t v = 0; v < a.variants.size(); ++v) {
      EXPECT_EQ(a.variants[v].option_values, b.variants[v].option_values);
      EXPECT_EQ(a.variants[v].sku, b.variants[v].sku);
      EXPECT_EQ(a.variants[v].gtin, b.variants[v].gtin);
      EXPECT_EQ(a.variants[v].mpn, b.variants[v].mpn);
      EXPECT_EQ(a.variants[v].weight_grams, b.variants[v].weight_grams);
      EXPECT_EQ(a.variants[v].requires_shipping, b.variants[v].requires_shipping);
      EXPECT_EQ(a.variants[v].tax_class, b.variants[v].tax_class);
      EXPECT_EQ(a.variants[v].image_id.has_value(), b.variants[v].image_id.has_value());
    }
    ASSERT_EQ(a.media.size(), b.media.size());
    for (std::size_t m = 0; m < a.media.size(); ++m) {
      EXPECT_EQ(a.media[m].url, b.media[m].url);
      EXPECT_EQ(a.media[m].alt, b.media[m].alt);
    }
  }

  // Into the same shop: everything is an update and variant ids stay.
  auto again = service_.ImportShopifyCsv(kShop, *exported, {.currency = "EUR"}, nullptr);
  CATALOG_ASSERT_OK(again);
  EXPECT_EQ(again->products_updated, before->products.size());
  auto same = service_.ListProducts(kShop, {.limit = 250});
  CATALOG_ASSERT_OK(same);
  for (std::size_t index = 0; index < before->products.size(); ++index) {
    for (std::size_t v = 0; v < before->products[index].variants.size(); ++v) {
      EXPECT_EQ(before->products[index].variants[v].id, same->products[index].variants[v].id);
    }
  }
}

struct HostileCase {
  std::string name;
  std::string body;  // rows after the header
  std::size_t row;
  std::string column;
  std::string reason_contains;
};

TEST_P(ShopifyCsvTest, HostileRowsArePreciselyReportedAndWriteNothing) {
  const std::string good = "good,Good,,,,,,TRUE,,,,,,,GOOD-1,,,,,,1.00,,,,,,,,,,,,,,,,,,\r\n";
  const std::vector<HostileCase> cases = {
      {"formula title", "bad,=1+2,,,,,,,,,,,,,B-1,,,,,,,,,,,,,,,,,,,,,,,,\r\n", 2, "Title", "formula"},
      {"formula sku", "bad,Bad,,,,,,,,,,,,,@SUM(A1),,,,,,,,,,,,,,,,,,,,,,,,\r\n", 2, "Variant SKU", "formula"},
      {"bad utf-8", "bad,Bad \xC3\x28,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r\n", 2, "Title", "UTF-8"},
      {"bad price", "bad,Bad,,,,,,,,,,,,,B-1,,,,,,12.345,,,,,,,,,,,,,,,,,,\r\n", 2, "Variant Price", "amount"},
      {"negative grams", "bad,Bad,,,,,,,,,,,,,B-1,-5,,,,,,,,,,,,,,,,,,,,,,,\r\n", 2, "Variant Grams", "whole"},
      {"bad boolean", "bad,Bad,,,,,,yes,,,,,,,B-1,,,,,,,,,,,,,,,,,,,,,,,,\r\n", 2, "Published", "TRUE or FALSE"},
      {"bad handle", "Bad Handle,Bad,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r\n", 2, "Handle", "handle"},
      {"missing title", "bad,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r\n", 2, "Title", "empty"},
      {"short row", "bad,Bad,,\r\n", 2, "", "fields"},
      {"stray quote", "bad,Ba\"d,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r\n", 2, "Title", "quote"},
      {"bad gtin", "bad,Bad,,,,,,,,,,,,,,,,,,,,,,,123,,,,,,,,,,,,,,\r\n", 2, "Variant Barcode", "GTIN"},
      {"duplicate variant",
       "bad,Bad,,,,,,,Size,M,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r\nbad,,,,,,,,,M,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r\n", 3,
       "Option1 Value", "same option values"},
      {"value without option",
       "bad,Bad,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r\nbad,,,,,,,,,,,X,,,B-2,,,,,,,,,,,,,,,,,,,,,,,,\r\n", 3,
       "Option2 Value", "option"},
      {"sku in two products", "bad,Bad,,,,,,,,,,,,,GOOD-1,,,,,,,,,,,,,,,,,,,,,,,,\r\n", 3, "Variant SKU", "also used"},
      {"gift card", "bad,Bad,,,,,,,,,,,,,,,,,,,,,,,,,,,TRUE,,,,,,,,,,\r\n", 2, "Gift Card", "gift"},
      {"javascript image", "bad,Bad,,,,,,,,,,,,,,,,,,,,,,,,javascript:alert(1),,,,,,,,,,,,,\r\n", 2, "Image Src",
       "URL"},
  };
  for (const HostileCase& hostile : cases) {
    SCOPED_TRACE(hostile.name);
    const std::string body = hostile.name == "sku in two products" ? good + hostile.body : hostile.body + good;
    auto result = service_.ImportShopifyCsv(kShop, std::string(kHeader) + body, {.currency = "EUR"}, nullptr);
    CATALOG_ASSERT_OK(result);
    ASSERT_FALSE(result->issues.empty());
    const ImportIssue& issue = result->issues.front();
    EXPECT_EQ(issue.row, hostile.row) << Describe(*result);
    EXPECT_EQ(issue.column, hostile.column) << Describe(*result);
    EXPECT_NE(issue.reason.find(hostile.reason_contains), std::string::npos) << issue.reason;
    EXPECT_EQ(result->products_rejected, 1u);
    EXPECT_FALSE(service_.GetProductByHandle(kShop, "bad").ok());
    // The good product still imports.
    EXPECT_TRUE(service_.GetProductByHandle(kShop, "good").ok());
  }
}

TEST_P(ShopifyCsvTest, FileLevelProblems) {
  const auto issue_of = [&](const std::string& file, ImportLimits limits = {}) {
    auto result = service_.ImportShopifyCsv(kShop, file, {.currency = "EUR", .limits = limits}, nullptr);
    EXPECT_TRUE(result.ok());
    return result.ok() && !result->issues.empty() ? result->issues.front() : ImportIssue{};
  };
  EXPECT_EQ(issue_of("Name,Price\r\nx,1\r\n").column, "Handle");
  EXPECT_EQ(issue_of("Handle,Title,Title\r\n").reason, "the column appears twice");
  EXPECT_EQ(issue_of("").reason, "the file is empty");
  const ImportIssue unclosed = issue_of(std::string(kHeader) + "a,\"never closed\r\n");
  EXPECT_EQ(unclosed.row, 2u);
  EXPECT_EQ(unclosed.reason, "a quoted field is never closed");
  const ImportIssue huge =
      issue_of(std::string(kHeader) + "a," + std::string(2000, 'x') + "\r\n", {.max_field_bytes = 1000});
  EXPECT_EQ(huge.row, 2u);
  const ImportIssue rows = issue_of(std::string(kHeader) + "a,A\r\nb,B\r\nc,C\r\n", {.max_rows = 2});
  EXPECT_EQ(rows.row, 4u);
  auto too_big = service_.ImportShopifyCsv(kShop, std::string(kHeader), {.limits = {.max_bytes = 10}}, nullptr);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(CountRows("catalog_products"), 0);
}

// A bad product in a batch rolls back only itself: its SKU collides with a product
// already in the database, which only the write can see.
TEST_P(ShopifyCsvTest, ABadProductInABatchRejectsOnlyItself) {
  ProductInput existing;
  existing.title = "Existing";
  existing.variants = {{.sku = "TAKEN"}};
  Create(existing);
  std::string file = kHeader;
  for (int index = 0; index < 10; ++index) {
    const std::string sku = index == 5 ? "TAKEN" : "P" + std::to_string(index);
    file += "p" + std::to_string(index) + ",P" + std::to_string(index) + ",,,,,,TRUE,,,,,,," + sku +
            ",,,,,,1.00,,,,,,,,,,,,,,,,,,\r\n";
  }
  RecordingSink sink;
  auto result = service_.ImportShopifyCsv(kShop, file, {.currency = "EUR"}, &sink);
  CATALOG_ASSERT_OK(result);
  ASSERT_EQ(result->issues.size(), 1u) << Describe(*result);
  EXPECT_EQ(result->issues[0].row, 7u);
  EXPECT_EQ(result->issues[0].column, "Variant SKU");
  EXPECT_EQ(result->products_created, 9u);
  EXPECT_EQ(sink.prices_.size(), 9u);
  EXPECT_FALSE(service_.GetProductByHandle(kShop, "p5").ok());
  EXPECT_EQ(CountRows("catalog_products"), 10);
}

// 100,000 rows: 20,000 products of five variants. Time is printed, not asserted.
TEST_P(ShopifyCsvTest, HundredThousandRowsImportWhole) {
  std::string file = kHeader;
  file.reserve(16 * 1024 * 1024);
  constexpr int kProducts = 20'000;
  for (int product = 0; product < kProducts; ++product) {
    const std::string handle = "product-" + std::to_string(product);
    for (int size = 0; size < 5; ++size) {
      const std::string sku = "SKU-" + std::to_string(product) + "-" + std::to_string(size);
      if (size == 0) {
        file += handle + ",Product " + std::to_string(product) + ",<p>Text " + std::to_string(product) +
                "</p>,Vendor " + std::to_string(product % 50) + ",,Type " + std::to_string(product % 20) + ",\"tag" +
                std::to_string(product % 30) + "\",TRUE,Size,S" + std::to_string(size) + ",,,,," + sku +
                ",100,shopify,3,deny,manual,9.99,,TRUE,TRUE,,,,,FALSE,,,,,,,,,,active\r\n";
      } else {
        file += handle + ",,,,,,,,,S" + std::to_string(size) + ",,,,," + sku +
                ",100,shopify,3,deny,manual,9.99,,TRUE,TRUE,,,,,,,,,,,,,,,\r\n";
      }
    }
  }
  // One broken product in the middle must not leave a trace.
  file += "broken,Broken,,,,,,TRUE,Size,A,,,,,SKU-0-0,,,,,,1.00,,,,,,,,,,,,,,,,,,\r\n";
  const auto started = std::chrono::steady_clock::now();
  std::size_t progress_calls = 0;
  auto result = service_.ImportShopifyCsv(
      kShop, file, {.currency = "EUR", .progress = [&](std::size_t, std::size_t) { ++progress_calls; }}, nullptr);
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  CATALOG_ASSERT_OK(result);
  std::printf("[ info ] %s: imported %zu rows (%zu bytes) in %lld ms\n", GetParam().c_str(), result->rows, file.size(),
              static_cast<long long>(elapsed));
  EXPECT_EQ(result->rows, 100'001u);
  EXPECT_EQ(result->products_created, static_cast<std::size_t>(kProducts));
  EXPECT_EQ(result->products_rejected, 1u);
  ASSERT_EQ(result->issues.size(), 1u) << Describe(*result);
  EXPECT_EQ(result->issues[0].row, 100'002u);
  EXPECT_GT(progress_calls, 10u);
  EXPECT_EQ(CountRows("catalog_products"), kProducts);
  EXPECT_EQ(CountRows("catalog_variants"), kProducts * 5);
  EXPECT_EQ(result->prices.size(), static_cast<std::size_t>(kProducts) * 5);

  const auto search_started = std::chrono::steady_clock::now();
  auto found = service_.Search(kShop, {.text = "product 19999", .channel = Channel::kOnlineStore});
  auto broad = service_.Search(kShop, {.text = "product", .channel = Channel::kOnlineStore});
  const auto search_elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - search_started).count();
  CATALOG_ASSERT_OK(found);
  CATALOG_ASSERT_OK(broad);
  std::printf("[ info ] %s: two searches over %d products in %lld ms\n", GetParam().c_str(), kProducts,
              static_cast<long long>(search_elapsed));
  ASSERT_FALSE(found->hits.empty());
  EXPECT_EQ(found->hits.front().handle, "product-19999");
  EXPECT_EQ(broad->total, kProducts);
  EXPECT_TRUE(broad->facets.truncated);
}

INSTANTIATE_TEST_SUITE_P(Backends, ShopifyCsvTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::catalog::testing
