// The storefront's catalog pages through real HTTP: home, collections, search with facets
// and product pages priced in the visitor's market, availability, link previews and
// JSON-LD, hostile product data rendered inert, hidden products, sitemaps and robots.txt.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>

#include "plaza/catalog/catalog.h"
#include "plaza/inventory/inventory.h"
#include "plaza/pricing/pricing.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

namespace cat = catalog;

bool Contains(const std::string& body, std::string_view text) {
  return body.find(text) != std::string::npos;
}

// Every JSON-LD block of a page, parsed.
std::vector<boost::json::value> JsonLdBlocks(const std::string& body) {
  std::vector<boost::json::value> blocks;
  constexpr std::string_view kOpen = "<script type=\"application/ld+json\">";
  for (std::size_t at = body.find(kOpen); at != std::string::npos; at = body.find(kOpen, at)) {
    at += kOpen.size();
    const std::size_t end = body.find("</script>", at);
    if (end == std::string::npos) break;
    blocks.push_back(boost::json::parse(body.substr(at, end - at)));
    at = end;
  }
  return blocks;
}

// The page without its JSON-LD blocks: the markup a browser parses as HTML.
std::string WithoutJsonLd(std::string body) {
  constexpr std::string_view kOpen = "<script type=\"application/ld+json\">";
  for (std::size_t at = body.find(kOpen); at != std::string::npos; at = body.find(kOpen, at)) {
    const std::size_t end = body.find("</script>", at);
    if (end == std::string::npos) break;
    body.erase(at, end + std::string_view("</script>").size() - at);
  }
  return body;
}

boost::json::object BlockOfType(const std::string& body, std::string_view type) {
  for (const boost::json::value& block : JsonLdBlocks(body)) {
    if (block.is_object() && block.as_object().contains("@type") && block.at("@type").as_string() == type) {
      return block.as_object();
    }
  }
  ADD_FAILURE() << "no JSON-LD block of type " << type;
  return {};
}

class StorefrontCatalogPagesTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("aurelle");
    pricing::PricingService pricing(db(), clock());
    auto eu = pricing.CreateMarket(shop_.id, {.handle = "eu",
                                              .name = "Europe",
                                              .countries = {"FR"},
                                              .currency = "EUR",
                                              .prices_include_tax = true,
                                              .is_default = true});
    auto uk = pricing.CreateMarket(shop_.id,
                                   {.handle = "uk", .name = "United Kingdom", .countries = {"GB"}, .currency = "GBP"});
    ASSERT_TRUE(eu.ok() && uk.ok());
    eu_ = eu->id;
    uk_ = uk->id;

    inventory::InventoryService inventory(db(), clock());
    auto location = inventory.CreateLocation(shop_.id, {.name = "Lyon"});
    ASSERT_TRUE(location.ok());
    location_ = location->id;

    shipping::ShippingService shipping(db(), clock());
    auto zone = shipping.CreateZone(shop_.id, {.name = "France", .destinations = {{.country = "FR"}}});
    ASSERT_TRUE(zone.ok());
    ASSERT_TRUE(shipping
                    .CreateRate(shop_.id, zone->id,
                                {.name = "Colissimo",
                                 .kind = shipping::RateKind::kFlat,
                                 .currency = "EUR",
                                 .price_minor = 490,
                                 .transit_min_days = 2,
                                 .transit_max_days = 4})
                    .ok());

    shirt_ =
        MakeProduct({.handle = "linen-shirt",
                     .title = "Linen Shirt",
                     .description_html = "<p>Soft <b>linen</b> shirt.</p>",
                     .vendor = "Aurelle",
                     .status = cat::ProductStatus::kActive,
                     .channels = {cat::Channel::kOnlineStore},
                     .option_names = {"Size"},
                     .variants = {{.option_values = {"S"}, .sku = "SH-S"}, {.option_values = {"M"}, .sku = "SH-M"}},
                     .media = {{.url = "https://cdn.example/shirt.jpg", .alt = "Linen shirt, front"}}},
                    {{2400, 2000, 10}, {2400, 2000, 0}});
    scarf_ = MakeProduct({.handle = "silk-scarf",
                          .title = "Silk Scarf",
                          .status = cat::ProductStatus::kActive,
                          .channels = {cat::Channel::kOnlineStore}},
                         {{1500, 1300, 0}});
    MakeProduct({.handle = "secret-draft",
                 .title = "Secret Draft",
                 .status = cat::ProductStatus::kDraft,
                 .channels = {cat::Channel::kOnlineStore}},
                {{900, 800, 5}});
    MakeProduct({.handle = "old-archived",
                 .title = "Old Archived",
                 .status = cat::ProductStatus::kArchived,
                 .channels = {cat::Channel::kOnlineStore}},
                {{900, 800, 5}});
    MakeProduct({.handle = "meta-only",
                 .title = "Meta Only",
                 .status = cat::ProductStatus::kActive,
                 .channels = {cat::Channel::kMeta}},
                {{900, 800, 5}});

    cat::CatalogService catalog(db(), clock());
    ASSERT_TRUE(catalog
                    .CreateCollection(shop_.id, {.handle = "summer",
                                                 .title = "Summer Edit",
                                                 .description_html = "<p>Light things.</p>",
                                                 .product_ids = {shirt_.id, scarf_.id}})
                    .ok());
    ASSERT_TRUE(
        catalog
            .CreateCollection(
                shop_.id,
                {.handle = "unreleased", .title = "Unreleased Drop", .product_ids = {shirt_.id}, .published = false})
            .ok());
  }

  struct Stocked {
    std::int64_t eur = 0;
    std::int64_t gbp = 0;
    std::int64_t stock = 0;
  };

  // Creates the product, prices each variant in both markets and receives its stock.
  cat::Product MakeProduct(const cat::ProductInput& input, const std::vector<Stocked>& per_variant) {
    cat::CatalogService catalog(db(), clock());
    auto product = catalog.CreateProduct(shop_.id, input);
    EXPECT_TRUE(product.ok()) << (product.ok() ? "" : product.error().detail);
    if (!product.ok()) return {};
    pricing::PricingService pricing(db(), clock());
    inventory::InventoryService inventory(db(), clock());
    for (std::size_t i = 0; i < per_variant.size() && i < product->variants.size(); ++i) {
      const std::int64_t variant_id = product->variants[i].id;
      EXPECT_TRUE(
          pricing.SetPrices(shop_.id, eu_, std::vector<pricing::PriceInput>{{variant_id, per_variant[i].eur}}).ok());
      EXPECT_TRUE(
          pricing.SetPrices(shop_.id, uk_, std::vector<pricing::PriceInput>{{variant_id, per_variant[i].gbp}}).ok());
      auto item = inventory.EnsureVariantItem(shop_.id, variant_id, product->variants[i].sku);
      EXPECT_TRUE(item.ok());
      if (item.ok() && per_variant[i].stock > 0) {
        EXPECT_TRUE(inventory
                        .Receive(shop_.id, {.item_id = item->id,
                                            .location_id = location_,
                                            .quantity = per_variant[i].stock,
                                            .reason = "initial",
                                            .actor = "staff:1"})
                        .ok());
      }
    }
    return *product;
  }

  // The server's public base URL, as the home page's canonical link names it.
  std::string Base() {
    const std::string body = Page("/").body;
    const std::string marker = "<link rel=\"canonical\" href=\"";
    const std::size_t at = body.find(marker);
    if (at == std::string::npos) {
      ADD_FAILURE() << "no canonical link on the home page";
      return "missing";
    }
    const std::size_t start = at + marker.size();
    const std::size_t end = body.find("/\"", start);
    EXPECT_TRUE(body.substr(start).starts_with("http://"));
    return body.substr(start, end - start);
  }

  http::testing::ClientResponse Page(const std::string& target) {
    auto response = client().Get(target, {{"Accept", "text/html"}});
    EXPECT_TRUE(response.ok()) << target;
    return response.ok() ? std::move(response).value() : http::testing::ClientResponse{};
  }

  TestShop shop_;
  std::int64_t eu_ = 0;
  std::int64_t uk_ = 0;
  std::int64_t location_ = 0;
  cat::Product shirt_;
  cat::Product scarf_;
};

