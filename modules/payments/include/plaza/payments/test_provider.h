#pragma once
// The built-in test provider: a stand-in for a card processor, for development, demos
// and tests. It plays the provider's side, so its state lives in its own table
// (test_provider_charges) and survives restarts; Plaza's record is PaymentService's.
//
// Test cards (any future expiry, any CVC; the number must pass Luhn):
//   4242424242424242  authorised
//   4000000000000002  declined, reason "card_declined"
//   4000000000009995  declined, reason "insufficient_funds"
//   4000000000003220  pending: decided later by CompleteAsync, which the provider then
//                     reports to Plaza through a signed webhook (SignedWebhook)
// Any other valid number is authorised. Only the brand and last four digits are kept.
//
// Webhooks to Plaza are signed like Plaza's own outgoing webhooks (see
// plaza/channels/webhook_signature.h) under a per-shop secret, in the header
// kTestProviderSignatureHeader:
//   {"type": "payment.succeeded" | "payment.failed", "reference": "tp_…", "reason": "…"}

#include <cstdint>
#include <string>
#include <string_view>

#include "plaza/core/clock.h"
#include "plaza/payments/provider.h"
#include "plaza/store/database.h"

namespace plaza::payments {

inline constexpr std::string_view kTestProviderName = "test";
inline constexpr std::string_view kTestProviderSignatureHeader = "Plaza-Test-Provider-Signature";

// A webhook as the test provider sends it.
struct SignedWebhook {
  std::string body;
  std::string signature_header;  // value for kTestProviderSignatureHeader
};

class TestPaymentProvider final : public PaymentProvider {
 public:
  // `db` and `clock` must outlive the provider. REQUIRES: crypto::InitCrypto() has run.
  TestPaymentProvider(store::Database& db, const Clock& clock);

  std::string_view name() const override { return kTestProviderName; }
  bool Accepts(std::string_view method) const override { return method == "card"; }

  Result<ProviderResult> Authorize(const AuthorizeRequest& request) override;
  Result<ProviderResult> Capture(std::int64_t shop_id, const std::string& provider_reference, const Money& amount,
                                 const std::string& idempotency_key) override;
  Result<ProviderResult> Void(std::int64_t shop_id, const std::string& provider_reference,
                              const std::string& idempotency_key) override;
  Result<ProviderResult> Refund(std::int64_t shop_id, const std::string& provider_reference, const Money& amount,
                                const std::string& idempotency_key) override;

  // The shop's webhook signing secret, created on first use.
  Result<std::string> WebhookSecret(std::int64_t shop_id);

  // Decides a pending charge (succeeded: authorised; otherwise failed with `reason`) and
  // returns the webhook reporting it, signed at `now`. "payments/not-pending" (kConflict)
  // when the charge is not pending.
  Result<SignedWebhook> CompleteAsync(std::int64_t shop_id, const std::string& provider_reference, bool succeeded,
                                      std::string_view reason, TimePoint now);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace plaza::payments
