#include "plaza/reviews/review_request_mail.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "plaza/mail/mail_queue.h"
#include "plaza/reviews/review_requests.h"
#include "reviews_test_fixture.h"

namespace plaza::reviews::testing {
namespace {

using plaza::testing::BackendName;
using plaza::testing::TestBackends;

// Refuses the first `failures` messages as a mail server that is down would.
class FlakyMailer final : public Mailer {
 public:
  explicit FlakyMailer(int failures) : failures_(failures) {}
  Status Send(const MailMessage& message) override {
    (void)message;
    if (failures_ > 0) {
      --failures_;
      return Error::Unavailable("the mail server is down");
    }
    return Ok();
  }

 private:
  int failures_;
};

class ReviewRequestMailTest : public ReviewsTest {
 protected:
  ReviewRequestMailTest()
      : queue_(db(), clock_, direct_),
        mail_(db(), clock_, orders_, queue_,
              {.public_base_url = "https://knits.example",
               .shop_name = [](std::int64_t) { return std::string("Knits & Co"); }}) {}

  // The outbox's events of `type`, oldest first, as the dispatcher hands them out.
  std::vector<store::Delivery> EventsOf(const std::string& type) {
    auto events = db().Read([&](store::Transaction& tx) -> Result<std::vector<store::Delivery>> {
      PLAZA_ASSIGN_OR_RETURN(const auto result,
                             tx.Execute("SELECT id, shop_id, aggregate_type, aggregate_id, event_type, payload"
                                        " FROM outbox_events WHERE event_type = ? ORDER BY id",
                                        {type}));
      std::vector<store::Delivery> deliveries;
      for (const store::Row& row : result.rows) {
        deliveries.push_back({.event = {.id = row.Int(0),
                                        .shop_id = row.Int(1),
                                        .aggregate_type = row.Text(2),
                                        .aggregate_id = row.Text(3),
                                        .event_type = row.Text(4),
                                        .payload_json = row.Text(5)}});
      }
      return deliveries;
    });
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<store::Delivery>{};
  }

  // Deliveries become review requests, as the dispatcher's first consumer makes them.
  void RequestReviews() {
    ReviewRequestConsumer requests(db(), clock_, notifications_);
    for (const store::DeliveryOutcome& outcome : requests.Handle(EventsOf("order.delivered"))) {
      EXPECT_EQ(outcome.status, store::DeliveryStatus::kDelivered) << outcome.error;
    }
  }

  // The queued messages, each as its mail.requested payload.
  std::vector<boost::json::object> QueuedMail() {
    std::vector<boost::json::object> out;
    for (const store::Delivery& delivery : EventsOf(std::string(mail::kMailRequestedEvent))) {
      out.push_back(boost::json::parse(delivery.event.payload_json).as_object());
    }
    return out;
  }

  static std::string Field(const boost::json::object& mail, std::string_view key) {
    return std::string(mail.at(key).as_string());
  }

