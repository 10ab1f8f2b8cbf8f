#include "plaza/payments/payment_service.h"

#include <boost/json.hpp>
#include <functional>

#include "plaza/channels/webhook_signature.h"
#include "plaza/payments/manual_provider.h"
#include "plaza/store/idempotency.h"
#include "plaza/store/outbox.h"

namespace plaza::payments {
namespace {

constexpr std::string_view kPaymentColumns =
    "id, shop_id, order_reference, provider, method, provider_reference, status, currency, amount_minor, "
    "captured_minor, refunded_minor, decline_reason, card_brand, card_last4, created_at, updated_at, "
    "request_fingerprint";
// A webhook body larger than this is not one the test provider sends.
constexpr std::size_t kMaxWebhookBody = 4096;

constexpr PaymentStatus kAllStatuses[] = {
    PaymentStatus::kPending, PaymentStatus::kAuthorized,        PaymentStatus::kDeclined,
    PaymentStatus::kFailed,  PaymentStatus::kPartiallyCaptured, PaymentStatus::kCaptured,
    PaymentStatus::kVoided,  PaymentStatus::kPartiallyRefunded, PaymentStatus::kRefunded,
};

PaymentStatus ParsePaymentStatus(std::string_view name) {
  for (PaymentStatus status : kAllStatuses) {
    if (PaymentStatusName(status) == name) return status;
  }
  return PaymentStatus::kFailed;
}

TransactionKind ParseKind(std::string_view name) {
  for (TransactionKind kind :
       {TransactionKind::kAuthorization, TransactionKind::kCapture, TransactionKind::kVoid, TransactionKind::kRefund}) {
    if (TransactionKindName(kind) == name) return kind;
  }
  return TransactionKind::kAuthorization;
}

bool IsUniqueViolation(const Error& error) {
  return error.type == "db/unique-violation";
}

Error PaymentNotFound() {
  return Error::NotFound("no such payment");
}

Error KeyReused() {
  return Error::Invalid("idempotency/key-reused", "this idempotency key was used for another request",
                        "Idempotency-Key");
}

Error InvalidState(std::string detail) {
  return Error::Conflict("payments/invalid-state", std::move(detail));
}

struct StoredPayment {
  Payment payment;
  std::string fingerprint;
};

StoredPayment PaymentFromRow(const store::Row& row) {
  StoredPayment stored;
  Payment& payment = stored.payment;
  payment.id = row.Int(0);
  payment.shop_id = row.Int(1);
  payment.order_reference = row.Text(2);
  payment.provider = row.Text(3);
  payment.method = row.Text(4);
  payment.provider_reference = row.Text(5);
  payment.status = ParsePaymentStatus(row.Text(6));
  payment.currency = row.Text(7);
  payment.amount_minor = row.Int(8);
  payment.captured_minor = row.Int(9);
  payment.refunded_minor = row.Int(10);
  payment.decline_reason = row.Text(11);
  payment.card_brand = row.Text(12);
  payment.card_last4 = row.Text(13);
  payment.created_at = FromUnixMillis(row.Int(14));
  payment.updated_at = FromUnixMillis(row.Int(15));
  stored.fingerprint = row.Text(16);
  return stored;
}

// Reads and writes of one shop's payment records inside a transaction.
class ShopPayments {
 public:
  ShopPayments(store::Transaction& tx, std::int64_t shop_id) : tx_(tx), shop_id_(shop_id) {}

  Result<std::optional<StoredPayment>> FindBy(std::string_view column, const store::Param& value) {
    PLAZA_ASSIGN_OR_RETURN(
        auto row, tx_.QueryOne("SELECT " + std::string(kPaymentColumns) + " FROM payments WHERE shop_id = ? AND " +
                                   std::string(column) + " = ?",
                               {shop_id_, value}));
    if (!row) return std::optional<StoredPayment>();
    StoredPayment stored = PaymentFromRow(*row);
    PLAZA_ASSIGN_OR_RETURN(stored.payment.transactions, Transactions(stored.payment.id));
    return std::optional<StoredPayment>(std::move(stored));
  }

