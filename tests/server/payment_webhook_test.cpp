// Payments through real sockets: the test provider's signed webhook confirms an
// asynchronous card payment, and forged or stale signatures are refused with nothing
// changed. An order placed with such a payment follows it: paid when confirmed,
// cancelled with its stock back when it fails, once however often the webhook comes.

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "plaza/channels/webhook_signature.h"
#include "plaza/inventory/inventory.h"
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

// A shop selling one stocked variant in France, and a buyer's checkout over HTTP.
class PendingOrderTest : public ServerFixture {
 protected:
  static constexpr char kPendingCard[] = "4000000000003220";

  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("atelier");
    const SellableVariant sellable = SellInFrance(shop_, {.title = "Vase",
                                                          .sku = "VASE-1",
                                                          .weight_grams = 900,
                                                          .price_minor = 6400,
                                                          .stock = 10,
                                                          .location = "Lyon",
                                                          .rate_name = "Colissimo",
                                                          .shipping_minor = 600,
                                                          .transit_min_days = 2,
                                                          .transit_max_days = 3});
    variant_id_ = sellable.variant_id;
    rate_id_ = sellable.rate_id;
    owner_ = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  }

  // Checks out `quantity` vases with `card`; returns the order's JSON.
  boost::json::object PlaceOrder(std::int64_t quantity, const std::string& card) {
    http::testing::HttpClient& http = client();
    const std::string base = "/api/v1/shops/atelier/carts";
    auto cart = http.PostJson(base, R"({"country":"FR"})");
    EXPECT_TRUE(cart.ok() && cart->status == 201);
    if (!cart.ok() || cart->status != 201) return {};
    const std::string path = base + "/" + std::string(cart->Json().at("token").as_string());
    auto line = http.PostJson(path + "/lines", R"({"variant_id":)" + std::to_string(variant_id_) + R"(,"quantity":)" +
                                                   std::to_string(quantity) + "}");
    EXPECT_TRUE(line.ok() && line->status == 200) << (line.ok() ? line->body : "");
    auto checkout = http.PostJson(path + "/checkout", "{}");
    EXPECT_TRUE(checkout.ok() && checkout->status == 200) << (checkout.ok() ? checkout->body : "");
    const std::pair<std::string, std::string> puts[] = {
        {path + "/contact", R"({"email":"ines@example.fr"})"},
        {path + "/shipping-address",
         R"({"name":"Ines Roux","line1":"4 quai Saint-Vincent","city":"Lyon","postal_code":"69001","country":"FR"})"},
        {path + "/shipping-method", R"({"rate_id":)" + std::to_string(rate_id_) + "}"}};
    for (const auto& [target, body] : puts) {
      http::Headers headers;
      headers.Set("Content-Type", "application/json");
      auto response = http.Send("PUT", target, body, headers);
      EXPECT_TRUE(response.ok() && response->status == 200) << target << ": " << (response.ok() ? response->body : "");
    }
    http::Headers headers;
    headers.Set("Idempotency-Key", "order-" + card);
    auto order = http.PostJson(
        path + "/order", R"({"payment":{"card_number":")" + card + R"(","exp_month":12,"exp_year":2030,"cvc":"123"}})",
        headers);
    EXPECT_TRUE(order.ok() && order->status == 201) << (order.ok() ? order->body : "");
    if (!order.ok() || order->status != 201) return {};
    return order->Json().as_object();
  }

  std::string OrderStatus(std::int64_t order_id) {
    auto order = Call("GET", "/api/v1/shops/atelier/orders/" + std::to_string(order_id), owner_);
    EXPECT_EQ(order.status, 200) << order.body;
    return order.status == 200 ? std::string(order.Json().at("status").as_string()) : std::string();
  }

  // Posts `webhook` signed now with the shop's secret, as the provider (re)delivers it,
  // on a connection of its own so deliveries may run concurrently.
  http::testing::ClientResponse Deliver(payments::TestPaymentProvider& provider, const std::string& body) {
    auto secret = provider.WebhookSecret(shop_.id);
    EXPECT_TRUE(secret.ok());
    const std::string secrets[] = {secret.ok() ? *secret : std::string()};
    http::Headers headers;
    headers.Set("Content-Type", "application/json");
    headers.Set(payments::kTestProviderSignatureHeader,
                channels::SignatureHeader(secrets, ToUnixMillis(clock().Now()) / 1000, body));
    http::testing::HttpClient connection(port());
    auto response = connection.Send("POST", "/api/v1/shops/atelier/payments/test-provider/webhook", body, headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  std::int64_t Count(const std::string& sql) {
    auto count = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, {shop_.id}));
      return row ? row->Int(0) : 0;
    });
    EXPECT_TRUE(count.ok());
    return count.ok() ? *count : -1;
  }

  std::int64_t Available() {
    inventory::InventoryService inventory(db(), clock());
    auto availability = inventory.GetAvailability(shop_.id, std::vector<std::int64_t>{variant_id_},
                                                  inventory::SalesChannel::kOnlineStore);
    EXPECT_TRUE(availability.ok());
    return availability.ok() ? availability->at(0).available : -1;
  }

  std::size_t MailFiles() {
    std::error_code ignored;  // no directory yet means no mail yet
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(mail_dir(), ignored)) {
      if (entry.path().extension() == ".eml") ++files;
    }
    return files;
  }

  TestShop shop_;
  Credentials owner_;
  std::int64_t variant_id_ = 0;
  std::int64_t rate_id_ = 0;
};

