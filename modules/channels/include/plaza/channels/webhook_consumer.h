#pragma once
// Delivers outbox events to merchant webhook subscriptions (webhooks.h).
//
// For each event, every active subscription of the event's shop whose event types match
// and that existed when the event happened gets a signed HTTP POST of
//   {"id": <event id>, "type": "<event type>", "shop_id": <shop>,
//    "created_at": "<RFC 3339 UTC>", "data": <the event payload>}
// A 2xx answer delivers it. 410 Gone deactivates the subscription (the receiver said it
// is gone for good). Anything else (other statuses, redirects, network errors, time-outs)
// is retried on the outbox's back-off schedule; on the outbox's final attempt the
// delivery becomes dead, and requeueing the outbox dead letter retries it.
//
// Each (subscription, event) pair has a WebhookDelivery record, so a retry resends only
// to the subscriptions that have not yet received the event. Because the outbox holds
// back later events of an aggregate until the earlier one is done, delivery order per
// (subscription, aggregate) is kept; the price is that a failing endpoint also delays the
// same aggregate's later events for the shop's other endpoints, never other aggregates.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/channels/http_sender.h"
#include "plaza/channels/webhooks.h"
#include "plaza/core/clock.h"
#include "plaza/store/database.h"
#include "plaza/store/outbox_dispatcher.h"

namespace plaza::channels {

struct WebhookConsumerOptions {
  // A receiver answering 410 Gone is deactivated rather than retried for a day.
  bool deactivate_on_gone = true;
  // Delivered records older than this are deleted, so the table does not grow forever;
  // dead and pending records are kept until staff act on them.
  std::chrono::milliseconds delivered_retention = std::chrono::hours(24 * 30);
};

// Thread-safety: Handle may run on several threads at once (the dispatcher guarantees
// they hold different events). `db`, `clock` and `sender` must outlive the consumer.
class WebhookConsumer final : public store::OutboxConsumer {
 public:
  static constexpr std::string_view kName = "webhooks";

  WebhookConsumer(store::Database& db, const Clock& clock, HttpSender& sender, WebhookConsumerOptions options = {});

  std::string_view name() const override { return kName; }
  std::vector<store::DeliveryOutcome> Handle(std::span<const store::Delivery> batch) override;

 private:
  void PruneIfDue(TimePoint now);

  store::Database& db_;
  const Clock& clock_;
  HttpSender& sender_;
  WebhookConsumerOptions options_;
  std::atomic<std::int64_t> last_prune_ms_{0};
};

// The JSON body posted for `event`; the same bytes on every attempt, so receivers may
// hash it. kInvalidArgument when the event's payload is not a JSON object.
Result<std::string> WebhookBody(const store::OutboxEvent& event);

}  // namespace plaza::channels