  Result<Payment> Get(std::int64_t payment_id) {
    PLAZA_ASSIGN_OR_RETURN(auto stored, FindBy("id", payment_id));
    if (!stored) return PaymentNotFound();
    return std::move(stored->payment);
  }

  Result<std::vector<Payment>> ForOrder(std::string_view order_reference) {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx_.Execute("SELECT " + std::string(kPaymentColumns) +
                                                        " FROM payments WHERE shop_id = ? AND order_reference = ? "
                                                        "ORDER BY id",
                                                    {shop_id_, order_reference}));
    std::vector<Payment> payments;
    for (const store::Row& row : result.rows) {
      Payment payment = PaymentFromRow(row).payment;
      PLAZA_ASSIGN_OR_RETURN(payment.transactions, Transactions(payment.id));
      payments.push_back(std::move(payment));
    }
    return payments;
  }

  Result<std::vector<PaymentTransaction>> Transactions(std::int64_t payment_id) {
    PLAZA_ASSIGN_OR_RETURN(auto result,
                           tx_.Execute("SELECT id, kind, status, amount_minor, currency, idempotency_key, created_at "
                                       "FROM payment_transactions WHERE shop_id = ? AND payment_id = ? ORDER BY id",
                                       {shop_id_, payment_id}));
    std::vector<PaymentTransaction> transactions;
    for (const store::Row& row : result.rows) {
      transactions.push_back({row.Int(0), ParseKind(row.Text(1)), row.Text(2), row.Int(3), row.Text(4), row.Text(5),
                              FromUnixMillis(row.Int(6))});
    }
    return transactions;
  }

  // The payment a transaction key was used on, if any.
  Result<std::optional<std::int64_t>> PaymentOfTransactionKey(const std::string& key, TransactionKind kind) {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx_.QueryOne("SELECT payment_id, kind FROM payment_transactions WHERE shop_id = ? "
                                                  "AND idempotency_key = ?",
                                                  {shop_id_, key}));
    if (!row) return std::optional<std::int64_t>();
    if (row->Text(1) != TransactionKindName(kind)) return KeyReused();
    return std::optional<std::int64_t>(row->Int(0));
  }

  Status AddTransaction(const Payment& payment, TransactionKind kind, ProviderStatus status, std::int64_t amount,
                        const std::string& key, TimePoint now) {
    PLAZA_TRY(
        tx_.Execute("INSERT INTO payment_transactions (shop_id, payment_id, kind, status, amount_minor, currency, "
                    "idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    {shop_id_, payment.id, TransactionKindName(kind), ProviderStatusName(status), amount,
                     payment.currency, key, ToUnixMillis(now)}));
    return Ok();
  }

  Status SaveAmounts(const Payment& payment, TimePoint now) {
    PLAZA_TRY(
        tx_.Execute("UPDATE payments SET status = ?, captured_minor = ?, refunded_minor = ?, decline_reason = ?, "
                    "updated_at = ? WHERE shop_id = ? AND id = ?",
                    {PaymentStatusName(payment.status), payment.captured_minor, payment.refunded_minor,
                     payment.decline_reason, ToUnixMillis(now), shop_id_, payment.id}));
    return Ok();
  }

  Status AppendEvent(const Payment& payment, std::string_view event_type, std::int64_t amount, TimePoint now) {
    const boost::json::object payload{
        {"payment_id", payment.id},
        {"order_reference", payment.order_reference},
        {"provider", payment.provider},
        {"status", PaymentStatusName(payment.status)},
        {"currency", payment.currency},
        {"amount_minor", amount},
        {"authorized_minor", payment.amount_minor},
        {"captured_minor", payment.captured_minor},
        {"refunded_minor", payment.refunded_minor},
        {"decline_reason", payment.decline_reason},
    };
    store::OutboxEvent event;
    event.shop_id = shop_id_;
    event.aggregate_type = "payment";
    event.aggregate_id = std::to_string(payment.id);
    event.event_type = std::string(event_type);
    event.payload_json = boost::json::serialize(payload);
    PLAZA_TRY(store::AppendEvent(tx_, event, now));
    return Ok();
  }

 private:
  store::Transaction& tx_;
  std::int64_t shop_id_;
};

