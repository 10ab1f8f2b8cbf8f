#pragma once
// The demo shop `plaza seed-demo` creates, so `make run` shows something real.

#include <string>

#include "plaza/core/result.h"
#include "plaza/identity/identity_service.h"

namespace plaza::app {

struct DemoCredentials {
  std::string shop_handle;
  std::string staff_email;
  std::string staff_password;
};

// The fixed log-in printed by `make run`; a demo on a laptop, never a deployment.
DemoCredentials DemoLogin();

// Creates the demo shop with its owner and a few staff in other roles. With
// `if_empty`, does nothing when any shop exists. Returns whether it created the shop.
Result<bool> SeedDemo(store::Database& db, identity::IdentityService& identity, bool if_empty);

}  // namespace plaza::app
