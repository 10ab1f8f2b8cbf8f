#pragma once
// The inventory component's schema: locations, items, variant components, levels,
// buffers, reservations with their allocations, and the movement ledger. Portable SQL
// for SQLite and PostgreSQL; pass it to store::Migrate with the other components' sets.

#include "plaza/store/migrations.h"

namespace plaza::inventory {

// Component "inventory". Depends on no other component's tables.
store::MigrationSet InventoryMigrations();

}  // namespace plaza::inventory
