#pragma once
// Markets, price lists and taxes: what a variant costs, in which currency, for whom, at
// a given moment, and the tax on it. docs/pricing.md is the merchant-facing description.
//
// A market groups countries that share one currency, one tax display (prices with or
// without tax) and one price list. Each shop has exactly one default market, used for
// countries no market lists. A variant's price is stored per market in integer minor
// units of the market's currency; prices are never converted between currencies, so a
// variant without a price in a market is not purchasable there ("pricing/not-priced").
//
// Variant, product and collection ids belong to the catalog module; this module stores
// them as plain numbers and never reads the catalog's tables.
//
// Two ways in: PricingService runs its own transactions (admin, storefront); the free
// functions taking a store::Transaction& let checkout price and tax a cart inside the
// transaction that places the order. Every function filters by the shop it is given;
// another shop's market is reported as not found.
//
// Thread-safety: a PricingService may be used from any number of threads; the free
// functions are as thread-safe as the Transaction they are given.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/money.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::pricing {

// Bounds on what one request or one shop can grow; a market per country of the world
// is the most any merchant needs.
inline constexpr std::size_t kMaxMarketsPerShop = 250;
inline constexpr std::size_t kMaxCountriesPerMarket = 250;
// One lookup or bulk write covers a large cart or a page of a price list, not a catalog.
inline constexpr std::size_t kMaxVariantsPerRequest = 500;
inline constexpr std::size_t kMaxTaxRatesPerMarket = 1000;
inline constexpr std::size_t kMaxTaxLines = 500;
// Tax rates are fractions numerator/denominator with both at most this, so
// numerator + denominator and amount * numerator never overflow the 128-bit product.
inline constexpr std::int64_t kMaxRateTerm = 1'000'000'000;

// ---- Markets ----

