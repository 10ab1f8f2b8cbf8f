#pragma once
// Numbered schema migrations that run on SQLite and PostgreSQL.
//
// Each library that owns tables (store itself, every module) declares its own ordered
// list, named by `component`; `schema_migrations(component, version)` records what ran.
// A migration's SQL is portable SQL with these substitutions:
//   {{pk}}    -> an auto-increment 64-bit primary key column type
//   {{blob}}  -> BLOB / BYTEA
// A statement starting with {{sqlite}} or {{postgres}} runs on that engine only (for
// what has no portable form, such as full-text indexes).
// Statements are separated by ';' at the end of a line.

#include <span>
#include <string>
#include <vector>

#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::store {

struct Migration {
  int version;       // 1, 2, 3 … within its component; never renumbered once released
  std::string name;  // short description, recorded when applied
  std::string sql;
};

struct MigrationSet {
  std::string component;  // "store", "identity", "channels" …
  std::vector<Migration> migrations;
};

// Applies every migration not yet applied, each in its own transaction, in the order of
// `sets` and then by version. Idempotent. Safe when several processes start at once
// on PostgreSQL (an advisory lock serialises them).
Status Migrate(Database& db, std::span<const MigrationSet> sets);

// The versions already applied, as "component:version" strings, for `plaza migrate --status`.
Result<std::vector<std::string>> AppliedMigrations(Database& db);

// The SQL of `migration` for `dialect`, with the substitutions above applied.
std::string RenderMigrationSql(const std::string& sql, Dialect dialect);

}  // namespace plaza::store
