#pragma once
// The transactional outbox. A change that others care about appends a domain event in
// the same transaction as the change itself; the OutboxDispatcher (outbox_dispatcher.h)
// later hands each event to every registered consumer, at least once, in order per
// aggregate. No dual writes: if the transaction rolls back, the event never existed.

#include <cstdint>
#include <string>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::store {

struct OutboxEvent {
  std::int64_t id = 0;           // assigned on append; increases with commit order per aggregate
  std::int64_t shop_id = 0;      // tenant
  std::string aggregate_type{};  // "customer", "order" …
  std::string aggregate_id{};    // the aggregate's public id
  std::string event_type{};      // "customer.created", "order.placed" …
  std::string payload_json{};    // the event body, a JSON object
  TimePoint created_at{};
};

// Appends `event` (id and created_at are filled in) inside the caller's transaction.
// REQUIRES: `tx` is a write transaction; payload_json is a JSON object.
Result<std::int64_t> AppendEvent(Transaction& tx, const OutboxEvent& event, TimePoint now);

}  // namespace plaza::store
