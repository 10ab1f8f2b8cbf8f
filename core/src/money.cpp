#include "plaza/core/money.h"

#include <algorithm>
#include <array>
#include <limits>

namespace plaza {
namespace {

// 128-bit intermediates keep products of two 64-bit amounts exact (GCC and Clang).
__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

// Active ISO 4217 codes and their minor units (the standard's published list).
constexpr std::array kCurrencies = std::to_array<Currency>({
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2}, {"AWG", 2},
    {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2},
    {"BOB", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2},
    {"CHF", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"CRC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2},
    {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2},
    {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2},
    {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2},
    {"ISK", 0}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2},
    {"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2},
    {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2},
    {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2},
    {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2},
    {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2},
    {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2},
    {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2},
    {"TRY", 2}, {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"UYI", 0}, {"UYU", 2},
    {"UYW", 4}, {"UZS", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2}, {"XOF", 0},
    {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWL", 2},
});

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

Error Overflow() {
  return Error::Invalid("money/overflow", "the amount is too large to represent");
}

Result<std::int64_t> Narrow(Int128 value) {
  if (value > kMax || value < kMin) return Overflow();
  return static_cast<std::int64_t>(value);
}

// `text` cut to `limit` bytes, in quotes, for an error detail. Built by appending:
// GCC 12 at -O3 reports a false -Wrestrict overlap for `"'" + std::string(...)`.
std::string Quoted(std::string_view text, std::size_t limit) {
  std::string quoted;
  text = text.substr(0, limit);
  quoted.reserve(text.size() + 2);
  quoted.append("'").append(text).append("'");
  return quoted;
}

Status SameCurrency(const Money& a, const Money& b) {
  if (a.currency != b.currency) {
    return Error::Invalid("money/currency-mismatch", "cannot combine amounts in " + a.currency + " and " + b.currency);
  }
  return Ok();
}

}  // namespace

std::span<const Currency> Currencies() {
  return kCurrencies;
}

Result<Currency> FindCurrency(std::string_view code) {
  auto it = std::lower_bound(kCurrencies.begin(), kCurrencies.end(), code,
                             [](const Currency& c, std::string_view key) { return c.code < key; });
  if (it == kCurrencies.end() || it->code != code) {
    return Error::Invalid("money/unknown-currency", Quoted(code, 16) + " is not an ISO 4217 currency code");
  }
  return *it;
}

std::int64_t MinorUnitsPerMajor(const Currency& currency) {
  std::int64_t factor = 1;
  for (int i = 0; i < currency.minor_digits; ++i) factor *= 10;
  return factor;
}

Result<std::int64_t> MulDiv(std::int64_t value, std::int64_t numerator, std::int64_t denominator, Rounding rounding) {
  if (denominator <= 0) return Error::Internal("MulDiv needs a positive denominator");
  const Int128 product = static_cast<Int128>(value) * numerator;
  Int128 quotient = product / denominator;  // truncates toward zero
  const Int128 remainder = product % denominator;
  if (remainder != 0 && rounding != Rounding::kDown) {
    const Int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
    const int direction = product < 0 ? -1 : 1;
    bool away = twice > denominator;
    if (twice == denominator) away = rounding == Rounding::kHalfUp || (quotient % 2 != 0);
    if (away) quotient += direction;
  }
  return Narrow(quotient);
}

Result<std::int64_t> CheckedAdd(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return Overflow();
  return out;
}

Result<std::int64_t> CheckedMultiply(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return Overflow();
  return out;
}

Result<Money> Add(const Money& a, const Money& b) {
  PLAZA_TRY(SameCurrency(a, b));
  PLAZA_ASSIGN_OR_RETURN(std::int64_t sum, CheckedAdd(a.minor, b.minor));
  return Money{sum, a.currency};
}

Result<Money> Subtract(const Money& a, const Money& b) {
  PLAZA_TRY(SameCurrency(a, b));
  std::int64_t out = 0;
  if (__builtin_sub_overflow(a.minor, b.minor, &out)) return Overflow();
  return Money{out, a.currency};
}

Result<Money> Multiply(const Money& amount, std::int64_t quantity) {
  PLAZA_ASSIGN_OR_RETURN(std::int64_t product, CheckedMultiply(amount.minor, quantity));
  return Money{product, amount.currency};
}

Result<std::int64_t> ParseDecimalAmount(std::string_view text, const Currency& currency) {
  const auto invalid = [&] {
    return Error::Invalid("money/invalid-amount",
                          Quoted(text, 32) + " is not an amount in " + std::string(currency.code));
  };
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && rest.front() == '-') {
    negative = true;
    rest.remove_prefix(1);
  }
  const std::size_t dot = rest.find('.');
  const std::string_view whole = rest.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && fraction.empty())) return invalid();
  const auto all_digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!all_digits(whole) || !all_digits(fraction)) return invalid();
  for (std::size_t i = static_cast<std::size_t>(currency.minor_digits); i < fraction.size(); ++i) {
    if (fraction[i] != '0') {
      return Error::Invalid("money/invalid-amount", std::string(currency.code) + " has " +
                                                        std::to_string(currency.minor_digits) + " decimal places; '" +
                                                        std::string(text.substr(0, 32)) + "' has more");
    }
  }
  Int128 value = 0;
  for (char c : whole) {
    value = value * 10 + (c - '0');
    if (value > kMax) return Overflow();
  }
  for (int i = 0; i < currency.minor_digits; ++i) {
    const auto index = static_cast<std::size_t>(i);
    value = value * 10 + (index < fraction.size() ? fraction[index] - '0' : 0);
    if (value > kMax) return Overflow();
  }
  return static_cast<std::int64_t>(negative ? -value : value);
}

std::string FormatDecimalAmount(std::int64_t minor, const Currency& currency) {
  const bool negative = minor < 0;
  // Magnitude in unsigned so INT64_MIN formats too.
  const UInt128 magnitude = negative ? static_cast<UInt128>(-static_cast<Int128>(minor)) : static_cast<UInt128>(minor);
  const auto factor = static_cast<UInt128>(MinorUnitsPerMajor(currency));
  std::string out = negative ? "-" : "";
  out += std::to_string(static_cast<std::uint64_t>(magnitude / factor));
  if (currency.minor_digits > 0) {
    std::string fraction = std::to_string(static_cast<std::uint64_t>(magnitude % factor));
    out += '.';
    out.append(static_cast<std::size_t>(currency.minor_digits) - fraction.size(), '0');
    out += fraction;
  }
  return out;
}

std::string FormatMoney(const Money& money) {
  Result<Currency> currency = FindCurrency(money.currency);
  if (!currency.ok()) return money.currency + " " + std::to_string(money.minor);
  return money.currency + " " + FormatDecimalAmount(money.minor, *currency);
}

}  // namespace plaza
