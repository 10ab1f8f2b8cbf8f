// What a cart earns: eligibility, amounts, stacking and allocation.

#include <algorithm>
#include <numeric>
#include <set>
#include <string>

#include "plaza/core/money.h"
#include "plaza/core/text.h"
#include "plaza/promotions/promotions.h"
#include "records.h"

namespace plaza::promotions {
namespace {

__extension__ using Int128 = __int128;  // products of two int64 amounts

Error InvalidCart(std::string detail, std::string field) {
  return Error::Invalid("promotions/invalid-cart", std::move(detail), std::move(field));
}

Error Rejection(std::string type, std::string detail) {
  return Error{ErrorCode::kConflict, std::move(type), std::move(detail), {}};
}

Error WithField(Error error, std::string field) {
  error.field = std::move(field);
  return error;
}

template <typename T>
bool Contains(const std::vector<T>& items, const T& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

bool InSet(const ItemSet& set, const CartLine& line) {
  if (set.empty()) return true;
  if (Contains(set.variant_ids, line.variant_id) || Contains(set.product_ids, line.product_id)) return true;
  return std::any_of(line.collection_ids.begin(), line.collection_ids.end(),
                     [&](std::int64_t collection) { return Contains(set.collection_ids, collection); });
}

DiscountClass ClassOf(const PromotionDefinition& definition) {
  switch (definition.kind) {
    case PromotionKind::kPercentage:
    case PromotionKind::kFixedAmount:
      return definition.applies_to.empty() ? DiscountClass::kOrder : DiscountClass::kProduct;
    case PromotionKind::kFreeShipping:
      return DiscountClass::kShipping;
    case PromotionKind::kBuyXGetY:
      return DiscountClass::kProduct;
  }
  return DiscountClass::kOrder;
}

bool CombinesWith(const PromotionDefinition& definition, DiscountClass other) {
  switch (other) {
    case DiscountClass::kProduct:
      return definition.combines_with_product;
    case DiscountClass::kOrder:
      return definition.combines_with_order;
    case DiscountClass::kShipping:
      return definition.combines_with_shipping;
  }
  return false;
}

// What is still left to discount, after the discounts applied so far.
struct CartState {
  std::vector<std::int64_t> lines;  // per line: unit_price * quantity minus discounts
  std::int64_t shipping = 0;
};

// Splits `total` across `weights` in proportion, rounding each share down and handing
// the remaining minor units one by one to the largest fractional parts (ties: the
// earlier line), so the shares sum to `total` exactly. REQUIRES: 0 <= total <= sum.
std::vector<std::int64_t> Allocate(std::int64_t total, const std::vector<std::int64_t>& weights) {
  std::vector<std::int64_t> shares(weights.size(), 0);
  const Int128 sum = std::accumulate(weights.begin(), weights.end(), Int128{0});
  if (sum == 0 || total == 0) return shares;
  std::vector<Int128> fractions(weights.size(), 0);
  std::int64_t allocated = 0;
  for (std::size_t idx = 0; idx < weights.size(); ++idx) {
    const Int128 product = static_cast<Int128>(total) * weights[idx];
    shares[idx] = static_cast<std::int64_t>(product / sum);
    fractions[idx] = product % sum;
    allocated += shares[idx];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return fractions[a] > fractions[b]; });
  for (std::size_t rank = 0; allocated < total; ++rank) {
    ++shares[order[rank]];
    ++allocated;
  }
  return shares;
}

std::int64_t Sum(const std::vector<std::int64_t>& amounts) {
  // Every element is at most its line's total, and the line totals' sum was checked.
  return std::accumulate(amounts.begin(), amounts.end(), std::int64_t{0});
}

// For every buy_quantity units of buy_items (the dearest first), get_quantity units of
// get_items (the cheapest first) are discounted; a unit serves once.
Result<std::vector<std::int64_t>> BuyXGetYAmounts(const PromotionDefinition& definition, const CartContext& cart,
                                                  const CartState& state) {
  const std::size_t count = cart.lines.size();
  std::vector<std::int64_t> left(count);
  for (std::size_t idx = 0; idx < count; ++idx) left[idx] = cart.lines[idx].quantity;
  std::vector<std::size_t> buy_lines;
  std::vector<std::size_t> get_lines;
  for (std::size_t idx = 0; idx < count; ++idx) {
    if (InSet(definition.buy_items, cart.lines[idx])) buy_lines.push_back(idx);
    if (InSet(definition.get_items, cart.lines[idx])) get_lines.push_back(idx);
  }
  std::stable_sort(buy_lines.begin(), buy_lines.end(),
                   [&](std::size_t a, std::size_t b) { return cart.lines[a].unit_price > cart.lines[b].unit_price; });
  std::stable_sort(get_lines.begin(), get_lines.end(),
                   [&](std::size_t a, std::size_t b) { return cart.lines[a].unit_price < cart.lines[b].unit_price; });
  std::vector<std::int64_t> discounted_units(count, 0);
  for (std::int64_t application = 0; application < kMaxBuyXGetYApplications; ++application) {
    std::vector<std::int64_t> attempt = left;
    std::int64_t needed = definition.buy_quantity;
    for (std::size_t idx : buy_lines) {
      const std::int64_t taken = std::min(needed, attempt[idx]);
      attempt[idx] -= taken;
      needed -= taken;
      if (needed == 0) break;
    }
    if (needed > 0) break;
    std::int64_t wanted = definition.get_quantity;
    std::vector<std::int64_t> got(count, 0);
    for (std::size_t idx : get_lines) {
      const std::int64_t taken = std::min(wanted, attempt[idx]);
      attempt[idx] -= taken;
      got[idx] = taken;
      wanted -= taken;
      if (wanted == 0) break;
    }
    if (wanted == definition.get_quantity) break;  // nothing left to give
    for (std::size_t idx = 0; idx < count; ++idx) discounted_units[idx] += got[idx];
    left = std::move(attempt);
  }
  std::vector<std::int64_t> amounts(count, 0);
  for (std::size_t idx = 0; idx < count; ++idx) {
    if (discounted_units[idx] == 0) continue;
    PLAZA_ASSIGN_OR_RETURN(std::int64_t value, CheckedMultiply(cart.lines[idx].unit_price, discounted_units[idx]));
    PLAZA_ASSIGN_OR_RETURN(std::int64_t discount, MulDiv(value, definition.percent_off, kFullPercent, Rounding::kDown));
    amounts[idx] = std::min(discount, state.lines[idx]);
  }
  return amounts;
}

// The discount `definition` gives on what is left of the cart.
Result<AppliedDiscount> Compute(const PromotionDefinition& definition, const CartContext& cart,
                                const CartState& state) {
  AppliedDiscount applied;
  applied.kind = definition.kind;
  applied.discount_class = ClassOf(definition);
  applied.title = definition.title;
  applied.line_amounts.assign(cart.lines.size(), 0);
  std::vector<std::int64_t> eligible(cart.lines.size(), 0);
  for (std::size_t idx = 0; idx < cart.lines.size(); ++idx) {
    if (InSet(definition.applies_to, cart.lines[idx])) eligible[idx] = state.lines[idx];
  }
  switch (definition.kind) {
    case PromotionKind::kPercentage:
      if (definition.applies_to.empty()) {
        PLAZA_ASSIGN_OR_RETURN(std::int64_t total,
                               MulDiv(Sum(eligible), definition.percent_off, kFullPercent, Rounding::kDown));
        applied.line_amounts = Allocate(total, eligible);
      } else {
        for (std::size_t idx = 0; idx < eligible.size(); ++idx) {
          PLAZA_ASSIGN_OR_RETURN(applied.line_amounts[idx],
                                 MulDiv(eligible[idx], definition.percent_off, kFullPercent, Rounding::kDown));
        }
      }
      break;
    case PromotionKind::kFixedAmount:
      applied.line_amounts = Allocate(std::min(definition.amount, Sum(eligible)), eligible);
      break;
    case PromotionKind::kFreeShipping:
      applied.shipping_amount = state.shipping;
      break;
    case PromotionKind::kBuyXGetY: {
      PLAZA_ASSIGN_OR_RETURN(applied.line_amounts, BuyXGetYAmounts(definition, cart, state));
      break;
    }
  }
  applied.amount = Sum(applied.line_amounts) + applied.shipping_amount;
  return applied;
}

bool GivesSomething(const AppliedDiscount& applied) {
  return applied.amount > 0 || applied.kind == PromotionKind::kFreeShipping;
}

// Checks the cart and returns its line totals.
Result<std::vector<std::int64_t>> ValidateCart(const CartContext& cart) {
  if (auto currency = FindCurrency(cart.currency); !currency.ok()) {
    Error error = currency.error();
    error.field = "/currency";
    return error;
  }
  if (cart.lines.size() > kMaxCartLines) return InvalidCart("a cart has at most 500 lines", "/lines");
  if (cart.codes.size() > kMaxCodesPerRequest) return InvalidCart("at most 20 codes at once", "/codes");
  if (cart.shipping_amount < 0) return InvalidCart("shipping cannot be negative", "/shipping_amount");
  std::vector<std::int64_t> totals;
  totals.reserve(cart.lines.size());
  std::int64_t subtotal = 0;
  for (std::size_t idx = 0; idx < cart.lines.size(); ++idx) {
    const CartLine& line = cart.lines[idx];
    const std::string prefix = "/lines/" + std::to_string(idx);
    if (line.quantity < 1 || line.quantity > kMaxLineQuantity) {
      return InvalidCart("a quantity is between 1 and 1000000", prefix + "/quantity");
    }
    if (line.unit_price < 0) return InvalidCart("a price cannot be negative", prefix + "/unit_price");
    if (line.variant_id <= 0) return InvalidCart("a variant id is a positive number", prefix + "/variant_id");
    auto total = CheckedMultiply(line.unit_price, line.quantity);
    if (!total.ok()) return WithField(std::move(total).error(), prefix);
    auto sum = CheckedAdd(subtotal, *total);
    if (!sum.ok()) return WithField(std::move(sum).error(), "/subtotal");
    subtotal = *sum;
    totals.push_back(*total);
  }
  // Every discount amount is bounded by the subtotal plus shipping, so this sum bounds them all.
  if (auto bound = CheckedAdd(subtotal, cart.shipping_amount); !bound.ok()) {
    return WithField(std::move(bound).error(), "/shipping_amount");
  }
  if (subtotal != cart.subtotal) {
    return InvalidCart("the subtotal is " + std::to_string(subtotal) + ", the sum of the lines", "/subtotal");
  }
  return totals;
}

struct Candidate {
  Promotion promotion{};
  std::optional<PromotionCode> code{};
  std::optional<std::size_t> code_index{};  // position in cart.codes
  DiscountClass discount_class = DiscountClass::kOrder;
  std::int64_t standalone = 0;  // its discount on the untouched cart, for ranking
};

// Why `promotion` does not apply to `cart`, or nothing when it does (before amounts).
Result<std::optional<Error>> Ineligibility(store::Transaction& tx, std::int64_t shop_id, const Promotion& promotion,
                                           const CartContext& cart, TimePoint now) {
  const PromotionDefinition& definition = promotion.definition;
  const auto reject = [](std::string type, std::string detail) {
    return std::optional<Error>(Rejection(std::move(type), std::move(detail)));
  };
  if (!definition.active) return reject("promotions/inactive", "this promotion is switched off");
  if (definition.starts_at && now < *definition.starts_at) {
    return reject("promotions/not-started", "this promotion starts at " + FormatRfc3339(*definition.starts_at));
  }
  if (definition.ends_at && now >= *definition.ends_at) {
    return reject("promotions/expired", "this promotion ended at " + FormatRfc3339(*definition.ends_at));
  }
  if (!definition.market_ids.empty() && !Contains(definition.market_ids, cart.market_id)) {
    return reject("promotions/market-not-eligible", "this promotion is not available in this market");
  }
  if (!definition.currency.empty() && definition.currency != cart.currency) {
    return reject("promotions/currency-mismatch", "this promotion applies to carts in " + definition.currency);
  }
  const bool needs_customer =
      !definition.customer_tags.empty() || definition.first_order_only || definition.per_customer_limit;
  if (needs_customer && !cart.customer) {
    return reject("promotions/customer-required", "sign in to use this promotion");
  }
  if (!definition.customer_tags.empty()) {
    const bool tagged =
        std::any_of(cart.customer->tags.begin(), cart.customer->tags.end(), [&](const std::string& tag) {
          return std::any_of(
              definition.customer_tags.begin(), definition.customer_tags.end(),
              [&](const std::string& wanted) { return text::ToLowerAscii(tag) == text::ToLowerAscii(wanted); });
        });
    if (!tagged) return reject("promotions/customer-not-eligible", "this promotion is for selected customers only");
  }
  if (definition.first_order_only && cart.customer->has_previous_order) {
    return reject("promotions/first-order-only", "this promotion is for a first order only");
  }
  if (definition.usage_limit && promotion.uses >= *definition.usage_limit) {
    return reject("promotions/limit-reached", "this promotion has been used as often as it may be");
  }
  if (definition.per_customer_limit) {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT uses FROM promotion_customer_uses WHERE shop_id = ? AND"
                                                 " promotion_id = ? AND customer_id = ?",
                                                 {shop_id, promotion.id, cart.customer->id}));
    if (row && row->Int(0) >= *definition.per_customer_limit) {
      return reject("promotions/customer-limit-reached", "you have already used this promotion as often as you may");
    }
  }
  if (definition.minimum_subtotal && cart.subtotal < *definition.minimum_subtotal) {
    return reject("promotions/minimum-not-met", "this promotion needs a subtotal of at least " +
                                                    FormatMoney({*definition.minimum_subtotal, cart.currency}));
  }
  return std::optional<Error>();
}

