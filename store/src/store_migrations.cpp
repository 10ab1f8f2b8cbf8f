#include "plaza/store/store_migrations.h"

namespace plaza::store {

MigrationSet StoreMigrations() {
  return {"store",
          {
              {1, "outbox",
               // outbox_events: the domain events, written in the transaction of the change.
               // outbox_consumers: every consumer that was ever registered; AppendEvent fans an
               //   event out to one outbox_deliveries row per consumer in the same transaction,
               //   so no event can slip past a consumer however commits interleave.
               // outbox_deliveries: what is still owed to a consumer. A delivered row is deleted,
               //   so the table holds only pending (waiting, backing off or leased) and dead rows.
               //   The aggregate columns are copied from the event so the per-aggregate ordering
               //   check needs no join.
               "CREATE TABLE outbox_events (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  aggregate_type TEXT NOT NULL,\n"
               "  aggregate_id TEXT NOT NULL,\n"
               "  event_type TEXT NOT NULL,\n"
               "  payload TEXT NOT NULL,\n"
               "  created_at BIGINT NOT NULL\n"
               ");\n"
               "CREATE INDEX outbox_events_created ON outbox_events (created_at);\n"
               "CREATE TABLE outbox_consumers (\n"
               "  name TEXT PRIMARY KEY,\n"
               "  registered_at BIGINT NOT NULL\n"
               ");\n"
               "CREATE TABLE outbox_deliveries (\n"
               "  consumer TEXT NOT NULL REFERENCES outbox_consumers (name) ON DELETE CASCADE,\n"
               "  event_id BIGINT NOT NULL REFERENCES outbox_events (id) ON DELETE CASCADE,\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  aggregate_type TEXT NOT NULL,\n"
               "  aggregate_id TEXT NOT NULL,\n"
               "  state TEXT NOT NULL CHECK (state IN ('pending', 'dead')),\n"
               "  attempts INTEGER NOT NULL DEFAULT 0,\n"
               "  next_attempt_at BIGINT NOT NULL,\n"
               "  lease_owner TEXT,\n"
               "  lease_expires_at BIGINT,\n"
               "  last_error TEXT,\n"
               "  dead_at BIGINT,\n"
               "  PRIMARY KEY (consumer, event_id)\n"
               ");\n"
               "CREATE INDEX outbox_deliveries_due ON outbox_deliveries (consumer, state, next_attempt_at);\n"
               "CREATE INDEX outbox_deliveries_aggregate\n"
               "  ON outbox_deliveries (consumer, aggregate_type, aggregate_id, event_id);\n"
               "CREATE INDEX outbox_deliveries_shop ON outbox_deliveries (shop_id, state, event_id);\n"},
              {2, "idempotency keys",
               // One row per key a client used for a mutating call, written in the transaction of
               // the call's effect. The primary key makes a concurrent duplicate fail on insert.
               "CREATE TABLE idempotency_records (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  operation TEXT NOT NULL,\n"
               "  caller TEXT NOT NULL,\n"
               "  idempotency_key TEXT NOT NULL,\n"
               "  fingerprint TEXT NOT NULL,\n"
               "  status INTEGER NOT NULL,\n"
               "  body TEXT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, operation, caller, idempotency_key)\n"
               ");\n"
               "CREATE INDEX idempotency_records_created ON idempotency_records (created_at);\n"},
          }};
}

}  // namespace plaza::store
