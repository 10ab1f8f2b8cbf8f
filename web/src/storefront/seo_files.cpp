// robots.txt and the sitemaps. /sitemap.xml is always a sitemap index: one child with the
// home page and the published collections (/sitemaps/pages.xml), and the products
// visible on the online store in children of at most kUrlsPerSitemap URLs
// (/sitemaps/products-1.xml, -2 …), the protocol's limit per file.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "plaza/core/text.h"
#include "routes.h"
#include "visit.h"

namespace plaza::web::storefront {
namespace {

namespace cat = catalog;
using http::Request;
using http::Response;

constexpr std::size_t kUrlsPerSitemap = 50'000;

struct SitemapEntry {
  std::string path;
  TimePoint lastmod;
};

// The visible products of one shop at one catalog version, newest first.
struct ProductList {
  std::int64_t version = -1;
  std::vector<SitemapEntry> entries;
};

// Walking a large catalog costs a read of every product, so the list is kept per shop
// until the catalog version changes.
class SitemapCache {
 public:
  Result<std::shared_ptr<const ProductList>> Products(const PageServices& services, std::int64_t shop_id) {
    return services.db.Read([&](store::Transaction& tx) -> Result<std::shared_ptr<const ProductList>> {
      PLAZA_ASSIGN_OR_RETURN(const std::int64_t version, cat::CatalogVersion(tx, shop_id));
      {
        std::lock_guard lock(mutex_);
        const auto found = lists_.find(shop_id);
        if (found != lists_.end() && found->second->version == version) return found->second;
      }
      auto list = std::make_shared<ProductList>();
      list->version = version;
      cat::ProductListQuery query{.channel = cat::Channel::kOnlineStore, .limit = cat::kMaxPageSize};
      for (;;) {
        PLAZA_ASSIGN_OR_RETURN(cat::ProductPage page, cat::ListProducts(tx, shop_id, query));
        for (const cat::Product& product : page.products) {
          list->entries.push_back({"/products/" + product.handle, product.updated_at});
        }
        if (page.next_cursor.empty()) break;
        query.cursor = std::move(page.next_cursor);
      }
      std::shared_ptr<const ProductList> shared = std::move(list);
      std::lock_guard lock(mutex_);
      lists_[shop_id] = shared;
      return shared;
    });
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::int64_t, std::shared_ptr<const ProductList>> lists_;
};

std::string W3cDate(TimePoint time) {
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(time)};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                static_cast<unsigned>(day.day()));
  return text;
}

Response Xml(std::string body) {
  Response response = Response::Text(std::move(body));
  response.SetHeader("Content-Type", "application/xml; charset=utf-8");
  response.SetHeader("Cache-Control", "public, max-age=600");
  return response;
}

Response UrlSet(const PageServices& services, std::span<const SitemapEntry> entries) {
  std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  for (const SitemapEntry& entry : entries) {
    body += "<url><loc>" + text::EscapeHtml(services.public_base_url + entry.path) + "</loc><lastmod>" +
            W3cDate(entry.lastmod) + "</lastmod></url>\n";
  }
  body += "</urlset>\n";
  return Xml(std::move(body));
}

Response NotFound(const Request& request) {
  return Response::Problem(Error::NotFound("no such sitemap"), request.request_id);
}

Result<identity::Shop> ShopOf(const PageServices& services, const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(Visit visit, BeginVisit(services, request));
  return visit.shop;
}

Response Failure(const Error& error, const Request& request) {
  return Response::Problem(error, request.request_id);
}

}  // namespace

void RegisterSeoFiles(http::Router& router, const PageServices& services) {
  auto cache = std::make_shared<SitemapCache>();

  router.Get("/robots.txt", [&services](Request&) {
    Response response = Response::Text(
        "User-agent: *\nAllow: /\nDisallow: /cart\nDisallow: /checkout\nDisallow: /account\nDisallow: /admin\n"
        "Disallow: /api\n\nSitemap: " +
        services.public_base_url + "/sitemap.xml\n");
    response.SetHeader("Cache-Control", "public, max-age=3600");
    return response;
  });

  router.Get("/sitemap.xml", [&services, cache](Request& request) -> Response {
    auto shop = ShopOf(services, request);
    if (!shop.ok()) return Failure(shop.error(), request);
    auto products = cache->Products(services, shop->id);
    if (!products.ok()) return Failure(products.error(), request);
    const std::vector<SitemapEntry>& entries = (*products)->entries;
    const std::size_t files = std::max<std::size_t>(1, (entries.size() + kUrlsPerSitemap - 1) / kUrlsPerSitemap);
    std::string body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n<sitemap><loc>" +
        text::EscapeHtml(services.public_base_url) + "/sitemaps/pages.xml</loc></sitemap>\n";
    for (std::size_t file = 0; file < files; ++file) {
      body += "<sitemap><loc>" + text::EscapeHtml(services.public_base_url) + "/sitemaps/products-" +
              std::to_string(file + 1) + ".xml</loc>";
      const std::size_t begin = file * kUrlsPerSitemap;
      const std::size_t end = std::min(entries.size(), begin + kUrlsPerSitemap);
      if (begin < end) {
        const auto newest = std::max_element(
            entries.begin() + static_cast<std::ptrdiff_t>(begin), entries.begin() + static_cast<std::ptrdiff_t>(end),
            [](const SitemapEntry& a, const SitemapEntry& b) { return a.lastmod < b.lastmod; });
        body += "<lastmod>" + W3cDate(newest->lastmod) + "</lastmod>";
      }
      body += "</sitemap>\n";
    }
    body += "</sitemapindex>\n";
    return Xml(std::move(body));
  });

  router.Get("/sitemaps/{name}", [&services, cache](Request& request) -> Response {
    const std::string_view name = request.PathParam("name");
    auto shop = ShopOf(services, request);
    if (!shop.ok()) return Failure(shop.error(), request);
    if (name == "pages.xml") {
      auto collections = services.catalog.ListCollections(shop->id);
      if (!collections.ok()) return Failure(collections.error(), request);
      std::vector<SitemapEntry> entries{{"/", shop->created_at}};
      for (const cat::Collection& collection : *collections) {
        if (collection.published) entries.push_back({"/collections/" + collection.handle, collection.updated_at});
      }
      for (const SitemapEntry& entry : entries)
        entries.front().lastmod = std::max(entries.front().lastmod, entry.lastmod);
      return UrlSet(services, entries);
    }
    constexpr std::string_view kPrefix = "products-";
    constexpr std::string_view kSuffix = ".xml";
    if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return NotFound(request);
    const std::string_view number = name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
    if (number.empty() || number.size() > 6 || number.front() == '0' ||
        !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return NotFound(request);
    }
    const std::size_t file = std::stoul(std::string(number));
    auto products = cache->Products(services, shop->id);
    if (!products.ok()) return Failure(products.error(), request);
    const std::vector<SitemapEntry>& entries = (*products)->entries;
    const std::size_t begin = (file - 1) * kUrlsPerSitemap;
    if (begin > entries.size() || (begin == entries.size() && file > 1)) return NotFound(request);
    const std::size_t end = std::min(entries.size(), begin + kUrlsPerSitemap);
    return UrlSet(services, std::span(entries).subspan(begin, end - begin));
  });
}

}  // namespace plaza::web::storefront
