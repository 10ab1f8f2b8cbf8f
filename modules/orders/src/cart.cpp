#include <algorithm>
#include <map>

#include "cart_internal.h"
#include "plaza/catalog/catalog.h"
#include "plaza/identity/identity_service.h"
#include "plaza/orders/totals.h"
#include "plaza/pricing/pricing.h"

namespace plaza::orders {

std::string_view CartStateName(CartState state) {
  switch (state) {
    case CartState::kOpen:
      return "open";
    case CartState::kCheckout:
      return "checkout";
    case CartState::kOrdered:
      return "ordered";
  }
  return "open";
}

namespace internal {
namespace {

CartState ParseCartState(const std::string& text) {
  if (text == "checkout") return CartState::kCheckout;
  if (text == "ordered") return CartState::kOrdered;
  return CartState::kOpen;
}

constexpr std::string_view kCartColumns =
    "id, shop_id, token, customer_id, market_id, currency, country, state, email, shipping_address, "
    "shipping_rate_id, codes, reservation_key, reservation_expires_at, order_id, version";

// Shipping-rate tax class: a merchant who taxes shipping sets a rate for it.
constexpr std::string_view kShippingTaxClass = "shipping";

}  // namespace

std::string LinePointer(std::size_t index, std::string_view member) {
  return "/lines/" + std::to_string(index) + "/" + std::string(member);
}

std::string JoinCodes(const std::vector<std::string>& codes) {
  std::string text;
  for (const std::string& code : codes) {
    if (!text.empty()) text += ',';
    text += code;
  }
  return text;
}

std::vector<std::string> SplitCodes(const std::string& text) {
  std::vector<std::string> codes;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::size_t end = comma == std::string::npos ? text.size() : comma;
    if (end > start) codes.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return codes;
}

Result<CartRow> LoadCart(store::Transaction& tx, std::int64_t shop_id, const std::string& token) {
  PLAZA_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT " + std::string(kCartColumns) + " FROM order_carts WHERE shop_id = ? AND token = ?",
                            {shop_id, token}));
  if (!row) {
    Error error = Error::NotFound("no such cart");
    error.type = "orders/cart-not-found";
    return error;
  }
  CartRow cart{.id = row->Int(0),
               .shop_id = row->Int(1),
               .token = row->Text(2),
               .customer_id = row->OptionalInt(3),
               .market_id = row->Int(4),
               .currency = row->Text(5),
               .country = row->Text(6),
               .state = ParseCartState(row->Text(7)),
               .email = row->Text(8),
               .shipping_rate_id = row->OptionalInt(10),
               .codes = SplitCodes(row->Text(11)),
               .reservation_key = row->Text(12),
               .order_id = row->OptionalInt(14),
               .version = row->Int(15)};
  if (!row->Text(9).empty()) {
    PLAZA_ASSIGN_OR_RETURN(cart.shipping_address, AddressFromJson(row->Text(9)));
  }
  if (auto expires = row->OptionalInt(13)) cart.reservation_expires_at = FromUnixMillis(*expires);
  return cart;
}

Result<std::vector<CartLineRow>> LoadLines(store::Transaction& tx, std::int64_t shop_id, std::int64_t cart_id) {
  PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT variant_id, quantity FROM order_cart_lines"
                                                 " WHERE shop_id = ? AND cart_id = ? ORDER BY position, id",
                                                 {shop_id, cart_id}));
  std::vector<CartLineRow> lines;
  lines.reserve(result.rows.size());
  for (const store::Row& row : result.rows) lines.push_back({row.Int(0), row.Int(1)});
  return lines;
}

Status TouchCart(store::Transaction& tx, const CartRow& cart, TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("UPDATE order_carts SET version = version + 1, updated_at = ?"
                                                 " WHERE shop_id = ? AND id = ?",
                                                 {ToUnixMillis(now), cart.shop_id, cart.id}));
  (void)result;  // the row was just read in this transaction
  return Ok();
}

