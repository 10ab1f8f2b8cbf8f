#include "plaza/inventory/expiry_runner.h"

#include <spdlog/spdlog.h>

namespace plaza::inventory {

ExpiryRunner::ExpiryRunner(InventoryService& service, const Clock& clock, std::chrono::milliseconds interval)
    : service_(service), clock_(clock), task_(interval, [this] { Pass(); }) {}

void ExpiryRunner::Pass() {
  auto expired = service_.ExpireReservations(clock_.Now());
  // A failed pass (database briefly down) is logged and retried on the next tick;
  // nothing is lost, since expiry only reads state the next pass reads again.
  if (!expired.ok()) {
    spdlog::warn("inventory: expiring reservations failed: {}", expired.error().detail);
  } else if (*expired > 0) {
    spdlog::info("inventory: expired {} reservations", *expired);
  }
}

}  // namespace plaza::inventory
