#pragma once
// Merchant webhook subscriptions: a shop registers URLs that receive its domain events,
// signed with a per-subscription secret (webhook_signature.h). The WebhookConsumer
// (webhook_consumer.h) delivers; this service manages subscriptions and shows staff what
// was delivered. docs/webhooks.md is the merchant-facing description.
//
// Tenant isolation: every function takes the acting shop, and every query filters by it;
// another shop's subscription is reported as not found.
//
// Thread-safety: a WebhookService may be used from any number of threads.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::channels {

// Past this many subscriptions a shop should fan out on its own side; the bound keeps one
// event's deliveries, and so an outbox batch's duration, small (see http_sender.h).
inline constexpr int kMaxSubscriptionsPerShop = 16;
// Enough for every event type Plaza has; a longer list is a mistake, or should be "*".
inline constexpr std::size_t kMaxEventTypesPerSubscription = 64;
// Longer URLs are refused by common servers and proxies anyway.
inline constexpr std::size_t kMaxWebhookUrlLength = 2048;

struct WebhookSubscription {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string url{};
  std::vector<std::string> event_types{};  // exact event types, or "*" for every event
  bool active = true;
  std::string deactivated_reason{};  // set when Plaza deactivated it (410 Gone)
  TimePoint created_at{};
  TimePoint updated_at{};
};

// A subscription with its signing secret: returned only by Create and RotateSecret, the
// two moments a merchant is shown the secret.
struct SubscriptionWithSecret {
  WebhookSubscription subscription;
  std::string secret{};
};

struct NewSubscription {
  std::string url{};
  std::vector<std::string> event_types{};
  bool active = true;
};

// Fields left empty are unchanged.
struct SubscriptionUpdate {
  std::optional<std::string> url{};
  std::optional<std::vector<std::string>> event_types{};
  std::optional<bool> active{};  // re-activating clears deactivated_reason
};

struct WebhookSettings {
  // Refuse URLs whose host is a loopback, private or link-local address or "localhost".
  // Off by default because tests and self-hosted receivers live there; a multi-tenant
  // deployment where merchants are not trusted with the internal network should turn it
  // on, together with CurlSenderOptions::block_private_networks, which also checks the
  // address a host name resolves to when connecting.
  bool block_private_networks = false;
  // After RotateSecret, deliveries are signed with the old secret too for this long, so
  // a receiver can switch secrets without rejecting deliveries in between.
  std::chrono::milliseconds rotation_overlap = std::chrono::hours(24);
};

enum class DeliveryState { kPending, kDelivered, kDead };
std::string_view DeliveryStateName(DeliveryState state);  // "pending", "delivered", "dead"

// One event's delivery to one subscription, for staff to see.
struct WebhookDelivery {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::int64_t subscription_id = 0;
  std::int64_t event_id = 0;
  std::string event_type{};
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;                       // HTTP requests made
  std::optional<int> last_status_code{};  // of the last response, if one arrived
  std::string last_error{};
  std::optional<TimePoint> next_attempt_at{};  // while pending after a failure
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct DeliveryQuery {
  std::optional<std::int64_t> subscription_id{};
  std::optional<DeliveryState> state{};
  std::int64_t before_id = 0;  // paging, newest first: the last id of the previous page
  int limit = 50;              // at most kMaxDeliveryPage
};

// A page bound, so one request cannot load a shop's whole history.
inline constexpr int kMaxDeliveryPage = 500;

// Checks a receiver URL: http or https, a host, no user name or password (they would be
// stored and shown in clear), no spaces or control characters, at most
// kMaxWebhookUrlLength bytes; with `block_private_networks`, no non-public literal host.
Status ValidateWebhookUrl(std::string_view url, bool block_private_networks);

// True when `subscribed` (a subscription's event types) includes `event_type`.
bool MatchesEventType(const std::vector<std::string>& subscribed, std::string_view event_type);

class WebhookService {
 public:
  // `db` and `clock` must outlive the service. REQUIRES: crypto::InitCrypto() has run.
  WebhookService(store::Database& db, const Clock& clock, WebhookSettings settings = {});

  // Creates a subscription with a new secret. kInvalidArgument for a bad URL or event
  // type list; kConflict ("webhooks/too-many") past kMaxSubscriptionsPerShop.
  Result<SubscriptionWithSecret> Create(std::int64_t shop_id, const NewSubscription& input);
  // The shop's subscriptions, oldest first (at most kMaxSubscriptionsPerShop).
  Result<std::vector<WebhookSubscription>> List(std::int64_t shop_id);
  Result<WebhookSubscription> Get(std::int64_t shop_id, std::int64_t subscription_id);
  Result<WebhookSubscription> Update(std::int64_t shop_id, std::int64_t subscription_id,
                                     const SubscriptionUpdate& update);
  // Deletes the subscription and its delivery records; pending deliveries stop.
  Status Delete(std::int64_t shop_id, std::int64_t subscription_id);
  // Replaces the secret; the previous one stays valid for settings.rotation_overlap.
  Result<SubscriptionWithSecret> RotateSecret(std::int64_t shop_id, std::int64_t subscription_id);

  // Delivery records, newest first.
  Result<std::vector<WebhookDelivery>> ListDeliveries(std::int64_t shop_id, const DeliveryQuery& query);

 private:
  store::Database& db_;
  const Clock& clock_;
  WebhookSettings settings_;
};

}  // namespace plaza::channels
