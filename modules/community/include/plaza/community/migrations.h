#pragma once
// The community module's schema: groups, their members, join requests, invitations and
// pinned posts; ideas, their supports and the shop's idea-board settings.

#include "plaza/store/migrations.h"

namespace plaza::community {

// Component "community". REQUIRES: runs after store::StoreMigrations().
store::MigrationSet CommunityMigrations();

}  // namespace plaza::community