TEST_P(StorefrontCatalogPagesTest, HomeShowsPublishedCollectionsAndProductsPricedInTheMarket) {
  auto home = Page("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_TRUE(Contains(home.body, "<h1>Shop aurelle</h1>"));
  EXPECT_TRUE(Contains(home.body, "href=\"/products/linen-shirt\""));
  EXPECT_TRUE(Contains(home.body, "href=\"/collections/summer\""));
  EXPECT_FALSE(Contains(home.body, "/collections/unreleased"));
  EXPECT_TRUE(Contains(home.body, "€24.00"));
  EXPECT_TRUE(Contains(home.body, "In stock"));
  EXPECT_TRUE(Contains(home.body, "Out of stock"));  // the scarf
  EXPECT_FALSE(Contains(home.body, "Secret Draft"));
  EXPECT_FALSE(Contains(home.body, "Old Archived"));
  EXPECT_FALSE(Contains(home.body, "Meta Only"));
  const boost::json::object organization = BlockOfType(home.body, "Organization");
  EXPECT_EQ(organization.at("url").as_string(), Base() + "/");

  auto british = Page("/?market=uk");
  ASSERT_EQ(british.status, 200);
  EXPECT_TRUE(Contains(british.body, "£20.00"));
  EXPECT_FALSE(Contains(british.body, "€24.00"));
}

TEST_P(StorefrontCatalogPagesTest, ProductPageHasPricePickerAvailabilityAndPromise) {
  auto page = Page("/products/linen-shirt");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Contains(page.body, "<h1>Linen Shirt</h1>"));
  EXPECT_TRUE(Contains(page.body, "<span data-price>€24.00</span>"));
  EXPECT_TRUE(Contains(page.body, "Tax included."));
  EXPECT_TRUE(Contains(page.body, "role=\"status\">In stock</p>"));
  EXPECT_TRUE(Contains(page.body, "Arrives between <time datetime=\""));
  EXPECT_TRUE(Contains(page.body, "<p>Soft linen shirt.</p>"));
  EXPECT_TRUE(Contains(page.body, "alt=\"Linen shirt, front\" width=\"800\" height=\"800\""));
  // The picker posts variant_id and quantity; the size out of stock cannot be chosen.
  EXPECT_TRUE(Contains(page.body, "<form class=\"buy\" method=\"post\" action=\"/cart/add\">"));
  const std::string small = std::to_string(shirt_.variants.at(0).id);
  const std::string medium = std::to_string(shirt_.variants.at(1).id);
  EXPECT_TRUE(Contains(page.body, "name=\"variant_id\" id=\"variant-" + small + "\" value=\"" + small + "\""));
  const std::size_t medium_at = page.body.find("id=\"variant-" + medium + "\"");
  ASSERT_NE(medium_at, std::string::npos);
  const std::string medium_input = page.body.substr(medium_at, page.body.find('>', medium_at) - medium_at);
  EXPECT_TRUE(Contains(medium_input, " disabled"));
  EXPECT_FALSE(Contains(medium_input, " checked"));
  EXPECT_TRUE(Contains(page.body, "name=\"quantity\""));
  EXPECT_TRUE(Contains(page.body, "<button type=\"submit\" class=\"add\">Add to cart</button>"));

  auto british = Page("/products/linen-shirt?market=uk");
  ASSERT_EQ(british.status, 200);
  EXPECT_TRUE(Contains(british.body, "<span data-price>£20.00</span>"));
  EXPECT_TRUE(Contains(british.body, "Tax excluded; added at checkout."));
  // No rate ships to the United Kingdom, so no promise is made there.
  EXPECT_FALSE(Contains(british.body, "Arrives between"));
}

