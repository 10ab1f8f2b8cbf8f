#pragma once
// Promotions: automatic discounts and discount codes, what a cart earns from them, and
// the exact counting of their uses. docs/promotions.md is the merchant-facing
// description.
//
// Checkout calls, inside the transaction that places the order:
//   PLAZA_ASSIGN_OR_RETURN(Evaluation evaluation, Evaluate(tx, shop_id, cart, now));
//   … charge the cart minus evaluation.total_discount …
//   PLAZA_TRY(Redeem(tx, shop_id, evaluation.discounts, order_id, customer_id, now));
// Redeem fails with "promotions/limit-reached" (or "promotions/customer-limit-reached")
// when a concurrent order took the last use; the caller's whole transaction then rolls
// back, so uses are counted exactly and never exceed a limit.
//
// Amounts are minor units of the cart's currency. Discounts are rounded toward zero
// (Rounding::kDown), so a discount never exceeds what it promises; an order-level
// discount is allocated across lines in proportion to what each line still costs, the
// remainder going one minor unit at a time to the lines with the largest fractional
// share (ties: the earlier line), so the allocations sum exactly to the discount.
//
// Product, variant and collection ids belong to the catalog module and market ids to
// pricing; they are stored here as plain numbers. Every function filters by the shop.
//
// Thread-safety: a PromotionService may be used from any number of threads; the free
// functions are as thread-safe as the Transaction they are given.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::promotions {

// Bounds on what a merchant or a cart can grow, each far above real use.
inline constexpr std::size_t kMaxIdsPerSet = 250;    // products/variants/collections in one set
inline constexpr std::size_t kMaxCustomerTags = 50;  // tags a promotion may require
inline constexpr std::size_t kMaxMarketsPerPromotion = 250;
inline constexpr std::size_t kMaxCodesPerRequest = 20;  // codes a cart may enter
inline constexpr std::size_t kMaxCartLines = 500;
inline constexpr std::int64_t kMaxLineQuantity = 1'000'000;
// A buy-X-get-Y promotion applies at most this many times in one order; it bounds the
// work of one evaluation whatever the quantities.
inline constexpr std::int64_t kMaxBuyXGetYApplications = 1000;
inline constexpr std::int64_t kFullPercent = 10'000;  // percentages are basis points: 10000 = 100%

enum class PromotionKind {
  kPercentage,   // percent_off of the eligible lines, or of the order when applies_to is empty
  kFixedAmount,  // amount off the eligible lines together, or off the order
  kFreeShipping,
  kBuyXGetY,  // for every buy_quantity units of buy_items, get_quantity units of get_items at percent_off
};
std::string_view PromotionKindName(PromotionKind kind);  // "percentage", "fixed_amount", "free_shipping", "buy_x_get_y"
std::optional<PromotionKind> ParsePromotionKind(std::string_view name);

// What a discount reduces, which decides what it may combine with.
enum class DiscountClass {
  kProduct,   // specific lines (targeted percentage/fixed, buy X get Y)
  kOrder,     // the whole order (untargeted percentage/fixed)
  kShipping,  // free shipping
};
std::string_view DiscountClassName(DiscountClass discount_class);  // "product", "order", "shipping"

// A set of cart items: a line belongs to it when its variant, its product or one of its
// collections is listed. An empty set means every line.
struct ItemSet {
  std::vector<std::int64_t> product_ids{};
  std::vector<std::int64_t> variant_ids{};
  std::vector<std::int64_t> collection_ids{};
  bool empty() const { return product_ids.empty() && variant_ids.empty() && collection_ids.empty(); }
};

// Everything a merchant defines about a promotion.
struct PromotionDefinition {
  std::string title{};  // 1–200 characters, shown to customers
  PromotionKind kind = PromotionKind::kPercentage;
  bool automatic = false;  // applies without a code; otherwise only through one of its codes
  bool active = true;

  // Value. percent_off: kPercentage (1–10000) and kBuyXGetY (the discount on the "get"
  // units; 10000 makes them free). amount: kFixedAmount, minor units of `currency`.
  std::int64_t percent_off = 0;
  std::int64_t amount = 0;
  // Required for kFixedAmount and for minimum_subtotal: the promotion then applies only
  // to carts in this currency. Otherwise empty (any currency).
  std::string currency{};
  ItemSet applies_to{};  // kPercentage, kFixedAmount: empty = order-level

  // kBuyXGetY
  std::int64_t buy_quantity = 0;  // >= 1
  ItemSet buy_items{};
  std::int64_t get_quantity = 0;  // >= 1
  ItemSet get_items{};

