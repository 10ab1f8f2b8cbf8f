#pragma once
// The schema of feeds, notifications and purchase sharing, a component of its own so it
// evolves apart from profiles and posts.

#include "plaza/store/migrations.h"

namespace plaza::social {

// Component "social_feeds". REQUIRES: runs after SocialMigrations().
store::MigrationSet SocialFeedsMigrations();

}  // namespace plaza::social