TEST_P(StorefrontCatalogPagesTest, LinkPreviewsAndJsonLdDescribeTheProduct) {
  auto page = Page("/products/linen-shirt");
  ASSERT_EQ(page.status, 200);
  const std::string base = Base();
  EXPECT_TRUE(Contains(page.body, "<meta property=\"og:type\" content=\"product\">"));
  EXPECT_TRUE(Contains(page.body, "<meta property=\"og:title\" content=\"Linen Shirt\">"));
  EXPECT_TRUE(Contains(page.body, "<meta property=\"og:description\" content=\"Soft linen shirt.\">"));
  EXPECT_TRUE(Contains(page.body, "<meta property=\"og:image\" content=\"https://cdn.example/shirt.jpg\">"));
  EXPECT_TRUE(Contains(page.body, "<meta property=\"og:url\" content=\"" + base + "/products/linen-shirt\">"));
  EXPECT_TRUE(Contains(page.body, "<meta property=\"product:price:amount\" content=\"24.00\">"));
  EXPECT_TRUE(Contains(page.body, "<meta property=\"product:price:currency\" content=\"EUR\">"));
  EXPECT_TRUE(Contains(page.body, "<meta property=\"product:availability\" content=\"in stock\">"));
  EXPECT_TRUE(Contains(page.body, "<meta name=\"twitter:card\" content=\"summary_large_image\">"));
  EXPECT_TRUE(Contains(page.body, "<link rel=\"canonical\" href=\"" + base + "/products/linen-shirt\">"));
  EXPECT_TRUE(Contains(page.body, "hreflang=\"en-GB\" href=\"" + base + "/products/linen-shirt?market=uk\""));
  EXPECT_TRUE(Contains(page.body, "hreflang=\"en-FR\" href=\"" + base + "/products/linen-shirt?market=eu\""));

  const boost::json::object product = BlockOfType(page.body, "Product");
  EXPECT_EQ(product.at("name").as_string(), "Linen Shirt");
  EXPECT_EQ(product.at("sku").as_string(), "SH-S");
  EXPECT_EQ(product.at("brand").at("name").as_string(), "Aurelle");
  const boost::json::array& offers = product.at("offers").as_array();
  ASSERT_EQ(offers.size(), 2u);
  std::map<std::string, std::string> price_by_currency;
  for (const boost::json::value& offer : offers) {
    EXPECT_EQ(offer.at("availability").as_string(), "https://schema.org/InStock");
    price_by_currency[std::string(offer.at("priceCurrency").as_string())] = std::string(offer.at("price").as_string());
  }
  EXPECT_EQ(price_by_currency["EUR"], "24.00");
  EXPECT_EQ(price_by_currency["GBP"], "20.00");
  EXPECT_EQ(offers.at(0).at("url").as_string(), base + "/products/linen-shirt?market=eu");
  const boost::json::object breadcrumb = BlockOfType(page.body, "BreadcrumbList");
  ASSERT_EQ(breadcrumb.at("itemListElement").as_array().size(), 2u);
  EXPECT_EQ(breadcrumb.at("itemListElement").as_array().at(1).at("item").as_string(), base + "/products/linen-shirt");
}

TEST_P(StorefrontCatalogPagesTest, JsonLdCarriesTheAggregateRatingOnceTheProductHasReviews) {
  auto before = Page("/products/linen-shirt");
  ASSERT_EQ(before.status, 200);
  EXPECT_FALSE(BlockOfType(before.body, "Product").contains("aggregateRating")) << "no reviews, no stars";

  const std::string shop_path = "/api/v1/shops/" + shop_.handle;
  const std::vector<std::pair<std::string, int>> reviewers = {{"ines", 5}, {"jules", 4}, {"karim", 4}};
  for (const auto& [name, rating] : reviewers) {
    const Credentials customer = SignUpCustomer(shop_, name + "@example.fr");
    auto profile = Call("POST", shop_path + "/customer/social/profile", customer,
                        R"({"handle":")" + name + R"(","display_name":")" + name + R"("})");
    ASSERT_EQ(profile.status, 201) << profile.body;
    auto review = Call("POST", shop_path + "/customer/reviews", customer,
                       R"({"product_id":)" + std::to_string(shirt_.id) + R"(,"rating":)" + std::to_string(rating) +
                           R"(,"body":"</script><script>alert(1)</script>"})");
    ASSERT_EQ(review.status, 201) << review.body;
  }
  auto after = Page("/products/linen-shirt");
  ASSERT_EQ(after.status, 200);
  const boost::json::object product = BlockOfType(after.body, "Product");
  ASSERT_TRUE(product.contains("aggregateRating"));
  const boost::json::object& rating = product.at("aggregateRating").as_object();
  EXPECT_EQ(rating.at("@type").as_string(), "AggregateRating");
  EXPECT_EQ(rating.at("ratingValue").as_string(), "4.3");  // 13 / 3
  EXPECT_EQ(rating.at("reviewCount").as_int64(), 3);
  EXPECT_FALSE(BlockOfType(Page("/products/silk-scarf").body, "Product").contains("aggregateRating"));
}

