#include "webhook_repository.h"

#include <algorithm>
#include <boost/json.hpp>

namespace plaza::channels::internal {
namespace {

constexpr std::string_view kSubscriptionColumns =
    "id, shop_id, url, event_types, active, deactivated_reason, created_at, updated_at, secret, previous_secret,"
    " previous_secret_expires_at";

StoredSubscription ReadSubscription(const store::Row& row) {
  StoredSubscription stored;
  WebhookSubscription& subscription = stored.subscription;
  subscription.id = row.Int(0);
  subscription.shop_id = row.Int(1);
  subscription.url = row.Text(2);
  subscription.event_types = DecodeEventTypes(row.Text(3));
  subscription.active = row.Bool(4);
  subscription.deactivated_reason = row.Text(5);
  subscription.created_at = FromUnixMillis(row.Int(6));
  subscription.updated_at = FromUnixMillis(row.Int(7));
  stored.secret = row.Text(8);
  stored.previous_secret = row.OptionalText(9);
  if (auto expires = row.OptionalInt(10)) stored.previous_secret_expires_at = FromUnixMillis(*expires);
  return stored;
}

std::optional<DeliveryState> ParseState(const std::string& name) {
  if (name == "pending") return DeliveryState::kPending;
  if (name == "delivered") return DeliveryState::kDelivered;
  if (name == "dead") return DeliveryState::kDead;
  return std::nullopt;
}

std::optional<TimePoint> OptionalTime(const store::Row& row, std::size_t column) {
  if (auto millis = row.OptionalInt(column)) return FromUnixMillis(*millis);
  return std::nullopt;
}

}  // namespace

std::vector<std::string> StoredSubscription::SigningSecrets(TimePoint now) const {
  std::vector<std::string> secrets = {secret};
  if (previous_secret && previous_secret_expires_at && now < *previous_secret_expires_at) {
    secrets.push_back(*previous_secret);
  }
  return secrets;
}

std::string EncodeEventTypes(const std::vector<std::string>& event_types) {
  boost::json::array array;
  for (const std::string& type : event_types) array.emplace_back(type);
  return boost::json::serialize(array);
}

std::vector<std::string> DecodeEventTypes(const std::string& json) {
  std::vector<std::string> types;
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(json, error);
  // Only this file writes the column; an unreadable value matches no event rather than
  // every event.
  if (error || !value.is_array()) return types;
  for (const boost::json::value& item : value.get_array()) {
    if (item.is_string()) types.emplace_back(item.get_string());
  }
  return types;
}

Result<std::int64_t> ShopWebhooks::CountSubscriptions() {
  PLAZA_ASSIGN_OR_RETURN(auto row,
                         tx_.QueryOne("SELECT COUNT(*) FROM webhook_subscriptions WHERE shop_id = ?", {shop_id_}));
  return row ? row->Int(0) : 0;
}

Result<StoredSubscription> ShopWebhooks::InsertSubscription(const std::string& url,
                                                            const std::vector<std::string>& event_types, bool active,
                                                            const std::string& secret, TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(
      auto row, tx_.QueryOne("INSERT INTO webhook_subscriptions (shop_id, url, event_types, secret, active, created_at,"
                             " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING " +
                                 std::string(kSubscriptionColumns),
                             {shop_id_, url, EncodeEventTypes(event_types), secret, active, ToUnixMillis(now),
                              ToUnixMillis(now)}));
  if (!row) return Error::Internal("inserting a webhook subscription returned nothing");
  return ReadSubscription(*row);
}

Result<std::vector<StoredSubscription>> ShopWebhooks::ListSubscriptions() {
  PLAZA_ASSIGN_OR_RETURN(auto result, tx_.Execute("SELECT " + std::string(kSubscriptionColumns) +
                                                      " FROM webhook_subscriptions WHERE shop_id = ? ORDER BY id",
                                                  {shop_id_}));
  std::vector<StoredSubscription> subscriptions;
  subscriptions.reserve(result.rows.size());
  for (const store::Row& row : result.rows) subscriptions.push_back(ReadSubscription(row));
  return subscriptions;
}

Result<std::optional<StoredSubscription>> ShopWebhooks::FindSubscription(std::int64_t subscription_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx_.QueryOne("SELECT " + std::string(kSubscriptionColumns) +
                                                    " FROM webhook_subscriptions WHERE shop_id = ? AND id = ?",
                                                {shop_id_, subscription_id}));
  if (!row) return std::optional<StoredSubscription>();
  return std::optional<StoredSubscription>(ReadSubscription(*row));
}

