#pragma once
// Driver entry points and helpers shared by the SQLite and PostgreSQL drivers.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "plaza/store/database.h"

namespace plaza::store {

Result<std::unique_ptr<Database>> OpenSqlite(const DatabaseOptions& options);
Result<std::unique_ptr<Database>> OpenPostgres(const DatabaseOptions& options);

// The error a driver returns when the database asks for the transaction to be retried.
Error RetryableError(std::string detail);
bool IsRetryable(const Error& error);

// Runs `attempt` until it succeeds, fails with a non-retryable error, or the bound on
// attempts is reached; sleeps with jittered exponential back-off between attempts and
// counts each retry in `retries`.
Status RunWithRetry(const std::function<Status()>& attempt, std::atomic<std::int64_t>& retries);

}  // namespace plaza::store