TEST_P(StorefrontCatalogPagesTest, OutOfStockProductCannotBeAddedToTheCart) {
  auto page = Page("/products/silk-scarf");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "role=\"status\">Out of stock</p>"));
  EXPECT_TRUE(Contains(page.body, "<button type=\"submit\" class=\"add\" disabled>Add to cart</button>"));
  EXPECT_FALSE(Contains(page.body, "class=\"add\">"));
  EXPECT_TRUE(Contains(page.body, "<meta property=\"product:availability\" content=\"out of stock\">"));
  const boost::json::object product = BlockOfType(page.body, "Product");
  EXPECT_EQ(product.at("offers").as_array().at(0).at("availability").as_string(), "https://schema.org/OutOfStock");
}

TEST_P(StorefrontCatalogPagesTest, LowStockPreorderAndBackorderEachReadAsOneLine) {
  const auto single = [&](const std::string& handle, std::int64_t stock) {
    return MakeProduct({.handle = handle,
                        .title = handle,
                        .status = cat::ProductStatus::kActive,
                        .channels = {cat::Channel::kOnlineStore},
                        .variants = {{.sku = handle}}},
                       {{1000, 900, stock}});
  };
  single("few-left", 3);
  const cat::Product preorder = single("coming-soon", 0);
  const cat::Product backorder = single("made-to-order", 0);
  inventory::InventoryService inventory(db(), clock());
  auto preorder_item = inventory.EnsureVariantItem(shop_.id, preorder.variants.at(0).id);
  auto backorder_item = inventory.EnsureVariantItem(shop_.id, backorder.variants.at(0).id);
  ASSERT_TRUE(preorder_item.ok() && backorder_item.ok());
  const TimePoint arrival = clock().Now() + std::chrono::days(20);
  ASSERT_TRUE(inventory.SetPreorder(shop_.id, preorder_item->id, inventory::PreorderSettings{arrival, 5}).ok());
  ASSERT_TRUE(inventory.UpdateItem(shop_.id, backorder_item->id, {.allow_backorder = true}).ok());

  auto few = Page("/products/few-left");
  ASSERT_EQ(few.status, 200);
  EXPECT_TRUE(Contains(few.body, "role=\"status\">Only 3 left</p>"));
  EXPECT_TRUE(Contains(few.body, "class=\"add\">Add to cart</button>"));

  auto soon = Page("/products/coming-soon");
  ASSERT_EQ(soon.status, 200);
  const std::chrono::year_month_day arrival_day{std::chrono::floor<std::chrono::days>(arrival)};
  EXPECT_TRUE(Contains(soon.body, "role=\"status\">Pre-order — ships from " +
                                      std::to_string(static_cast<unsigned>(arrival_day.day())) + " "))
      << soon.body;
  EXPECT_TRUE(Contains(soon.body, "class=\"add\">Add to cart</button>"));
  EXPECT_TRUE(Contains(soon.body, "<meta property=\"product:availability\" content=\"preorder\">"));
  EXPECT_EQ(BlockOfType(soon.body, "Product").at("offers").as_array().at(0).at("availability").as_string(),
            "https://schema.org/PreOrder");
  // The promise starts after the pre-ordered stock arrives.
  const std::string marker = "Arrives between <time datetime=\"";
  const std::size_t at = soon.body.find(marker);
  ASSERT_NE(at, std::string::npos);
  char arrival_iso[32];
  std::snprintf(arrival_iso, sizeof arrival_iso, "%04d-%02u-%02u", static_cast<int>(arrival_day.year()),
                static_cast<unsigned>(arrival_day.month()), static_cast<unsigned>(arrival_day.day()));
  EXPECT_GE(soon.body.substr(at + marker.size(), 10), std::string(arrival_iso));

  auto made = Page("/products/made-to-order");
  ASSERT_EQ(made.status, 200);
  EXPECT_TRUE(Contains(made.body, "role=\"status\">Backorder</p>"));
  EXPECT_TRUE(Contains(made.body, "<meta property=\"product:availability\" content=\"backorder\">"));
}

