#pragma once
// Cart rows and the pricing of a cart inside a caller's transaction: shared by the cart,
// checkout and place-order paths of OrderService.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plaza/orders/model.h"
#include "plaza/promotions/promotions.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza/store/database.h"

namespace plaza::orders::internal {

struct CartRow {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string token{};
  std::optional<std::int64_t> customer_id{};
  std::int64_t market_id = 0;
  std::string currency{};
  std::string country{};
  CartState state = CartState::kOpen;
  std::string email{};
  std::optional<Address> shipping_address{};
  std::optional<std::int64_t> shipping_rate_id{};
  std::vector<std::string> codes{};
  std::string reservation_key{};
  std::optional<TimePoint> reservation_expires_at{};
  std::optional<std::int64_t> order_id{};
  std::int64_t version = 0;
};

struct CartLineRow {
  std::int64_t variant_id = 0;
  std::int64_t quantity = 0;
};

// kNotFound ("orders/cart-not-found") for an unknown token or another shop's cart.
Result<CartRow> LoadCart(store::Transaction& tx, std::int64_t shop_id, const std::string& token);
Result<std::vector<CartLineRow>> LoadLines(store::Transaction& tx, std::int64_t shop_id, std::int64_t cart_id);
// Bumps the cart's version and updated_at: every change does, so place-order can tell
// a cart priced before the change from one priced after.
Status TouchCart(store::Transaction& tx, const CartRow& cart, TimePoint now);

// A cart priced now, with what place-order needs beyond the view.
struct PricedCart {
  Cart view{};
  promotions::Evaluation evaluation{};
  std::vector<std::int64_t> line_product_ids{};
  bool has_problem_lines = false;
  std::optional<ShippingChoice> shipping{};
  std::int64_t shipping_discount = 0;
};

// Prices `cart` from its lines at `now`. A line whose variant is unknown, unpublished,
// archived or not priced in the cart's market is listed with a `problem` and left out of
// the totals; an amount that does not fit is "money/overflow".
Result<PricedCart> PriceCart(store::Transaction& tx, const CartRow& cart, const std::vector<CartLineRow>& lines,
                             shipping::ShippingService& shipping, TimePoint now);

// The JSON pointer of line `index`'s member.
std::string LinePointer(std::size_t index, std::string_view member);

std::string JoinCodes(const std::vector<std::string>& codes);
std::vector<std::string> SplitCodes(const std::string& text);

}  // namespace plaza::orders::internal
