#pragma once
// The social module's schema: profiles, follows, follow requests, blocks and mutes.

#include "plaza/store/migrations.h"

namespace plaza::social {

// Component "social". REQUIRES: runs after store::StoreMigrations().
store::MigrationSet SocialMigrations();

}  // namespace plaza::social