std::string Fingerprint(const AuthorizeInput& input) {
  return input.order_reference + "|" + input.provider + "|" + input.method + "|" + std::to_string(input.amount.minor) +
         "|" + input.amount.currency;
}

PaymentStatus AfterCapture(const Payment& payment) {
  return payment.captured_minor == payment.amount_minor ? PaymentStatus::kCaptured : PaymentStatus::kPartiallyCaptured;
}

PaymentStatus AfterRefund(const Payment& payment) {
  return payment.refunded_minor == payment.captured_minor ? PaymentStatus::kRefunded
                                                          : PaymentStatus::kPartiallyRefunded;
}

Result<std::int64_t> RequestedAmount(std::optional<std::int64_t> requested, std::int64_t remaining,
                                     std::string_view too_much_type, std::string_view what) {
  const std::int64_t amount = requested.value_or(remaining);
  if (amount <= 0) return Error::Invalid("validation/range", "the amount must be positive", "/amount_minor");
  if (amount > remaining) {
    return Error::Invalid(
        std::string(too_much_type),
        "the amount exceeds what remains " + std::string(what) + " (" + std::to_string(remaining) + ")",
        "/amount_minor");
  }
  return amount;
}

}  // namespace

std::string_view PaymentStatusName(PaymentStatus status) {
  switch (status) {
    case PaymentStatus::kPending:
      return "pending";
    case PaymentStatus::kAuthorized:
      return "authorized";
    case PaymentStatus::kDeclined:
      return "declined";
    case PaymentStatus::kFailed:
      return "failed";
    case PaymentStatus::kPartiallyCaptured:
      return "partially_captured";
    case PaymentStatus::kCaptured:
      return "captured";
    case PaymentStatus::kVoided:
      return "voided";
    case PaymentStatus::kPartiallyRefunded:
      return "partially_refunded";
    case PaymentStatus::kRefunded:
      return "refunded";
  }
  return "failed";
}

std::string_view TransactionKindName(TransactionKind kind) {
  switch (kind) {
    case TransactionKind::kAuthorization:
      return "authorization";
    case TransactionKind::kCapture:
      return "capture";
    case TransactionKind::kVoid:
      return "void";
    case TransactionKind::kRefund:
      return "refund";
  }
  return "authorization";
}

PaymentService::PaymentService(store::Database& db, const Clock& clock, std::vector<PaymentProvider*> providers,
                               TestPaymentProvider* test_provider)
    : db_(db), clock_(clock), providers_(std::move(providers)), test_provider_(test_provider) {}

PaymentProvider* PaymentService::FindProvider(std::string_view name) const {
  for (PaymentProvider* provider : providers_) {
    if (provider->name() == name) return provider;
  }
  return nullptr;
}

