#pragma once
// The promotions module's schema: promotions, their codes, redemptions and per-customer
// uses.

#include "plaza/store/migrations.h"

namespace plaza::promotions {

// Component "promotions". REQUIRES: runs after store::StoreMigrations().
store::MigrationSet PromotionsMigrations();

}  // namespace plaza::promotions
