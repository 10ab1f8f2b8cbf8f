#include "plaza/payments/test_provider.h"

#include <boost/json.hpp>
#include <chrono>

#include "plaza/channels/webhook_signature.h"
#include "plaza/core/crypto.h"

namespace plaza::payments {
namespace {

// Random bytes in a charge reference: unguessable, so one shop cannot name another's.
constexpr std::size_t kReferenceBytes = 12;
constexpr std::size_t kSecretBytes = 32;

bool IsUniqueViolation(const Error& error) {
  return error.type == "db/unique-violation";
}

std::optional<ProviderStatus> ParseStatus(std::string_view name) {
  for (ProviderStatus status :
       {ProviderStatus::kAuthorized, ProviderStatus::kDeclined, ProviderStatus::kPending, ProviderStatus::kCaptured,
        ProviderStatus::kVoided, ProviderStatus::kRefunded, ProviderStatus::kFailed}) {
    if (ProviderStatusName(status) == name) return status;
  }
  return std::nullopt;
}

std::string EncodeResult(const ProviderResult& result) {
  return boost::json::serialize(boost::json::object{{"status", ProviderStatusName(result.status)},
                                                    {"reference", result.provider_reference},
                                                    {"reason", result.decline_reason},
                                                    {"brand", result.card_brand},
                                                    {"last4", result.card_last4}});
}

Result<ProviderResult> DecodeResult(const std::string& text) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return Error::Internal("a stored test-provider result is not JSON");
  const boost::json::object& object = value.as_object();
  const auto field = [&](std::string_view key) -> std::string {
    const auto* found = object.if_contains(key);
    return found && found->is_string() ? std::string(found->as_string()) : std::string();
  };
  const auto status = ParseStatus(field("status"));
  if (!status) return Error::Internal("a stored test-provider result has no status");
  return ProviderResult{*status, field("reference"), field("reason"), field("brand"), field("last4")};
}

struct Charge {
  std::string status;
  std::string currency;
  std::int64_t amount_minor = 0;
  std::int64_t captured_minor = 0;
  std::int64_t refunded_minor = 0;
  std::string card_brand;
  std::string card_last4;
};

Result<std::optional<Charge>> FindCharge(store::Transaction& tx, std::int64_t shop_id, const std::string& reference) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT status, currency, amount_minor, captured_minor, refunded_minor, "
                                               "card_brand, card_last4 FROM test_provider_charges WHERE shop_id = ? "
                                               "AND reference = ?",
                                               {shop_id, reference}));
  if (!row) return std::optional<Charge>();
  return std::optional<Charge>(
      Charge{row->Text(0), row->Text(1), row->Int(2), row->Int(3), row->Int(4), row->Text(5), row->Text(6)});
}

Error ChargeNotFound() {
  return Error::NotFound("the test provider has no such charge");
}

Error InvalidCard(std::string detail, std::string field) {
  return Error::Invalid("payments/invalid-card", std::move(detail), std::move(field));
}

// Runs `effect` once per (shop, key): the first call's result is stored with the effect
// in one transaction, and later calls get it back.
Result<ProviderResult> OncePerKey(store::Database& db, std::int64_t shop_id, const std::string& key,
                                  std::string_view operation, TimePoint now,
                                  const std::function<Result<ProviderResult>(store::Transaction&)>& effect) {
  const auto attempt = [&]() -> Result<ProviderResult> {
    return db.Write([&](store::Transaction& tx) -> Result<ProviderResult> {
      PLAZA_ASSIGN_OR_RETURN(auto earlier,
                             tx.QueryOne("SELECT operation, result FROM test_provider_operations WHERE shop_id = ? AND "
                                         "idempotency_key = ?",
                                         {shop_id, key}));
      if (earlier) {
        if (earlier->Text(0) != operation) {
          return Error::Invalid("idempotency/key-reused", "this idempotency key was used for another operation",
                                "Idempotency-Key");
        }
        return DecodeResult(earlier->Text(1));
      }
      PLAZA_ASSIGN_OR_RETURN(ProviderResult result, effect(tx));
      PLAZA_TRY(
          tx.Execute("INSERT INTO test_provider_operations (shop_id, idempotency_key, operation, result, "
                     "created_at) VALUES (?, ?, ?, ?, ?)",
                     {shop_id, key, operation, EncodeResult(result), ToUnixMillis(now)}));
      return result;
    });
  };
  Result<ProviderResult> result = attempt();
  // A concurrent call with the same key committed first: its result is now stored.
  if (!result.ok() && IsUniqueViolation(result.error())) return attempt();
  return result;
}

}  // namespace

