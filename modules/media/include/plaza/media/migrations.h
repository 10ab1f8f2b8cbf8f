#pragma once
// The media module's schema: uploaded assets and their renditions.

#include "plaza/store/migrations.h"

namespace plaza::media {

// Component "media". REQUIRES: runs after store::StoreMigrations().
store::MigrationSet MediaMigrations();

}  // namespace plaza::media