bool Ranks(const Candidate& a, const Candidate& b) {
  if (a.promotion.definition.priority != b.promotion.definition.priority) {
    return a.promotion.definition.priority < b.promotion.definition.priority;
  }
  if (a.standalone != b.standalone) return a.standalone > b.standalone;
  return a.promotion.id < b.promotion.id;
}

}  // namespace

Result<Evaluation> Evaluate(store::Transaction& tx, std::int64_t shop_id, const CartContext& cart, TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(std::vector<std::int64_t> line_totals, ValidateCart(cart));
  Evaluation evaluation;
  evaluation.currency = cart.currency;
  const auto reject_code = [&](std::size_t idx, Error error) {
    error.field = "/codes/" + std::to_string(idx);
    evaluation.rejected_codes.push_back({cart.codes[idx], std::move(error)});
  };

  std::vector<Candidate> candidates;
  std::set<std::int64_t> promotion_ids;
  PLAZA_ASSIGN_OR_RETURN(auto automatic, tx.Execute("SELECT " + std::string(internal::kPromotionColumns) +
                                                        " FROM promotions WHERE shop_id = ? AND automatic = 1 AND"
                                                        " active = 1 ORDER BY id",
                                                    {shop_id}));
  for (const store::Row& row : automatic.rows) {
    PLAZA_ASSIGN_OR_RETURN(Promotion promotion, internal::PromotionFromRow(row));
    PLAZA_ASSIGN_OR_RETURN(auto why_not, Ineligibility(tx, shop_id, promotion, cart, now));
    if (why_not) continue;  // an automatic promotion that does not apply is simply absent
    promotion_ids.insert(promotion.id);
    candidates.push_back({.promotion = std::move(promotion)});
  }
  std::set<std::string> keys;
  for (std::size_t idx = 0; idx < cart.codes.size(); ++idx) {
    const std::string key = internal::CodeKey(cart.codes[idx]);
    if (!keys.insert(key).second) {
      reject_code(idx, Rejection("promotions/duplicate-code", "this code was already entered"));
      continue;
    }
    std::optional<PromotionCode> code;
    if (!key.empty() && key.size() <= 64) {
      PLAZA_ASSIGN_OR_RETURN(code, internal::FindCode(tx, shop_id, key));
    }
    if (!code) {
      reject_code(idx, Rejection("promotions/unknown-code", "there is no such code"));
      continue;
    }
    PLAZA_ASSIGN_OR_RETURN(auto promotion, internal::FindPromotion(tx, shop_id, code->promotion_id));
    if (!promotion) {
      reject_code(idx, Rejection("promotions/unknown-code", "there is no such code"));
      continue;
    }
    if (promotion_ids.contains(promotion->id)) {
      reject_code(idx, Rejection("promotions/duplicate-code", "this promotion already applies to the cart"));
      continue;
    }
    PLAZA_ASSIGN_OR_RETURN(auto why_not, Ineligibility(tx, shop_id, *promotion, cart, now));
    if (why_not) {
      reject_code(idx, std::move(*why_not));
      continue;
    }
    promotion_ids.insert(promotion->id);
    candidates.push_back({.promotion = std::move(*promotion), .code = std::move(code), .code_index = idx});
  }

  CartState untouched{line_totals, cart.shipping_amount};
  std::vector<Candidate> ranked;
  for (Candidate& candidate : candidates) {
    candidate.discount_class = ClassOf(candidate.promotion.definition);
    PLAZA_ASSIGN_OR_RETURN(AppliedDiscount alone, Compute(candidate.promotion.definition, cart, untouched));
    if (!GivesSomething(alone)) {
      if (candidate.code_index) {
        reject_code(*candidate.code_index,
                    Rejection("promotions/no-eligible-items", "nothing in the cart qualifies for this promotion"));
      }
      continue;
    }
    candidate.standalone = alone.amount;
    ranked.push_back(std::move(candidate));
  }
  std::stable_sort(ranked.begin(), ranked.end(), Ranks);

  std::vector<const Candidate*> selected;
  for (const Candidate& candidate : ranked) {
    const Candidate* conflict = nullptr;
    for (const Candidate* chosen : selected) {
      if (!CombinesWith(chosen->promotion.definition, candidate.discount_class) ||
          !CombinesWith(candidate.promotion.definition, chosen->discount_class)) {
        conflict = chosen;
        break;
      }
    }
    if (conflict == nullptr) {
      selected.push_back(&candidate);
    } else if (candidate.code_index) {
      reject_code(*candidate.code_index,
                  Rejection("promotions/not-combinable",
                            "this code cannot be combined with \"" + conflict->promotion.definition.title + "\""));
    }
  }

  // Line discounts first, then the order on what the lines still cost, then shipping.
  CartState state = untouched;
  evaluation.line_discounts.assign(cart.lines.size(), 0);
  for (DiscountClass stage : {DiscountClass::kProduct, DiscountClass::kOrder, DiscountClass::kShipping}) {
    for (const Candidate* candidate : selected) {
      if (candidate->discount_class != stage) continue;
      PLAZA_ASSIGN_OR_RETURN(AppliedDiscount applied, Compute(candidate->promotion.definition, cart, state));
      if (!GivesSomething(applied)) {
        if (candidate->code_index) {
          reject_code(*candidate->code_index, Rejection("promotions/no-eligible-items",
                                                        "other discounts already cover what this code applies to"));
        }
        continue;
      }
      applied.promotion_id = candidate->promotion.id;
      if (candidate->code) {
        applied.code_id = candidate->code->id;
        applied.code = candidate->code->code;
        applied.creator = candidate->code->creator;
      }
      for (std::size_t idx = 0; idx < cart.lines.size(); ++idx) {
        state.lines[idx] -= applied.line_amounts[idx];
        evaluation.line_discounts[idx] += applied.line_amounts[idx];
      }
      state.shipping -= applied.shipping_amount;
      evaluation.lines_discount += Sum(applied.line_amounts);
      evaluation.shipping_discount += applied.shipping_amount;
      evaluation.discounts.push_back(std::move(applied));
    }
  }
  PLAZA_ASSIGN_OR_RETURN(evaluation.total_discount,
                         CheckedAdd(evaluation.lines_discount, evaluation.shipping_discount));
  std::sort(evaluation.rejected_codes.begin(), evaluation.rejected_codes.end(),
            [](const CodeRejection& a, const CodeRejection& b) {
              return a.error.field.size() < b.error.field.size() ||
                     (a.error.field.size() == b.error.field.size() && a.error.field < b.error.field);
            });
  return evaluation;
}

}  // namespace plaza::promotions
