#pragma once
// Money: an integer count of minor units and an ISO 4217 currency. Never a float.
//
// Arithmetic is checked: a sum or product that would not fit in 64 bits is an error
// ("money/overflow"), never a wrapped number, and mixing currencies is an error
// ("money/currency-mismatch"). Fractions (percentages, tax rates) go through MulDiv,
// which rounds exactly once, in a mode the caller names.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "plaza/core/result.h"

namespace plaza {

struct Currency {
  std::string_view code;  // "EUR"
  int minor_digits;       // 2 for EUR, 0 for JPY, 3 for KWD
};

// Every active ISO 4217 currency Plaza accepts, sorted by code.
std::span<const Currency> Currencies();

// The currency for an upper-case ISO 4217 code, or "money/unknown-currency".
Result<Currency> FindCurrency(std::string_view code);

// 10^minor_digits: the minor units in one major unit.
std::int64_t MinorUnitsPerMajor(const Currency& currency);

struct Money {
  std::int64_t minor = 0;
  std::string currency;  // ISO 4217 code

  friend bool operator==(const Money&, const Money&) = default;
};

enum class Rounding {
  kHalfEven,  // banker's rounding: ties to the even neighbour (tax lines)
  kHalfUp,    // ties away from zero (prices shown to people)
  kDown,      // toward zero (discounts never exceed what they promise)
};

// value * numerator / denominator, rounded once. "money/overflow" when the result does
// not fit; REQUIRES: denominator > 0.
Result<std::int64_t> MulDiv(std::int64_t value, std::int64_t numerator, std::int64_t denominator, Rounding rounding);

// Checked integer arithmetic on minor units.
Result<std::int64_t> CheckedAdd(std::int64_t a, std::int64_t b);
Result<std::int64_t> CheckedMultiply(std::int64_t a, std::int64_t b);

// a + b in one currency.
Result<Money> Add(const Money& a, const Money& b);
// a - b in one currency (may be negative: a refund or a balance).
Result<Money> Subtract(const Money& a, const Money& b);
// amount * quantity.
Result<Money> Multiply(const Money& amount, std::int64_t quantity);

// "12.50" in EUR -> 1250. Accepts an optional leading '-', digits, and at most one '.';
// extra fraction digits are accepted only when they are zeros ("1200.00" in JPY), so a
// price is never silently rounded. Errors are "money/invalid-amount" or "money/overflow".
Result<std::int64_t> ParseDecimalAmount(std::string_view text, const Currency& currency);

// 1250 in EUR -> "12.50"; 1200 in JPY -> "1200"; -5 in EUR -> "-0.05".
std::string FormatDecimalAmount(std::int64_t minor, const Currency& currency);

// For people: "EUR 12.50". Pages localise further; feeds use FormatDecimalAmount.
std::string FormatMoney(const Money& money);

}  // namespace plaza
