#include "plaza/pricing/migrations.h"

namespace plaza::pricing {

store::MigrationSet PricingMigrations() {
  return {"pricing",
          {
              {1, "markets, prices and tax rates",
               // A country belongs to at most one market of a shop (primary key), so
               // MarketForCountry is one indexed lookup; the partial unique index keeps
               // one default market per shop. Prices and rates go with their market.
               "CREATE TABLE pricing_markets (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  handle TEXT NOT NULL,\n"
               "  name TEXT NOT NULL,\n"
               "  currency TEXT NOT NULL,\n"
               "  prices_include_tax INTEGER NOT NULL DEFAULT 0,\n"
               "  is_default INTEGER NOT NULL DEFAULT 0,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, handle)\n"
               ");\n"
               "CREATE UNIQUE INDEX pricing_markets_default ON pricing_markets (shop_id) WHERE is_default = 1;\n"
               "CREATE TABLE pricing_market_countries (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  country TEXT NOT NULL,\n"
               "  market_id BIGINT NOT NULL REFERENCES pricing_markets (id) ON DELETE CASCADE,\n"
               "  PRIMARY KEY (shop_id, country)\n"
               ");\n"
               "CREATE INDEX pricing_market_countries_market ON pricing_market_countries (shop_id, market_id);\n"
               "CREATE TABLE pricing_prices (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  market_id BIGINT NOT NULL REFERENCES pricing_markets (id) ON DELETE CASCADE,\n"
               "  variant_id BIGINT NOT NULL,\n"
               "  amount BIGINT NOT NULL CHECK (amount >= 0),\n"
               "  compare_at_amount BIGINT CHECK (compare_at_amount >= 0),\n"
               "  sale_amount BIGINT CHECK (sale_amount >= 0),\n"
               "  sale_starts_at BIGINT,\n"
               "  sale_ends_at BIGINT,\n"
               "  updated_at BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, market_id, variant_id)\n"
               ");\n"
               "CREATE INDEX pricing_prices_variant ON pricing_prices (shop_id, variant_id);\n"
               "CREATE TABLE pricing_tax_rates (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  market_id BIGINT NOT NULL REFERENCES pricing_markets (id) ON DELETE CASCADE,\n"
               "  region TEXT NOT NULL,\n"
               "  tax_class TEXT NOT NULL,\n"
               "  numerator BIGINT NOT NULL CHECK (numerator >= 0),\n"
               "  denominator BIGINT NOT NULL CHECK (denominator > 0),\n"
               "  name TEXT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, market_id, region, tax_class)\n"
               ");\n"},
          }};
}

}  // namespace plaza::pricing