Result<bool> ShopWebhooks::SaveSubscription(const StoredSubscription& stored, TimePoint now) {
  const WebhookSubscription& subscription = stored.subscription;
  std::optional<std::int64_t> previous_expires;
  if (stored.previous_secret_expires_at) previous_expires = ToUnixMillis(*stored.previous_secret_expires_at);
  std::optional<std::string> reason;
  if (!subscription.deactivated_reason.empty()) reason = subscription.deactivated_reason;
  PLAZA_ASSIGN_OR_RETURN(
      auto result,
      tx_.Execute(
          "UPDATE webhook_subscriptions SET url = ?, event_types = ?, active = ?, deactivated_reason = ?,"
          " secret = ?, previous_secret = ?, previous_secret_expires_at = ?, updated_at = ?"
          " WHERE shop_id = ? AND id = ?",
          {subscription.url, EncodeEventTypes(subscription.event_types), subscription.active, reason, stored.secret,
           stored.previous_secret, previous_expires, ToUnixMillis(now), shop_id_, subscription.id}));
  return result.affected_rows > 0;
}

Result<bool> ShopWebhooks::DeleteSubscription(std::int64_t subscription_id) {
  // Deliveries go with it (ON DELETE CASCADE); the shop filter is repeated on them so the
  // statement is scoped even if the cascade were ever removed.
  PLAZA_TRY(tx_.Execute("DELETE FROM webhook_deliveries WHERE shop_id = ? AND subscription_id = ?",
                        {shop_id_, subscription_id}));
  PLAZA_ASSIGN_OR_RETURN(auto result, tx_.Execute("DELETE FROM webhook_subscriptions WHERE shop_id = ? AND id = ?",
                                                  {shop_id_, subscription_id}));
  return result.affected_rows > 0;
}

Status ShopWebhooks::DeactivateSubscription(std::int64_t subscription_id, const std::string& reason, TimePoint now) {
  PLAZA_TRY(
      tx_.Execute("UPDATE webhook_subscriptions SET active = 0, deactivated_reason = ?, updated_at = ?"
                  " WHERE shop_id = ? AND id = ?",
                  {reason, ToUnixMillis(now), shop_id_, subscription_id}));
  return Ok();
}

Status ShopWebhooks::EnsureDelivery(std::int64_t subscription_id, std::int64_t event_id, const std::string& event_type,
                                    TimePoint now) {
  PLAZA_TRY(
      tx_.Execute("INSERT INTO webhook_deliveries (shop_id, subscription_id, event_id, event_type, state,"
                  " attempts, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)"
                  " ON CONFLICT (subscription_id, event_id) DO NOTHING",
                  {shop_id_, subscription_id, event_id, event_type, ToUnixMillis(now), ToUnixMillis(now)}));
  return Ok();
}

Result<std::vector<OpenDelivery>> ShopWebhooks::OpenDeliveries(std::int64_t event_id) {
  PLAZA_ASSIGN_OR_RETURN(
      auto result,
      tx_.Execute("SELECT s.id, s.shop_id, s.url, s.event_types, s.active, s.deactivated_reason, s.created_at,"
                  " s.updated_at, s.secret, s.previous_secret, s.previous_secret_expires_at, d.id, d.attempts"
                  " FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id"
                  " WHERE d.shop_id = ? AND s.shop_id = ? AND d.event_id = ? AND d.state <> 'delivered'"
                  " ORDER BY s.id",
                  {shop_id_, shop_id_, event_id}));
  std::vector<OpenDelivery> open;
  open.reserve(result.rows.size());
  for (const store::Row& row : result.rows) {
    OpenDelivery delivery;
    delivery.target = ReadSubscription(row);
    delivery.delivery_id = row.Int(11);
    delivery.attempts = static_cast<int>(row.Int(12));
    open.push_back(std::move(delivery));
  }
  return open;
}

