// Order mail over real SMTP: a server configured with smtp_url queues the confirmation
// on the outbox and sends it to a loopback SMTP receiver; a receiver that first answers
// 451 gets the message on the retry.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "plaza_test/server_fixture.h"
#include "plaza_test/smtp_receiver.h"

namespace plaza::testing {
namespace {

// A bound for a hung test, not a timing assertion: the dispatcher polls every 50 ms.
constexpr std::chrono::seconds kPatience(60);

class OrderMailTest : public ServerFixture {
 protected:
  std::map<std::string, std::string> ExtraFlags() const override {
    return {{"smtp_url", smtp_.url()},
            {"smtp_from", "Boutique Lumen <commandes@lumen.example>"},
            {"outbox_retry_initial_ms", "1000"}};
  }

  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("lumen");
    const SellableVariant sellable = SellInFrance(shop_, {.title = "Lampe",
                                                          .sku = "LAMP-1",
                                                          .weight_grams = 1200,
                                                          .price_minor = 8900,
                                                          .stock = 5,
                                                          .location = "Nantes",
                                                          .rate_name = "Relais",
                                                          .shipping_minor = 450,
                                                          .transit_min_days = 2,
                                                          .transit_max_days = 4});
    variant_id_ = sellable.variant_id;
    rate_id_ = sellable.rate_id;
  }

  // Checks out one lamp with a card that is authorised at once; returns the order id.
  std::int64_t PlaceOrder() {
    http::testing::HttpClient& http = client();
    auto cart = http.PostJson("/api/v1/shops/lumen/carts", R"({"country":"FR"})");
    EXPECT_TRUE(cart.ok() && cart->status == 201);
    if (!cart.ok() || cart->status != 201) return 0;
    const std::string path = "/api/v1/shops/lumen/carts/" + std::string(cart->Json().at("token").as_string());
    auto line = http.PostJson(path + "/lines", R"({"variant_id":)" + std::to_string(variant_id_) + R"(,"quantity":1})");
    EXPECT_TRUE(line.ok() && line->status == 200);
    auto checkout = http.PostJson(path + "/checkout", "{}");
    EXPECT_TRUE(checkout.ok() && checkout->status == 200);
    const std::pair<std::string, std::string> puts[] = {
        {path + "/contact", R"({"email":"louise@example.fr"})"},
        {path + "/shipping-address",
         R"({"name":"Louise Petit","line1":"2 rue Kervegan","city":"Nantes","postal_code":"44000","country":"FR"})"},
        {path + "/shipping-method", R"({"rate_id":)" + std::to_string(rate_id_) + "}"}};
    for (const auto& [target, body] : puts) {
      http::Headers headers;
      headers.Set("Content-Type", "application/json");
      auto response = http.Send("PUT", target, body, headers);
      EXPECT_TRUE(response.ok() && response->status == 200) << target;
    }
    http::Headers headers;
    headers.Set("Idempotency-Key", "lamp-order");
    auto order = http.PostJson(
        path + "/order", R"({"payment":{"card_number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"}})",
        headers);
    EXPECT_TRUE(order.ok() && order->status == 201) << (order.ok() ? order->body : "");
    return order.ok() && order->status == 201 ? order->Json().at("id").as_int64() : 0;
  }

  SmtpReceiver smtp_;
  TestShop shop_;
  std::int64_t variant_id_ = 0;
  std::int64_t rate_id_ = 0;
};

TEST_P(OrderMailTest, ConfirmationArrivesOverSmtpWithItsHeadersAndBody) {
  const std::int64_t order_id = PlaceOrder();
  ASSERT_NE(order_id, 0);
  const auto messages = smtp_.WaitForMessages(1, kPatience);
  ASSERT_EQ(messages.size(), 1U);
  const ReceivedMail& mail = messages[0];
  const std::string name = "#" + std::to_string(order_id);
  EXPECT_EQ(mail.mail_from, "commandes@lumen.example");
  ASSERT_EQ(mail.recipients.size(), 1U);
  EXPECT_EQ(mail.recipients[0], "louise@example.fr");
  EXPECT_EQ(mail.Header("From"), "Boutique Lumen <commandes@lumen.example>");
  EXPECT_EQ(mail.Header("To"), "louise@example.fr");
  EXPECT_EQ(mail.Header("Subject"), "Shop lumen: order " + name + " confirmed");
  const std::string body = mail.Body();
  EXPECT_NE(body.find("Thank you for your order " + name + "."), std::string::npos) << body;
  EXPECT_NE(body.find("1 x Lampe (LAMP-1)"), std::string::npos) << body;
  EXPECT_NE(body.find("Total: "), std::string::npos) << body;
  EXPECT_NE(body.find("2 rue Kervegan\r\n"), std::string::npos) << body;
  // Nothing written to the file mailer when SMTP is configured.
  EXPECT_FALSE(std::filesystem::exists(mail_dir()));
}

TEST_P(OrderMailTest, RefusedConfirmationIsSentOnTheRetry) {
  smtp_.RefuseNext(1);
  ASSERT_NE(PlaceOrder(), 0);
  ASSERT_TRUE(smtp_.WaitForRefusals(1, kPatience));
  EXPECT_TRUE(smtp_.messages().empty());
  // The back-off runs on the server's clock.
  clock().Advance(std::chrono::minutes(1));
  const auto messages = smtp_.WaitForMessages(1, kPatience);
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].recipients.at(0), "louise@example.fr");
  EXPECT_EQ(smtp_.refused(), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, OrderMailTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
