#include "plaza/channels/webhook_consumer.h"

#include <boost/json.hpp>

#include "plaza/channels/webhook_signature.h"
#include "plaza/core/text.h"
#include "webhook_repository.h"

namespace plaza::channels {
namespace {

// Enough of a failing response for staff to recognise the receiver's error page; the
// rest of it is the receiver's business.
constexpr std::size_t kMaxExcerptInError = 300;
// Delivered records are pruned at most this often, this many per transaction so the
// clean-up never holds the write lock for long, and at most kMaxPruneChunks chunks a
// time, which still removes over a million records a day.
constexpr std::chrono::hours kPruneInterval(1);
constexpr int kPruneChunk = 5000;
constexpr int kMaxPruneChunks = 10;

std::string Excerpt(const std::string& body) {
  std::string excerpt = body.substr(0, kMaxExcerptInError);
  // Cut on a UTF-8 boundary; a response that is not text at all is not worth showing.
  while (!excerpt.empty() && (static_cast<unsigned char>(excerpt.back()) & 0xC0) == 0x80) excerpt.pop_back();
  if (!excerpt.empty() && (static_cast<unsigned char>(excerpt.back()) & 0x80) != 0) excerpt.pop_back();
  if (!text::IsValidUtf8(excerpt)) return {};
  return excerpt;
}

std::string DescribeFailure(const HttpResponse& response) {
  if (response.status_code == 0) return response.error.empty() ? "no response" : response.error;
  std::string description = "HTTP " + std::to_string(response.status_code);
  if (response.status_code >= 300 && response.status_code < 400) description += " (redirects are not followed)";
  const std::string excerpt = Excerpt(response.body_excerpt);
  if (!excerpt.empty()) description += ": " + excerpt;
  return description;
}

// One HTTP request of this batch: which event and which delivery record it serves.
struct PlannedRequest {
  std::size_t batch_idx = 0;
  std::int64_t shop_id = 0;
  std::int64_t delivery_id = 0;
  std::int64_t subscription_id = 0;
};

}  // namespace

Result<std::string> WebhookBody(const store::OutboxEvent& event) {
  boost::system::error_code error;
  boost::json::value data = boost::json::parse(event.payload_json, error);
  if (error || !data.is_object()) {
    return Error::Invalid("webhooks/invalid-payload", "the event payload is not a JSON object");
  }
  boost::json::object body;
  body["id"] = event.id;
  body["type"] = event.event_type;
  body["shop_id"] = event.shop_id;
  body["created_at"] = FormatRfc3339(event.created_at);
  body["data"] = std::move(data);
  return boost::json::serialize(body);
}

WebhookConsumer::WebhookConsumer(store::Database& db, const Clock& clock, HttpSender& sender,
                                 WebhookConsumerOptions options)
    : db_(db), clock_(clock), sender_(sender), options_(options) {}

std::vector<store::DeliveryOutcome> WebhookConsumer::Handle(std::span<const store::Delivery> batch) {
  std::vector<store::DeliveryOutcome> outcomes(batch.size(), store::DeliveryOutcome::Delivered());
  std::vector<std::string> bodies(batch.size());
  std::vector<bool> sendable(batch.size(), false);
  for (std::size_t idx = 0; idx < batch.size(); ++idx) {
    auto body = WebhookBody(batch[idx].event);
    if (!body.ok()) {
      // Retrying cannot fix the payload; dead-letter it so staff see it.
      outcomes[idx] = store::DeliveryOutcome::Failed(body.error().detail);
      continue;
    }
    bodies[idx] = std::move(body).value();
    sendable[idx] = true;
  }

  // Decide who gets what: create the delivery records of new events and collect those
  // still owed (after a retry, only the subscriptions that have not got the event).
  const TimePoint planned_at = clock_.Now();
  std::vector<PlannedRequest> plan;
  std::vector<HttpRequest> requests;
  const Status planned = db_.Write([&](store::Transaction& tx) -> Status {
    plan.clear();
    requests.clear();
    const std::int64_t timestamp = ToUnixMillis(planned_at) / 1000;
    for (std::size_t idx = 0; idx < batch.size(); ++idx) {
      if (!sendable[idx]) continue;
      const store::OutboxEvent& event = batch[idx].event;
      internal::ShopWebhooks webhooks(tx, event.shop_id);
      PLAZA_ASSIGN_OR_RETURN(auto subscriptions, webhooks.ListSubscriptions());
      for (const internal::StoredSubscription& stored : subscriptions) {
        const WebhookSubscription& subscription = stored.subscription;
        // A subscription hears of what happened after it was made, never of the past.
        if (!subscription.active || subscription.created_at > event.created_at ||
            !MatchesEventType(subscription.event_types, event.event_type)) {
          continue;
        }
        PLAZA_TRY(webhooks.EnsureDelivery(subscription.id, event.id, event.event_type, planned_at));
      }
      PLAZA_ASSIGN_OR_RETURN(auto open, webhooks.OpenDeliveries(event.id));
      for (const internal::OpenDelivery& delivery : open) {
        if (!delivery.target.subscription.active) {
          PLAZA_TRY(webhooks.AbandonDelivery(delivery.delivery_id, "the subscription was deactivated", planned_at));
          continue;
        }
        HttpRequest request;
        request.url = delivery.target.subscription.url;
        request.body = bodies[idx];
        request.headers = {
            {"Content-Type", "application/json"},
            {"Plaza-Event-Id", std::to_string(event.id)},
            {"Plaza-Event-Type", event.event_type},
            {"Plaza-Timestamp", std::to_string(timestamp)},
            {"Plaza-Signature", SignatureHeader(delivery.target.SigningSecrets(planned_at), timestamp, bodies[idx])},
        };
        requests.push_back(std::move(request));
        plan.push_back({idx, event.shop_id, delivery.delivery_id, delivery.target.subscription.id});
      }
    }
    return Ok();
  });
  if (!planned.ok()) {
    for (std::size_t idx = 0; idx < batch.size(); ++idx) {
      if (sendable[idx]) outcomes[idx] = store::DeliveryOutcome::Retry(planned.error().detail);
    }
    return outcomes;
  }

  const std::vector<HttpResponse> responses = sender_.PostAll(requests);

  // Record every attempt, and from them the outcome of each event.
  const TimePoint finished_at = clock_.Now();
  std::vector<int> failures(batch.size(), 0);
  std::vector<int> targets(batch.size(), 0);
  std::vector<std::string> first_failure(batch.size());
  const Status recorded = db_.Write([&](store::Transaction& tx) -> Status {
    std::fill(failures.begin(), failures.end(), 0);
    std::fill(targets.begin(), targets.end(), 0);
    for (std::size_t request_idx = 0; request_idx < plan.size(); ++request_idx) {
      const PlannedRequest& item = plan[request_idx];
      const store::Delivery& delivery = batch[item.batch_idx];
      const HttpResponse& response =
          request_idx < responses.size() ? responses[request_idx] : HttpResponse{0, "no response", {}};
      internal::ShopWebhooks webhooks(tx, item.shop_id);
      internal::AttemptRecord record;
      if (response.status_code > 0) record.status_code = response.status_code;
      ++targets[item.batch_idx];
      const bool delivered = response.status_code >= 200 && response.status_code < 300;
      const bool gone = response.status_code == 410 && options_.deactivate_on_gone;
      if (delivered) {
        record.state = DeliveryState::kDelivered;
      } else if (gone) {
        // The receiver says it is gone for good: stop sending rather than retry for a day.
        record.state = DeliveryState::kDead;
        record.error = "the receiver answered 410 Gone; the subscription was deactivated";
        PLAZA_TRY(webhooks.DeactivateSubscription(item.subscription_id, "the receiver answered 410 Gone", finished_at));
      } else {
        record.error = DescribeFailure(response);
        record.state = delivery.final_attempt ? DeliveryState::kDead : DeliveryState::kPending;
        if (!delivery.final_attempt) record.next_attempt_at = delivery.retry_at;
        if (failures[item.batch_idx]++ == 0) first_failure[item.batch_idx] = record.error;
      }
      PLAZA_TRY(webhooks.RecordAttempt(item.delivery_id, record, finished_at));
    }
    return Ok();
  });
  for (std::size_t idx = 0; idx < batch.size(); ++idx) {
    if (!sendable[idx]) continue;
    if (!recorded.ok()) {
      // The requests went out but their results are lost; sending again is the
      // at-least-once answer, and receivers dedupe on the event id.
      outcomes[idx] = store::DeliveryOutcome::Retry("recording the delivery failed: " + recorded.error().detail);
    } else if (failures[idx] > 0) {
      outcomes[idx] =
          store::DeliveryOutcome::Retry(std::to_string(failures[idx]) + " of " + std::to_string(targets[idx]) +
                                        " webhook deliveries failed; first: " + first_failure[idx]);
    }
  }
  PruneIfDue(finished_at);
  return outcomes;
}

void WebhookConsumer::PruneIfDue(TimePoint now) {
  const std::int64_t now_ms = ToUnixMillis(now);
  std::int64_t last = last_prune_ms_.load();
  if (last != 0 && now_ms - last < std::chrono::duration_cast<std::chrono::milliseconds>(kPruneInterval).count()) {
    return;
  }
  // Only one thread prunes per interval.
  if (!last_prune_ms_.compare_exchange_strong(last, now_ms)) return;
  const TimePoint cutoff = now - options_.delivered_retention;
  for (int chunk = 0; chunk < kMaxPruneChunks; ++chunk) {
    auto pruned =
        db_.Write([&](store::Transaction& tx) { return internal::PruneDeliveredBefore(tx, cutoff, kPruneChunk); });
    // A failed prune leaves old delivered records for the next interval, which harms
    // nothing, and must not turn a successful batch into a retry.
    if (!pruned.ok() || *pruned < kPruneChunk) break;
  }
}

}  // namespace plaza::channels