Result<PricedCart> PriceCart(store::Transaction& tx, const CartRow& cart, const std::vector<CartLineRow>& lines,
                             shipping::ShippingService& shipping, TimePoint now) {
  PricedCart priced;
  Cart& view = priced.view;
  view.token = cart.token;
  view.shop_id = cart.shop_id;
  view.customer_id = cart.customer_id;
  view.market_id = cart.market_id;
  view.currency = cart.currency;
  view.country = cart.country;
  view.state = cart.state;
  view.version = cart.version;
  view.codes = cart.codes;
  view.email = cart.email;
  view.shipping_address = cart.shipping_address;
  view.order_id = cart.order_id;
  if (cart.state == CartState::kCheckout) view.reserved_until = cart.reservation_expires_at;

  PLAZA_ASSIGN_OR_RETURN(const pricing::Market market, pricing::FindMarket(tx, cart.shop_id, cart.market_id));
  view.prices_include_tax = market.prices_include_tax;

  std::vector<std::int64_t> variant_ids;
  variant_ids.reserve(lines.size());
  for (const CartLineRow& line : lines) variant_ids.push_back(line.variant_id);
  std::vector<catalog::VariantSummary> summaries;
  std::vector<pricing::EffectivePrice> prices;
  if (!variant_ids.empty()) {
    PLAZA_ASSIGN_OR_RETURN(summaries, catalog::GetVariantSummaries(tx, cart.shop_id, variant_ids));
    PLAZA_ASSIGN_OR_RETURN(prices, pricing::FindVariantPrices(tx, cart.shop_id, cart.market_id, variant_ids, now));
  }
  std::map<std::int64_t, const catalog::VariantSummary*> summary_by_id;
  for (const auto& summary : summaries) summary_by_id[summary.variant_id] = &summary;
  std::map<std::int64_t, const pricing::EffectivePrice*> price_by_id;
  for (const auto& price : prices) price_by_id[price.variant_id] = &price;

  // Lines that can be bought, as promotions and taxes see them; `purchasable[i]` maps
  // them back to the cart's lines.
  promotions::CartContext context{.market_id = cart.market_id, .currency = cart.currency, .codes = cart.codes};
  std::vector<std::size_t> purchasable;
  std::vector<std::string> tax_classes;
  std::int64_t weight_grams = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const CartLineRow& line = lines[i];
    CartLineView line_view{.variant_id = line.variant_id, .quantity = line.quantity};
    const auto summary_it = summary_by_id.find(line.variant_id);
    const auto price_it = price_by_id.find(line.variant_id);
    if (summary_it == summary_by_id.end()) {
      line_view.problem = "orders/unknown-variant";
    } else {
      const catalog::VariantSummary& summary = *summary_it->second;
      line_view.product_id = summary.product_id;
      line_view.title = summary.variant_title == "Default Title" || summary.variant_title.empty()
                            ? summary.product_title
                            : summary.product_title + " - " + summary.variant_title;
      line_view.sku = summary.sku;
      const bool published = std::find(summary.channels.begin(), summary.channels.end(),
                                       catalog::Channel::kOnlineStore) != summary.channels.end();
      if (summary.status != catalog::ProductStatus::kActive || !published) {
        line_view.problem = "orders/variant-unavailable";
      } else if (price_it == price_by_id.end()) {
        line_view.problem = "pricing/not-priced";
      } else if (price_it->second->price.currency != cart.currency) {
        line_view.problem = "orders/currency-mismatch";
      } else {
        line_view.unit_price = price_it->second->price.minor;
        if (price_it->second->compare_at) line_view.compare_at = price_it->second->compare_at->minor;
        auto subtotal = CheckedMultiply(line_view.unit_price, line.quantity);
        if (!subtotal.ok())
          return Error::Invalid("money/overflow", "the line total is too large", LinePointer(i, "quantity"));
        line_view.subtotal = *subtotal;
        if (summary.requires_shipping) {
          auto weight = CheckedMultiply(summary.weight_grams, line.quantity);
          if (weight.ok()) weight = CheckedAdd(weight_grams, *weight);
          if (!weight.ok())
            return Error::Invalid("money/overflow", "the cart's weight is too large", LinePointer(i, "quantity"));
          weight_grams = *weight;
        }
        purchasable.push_back(i);
        tax_classes.push_back(summary.tax_class.empty() ? "standard" : summary.tax_class);
        context.lines.push_back({.variant_id = line.variant_id,
                                 .product_id = summary.product_id,
                                 .collection_ids = summary.collection_ids,
                                 .unit_price = line_view.unit_price,
                                 .quantity = line.quantity});
        auto sum = CheckedAdd(context.subtotal, line_view.subtotal);
        if (!sum.ok()) return Error::Invalid("money/overflow", "the cart total is too large", "/lines");
        context.subtotal = *sum;
      }
    }
    if (!line_view.problem.empty()) priced.has_problem_lines = true;
    priced.line_product_ids.push_back(line_view.product_id);
    view.lines.push_back(std::move(line_view));
  }

  // Shipping options for the address, and the chosen one if it is still offered.
  if (cart.shipping_address) {
    shipping::ShippingRequest request{
        .destination = {.country = cart.shipping_address->country, .region = cart.shipping_address->region},
        .currency = cart.currency,
        .subtotal_minor = context.subtotal,
        .weight_grams = weight_grams};
    auto quote = shipping.Quote(tx, cart.shop_id, request, now);
    if (quote.ok()) {
      for (const shipping::ShippingOption& option : quote->options) {
        view.shipping_options.push_back({.rate_id = option.rate_id,
                                         .name = option.name,
                                         .price = option.price.minor,
                                         .promise_earliest = option.promise.earliest,
                                         .promise_latest = option.promise.latest,
                                         .promise_text = option.promise.text});
        if (cart.shipping_rate_id == option.rate_id) priced.shipping = view.shipping_options.back();
      }
    } else if (quote.error().code != ErrorCode::kInvalidArgument) {
      return quote.error();
    }
  }
  view.shipping = priced.shipping;
  context.shipping_amount = priced.shipping ? priced.shipping->price : 0;

  if (cart.customer_id) {
    PLAZA_ASSIGN_OR_RETURN(auto previous, tx.QueryOne("SELECT 1 FROM order_orders WHERE shop_id = ? AND customer_id = ?"
                                                      " AND status <> 'cancelled' LIMIT 1",
                                                      {cart.shop_id, *cart.customer_id}));
    PLAZA_ASSIGN_OR_RETURN(auto tags, identity::CustomerTags(tx, cart.shop_id, *cart.customer_id));
    context.customer = promotions::CartCustomer{
        .id = *cart.customer_id, .tags = std::move(tags), .has_previous_order = previous.has_value()};
  }
  if (!context.lines.empty()) {
    PLAZA_ASSIGN_OR_RETURN(priced.evaluation, promotions::Evaluate(tx, cart.shop_id, context, now));
  } else {
    priced.evaluation.line_discounts.clear();
  }
  const promotions::Evaluation& evaluation = priced.evaluation;
  for (const promotions::AppliedDiscount& discount : evaluation.discounts)
    view.discounts.push_back({.promotion_id = discount.promotion_id,
                              .title = discount.title,
                              .code = discount.code,
                              .amount = discount.amount});
  for (const promotions::CodeRejection& rejection : evaluation.rejected_codes)
    view.rejected_codes.push_back(
        {.code = rejection.code, .type = rejection.error.type, .detail = rejection.error.detail});
  priced.shipping_discount = std::min(evaluation.shipping_discount, context.shipping_amount);

  // Taxes on what each line costs after its discounts, and on shipping.
  std::vector<pricing::TaxLineInput> tax_inputs;
  tax_inputs.reserve(purchasable.size() + 1);
  for (std::size_t k = 0; k < purchasable.size(); ++k) {
    const std::int64_t discount = k < evaluation.line_discounts.size() ? evaluation.line_discounts[k] : 0;
    CartLineView& line_view = view.lines[purchasable[k]];
    line_view.discount = std::min(discount, line_view.subtotal);
    tax_inputs.push_back({.amount = line_view.subtotal - line_view.discount, .tax_class = tax_classes[k]});
  }
  const std::int64_t shipping_charged = context.shipping_amount - priced.shipping_discount;
  tax_inputs.push_back({.amount = shipping_charged, .tax_class = std::string(kShippingTaxClass)});
  const pricing::Destination destination{
      .country = cart.shipping_address ? cart.shipping_address->country : cart.country,
      .subdivision = cart.shipping_address && !cart.shipping_address->region.empty()
                         ? cart.shipping_address->country + "-" + cart.shipping_address->region
                         : std::string()};
  PLAZA_ASSIGN_OR_RETURN(const auto rates, pricing::ListTaxRates(tx, cart.shop_id, cart.market_id));
  PLAZA_ASSIGN_OR_RETURN(const pricing::TaxResult tax, pricing::ComputeTax(tax_inputs, destination, market, rates));

  TotalsInput totals_input{.shipping = context.shipping_amount,
                           .shipping_discount = priced.shipping_discount,
                           .shipping_tax = tax.lines.back().tax,
                           .prices_include_tax = market.prices_include_tax};
  for (std::size_t k = 0; k < purchasable.size(); ++k) {
    CartLineView& line_view = view.lines[purchasable[k]];
    line_view.tax = tax.lines[k].tax;
    totals_input.lines.push_back({.unit_price = line_view.unit_price,
                                  .quantity = line_view.quantity,
                                  .discount = line_view.discount,
                                  .tax = line_view.tax});
  }
  PLAZA_ASSIGN_OR_RETURN(const Totals totals, ComputeTotals(totals_input));
  for (std::size_t k = 0; k < purchasable.size(); ++k) view.lines[purchasable[k]].total = totals.lines[k].total;
  view.subtotal = totals.subtotal;
  view.discount_total = totals.discount_total;
  view.shipping_total = totals.shipping_total;
  view.tax_total = totals.tax_total;
  view.total = totals.total;
  return priced;
}

}  // namespace internal
}  // namespace plaza::orders
