#pragma once
// The audit log: who changed what in a shop, when and from where. Rows are appended in
// the same transaction as the change they describe and are never updated; reading them
// needs audit.read (IdentityService::ListAudit).

#include <cstdint>
#include <string>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/identity/permissions.h"
#include "plaza/store/database.h"

namespace plaza::identity {

struct AuditEntry {
  std::int64_t id = 0;  // increases with insertion; the pagination cursor
  std::int64_t shop_id = 0;
  std::string actor{};         // Principal::ActorLabel(), or "system" for operator actions
  std::string action{};        // "staff.created", "token.revoked" …
  std::string target{};        // what was acted on: "staff:12", "api_token:3", "shop:1"
  std::string details_json{};  // a JSON object; never holds secrets (passwords, tokens, TOTP secrets)
  std::string ip{};            // client address, empty for operator actions
  TimePoint at{};
};

// Appends one audit row inside the caller's transaction, so the record exists exactly
// when the change does. Other modules call this for their own staff actions.
// `entry.id` is ignored. REQUIRES: `tx` is a write transaction; `details_json` is a
// JSON object ("{}" when there is nothing to add).
// Returns the new row's id.
Result<std::int64_t> AppendAudit(store::Transaction& tx, const AuditEntry& entry);

// An AuditEntry for an action by `actor`, stamped with its actor label, ip and `at`.
AuditEntry AuditBy(const Principal& actor, std::string action, std::string target, std::string details_json,
                   TimePoint at);

}  // namespace plaza::identity
