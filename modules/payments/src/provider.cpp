#include "plaza/payments/provider.h"

namespace plaza::payments {

std::string_view ProviderStatusName(ProviderStatus status) {
  switch (status) {
    case ProviderStatus::kAuthorized:
      return "authorized";
    case ProviderStatus::kDeclined:
      return "declined";
    case ProviderStatus::kPending:
      return "pending";
    case ProviderStatus::kCaptured:
      return "captured";
    case ProviderStatus::kVoided:
      return "voided";
    case ProviderStatus::kRefunded:
      return "refunded";
    case ProviderStatus::kFailed:
      return "failed";
  }
  return "failed";
}

bool PassesLuhn(std::string_view number) {
  // Card numbers are 12 to 19 digits (ISO/IEC 7812).
  constexpr int kMinDigits = 12;
  constexpr int kMaxDigits = 19;
  int sum = 0;
  int count = 0;
  for (auto it = number.rbegin(); it != number.rend(); ++it) {
    if (*it == ' ') continue;
    if (*it < '0' || *it > '9') return false;
    int digit = *it - '0';
    if (count % 2 == 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    if (++count > kMaxDigits) return false;
  }
  return count >= kMinDigits && sum % 10 == 0;
}

std::string_view CardBrand(std::string_view digits) {
  if (digits.starts_with("4")) return "visa";
  if (digits.starts_with("34") || digits.starts_with("37")) return "amex";
  if (digits.starts_with("6011") || digits.starts_with("65")) return "discover";
  if (digits.size() >= 2) {
    const int two = (digits[0] - '0') * 10 + (digits[1] - '0');
    if (two >= 51 && two <= 55) return "mastercard";
    if (digits.size() >= 4) {
      const int four = two * 100 + (digits[2] - '0') * 10 + (digits[3] - '0');
      if (four >= 2221 && four <= 2720) return "mastercard";
    }
  }
  return "unknown";
}

}  // namespace plaza::payments
