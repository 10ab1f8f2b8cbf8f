#pragma once
// Plaza's record of payments: one Payment per authorisation attempt for an order, with
// the transactions made on it (authorisation, captures, void, refunds), amounts in minor
// units. PaymentService calls the provider first (outside any transaction; see
// provider.h), then records the outcome and its outbox event in one transaction:
//   payment.authorized, payment.captured, payment.refunded, payment.voided, payment.failed
// (payload: payment id, order reference, amount, currency, status).
//
// Idempotency: every mutating call takes a key. The same key again returns the payment
// as the first call left it and moves no money (the provider is given the same key, and
// Plaza's record is unique per key); the same key with a different request is
// "idempotency/key-reused".
//
// Money rules, in exact integer arithmetic: captures never exceed the authorised amount,
// refunds never exceed what was captured minus what was refunded
// ("payments/refund-exceeds-captured").
//
// Tenant isolation: every function takes the acting shop; another shop's payment is not
// found. Thread-safety: a PaymentService may be used from any number of threads.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/money.h"
#include "plaza/core/result.h"
#include "plaza/payments/provider.h"
#include "plaza/payments/test_provider.h"
#include "plaza/store/database.h"

namespace plaza::payments {

enum class PaymentStatus {
  kPending,            // waiting for the provider's webhook or for staff (manual methods)
  kAuthorized,         // funds held, nothing captured yet
  kDeclined,           // the provider refused at once
  kFailed,             // a pending payment that did not succeed
  kPartiallyCaptured,  // some of the authorised amount captured
  kCaptured,           // all of it captured
  kVoided,             // authorisation released
  kPartiallyRefunded,
  kRefunded,  // everything captured was refunded
};
std::string_view PaymentStatusName(PaymentStatus status);  // "pending", "partially_captured" …

enum class TransactionKind { kAuthorization, kCapture, kVoid, kRefund };
std::string_view TransactionKindName(TransactionKind kind);  // "authorization", "capture" …

struct PaymentTransaction {
  std::int64_t id = 0;
  TransactionKind kind = TransactionKind::kAuthorization;
  std::string status{};  // the provider's answer: ProviderStatusName
  std::int64_t amount_minor = 0;
  std::string currency{};
  std::string idempotency_key{};
  TimePoint created_at{};
};

struct Payment {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string order_reference{};  // the order this pays for, as the orders module names it
  std::string provider{};         // "test", "manual"
  std::string method{};           // "card", "bank_transfer", "cash_on_delivery"
  std::string provider_reference{};
  PaymentStatus status = PaymentStatus::kPending;
  std::string currency{};
  std::int64_t amount_minor = 0;  // authorised (or, while pending, requested)
  std::int64_t captured_minor = 0;
  std::int64_t refunded_minor = 0;
  std::string decline_reason{};
  std::string card_brand{};  // card payments only; the full number is never stored
  std::string card_last4{};
  TimePoint created_at{};
  TimePoint updated_at{};
  std::vector<PaymentTransaction> transactions{};  // oldest first
};

struct AuthorizeInput {
  std::string idempotency_key{};
  std::string order_reference{};  // 1..kMaxReferenceLength characters
  std::string provider{};         // a registered provider's name
  std::string method{};
  Money amount{};  // > 0
  std::optional<CardDetails> card{};
};

inline constexpr std::size_t kMaxReferenceLength = 100;

// A test-provider webhook whose signature was verified: the outcome it reports.
struct TestProviderEvent {
  std::string provider_reference{};
  bool succeeded = false;
  std::string reason{};  // why it failed; empty on success
};

// What recording an asynchronous outcome did.
struct Settlement {
  Payment payment;
  // True for the one call that moved the payment out of pending; false when a
  // redelivered (or concurrently delivered) webhook found it already settled.
  bool settled_now = false;
};

class PaymentService {
 public:
  // `providers` are looked up by name(); `test_provider` (may be null) verifies the test
  // provider's webhooks. Everything must outlive the service.
  PaymentService(store::Database& db, const Clock& clock, std::vector<PaymentProvider*> providers,
                 TestPaymentProvider* test_provider);