Result<Payment> PaymentService::Authorize(std::int64_t shop_id, const AuthorizeInput& input) {
  PLAZA_TRY(store::ValidateIdempotencyKey(input.idempotency_key));
  if (input.order_reference.empty() || input.order_reference.size() > kMaxReferenceLength) {
    return Error::Invalid("validation/length",
                          "the order reference has 1 to " + std::to_string(kMaxReferenceLength) + " characters",
                          "/order_reference");
  }
  if (auto currency = FindCurrency(input.amount.currency); !currency.ok()) {
    Error error = std::move(currency).error();
    error.field = "/currency";
    return error;
  }
  if (input.amount.minor <= 0) {
    return Error::Invalid("validation/range", "the amount must be positive", "/amount_minor");
  }
  PaymentProvider* provider = FindProvider(input.provider);
  if (provider == nullptr) {
    return Error::Invalid("payments/unknown-provider", "no payment provider is called '" + input.provider + "'",
                          "/provider");
  }
  if (!provider->Accepts(input.method)) {
    return Error::Invalid("payments/unsupported-method",
                          "provider '" + input.provider + "' does not take '" + input.method + "'", "/method");
  }
  const std::string fingerprint = Fingerprint(input);
  const auto replay = [&](store::Transaction& tx) -> Result<std::optional<Payment>> {
    PLAZA_ASSIGN_OR_RETURN(auto earlier, ShopPayments(tx, shop_id).FindBy("idempotency_key", input.idempotency_key));
    if (!earlier) return std::optional<Payment>();
    if (earlier->fingerprint != fingerprint) return KeyReused();
    return std::optional<Payment>(std::move(earlier->payment));
  };
  PLAZA_ASSIGN_OR_RETURN(auto earlier, db_.Read(replay));
  if (earlier) return std::move(*earlier);

  AuthorizeRequest request{shop_id, input.idempotency_key, input.method, input.amount, input.card};
  PLAZA_ASSIGN_OR_RETURN(const ProviderResult result, provider->Authorize(request));

  const TimePoint now = clock_.Now();
  const auto record = [&](store::Transaction& tx) -> Result<Payment> {
    PLAZA_ASSIGN_OR_RETURN(auto raced, replay(tx));
    if (raced) return std::move(*raced);
    Payment payment;
    switch (result.status) {
      case ProviderStatus::kAuthorized:
        payment.status = PaymentStatus::kAuthorized;
        break;
      case ProviderStatus::kPending:
        payment.status = PaymentStatus::kPending;
        break;
      case ProviderStatus::kDeclined:
        payment.status = PaymentStatus::kDeclined;
        break;
      default:
        payment.status = PaymentStatus::kFailed;
        break;
    }
    PLAZA_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("INSERT INTO payments (shop_id, order_reference, provider, method, provider_reference, status, "
                    "currency, amount_minor, decline_reason, card_brand, card_last4, idempotency_key, "
                    "request_fingerprint, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "?) RETURNING id",
                    {shop_id, input.order_reference, input.provider, input.method, result.provider_reference,
                     PaymentStatusName(payment.status), input.amount.currency, input.amount.minor,
                     result.decline_reason, result.card_brand, result.card_last4, input.idempotency_key, fingerprint,
                     ToUnixMillis(now), ToUnixMillis(now)}));
    if (!row) return Error::Internal("the new payment has no id");
    ShopPayments payments(tx, shop_id);
    PLAZA_ASSIGN_OR_RETURN(payment, payments.Get(row->Int(0)));
    PLAZA_TRY(payments.AddTransaction(payment, TransactionKind::kAuthorization, result.status, input.amount.minor,
                                      input.idempotency_key, now));
    if (payment.status == PaymentStatus::kAuthorized) {
      PLAZA_TRY(payments.AppendEvent(payment, "payment.authorized", payment.amount_minor, now));
    } else if (payment.status == PaymentStatus::kDeclined || payment.status == PaymentStatus::kFailed) {
      PLAZA_TRY(payments.AppendEvent(payment, "payment.failed", payment.amount_minor, now));
    }
    return payments.Get(payment.id);
  };
  Result<Payment> recorded = db_.Write(record);
  // A concurrent retry with the same key recorded the payment first.
  if (!recorded.ok() && IsUniqueViolation(recorded.error())) return db_.Write(record);
  return recorded;
}

// What distinguishes capture, void, refund and marking a manual payment paid; Move()
// runs them all the same way.
struct PaymentService::Movement {
  TransactionKind kind;
  // The provider's answer as recorded on the transaction.
  ProviderStatus recorded_status;
  std::string_view event_type;
  // Whether the payment may move now, and how much (0 for a void). Checked before the
  // provider call and again in the recording transaction.
  std::function<Result<std::int64_t>(const Payment&)> check;
  // The payment's amounts and status after moving `amount`; fails when a concurrent
  // movement recorded first took what this one counted on.
  std::function<Status(Payment&, std::int64_t amount)> apply;
};

