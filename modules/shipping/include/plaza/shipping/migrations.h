#pragma once
// The shipping module's schema: zones and their destinations, rates, fulfilment
// settings and holidays.

#include "plaza/store/migrations.h"

namespace plaza::shipping {

// Component "shipping". REQUIRES: runs after store::StoreMigrations().
store::MigrationSet ShippingMigrations();

}  // namespace plaza::shipping
