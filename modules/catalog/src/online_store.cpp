#include "plaza/catalog/online_store.h"

#include <algorithm>
#include <chrono>

namespace plaza::catalog {

const pricing::EffectivePrice* OnlineStoreOffers::Price(std::int64_t variant_id) const {
  const auto found = prices.find(variant_id);
  return found == prices.end() ? nullptr : &found->second;
}

inventory::Availability OnlineStoreOffers::Stock(std::int64_t variant_id) const {
  const auto found = availability.find(variant_id);
  if (found != availability.end()) return found->second;
  return inventory::Availability{.variant_id = variant_id};
}

Result<OnlineStoreOffers> LoadOnlineStoreOffers(store::Transaction& tx, inventory::InventoryService& inventory,
                                                std::int64_t shop_id, std::optional<std::int64_t> market_id,
                                                TimePoint now, std::span<const std::int64_t> variant_ids) {
  OnlineStoreOffers out;
  for (std::size_t start = 0; start < variant_ids.size(); start += pricing::kMaxVariantsPerRequest) {
    const auto batch =
        variant_ids.subspan(start, std::min(pricing::kMaxVariantsPerRequest, variant_ids.size() - start));
    if (market_id) {
      PLAZA_ASSIGN_OR_RETURN(auto prices, pricing::FindVariantPrices(tx, shop_id, *market_id, batch, now));
      for (pricing::EffectivePrice& price : prices) out.prices.emplace(price.variant_id, std::move(price));
    }
    PLAZA_ASSIGN_OR_RETURN(auto availability,
                           inventory.GetAvailability(tx, shop_id, batch, inventory::SalesChannel::kOnlineStore));
    for (const inventory::Availability& entry : availability) out.availability.emplace(entry.variant_id, entry);
  }
  return out;
}

std::function<Status(store::Transaction&, std::span<const std::int64_t>, VariantAnnotations&)> OnlineStoreAnnotator(
    inventory::InventoryService& inventory, std::int64_t shop_id, std::optional<std::int64_t> market_id,
    TimePoint now) {
  return [&inventory, shop_id, market_id, now](store::Transaction& tx, std::span<const std::int64_t> variant_ids,
                                               VariantAnnotations& out) -> Status {
    if (market_id) {
      PLAZA_ASSIGN_OR_RETURN(auto prices, pricing::FindVariantPrices(tx, shop_id, *market_id, variant_ids, now));
      for (const pricing::EffectivePrice& price : prices) {
        out.prices.push_back({.variant_id = price.variant_id, .amount = price.price.minor});
      }
    }
    PLAZA_ASSIGN_OR_RETURN(auto availability,
                           inventory.GetAvailability(tx, shop_id, variant_ids, inventory::SalesChannel::kOnlineStore));
    for (const inventory::Availability& entry : availability) {
      if (entry.state != inventory::StockState::kOutOfStock) out.in_stock.push_back(entry.variant_id);
    }
    return Ok();
  };
}

Result<std::optional<shipping::DeliveryPromise>> VariantDeliveryPromise(
    store::Transaction& tx, shipping::ShippingService& shipping, std::int64_t shop_id, const pricing::Market& market,
    const ShippedVariant& variant, const OnlineStoreOffers& offers, TimePoint now) {
  const pricing::EffectivePrice* price = offers.Price(variant.variant_id);
  const inventory::Availability stock = offers.Stock(variant.variant_id);
  if (market.countries.empty() || !variant.requires_shipping || !price ||
      stock.state == inventory::StockState::kOutOfStock) {
    return std::optional<shipping::DeliveryPromise>();
  }
  shipping::ShippingRequest request{.destination = {.country = market.countries.front()},
                                    .currency = market.currency,
                                    .subtotal_minor = price->price.minor,
                                    .weight_grams = variant.weight_grams};
  if (stock.state == inventory::StockState::kPreorder && stock.preorder_arrival) {
    request.preorder_arrival = shipping::FormatIsoDate(
        std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(*stock.preorder_arrival)});
  }
  auto quote = shipping.Quote(tx, shop_id, request, now);
  if (!quote.ok()) {
    // No rate to the market's country only means no promise; anything else is a failure.
    if (quote.error().code == ErrorCode::kInvalidArgument || quote.error().code == ErrorCode::kNotFound) {
      return std::optional<shipping::DeliveryPromise>();
    }
    return quote.error();
  }
  if (quote->options.empty()) return std::optional<shipping::DeliveryPromise>();
  return std::optional<shipping::DeliveryPromise>(quote->options.front().promise);
}

}  // namespace plaza::catalog
