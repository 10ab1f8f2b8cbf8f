#pragma once
// The manual provider: bank transfer and cash on delivery. Nothing is charged online;
// an authorisation is pending until staff mark the payment paid
// (PaymentService::MarkPaid), which records the full capture. Stateless: Plaza's own
// payment record is the only record.

#include "plaza/payments/provider.h"

namespace plaza::payments {

inline constexpr std::string_view kManualProviderName = "manual";

class ManualPaymentProvider final : public PaymentProvider {
 public:
  std::string_view name() const override { return kManualProviderName; }
  bool Accepts(std::string_view method) const override {
    return method == "bank_transfer" || method == "cash_on_delivery";
  }

  // Pending, with a reference derived from the idempotency key (so a retry gets the same).
  Result<ProviderResult> Authorize(const AuthorizeRequest& request) override;
  // Captured, voided or refunded at once: staff settle the money outside Plaza.
  Result<ProviderResult> Capture(std::int64_t shop_id, const std::string& provider_reference, const Money& amount,
                                 const std::string& idempotency_key) override;
  Result<ProviderResult> Void(std::int64_t shop_id, const std::string& provider_reference,
                              const std::string& idempotency_key) override;
  Result<ProviderResult> Refund(std::int64_t shop_id, const std::string& provider_reference, const Money& amount,
                                const std::string& idempotency_key) override;
};

}  // namespace plaza::payments
