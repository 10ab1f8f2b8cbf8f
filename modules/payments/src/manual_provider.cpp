#include "plaza/payments/manual_provider.h"

#include "plaza/core/crypto.h"
#include "plaza/core/text.h"

namespace plaza::payments {

Result<ProviderResult> ManualPaymentProvider::Authorize(const AuthorizeRequest& request) {
  // Derived, not random, so a retried call with the same key gets the same reference
  // without the provider keeping any state.
  const crypto::Sha256Digest digest = crypto::Sha256(std::to_string(request.shop_id) + ":" + request.idempotency_key);
  ProviderResult result;
  result.status = ProviderStatus::kPending;
  result.provider_reference = "manual_" + text::HexEncode(digest).substr(0, 24);
  return result;
}

Result<ProviderResult> ManualPaymentProvider::Capture(std::int64_t, const std::string& provider_reference, const Money&,
                                                      const std::string&) {
  return ProviderResult{ProviderStatus::kCaptured, provider_reference, {}, {}, {}};
}

Result<ProviderResult> ManualPaymentProvider::Void(std::int64_t, const std::string& provider_reference,
                                                   const std::string&) {
  return ProviderResult{ProviderStatus::kVoided, provider_reference, {}, {}, {}};
}

Result<ProviderResult> ManualPaymentProvider::Refund(std::int64_t, const std::string& provider_reference, const Money&,
                                                     const std::string&) {
  return ProviderResult{ProviderStatus::kRefunded, provider_reference, {}, {}, {}};
}

}  // namespace plaza::payments