  // Conditions.
  std::optional<std::int64_t> minimum_subtotal{};  // cart subtotal before discounts, in `currency`
  std::vector<std::string> customer_tags{};        // the customer must carry one of them; empty: anyone
  bool first_order_only = false;                   // only customers without a previous order
  std::vector<std::int64_t> market_ids{};          // empty: every market

  // Limits and window.
  std::optional<std::int64_t> usage_limit{};         // total uses across all customers
  std::optional<std::int64_t> per_customer_limit{};  // needs an identified customer
  std::optional<TimePoint> starts_at{};              // inclusive; none: at once
  std::optional<TimePoint> ends_at{};                // exclusive; none: open-ended

  // Stacking: whether this promotion may apply together with discounts of each class.
  // Two promotions apply together only when each allows the other's class. Among
  // conflicting ones, the lower `priority` wins, then the larger discount, then the
  // older promotion.
  bool combines_with_product = false;
  bool combines_with_order = false;
  bool combines_with_shipping = true;
  int priority = 0;  // -1000 … 1000
};

struct Promotion {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  PromotionDefinition definition{};
  std::int64_t uses = 0;  // redemptions counted by Redeem, minus released ones
  TimePoint created_at{};
  TimePoint updated_at{};
};

// A code of a code-based promotion. Codes are matched case-insensitively and are unique
// per shop across all promotions. `creator` names the creator or affiliate the code
// belongs to (a handle or id), empty when none; their uses are reported per code.
struct PromotionCode {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::int64_t promotion_id = 0;
  std::string code{};  // as the merchant wrote it: 3–64 of [A-Za-z0-9_-]
  std::string creator{};
  std::int64_t uses = 0;
  TimePoint created_at{};
};

struct NewCode {
  std::string code{};
  std::string creator{};
};

struct UsageSummary {
  std::int64_t promotion_id = 0;
  std::int64_t uses = 0;
  std::optional<std::int64_t> usage_limit{};
  std::int64_t customers = 0;  // distinct identified customers who redeemed it
  std::vector<PromotionCode> codes{};
};

// ---- Evaluating a cart ----

struct CartLine {
  std::int64_t variant_id = 0;
  std::int64_t product_id = 0;
  std::vector<std::int64_t> collection_ids{};
  std::int64_t unit_price = 0;  // minor units, >= 0
  std::int64_t quantity = 0;    // 1 … kMaxLineQuantity
};

struct CartCustomer {
  std::int64_t id = 0;
  std::vector<std::string> tags{};
  bool has_previous_order = false;
};

struct CartContext {
  std::int64_t market_id = 0;
  std::string currency{};
  std::vector<CartLine> lines{};
  std::int64_t subtotal = 0;               // must equal the sum of unit_price * quantity
  std::optional<CartCustomer> customer{};  // none: a guest
  std::vector<std::string> codes{};        // as entered
  std::int64_t shipping_amount = 0;
};

// One promotion applied to the cart.
struct AppliedDiscount {
  std::int64_t promotion_id = 0;
  std::optional<std::int64_t> code_id{};  // the code it came through; none for automatic ones
  std::string code{};                     // the code as stored
  std::string creator{};
  std::string title{};
  PromotionKind kind = PromotionKind::kPercentage;
  DiscountClass discount_class = DiscountClass::kOrder;
  std::vector<std::int64_t> line_amounts{};  // per cart line, in cart order; sum is the lines' part
  std::int64_t shipping_amount = 0;
  // sum(line_amounts) + shipping_amount; > 0, except free shipping on a cart whose
  // shipping is not chosen yet (shipping_amount 0), which still applies and counts.
  std::int64_t amount = 0;
};

// Why an entered code gives nothing. `error.type` is one of "promotions/unknown-code",
// "promotions/inactive", "promotions/not-started", "promotions/expired",
// "promotions/minimum-not-met", "promotions/limit-reached",
// "promotions/customer-limit-reached", "promotions/customer-required",
// "promotions/customer-not-eligible", "promotions/first-order-only",
// "promotions/market-not-eligible", "promotions/currency-mismatch",
// "promotions/no-eligible-items", "promotions/not-combinable",
// "promotions/duplicate-code"; `error.field` is "/codes/i".
struct CodeRejection {
  std::string code{};
  Error error{};
};

