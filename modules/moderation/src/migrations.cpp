#include "plaza/moderation/migrations.h"

namespace plaza::moderation {

store::MigrationSet ModerationMigrations() {
  return {"moderation",
          {
              {1, "keyword rules, queue, reports, flags, warnings, bans, activity counters",
               // pattern keeps the merchant's spelling; pattern_key is its normalised form
               // (what matching uses), so two spellings of one rule are one rule.
               "CREATE TABLE moderation_rules (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  pattern TEXT NOT NULL,\n"
               "  pattern_key TEXT NOT NULL,\n"
               "  action TEXT NOT NULL CHECK (action IN ('mask', 'hold')),\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, pattern_key)\n"
               ");\n"
               // One item per piece of content for its whole life: reporting or flagging
               // resolved content opens the same item again. Content lives in other modules,
               // so (content_kind, content_id) is a reference without a foreign key.
               // author_profile_id is what the owner said when the item was created, for
               // filtering; actions ask the owner again.
               "CREATE TABLE moderation_items (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  content_kind TEXT NOT NULL,\n"
               "  content_id BIGINT NOT NULL,\n"
               "  author_profile_id BIGINT,\n"
               "  is_open INTEGER NOT NULL,\n"
               "  opened_at BIGINT NOT NULL,\n"
               "  resolution TEXT,\n"
               "  resolved_at BIGINT,\n"
               "  resolved_by TEXT,\n"
               "  UNIQUE (shop_id, content_kind, content_id)\n"
               ");\n"
               "CREATE INDEX moderation_items_queue ON moderation_items (shop_id, is_open, opened_at, id);\n"
               "CREATE TABLE moderation_reports (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  item_id BIGINT NOT NULL REFERENCES moderation_items (id),\n"
               "  reporter_profile_id BIGINT NOT NULL,\n"
               "  reason TEXT NOT NULL,\n"
               "  note TEXT NOT NULL,\n"
               "  is_open INTEGER NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  closed_at BIGINT\n"
               ");\n"
               // One open report per reporter per content; closed ones are history.
               "CREATE UNIQUE INDEX moderation_reports_open ON moderation_reports (shop_id, item_id, "
               "reporter_profile_id) WHERE is_open = 1;\n"
               "CREATE INDEX moderation_reports_item ON moderation_reports (shop_id, item_id, id);\n"
               "CREATE TABLE moderation_flags (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  item_id BIGINT NOT NULL REFERENCES moderation_items (id),\n"
               "  reason TEXT NOT NULL,\n"
               "  is_open INTEGER NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  closed_at BIGINT\n"
               ");\n"
               "CREATE INDEX moderation_flags_item ON moderation_flags (shop_id, item_id, id);\n"
               "CREATE TABLE moderation_warnings (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  profile_id BIGINT NOT NULL,\n"
               "  item_id BIGINT REFERENCES moderation_items (id),\n"
               "  note TEXT NOT NULL,\n"
               "  issued_by TEXT NOT NULL,\n"
               "  created_at BIGINT NOT NULL\n"
               ");\n"
               "CREATE INDEX moderation_warnings_profile ON moderation_warnings (shop_id, profile_id, id);\n"
               // ends_at NULL bans for good; lifted_at ends a ban early.
               "CREATE TABLE moderation_bans (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  profile_id BIGINT NOT NULL,\n"
               "  item_id BIGINT REFERENCES moderation_items (id),\n"
               "  note TEXT NOT NULL,\n"
               "  issued_by TEXT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  ends_at BIGINT,\n"
               "  lifted_at BIGINT,\n"
               "  lifted_by TEXT NOT NULL DEFAULT ''\n"
               ");\n"
               "CREATE INDEX moderation_bans_profile ON moderation_bans (shop_id, profile_id, id);\n"
               // The history trust levels are earned from, kept here because the content
               // tables belong to other modules: when the profile was first admitted, how
               // much of its content is up, and its latest strike (warning or takedown).
               "CREATE TABLE moderation_members (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  profile_id BIGINT NOT NULL,\n"
               "  first_seen BIGINT NOT NULL,\n"
               "  contributions BIGINT NOT NULL DEFAULT 0,\n"
               "  last_strike BIGINT,\n"
               "  PRIMARY KEY (shop_id, profile_id)\n"
               ");\n"
               // Fixed windows: counter is "<activity>/hour", "<activity>/day" or
               // "images/hour"; window_start is the window's first millisecond.
               "CREATE TABLE moderation_activity (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  profile_id BIGINT NOT NULL,\n"
               "  counter TEXT NOT NULL,\n"
               "  window_start BIGINT NOT NULL,\n"
               "  used BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, profile_id, counter, window_start)\n"
               ");\n"},
          }};
}

}  // namespace plaza::moderation
