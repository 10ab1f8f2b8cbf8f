#pragma once
// The payments module's schema: Plaza's payments and their transactions, and the test
// provider's own state.

#include "plaza/store/migrations.h"

namespace plaza::payments {

// Component "payments". REQUIRES: runs after store::StoreMigrations().
store::MigrationSet PaymentsMigrations();

}  // namespace plaza::payments
