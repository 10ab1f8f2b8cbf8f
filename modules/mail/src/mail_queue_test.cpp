#include "plaza/mail/mail_queue.h"

#include <gtest/gtest.h>

#include "plaza/core/crypto.h"
#include "plaza/mail/smtp_mailer.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"
#include "plaza_test/smtp_receiver.h"

namespace plaza::mail {
namespace {

using plaza::testing::SmtpReceiver;
using std::chrono::seconds;

constexpr std::int64_t kShop = 1;

class MailQueueTest : public ::testing::TestWithParam<std::string> {
 protected:
  MailQueueTest() : test_db_(GetParam()), clock_(FromUnixMillis(1'795'424'400'000)) {}

  static void SetUpTestSuite() { crypto::InitCrypto(); }

  void SetUp() override {
    const Status migrated = store::Migrate(db(), std::vector<store::MigrationSet>{store::StoreMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
    auto smtp = SmtpMailer::Create({.url = receiver_.url(), .from = "Maison Plaza <orders@maison.example>"}, clock_);
    ASSERT_TRUE(smtp.ok()) << smtp.error().detail;
    smtp_ = std::move(smtp).value();
    consumer_ = std::make_unique<MailConsumer>(*smtp_);
    store::OutboxDispatcherOptions options;
    options.retry.initial_delay = seconds(10);
    options.retry.max_attempts = 3;
    options.retry.jitter = 0;
    dispatcher_ = std::make_unique<store::OutboxDispatcher>(db(), clock_, options);
    dispatcher_->AddConsumer(*consumer_);
    ASSERT_TRUE(dispatcher_->RegisterConsumers().ok());
  }

  store::Database& db() { return test_db_.db(); }

  int RunOnce() {
    auto handed = dispatcher_->RunOnce();
    EXPECT_TRUE(handed.ok()) << handed.error().detail;
    return handed.ok() ? *handed : -1;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
  SmtpReceiver receiver_;
  std::unique_ptr<SmtpMailer> smtp_;
  std::unique_ptr<MailConsumer> consumer_;
  std::unique_ptr<store::OutboxDispatcher> dispatcher_;
};

TEST_P(MailQueueTest, QueuedMailIsSentOnlyWhenItsTransactionCommits) {
  const Status rolled_back = db().Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(EnqueueMail(tx, {"ana@example.com", "Never", "rolled back", kShop}, clock_.Now()));
    return Error::Conflict("test/abort", "abandon the transaction");
  });
  ASSERT_FALSE(rolled_back.ok());
  OutboxMailer mailer(db(), clock_, *smtp_);
  const Status queued = mailer.Send({"camille@example.fr", "Order #7 confirmed", "Thank you.\n", kShop});
  ASSERT_TRUE(queued.ok()) << queued.error().type << ": " << queued.error().detail;
  EXPECT_TRUE(receiver_.messages().empty()) << "Send only queues";
  EXPECT_EQ(RunOnce(), 1);
  const auto messages = receiver_.messages();
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].Header("Subject"), "Order #7 confirmed");
  EXPECT_EQ(messages[0].recipients.at(0), "camille@example.fr");
  EXPECT_EQ(messages[0].Body(), "Thank you.\r\n\r\n");
  EXPECT_EQ(RunOnce(), 0);
  EXPECT_EQ(receiver_.messages().size(), 1U);
}

TEST_P(MailQueueTest, RefusedMailIsRetriedWithBackoffUntilTheServerTakesIt) {
  receiver_.RefuseNext(2);
  OutboxMailer mailer(db(), clock_, *smtp_);
  ASSERT_TRUE(mailer.Send({"camille@example.fr", "Your order has shipped", "On its way.\n", kShop}).ok());
  EXPECT_EQ(RunOnce(), 1);  // 451
  EXPECT_EQ(receiver_.refused(), 1);
  EXPECT_EQ(RunOnce(), 0);  // backing off
  clock_.Advance(seconds(10));
  EXPECT_EQ(RunOnce(), 1);  // 451 again
  EXPECT_EQ(receiver_.refused(), 2);
  clock_.Advance(seconds(10));
  EXPECT_EQ(RunOnce(), 0);  // the second back-off is 20 s
  clock_.Advance(seconds(10));
  EXPECT_EQ(RunOnce(), 1);
  const auto messages = receiver_.messages();
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].Header("Subject"), "Your order has shipped");
  EXPECT_EQ(dispatcher_->Stats().pending, 0);
  EXPECT_EQ(dispatcher_->Stats().dead, 0);
}

TEST_P(MailQueueTest, ServerDownForEveryAttemptLeavesADeadLetterToRequeue) {
  receiver_.RefuseNext(3);
  OutboxMailer mailer(db(), clock_, *smtp_);
  ASSERT_TRUE(mailer.Send({"camille@example.fr", "Refund", "We refunded you.\n", kShop}).ok());
  for (int attempt = 0; attempt < 3; ++attempt) {
    EXPECT_EQ(RunOnce(), 1);
    clock_.Advance(seconds(60));
  }
  EXPECT_EQ(RunOnce(), 0);
  auto dead = store::ListDeadLetters(db(), {.shop_id = kShop, .consumer = std::string(MailConsumer::kName)});
  ASSERT_TRUE(dead.ok()) << dead.error().detail;
  ASSERT_EQ(dead->size(), 1U);
  EXPECT_NE(dead->at(0).last_error.find("451"), std::string::npos) << dead->at(0).last_error;
  ASSERT_TRUE(store::RequeueDeadLetter(db(), kShop, MailConsumer::kName, dead->at(0).event.id, clock_.Now()).ok());
  EXPECT_EQ(RunOnce(), 1);
  EXPECT_EQ(receiver_.messages().size(), 1U);
}

TEST_P(MailQueueTest, MailOfNoShopIsSentAtOnce) {
  OutboxMailer mailer(db(), clock_, *smtp_);
  ASSERT_TRUE(mailer.Send({"staff@example.com", "Sign in", "Your link.\n"}).ok());
  EXPECT_EQ(receiver_.messages().size(), 1U);
  EXPECT_EQ(RunOnce(), 0);
}

TEST_P(MailQueueTest, OtherEventsAreLeftAlone) {
  ASSERT_TRUE(db().Write([&](store::Transaction& tx) -> Status {
                    store::OutboxEvent event{.shop_id = 1,
                                             .aggregate_type = "order",
                                             .aggregate_id = "1",
                                             .event_type = "order.placed",
                                             .payload_json = R"({"order_id":1})"};
                    PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, store::AppendEvent(tx, event, clock_.Now()));
                    (void)id;
                    return Ok();
                  })
                  .ok());
  EXPECT_EQ(RunOnce(), 1);
  EXPECT_TRUE(receiver_.messages().empty());
  EXPECT_EQ(dispatcher_->Stats().pending, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, MailQueueTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::mail
