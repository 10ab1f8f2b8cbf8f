#include "catalog_view.h"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <chrono>
#include <cstdio>

#include "plaza/core/money.h"
#include "plaza/core/text.h"

namespace plaza::web::storefront {
namespace {

constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string DayText(std::chrono::year_month_day day) {
  return std::to_string(static_cast<unsigned>(day.day())) + " " + kMonths[static_cast<unsigned>(day.month()) - 1] +
         " " + std::to_string(static_cast<int>(day.year()));
}

bool StartsWithTag(std::string_view html, std::size_t at, std::string_view name) {
  if (at + 1 + name.size() > html.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = html[at + 1 + i];
    if ((c | 0x20) != name[i]) return false;
  }
  const std::size_t after = at + 1 + name.size();
  return after == html.size() || html[after] == '>' || html[after] == ' ' || html[after] == '/' ||
         html[after] == '\t' || html[after] == '\n';
}

// Case-insensitive search for `needle` (lower case) from `from`.
std::size_t FindNoCase(std::string_view haystack, std::string_view needle, std::size_t from) {
  for (std::size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    bool same = true;
    for (std::size_t j = 0; j < needle.size() && same; ++j) same = (haystack[i + j] | 0x20) == needle[j];
    if (same) return i;
  }
  return std::string_view::npos;
}

void AppendDecoded(std::string& out, std::string_view text) {
  static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
      {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "}};
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '&') {
      for (const auto& [entity, value] : kEntities) {
        if (text.substr(i).starts_with(entity)) {
          out += value;
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) {
      const char c = text[i++];
      // Runs of whitespace read as one space, as a browser shows them.
      if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
        if (!out.empty() && out.back() != ' ') out += ' ';
      } else {
        out += c;
      }
    }
  }
}

}  // namespace

Result<Offers> LoadOffers(store::Transaction& tx, const PageServices& services, std::int64_t shop_id,
                          const std::optional<pricing::Market>& market, std::span<const std::int64_t> variant_ids) {
  return catalog::LoadOnlineStoreOffers(tx, services.inventory, shop_id,
                                        market ? std::optional<std::int64_t>(market->id) : std::nullopt,
                                        services.clock.Now(), variant_ids);
}

std::vector<std::int64_t> VariantIdsOf(std::span<const catalog::Product> products) {
  std::vector<std::int64_t> ids;
  for (const catalog::Product& product : products) {
    for (const catalog::Variant& variant : product.variants) ids.push_back(variant.id);
  }
  return ids;
}

const catalog::Variant& DefaultVariant(const catalog::Product& product, const Offers& offers) {
  const catalog::Variant* orderable = nullptr;
  for (const catalog::Variant& variant : product.variants) {
    const inventory::StockState state = offers.Stock(variant.id).state;
    if (state == inventory::StockState::kInStock || state == inventory::StockState::kLowStock) return variant;
    if (!orderable && state != inventory::StockState::kOutOfStock) orderable = &variant;
  }
  return orderable ? *orderable : product.variants.front();
}

std::string PriceText(const Money& money) {
  auto currency = FindCurrency(money.currency);
  const std::string amount = currency.ok() ? FormatDecimalAmount(money.minor, *currency) : std::to_string(money.minor);
  if (money.currency == "EUR") return "€" + amount;
  if (money.currency == "GBP") return "£" + amount;
  if (money.currency == "USD") return "$" + amount;
  return amount + " " + money.currency;
}

std::string AvailabilityText(const inventory::Availability& availability) {
  switch (availability.state) {
    case inventory::StockState::kInStock:
      return "In stock";
    case inventory::StockState::kLowStock:
      return "Only " + std::to_string(availability.available) + " left";
    case inventory::StockState::kOutOfStock:
      return "Out of stock";
    case inventory::StockState::kPreorder:
      if (!availability.preorder_arrival) return "Pre-order";
      return "Pre-order — ships from " + DayText(std::chrono::year_month_day{
                                             std::chrono::floor<std::chrono::days>(*availability.preorder_arrival)});
    case inventory::StockState::kBackorder:
      return "Backorder";
  }
  return "Out of stock";
}

bool CanBuy(const inventory::Availability& availability) {
  return availability.state != inventory::StockState::kOutOfStock;
}

std::string_view SchemaAvailability(inventory::StockState state) {
  switch (state) {
    case inventory::StockState::kInStock:
    case inventory::StockState::kLowStock:
      return "https://schema.org/InStock";
    case inventory::StockState::kPreorder:
      return "https://schema.org/PreOrder";
    case inventory::StockState::kBackorder:
      return "https://schema.org/BackOrder";
    case inventory::StockState::kOutOfStock:
      break;
  }
  return "https://schema.org/OutOfStock";
}

std::string_view OpenGraphAvailability(inventory::StockState state) {
  switch (state) {
    case inventory::StockState::kInStock:
    case inventory::StockState::kLowStock:
      return "in stock";
    case inventory::StockState::kPreorder:
      return "preorder";
    case inventory::StockState::kBackorder:
      return "backorder";
    case inventory::StockState::kOutOfStock:
      break;
  }
  return "out of stock";
}

std::string DayText(std::string_view iso_date) {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  std::string text(iso_date);
  if (std::sscanf(text.c_str(), "%4d-%2u-%2u", &year, &month, &day) != 3) return text;
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok()) return text;
  return DayText(date);
}

