#pragma once
// What catalog pages share: the price and stock of the variants shown (read in the
// page's transaction), how a price and an availability read to a shopper, merchant HTML
// turned into plain text, product cards, and the schema.org blocks.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "../html.h"
#include "plaza/catalog/catalog.h"
#include "plaza/catalog/online_store.h"
#include "plaza/inventory/inventory.h"
#include "plaza/pricing/pricing.h"
#include "plaza/web/pages.h"

namespace plaza::web::storefront {

// Price in one market and online-store availability of some variants.
using Offers = catalog::OnlineStoreOffers;

// Prices in `market` (none: unpriced) and availability of `variant_ids`, in batches the
// modules accept, inside the caller's read transaction.
Result<Offers> LoadOffers(store::Transaction& tx, const PageServices& services, std::int64_t shop_id,
                          const std::optional<pricing::Market>& market, std::span<const std::int64_t> variant_ids);

// The variant ids of `products`, in order.
std::vector<std::int64_t> VariantIdsOf(std::span<const catalog::Product> products);

// The variant a page preselects and a card shows: the first one in stock, else the first
// one that can be ordered (pre-order, backorder), else the first.
const catalog::Variant& DefaultVariant(const catalog::Product& product, const Offers& offers);

// "€24.00", "£20.00", "$5.00"; other currencies as "1200 JPY".
std::string PriceText(const Money& money);
// "In stock", "Only 3 left", "Out of stock", "Pre-order — ships from 10 Dec 2026", "Backorder".
std::string AvailabilityText(const inventory::Availability& availability);
bool CanBuy(const inventory::Availability& availability);
// "https://schema.org/InStock" …
std::string_view SchemaAvailability(inventory::StockState state);
// Open Graph's product:availability: "in stock", "out of stock", "preorder", "backorder".
std::string_view OpenGraphAvailability(inventory::StockState state);
// "3 Dec 2026" for an ISO date "2026-12-03"; the text itself when it is not one.
std::string DayText(std::string_view iso_date);

// Merchant-written HTML as paragraphs of plain text: tags dropped (with the content of
// script and style elements), the common entities decoded. The caller escapes it.
std::vector<std::string> PlainParagraphs(std::string_view html);
// The first paragraphs joined, cut at a character boundary to at most `max_bytes`.
std::string PlainSummary(std::string_view html, std::size_t max_bytes = 160);

// Whether a media URL may go into src/href: http(s) only.
bool IsWebUrl(std::string_view url);

// "a b&c" -> "a+b%26c", for query strings.
std::string QueryEscape(std::string_view text);

// A <ul class="product-grid"> of cards linking to /products/{handle}, each with image,
// title, the default variant's price and availability.
Trusted ProductGrid(std::span<const catalog::Product> products, const Offers& offers);

// schema.org BreadcrumbList over (name, absolute URL) pairs.
boost::json::object BreadcrumbJson(const std::vector<std::pair<std::string, std::string>>& trail);

}  // namespace plaza::web::storefront
