#pragma once
// The SQL of webhook subscriptions and deliveries. A ShopWebhooks is bound to one shop
// and every statement it runs filters by that shop, so tenant isolation holds by
// construction: no method can reach another shop's rows.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plaza/channels/webhooks.h"
#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::channels::internal {

// A subscription with what only the server may see: its secrets.
struct StoredSubscription {
  WebhookSubscription subscription;
  std::string secret;
  std::optional<std::string> previous_secret;
  std::optional<TimePoint> previous_secret_expires_at;

  // The secrets a delivery made at `now` is signed with: the current one, and the
  // previous one while its rotation overlap lasts.
  std::vector<std::string> SigningSecrets(TimePoint now) const;
};

// A delivery still owed for an event, with what sending it needs.
struct OpenDelivery {
  std::int64_t delivery_id = 0;
  int attempts = 0;
  StoredSubscription target;
};

// What one attempt to deliver came to.
struct AttemptRecord {
  DeliveryState state = DeliveryState::kPending;
  std::optional<int> status_code;
  std::string error;
  std::optional<TimePoint> next_attempt_at;
};

class ShopWebhooks {
 public:
  // REQUIRES: `tx` outlives this object; shop_id > 0.
  ShopWebhooks(store::Transaction& tx, std::int64_t shop_id) : tx_(tx), shop_id_(shop_id) {}

  Result<std::int64_t> CountSubscriptions();
  Result<StoredSubscription> InsertSubscription(const std::string& url, const std::vector<std::string>& event_types,
                                                bool active, const std::string& secret, TimePoint now);
  Result<std::vector<StoredSubscription>> ListSubscriptions();
  Result<std::optional<StoredSubscription>> FindSubscription(std::int64_t subscription_id);
  // Writes url, event types, active flag, reason and secrets of `stored`; false when the
  // shop has no such subscription.
  Result<bool> SaveSubscription(const StoredSubscription& stored, TimePoint now);
  Result<bool> DeleteSubscription(std::int64_t subscription_id);
  Status DeactivateSubscription(std::int64_t subscription_id, const std::string& reason, TimePoint now);

  // Creates the pending delivery of `event_id` to the subscription unless it exists.
  Status EnsureDelivery(std::int64_t subscription_id, std::int64_t event_id, const std::string& event_type,
                        TimePoint now);
  // Deliveries of `event_id` not delivered yet (pending or dead), oldest subscription first.
  Result<std::vector<OpenDelivery>> OpenDeliveries(std::int64_t event_id);
  // Records one HTTP attempt (attempts + 1).
  Status RecordAttempt(std::int64_t delivery_id, const AttemptRecord& record, TimePoint now);
  // Ends a delivery without an attempt (its subscription was deactivated).
  Status AbandonDelivery(std::int64_t delivery_id, const std::string& reason, TimePoint now);
  Result<std::vector<WebhookDelivery>> ListDeliveries(const DeliveryQuery& query);

 private:
  store::Transaction& tx_;
  const std::int64_t shop_id_;
};

// Deletes up to `limit` delivered records last updated before `cutoff`, across shops
// (retention is the same for all); returns how many.
Result<std::int64_t> PruneDeliveredBefore(store::Transaction& tx, TimePoint cutoff, int limit);

// event_types is stored as a JSON array of strings.
std::string EncodeEventTypes(const std::vector<std::string>& event_types);
std::vector<std::string> DecodeEventTypes(const std::string& json);

}  // namespace plaza::channels::internal
