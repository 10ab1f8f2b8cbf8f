#pragma once
// Asks buyers for a review once their order is delivered. The orders module announces a
// delivery with its `order.delivered` outbox event; this consumer of the outbox
// dispatcher (store/outbox_dispatcher.h) answers it by appending one `review.requested`
// event per delivered order of a signed-in customer, carrying the products to review,
// for mail to turn into a message; a customer with a community profile also finds one
// in-app notification per product, leading to its review form.
//
// Why a consumer and not a call inside MarkDelivered's transaction: reviews depend on
// orders (verified buyers), so orders cannot call into reviews without a cycle, and a
// delivery must not fail because a review request could not be written. The outbox
// already gives at-least-once delivery; a row per order in reviews_requests makes the
// request exactly-once however often the event is handed out.
//
// Thread-safety: as OutboxConsumer requires.

#include <span>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/social/notifications.h"
#include "plaza/store/database.h"
#include "plaza/store/outbox_dispatcher.h"

namespace plaza::reviews {

class ReviewRequestConsumer final : public store::OutboxConsumer {
 public:
  // `db`, `clock` and `notifications` must outlive the consumer.
  ReviewRequestConsumer(store::Database& db, const Clock& clock, social::NotificationService& notifications)
      : db_(db), clock_(clock), notifications_(notifications) {}

  std::string_view name() const override { return "review-requests"; }
  // Events other than order.delivered are delivered untouched.
  std::vector<store::DeliveryOutcome> Handle(std::span<const store::Delivery> batch) override;

 private:
  store::Database& db_;
  const Clock& clock_;
  social::NotificationService& notifications_;
};

}  // namespace plaza::reviews
