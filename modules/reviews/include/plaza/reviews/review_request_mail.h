#pragma once
// E-mails the buyer of a delivered order, once, asking for reviews of what they received.
// A consumer of the outbox dispatcher (store/outbox_dispatcher.h) answering the
// `review.requested` event of ReviewRequestConsumer (review_requests.h): one message per
// order, to the address the order was placed with, listing each product with a link to
// its review form ({public_base_url}/products/{handle}/review), handed to the shop's
// Mailer as the order e-mails are (queued on the outbox when the server sends over SMTP).
//
// Once per order: a row in reviews_request_mails claims the order before the message is
// handed over, so a second delivery of the event, even one running at the same time,
// sends nothing; when the mailer refuses, the claim is given back and the event retried.
// A crash between the claim and the hand-over loses that one message rather than risking
// two. Nothing is sent for an order without an e-mail address, to a customer who turned
// review e-mails off (SetReviewEmails), or when none of the order's products is still
// for sale.
//
// Thread-safety: as OutboxConsumer requires; the review-e-mail choice functions are
// thread-safe.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/mailer.h"
#include "plaza/core/result.h"
#include "plaza/orders/order_service.h"
#include "plaza/store/database.h"
#include "plaza/store/outbox_dispatcher.h"

namespace plaza::reviews {

// Whether the customer receives e-mails asking for reviews: yes until they turn them off.
Result<bool> WantsReviewEmails(store::Database& db, std::int64_t shop_id, std::int64_t customer_id);
// The customer's choice; choosing what is already chosen changes nothing.
Status SetReviewEmails(store::Database& db, const Clock& clock, std::int64_t shop_id, std::int64_t customer_id,
                       bool wanted);

struct ReviewRequestMailOptions {
  std::string public_base_url{};  // "https://shop.example", without a trailing slash
  // The shop's name as its customers know it; "Plaza" when unset.
  std::function<std::string(std::int64_t shop_id)> shop_name{};
};

class ReviewRequestMailConsumer final : public store::OutboxConsumer {
 public:
  // Everything must outlive the consumer; `mailer` must be thread-safe.
  ReviewRequestMailConsumer(store::Database& db, const Clock& clock, orders::OrderService& orders, Mailer& mailer,
                            ReviewRequestMailOptions options)
      : db_(db), clock_(clock), orders_(orders), mailer_(mailer), options_(std::move(options)) {}

  std::string_view name() const override { return "review-request-mail"; }
  // Events other than review.requested are delivered untouched.
  std::vector<store::DeliveryOutcome> Handle(std::span<const store::Delivery> batch) override;

 private:
  store::DeliveryOutcome HandleOne(const store::OutboxEvent& event);

  store::Database& db_;
  const Clock& clock_;
  orders::OrderService& orders_;
  Mailer& mailer_;
  ReviewRequestMailOptions options_;
};

}  // namespace plaza::reviews
