#pragma once
// The payment provider interface. A provider moves money (or, for the manual provider,
// records that staff will); PaymentService (payment_service.h) keeps Plaza's own record.
//
// Every call carries an idempotency key: a provider that sees the same key twice
// answers with the first outcome and moves no money again, so a retry after a timeout
// or a crash can never charge twice. Keys are scoped to a shop.
//
// A provider call is an outside effect: PaymentService never makes one inside a database
// transaction (a retried transaction would repeat it, and on SQLite it would hold the
// one writer while waiting on the network).
//
// Thread-safety: implementations may be called from any number of threads.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "plaza/core/money.h"
#include "plaza/core/result.h"

namespace plaza::payments {

// What a provider says about one operation.
enum class ProviderStatus {
  kAuthorized,  // funds held; capture to take them
  kDeclined,    // refused; `decline_reason` says why ("card_declined", "insufficient_funds")
  kPending,     // decided later, asynchronously (a provider webhook, or staff for manual methods)
  kCaptured,
  kVoided,
  kRefunded,
  kFailed,  // an asynchronous authorisation that did not succeed
};
std::string_view ProviderStatusName(ProviderStatus status);  // "authorized", "declined" …

// Card data as typed by the buyer. Used for the duration of one call; never stored.
struct CardDetails {
  std::string number;  // digits, spaces allowed
  int exp_month = 0;
  int exp_year = 0;
  std::string cvc{};
};

struct AuthorizeRequest {
  std::int64_t shop_id = 0;
  std::string idempotency_key{};
  std::string method{};  // "card", "bank_transfer", "cash_on_delivery"
  Money amount{};
  std::optional<CardDetails> card{};  // for "card"
};

struct ProviderResult {
  ProviderStatus status = ProviderStatus::kDeclined;
  std::string provider_reference{};  // the provider's id of the payment (same for every operation on it)
  std::string decline_reason{};      // for kDeclined and kFailed
  std::string card_brand{};          // "visa", for card payments
  std::string card_last4{};
};

class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;

  // "test", "manual": how payments name their provider.
  virtual std::string_view name() const = 0;
  // True when `method` ("card", "bank_transfer" …) is one this provider takes.
  virtual bool Accepts(std::string_view method) const = 0;

  // Declines are results, not errors; errors are malformed requests ("payments/…",
  // kInvalidArgument) or the provider being unreachable (kUnavailable).
  virtual Result<ProviderResult> Authorize(const AuthorizeRequest& request) = 0;
  // Takes `amount` (at most what remains authorised) of an authorised payment.
  virtual Result<ProviderResult> Capture(std::int64_t shop_id, const std::string& provider_reference,
                                         const Money& amount, const std::string& idempotency_key) = 0;
  // Releases an authorisation nothing was captured from.
  virtual Result<ProviderResult> Void(std::int64_t shop_id, const std::string& provider_reference,
                                      const std::string& idempotency_key) = 0;
  // Returns `amount` (at most what was captured and not yet refunded) to the original
  // payment method.
  virtual Result<ProviderResult> Refund(std::int64_t shop_id, const std::string& provider_reference,
                                        const Money& amount, const std::string& idempotency_key) = 0;
};

// Luhn checksum over the digits of `number` (spaces ignored); false for anything but
// 12–19 digits.
bool PassesLuhn(std::string_view number);
// "visa", "mastercard", "amex", "discover" or "unknown", from the leading digits.
std::string_view CardBrand(std::string_view digits);

}  // namespace plaza::payments
