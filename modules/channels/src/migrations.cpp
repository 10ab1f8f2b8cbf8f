#include "plaza/channels/migrations.h"

namespace plaza::channels {

store::MigrationSet ChannelsMigrations() {
  return {"channels",
          {
              {1, "webhooks",
               // event_types is a JSON array of strings. The secret is kept in clear because
               // signing needs it; previous_secret signs too until previous_secret_expires_at,
               // so receivers can switch secrets without a gap.
               // webhook_deliveries: one row per (subscription, event), the record staff see.
               "CREATE TABLE webhook_subscriptions (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  url TEXT NOT NULL,\n"
               "  event_types TEXT NOT NULL,\n"
               "  secret TEXT NOT NULL,\n"
               "  previous_secret TEXT,\n"
               "  previous_secret_expires_at BIGINT,\n"
               "  active INTEGER NOT NULL DEFAULT 1,\n"
               "  deactivated_reason TEXT,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL\n"
               ");\n"
               "CREATE INDEX webhook_subscriptions_shop ON webhook_subscriptions (shop_id, id);\n"
               "CREATE TABLE webhook_deliveries (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  subscription_id BIGINT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,\n"
               "  event_id BIGINT NOT NULL,\n"
               "  event_type TEXT NOT NULL,\n"
               "  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),\n"
               "  attempts INTEGER NOT NULL DEFAULT 0,\n"
               "  last_status_code INTEGER,\n"
               "  last_error TEXT,\n"
               "  next_attempt_at BIGINT,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL,\n"
               "  UNIQUE (subscription_id, event_id)\n"
               ");\n"
               "CREATE INDEX webhook_deliveries_shop ON webhook_deliveries (shop_id, id);\n"
               "CREATE INDEX webhook_deliveries_event ON webhook_deliveries (shop_id, event_id);\n"
               "CREATE INDEX webhook_deliveries_state ON webhook_deliveries (state, updated_at);\n"},
          }};
}

}  // namespace plaza::channels
