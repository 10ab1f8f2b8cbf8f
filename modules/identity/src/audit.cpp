#include "plaza/identity/audit.h"

#include <utility>

namespace plaza::identity {

Result<std::int64_t> AppendAudit(store::Transaction& tx, const AuditEntry& entry) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("INSERT INTO audit_log (shop_id, actor, action, target, details, ip, at)"
                                               " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                               {entry.shop_id, entry.actor, entry.action, entry.target,
                                                entry.details_json.empty() ? std::string("{}") : entry.details_json,
                                                entry.ip, ToUnixMillis(entry.at)}));
  if (!row) return Error::Internal("the audit row was not inserted");
  return row->Int(0);
}

AuditEntry AuditBy(const Principal& actor, std::string action, std::string target, std::string details_json,
                   TimePoint at) {
  AuditEntry entry;
  entry.shop_id = actor.shop_id;
  entry.actor = actor.ActorLabel();
  entry.action = std::move(action);
  entry.target = std::move(target);
  entry.details_json = std::move(details_json);
  entry.ip = actor.ip;
  entry.at = at;
  return entry;
}

}  // namespace plaza::identity