Result<Payment> PaymentService::Move(std::int64_t shop_id, std::int64_t payment_id, const std::string& idempotency_key,
                                     const Movement& movement) {
  PLAZA_TRY(store::ValidateIdempotencyKey(idempotency_key));
  // Checks and prepares; returns the payment as it stands when the key was already used.
  struct Plan {
    Payment payment;
    bool replay = false;
    std::int64_t amount = 0;
  };
  const auto plan = [&](store::Transaction& tx) -> Result<Plan> {
    ShopPayments payments(tx, shop_id);
    PLAZA_ASSIGN_OR_RETURN(Payment payment, payments.Get(payment_id));
    PLAZA_ASSIGN_OR_RETURN(auto used, payments.PaymentOfTransactionKey(idempotency_key, movement.kind));
    if (used) {
      if (*used != payment_id) return KeyReused();
      return Plan{std::move(payment), true, 0};
    }
    PLAZA_ASSIGN_OR_RETURN(const std::int64_t amount, movement.check(payment));
    return Plan{std::move(payment), false, amount};
  };
  PLAZA_ASSIGN_OR_RETURN(Plan first, db_.Read(plan));
  if (first.replay) return std::move(first.payment);
  PaymentProvider* provider = FindProvider(first.payment.provider);
  if (provider == nullptr) return Error::Internal("the payment's provider is not configured");
  const Payment& planned = first.payment;
  const Money amount{first.amount, planned.currency};
  Result<ProviderResult> called = movement.kind == TransactionKind::kVoid
                                      ? provider->Void(shop_id, planned.provider_reference, idempotency_key)
                                  : movement.kind == TransactionKind::kRefund
                                      ? provider->Refund(shop_id, planned.provider_reference, amount, idempotency_key)
                                      : provider->Capture(shop_id, planned.provider_reference, amount, idempotency_key);
  if (!called.ok()) return std::move(called).error();
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Payment> {
    PLAZA_ASSIGN_OR_RETURN(Plan current, plan(tx));
    if (current.replay) return std::move(current.payment);
    Payment& payment = current.payment;
    PLAZA_TRY(movement.apply(payment, first.amount));
    ShopPayments payments(tx, shop_id);
    PLAZA_TRY(payments.SaveAmounts(payment, now));
    PLAZA_TRY(
        payments.AddTransaction(payment, movement.kind, movement.recorded_status, first.amount, idempotency_key, now));
    PLAZA_TRY(payments.AppendEvent(payment, movement.event_type, first.amount, now));
    return payments.Get(payment_id);
  });
}

Result<Payment> PaymentService::Capture(std::int64_t shop_id, std::int64_t payment_id,
                                        std::optional<std::int64_t> amount_minor, const std::string& idempotency_key) {
  const Movement capture{
      .kind = TransactionKind::kCapture,
      .recorded_status = ProviderStatus::kCaptured,
      .event_type = "payment.captured",
      .check = [&](const Payment& payment) -> Result<std::int64_t> {
        if (payment.status != PaymentStatus::kAuthorized && payment.status != PaymentStatus::kPartiallyCaptured) {
          return InvalidState("a " + std::string(PaymentStatusName(payment.status)) + " payment cannot be captured");
        }
        return RequestedAmount(amount_minor, payment.amount_minor - payment.captured_minor,
                               "payments/capture-exceeds-authorized", "authorised");
      },
      .apply = [](Payment& payment, std::int64_t amount) -> Status {
        PLAZA_ASSIGN_OR_RETURN(payment.captured_minor, CheckedAdd(payment.captured_minor, amount));
        if (payment.captured_minor > payment.amount_minor) {
          return Error::Invalid("payments/capture-exceeds-authorized", "the capture exceeds the authorised amount",
                                "/amount_minor");
        }
        payment.status = AfterCapture(payment);
        return Ok();
      }};
  return Move(shop_id, payment_id, idempotency_key, capture);
}

Result<Payment> PaymentService::Void(std::int64_t shop_id, std::int64_t payment_id,
                                     const std::string& idempotency_key) {
  const Movement release{
      .kind = TransactionKind::kVoid,
      .recorded_status = ProviderStatus::kVoided,
      .event_type = "payment.voided",
      .check = [](const Payment& payment) -> Result<std::int64_t> {
        if (payment.status != PaymentStatus::kAuthorized && payment.status != PaymentStatus::kPending) {
          return InvalidState("only an authorised payment with nothing captured can be voided");
        }
        return std::int64_t{0};
      },
      .apply = [](Payment& payment, std::int64_t) -> Status {
        payment.status = PaymentStatus::kVoided;
        return Ok();
      }};
  return Move(shop_id, payment_id, idempotency_key, release);
}