  DiscardingMailer direct_;
  mail::OutboxMailer queue_;
  ReviewRequestMailConsumer mail_;
};

TEST_P(ReviewRequestMailTest, TheBuyerIsMailedOncePerOrderWithALinkToEachReviewForm) {
  const TestProduct shirt = MakeProduct("Shirt");
  const TestProduct scarf = MakeProduct("Scarf");
  auto first = Buy(1, shirt.variant_ids[0], true);
  PLAZA_ASSERT_OK(first);
  auto second = Buy(1, scarf.variant_ids[0], true);
  PLAZA_ASSERT_OK(second);
  PLAZA_ASSERT_OK(Buy(1, shirt.variant_ids[0], /*deliver=*/false));
  RequestReviews();
  const std::vector<store::Delivery> requested = EventsOf("review.requested");
  ASSERT_EQ(requested.size(), 2U);
  EXPECT_EQ(mail_.name(), "review-request-mail");

  // The dispatcher delivers at least once: twice here, and the two at the same time.
  std::vector<store::DeliveryOutcome> outcomes_a;
  std::vector<store::DeliveryOutcome> outcomes_b;
  std::thread a([&] { outcomes_a = mail_.Handle(requested); });
  std::thread b([&] { outcomes_b = mail_.Handle(requested); });
  a.join();
  b.join();
  for (const auto* outcomes : {&outcomes_a, &outcomes_b}) {
    ASSERT_EQ(outcomes->size(), 2U);
    for (const store::DeliveryOutcome& outcome : *outcomes) {
      EXPECT_EQ(outcome.status, store::DeliveryStatus::kDelivered) << outcome.error;
    }
  }
  for (const store::DeliveryOutcome& outcome : mail_.Handle(requested)) {
    EXPECT_EQ(outcome.status, store::DeliveryStatus::kDelivered) << outcome.error;
  }

  const std::vector<boost::json::object> queued = QueuedMail();
  ASSERT_EQ(queued.size(), 2U);
  const std::string shirt_handle = catalog_.GetProduct(kShop, shirt.id)->handle;
  const std::string scarf_handle = catalog_.GetProduct(kShop, scarf.id)->handle;
  EXPECT_EQ(Field(queued[0], "to"), "buyer@example.fr");
  EXPECT_EQ(Field(queued[0], "subject"), "Knits & Co: how was your order #" + std::to_string(first->id) + "?");
  const std::string text = Field(queued[0], "text");
  EXPECT_NE(text.find("Shirt\nReview it: https://knits.example/products/" + shirt_handle + "/review\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("Scarf"), std::string::npos) << text;
  EXPECT_NE(text.find("https://knits.example/account"), std::string::npos) << text;
  EXPECT_NE(Field(queued[1], "text").find("https://knits.example/products/" + scarf_handle + "/review"),
            std::string::npos);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM reviews_request_mails"), 2);

  // Other events pass untouched; an unusable request is a dead letter.
  const store::Delivery other{.event = {.shop_id = kShop, .event_type = "order.delivered", .payload_json = "{}"}};
  EXPECT_EQ(mail_.Handle(std::span(&other, 1)).at(0).status, store::DeliveryStatus::kDelivered);
  const store::Delivery broken{.event = {.shop_id = kShop, .event_type = "review.requested", .payload_json = "[]"}};
  EXPECT_EQ(mail_.Handle(std::span(&broken, 1)).at(0).status, store::DeliveryStatus::kFailed);
  EXPECT_EQ(QueuedMail().size(), 2U);
}

TEST_P(ReviewRequestMailTest, ACustomerWhoTurnedReviewEmailsOffGetsNone) {
  const TestProduct shirt = MakeProduct("Shirt");
  auto wants = WantsReviewEmails(db(), kShop, 2);
  PLAZA_ASSERT_OK(wants);
  EXPECT_TRUE(*wants);
  PLAZA_ASSERT_OK(SetReviewEmails(db(), clock_, kShop, 2, false));
  PLAZA_ASSERT_OK(SetReviewEmails(db(), clock_, kShop, 2, false));
  EXPECT_FALSE(*WantsReviewEmails(db(), kShop, 2));
  // The choice is the shop's customer's alone.
  EXPECT_TRUE(*WantsReviewEmails(db(), kOtherShop, 2));
  EXPECT_TRUE(*WantsReviewEmails(db(), kShop, 3));

  PLAZA_ASSERT_OK(Buy(2, shirt.variant_ids[0], true));
  PLAZA_ASSERT_OK(Buy(3, shirt.variant_ids[0], true));
  RequestReviews();
  for (const store::DeliveryOutcome& outcome : mail_.Handle(EventsOf("review.requested"))) {
    EXPECT_EQ(outcome.status, store::DeliveryStatus::kDelivered) << outcome.error;
  }
  // Customer 3 is mailed; customer 2, who said no, is not.
  EXPECT_EQ(QueuedMail().size(), 1U);

  PLAZA_ASSERT_OK(SetReviewEmails(db(), clock_, kShop, 2, true));
  EXPECT_TRUE(*WantsReviewEmails(db(), kShop, 2));
}

TEST_P(ReviewRequestMailTest, AProductTakenOffSaleIsLeftOutAndARefusedMessageIsRetried) {
  const TestProduct shirt = MakeProduct("Shirt");
  PLAZA_ASSERT_OK(Buy(1, shirt.variant_ids[0], true));
  RequestReviews();
  const std::vector<store::Delivery> requested = EventsOf("review.requested");
  ASSERT_EQ(requested.size(), 1U);

  FlakyMailer flaky(1);
  ReviewRequestMailConsumer consumer(db(), clock_, orders_, flaky, {.public_base_url = "https://knits.example"});
  const auto refused = consumer.Handle(requested);
  EXPECT_EQ(refused.at(0).status, store::DeliveryStatus::kRetry);
  EXPECT_EQ(refused.at(0).error, "the mail server is down");
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM reviews_request_mails"), 0);
  EXPECT_EQ(consumer.Handle(requested).at(0).status, store::DeliveryStatus::kDelivered);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM reviews_request_mails"), 1);

  // An order whose products are all off sale has nothing to ask about.
  PLAZA_ASSERT_OK(Buy(1, shirt.variant_ids[0], true));
  RequestReviews();
  PLAZA_ASSERT_OK(catalog_.SetStatus(kShop, shirt.id, catalog::ProductStatus::kArchived));
  const std::vector<store::Delivery> both = EventsOf("review.requested");
  ASSERT_EQ(both.size(), 2U);
  for (const store::DeliveryOutcome& outcome : mail_.Handle(both)) {
    EXPECT_EQ(outcome.status, store::DeliveryStatus::kDelivered) << outcome.error;
  }
  EXPECT_TRUE(QueuedMail().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewRequestMailTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::reviews::testing
