#include "plaza/channels/webhooks.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

#include "plaza/channels/http_sender.h"
#include "plaza/core/crypto.h"
#include "plaza/core/text.h"
#include "webhook_repository.h"

namespace plaza::channels {
namespace {

// Event type names are identifiers like "order.placed"; the bound catches garbage.
constexpr std::size_t kMaxEventTypeLength = 100;
// Secrets carry a recognisable prefix, so one pasted into a ticket or a log is easy to
// spot and to search for; 32 random bytes make them unguessable.
constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::size_t kSecretBytes = 32;

Error InvalidUrl(std::string detail) {
  return Error::Invalid("webhooks/invalid-url", std::move(detail), "/url");
}

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

// One part of a parsed URL, or nullopt when the URL has none.
std::optional<std::string> UrlPart(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK || value == nullptr) return std::nullopt;
  std::string out(value);
  curl_free(value);
  return out;
}

bool IsLocalHostName(const std::string& host) {
  const std::string lower = text::ToLowerAscii(host);
  return lower == "localhost" || lower.ends_with(".localhost");
}

Status ValidateEventTypes(std::vector<std::string>& event_types) {
  if (event_types.empty()) {
    return Error::Invalid("webhooks/invalid-event-types", "subscribe to at least one event type, or \"*\"",
                          "/event_types");
  }
  if (event_types.size() > kMaxEventTypesPerSubscription) {
    return Error::Invalid("webhooks/invalid-event-types", "too many event types; use \"*\" for every event",
                          "/event_types");
  }
  for (std::size_t idx = 0; idx < event_types.size(); ++idx) {
    const std::string& type = event_types[idx];
    const bool well_formed =
        type == "*" || (!type.empty() && type.size() <= kMaxEventTypeLength && type.front() != '.' &&
                        type.back() != '.' && std::all_of(type.begin(), type.end(), [](char c) {
                          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
                        }));
    if (!well_formed) {
      return Error::Invalid("webhooks/invalid-event-types",
                            "an event type is lower-case letters, digits, '_' and '.', like order.placed, or \"*\"",
                            "/event_types/" + std::to_string(idx));
    }
  }
  std::sort(event_types.begin(), event_types.end());
  event_types.erase(std::unique(event_types.begin(), event_types.end()), event_types.end());
  if (std::find(event_types.begin(), event_types.end(), "*") != event_types.end()) event_types = {"*"};
  return Ok();
}

std::string NewSecret() {
  return std::string(kSecretPrefix) + crypto::RandomToken(kSecretBytes);
}

Status CheckShop(std::int64_t shop_id) {
  if (shop_id <= 0) return Error::Invalid("webhooks/shop-required", "webhooks belong to a shop", "shop_id");
  return Ok();
}

Error SubscriptionNotFound() {
  return Error::NotFound("no such webhook subscription");
}

}  // namespace

std::string_view DeliveryStateName(DeliveryState state) {
  switch (state) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kDead:
      return "dead";
  }
  return "pending";
}

Status ValidateWebhookUrl(std::string_view url, bool block_private_networks) {
  if (url.empty()) return InvalidUrl("a webhook needs a URL");
  if (url.size() > kMaxWebhookUrlLength) return InvalidUrl("the URL is longer than 2048 bytes");
  if (std::any_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; })) {
    return InvalidUrl("the URL contains spaces or control characters");
  }
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed) return Error::Internal("cannot allocate a URL parser");
  const std::string text(url);
  if (curl_url_set(parsed.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return InvalidUrl("the URL is not a valid absolute URL");
  }
  const std::string scheme = text::ToLowerAscii(UrlPart(parsed.get(), CURLUPART_SCHEME).value_or(""));
  if (scheme != "http" && scheme != "https") return InvalidUrl("the URL must start with https:// or http://");
  if (UrlPart(parsed.get(), CURLUPART_USER) || UrlPart(parsed.get(), CURLUPART_PASSWORD)) {
    return InvalidUrl("the URL must not contain a user name or password; verify the signature instead");
  }
  std::string host = UrlPart(parsed.get(), CURLUPART_HOST).value_or("");
  if (host.empty()) return InvalidUrl("the URL has no host");
  if (block_private_networks) {
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (IsLocalHostName(host) || IsNonPublicAddress(host)) {
      return InvalidUrl("the URL points to a private or local address, which this server does not allow");
    }
  }
  return Ok();
}

bool MatchesEventType(const std::vector<std::string>& subscribed, std::string_view event_type) {
  return std::any_of(subscribed.begin(), subscribed.end(),
                     [&](const std::string& type) { return type == "*" || type == event_type; });
}

WebhookService::WebhookService(store::Database& db, const Clock& clock, WebhookSettings settings)
    : db_(db), clock_(clock), settings_(settings) {}