TestPaymentProvider::TestPaymentProvider(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Result<ProviderResult> TestPaymentProvider::Authorize(const AuthorizeRequest& request) {
  if (!request.card) return InvalidCard("card details are required", "/card");
  std::string digits;
  for (char c : request.card->number) {
    if (c != ' ') digits += c;
  }
  if (!PassesLuhn(digits)) return InvalidCard("the card number is not valid", "/card/number");
  const TimePoint now = clock_.Now();
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(now)};
  const int this_year = static_cast<int>(today.year());
  const int this_month = static_cast<int>(static_cast<unsigned>(today.month()));
  if (request.card->exp_month < 1 || request.card->exp_month > 12) {
    return InvalidCard("the expiry month is between 1 and 12", "/card/exp_month");
  }
  if (request.card->exp_year < this_year ||
      (request.card->exp_year == this_year && request.card->exp_month < this_month)) {
    return InvalidCard("the card has expired", "/card/exp_year");
  }

  ProviderResult decided;
  decided.card_brand = std::string(CardBrand(digits));
  decided.card_last4 = digits.substr(digits.size() - 4);
  if (digits == "4000000000000002") {
    decided.status = ProviderStatus::kDeclined;
    decided.decline_reason = "card_declined";
  } else if (digits == "4000000000009995") {
    decided.status = ProviderStatus::kDeclined;
    decided.decline_reason = "insufficient_funds";
  } else if (digits == "4000000000003220") {
    decided.status = ProviderStatus::kPending;
  } else {
    decided.status = ProviderStatus::kAuthorized;
  }
  decided.provider_reference = "tp_" + crypto::RandomToken(kReferenceBytes);

  return OncePerKey(db_, request.shop_id, request.idempotency_key, "authorize", now,
                    [&](store::Transaction& tx) -> Result<ProviderResult> {
                      PLAZA_TRY(tx.Execute(
                          "INSERT INTO test_provider_charges (shop_id, reference, status, currency, amount_minor, "
                          "decline_reason, card_brand, card_last4, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
                          "?, ?, ?, ?)",
                          {request.shop_id, decided.provider_reference, ProviderStatusName(decided.status),
                           request.amount.currency, request.amount.minor, decided.decline_reason, decided.card_brand,
                           decided.card_last4, ToUnixMillis(now), ToUnixMillis(now)}));
                      return decided;
                    });
}

Result<ProviderResult> TestPaymentProvider::Capture(std::int64_t shop_id, const std::string& provider_reference,
                                                    const Money& amount, const std::string& idempotency_key) {
  const TimePoint now = clock_.Now();
  return OncePerKey(
      db_, shop_id, idempotency_key, "capture", now, [&](store::Transaction& tx) -> Result<ProviderResult> {
        PLAZA_ASSIGN_OR_RETURN(auto charge, FindCharge(tx, shop_id, provider_reference));
        if (!charge) return ChargeNotFound();
        if (charge->status != "authorized") {
          return Error::Conflict("payments/invalid-state", "only an authorised charge can be captured");
        }
        PLAZA_ASSIGN_OR_RETURN(const std::int64_t captured, CheckedAdd(charge->captured_minor, amount.minor));
        if (amount.currency != charge->currency || amount.minor <= 0 || captured > charge->amount_minor) {
          return Error::Invalid("payments/capture-exceeds-authorized", "the capture exceeds the authorised amount",
                                "/amount_minor");
        }
        PLAZA_TRY(
            tx.Execute("UPDATE test_provider_charges SET captured_minor = ?, updated_at = ? WHERE shop_id = ? AND "
                       "reference = ?",
                       {captured, ToUnixMillis(now), shop_id, provider_reference}));
        return ProviderResult{
            ProviderStatus::kCaptured, provider_reference, {}, charge->card_brand, charge->card_last4};
      });
}