Status ShopWebhooks::RecordAttempt(std::int64_t delivery_id, const AttemptRecord& record, TimePoint now) {
  std::optional<std::int64_t> next_attempt;
  if (record.next_attempt_at) next_attempt = ToUnixMillis(*record.next_attempt_at);
  std::optional<std::int64_t> status_code;
  if (record.status_code) status_code = *record.status_code;
  std::optional<std::string> error;
  if (!record.error.empty()) error = record.error;
  PLAZA_TRY(tx_.Execute(
      "UPDATE webhook_deliveries SET attempts = attempts + 1, state = ?, last_status_code = ?,"
      " last_error = ?, next_attempt_at = ?, updated_at = ? WHERE shop_id = ? AND id = ?",
      {DeliveryStateName(record.state), status_code, error, next_attempt, ToUnixMillis(now), shop_id_, delivery_id}));
  return Ok();
}

Status ShopWebhooks::AbandonDelivery(std::int64_t delivery_id, const std::string& reason, TimePoint now) {
  PLAZA_TRY(
      tx_.Execute("UPDATE webhook_deliveries SET state = 'dead', last_error = ?, next_attempt_at = NULL,"
                  " updated_at = ? WHERE shop_id = ? AND id = ?",
                  {reason, ToUnixMillis(now), shop_id_, delivery_id}));
  return Ok();
}

Result<std::vector<WebhookDelivery>> ShopWebhooks::ListDeliveries(const DeliveryQuery& query) {
  std::string sql =
      "SELECT id, shop_id, subscription_id, event_id, event_type, state, attempts, last_status_code, last_error,"
      " next_attempt_at, created_at, updated_at FROM webhook_deliveries WHERE shop_id = ?";
  std::vector<store::Param> params = {shop_id_};
  if (query.subscription_id) {
    sql += " AND subscription_id = ?";
    params.emplace_back(*query.subscription_id);
  }
  if (query.state) {
    sql += " AND state = ?";
    params.emplace_back(DeliveryStateName(*query.state));
  }
  if (query.before_id > 0) {
    sql += " AND id < ?";
    params.emplace_back(query.before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(std::clamp(query.limit, 1, kMaxDeliveryPage));
  PLAZA_ASSIGN_OR_RETURN(auto result, tx_.Execute(sql, params));
  std::vector<WebhookDelivery> deliveries;
  deliveries.reserve(result.rows.size());
  for (const store::Row& row : result.rows) {
    WebhookDelivery delivery;
    delivery.id = row.Int(0);
    delivery.shop_id = row.Int(1);
    delivery.subscription_id = row.Int(2);
    delivery.event_id = row.Int(3);
    delivery.event_type = row.Text(4);
    delivery.state = ParseState(row.Text(5)).value_or(DeliveryState::kPending);
    delivery.attempts = static_cast<int>(row.Int(6));
    if (auto status = row.OptionalInt(7)) delivery.last_status_code = static_cast<int>(*status);
    delivery.last_error = row.Text(8);
    delivery.next_attempt_at = OptionalTime(row, 9);
    delivery.created_at = FromUnixMillis(row.Int(10));
    delivery.updated_at = FromUnixMillis(row.Int(11));
    deliveries.push_back(std::move(delivery));
  }
  return deliveries;
}

Result<std::int64_t> PruneDeliveredBefore(store::Transaction& tx, TimePoint cutoff, int limit) {
  PLAZA_ASSIGN_OR_RETURN(auto result,
                         tx.Execute("DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries"
                                    " WHERE state = 'delivered' AND updated_at < ? ORDER BY id LIMIT ?)",
                                    {ToUnixMillis(cutoff), limit}));
  return result.affected_rows;
}

}  // namespace plaza::channels::internal
