#include "plaza/promotions/migrations.h"

namespace plaza::promotions {

store::MigrationSet PromotionsMigrations() {
  return {"promotions",
          {
              {1, "promotions, codes and redemptions",
               // `definition` is the merchant's PromotionDefinition as JSON: it is read
               // whole and never filtered on. What queries and the use counting need is
               // in columns: uses is incremented by one conditional UPDATE that checks
               // usage_limit, and promotion_customer_uses keeps one counter row per
               // (promotion, customer), incremented the same way, so limits hold under
               // any concurrency. code_key is the upper-cased code: codes are unique per
               // shop in any letter case. Redemptions outlive a deleted promotion.
               "CREATE TABLE promotions (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  automatic INTEGER NOT NULL,\n"
               "  active INTEGER NOT NULL,\n"
               "  definition TEXT NOT NULL,\n"
               "  usage_limit BIGINT,\n"
               "  per_customer_limit BIGINT,\n"
               "  uses BIGINT NOT NULL DEFAULT 0 CHECK (uses >= 0),\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL\n"
               ");\n"
               "CREATE INDEX promotions_shop ON promotions (shop_id, automatic, active);\n"
               "CREATE TABLE promotion_codes (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  promotion_id BIGINT NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,\n"
               "  code TEXT NOT NULL,\n"
               "  code_key TEXT NOT NULL,\n"
               "  creator TEXT NOT NULL,\n"
               "  uses BIGINT NOT NULL DEFAULT 0 CHECK (uses >= 0),\n"
               "  created_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, code_key)\n"
               ");\n"
               "CREATE INDEX promotion_codes_promotion ON promotion_codes (shop_id, promotion_id);\n"
               "CREATE TABLE promotion_redemptions (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  promotion_id BIGINT NOT NULL,\n"
               "  code_id BIGINT,\n"
               "  order_id BIGINT NOT NULL,\n"
               "  customer_id BIGINT,\n"
               "  amount BIGINT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  released_at BIGINT,\n"
               "  UNIQUE (shop_id, order_id, promotion_id)\n"
               ");\n"
               "CREATE INDEX promotion_redemptions_promotion ON promotion_redemptions (shop_id, promotion_id);\n"
               "CREATE TABLE promotion_customer_uses (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  promotion_id BIGINT NOT NULL,\n"
               "  customer_id BIGINT NOT NULL,\n"
               "  uses BIGINT NOT NULL CHECK (uses >= 0),\n"
               "  PRIMARY KEY (shop_id, promotion_id, customer_id)\n"
               ");\n"
               "CREATE TABLE promotion_settings (\n"
               "  shop_id BIGINT PRIMARY KEY,\n"
               "  release_on_cancel INTEGER NOT NULL\n"
               ");\n"},
          }};
}

}  // namespace plaza::promotions
