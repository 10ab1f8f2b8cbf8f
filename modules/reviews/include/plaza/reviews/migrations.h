#pragma once
// The reviews module's schema: reviews, rating aggregates, review requests, product
// questions, answers and votes.

#include "plaza/store/migrations.h"

namespace plaza::reviews {

// Component "reviews". REQUIRES: runs after store::StoreMigrations().
store::MigrationSet ReviewsMigrations();

}  // namespace plaza::reviews
