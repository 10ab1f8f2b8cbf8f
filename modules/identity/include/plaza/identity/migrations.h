#pragma once
// The identity component's schema: shops, staff, customers, sessions, password-reset
// tokens, API tokens, log-in attempts and the audit log. Portable SQL for SQLite and
// PostgreSQL; pass it to store::Migrate with the other components' sets.

#include "plaza/store/migrations.h"

namespace plaza::identity {

// Component "identity". Depends on no other component's tables.
store::MigrationSet IdentityMigrations();

}  // namespace plaza::identity