TEST_P(StorefrontCatalogPagesTest, HostileProductDataRendersInert) {
  MakeProduct(
      {.handle = "hostile",
       .title = "<script>alert(1)</script>",
       .description_html = "<script>alert(3)</script><p onclick=\"alert(4)\">Fine &amp; dandy</p>",
       .vendor = "\"></script><script>alert(5)</script>",
       .seo_description = "</script><script>alert(6)</script>",
       .status = cat::ProductStatus::kActive,
       .channels = {cat::Channel::kOnlineStore},
       .media = {{.url = "https://cdn.example/a.jpg?x='onerror='alert(2)&y=1", .alt = "\" onmouseover=\"alert(7)"}}},
      {{1000, 900, 3}});
  // The catalog refuses a javascript: URL outright.
  cat::CatalogService catalog(db(), clock());
  EXPECT_FALSE(catalog
                   .CreateProduct(shop_.id, {.title = "Trap",
                                             .status = cat::ProductStatus::kActive,
                                             .channels = {cat::Channel::kOnlineStore},
                                             .media = {{.url = "javascript:alert(8)"}}})
                   .ok());

  for (const std::string target : {"/products/hostile", "/", "/search?q=alert"}) {
    auto page = Page(target);
    ASSERT_EQ(page.status, 200) << target;
    EXPECT_FALSE(Contains(page.body, "<script>alert")) << target;
    EXPECT_TRUE(Contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt;")) << target;
    // Attribute values are escaped; inside JSON-LD strings quotes are inert.
    const std::string markup = WithoutJsonLd(page.body);
    EXPECT_FALSE(Contains(markup, "'onerror='")) << target;
    EXPECT_FALSE(Contains(markup, "\" onmouseover=\"")) << target;
    EXPECT_FALSE(Contains(page.body, "javascript:")) << target;
  }
  auto page = Page("/products/hostile");
  EXPECT_TRUE(Contains(page.body, "src=\"https://cdn.example/a.jpg?x=&#39;onerror=&#39;alert(2)&amp;y=1\""));
  EXPECT_TRUE(Contains(page.body, "alt=\"&quot; onmouseover=&quot;alert(7)\""));
  EXPECT_TRUE(Contains(page.body, "<p>Fine &amp; dandy</p>"));
  EXPECT_FALSE(Contains(page.body, "onclick"));
  EXPECT_FALSE(Contains(page.body, "alert(3)"));
  // Inside the data blocks "<" is escaped, so none can close its script element.
  constexpr std::string_view kOpen = "<script type=\"application/ld+json\">";
  std::size_t blocks = 0;
  for (std::size_t at = page.body.find(kOpen); at != std::string::npos; at = page.body.find(kOpen, at)) {
    at += kOpen.size();
    const std::size_t end = page.body.find("</script>", at);
    ASSERT_NE(end, std::string::npos);
    const std::string block = page.body.substr(at, end - at);
    EXPECT_FALSE(Contains(block, "</script")) << block;
    EXPECT_FALSE(Contains(block, "<")) << block;
    ++blocks;
  }
  EXPECT_EQ(blocks, 2u);
  const boost::json::object product = BlockOfType(page.body, "Product");
  EXPECT_EQ(product.at("name").as_string(), "<script>alert(1)</script>");
  EXPECT_EQ(product.at("brand").at("name").as_string(), "\"></script><script>alert(5)</script>");
}

TEST_P(StorefrontCatalogPagesTest, HiddenProductsAndCollectionsAnswer404InTheShopFrame) {
  for (const std::string target :
       {"/products/secret-draft", "/products/old-archived", "/products/meta-only", "/products/no-such-thing",
        "/products/BAD%20handle", "/collections/unreleased", "/collections/no-such-thing"}) {
    auto page = Page(target);
    EXPECT_EQ(page.status, 404) << target;
    EXPECT_TRUE(Contains(page.body, "<h1>Page not found</h1>")) << target;
    EXPECT_TRUE(Contains(page.body, "class=\"shop-header\"")) << target;
    EXPECT_TRUE(Contains(page.body, "<meta name=\"robots\" content=\"noindex\">")) << target;
  }
  auto search = Page("/search?q=secret");
  ASSERT_EQ(search.status, 200);
  EXPECT_FALSE(Contains(search.body, "Secret Draft"));
  EXPECT_TRUE(Contains(search.body, "0 products"));
}

TEST_P(StorefrontCatalogPagesTest, CollectionPageListsItsProductsWithBreadcrumbs) {
  auto page = Page("/collections/summer?market=uk");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "<h1>Summer Edit</h1>"));
  EXPECT_TRUE(Contains(page.body, "<p>Light things.</p>"));
  EXPECT_TRUE(Contains(page.body, "href=\"/products/linen-shirt\""));
  EXPECT_TRUE(Contains(page.body, "href=\"/products/silk-scarf\""));
  EXPECT_TRUE(Contains(page.body, "£20.00"));
  EXPECT_FALSE(Contains(page.body, "rel=\"next\""));
  const boost::json::object breadcrumb = BlockOfType(page.body, "BreadcrumbList");
  const boost::json::array& items = breadcrumb.at("itemListElement").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items.at(1).at("name").as_string(), "Summer Edit");
}