struct Evaluation {
  std::string currency{};
  std::vector<AppliedDiscount> discounts{};  // in the order they were applied
  std::vector<CodeRejection> rejected_codes{};
  std::vector<std::int64_t> line_discounts{};  // per cart line, all discounts together
  std::int64_t lines_discount = 0;
  std::int64_t shipping_discount = 0;
  std::int64_t total_discount = 0;
};

// Validates the cart and applies the shop's active automatic promotions and the entered
// codes. Invalid carts are errors ("promotions/invalid-cart" with a field such as
// "/lines/2/quantity", "money/unknown-currency", "money/overflow"); a code that does not
// apply is not an error but a CodeRejection. Reads only.
Result<Evaluation> Evaluate(store::Transaction& tx, std::int64_t shop_id, const CartContext& cart, TimePoint now);

// Counts one use of each applied promotion (and of its code) for `order_id`. Fails with
// kConflict "promotions/limit-reached" or "promotions/customer-limit-reached" when a
// limit is already used up, and with "promotions/already-redeemed" when the order has
// redeemed the promotion before. REQUIRES: a write transaction, which the caller rolls
// back on failure. `customer_id` is none for guests.
Status Redeem(store::Transaction& tx, std::int64_t shop_id, std::span<const AppliedDiscount> applied,
              std::int64_t order_id, std::optional<std::int64_t> customer_id, TimePoint now);

// What happens to the uses of a cancelled order. Stored per shop; by default a
// cancellation gives the uses back.
struct RedemptionPolicy {
  bool release_on_cancel = true;
};

// For a cancelled order: when the shop's policy releases uses, takes back every use
// `order_id` redeemed and returns how many; returns 0 and changes nothing otherwise,
// or when the order redeemed nothing or was already released. REQUIRES: a write
// transaction.
Result<int> ReleaseRedemption(store::Transaction& tx, std::int64_t shop_id, std::int64_t order_id, TimePoint now);

// Checks a definition: precise errors with fields such as "/percent_off",
// "/ends_at" ("promotions/invalid-window"), "/currency" ("money/unknown-currency").
Status ValidateDefinition(const PromotionDefinition& definition);

// The definition as a JSON object, the form the API and the database use. Times are
// RFC 3339 strings, sets are {"product_ids": [], "variant_ids": [], "collection_ids": []},
// stacking is "combines_with": {"product": bool, "order": bool, "shipping": bool};
// docs/promotions.md shows an example.
std::string EncodeDefinition(const PromotionDefinition& definition);
// Parses and validates (ValidateDefinition) a definition. Absent members take the
// defaults above; "title" and "kind" are required. Errors carry the member's JSON
// pointer: "validation/required", "validation/type", "validation/unknown-field",
// "json/malformed", and those of ValidateDefinition.
Result<PromotionDefinition> DecodeDefinition(std::string_view json);

// ---- The service: its own transactions ----

class PromotionService {
 public:
  // `db` and `clock` must outlive the service.
  PromotionService(store::Database& db, const Clock& clock);

  Result<Promotion> Create(std::int64_t shop_id, const PromotionDefinition& definition);
  Result<std::vector<Promotion>> List(std::int64_t shop_id);
  Result<Promotion> Get(std::int64_t shop_id, std::int64_t promotion_id);
  // Replaces the definition; uses and codes stay.
  Result<Promotion> Update(std::int64_t shop_id, std::int64_t promotion_id, const PromotionDefinition& definition);
  // Deletes the promotion and its codes; past redemptions stay recorded.
  Status Delete(std::int64_t shop_id, std::int64_t promotion_id);

  // kConflict "promotions/duplicate-code" when any promotion of the shop has the code in
  // any letter case; "promotions/invalid-code"; "promotions/automatic-has-no-codes".
  Result<PromotionCode> AddCode(std::int64_t shop_id, std::int64_t promotion_id, const NewCode& code);
  Result<std::vector<PromotionCode>> ListCodes(std::int64_t shop_id, std::int64_t promotion_id);
  Status DeleteCode(std::int64_t shop_id, std::int64_t promotion_id, std::int64_t code_id);
  Result<UsageSummary> Usage(std::int64_t shop_id, std::int64_t promotion_id);

  Result<RedemptionPolicy> GetPolicy(std::int64_t shop_id);
  Result<RedemptionPolicy> SetPolicy(std::int64_t shop_id, const RedemptionPolicy& policy);

  // Evaluate() in a read transaction at the clock's now (a cart preview).
  Result<Evaluation> Evaluate(std::int64_t shop_id, const CartContext& cart);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace plaza::promotions