  // Authorises `input.amount`. A decline is a payment with status kDeclined (and a
  // payment.failed event), not an error. Errors: "payments/unknown-provider",
  // "payments/unsupported-method", "payments/invalid-card" (Luhn, expiry), validation.
  Result<Payment> Authorize(std::int64_t shop_id, const AuthorizeInput& input);
  // Captures `amount_minor` (all that remains when absent). "payments/invalid-state"
  // unless authorised or partially captured; "payments/capture-exceeds-authorized".
  Result<Payment> Capture(std::int64_t shop_id, std::int64_t payment_id, std::optional<std::int64_t> amount_minor,
                          const std::string& idempotency_key);
  // Releases an authorisation with nothing captured.
  Result<Payment> Void(std::int64_t shop_id, std::int64_t payment_id, const std::string& idempotency_key);
  // Refunds `amount_minor` (all that remains when absent) to the original payment.
  // "payments/refund-exceeds-captured" when more than captured minus refunded.
  Result<Payment> Refund(std::int64_t shop_id, std::int64_t payment_id, std::optional<std::int64_t> amount_minor,
                         const std::string& idempotency_key);
  // Staff confirm that a manual payment (bank transfer, cash on delivery) was received:
  // the full amount is captured. "payments/invalid-state" unless it is a pending manual
  // payment.
  Result<Payment> MarkPaid(std::int64_t shop_id, std::int64_t payment_id, const std::string& idempotency_key);
  // MarkPaid inside the caller's transaction, for a caller that changes its own records
  // in it (the orders module marks the order paid). The manual provider holds no state,
  // so nothing is called outside Plaza. A manual payment already captured is returned
  // with settled_now false, so retries and concurrent calls record the capture once.
  // REQUIRES: `tx` is a write transaction.
  Result<Settlement> MarkPaid(store::Transaction& tx, std::int64_t shop_id, std::int64_t payment_id,
                              const std::string& idempotency_key);

  Result<Payment> Get(std::int64_t shop_id, std::int64_t payment_id);
  Result<Payment> Get(store::Transaction& tx, std::int64_t shop_id, std::int64_t payment_id);
  // The order's payments, oldest first.
  Result<std::vector<Payment>> ListForOrder(std::int64_t shop_id, std::string_view order_reference);
  Result<std::vector<Payment>> ListForOrder(store::Transaction& tx, std::int64_t shop_id,
                                            std::string_view order_reference);

  // A webhook from the test provider: verifies `signature_header` against the raw body
  // and the shop's secret (constant time, kDefaultSignatureTolerance), then settles the
  // pending payment it names. Forged, malformed or stale signatures are kUnauthenticated
  // ("webhook/…") and change nothing. A webhook for a payment already settled is
  // accepted and changes nothing (providers redeliver).
  Result<Payment> HandleTestProviderWebhook(std::int64_t shop_id, std::string_view signature_header,
                                            std::string_view body);
  // The two halves of HandleTestProviderWebhook, for a caller that records the outcome
  // in its own transaction (the orders module settles the order with it). Verify reads
  // only the shop's secret; Settle writes the payment, its transaction and its event.
  Result<TestProviderEvent> VerifyTestProviderWebhook(std::int64_t shop_id, std::string_view signature_header,
                                                      std::string_view body);
  // REQUIRES: `tx` is a write transaction. "not found" when no payment has the reference.
  Result<Settlement> SettleTestProviderEvent(store::Transaction& tx, std::int64_t shop_id,
                                             const TestProviderEvent& event);

 private:
  struct Movement;

  PaymentProvider* FindProvider(std::string_view name) const;
  // Capture, void, refund and mark-paid: checks in a read transaction (a used key
  // answers at once), calls the provider outside any transaction, then checks again and
  // records the outcome, its transaction and its event in one write transaction.
  Result<Payment> Move(std::int64_t shop_id, std::int64_t payment_id, const std::string& idempotency_key,
                       const Movement& movement);

  store::Database& db_;
  const Clock& clock_;
  std::vector<PaymentProvider*> providers_;
  TestPaymentProvider* test_provider_;
};

}  // namespace plaza::payments
