#pragma once
// The pricing module's schema: markets, their countries, variant prices and tax rates.

#include "plaza/store/migrations.h"

namespace plaza::pricing {

// Component "pricing". REQUIRES: runs after store::StoreMigrations().
store::MigrationSet PricingMigrations();

}  // namespace plaza::pricing
