// Home, collections, search with facets and product pages. Each page reads the catalog,
// prices and stock of what it shows in one read transaction; prices are in the visit's
// market. Merchant text is escaped, and merchant HTML is shown as plain paragraphs.

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "catalog_view.h"
#include "feed_sections.h"
#include "plaza/catalog/online_store.h"
#include "plaza/core/money.h"
#include "plaza/reviews/reviews.h"
#include "plaza/shipping/shipping_service.h"
#include "review_sections.h"
#include "routes.h"
#include "shop_page.h"

namespace plaza::web::storefront {
namespace {

namespace cat = catalog;
using http::Request;
using http::Response;

constexpr int kGridSize = 24;
// A "previous page" trail longer than this starts over at the first page.
constexpr std::size_t kMaxTrail = 100;

// A page kept out of search: errors and result lists.
PageMeta PrivateMeta(std::string title, std::string path) {
  PageMeta meta;
  meta.title = std::move(title);
  meta.path = std::move(path);
  meta.noindex = true;
  return meta;
}

Response NoShop(const Error& error) {
  HtmlWriter html;
  const bool missing = error.code == ErrorCode::kNotFound;
  html.Raw(missing ? "<h1>No shop here yet</h1><p>This server has no shop to show.</p>"
                   : "<h1>The shop is unavailable</h1><p>Please try again in a moment.</p>");
  return Response::Html(Layout(missing ? "No shop" : "Unavailable", {html.Take()}), missing ? 404 : 503);
}

Response NotFoundPage(const PageServices& services, const Visit& visit, std::string_view what) {
  HtmlWriter html;
  html.Raw("<h1>Page not found</h1><p>")
      .Text(what)
      .Raw("</p><p><a href=\"/\">Go to the front page</a> or <a href=\"/search\">search the shop</a>.</p>");
  return ShopPage(services, visit, PrivateMeta("Page not found", "/"), {html.Take()}, 404);
}

Response ErrorPage(const PageServices& services, const Visit& visit, const Error& error) {
  if (error.code == ErrorCode::kNotFound) return NotFoundPage(services, visit, "There is nothing at this address.");
  HtmlWriter html;
  html.Raw("<h1>Something went wrong</h1><p>The page could not be loaded. Please try again in a moment.</p>");
  return ShopPage(services, visit, PrivateMeta("Unavailable", "/"), {html.Take()}, 503);
}

std::string Decimal(const Money& money) {
  auto currency = FindCurrency(money.currency);
  return currency.ok() ? FormatDecimalAmount(money.minor, *currency) : std::to_string(money.minor);
}

void Paragraphs(HtmlWriter& html, std::string_view merchant_html) {
  for (const std::string& paragraph : PlainParagraphs(merchant_html)) html.Raw("<p>").Text(paragraph).Raw("</p>");
}

bool IsCursor(std::string_view text) {
  return !text.empty() && text.size() <= 18 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> SplitTrail(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view part = text.substr(start, comma - start);
    if (!IsCursor(part)) return {};
    out.emplace_back(part);
    start = comma + 1;
  }
  if (out.size() > kMaxTrail) return {};
  return out;
}

std::string JoinTrail(const std::vector<std::string>& trail) {
  std::string out;
  for (const std::string& cursor : trail) {
    if (!out.empty()) out += ',';
    out += cursor;
  }
  return out;
}

// ---- home ----

Response Home(const PageServices& services, const Request& request) {
  auto visit = BeginVisit(services, request);
  if (!visit.ok()) return NoShop(visit.error());
  auto collections = services.catalog.ListCollections(visit->shop.id);
  if (!collections.ok()) return ErrorPage(services, *visit, collections.error());
  struct Loaded {
    cat::ProductPage page;
    Offers offers;
  };
  auto loaded = services.db.Read([&](store::Transaction& tx) -> Result<Loaded> {
    Loaded out;
    PLAZA_ASSIGN_OR_RETURN(
        out.page, cat::ListProducts(tx, visit->shop.id, {.channel = cat::Channel::kOnlineStore, .limit = kGridSize}));
    PLAZA_ASSIGN_OR_RETURN(out.offers,
                           LoadOffers(tx, services, visit->shop.id, visit->market, VariantIdsOf(out.page.products)));
    return out;
  });
  if (!loaded.ok()) return ErrorPage(services, *visit, loaded.error());

  HtmlWriter html;
  html.Raw("<h1>").Text(visit->shop.name).Raw("</h1>");
  bool any_collection = false;
  for (const cat::Collection& collection : *collections) {
    if (!collection.published) continue;
    if (!any_collection) html.Raw("<nav aria-label=\"Collections\"><h2>Collections</h2><ul class=\"collection-list\">");
    any_collection = true;
    html.Raw("<li><a href=\"/collections/").Text(collection.handle).Raw("\">").Text(collection.title).Raw("</a></li>");
  }
  if (any_collection) html.Raw("</ul></nav>");
  html.Raw("<section aria-labelledby=\"latest\"><h2 id=\"latest\">New products</h2>");
  if (loaded->page.products.empty()) {
    html.Raw("<p>No products yet.</p>");
  } else {
    html.Fragment(ProductGrid(loaded->page.products, loaded->offers));
  }
  if (!loaded->page.next_cursor.empty()) html.Raw("<p><a href=\"/search\">See all products</a></p>");
  html.Raw("</section>");

  const boost::json::object organization{{"@context", "https://schema.org"},
                                         {"@type", "Organization"},
                                         {"name", visit->shop.name},
                                         {"url", AbsoluteUrl(services, "/")}};
  PageMeta meta;
  meta.description = "Shop " + visit->shop.name + " online: new products and collections.";
  meta.json_ld.push_back(boost::json::serialize(organization));
  return ShopPage(services, *visit, meta, {html.Take()});
}

// ---- collection ----

Response CollectionPage(const PageServices& services, const Request& request) {
  auto visit = BeginVisit(services, request);
  if (!visit.ok()) return NoShop(visit.error());
  const std::string handle(request.PathParam("handle"));
  if (!cat::IsValidHandle(handle)) return NotFoundPage(services, *visit, "There is no collection at this address.");
  auto collection = services.catalog.GetCollectionByHandle(visit->shop.id, handle);
  if (!collection.ok() && collection.error().code != ErrorCode::kNotFound) {
    return ErrorPage(services, *visit, collection.error());
  }
  if (!collection.ok() || !collection->published) {
    return NotFoundPage(services, *visit, "There is no collection at this address.");
  }
  const std::string cursor(request.Query("cursor").value_or(""));
  if (!cursor.empty() && !IsCursor(cursor)) return NotFoundPage(services, *visit, "This page of the list is gone.");
  std::vector<std::string> trail = SplitTrail(request.Query("trail").value_or(""));

  struct Loaded {
    cat::ProductPage page;
    Offers offers;
  };
  auto loaded = services.db.Read([&](store::Transaction& tx) -> Result<Loaded> {
    Loaded out;
    PLAZA_ASSIGN_OR_RETURN(out.page, cat::ListProducts(tx, visit->shop.id,
                                                       {.channel = cat::Channel::kOnlineStore,
                                                        .collection_id = collection->id,
                                                        .cursor = cursor,
                                                        .limit = kGridSize}));
    PLAZA_ASSIGN_OR_RETURN(out.offers,
                           LoadOffers(tx, services, visit->shop.id, visit->market, VariantIdsOf(out.page.products)));
    return out;
  });
  if (!loaded.ok()) return ErrorPage(services, *visit, loaded.error());

  const std::string base_path = "/collections/" + handle;
  HtmlWriter html;
  html.Raw("<nav aria-label=\"Breadcrumb\"><ol class=\"breadcrumb\"><li><a href=\"/\">Home</a></li>")
      .Raw("<li aria-current=\"page\">")
      .Text(collection->title)
      .Raw("</li></ol></nav><h1>")
      .Text(collection->title)
      .Raw("</h1>");
  if (cursor.empty()) {
    html.Raw("<div class=\"description\">");
    Paragraphs(html, collection->description_html);
    html.Raw("</div>");
  }
  if (loaded->page.products.empty()) {
    html.Raw("<p>No products here yet.</p>");
  } else {
    html.Fragment(ProductGrid(loaded->page.products, loaded->offers));
  }
  const bool has_prev = !cursor.empty();
  const bool has_next = !loaded->page.next_cursor.empty();
  if (has_prev || has_next) {
    html.Raw("<nav class=\"pagination\" aria-label=\"Pages\">");
    if (has_prev) {
      std::string href = base_path;
      if (!trail.empty() && trail.back() != "0") {
        const std::string previous = trail.back();
        trail.pop_back();
        href += "?cursor=" + previous;
        if (!trail.empty()) href += "&trail=" + QueryEscape(JoinTrail(trail));
        trail.push_back(previous);
      }
      html.Raw("<a rel=\"prev\" href=\"").Text(href).Raw("\">Previous page</a> ");
    }
    if (has_next) {
      std::vector<std::string> next_trail = trail;
      if (next_trail.size() >= kMaxTrail) next_trail.clear();
      next_trail.push_back(cursor.empty() ? "0" : cursor);
      html.Raw("<a rel=\"next\" href=\"")
          .Text(base_path + "?cursor=" + loaded->page.next_cursor + "&trail=" + QueryEscape(JoinTrail(next_trail)))
          .Raw("\">Next page</a>");
    }
    html.Raw("</nav>");
  }

  PageMeta meta;
  meta.title = collection->title;
  meta.description = PlainSummary(collection->description_html);
  if (meta.description.empty()) meta.description = collection->title + " at " + visit->shop.name;
  meta.path = cursor.empty() ? base_path : base_path + "?cursor=" + cursor;
  const auto first = std::find_if(
      loaded->page.products.begin(), loaded->page.products.end(),
      [](const cat::Product& product) { return !product.media.empty() && IsWebUrl(product.media.front().url); });
  if (first != loaded->page.products.end()) meta.image_url = first->media.front().url;
  meta.json_ld.push_back(boost::json::serialize(
      BreadcrumbJson({{"Home", AbsoluteUrl(services, "/")}, {collection->title, AbsoluteUrl(services, base_path)}})));
  return ShopPage(services, *visit, meta, {html.Take()});
}

// ---- search ----

Response SearchPage(const PageServices& services, const Request& request) {
  auto visit = BeginVisit(services, request);
  if (!visit.ok()) return NoShop(visit.error());
  const std::int64_t shop_id = visit->shop.id;
  auto collections = services.catalog.ListCollections(shop_id);
  if (!collections.ok()) return ErrorPage(services, *visit, collections.error());

  cat::SearchQuery query;
  query.channel = cat::Channel::kOnlineStore;
  query.text = std::string(request.Query("q").value_or(""));
  query.limit = kGridSize;
  for (const std::string_view pair : request.query.GetAll("option")) {
    const std::size_t colon = pair.find(':');
    if (colon != std::string_view::npos && colon > 0) {
      query.option_values.emplace_back(std::string(pair.substr(0, colon)), std::string(pair.substr(colon + 1)));
    }
  }
  const std::string collection_handle(request.Query("collection").value_or(""));
  for (const cat::Collection& collection : *collections) {
    if (collection.published && collection.handle == collection_handle) query.collection_id = collection.id;
  }
  query.in_stock_only = request.Query("in_stock") == "1";
  const std::string min_text(request.Query("min_price").value_or(""));
  const std::string max_text(request.Query("max_price").value_or(""));
  std::string price_error;
  std::optional<Currency> currency;
  if (visit->market) {
    if (auto found = FindCurrency(visit->market->currency); found.ok()) currency = *found;
  }
  if (currency) {
    for (const auto& [text, bound] : {std::pair{&min_text, &query.min_price}, std::pair{&max_text, &query.max_price}}) {
      if (text->empty()) continue;
      auto amount = ParseDecimalAmount(*text, *currency);
      if (amount.ok() && *amount >= 0) {
        *bound = *amount;
      } else {
        price_error = "Enter prices as amounts such as 25 or 25.50.";
      }
    }
  }
  const std::string offset_text(request.Query("offset").value_or("0"));
  const bool offset_ok = IsCursor(offset_text) && offset_text.size() <= 5;
  query.offset = offset_ok ? std::min(std::stoi(offset_text), cat::kMaxSearchOffset) : 0;

  query.annotate = cat::OnlineStoreAnnotator(
      services.inventory, shop_id, visit->market ? std::optional<std::int64_t>(visit->market->id) : std::nullopt,
      services.clock.Now());
  auto result = services.catalog.Search(shop_id, query);
  if (!result.ok()) return ErrorPage(services, *visit, result.error());

  struct Loaded {
    std::vector<cat::Product> products;
    Offers offers;
  };
  auto loaded = services.db.Read([&](store::Transaction& tx) -> Result<Loaded> {
    Loaded out;
    std::vector<std::int64_t> ids;
    for (const cat::SearchHit& hit : result->hits) ids.push_back(hit.product_id);
    PLAZA_ASSIGN_OR_RETURN(out.products, cat::GetProducts(tx, shop_id, ids));
    // A product hidden between the search and this read is left out.
    std::erase_if(out.products,
                  [](const cat::Product& product) { return !cat::IsVisibleOn(product, cat::Channel::kOnlineStore); });
    PLAZA_ASSIGN_OR_RETURN(out.offers, LoadOffers(tx, services, shop_id, visit->market, VariantIdsOf(out.products)));
    return out;
  });
  if (!loaded.ok()) return ErrorPage(services, *visit, loaded.error());

  const cat::Facets& facets = result->facets;
  HtmlWriter html;
  html.Raw("<h1>");
  if (query.text.empty()) {
    html.Raw("All products");
  } else {
    html.Raw("Results for “").Text(query.text).Raw("”");
  }
  html.Raw("</h1><div class=\"search-layout\"><form class=\"facets\" method=\"get\" action=\"/search\">")
      .Raw("<label for=\"search-q\">Search for</label><input id=\"search-q\" name=\"q\" type=\"search\" value=\"")
      .Text(query.text)
      .Raw("\">");
  if (currency) {
    html.Raw("<fieldset><legend>Price (").Text(currency->code).Raw(")</legend>");
    const std::string described = price_error.empty() ? "" : " aria-describedby=\"price-error\" aria-invalid=\"true\"";
    html.Raw("<label for=\"min-price\">From</label><input id=\"min-price\" name=\"min_price\" inputmode=\"decimal\"")
        .Raw(described)
        .Raw(" value=\"")
        .Text(min_text)
        .Raw("\"><label for=\"max-price\">To</label><input id=\"max-price\" name=\"max_price\" inputmode=\"decimal\"")
        .Raw(described)
        .Raw(" value=\"")
        .Text(max_text)
        .Raw("\">");
    if (!price_error.empty())
      html.Raw("<p id=\"price-error\" class=\"error\" role=\"alert\">").Text(price_error).Raw("</p>");
    if (facets.min_price && facets.max_price) {
      html.Raw("<p class=\"muted\">From ")
          .Text(PriceText({*facets.min_price, std::string(currency->code)}))
          .Raw(" to ")
          .Text(PriceText({*facets.max_price, std::string(currency->code)}))
          .Raw("</p>");
    }
    html.Raw("</fieldset>");
  }
  std::size_t option_index = 0;
  for (const cat::OptionFacet& option : facets.options) {
    html.Raw("<fieldset><legend>").Text(option.name).Raw("</legend>");
    std::size_t value_index = 0;
    for (const cat::FacetValue& value : option.values) {
      const std::string id = "option-" + std::to_string(option_index) + "-" + std::to_string(value_index++);
      const bool checked = std::find(query.option_values.begin(), query.option_values.end(),
                                     std::pair{option.name, value.value}) != query.option_values.end();
      html.Raw("<div class=\"check\"><input type=\"checkbox\" name=\"option\" id=\"")
          .Text(id)
          .Raw("\" value=\"")
          .Text(option.name + ":" + value.value)
          .Raw(checked ? "\" checked><label for=\"" : "\"><label for=\"")
          .Text(id)
          .Raw("\">")
          .Text(value.value + " (" + std::to_string(value.count) + ")")
          .Raw("</label></div>");
    }
    html.Raw("</fieldset>");
    ++option_index;
  }
  bool collection_legend = false;
  std::size_t collection_index = 0;
  for (const cat::FacetValue& value : facets.collections) {
    const auto found = std::find_if(collections->begin(), collections->end(), [&](const cat::Collection& collection) {
      return collection.published && collection.handle == value.value;
    });
    if (found == collections->end()) continue;
    if (!collection_legend) {
      html.Raw(
              "<fieldset><legend>Collection</legend><div class=\"check\"><input type=\"radio\" name=\"collection\" "
              "id=\"collection-any\" value=\"\"")
          .Raw(query.collection_id ? "" : " checked")
          .Raw("><label for=\"collection-any\">Any</label></div>");
      collection_legend = true;
    }
    const std::string id = "collection-" + std::to_string(collection_index++);
    html.Raw("<div class=\"check\"><input type=\"radio\" name=\"collection\" id=\"")
        .Text(id)
        .Raw("\" value=\"")
        .Text(found->handle)
        .Raw(query.collection_id == found->id ? "\" checked><label for=\"" : "\"><label for=\"")
        .Text(id)
        .Raw("\">")
        .Text(found->title + " (" + std::to_string(value.count) + ")")
        .Raw("</label></div>");
  }
  if (collection_legend) html.Raw("</fieldset>");
  html.Raw("<div class=\"check\"><input type=\"checkbox\" name=\"in_stock\" id=\"in-stock\" value=\"1\"")
      .Raw(query.in_stock_only ? " checked" : "")
      .Raw("><label for=\"in-stock\">In stock only (")
      .Text(std::to_string(facets.in_stock))
      .Raw(")</label></div><button type=\"submit\">Apply filters</button> <a href=\"/search\">Clear</a></form>");

  html.Raw("<section class=\"results\" aria-labelledby=\"result-count\"><p id=\"result-count\">")
      .Text(std::to_string(result->total) + (result->total == 1 ? " product" : " products"))
      .Raw("</p>");
  if (!loaded->products.empty()) html.Fragment(ProductGrid(loaded->products, loaded->offers));
  // The same query with another offset, for the page links.
  std::string same_query;
  for (const auto& [name, value] : request.query) {
    if (name == "offset") continue;
    same_query += (same_query.empty() ? "?" : "&") + QueryEscape(name) + "=" + QueryEscape(value);
  }
  const auto page_href = [&](int offset) {
    return "/search" + same_query + (same_query.empty() ? "?" : "&") + "offset=" + std::to_string(offset);
  };
  const bool has_prev = query.offset > 0;
  const bool has_next = query.offset + kGridSize < result->total && query.offset + kGridSize <= cat::kMaxSearchOffset;
  if (has_prev || has_next) {
    html.Raw("<nav class=\"pagination\" aria-label=\"Pages\">");
    if (has_prev) {
      html.Raw("<a rel=\"prev\" href=\"")
          .Text(page_href(std::max(0, query.offset - kGridSize)))
          .Raw("\">Previous page</a> ");
    }
    if (has_next) html.Raw("<a rel=\"next\" href=\"").Text(page_href(query.offset + kGridSize)).Raw("\">Next page</a>");
    html.Raw("</nav>");
  }
  html.Raw("</section></div>");
  const PageMeta meta = PrivateMeta(query.text.empty() ? "Search" : "Search: " + query.text, "/search");
  return ShopPage(services, *visit, meta, {html.Take()}, price_error.empty() ? 200 : 400);
}

// ---- product ----

struct ProductView {
  cat::Product product;
  Offers offers;
  std::int64_t default_variant_id = 0;
  // The default variant's price in each market that prices it, for the per-market offers.
  std::vector<std::pair<pricing::Market, pricing::EffectivePrice>> market_prices;
  std::optional<shipping::DeliveryPromise> promise;
};

Result<ProductView> LoadProduct(store::Transaction& tx, const PageServices& services, const Visit& visit,
                                std::string_view handle) {
  const std::int64_t shop_id = visit.shop.id;
  PLAZA_ASSIGN_OR_RETURN(cat::Product product, cat::GetProductByHandle(tx, shop_id, handle));
  if (!cat::IsVisibleOn(product, cat::Channel::kOnlineStore) || product.variants.empty()) {
    return Error::NotFound("no such product");
  }
  ProductView view;
  PLAZA_ASSIGN_OR_RETURN(view.offers,
                         LoadOffers(tx, services, shop_id, visit.market, VariantIdsOf(std::span(&product, 1))));
  const cat::Variant& chosen = DefaultVariant(product, view.offers);
  view.default_variant_id = chosen.id;
  const TimePoint now = services.clock.Now();
  for (const pricing::Market& market : visit.markets) {
    if (visit.market && market.id == visit.market->id) {
      if (const pricing::EffectivePrice* price = view.offers.Price(chosen.id)) {
        view.market_prices.emplace_back(market, *price);
      }
      continue;
    }
    const std::int64_t ids[] = {chosen.id};
    PLAZA_ASSIGN_OR_RETURN(auto prices, pricing::FindVariantPrices(tx, shop_id, market.id, ids, now));
    if (!prices.empty()) view.market_prices.emplace_back(market, prices.front());
  }
  if (visit.market) {
    PLAZA_ASSIGN_OR_RETURN(view.promise, cat::VariantDeliveryPromise(tx, services.shipping, shop_id, *visit.market,
                                                                     {.variant_id = chosen.id,
                                                                      .requires_shipping = chosen.requires_shipping,
                                                                      .weight_grams = chosen.weight_grams},
                                                                     view.offers, now));
  }
  view.product = std::move(product);
  return view;
}

std::string ProductJsonLd(const ProductView& view, const std::string& description, const std::string& canonical,
                          const reviews::RatingSummary& rating) {
  const cat::Product& product = view.product;
  boost::json::object ld{
      {"@context", "https://schema.org"}, {"@type", "Product"}, {"name", product.title}, {"url", canonical}};
  if (!description.empty()) ld["description"] = description;
  boost::json::array images;
  for (const cat::Media& media : product.media) {
    if (IsWebUrl(media.url)) images.emplace_back(media.url);
  }
  if (!images.empty()) ld["image"] = std::move(images);
  const auto chosen = std::find_if(product.variants.begin(), product.variants.end(),
                                   [&](const cat::Variant& variant) { return variant.id == view.default_variant_id; });
  if (chosen != product.variants.end()) {
    if (!chosen->sku.empty()) ld["sku"] = chosen->sku;
    if (!chosen->gtin.empty()) ld["gtin"] = chosen->gtin;
    if (!chosen->mpn.empty()) ld["mpn"] = chosen->mpn;
  }
  if (!product.vendor.empty()) ld["brand"] = boost::json::object{{"@type", "Brand"}, {"name", product.vendor}};
  const inventory::StockState state = view.offers.Stock(view.default_variant_id).state;
  boost::json::array offers;
  for (const auto& [market, price] : view.market_prices) {
    boost::json::array regions;
    for (const std::string& country : market.countries) {
      regions.push_back(boost::json::object{{"@type", "Country"}, {"name", country}});
    }
    offers.push_back(boost::json::object{{"@type", "Offer"},
                                         {"price", Decimal(price.price)},
                                         {"priceCurrency", price.price.currency},
                                         {"availability", SchemaAvailability(state)},
                                         {"url", canonical + "?market=" + market.handle},
                                         {"eligibleRegion", std::move(regions)}});
  }
  if (!offers.empty()) ld["offers"] = std::move(offers);
  // Search engines show stars only for a product that has visible reviews.
  if (rating.count > 0) {
    ld["aggregateRating"] = boost::json::object{
        {"@type", "AggregateRating"},
        {"ratingValue", std::to_string(rating.average_tenths / 10) + "." + std::to_string(rating.average_tenths % 10)},
        {"reviewCount", rating.count},
        {"bestRating", 5},
        {"worstRating", 1}};
  }
  return boost::json::serialize(ld);
}

void VariantPicker(HtmlWriter& html, const ProductView& view) {
  const cat::Product& product = view.product;
  const pricing::EffectivePrice* chosen_price = view.offers.Price(view.default_variant_id);
  const bool buyable = chosen_price && CanBuy(view.offers.Stock(view.default_variant_id));
  html.Raw("<form class=\"buy\" method=\"post\" action=\"/cart/add\">");
  if (product.variants.size() == 1) {
    html.Raw("<input type=\"hidden\" name=\"variant_id\" value=\"")
        .Text(std::to_string(product.variants.front().id))
        .Raw("\">");
  } else {
    html.Raw("<fieldset class=\"variants\"><legend>");
    std::string legend;
    for (const cat::ProductOption& option : product.options) legend += (legend.empty() ? "" : " / ") + option.name;
    html.Text(legend.empty() ? "Choose an option" : legend).Raw("</legend>");
    for (const cat::Variant& variant : product.variants) {
      const pricing::EffectivePrice* price = view.offers.Price(variant.id);
      const inventory::Availability stock = view.offers.Stock(variant.id);
      const bool can_buy = price && CanBuy(stock);
      const std::string id = "variant-" + std::to_string(variant.id);
      const std::string price_text = price ? PriceText(price->price) : std::string();
      const std::string compare_text = price && price->compare_at ? PriceText(*price->compare_at) : std::string();
      html.Raw("<div class=\"variant\"><input type=\"radio\" name=\"variant_id\" id=\"")
          .Text(id)
          .Raw("\" value=\"")
          .Text(std::to_string(variant.id))
          .Raw("\" data-price=\"")
          .Text(price_text)
          .Raw("\" data-compare-at=\"")
          .Text(compare_text)
          .Raw("\" data-availability=\"")
          .Text(AvailabilityText(stock))
          .Raw("\"")
          .Raw(variant.id == view.default_variant_id ? " checked" : "")
          .Raw(can_buy ? "" : " disabled")
          .Raw("><label for=\"")
          .Text(id)
          .Raw("\">")
          .Text(variant.title)
          .Raw(" <span class=\"muted\">")
          .Text((price_text.empty() ? std::string() : price_text + " · ") + AvailabilityText(stock))
          .Raw("</span></label></div>");
    }
    html.Raw("</fieldset>");
  }
  html.Raw(
          "<label for=\"quantity\">Quantity</label><input id=\"quantity\" name=\"quantity\" type=\"number\" min=\"1\" "
          "max=\"999\" value=\"1\" inputmode=\"numeric\" class=\"quantity\"><button type=\"submit\" class=\"add\"")
      .Raw(buyable ? "" : " disabled")
      .Raw(">Add to cart</button></form>");
}

Response ProductPage(const PageServices& services, const Request& request) {
  auto visit = BeginVisit(services, request);
  if (!visit.ok()) return NoShop(visit.error());
  const std::string handle(request.PathParam("handle"));
  if (!cat::IsValidHandle(handle)) return NotFoundPage(services, *visit, "There is no product at this address.");
  auto loaded = services.db.Read(
      [&](store::Transaction& tx) -> Result<ProductView> { return LoadProduct(tx, services, *visit, handle); });
  if (!loaded.ok()) {
    if (loaded.error().code == ErrorCode::kNotFound) {
      return NotFoundPage(services, *visit, "There is no product at this address.");
    }
    return ErrorPage(services, *visit, loaded.error());
  }
  const ProductView& view = *loaded;
  const cat::Product& product = view.product;
  const std::string path = "/products/" + product.handle;
  const std::string canonical = AbsoluteUrl(services, path);
  const pricing::EffectivePrice* price = view.offers.Price(view.default_variant_id);
  const inventory::Availability stock = view.offers.Stock(view.default_variant_id);

  HtmlWriter html;
  html.Raw("<nav aria-label=\"Breadcrumb\"><ol class=\"breadcrumb\"><li><a href=\"/\">Home</a></li>")
      .Raw("<li aria-current=\"page\">")
      .Text(product.title)
      .Raw("</li></ol></nav><div class=\"product\"><div class=\"gallery\">");
  bool first_image = true;
  for (const cat::Media& media : product.media) {
    if (!IsWebUrl(media.url)) continue;
    html.Raw("<img src=\"")
        .Text(media.url)
        .Raw("\" alt=\"")
        .Text(media.alt.empty() ? product.title : media.alt)
        .Raw("\" width=\"800\" height=\"800\" sizes=\"(min-width: 48rem) 50vw, 100vw\"")
        .Raw(first_image ? " fetchpriority=\"high\">" : " loading=\"lazy\" decoding=\"async\">");
    first_image = false;
  }
  html.Raw("</div><div class=\"details\"><h1>").Text(product.title).Raw("</h1>");
  if (price) {
    html.Raw("<p class=\"price\"><span data-price>")
        .Text(PriceText(price->price))
        .Raw("</span> <s class=\"compare-at\" data-compare-at>");
    if (price->compare_at) html.Text(PriceText(*price->compare_at));
    html.Raw("</s></p><p class=\"tax muted\">")
        .Raw(price->prices_include_tax ? "Tax included." : "Tax excluded; added at checkout.")
        .Raw("</p>");
  } else {
    html.Raw("<p class=\"price muted\">Not sold in this market.</p>");
  }
  html.Raw("<p class=\"stock\" data-availability role=\"status\">").Text(AvailabilityText(stock)).Raw("</p>");
  if (view.promise) {
    html.Raw("<p class=\"promise\">");
    if (view.promise->earliest == view.promise->latest) {
      html.Raw("Arrives on <time datetime=\"")
          .Text(view.promise->earliest)
          .Raw("\">")
          .Text(DayText(view.promise->earliest))
          .Raw("</time>");
    } else {
      html.Raw("Arrives between <time datetime=\"")
          .Text(view.promise->earliest)
          .Raw("\">")
          .Text(DayText(view.promise->earliest))
          .Raw("</time> and <time datetime=\"")
          .Text(view.promise->latest)
          .Raw("\">")
          .Text(DayText(view.promise->latest))
          .Raw("</time>");
    }
    if (visit->market) html.Raw(" to ").Text(visit->market->name);
    html.Raw("</p>");
  }
  VariantPicker(html, view);
  html.Raw("<div class=\"description\">");
  Paragraphs(html, product.description_html);
  html.Raw("</div></div></div>");
  auto review_sections = ReviewSections(services, *visit, request, product.id, path);
  if (!review_sections.ok()) return ErrorPage(services, *visit, review_sections.error());
  html.Fragment(*review_sections);
  auto community = CommunitySection(services, *visit, request, product.id, product.handle);
  if (!community.ok()) return ErrorPage(services, *visit, community.error());
  html.Fragment(*community);

  PageMeta meta;
  meta.title = product.seo_title.empty() ? product.title : product.seo_title;
  meta.description = product.seo_description.empty() ? PlainSummary(product.description_html) : product.seo_description;
  if (meta.description.empty()) meta.description = product.title + " at " + visit->shop.name;
  meta.path = path;
  meta.og_type = "product";
  for (const cat::Media& media : product.media) {
    if (IsWebUrl(media.url)) {
      meta.image_url = media.url;
      break;
    }
  }
  if (price) {
    meta.og_properties.emplace_back("product:price:amount", Decimal(price->price));
    meta.og_properties.emplace_back("product:price:currency", price->price.currency);
  }
  meta.og_properties.emplace_back("product:availability", std::string(OpenGraphAvailability(stock.state)));
  auto rating = services.reviews.GetRating(visit->shop.id, product.id);
  if (!rating.ok()) return ErrorPage(services, *visit, rating.error());
  meta.json_ld.push_back(ProductJsonLd(view, meta.description, canonical, *rating));
  meta.json_ld.push_back(
      boost::json::serialize(BreadcrumbJson({{"Home", AbsoluteUrl(services, "/")}, {product.title, canonical}})));
  return ShopPage(services, *visit, meta, {html.Take()});
}

}  // namespace

void RegisterCatalogPages(http::Router& router, const PageServices& services) {
  router.Get("/", [&services](Request& request) { return Home(services, request); });
  router.Get("/collections/{handle}", [&services](Request& request) { return CollectionPage(services, request); });
  router.Get("/search", [&services](Request& request) { return SearchPage(services, request); });
  router.Get("/products/{handle}", [&services](Request& request) { return ProductPage(services, request); });
}

}  // namespace plaza::web::storefront
