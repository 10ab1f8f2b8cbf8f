#include "plaza/inventory/expiry_runner.h"

#include <spdlog/spdlog.h>

namespace plaza::inventory {

ExpiryRunner::ExpiryRunner(InventoryService& service, const Clock& clock, std::chrono::milliseconds interval)
    : service_(service), clock_(clock), interval_(interval) {}

ExpiryRunner::~ExpiryRunner() {
  Stop();
}

void ExpiryRunner::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void ExpiryRunner::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ExpiryRunner::Run() {
  // The first pass runs even when Stop() came first, so a started runner always
  // completes at least one pass.
  std::unique_lock lock(mutex_);
  for (;;) {
    lock.unlock();
    auto expired = service_.ExpireReservations(clock_.Now());
    // A failed pass (database briefly down) is logged and retried on the next tick;
    // nothing is lost, since expiry only reads state the next pass reads again.
    if (!expired.ok()) {
      spdlog::warn("inventory: expiring reservations failed: {}", expired.error().detail);
    } else if (*expired > 0) {
      spdlog::info("inventory: expired {} reservations", *expired);
    }
    lock.lock();
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  }
}

}  // namespace plaza::inventory