Result<SubscriptionWithSecret> WebhookService::Create(std::int64_t shop_id, const NewSubscription& input) {
  PLAZA_TRY(CheckShop(shop_id));
  PLAZA_TRY(ValidateWebhookUrl(input.url, settings_.block_private_networks));
  std::vector<std::string> event_types = input.event_types;
  PLAZA_TRY(ValidateEventTypes(event_types));
  const std::string secret = NewSecret();
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<SubscriptionWithSecret> {
    internal::ShopWebhooks webhooks(tx, shop_id);
    PLAZA_ASSIGN_OR_RETURN(const std::int64_t count, webhooks.CountSubscriptions());
    if (count >= kMaxSubscriptionsPerShop) {
      return Error::Conflict("webhooks/too-many",
                             "a shop can have at most " + std::to_string(kMaxSubscriptionsPerShop) + " webhooks");
    }
    PLAZA_ASSIGN_OR_RETURN(auto stored, webhooks.InsertSubscription(input.url, event_types, input.active, secret, now));
    return SubscriptionWithSecret{std::move(stored.subscription), stored.secret};
  });
}

Result<std::vector<WebhookSubscription>> WebhookService::List(std::int64_t shop_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<WebhookSubscription>> {
    PLAZA_ASSIGN_OR_RETURN(auto stored, internal::ShopWebhooks(tx, shop_id).ListSubscriptions());
    std::vector<WebhookSubscription> subscriptions;
    subscriptions.reserve(stored.size());
    for (auto& item : stored) subscriptions.push_back(std::move(item.subscription));
    return subscriptions;
  });
}

Result<WebhookSubscription> WebhookService::Get(std::int64_t shop_id, std::int64_t subscription_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) -> Result<WebhookSubscription> {
    PLAZA_ASSIGN_OR_RETURN(auto stored, internal::ShopWebhooks(tx, shop_id).FindSubscription(subscription_id));
    if (!stored) return SubscriptionNotFound();
    return std::move(stored->subscription);
  });
}

Result<WebhookSubscription> WebhookService::Update(std::int64_t shop_id, std::int64_t subscription_id,
                                                   const SubscriptionUpdate& update) {
  PLAZA_TRY(CheckShop(shop_id));
  if (update.url) PLAZA_TRY(ValidateWebhookUrl(*update.url, settings_.block_private_networks));
  std::optional<std::vector<std::string>> event_types = update.event_types;
  if (event_types) PLAZA_TRY(ValidateEventTypes(*event_types));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<WebhookSubscription> {
    internal::ShopWebhooks webhooks(tx, shop_id);
    PLAZA_ASSIGN_OR_RETURN(auto stored, webhooks.FindSubscription(subscription_id));
    if (!stored) return SubscriptionNotFound();
    WebhookSubscription& subscription = stored->subscription;
    if (update.url) subscription.url = *update.url;
    if (event_types) subscription.event_types = *event_types;
    if (update.active) {
      subscription.active = *update.active;
      if (*update.active) subscription.deactivated_reason.clear();
    }
    PLAZA_ASSIGN_OR_RETURN(const bool saved, webhooks.SaveSubscription(*stored, now));
    if (!saved) return SubscriptionNotFound();
    subscription.updated_at = now;
    return std::move(subscription);
  });
}

Status WebhookService::Delete(std::int64_t shop_id, std::int64_t subscription_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(const bool deleted, internal::ShopWebhooks(tx, shop_id).DeleteSubscription(subscription_id));
    if (!deleted) return SubscriptionNotFound();
    return Ok();
  });
}

Result<SubscriptionWithSecret> WebhookService::RotateSecret(std::int64_t shop_id, std::int64_t subscription_id) {
  PLAZA_TRY(CheckShop(shop_id));
  const std::string secret = NewSecret();
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<SubscriptionWithSecret> {
    internal::ShopWebhooks webhooks(tx, shop_id);
    PLAZA_ASSIGN_OR_RETURN(auto stored, webhooks.FindSubscription(subscription_id));
    if (!stored) return SubscriptionNotFound();
    stored->previous_secret = stored->secret;
    stored->previous_secret_expires_at = now + settings_.rotation_overlap;
    stored->secret = secret;
    PLAZA_ASSIGN_OR_RETURN(const bool saved, webhooks.SaveSubscription(*stored, now));
    if (!saved) return SubscriptionNotFound();
    stored->subscription.updated_at = now;
    return SubscriptionWithSecret{std::move(stored->subscription), secret};
  });
}

Result<std::vector<WebhookDelivery>> WebhookService::ListDeliveries(std::int64_t shop_id, const DeliveryQuery& query) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) { return internal::ShopWebhooks(tx, shop_id).ListDeliveries(query); });
}

}  // namespace plaza::channels