TEST_P(StorefrontCatalogPagesTest, CollectionPagesFollowTheirCursorBothWays) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 30; ++i) {
    const cat::Product product = MakeProduct({.handle = "tee-" + std::to_string(i),
                                              .title = "Tee " + std::to_string(i),
                                              .status = cat::ProductStatus::kActive,
                                              .channels = {cat::Channel::kOnlineStore}},
                                             {{1000, 900, 1}});
    ids.push_back(product.id);
  }
  cat::CatalogService catalog(db(), clock());
  ASSERT_TRUE(catalog.CreateCollection(shop_.id, {.handle = "tees", .title = "Tees", .product_ids = ids}).ok());

  const auto next_link = [](const std::string& body) -> std::string {
    const std::string marker = "<a rel=\"next\" href=\"";
    const std::size_t at = body.find(marker);
    if (at == std::string::npos) return {};
    const std::size_t start = at + marker.size();
    std::string href = body.substr(start, body.find('"', start) - start);
    for (std::size_t amp = href.find("&amp;"); amp != std::string::npos; amp = href.find("&amp;")) {
      href.replace(amp, 5, "&");
    }
    return href;
  };
  auto first = Page("/collections/tees");
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(Contains(first.body, "href=\"/products/tee-29\""));
  EXPECT_FALSE(Contains(first.body, "href=\"/products/tee-0\""));
  EXPECT_FALSE(Contains(first.body, "rel=\"prev\""));
  const std::string next = next_link(first.body);
  ASSERT_FALSE(next.empty());
  auto second = Page(next);
  ASSERT_EQ(second.status, 200);
  EXPECT_TRUE(Contains(second.body, "href=\"/products/tee-0\""));
  EXPECT_FALSE(Contains(second.body, "href=\"/products/tee-29\""));
  EXPECT_TRUE(Contains(second.body, "<a rel=\"prev\" href=\"/collections/tees\">"));
  EXPECT_TRUE(next_link(second.body).empty());
  EXPECT_TRUE(Contains(second.body, "<link rel=\"canonical\" href=\"" + Base() + "/collections/tees?cursor="));
}

