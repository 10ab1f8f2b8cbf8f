#pragma once
// The moderation module's schema: keyword rules, the queue with its reports and flags,
// warnings, bans, and the per-profile counters behind rate limits and trust levels.

#include "plaza/store/migrations.h"

namespace plaza::moderation {

// Component "moderation". REQUIRES: runs after store::StoreMigrations().
store::MigrationSet ModerationMigrations();

}  // namespace plaza::moderation
