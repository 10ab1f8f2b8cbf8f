#include "plaza/mail/smtp_mailer.h"

#include <gtest/gtest.h>

#include "plaza/core/crypto.h"
#include "plaza_test/smtp_receiver.h"

namespace plaza::mail {
namespace {

using plaza::testing::SmtpReceiver;

// Monday 2026-11-23 09:00 UTC.
constexpr std::int64_t kStartMillis = 1'795'424'400'000;

class SmtpMailerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::InitCrypto(); }

  std::unique_ptr<SmtpMailer> Mailer(SmtpSettings settings) {
    auto mailer = SmtpMailer::Create(std::move(settings), clock_);
    EXPECT_TRUE(mailer.ok()) << mailer.error().detail;
    return mailer.ok() ? std::move(mailer).value() : nullptr;
  }

  SmtpReceiver receiver_;
  ManualClock clock_{FromUnixMillis(kStartMillis)};
};

TEST_F(SmtpMailerTest, DeliversHeadersAndBodyWithDotStuffingUndone) {
  auto mailer = Mailer({.url = receiver_.url(), .from = "Maison Plaza <orders@maison.example>"});
  ASSERT_NE(mailer, nullptr);
  const std::string text = "Thank you for your order #12.\n.\n..two dots\n.leading dot\nTotal: €54.90\n";
  const Status sent = mailer->Send({"camille@example.fr", "Maison Plaza: order #12 confirmed", text});
  ASSERT_TRUE(sent.ok()) << sent.error().detail;
  const auto messages = receiver_.messages();
  ASSERT_EQ(messages.size(), 1U);
  const auto& mail = messages[0];
  EXPECT_EQ(mail.mail_from, "orders@maison.example");
  ASSERT_EQ(mail.recipients.size(), 1U);
  EXPECT_EQ(mail.recipients[0], "camille@example.fr");
  EXPECT_TRUE(mail.auth.empty());
  EXPECT_EQ(mail.Header("From"), "Maison Plaza <orders@maison.example>");
  EXPECT_EQ(mail.Header("To"), "camille@example.fr");
  EXPECT_EQ(mail.Header("Subject"), "Maison Plaza: order #12 confirmed");
  EXPECT_EQ(mail.Header("Date"), "Mon, 23 Nov 2026 09:00:00 +0000");
  EXPECT_EQ(mail.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_TRUE(mail.Header("Message-ID").ends_with("@maison.example>")) << mail.Header("Message-ID");
  EXPECT_EQ(mail.Body(), "Thank you for your order #12.\r\n.\r\n..two dots\r\n.leading dot\r\nTotal: €54.90\r\n\r\n");
}

TEST_F(SmtpMailerTest, AuthenticatesWhenGivenCredentials) {
  receiver_.OfferAuth();
  auto mailer = Mailer({.url = receiver_.url(), .user = "shop", .password = "s3cret", .from = "shop@maison.example"});
  ASSERT_NE(mailer, nullptr);
  ASSERT_TRUE(mailer->Send({"ana@example.com", "Hello", "Hi"}).ok());
  const auto messages = receiver_.messages();
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].auth, std::string("\0shop\0s3cret", 12));
}

TEST_F(SmtpMailerTest, TemporaryRefusalIsRetryableAndThenAccepted) {
  receiver_.RefuseNext(1);
  auto mailer = Mailer({.url = receiver_.url(), .from = "shop@maison.example"});
  ASSERT_NE(mailer, nullptr);
  const Status refused = mailer->Send({"ana@example.com", "Hello", "Hi"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(refused.error().type, "mail/unavailable");
  EXPECT_NE(refused.error().detail.find("451"), std::string::npos) << refused.error().detail;
  EXPECT_TRUE(receiver_.messages().empty());
  ASSERT_TRUE(mailer->Send({"ana@example.com", "Hello", "Hi"}).ok());
  EXPECT_EQ(receiver_.messages().size(), 1U);
  EXPECT_EQ(receiver_.refused(), 1);
}

TEST_F(SmtpMailerTest, UnreachableServerIsUnavailable) {
  std::string url;
  {
    SmtpReceiver gone;
    url = gone.url();
  }
  auto mailer = Mailer({.url = url, .from = "shop@maison.example", .timeout = std::chrono::seconds(5)});
  ASSERT_NE(mailer, nullptr);
  const Status sent = mailer->Send({"ana@example.com", "Hello", "Hi"});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().type, "mail/unavailable");
}

TEST_F(SmtpMailerTest, RefusesHeaderInjectionAndBadSettings) {
  auto mailer = Mailer({.url = receiver_.url(), .from = "shop@maison.example"});
  ASSERT_NE(mailer, nullptr);
  const Status injected = mailer->Send({"ana@example.com\r\nBcc: all@example.com", "Hi", "x"});
  ASSERT_FALSE(injected.ok());
  EXPECT_EQ(injected.error().type, "mail/header-injection");
  EXPECT_TRUE(receiver_.messages().empty());
  auto http = SmtpMailer::Create({.url = "http://127.0.0.1/", .from = "shop@maison.example"}, clock_);
  ASSERT_FALSE(http.ok());
  EXPECT_EQ(http.error().field, "smtp_url");
  auto no_address = SmtpMailer::Create({.url = receiver_.url(), .from = "Shop"}, clock_);
  ASSERT_FALSE(no_address.ok());
  EXPECT_EQ(no_address.error().field, "smtp_from");
}

TEST(MailAddressTest, TakesTheAddressOutOfAMailbox) {
  EXPECT_EQ(MailAddress("Maison Plaza <orders@maison.example>"), "orders@maison.example");
  EXPECT_EQ(MailAddress(" ana@example.com "), "ana@example.com");
}

}  // namespace
}  // namespace plaza::mail
