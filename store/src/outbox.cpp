#include "plaza/store/outbox.h"

#include <string_view>

#include "plaza/core/text.h"

namespace plaza::store {
namespace {

// Names are identifiers chosen by code ("order", "order.placed"), never by users; the bound
// only catches a caller passing the wrong string.
constexpr std::size_t kMaxNameLength = 200;
// Every event is copied into each webhook delivery and kept for the retention period, so
// a payload is a summary of the change, not a document; 256 KiB is far above any summary.
constexpr std::size_t kMaxPayloadBytes = std::size_t{256} * 1024;

Status CheckName(std::string_view value, std::string_view field) {
  if (value.empty() || value.size() > kMaxNameLength) {
    return Error::Invalid("outbox/invalid-event",
                          std::string(field) + " must be 1 to " + std::to_string(kMaxNameLength) + " bytes",
                          std::string(field));
  }
  return Ok();
}

// A cheap structural check; the payload comes from code that serialised a JSON object, so
// this only guards against passing a bare string or an array by mistake.
bool LooksLikeJsonObject(std::string_view payload) {
  const std::string_view trimmed = text::TrimAscii(payload);
  return trimmed.size() >= 2 && trimmed.front() == '{' && trimmed.back() == '}';
}

}  // namespace

Result<std::int64_t> AppendEvent(Transaction& tx, const OutboxEvent& event, TimePoint now) {
  if (event.shop_id <= 0) return Error::Invalid("outbox/invalid-event", "an event needs its shop", "shop_id");
  PLAZA_TRY(CheckName(event.aggregate_type, "aggregate_type"));
  PLAZA_TRY(CheckName(event.aggregate_id, "aggregate_id"));
  PLAZA_TRY(CheckName(event.event_type, "event_type"));
  if (event.payload_json.size() > kMaxPayloadBytes) {
    return Error::Invalid("outbox/invalid-event", "the event payload is larger than 256 KiB", "payload_json");
  }
  if (!text::IsValidUtf8(event.payload_json) || !LooksLikeJsonObject(event.payload_json)) {
    return Error::Invalid("outbox/invalid-event", "the event payload must be a JSON object", "payload_json");
  }
  const std::int64_t now_ms = ToUnixMillis(now);
  PLAZA_ASSIGN_OR_RETURN(
      auto inserted,
      tx.QueryOne(
          "INSERT INTO outbox_events (shop_id, aggregate_type, aggregate_id, event_type, payload, created_at)"
          " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
          {event.shop_id, event.aggregate_type, event.aggregate_id, event.event_type, event.payload_json, now_ms}));
  if (!inserted) return Error::Internal("inserting an outbox event returned no id");
  const std::int64_t event_id = inserted->Int(0);
  // One delivery per registered consumer, in this same transaction: a consumer then never
  // has to find new events by scanning ids, which would miss an event whose transaction
  // took its id early but committed late. The casts give PostgreSQL the parameter types
  // that a SELECT list cannot infer.
  PLAZA_TRY(tx.Execute(
      "INSERT INTO outbox_deliveries (consumer, event_id, shop_id, aggregate_type, aggregate_id, state, attempts,"
      " next_attempt_at)"
      " SELECT name, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), 'pending', 0,"
      " CAST(? AS BIGINT) FROM outbox_consumers",
      {event_id, event.shop_id, event.aggregate_type, event.aggregate_id, now_ms}));
  return event_id;
}

}  // namespace plaza::store
