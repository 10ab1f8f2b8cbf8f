#pragma once
// The channels module's schema: webhook subscriptions and their delivery records.

#include "plaza/store/migrations.h"

namespace plaza::channels {

// Component "channels". REQUIRES: runs after store::StoreMigrations().
store::MigrationSet ChannelsMigrations();

}  // namespace plaza::channels
