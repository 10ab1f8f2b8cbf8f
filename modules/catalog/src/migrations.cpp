#include "plaza/catalog/migrations.h"

namespace plaza::catalog {

// Notes on the schema:
// - Every table is a tenant table keyed by shop_id, and every unique constraint and
//   lookup index starts with it. Ids come from AUTOINCREMENT / identity columns, so a
//   deleted product's or variant's id is never handed out again (feeds quote them).
// - Variants keep up to three option values in fixed columns: the option count is
//   bounded by the model, and facet queries group on plain columns.
// - SKUs are unique per shop when not empty (a partial unique index, which both engines
//   support), so checkout and stock can address a variant by SKU.
// - Tags are stored twice: as display text on the product and as rows in
//   catalog_product_tags (lower-cased) for filters, facets and collection rules.
// - The full-text index has no portable form: FTS5 keyed by product id on SQLite, a
//   weighted tsvector column with a GIN index on PostgreSQL. Both are written by the
//   repository in the transaction of the product change.
// - catalog_versions holds one counter per shop that every catalog write raises in its
//   own transaction; storefront caches compare it instead of the catalog rows.
store::MigrationSet CatalogMigrations() {
  return {"catalog",
          {{1, "products, variants, media, collections, attributes and search",
            R"sql(CREATE TABLE catalog_products (
  id {{pk}},
  shop_id BIGINT NOT NULL,
  handle TEXT NOT NULL,
  title TEXT NOT NULL,
  description_html TEXT NOT NULL,
  vendor TEXT NOT NULL,
  product_type TEXT NOT NULL,
  tags TEXT NOT NULL,
  item_condition TEXT NOT NULL CHECK (item_condition IN ('new', 'refurbished', 'used')),
  google_product_category TEXT NOT NULL,
  seo_title TEXT NOT NULL,
  seo_description TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
  channels TEXT NOT NULL,
  option1_name TEXT,
  option2_name TEXT,
  option3_name TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (shop_id, handle)
);
CREATE INDEX catalog_products_by_status ON catalog_products (shop_id, status, id);
CREATE INDEX catalog_products_by_vendor ON catalog_products (shop_id, vendor);
CREATE INDEX catalog_products_by_type ON catalog_products (shop_id, product_type);
CREATE TABLE catalog_product_tags (
  shop_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  tag TEXT NOT NULL,
  PRIMARY KEY (shop_id, product_id, tag)
);
CREATE INDEX catalog_product_tags_by_tag ON catalog_product_tags (shop_id, tag, product_id);
CREATE TABLE catalog_variants (
  id {{pk}},
  shop_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  position INTEGER NOT NULL,
  option1 TEXT,
  option2 TEXT,
  option3 TEXT,
  title TEXT NOT NULL,
  sku TEXT NOT NULL,
  gtin TEXT NOT NULL,
  mpn TEXT NOT NULL,
  weight_grams BIGINT NOT NULL CHECK (weight_grams >= 0),
  requires_shipping INTEGER NOT NULL CHECK (requires_shipping IN (0, 1)),
  tax_class TEXT NOT NULL,
  image_id BIGINT
);
CREATE INDEX catalog_variants_by_product ON catalog_variants (shop_id, product_id, position);
CREATE UNIQUE INDEX catalog_variants_sku ON catalog_variants (shop_id, sku) WHERE sku <> '';
CREATE TABLE catalog_media (
  id {{pk}},
  shop_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  position INTEGER NOT NULL,
  url TEXT NOT NULL,
  alt TEXT NOT NULL
);
CREATE INDEX catalog_media_by_product ON catalog_media (shop_id, product_id, position);
CREATE TABLE catalog_attribute_definitions (
  id {{pk}},
  shop_id BIGINT NOT NULL,
  owner TEXT NOT NULL CHECK (owner IN ('product', 'variant')),
  attribute_key TEXT NOT NULL,
  name TEXT NOT NULL,
  value_type TEXT NOT NULL,
  required INTEGER NOT NULL CHECK (required IN (0, 1)),
  UNIQUE (shop_id, owner, attribute_key)
);
CREATE TABLE catalog_attribute_values (
  shop_id BIGINT NOT NULL,
  owner TEXT NOT NULL,
  owner_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  attribute_key TEXT NOT NULL,
  position INTEGER NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (shop_id, owner, owner_id, attribute_key, position)
);
CREATE INDEX catalog_attribute_values_by_product ON catalog_attribute_values (shop_id, product_id);
CREATE TABLE catalog_collections (
  id {{pk}},
  shop_id BIGINT NOT NULL,
  handle TEXT NOT NULL,
  title TEXT NOT NULL,
  description_html TEXT NOT NULL,
  rule_based INTEGER NOT NULL CHECK (rule_based IN (0, 1)),
  match_all INTEGER NOT NULL CHECK (match_all IN (0, 1)),
  published INTEGER NOT NULL CHECK (published IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (shop_id, handle)
);
CREATE TABLE catalog_collection_rules (
  shop_id BIGINT NOT NULL,
  collection_id BIGINT NOT NULL,
  position INTEGER NOT NULL,
  field TEXT NOT NULL,
  relation TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (shop_id, collection_id, position)
);
CREATE TABLE catalog_collection_products (
  shop_id BIGINT NOT NULL,
  collection_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  position BIGINT NOT NULL,
  PRIMARY KEY (shop_id, collection_id, product_id)
);
CREATE INDEX catalog_collection_products_by_product ON catalog_collection_products (shop_id, product_id);
CREATE INDEX catalog_collection_products_by_position ON catalog_collection_products (shop_id, collection_id, position);
{{sqlite}}CREATE VIRTUAL TABLE catalog_search USING fts5(title, body, vendor, tags, skus, tokenize = 'unicode61 remove_diacritics 2');
{{postgres}}ALTER TABLE catalog_products ADD COLUMN search_vector tsvector;
{{postgres}}CREATE INDEX catalog_products_search ON catalog_products USING GIN (search_vector)
)sql"},
           {2, "catalog version per shop",
            R"sql(
CREATE TABLE catalog_versions (
  shop_id BIGINT PRIMARY KEY,
  version BIGINT NOT NULL
)
)sql"},
           // Looking up the collections of a few products must not walk every membership
           // of the shop: with collection_id in the index, the products' rows come out
           // already in the order the readers ask for, so no planner prefers the primary key.
           {3, "collection memberships by product, in collection order",
            R"sql(
DROP INDEX catalog_collection_products_by_product;
CREATE INDEX catalog_collection_products_by_product ON catalog_collection_products (shop_id, product_id, collection_id)
)sql"}}};
}

}  // namespace plaza::catalog
