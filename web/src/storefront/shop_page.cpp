#include "shop_page.h"

#include "../assets.h"
#include "feed_sections.h"
#include "plaza/orders/order_service.h"

namespace plaza::web::storefront {
namespace {

std::size_t CartItemCount(const PageServices& services, const Visit& visit) {
  if (visit.cart_token.empty()) return 0;
  auto cart = services.orders.GetCart(visit.shop.id, visit.cart_token);
  if (!cart.ok() || cart->state == orders::CartState::kOrdered) return 0;
  std::size_t count = 0;
  for (const orders::CartLineView& line : cart->lines) count += static_cast<std::size_t>(line.quantity);
  return count;
}

void Head(HtmlWriter& html, const PageServices& services, const Visit& visit, const PageMeta& meta) {
  const std::string canonical = AbsoluteUrl(services, meta.path);
  const std::string title = meta.title.empty() ? visit.shop.name : meta.title + " · " + visit.shop.name;
  html.Raw(
          "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
      .Text(title)
      .Raw("</title><link rel=\"stylesheet\" href=\"")
      .Text(AssetUrl("plaza.css"))
      .Raw("\"><link rel=\"icon\" type=\"image/svg+xml\" href=\"")
      .Text(AssetUrl("favicon.svg"))
      .Raw("\"><script src=\"")
      .Text(AssetUrl("storefront.js"))
      .Raw("\" defer></script>");
  if (!meta.description.empty()) html.Raw("<meta name=\"description\" content=\"").Text(meta.description).Raw("\">");
  if (meta.noindex) {
    html.Raw("<meta name=\"robots\" content=\"noindex\">");
  } else {
    html.Raw("<link rel=\"canonical\" href=\"").Text(canonical).Raw("\">");
    const std::string separator = meta.path.find('?') == std::string::npos ? "?" : "&";
    for (const pricing::Market& market : visit.markets) {
      for (const std::string& country : market.countries) {
        html.Raw("<link rel=\"alternate\" hreflang=\"en-")
            .Text(country)
            .Raw("\" href=\"")
            .Text(canonical + separator + "market=" + market.handle)
            .Raw("\">");
      }
    }
    html.Raw("<link rel=\"alternate\" hreflang=\"x-default\" href=\"").Text(canonical).Raw("\">");
  }
  const auto property = [&](std::string_view name, std::string_view content) {
    html.Raw("<meta property=\"").Text(name).Raw("\" content=\"").Text(content).Raw("\">");
  };
  property("og:site_name", visit.shop.name);
  property("og:title", meta.title.empty() ? visit.shop.name : meta.title);
  if (!meta.description.empty()) property("og:description", meta.description);
  property("og:url", canonical);
  property("og:type", meta.og_type);
  if (!meta.image_url.empty()) property("og:image", meta.image_url);
  for (const auto& [name, content] : meta.og_properties) property(name, content);
  const auto twitter = [&](std::string_view name, std::string_view content) {
    html.Raw("<meta name=\"").Text(name).Raw("\" content=\"").Text(content).Raw("\">");
  };
  twitter("twitter:card", meta.image_url.empty() ? "summary" : "summary_large_image");
  twitter("twitter:title", meta.title.empty() ? visit.shop.name : meta.title);
  if (!meta.description.empty()) twitter("twitter:description", meta.description);
  if (!meta.image_url.empty()) twitter("twitter:image", meta.image_url);
  for (const std::string& block : meta.json_ld) {
    html.Raw("<script type=\"application/ld+json\">").Raw(JsonForScript(block)).Raw("</script>");
  }
  html.Raw("</head>");
}

void Header(HtmlWriter& html, const PageServices& services, const Visit& visit, const PageMeta& meta) {
  html.Raw("<body><a class=\"skip\" href=\"#content\">Skip to content</a><header class=\"shop-header\">")
      .Raw("<a class=\"brand\" href=\"/\">")
      .Text(visit.shop.name)
      .Raw(
          "</a><form class=\"search\" role=\"search\" method=\"get\" action=\"/search\">"
          "<label for=\"q\" class=\"visually-hidden\">Search the shop</label>"
          "<input id=\"q\" name=\"q\" type=\"search\" placeholder=\"Search\" autocomplete=\"off\">"
          "<button type=\"submit\">Search</button></form><nav aria-label=\"Shop\">")
      .Fragment(CommunityLinks(services, visit))
      .Raw("<a href=\"/account\">")
      .Raw(visit.customer ? "Account" : "Log in")
      .Raw("</a> <a href=\"/cart\">Cart (")
      .Text(std::to_string(CartItemCount(services, visit)))
      .Raw(")</a></nav>");
  if (visit.markets.size() > 1) {
    // A plain GET form: it works without scripts, and the script submits it on change.
    html.Raw("<form class=\"market\" method=\"get\" action=\"")
        .Text(meta.path.substr(0, meta.path.find('?')))
        .Raw(
            "\"><label for=\"market\">Ship to</label> <select id=\"market\" name=\"market\" "
            "data-autosubmit>");
    for (const pricing::Market& market : visit.markets) {
      const bool selected = visit.market && visit.market->handle == market.handle;
      html.Raw("<option value=\"")
          .Text(market.handle)
          .Raw(selected ? "\" selected>" : "\">")
          .Text(market.name + " (" + market.currency + ")")
          .Raw("</option>");
    }
    html.Raw("</select> <button type=\"submit\" class=\"secondary\">Change</button></form>");
  }
  html.Raw("</header>");
}

void Footer(HtmlWriter& html, const Visit& visit) {
  html.Raw(
          "<footer class=\"shop-footer\"><nav aria-label=\"Policies\"><a href=\"/policies/shipping\">Shipping</a> "
          "<a href=\"/policies/returns\">Returns</a></nav><p class=\"muted\">© ")
      .Text(visit.shop.name)
      .Raw("</p></footer></body></html>\n");
}

}  // namespace

std::string AbsoluteUrl(const PageServices& services, std::string_view path) {
  return services.public_base_url + std::string(path);
}

std::string JsonForScript(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (const char c : json) {
    // "<" can close the script element ("</script>") or open a comment; JSON allows
    // the escape in strings, and "<" appears nowhere else in JSON.
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

http::Response ShopPage(const PageServices& services, const Visit& visit, const PageMeta& meta, const Trusted& content,
                        int status) {
  HtmlWriter html;
  Head(html, services, visit, meta);
  Header(html, services, visit, meta);
  html.Raw("<main id=\"content\">").Fragment(content).Raw("</main>");
  Footer(html, visit);
  http::Response response = http::Response::Html(html.Take(), status);
  response.SetHeader("Cache-Control", meta.noindex ? "no-store" : "private, no-cache");
  CarryCookies(visit, response);
  return response;
}

}  // namespace plaza::web::storefront
