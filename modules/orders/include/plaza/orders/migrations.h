#pragma once
// The orders component's schema: carts and their lines, orders, order lines, returns,
// customer addresses and per-shop order settings. Portable SQL for SQLite and PostgreSQL.

#include "plaza/store/migrations.h"

namespace plaza::orders {

// Component "orders". Reads no other component's tables: variant, market, promotion and
// payment ids are plain numbers here.
store::MigrationSet OrdersMigrations();

}  // namespace plaza::orders