Result<ProviderResult> TestPaymentProvider::Void(std::int64_t shop_id, const std::string& provider_reference,
                                                 const std::string& idempotency_key) {
  const TimePoint now = clock_.Now();
  return OncePerKey(db_, shop_id, idempotency_key, "void", now, [&](store::Transaction& tx) -> Result<ProviderResult> {
    PLAZA_ASSIGN_OR_RETURN(auto charge, FindCharge(tx, shop_id, provider_reference));
    if (!charge) return ChargeNotFound();
    if (charge->status != "authorized" || charge->captured_minor != 0) {
      return Error::Conflict("payments/invalid-state", "only an authorised charge with nothing captured can be voided");
    }
    PLAZA_TRY(
        tx.Execute("UPDATE test_provider_charges SET status = 'voided', updated_at = ? WHERE shop_id = ? AND "
                   "reference = ?",
                   {ToUnixMillis(now), shop_id, provider_reference}));
    return ProviderResult{ProviderStatus::kVoided, provider_reference, {}, charge->card_brand, charge->card_last4};
  });
}

Result<ProviderResult> TestPaymentProvider::Refund(std::int64_t shop_id, const std::string& provider_reference,
                                                   const Money& amount, const std::string& idempotency_key) {
  const TimePoint now = clock_.Now();
  return OncePerKey(
      db_, shop_id, idempotency_key, "refund", now, [&](store::Transaction& tx) -> Result<ProviderResult> {
        PLAZA_ASSIGN_OR_RETURN(auto charge, FindCharge(tx, shop_id, provider_reference));
        if (!charge) return ChargeNotFound();
        PLAZA_ASSIGN_OR_RETURN(const std::int64_t refunded, CheckedAdd(charge->refunded_minor, amount.minor));
        if (amount.currency != charge->currency || amount.minor <= 0 || refunded > charge->captured_minor) {
          return Error::Invalid("payments/refund-exceeds-captured", "the refund exceeds what was captured",
                                "/amount_minor");
        }
        PLAZA_TRY(
            tx.Execute("UPDATE test_provider_charges SET refunded_minor = ?, updated_at = ? WHERE shop_id = ? AND "
                       "reference = ?",
                       {refunded, ToUnixMillis(now), shop_id, provider_reference}));
        return ProviderResult{
            ProviderStatus::kRefunded, provider_reference, {}, charge->card_brand, charge->card_last4};
      });
}

Result<std::string> TestPaymentProvider::WebhookSecret(std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(auto existing, db_.Read([&](store::Transaction& tx) {
    return tx.QueryOne("SELECT webhook_secret FROM test_provider_accounts WHERE shop_id = ?", {shop_id});
  }));
  if (existing) return existing->Text(0);
  const std::string secret = "tpwhsec_" + crypto::RandomToken(kSecretBytes);
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<std::string> {
    // Two first calls may race: whichever commits first decides the secret.
    PLAZA_TRY(
        tx.Execute("INSERT INTO test_provider_accounts (shop_id, webhook_secret, created_at) VALUES (?, ?, ?) "
                   "ON CONFLICT (shop_id) DO NOTHING",
                   {shop_id, secret, ToUnixMillis(now)}));
    PLAZA_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT webhook_secret FROM test_provider_accounts WHERE shop_id = ?", {shop_id}));
    if (!row) return Error::Internal("the webhook secret was not stored");
    return row->Text(0);
  });
}

Result<SignedWebhook> TestPaymentProvider::CompleteAsync(std::int64_t shop_id, const std::string& provider_reference,
                                                         bool succeeded, std::string_view reason, TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(const std::string secret, WebhookSecret(shop_id));
  const std::string failure_reason = succeeded ? std::string() : std::string(reason.empty() ? "failed" : reason);
  PLAZA_TRY(db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(auto charge, FindCharge(tx, shop_id, provider_reference));
    if (!charge) return ChargeNotFound();
    if (charge->status != "pending") return Error::Conflict("payments/not-pending", "the charge is not pending");
    PLAZA_TRY(tx.Execute(
        "UPDATE test_provider_charges SET status = ?, decline_reason = ?, updated_at = ? WHERE "
        "shop_id = ? AND reference = ?",
        {succeeded ? "authorized" : "failed", failure_reason, ToUnixMillis(now), shop_id, provider_reference}));
    return Ok();
  }));
  SignedWebhook webhook;
  webhook.body = boost::json::serialize(boost::json::object{
      {"type", succeeded ? "payment.succeeded" : "payment.failed"},
      {"reference", provider_reference},
      {"reason", failure_reason},
  });
  const std::string secrets[] = {secret};
  webhook.signature_header = channels::SignatureHeader(secrets, ToUnixMillis(now) / 1000, webhook.body);
  return webhook;
}

}  // namespace plaza::payments
