// Tax arithmetic: pure functions over a market and its rates, no database.

#include <string>

#include "plaza/pricing/pricing.h"
#include "validation.h"

namespace plaza::pricing {
namespace {

const TaxRateRecord* FindRate(std::span<const TaxRateRecord> rates, std::string_view region,
                              std::string_view tax_class) {
  if (region.empty()) return nullptr;
  for (const TaxRateRecord& rate : rates) {
    if (rate.region == region && rate.tax_class == tax_class) return &rate;
  }
  return nullptr;
}

}  // namespace

Status ValidateTaxRate(const TaxRate& rate, std::string_view field) {
  if (rate.denominator <= 0 || rate.denominator > kMaxRateTerm || rate.numerator < 0 || rate.numerator > kMaxRateTerm) {
    return Error::Invalid("pricing/invalid-tax-rate",
                          "a tax rate is numerator/denominator with 0 <= numerator <= 10^9 and 0 < denominator <= 10^9",
                          std::string(field));
  }
  return Ok();
}

Result<TaxResult> ComputeTax(std::span<const TaxLineInput> lines, const Destination& destination, const Market& market,
                             std::span<const TaxRateRecord> rates) {
  PLAZA_TRY(FindCurrency(market.currency));
  if (lines.size() > kMaxTaxLines) {
    return Error::Invalid("pricing/too-many-lines", "at most " + std::to_string(kMaxTaxLines) + " lines", "/lines");
  }
  PLAZA_TRY(internal::ValidateDestination(destination));
  TaxResult result;
  result.currency = market.currency;
  result.prices_include_tax = market.prices_include_tax;
  result.lines.reserve(lines.size());
  for (std::size_t idx = 0; idx < lines.size(); ++idx) {
    const TaxLineInput& input = lines[idx];
    if (input.amount < 0) {
      return Error::Invalid("pricing/negative-amount", "a line amount cannot be negative",
                            "/lines/" + std::to_string(idx) + "/amount");
    }
    TaxLine line;
    line.amount = input.amount;
    line.rate = TaxRate{0, 1};
    const TaxRateRecord* rate = FindRate(rates, destination.subdivision, input.tax_class);
    if (rate == nullptr) rate = FindRate(rates, destination.country, input.tax_class);
    if (rate != nullptr) {
      PLAZA_TRY(ValidateTaxRate(rate->rate));
      line.rate = rate->rate;
      line.region = rate->region;
      line.name = rate->name;
    }
    if (market.prices_include_tax) {
      // The price already holds the tax: gross = net * (1 + r), so tax = gross * r / (1 + r),
      // which for r = n/d is gross * n / (d + n), rounded once.
      PLAZA_ASSIGN_OR_RETURN(line.tax, MulDiv(input.amount, line.rate.numerator,
                                              line.rate.denominator + line.rate.numerator, Rounding::kHalfEven));
      line.gross = input.amount;
      line.net = input.amount - line.tax;
    } else {
      PLAZA_ASSIGN_OR_RETURN(line.tax,
                             MulDiv(input.amount, line.rate.numerator, line.rate.denominator, Rounding::kHalfEven));
      line.net = input.amount;
      PLAZA_ASSIGN_OR_RETURN(line.gross, CheckedAdd(input.amount, line.tax));
    }
    PLAZA_ASSIGN_OR_RETURN(result.total_tax, CheckedAdd(result.total_tax, line.tax));
    PLAZA_ASSIGN_OR_RETURN(result.total_net, CheckedAdd(result.total_net, line.net));
    PLAZA_ASSIGN_OR_RETURN(result.total_gross, CheckedAdd(result.total_gross, line.gross));
    result.lines.push_back(std::move(line));
  }
  return result;
}

EffectivePrice EffectivePriceAt(const VariantPrice& price, bool prices_include_tax, TimePoint now) {
  EffectivePrice effective;
  effective.variant_id = price.variant_id;
  effective.market_id = price.market_id;
  effective.prices_include_tax = prices_include_tax;
  effective.price = Money{price.amount, price.currency};
  const bool started = !price.sale_starts_at || *price.sale_starts_at <= now;
  const bool ended = price.sale_ends_at && *price.sale_ends_at <= now;
  std::int64_t compare_at = price.compare_at_amount.value_or(0);
  if (price.sale_amount && started && !ended) {
    effective.on_sale = true;
    effective.price.minor = *price.sale_amount;
    effective.sale_ends_at = price.sale_ends_at;
    compare_at = std::max(compare_at, price.amount);
  }
  if (compare_at > effective.price.minor) effective.compare_at = Money{compare_at, price.currency};
  return effective;
}

}  // namespace plaza::pricing
