#pragma once
// The catalog module's schema: products, options, variants, media, collections,
// attribute definitions and values, and the full-text index (FTS5 on SQLite, tsvector
// with GIN on PostgreSQL).

#include "plaza/store/migrations.h"

namespace plaza::catalog {

// Component "catalog". REQUIRES: runs after store::StoreMigrations().
store::MigrationSet CatalogMigrations();

}  // namespace plaza::catalog