TEST_P(StorefrontCatalogPagesTest, SearchFiltersByTextFacetsPriceAndStock) {
  auto linen = Page("/search?q=linen");
  ASSERT_EQ(linen.status, 200);
  EXPECT_TRUE(Contains(linen.body, "href=\"/products/linen-shirt\""));
  EXPECT_FALSE(Contains(linen.body, "href=\"/products/silk-scarf\""));
  EXPECT_TRUE(Contains(linen.body, "<legend>Size</legend>"));
  EXPECT_TRUE(Contains(linen.body, "value=\"Size:S\""));
  EXPECT_TRUE(Contains(linen.body, "<form class=\"facets\" method=\"get\" action=\"/search\">"));
  EXPECT_TRUE(Contains(linen.body, "€24.00"));

  auto everything = Page("/search");
  EXPECT_TRUE(Contains(everything.body, "href=\"/products/silk-scarf\""));
  EXPECT_TRUE(Contains(everything.body, "value=\"summer\""));
  EXPECT_FALSE(Contains(everything.body, "value=\"unreleased\""));

  auto in_stock = Page("/search?in_stock=1");
  EXPECT_TRUE(Contains(in_stock.body, "href=\"/products/linen-shirt\""));
  EXPECT_FALSE(Contains(in_stock.body, "href=\"/products/silk-scarf\""));
  EXPECT_TRUE(Contains(in_stock.body, "id=\"in-stock\" value=\"1\" checked"));

  auto cheap = Page("/search?max_price=20");
  EXPECT_FALSE(Contains(cheap.body, "href=\"/products/linen-shirt\""));
  EXPECT_TRUE(Contains(cheap.body, "href=\"/products/silk-scarf\""));
  // 20.00 GBP is within a 20 pound limit in the British market.
  auto british = Page("/search?max_price=20&market=uk");
  EXPECT_TRUE(Contains(british.body, "href=\"/products/linen-shirt\""));
  EXPECT_TRUE(Contains(british.body, "£20.00"));

  auto by_option = Page("/search?option=Size%3AM");
  EXPECT_TRUE(Contains(by_option.body, "href=\"/products/linen-shirt\""));
  EXPECT_FALSE(Contains(by_option.body, "href=\"/products/silk-scarf\""));

  auto bad_price = Page("/search?min_price=lots");
  EXPECT_EQ(bad_price.status, 400);
  EXPECT_TRUE(Contains(bad_price.body, "id=\"price-error\" class=\"error\" role=\"alert\""));
}

TEST_P(StorefrontCatalogPagesTest, SitemapsListVisiblePagesAndRobotsPointsAtThem) {
  const std::string base = Base();
  auto robots = Page("/robots.txt");
  ASSERT_EQ(robots.status, 200);
  for (const std::string line : {"Disallow: /cart\n", "Disallow: /checkout\n", "Disallow: /account\n",
                                 "Disallow: /admin\n", "Disallow: /api\n", "Allow: /\n"}) {
    EXPECT_TRUE(Contains(robots.body, line)) << line;
  }
  EXPECT_TRUE(Contains(robots.body, "Sitemap: " + base + "/sitemap.xml\n"));

  auto index = Page("/sitemap.xml");
  ASSERT_EQ(index.status, 200);
  EXPECT_TRUE(index.headers.Get("Content-Type").value_or("").starts_with("application/xml"));
  EXPECT_TRUE(Contains(index.body, "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
  EXPECT_TRUE(Contains(index.body, "<loc>" + base + "/sitemaps/pages.xml</loc>"));
  EXPECT_TRUE(Contains(index.body, "<loc>" + base + "/sitemaps/products-1.xml</loc><lastmod>"));
  EXPECT_FALSE(Contains(index.body, "products-2.xml"));

  auto products = Page("/sitemaps/products-1.xml");
  ASSERT_EQ(products.status, 200);
  EXPECT_TRUE(Contains(products.body, "<url><loc>" + base + "/products/linen-shirt</loc><lastmod>"));
  EXPECT_TRUE(Contains(products.body, "<loc>" + base + "/products/silk-scarf</loc>"));
  EXPECT_FALSE(Contains(products.body, "secret-draft"));
  EXPECT_FALSE(Contains(products.body, "old-archived"));
  EXPECT_FALSE(Contains(products.body, "meta-only"));

  // A product hidden after the first sitemap read leaves the next one.
  cat::CatalogService catalog(db(), clock());
  ASSERT_TRUE(catalog.SetStatus(shop_.id, scarf_.id, cat::ProductStatus::kDraft).ok());
  auto after = Page("/sitemaps/products-1.xml");
  EXPECT_FALSE(Contains(after.body, "silk-scarf"));

  auto pages = Page("/sitemaps/pages.xml");
  ASSERT_EQ(pages.status, 200);
  EXPECT_TRUE(Contains(pages.body, "<loc>" + base + "/</loc>"));
  EXPECT_TRUE(Contains(pages.body, "<loc>" + base + "/collections/summer</loc>"));
  EXPECT_FALSE(Contains(pages.body, "unreleased"));

  EXPECT_EQ(Page("/sitemaps/products-2.xml").status, 404);
  EXPECT_EQ(Page("/sitemaps/products-0.xml").status, 404);
  EXPECT_EQ(Page("/sitemaps/other.xml").status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, StorefrontCatalogPagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
