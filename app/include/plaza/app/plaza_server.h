#pragma once
// A whole Plaza server assembled from a Config: database pool, module services, the
// outbox dispatcher with its consumers, and the HTTP server with every route. The
// `serve` command runs one; integration tests start one in-process on port 0.

#include <memory>
#include <vector>

#include "plaza/app/config.h"
#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"
#include "plaza/store/migrations.h"

namespace plaza::app {

// Every component's migrations, in dependency order.
std::vector<store::MigrationSet> AllMigrations();

// Opens the configured database with the configured pool size.
Result<std::unique_ptr<store::Database>> OpenConfiguredDatabase(const Config& config);

class PlazaServer {
 public:
  struct Options {
    // SIGINT/SIGTERM stop the server (the `serve` command); tests leave it off.
    bool handle_signals = false;
    // Injected time; the system clock when null. Must outlive the server.
    const Clock* clock = nullptr;
  };

  // Opens the database (migrating first with config.migrate_on_start), builds the
  // services and registers the routes. Does not listen yet.
  static Result<std::unique_ptr<PlazaServer>> Create(const Config& config, Options options);
  ~PlazaServer();
  PlazaServer(const PlazaServer&) = delete;
  PlazaServer& operator=(const PlazaServer&) = delete;

  // Listens and starts the outbox dispatcher; returns at once.
  Status Start();
  // The bound port. REQUIRES: Start() succeeded.
  std::uint16_t port() const;
  // Graceful stop: the HTTP server drains, then the dispatcher finishes its batch.
  void Stop();
  // Blocks until stopped (by Stop() or a signal), then closes the database.
  void Wait();

  store::Database& database();

 private:
  struct Parts;
  explicit PlazaServer(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace plaza::app
