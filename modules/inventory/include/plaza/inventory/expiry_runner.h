#pragma once
// Runs InventoryService::ExpireReservations on a background thread every `interval`,
// so held stock returns to sale when a checkout is abandoned. The server owns one.
//
// Thread-safety: Start and Stop are called from one owning thread.

#include <chrono>

#include "plaza/core/clock.h"
#include "plaza/core/periodic_task.h"
#include "plaza/inventory/inventory.h"

namespace plaza::inventory {

class ExpiryRunner {
 public:
  // Short enough that an abandoned cart's units come back within seconds of their
  // expiry, long enough that an idle shop costs one cheap indexed query per tick.
  static constexpr std::chrono::milliseconds kDefaultInterval = std::chrono::seconds(5);

  // `service` and `clock` must outlive the runner.
  ExpiryRunner(InventoryService& service, const Clock& clock, std::chrono::milliseconds interval = kDefaultInterval);
  ExpiryRunner(const ExpiryRunner&) = delete;
  ExpiryRunner& operator=(const ExpiryRunner&) = delete;

  // Starts the thread; the first pass runs at once, and always completes. Idempotent.
  void Start() { task_.Start(); }
  // Wakes the thread, waits for the pass in progress to finish and joins. Idempotent.
  void Stop() { task_.Stop(); }

 private:
  void Pass();

  InventoryService& service_;
  const Clock& clock_;
  PeriodicTask task_;
};

}  // namespace plaza::inventory
