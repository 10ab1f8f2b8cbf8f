#pragma once
// What a product tag on a post shows a shopper now: the variant they would get, its price
// and stock in their market and its "arrives by". The posts API and the storefront's post
// cards both read tags through this, so a tag promises the same price and day everywhere
// (and the same day as the product page: catalog::VariantDeliveryPromise).

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>

#include "plaza/catalog/online_store.h"
#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/inventory/inventory.h"
#include "plaza/pricing/pricing.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza/social/posts.h"
#include "plaza/store/database.h"

namespace plaza::social {

// The offer of one available tag.
struct TagOffer {
  std::int64_t variant_id = 0;
  const pricing::EffectivePrice* price = nullptr;  // none when the variant has no price in the market
  inventory::Availability stock{};
  const shipping::DeliveryPromise* promise = nullptr;  // none when nothing can be promised
};

// The offers of the tags of some posts in one market.
struct TagOffers {
  catalog::OnlineStoreOffers offers;
  std::unordered_map<std::int64_t, std::optional<shipping::DeliveryPromise>> promises;

  // The offer `tag` shows; nullopt for a tag that is not available (archived, off the
  // online store, deleted) or has no variant. Pointers are into this object.
  std::optional<TagOffer> Offer(const ProductTag& tag) const;
};

// The variant a tag shows: the first of `tag.variant_ids` priced and not out of stock,
// else the first. REQUIRES: !tag.variant_ids.empty().
std::int64_t ShownVariant(const ProductTag& tag, const catalog::OnlineStoreOffers& offers);

// Reads, inside the caller's transaction, the prices in `market` (none: unpriced) at
// `now`, the online-store stock and the delivery promises of every available tag of
// `posts`.
Result<TagOffers> LoadTagOffers(store::Transaction& tx, inventory::InventoryService& inventory,
                                shipping::ShippingService& shipping, std::int64_t shop_id,
                                const std::optional<pricing::Market>& market, std::span<const Post* const> posts,
                                TimePoint now);

}  // namespace plaza::social