TEST_P(PendingOrderTest, ConfirmedWebhookMakesThePendingOrderPaidOnce) {
  const boost::json::object order = PlaceOrder(2, kPendingCard);
  ASSERT_FALSE(order.empty());
  const std::int64_t order_id = order.at("id").as_int64();
  EXPECT_EQ(order.at("status").as_string(), "placed");
  EXPECT_EQ(MailFiles(), 0U) << "the buyer is thanked before the bank confirmed";
  EXPECT_EQ(Available(), 8);

  payments::TestPaymentProvider provider(db(), clock());
  auto payment =
      Call("GET", "/api/v1/shops/atelier/payments/" + std::to_string(order.at("payment_id").as_int64()), owner_);
  ASSERT_EQ(payment.status, 200) << payment.body;
  ASSERT_EQ(payment.Json().at("status").as_string(), "pending");
  auto webhook = provider.CompleteAsync(shop_.id, std::string(payment.Json().at("provider_reference").as_string()),
                                        true, "", clock().Now());
  ASSERT_TRUE(webhook.ok()) << webhook.error().detail;

  // Forged: refused, nothing changes.
  const std::string wrong[] = {"not-the-secret"};
  Credentials forged;
  forged.headers.Set(payments::kTestProviderSignatureHeader,
                     channels::SignatureHeader(wrong, ToUnixMillis(clock().Now()) / 1000, webhook->body));
  auto refused = Call("POST", "/api/v1/shops/atelier/payments/test-provider/webhook", forged, webhook->body);
  EXPECT_EQ(refused.status, 401) << refused.body;
  EXPECT_EQ(refused.headers.Get("Content-Type").value_or(""), "application/problem+json");
  EXPECT_EQ(OrderStatus(order_id), "placed");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_events WHERE shop_id = ? AND event_type = 'order.paid'"), 0);

  auto accepted = Deliver(provider, webhook->body);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.Json().at("payment_status").as_string(), "captured");
  EXPECT_EQ(OrderStatus(order_id), "paid");

  // The provider redelivers, twice at once.
  std::thread second([&] { EXPECT_EQ(Deliver(provider, webhook->body).status, 200); });
  auto third = Deliver(provider, webhook->body);
  second.join();
  EXPECT_EQ(third.status, 200) << third.body;
  EXPECT_EQ(OrderStatus(order_id), "paid");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_events WHERE shop_id = ? AND event_type = 'order.paid'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_events WHERE shop_id = ? AND event_type = 'payment.captured'"), 1);
  EXPECT_EQ(MailFiles(), 1U);
  EXPECT_EQ(Available(), 8);
}

TEST_P(PendingOrderTest, FailedWebhookCancelsThePendingOrderAndRestocks) {
  const boost::json::object order = PlaceOrder(3, kPendingCard);
  ASSERT_FALSE(order.empty());
  const std::int64_t order_id = order.at("id").as_int64();
  EXPECT_EQ(Available(), 7);
  payments::TestPaymentProvider provider(db(), clock());
  auto payment =
      Call("GET", "/api/v1/shops/atelier/payments/" + std::to_string(order.at("payment_id").as_int64()), owner_);
  ASSERT_EQ(payment.status, 200) << payment.body;
  auto webhook = provider.CompleteAsync(shop_.id, std::string(payment.Json().at("provider_reference").as_string()),
                                        false, "authentication_failed", clock().Now());
  ASSERT_TRUE(webhook.ok()) << webhook.error().detail;
  for (int delivery = 0; delivery < 2; ++delivery) {
    auto accepted = Deliver(provider, webhook->body);
    ASSERT_EQ(accepted.status, 200) << accepted.body;
    EXPECT_EQ(accepted.Json().at("payment_status").as_string(), "failed");
  }
  EXPECT_EQ(OrderStatus(order_id), "cancelled");
  EXPECT_EQ(Available(), 10);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_events WHERE shop_id = ? AND event_type = 'order.cancelled'"), 1);
  EXPECT_EQ(MailFiles(), 0U);
}

INSTANTIATE_TEST_SUITE_P(Backends, PendingOrderTest, ::testing::ValuesIn(TestBackends()), BackendName());

INSTANTIATE_TEST_SUITE_P(Backends, ShippingPaymentsTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
