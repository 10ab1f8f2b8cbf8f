#include "plaza/social/tag_offers.h"

#include <vector>

#include "plaza/catalog/catalog.h"

namespace plaza::social {

std::int64_t ShownVariant(const ProductTag& tag, const catalog::OnlineStoreOffers& offers) {
  for (std::int64_t id : tag.variant_ids) {
    if (offers.Price(id) && offers.Stock(id).state != inventory::StockState::kOutOfStock) return id;
  }
  return tag.variant_ids.front();
}

std::optional<TagOffer> TagOffers::Offer(const ProductTag& tag) const {
  if (tag.state != TagState::kAvailable || tag.variant_ids.empty()) return std::nullopt;
  TagOffer offer;
  offer.variant_id = ShownVariant(tag, offers);
  offer.price = offers.Price(offer.variant_id);
  offer.stock = offers.Stock(offer.variant_id);
  const auto promise = promises.find(offer.variant_id);
  if (promise != promises.end() && promise->second) offer.promise = &*promise->second;
  return offer;
}

Result<TagOffers> LoadTagOffers(store::Transaction& tx, inventory::InventoryService& inventory,
                                shipping::ShippingService& shipping, std::int64_t shop_id,
                                const std::optional<pricing::Market>& market, std::span<const Post* const> posts,
                                TimePoint now) {
  std::vector<std::int64_t> variant_ids;
  for (const Post* post : posts) {
    for (const ProductTag& tag : post->products) {
      if (tag.state == TagState::kAvailable)
        variant_ids.insert(variant_ids.end(), tag.variant_ids.begin(), tag.variant_ids.end());
    }
  }
  TagOffers out;
  if (variant_ids.empty()) return out;
  PLAZA_ASSIGN_OR_RETURN(
      out.offers,
      catalog::LoadOnlineStoreOffers(
          tx, inventory, shop_id, market ? std::optional<std::int64_t>(market->id) : std::nullopt, now, variant_ids));
  if (!market) return out;
  std::vector<std::int64_t> shown;
  for (const Post* post : posts) {
    for (const ProductTag& tag : post->products) {
      if (tag.state == TagState::kAvailable && !tag.variant_ids.empty()) shown.push_back(ShownVariant(tag, out.offers));
    }
  }
  PLAZA_ASSIGN_OR_RETURN(std::vector<catalog::VariantSummary> summaries,
                         catalog::GetVariantSummaries(tx, shop_id, shown));
  for (const catalog::VariantSummary& summary : summaries) {
    if (out.promises.contains(summary.variant_id)) continue;
    PLAZA_ASSIGN_OR_RETURN(out.promises[summary.variant_id],
                           catalog::VariantDeliveryPromise(tx, shipping, shop_id, *market,
                                                           {.variant_id = summary.variant_id,
                                                            .requires_shipping = summary.requires_shipping,
                                                            .weight_grams = summary.weight_grams},
                                                           out.offers, now));
  }
  return out;
}

}  // namespace plaza::social
