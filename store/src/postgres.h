#pragma once
// PostgreSQL driver limits that DatabaseOptions does not carry. OpenPostgres(options)
// uses the defaults below; tests open a pool with tighter ones.

#include <chrono>
#include <memory>

#include "plaza/store/database.h"

namespace plaza::store {

struct PostgresLimits {
  // How long a transaction waits for a free pooled connection before failing with
  // kUnavailable. Well above a healthy transaction (milliseconds; lock waits are capped
  // by lock_timeout) yet below the 30-60 s after which load balancers and clients give
  // up, so an exhausted pool answers 503 instead of letting requests pile up unseen.
  std::chrono::milliseconds acquire_timeout{10'000};
  // Server-side cap on one statement, so a runaway query cannot hold a connection and
  // its locks indefinitely. Generous enough for reports and exports; a migration that
  // rewrites a large table should raise it for its own transaction (SET LOCAL).
  std::chrono::milliseconds statement_timeout{60'000};
  // How long opening a connection may take (libpq connect_timeout; whole seconds, at
  // least 2). A server that has not answered by then is down for our purposes. A
  // connect_timeout in the URL takes precedence.
  std::chrono::seconds connect_timeout{5};
};

Result<std::unique_ptr<Database>> OpenPostgres(const DatabaseOptions& options, const PostgresLimits& limits);

}  // namespace plaza::store