std::vector<std::string> PlainParagraphs(std::string_view html) {
  std::vector<std::string> paragraphs;
  std::string current;
  const auto close_paragraph = [&] {
    while (!current.empty() && current.back() == ' ') current.pop_back();
    if (!current.empty()) paragraphs.push_back(std::move(current));
    current.clear();
  };
  std::size_t i = 0;
  while (i < html.size()) {
    const std::size_t open = html.find('<', i);
    AppendDecoded(current, html.substr(i, open == std::string_view::npos ? std::string_view::npos : open - i));
    if (current == " ") current.clear();
    if (open == std::string_view::npos) break;
    std::size_t close = html.find('>', open);
    if (close == std::string_view::npos) break;  // an unterminated tag is dropped with the rest
    for (const std::string_view hidden : {std::string_view("script"), std::string_view("style")}) {
      if (StartsWithTag(html, open, hidden)) {
        const std::size_t end = FindNoCase(html, "</" + std::string(hidden), close);
        close = end == std::string_view::npos ? html.size() - 1 : html.find('>', end);
        if (close == std::string_view::npos) close = html.size() - 1;
      }
    }
    const bool breaks = StartsWithTag(html, open, "br") || StartsWithTag(html, open, "/p") ||
                        StartsWithTag(html, open, "p") || StartsWithTag(html, open, "/li") ||
                        StartsWithTag(html, open, "/div") || StartsWithTag(html, open, "/h2") ||
                        StartsWithTag(html, open, "/h3");
    if (breaks) close_paragraph();
    i = close + 1;
  }
  close_paragraph();
  return paragraphs;
}

std::string PlainSummary(std::string_view html, std::size_t max_bytes) {
  std::string summary;
  for (const std::string& paragraph : PlainParagraphs(html)) {
    if (!summary.empty()) summary += ' ';
    summary += paragraph;
    if (summary.size() >= max_bytes) break;
  }
  if (summary.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) --cut;
    summary.resize(cut);
    summary += "…";
  }
  return summary;
}

bool IsWebUrl(std::string_view url) {
  const std::string lower = text::ToLowerAscii(url.substr(0, 8));
  return lower.starts_with("https://") || lower.starts_with("http://");
}

std::string QueryEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

Trusted ProductGrid(std::span<const catalog::Product> products, const Offers& offers) {
  HtmlWriter html;
  html.Raw("<ul class=\"product-grid\">");
  for (const catalog::Product& product : products) {
    if (product.variants.empty()) continue;
    const catalog::Variant& variant = DefaultVariant(product, offers);
    html.Raw("<li class=\"product-card\"><a href=\"/products/").Text(product.handle).Raw("\">");
    const auto image = std::find_if(product.media.begin(), product.media.end(),
                                    [](const catalog::Media& media) { return IsWebUrl(media.url); });
    if (image != product.media.end()) {
      html.Raw("<img src=\"")
          .Text(image->url)
          .Raw("\" alt=\"")
          .Text(image->alt.empty() ? product.title : image->alt)
          .Raw("\" width=\"600\" height=\"600\" loading=\"lazy\" decoding=\"async\">");
    }
    html.Raw("<span class=\"card-title\">").Text(product.title).Raw("</span></a>");
    if (const pricing::EffectivePrice* price = offers.Price(variant.id)) {
      html.Raw("<p class=\"price\">").Text(PriceText(price->price));
      if (price->compare_at) html.Raw(" <s class=\"compare-at\">").Text(PriceText(*price->compare_at)).Raw("</s>");
      html.Raw("</p>");
    }
    html.Raw("<p class=\"stock\">").Text(AvailabilityText(offers.Stock(variant.id))).Raw("</p></li>");
  }
  html.Raw("</ul>");
  return {html.Take()};
}

boost::json::object BreadcrumbJson(const std::vector<std::pair<std::string, std::string>>& trail) {
  boost::json::array items;
  std::int64_t position = 1;
  for (const auto& [name, url] : trail) {
    items.push_back(
        boost::json::object{{"@type", "ListItem"}, {"position", position++}, {"name", name}, {"item", url}});
  }
  return {{"@context", "https://schema.org"}, {"@type", "BreadcrumbList"}, {"itemListElement", std::move(items)}};
}

}  // namespace plaza::web::storefront
