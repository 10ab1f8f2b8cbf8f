#pragma once
// The schema that store/ itself owns: the transactional outbox (outbox.h) and the
// dispatcher's per-consumer delivery state (outbox_dispatcher.h). Run it with the
// modules' sets through Migrate(); it must come before any set whose code appends events.

#include "plaza/store/migrations.h"

namespace plaza::store {

// Component "store".
MigrationSet StoreMigrations();

}  // namespace plaza::store
