#include "plaza/payments/payment_service.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "plaza/channels/webhook_signature.h"
#include "plaza/core/crypto.h"
#include "plaza/payments/manual_provider.h"
#include "plaza/payments/migrations.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::payments {
namespace {

constexpr std::int64_t kShop = 1;
constexpr std::int64_t kOtherShop = 2;

class PaymentServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  PaymentServiceTest()
      : test_db_(GetParam()),
        clock_(FromUnixMillis(1'795'000'000'000)),  // November 2026
        test_provider_(test_db_.db(), clock_),
        service_(test_db_.db(), clock_, {&test_provider_, &manual_provider_}, &test_provider_) {}

  void SetUp() override {
    crypto::InitCrypto();
    const Status migrated =
        store::Migrate(test_db_.db(), std::vector<store::MigrationSet>{store::StoreMigrations(), PaymentsMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  static AuthorizeInput Card(std::string key, std::string number, std::int64_t amount = 10'000) {
    AuthorizeInput input;
    input.idempotency_key = std::move(key);
    input.order_reference = "ord_1";
    input.provider = "test";
    input.method = "card";
    input.amount = Money{amount, "EUR"};
    input.card = CardDetails{std::move(number), 12, 2030, "123"};
    return input;
  }

  Payment Authorized(std::string key, std::int64_t amount = 10'000) {
    auto payment = service_.Authorize(kShop, Card(std::move(key), "4242424242424242", amount));
    EXPECT_TRUE(payment.ok()) << payment.error().type << " " << payment.error().detail;
    EXPECT_EQ(payment->status, PaymentStatus::kAuthorized);
    return payment.ok() ? *payment : Payment{};
  }

  std::int64_t Count(const std::string& sql) {
    auto row = test_db_.db().Read([&](store::Transaction& tx) { return tx.QueryOne(sql); });
    EXPECT_TRUE(row.ok() && *row);
    return row.ok() && *row ? (*row)->Int(0) : -1;
  }
  std::int64_t Events(const std::string& type) {
    return Count("SELECT COUNT(*) FROM outbox_events WHERE aggregate_type = 'payment' AND event_type = '" + type + "'");
  }
  // Everything Plaza's payment record and the outbox hold, to show a refused call wrote nothing.
  std::int64_t RecordedRows() {
    return Count(
        "SELECT (SELECT COUNT(*) FROM payments) + (SELECT COUNT(*) FROM payment_transactions) + "
        "(SELECT COUNT(*) FROM outbox_events)");
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  TestPaymentProvider test_provider_;
  ManualPaymentProvider manual_provider_;
  PaymentService service_;
};

TEST(CardNumbersTest, LuhnAndBrands) {
  EXPECT_TRUE(PassesLuhn("4242424242424242"));
  EXPECT_TRUE(PassesLuhn("4242 4242 4242 4242"));
  EXPECT_TRUE(PassesLuhn("4000000000003220"));
  EXPECT_FALSE(PassesLuhn("4242424242424241"));
  EXPECT_FALSE(PassesLuhn("42424242"));
  EXPECT_FALSE(PassesLuhn("4242-4242-4242-4242"));
  EXPECT_FALSE(PassesLuhn("42424242424242424242"));
  EXPECT_EQ(CardBrand("4242424242424242"), "visa");
  EXPECT_EQ(CardBrand("5555555555554444"), "mastercard");
  EXPECT_EQ(CardBrand("2223003122003222"), "mastercard");
  EXPECT_EQ(CardBrand("378282246310005"), "amex");
  EXPECT_EQ(CardBrand("6011111111111117"), "discover");
}

TEST_P(PaymentServiceTest, SucceedingCardIsAuthorisedAndOnlyItsLastFourDigitsAreKept) {
  const Payment payment = Authorized("auth-1");
  EXPECT_EQ(payment.card_brand, "visa");
  EXPECT_EQ(payment.card_last4, "4242");
  EXPECT_EQ(payment.amount_minor, 10'000);
  EXPECT_TRUE(payment.provider_reference.starts_with("tp_"));
  ASSERT_EQ(payment.transactions.size(), 1u);
  EXPECT_EQ(payment.transactions[0].kind, TransactionKind::kAuthorization);
  EXPECT_EQ(payment.transactions[0].status, "authorized");
  EXPECT_EQ(Events("payment.authorized"), 1);
  // No column of either side's tables holds the full number.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments WHERE card_last4 = '4242' AND card_brand = 'visa'"), 1);
  for (const char* table : {"payments", "payment_transactions", "test_provider_charges", "test_provider_operations"}) {
    auto rows =
        test_db_.db().Read([&](store::Transaction& tx) { return tx.Execute("SELECT * FROM " + std::string(table)); });
    ASSERT_TRUE(rows.ok());
    for (const store::Row& row : rows->rows) {
      for (std::size_t column = 0; column < row.size(); ++column) {
        EXPECT_EQ(row.Text(column).find("424242424242"), std::string::npos) << table;
      }
    }
  }
}

TEST_P(PaymentServiceTest, DeclinedCardsCarryTheirReason) {
  auto declined = service_.Authorize(kShop, Card("auth-d1", "4000000000000002"));
  ASSERT_TRUE(declined.ok());
  EXPECT_EQ(declined->status, PaymentStatus::kDeclined);
  EXPECT_EQ(declined->decline_reason, "card_declined");
  auto poor = service_.Authorize(kShop, Card("auth-d2", "4000 0000 0000 9995"));
  ASSERT_TRUE(poor.ok());
  EXPECT_EQ(poor->status, PaymentStatus::kDeclined);
  EXPECT_EQ(poor->decline_reason, "insufficient_funds");
  EXPECT_EQ(poor->card_last4, "9995");
  EXPECT_EQ(Events("payment.failed"), 2);
  EXPECT_EQ(Events("payment.authorized"), 0);
  // A declined payment cannot be captured.
  EXPECT_EQ(service_.Capture(kShop, declined->id, std::nullopt, "cap-d1").error().type, "payments/invalid-state");
}

TEST_P(PaymentServiceTest, InvalidCardsAreRefusedBeforeAnythingIsRecorded) {
  auto bad = service_.Authorize(kShop, Card("auth-x", "4242424242424241"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().type, "payments/invalid-card");
  EXPECT_EQ(bad.error().field, "/card/number");
  AuthorizeInput expired = Card("auth-y", "4242424242424242");
  expired.card->exp_year = 2025;
  EXPECT_EQ(service_.Authorize(kShop, expired).error().field, "/card/exp_year");
  AuthorizeInput wrong_method = Card("auth-z", "4242424242424242");
  wrong_method.method = "bank_transfer";
  EXPECT_EQ(service_.Authorize(kShop, wrong_method).error().type, "payments/unsupported-method");
  AuthorizeInput no_key = Card("", "4242424242424242");
  EXPECT_EQ(service_.Authorize(kShop, no_key).error().type, "idempotency/invalid-key");
  EXPECT_EQ(RecordedRows(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM test_provider_charges"), 0);
}

TEST_P(PaymentServiceTest, TenAuthorisesWithOneKeyAreOneAuthorisation) {
  const Payment first = Authorized("auth-retry");
  for (int attempt = 0; attempt < 9; ++attempt) {
    auto again = service_.Authorize(kShop, Card("auth-retry", "4242424242424242"));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->id, first.id);
    EXPECT_EQ(again->provider_reference, first.provider_reference);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payment_transactions"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM test_provider_charges"), 1);
  EXPECT_EQ(Events("payment.authorized"), 1);
  // The same key for another amount is a client bug, not a replay.
  EXPECT_EQ(service_.Authorize(kShop, Card("auth-retry", "4242424242424242", 9'999)).error().type,
            "idempotency/key-reused");
}

TEST_P(PaymentServiceTest, ConcurrentAuthorisesWithOneKeyChargeOnce) {
  constexpr std::size_t kThreads = 6;
  std::vector<std::thread> threads;
  std::vector<Result<Payment>> results(kThreads, Error::Internal("not run"));
  for (std::size_t i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { results[i] = service_.Authorize(kShop, Card("auth-race", "4242424242424242")); });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.error().type << " " << result.error().detail;
    EXPECT_EQ(result->id, results[0]->id);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM test_provider_charges"), 1);
  EXPECT_EQ(Events("payment.authorized"), 1);
}

TEST_P(PaymentServiceTest, PartialCapturesAndRefundsSumExactly) {
  const Payment payment = Authorized("auth-p", 10'000);
  auto captured = service_.Capture(kShop, payment.id, 3'000, "cap-1");
  ASSERT_TRUE(captured.ok()) << captured.error().detail;
  EXPECT_EQ(captured->status, PaymentStatus::kPartiallyCaptured);
  // A retried capture moves nothing.
  captured = service_.Capture(kShop, payment.id, 3'000, "cap-1");
  ASSERT_TRUE(captured.ok());
  EXPECT_EQ(captured->captured_minor, 3'000);
  EXPECT_EQ(service_.Capture(kShop, payment.id, 7'001, "cap-2").error().type, "payments/capture-exceeds-authorized");
  captured = service_.Capture(kShop, payment.id, std::nullopt, "cap-3");  // the remaining 7000
  ASSERT_TRUE(captured.ok());
  EXPECT_EQ(captured->captured_minor, 10'000);
  EXPECT_EQ(captured->status, PaymentStatus::kCaptured);

  auto refunded = service_.Refund(kShop, payment.id, 2'500, "ref-1");
  ASSERT_TRUE(refunded.ok()) << refunded.error().detail;
  refunded = service_.Refund(kShop, payment.id, 2'500, "ref-1");
  ASSERT_TRUE(refunded.ok());
  refunded = service_.Refund(kShop, payment.id, 2'500, "ref-2");
  ASSERT_TRUE(refunded.ok());
  EXPECT_EQ(refunded->refunded_minor, 5'000);
  EXPECT_EQ(refunded->status, PaymentStatus::kPartiallyRefunded);
  const std::int64_t before = RecordedRows();
  auto too_much = service_.Refund(kShop, payment.id, 5'001, "ref-3");
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.error().type, "payments/refund-exceeds-captured");
  EXPECT_EQ(RecordedRows(), before);
  refunded = service_.Refund(kShop, payment.id, std::nullopt, "ref-4");
  ASSERT_TRUE(refunded.ok());
  EXPECT_EQ(refunded->refunded_minor, 10'000);
  EXPECT_EQ(refunded->status, PaymentStatus::kRefunded);
  EXPECT_EQ(refunded->transactions.size(), 6u);  // authorisation, 2 captures, 3 refunds
  EXPECT_EQ(Events("payment.captured"), 2);
  EXPECT_EQ(Events("payment.refunded"), 3);
  EXPECT_EQ(Count("SELECT captured_minor - refunded_minor FROM test_provider_charges"), 0);
}

TEST_P(PaymentServiceTest, RefundAboveCapturedIsRefusedOnAPartlyCapturedPayment) {
  const Payment payment = Authorized("auth-r", 10'000);
  EXPECT_EQ(service_.Refund(kShop, payment.id, 1, "ref-0").error().type, "payments/refund-exceeds-captured");
  ASSERT_TRUE(service_.Capture(kShop, payment.id, 3'000, "cap-1").ok());
  EXPECT_EQ(service_.Refund(kShop, payment.id, 3'001, "ref-1").error().type, "payments/refund-exceeds-captured");
  EXPECT_EQ(service_.Refund(kShop, payment.id, 0, "ref-2").error().type, "validation/range");
  auto refunded = service_.Refund(kShop, payment.id, 3'000, "ref-3");
  ASSERT_TRUE(refunded.ok());
  EXPECT_EQ(refunded->status, PaymentStatus::kRefunded);
  // A key used for a capture cannot be replayed as a refund.
  EXPECT_EQ(service_.Refund(kShop, payment.id, 1, "cap-1").error().type, "idempotency/key-reused");
}

TEST_P(PaymentServiceTest, VoidReleasesAnAuthorisation) {
  const Payment payment = Authorized("auth-v");
  auto voided = service_.Void(kShop, payment.id, "void-1");
  ASSERT_TRUE(voided.ok()) << voided.error().detail;
  EXPECT_EQ(voided->status, PaymentStatus::kVoided);
  EXPECT_TRUE(service_.Void(kShop, payment.id, "void-1").ok());  // replay
  EXPECT_EQ(service_.Capture(kShop, payment.id, std::nullopt, "cap-v").error().type, "payments/invalid-state");
  EXPECT_EQ(Events("payment.voided"), 1);
}

TEST_P(PaymentServiceTest, AsyncCardIsConfirmedThroughASignedWebhook) {
  auto pending = service_.Authorize(kShop, Card("auth-3ds", "4000000000003220"));
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->status, PaymentStatus::kPending);
  EXPECT_EQ(Events("payment.authorized"), 0);

  auto webhook = test_provider_.CompleteAsync(kShop, pending->provider_reference, true, "", clock_.Now());
  ASSERT_TRUE(webhook.ok()) << webhook.error().detail;
  auto settled = service_.HandleTestProviderWebhook(kShop, webhook->signature_header, webhook->body);
  ASSERT_TRUE(settled.ok()) << settled.error().type << " " << settled.error().detail;
  EXPECT_EQ(settled->status, PaymentStatus::kAuthorized);
  EXPECT_EQ(Events("payment.authorized"), 1);
  // A redelivery changes nothing.
  settled = service_.HandleTestProviderWebhook(kShop, webhook->signature_header, webhook->body);
  ASSERT_TRUE(settled.ok());
  EXPECT_EQ(Events("payment.authorized"), 1);
  EXPECT_EQ(settled->transactions.size(), 2u);
  EXPECT_TRUE(service_.Capture(kShop, pending->id, std::nullopt, "cap-3ds").ok());
}

TEST_P(PaymentServiceTest, AsyncCardCanFailThroughTheWebhook) {
  auto pending = service_.Authorize(kShop, Card("auth-3ds", "4000000000003220"));
  ASSERT_TRUE(pending.ok());
  auto webhook =
      test_provider_.CompleteAsync(kShop, pending->provider_reference, false, "authentication_failed", clock_.Now());
  ASSERT_TRUE(webhook.ok());
  auto settled = service_.HandleTestProviderWebhook(kShop, webhook->signature_header, webhook->body);
  ASSERT_TRUE(settled.ok());
  EXPECT_EQ(settled->status, PaymentStatus::kFailed);
  EXPECT_EQ(settled->decline_reason, "authentication_failed");
  EXPECT_EQ(Events("payment.failed"), 1);
}

TEST_P(PaymentServiceTest, ForgedOrStaleWebhooksAreRefusedWithNothingWritten) {
  auto pending = service_.Authorize(kShop, Card("auth-3ds", "4000000000003220"));
  ASSERT_TRUE(pending.ok());
  auto webhook = test_provider_.CompleteAsync(kShop, pending->provider_reference, true, "", clock_.Now());
  ASSERT_TRUE(webhook.ok());
  const std::int64_t before = RecordedRows();
  const std::int64_t now_seconds = ToUnixMillis(clock_.Now()) / 1000;

  const std::string forged_secret[] = {"not-the-shops-secret"};
  const auto forged = service_.HandleTestProviderWebhook(
      kShop, channels::SignatureHeader(forged_secret, now_seconds, webhook->body), webhook->body);
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(forged.error().type, "webhook/signature-mismatch");

  std::string tampered = webhook->body;
  tampered.replace(tampered.find("succeeded"), 9, "failed\"  ");
  EXPECT_EQ(service_.HandleTestProviderWebhook(kShop, webhook->signature_header, tampered).error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(service_.HandleTestProviderWebhook(kShop, "", webhook->body).error().type, "webhook/malformed-signature");
  // The other shop's secret does not sign for this shop.
  auto other_secret = test_provider_.WebhookSecret(kOtherShop);
  ASSERT_TRUE(other_secret.ok());
  const std::string other[] = {*other_secret};
  EXPECT_EQ(
      service_
          .HandleTestProviderWebhook(kShop, channels::SignatureHeader(other, now_seconds, webhook->body), webhook->body)
          .error()
          .code,
      ErrorCode::kUnauthenticated);

  clock_.Advance(std::chrono::minutes(6));
  const auto stale = service_.HandleTestProviderWebhook(kShop, webhook->signature_header, webhook->body);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().type, "webhook/stale-timestamp");

  EXPECT_EQ(RecordedRows(), before);
  EXPECT_EQ(service_.Get(kShop, pending->id)->status, PaymentStatus::kPending);
}

TEST_P(PaymentServiceTest, ManualPaymentsArePendingUntilStaffMarkThemPaid) {
  AuthorizeInput transfer;
  transfer.idempotency_key = "auth-bank";
  transfer.order_reference = "ord_7";
  transfer.provider = "manual";
  transfer.method = "bank_transfer";
  transfer.amount = Money{4'990, "EUR"};
  auto payment = service_.Authorize(kShop, transfer);
  ASSERT_TRUE(payment.ok()) << payment.error().detail;
  EXPECT_EQ(payment->status, PaymentStatus::kPending);
  EXPECT_EQ(service_.Capture(kShop, payment->id, std::nullopt, "cap-m").error().type, "payments/invalid-state");
  auto paid = service_.MarkPaid(kShop, payment->id, "paid-1");
  ASSERT_TRUE(paid.ok()) << paid.error().detail;
  EXPECT_EQ(paid->status, PaymentStatus::kCaptured);
  EXPECT_EQ(paid->captured_minor, 4'990);
  EXPECT_TRUE(service_.MarkPaid(kShop, payment->id, "paid-1").ok());
  EXPECT_EQ(service_.MarkPaid(kShop, payment->id, "paid-2").error().type, "payments/invalid-state");
  auto refunded = service_.Refund(kShop, payment->id, 990, "ref-m");
  ASSERT_TRUE(refunded.ok());
  EXPECT_EQ(refunded->status, PaymentStatus::kPartiallyRefunded);
  EXPECT_EQ(Events("payment.captured"), 1);

  transfer.idempotency_key = "auth-cod";
  transfer.method = "cash_on_delivery";
  auto cod = service_.Authorize(kShop, transfer);
  ASSERT_TRUE(cod.ok());
  auto orders = service_.ListForOrder(kShop, "ord_7");
  ASSERT_TRUE(orders.ok());
  EXPECT_EQ(orders->size(), 2u);
  EXPECT_EQ(orders->at(1).method, "cash_on_delivery");
}

TEST_P(PaymentServiceTest, AnotherShopsPaymentIsNotFound) {
  const Payment payment = Authorized("auth-t");
  EXPECT_EQ(service_.Get(kOtherShop, payment.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.Capture(kOtherShop, payment.id, std::nullopt, "c").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.Refund(kOtherShop, payment.id, 1, "r").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.Void(kOtherShop, payment.id, "v").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service_.ListForOrder(kOtherShop, "ord_1")->empty());
  // The same key in another shop is another payment.
  auto other = service_.Authorize(kOtherShop, Card("auth-t", "4242424242424242"));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->id, payment.id);
  auto in_tx = test_db_.db().Read([&](store::Transaction& tx) { return service_.Get(tx, kShop, payment.id); });
  ASSERT_TRUE(in_tx.ok());
  EXPECT_EQ(in_tx->status, PaymentStatus::kAuthorized);
}

TEST_P(PaymentServiceTest, ProviderStateSurvivesARestart) {
  const Payment payment = Authorized("auth-restart");
  test_db_.Close();
  test_db_.Reopen();
  TestPaymentProvider provider(test_db_.db(), clock_);
  ManualPaymentProvider manual;
  PaymentService service(test_db_.db(), clock_, {&provider, &manual}, &provider);
  auto captured = service.Capture(kShop, payment.id, std::nullopt, "cap-after-restart");
  ASSERT_TRUE(captured.ok()) << captured.error().detail;
  EXPECT_EQ(captured->status, PaymentStatus::kCaptured);
}

INSTANTIATE_TEST_SUITE_P(Backends, PaymentServiceTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::payments