Result<Payment> PaymentService::Refund(std::int64_t shop_id, std::int64_t payment_id,
                                       std::optional<std::int64_t> amount_minor, const std::string& idempotency_key) {
  const Movement refund{.kind = TransactionKind::kRefund,
                        .recorded_status = ProviderStatus::kRefunded,
                        .event_type = "payment.refunded",
                        .check = [&](const Payment& payment) -> Result<std::int64_t> {
                          if (payment.captured_minor == 0) {
                            return Error::Invalid("payments/refund-exceeds-captured",
                                                  "nothing was captured, so nothing can be refunded", "/amount_minor");
                          }
                          return RequestedAmount(amount_minor, payment.captured_minor - payment.refunded_minor,
                                                 "payments/refund-exceeds-captured", "captured and not refunded");
                        },
                        .apply = [](Payment& payment, std::int64_t amount) -> Status {
                          PLAZA_ASSIGN_OR_RETURN(payment.refunded_minor, CheckedAdd(payment.refunded_minor, amount));
                          if (payment.refunded_minor > payment.captured_minor) {
                            return Error::Invalid("payments/refund-exceeds-captured",
                                                  "the refund exceeds what was captured", "/amount_minor");
                          }
                          payment.status = AfterRefund(payment);
                          return Ok();
                        }};
  return Move(shop_id, payment_id, idempotency_key, refund);
}

Result<Payment> PaymentService::MarkPaid(std::int64_t shop_id, std::int64_t payment_id,
                                         const std::string& idempotency_key) {
  const Movement mark_paid{
      .kind = TransactionKind::kCapture,
      .recorded_status = ProviderStatus::kCaptured,
      .event_type = "payment.captured",
      .check = [](const Payment& payment) -> Result<std::int64_t> {
        if (payment.provider != kManualProviderName || payment.status != PaymentStatus::kPending) {
          return InvalidState("only a pending bank transfer or cash-on-delivery payment can be marked paid");
        }
        return payment.amount_minor;
      },
      .apply = [](Payment& payment, std::int64_t amount) -> Status {
        payment.captured_minor = amount;
        payment.status = PaymentStatus::kCaptured;
        return Ok();
      }};
  return Move(shop_id, payment_id, idempotency_key, mark_paid);
}

Result<Settlement> PaymentService::MarkPaid(store::Transaction& tx, std::int64_t shop_id, std::int64_t payment_id,
                                            const std::string& idempotency_key) {
  PLAZA_TRY(store::ValidateIdempotencyKey(idempotency_key));
  const TimePoint now = clock_.Now();
  ShopPayments payments(tx, shop_id);
  PLAZA_ASSIGN_OR_RETURN(Payment payment, payments.Get(payment_id));
  PLAZA_ASSIGN_OR_RETURN(auto used, payments.PaymentOfTransactionKey(idempotency_key, TransactionKind::kCapture));
  if (used && *used != payment_id) return KeyReused();
  if (payment.provider == kManualProviderName && payment.status == PaymentStatus::kCaptured)
    return Settlement{std::move(payment), false};
  if (payment.provider != kManualProviderName || payment.status != PaymentStatus::kPending)
    return InvalidState("only a pending bank transfer or cash-on-delivery payment can be marked paid");
  payment.captured_minor = payment.amount_minor;
  payment.status = PaymentStatus::kCaptured;
  PLAZA_TRY(payments.SaveAmounts(payment, now));
  PLAZA_TRY(payments.AddTransaction(payment, TransactionKind::kCapture, ProviderStatus::kCaptured, payment.amount_minor,
                                    idempotency_key, now));
  PLAZA_TRY(payments.AppendEvent(payment, "payment.captured", payment.amount_minor, now));
  PLAZA_ASSIGN_OR_RETURN(payment, payments.Get(payment_id));
  return Settlement{std::move(payment), true};
}

Result<Payment> PaymentService::Get(std::int64_t shop_id, std::int64_t payment_id) {
  return db_.Read([&](store::Transaction& tx) { return Get(tx, shop_id, payment_id); });
}

Result<Payment> PaymentService::Get(store::Transaction& tx, std::int64_t shop_id, std::int64_t payment_id) {
  return ShopPayments(tx, shop_id).Get(payment_id);
}

