// Payments through real sockets: the test provider's signed webhook confirms an
// asynchronous card payment, and forged or stale signatures are refused with nothing
// changed.

#include <gtest/gtest.h>

#include "plaza/channels/webhook_signature.h"
#include "plaza/payments/payment_service.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class ShippingPaymentsTest : public ServerFixture {
 protected:
  Credentials Anonymous() { return {}; }
  Credentials Signed(const std::string& signature) {
    Credentials credentials;
    credentials.headers.Set(payments::kTestProviderSignatureHeader, signature);
    return credentials;
  }
};

TEST_P(ShippingPaymentsTest, SignedWebhookConfirmsAnAsyncPaymentAndForgeriesAreRefused) {
  TestShop shop = CreateShop("till");
  Credentials owner = LogInStaff(shop, shop.owner_email, shop.owner_password);
  // The provider's side and the service, on the server's database and clock.
  payments::TestPaymentProvider provider(db(), clock());
  payments::PaymentService service(db(), clock(), {&provider}, &provider);
  auto pending = service.Authorize(shop.id, {"pay-1", "ord-1", "test", "card", Money{2500, "EUR"},
                                             payments::CardDetails{"4000000000003220", 12, 2099, "123"}});
  ASSERT_TRUE(pending.ok()) << pending.error().detail;
  ASSERT_EQ(pending->status, payments::PaymentStatus::kPending);
  auto webhook = provider.CompleteAsync(shop.id, pending->provider_reference, true, "", clock().Now());
  ASSERT_TRUE(webhook.ok());
  const std::string url = "/api/v1/shops/till/payments/test-provider/webhook";
  const std::string payment_url = "/api/v1/shops/till/payments/" + std::to_string(pending->id);

  const std::string wrong[] = {"guessed-secret"};
  const std::int64_t now_seconds = ToUnixMillis(clock().Now()) / 1000;
  auto forged = Call("POST", url, Signed(channels::SignatureHeader(wrong, now_seconds, webhook->body)), webhook->body);
  EXPECT_EQ(forged.status, 401) << forged.body;
  EXPECT_EQ(forged.headers.Get("Content-Type").value_or(""), "application/problem+json");
  EXPECT_EQ(forged.ProblemType(), "/problems/webhook/signature-mismatch");
  auto unsigned_call = Call("POST", url, Anonymous(), webhook->body);
  EXPECT_EQ(unsigned_call.status, 401);
  EXPECT_EQ(Call("GET", payment_url, owner).Json().at("status").as_string(), "pending");

  clock().Advance(std::chrono::minutes(10));
  auto stale = Call("POST", url, Signed(webhook->signature_header), webhook->body);
  EXPECT_EQ(stale.status, 401);
  EXPECT_EQ(stale.ProblemType(), "/problems/webhook/stale-timestamp");
  EXPECT_EQ(Call("GET", payment_url, owner).Json().at("status").as_string(), "pending");

  // The provider resends with a fresh signature.
  const auto secret = provider.WebhookSecret(shop.id);
  ASSERT_TRUE(secret.ok());
  const std::string secrets[] = {*secret};
  const std::string fresh = channels::SignatureHeader(secrets, ToUnixMillis(clock().Now()) / 1000, webhook->body);
  auto accepted = Call("POST", url, Signed(fresh), webhook->body);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  auto payment = Call("GET", payment_url, owner);
  ASSERT_EQ(payment.status, 200);
  EXPECT_EQ(payment.Json().at("status").as_string(), "authorized");
  EXPECT_EQ(payment.Json().at("card").at("last4").as_string(), "3220");
  EXPECT_EQ(payment.Json().at("transactions").as_array().size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ShippingPaymentsTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