struct Market {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string handle{};                  // "eu", unique per shop: [a-z0-9-], 1–64
  std::string name{};                    // "Europe"
  std::vector<std::string> countries{};  // ISO 3166-1 alpha-2, upper case, sorted; each in one market per shop
  std::string currency{};                // ISO 4217, validated with FindCurrency
  bool prices_include_tax = false;       // true: stored prices are gross (EU style)
  bool is_default = false;               // exactly one per shop once any market exists
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct NewMarket {
  std::string handle{};
  std::string name{};
  std::vector<std::string> countries{};
  std::string currency{};
  bool prices_include_tax = false;
  // The shop's first market is the default whatever this says; making another market
  // the default moves the flag.
  bool is_default = false;
};

// Members left empty are unchanged. The currency of a market cannot change once it has
// prices ("pricing/currency-locked"): its price list is in that currency.
struct MarketUpdate {
  std::optional<std::string> handle{};
  std::optional<std::string> name{};
  std::optional<std::vector<std::string>> countries{};
  std::optional<std::string> currency{};
  std::optional<bool> prices_include_tax{};
  std::optional<bool> is_default{};  // only true is accepted: a shop always has a default
};

// ---- Prices ----

// A variant's stored price in one market. Amounts are minor units of the market's
// currency. The sale price applies from sale_starts_at (inclusive; none: at once) until
// sale_ends_at (exclusive; none: until removed).
struct VariantPrice {
  std::int64_t variant_id = 0;
  std::int64_t market_id = 0;
  std::string currency{};
  std::int64_t amount = 0;
  std::optional<std::int64_t> compare_at_amount{};
  std::optional<std::int64_t> sale_amount{};
  std::optional<TimePoint> sale_starts_at{};
  std::optional<TimePoint> sale_ends_at{};
  TimePoint updated_at{};
};

// One price to set. amount >= 0; compare_at_amount and sale_amount >= 0; a sale window
// needs a sale_amount and must end after it starts.
struct PriceInput {
  std::int64_t variant_id = 0;
  std::int64_t amount = 0;
  std::optional<std::int64_t> compare_at_amount{};
  std::optional<std::int64_t> sale_amount{};
  std::optional<TimePoint> sale_starts_at{};
  std::optional<TimePoint> sale_ends_at{};
};

// What a variant costs at one moment in one market.
struct EffectivePrice {
  std::int64_t variant_id = 0;
  std::int64_t market_id = 0;
  Money price{};                            // what the customer pays per unit (gross when prices include tax)
  std::optional<Money> compare_at{};        // the "was" price, only when above `price`
  bool on_sale = false;                     // the scheduled sale price applies now
  std::optional<TimePoint> sale_ends_at{};  // when on_sale and the sale has an end
  bool prices_include_tax = false;          // the market's tax display, for the caller's ComputeTax
};

// The price at `now`: the sale amount inside the sale window, else the regular amount.
// On sale, compare_at is the larger of the regular amount and compare_at_amount.
EffectivePrice EffectivePriceAt(const VariantPrice& price, bool prices_include_tax, TimePoint now);

// ---- Taxes ----

// A rate as an exact fraction: 20% is {20, 100} or {2000, 10000} (basis points); 7.25%
// is {725, 10000}; 19/119 style rates need no rounding. 0 <= numerator, 0 < denominator,
// both <= kMaxRateTerm.
struct TaxRate {
  std::int64_t numerator = 0;
  std::int64_t denominator = 1;
  static TaxRate BasisPoints(std::int64_t basis_points) { return {basis_points, 10'000}; }
};

// A stored rate of one market: `region` is a country ("FR") or a country subdivision
// (ISO 3166-2 style, "US-CA"); `tax_class` is the product's tax class ("standard",
// "reduced", "zero", or any merchant-chosen name: lower-case [a-z0-9_-], 1–64).
struct TaxRateRecord {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::int64_t market_id = 0;
  std::string region{};
  std::string tax_class{};
  TaxRate rate{};
  std::string name{};  // shown on invoices, "VAT", "CA sales tax"
  TimePoint updated_at{};
};

struct TaxRateInput {
  std::string region{};
  std::string tax_class{"standard"};
  TaxRate rate{};
  std::string name{};
};

// Where the goods go: a country and, where taxes differ inside it, a subdivision
// ("US-CA"; empty when none).
struct Destination {
  std::string country{};
  std::string subdivision{};
};

// One taxable line: its total in minor units of the market's currency (unit price times
// quantity, after discounts), gross when the market's prices include tax.
struct TaxLineInput {
  std::int64_t amount = 0;
  std::string tax_class{"standard"};
};

struct TaxLine {
  std::int64_t amount = 0;  // as given
  std::int64_t tax = 0;     // rounded half-even to the currency's minor unit
  std::int64_t net = 0;     // amount without tax
  std::int64_t gross = 0;   // amount with tax
  TaxRate rate{};           // the rate applied ({0, 1} when none matched)
  std::string region{};     // the region whose rate applied; empty when none matched
  std::string name{};
};

struct TaxResult {
  std::string currency{};
  bool prices_include_tax = false;
  std::vector<TaxLine> lines{};  // in the order of the input
  std::int64_t total_tax = 0;    // the sum of the lines' tax: each line is rounded once
  std::int64_t total_net = 0;
  std::int64_t total_gross = 0;
};

// Computes tax per line. Exclusive markets add amount * rate; inclusive markets extract
// amount * rate / (1 + rate) exactly, so net + tax == amount. Each line's rate is the
// one for its tax class in the destination's subdivision, else in its country; a line
// with no matching rate is untaxed (rate 0), which docs/pricing.md explains.
// Errors: "pricing/negative-amount" (field "/lines/i/amount"), "pricing/too-many-lines",
// "money/overflow".
Result<TaxResult> ComputeTax(std::span<const TaxLineInput> lines, const Destination& destination, const Market& market,
                             std::span<const TaxRateRecord> rates);

// Checks a rate's bounds: "pricing/invalid-tax-rate".
Status ValidateTaxRate(const TaxRate& rate, std::string_view field = "/rate");

// ---- Inside a caller's transaction (checkout) ----

// Errors shared below: kNotFound for a market of another shop or none; kInvalidArgument
// ("pricing/invalid-country") for a country that is not two upper-case letters.
Result<Market> FindMarket(store::Transaction& tx, std::int64_t shop_id, std::int64_t market_id);
// The market listing `country`, else the shop's default market. kNotFound
// ("pricing/no-market") when the shop has no market at all.
Result<Market> MarketForCountry(store::Transaction& tx, std::int64_t shop_id, std::string_view country);

// Effective prices of `variant_ids` in one market at `now`, in the order given, read in
// one query. Fails with kConflict "pricing/not-priced" (field "/variant_ids/i") naming
// the first variant without a price there; "pricing/too-many-variants" past
// kMaxVariantsPerRequest.
Result<std::vector<EffectivePrice>> PriceVariants(store::Transaction& tx, std::int64_t shop_id, std::int64_t market_id,
                                                  std::span<const std::int64_t> variant_ids, TimePoint now);
// The same, but variants without a price are left out (storefront listings).
Result<std::vector<EffectivePrice>> FindVariantPrices(store::Transaction& tx, std::int64_t shop_id,
                                                      std::int64_t market_id, std::span<const std::int64_t> variant_ids,
                                                      TimePoint now);

// The market's tax rates, and ComputeTax over them for the market's stored settings.
Result<std::vector<TaxRateRecord>> ListTaxRates(store::Transaction& tx, std::int64_t shop_id, std::int64_t market_id);
Result<TaxResult> ComputeTax(store::Transaction& tx, std::int64_t shop_id, std::int64_t market_id,
                             std::span<const TaxLineInput> lines, const Destination& destination);

// ---- The service: its own transactions ----

class PricingService {
 public:
  // `db` and `clock` must outlive the service.
  PricingService(store::Database& db, const Clock& clock);

  // Markets. Validation errors name the field: "pricing/invalid-handle",
  // "pricing/invalid-country" ("/countries/i"), "money/unknown-currency" ("/currency");
  // kConflict "pricing/duplicate-handle", "pricing/country-taken" (a country already in
  // another market of the shop), "pricing/too-many-markets", "pricing/default-required"
  // (deleting the default market while others exist, or unsetting the flag).
  Result<Market> CreateMarket(std::int64_t shop_id, const NewMarket& input);
  Result<std::vector<Market>> ListMarkets(std::int64_t shop_id);
  Result<Market> GetMarket(std::int64_t shop_id, std::int64_t market_id);
  Result<Market> UpdateMarket(std::int64_t shop_id, std::int64_t market_id, const MarketUpdate& update);
  // Deletes the market with its prices and tax rates.
  Status DeleteMarket(std::int64_t shop_id, std::int64_t market_id);
  Result<Market> MarketForCountry(std::int64_t shop_id, std::string_view country);

  // Sets (inserts or replaces) prices of up to kMaxVariantsPerRequest variants in one
  // market, all or nothing. Errors name the input: "/prices/i/amount" …;
  // "pricing/negative-amount", "pricing/invalid-sale-window", "pricing/sale-without-price",
  // "pricing/duplicate-variant", "pricing/invalid-variant".
  Result<std::vector<VariantPrice>> SetPrices(std::int64_t shop_id, std::int64_t market_id,
                                              std::span<const PriceInput> prices);
  // Stored prices of the market, by variant id; `after_variant_id` pages (0: from the
  // start), at most `limit` (<= kMaxVariantsPerRequest) rows.
  Result<std::vector<VariantPrice>> ListPrices(std::int64_t shop_id, std::int64_t market_id,
                                               std::int64_t after_variant_id, int limit);
  // The prices of one variant in every market of the shop.
  Result<std::vector<VariantPrice>> VariantPrices(std::int64_t shop_id, std::int64_t variant_id);
  // Removes a variant's price from a market; the variant stops being purchasable there.
  Status DeletePrice(std::int64_t shop_id, std::int64_t market_id, std::int64_t variant_id);
  Result<std::vector<EffectivePrice>> PriceVariants(std::int64_t shop_id, std::int64_t market_id,
                                                    std::span<const std::int64_t> variant_ids);

  // Tax rates: one per (market, region, tax class); setting an existing one replaces it.
  // "pricing/invalid-region", "pricing/invalid-tax-class", "pricing/invalid-tax-rate".
  Result<TaxRateRecord> SetTaxRate(std::int64_t shop_id, std::int64_t market_id, const TaxRateInput& input);
  Result<std::vector<TaxRateRecord>> ListTaxRates(std::int64_t shop_id, std::int64_t market_id);
  Status DeleteTaxRate(std::int64_t shop_id, std::int64_t market_id, std::int64_t tax_rate_id);
  Result<TaxResult> ComputeTax(std::int64_t shop_id, std::int64_t market_id, std::span<const TaxLineInput> lines,
                               const Destination& destination);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace plaza::pricing