Result<std::vector<Payment>> PaymentService::ListForOrder(std::int64_t shop_id, std::string_view order_reference) {
  return db_.Read([&](store::Transaction& tx) { return ListForOrder(tx, shop_id, order_reference); });
}

Result<std::vector<Payment>> PaymentService::ListForOrder(store::Transaction& tx, std::int64_t shop_id,
                                                          std::string_view order_reference) {
  return ShopPayments(tx, shop_id).ForOrder(order_reference);
}

Result<Payment> PaymentService::HandleTestProviderWebhook(std::int64_t shop_id, std::string_view signature_header,
                                                          std::string_view body) {
  PLAZA_ASSIGN_OR_RETURN(const TestProviderEvent event, VerifyTestProviderWebhook(shop_id, signature_header, body));
  PLAZA_ASSIGN_OR_RETURN(Settlement settlement, db_.Write([&](store::Transaction& tx) {
    return SettleTestProviderEvent(tx, shop_id, event);
  }));
  return std::move(settlement.payment);
}

Result<TestProviderEvent> PaymentService::VerifyTestProviderWebhook(std::int64_t shop_id,
                                                                    std::string_view signature_header,
                                                                    std::string_view body) {
  if (test_provider_ == nullptr) return Error::NotFound("the test provider is not enabled");
  if (body.size() > kMaxWebhookBody) return Error{ErrorCode::kPayloadTooLarge, "payments/webhook-too-large", "", ""};
  PLAZA_ASSIGN_OR_RETURN(const std::string secret, test_provider_->WebhookSecret(shop_id));
  PLAZA_TRY(channels::VerifySignature(signature_header, body, secret, clock_.Now()));

  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(body, ec);
  const auto invalid = [] {
    return Error::Invalid("payments/invalid-webhook", "the webhook body is not a test-provider event");
  };
  if (ec || !parsed.is_object()) return invalid();
  const boost::json::object& object = parsed.as_object();
  const auto text = [&](std::string_view key) -> std::optional<std::string> {
    const auto* value = object.if_contains(key);
    if (value == nullptr || !value->is_string()) return std::nullopt;
    return std::string(value->as_string());
  };
  const auto type = text("type");
  const auto reference = text("reference");
  if (!type || !reference || (*type != "payment.succeeded" && *type != "payment.failed")) return invalid();
  TestProviderEvent event{.provider_reference = *reference, .succeeded = *type == "payment.succeeded"};
  if (!event.succeeded) event.reason = text("reason").value_or("failed");
  return event;
}

Result<Settlement> PaymentService::SettleTestProviderEvent(store::Transaction& tx, std::int64_t shop_id,
                                                           const TestProviderEvent& event) {
  const TimePoint now = clock_.Now();
  ShopPayments payments(tx, shop_id);
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM payments WHERE shop_id = ? AND provider = ? AND "
                                               "provider_reference = ?",
                                               {shop_id, kTestProviderName, event.provider_reference}));
  if (!row) return PaymentNotFound();
  PLAZA_ASSIGN_OR_RETURN(Payment payment, payments.Get(row->Int(0)));
  // A redelivered webhook finds the payment already settled.
  if (payment.status != PaymentStatus::kPending) return Settlement{std::move(payment), false};
  payment.status = event.succeeded ? PaymentStatus::kAuthorized : PaymentStatus::kFailed;
  if (!event.succeeded) payment.decline_reason = event.reason;
  PLAZA_TRY(payments.SaveAmounts(payment, now));
  PLAZA_TRY(payments.AddTransaction(payment, TransactionKind::kAuthorization,
                                    event.succeeded ? ProviderStatus::kAuthorized : ProviderStatus::kFailed,
                                    payment.amount_minor, "webhook:" + event.provider_reference, now));
  PLAZA_TRY(payments.AppendEvent(payment, event.succeeded ? "payment.authorized" : "payment.failed",
                                 payment.amount_minor, now));
  PLAZA_ASSIGN_OR_RETURN(payment, payments.Get(payment.id));
  return Settlement{std::move(payment), true};
}

}  // namespace plaza::payments
