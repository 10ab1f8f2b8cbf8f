#include "plaza/shipping/migrations.h"

namespace plaza::shipping {

store::MigrationSet ShippingMigrations() {
  return {"shipping",
          {
              {1, "zones, rates, fulfilment settings, holidays",
               // shipping_zone_destinations is unique per shop, so a destination belongs to
               // one zone at most and a quote never has to choose between two; region is ''
               // for a whole country.
               // shipping_rates.max_value is NULL for an open bracket.
               // shipping_settings.working_days is a bit set, bit 0 Monday … bit 6 Sunday.
               // shipping_holidays.country is '' for shop-wide holidays.
               "CREATE TABLE shipping_zones (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  name TEXT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL\n"
               ");\n"
               "CREATE INDEX shipping_zones_shop ON shipping_zones (shop_id, id);\n"
               "CREATE TABLE shipping_zone_destinations (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  zone_id BIGINT NOT NULL REFERENCES shipping_zones (id) ON DELETE CASCADE,\n"
               "  country TEXT NOT NULL,\n"
               "  region TEXT NOT NULL DEFAULT '',\n"
               "  UNIQUE (shop_id, country, region)\n"
               ");\n"
               "CREATE INDEX shipping_zone_destinations_zone ON shipping_zone_destinations (shop_id, zone_id);\n"
               "CREATE TABLE shipping_rates (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  zone_id BIGINT NOT NULL REFERENCES shipping_zones (id) ON DELETE CASCADE,\n"
               "  name TEXT NOT NULL,\n"
               "  kind TEXT NOT NULL CHECK (kind IN ('flat', 'weight', 'price', 'free_over')),\n"
               "  currency TEXT NOT NULL,\n"
               "  price_minor BIGINT NOT NULL CHECK (price_minor >= 0),\n"
               "  min_value BIGINT NOT NULL DEFAULT 0,\n"
               "  max_value BIGINT,\n"
               "  transit_min_days INTEGER NOT NULL,\n"
               "  transit_max_days INTEGER NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL\n"
               ");\n"
               "CREATE INDEX shipping_rates_zone ON shipping_rates (shop_id, zone_id, id);\n"
               "CREATE TABLE shipping_settings (\n"
               "  shop_id BIGINT PRIMARY KEY,\n"
               "  time_zone TEXT NOT NULL,\n"
               "  processing_days INTEGER NOT NULL,\n"
               "  cutoff_minute INTEGER NOT NULL,\n"
               "  working_days INTEGER NOT NULL,\n"
               "  updated_at BIGINT NOT NULL\n"
               ");\n"
               "CREATE TABLE shipping_holidays (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  day TEXT NOT NULL,\n"
               "  country TEXT NOT NULL DEFAULT '',\n"
               "  name TEXT NOT NULL DEFAULT '',\n"
               "  UNIQUE (shop_id, day, country)\n"
               ");\n"},
          }};
}

}  // namespace plaza::shipping
