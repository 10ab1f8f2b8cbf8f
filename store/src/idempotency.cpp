#include "plaza/store/idempotency.h"

#include <algorithm>

namespace plaza::store {
namespace {

constexpr std::size_t kMaxKeyLength = 255;

bool LostRace(const Error& error) {
  return error.type == "db/unique-violation";
}

}  // namespace

Status ValidateIdempotencyKey(std::string_view key) {
  const bool printable = std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
  if (key.empty() || key.size() > kMaxKeyLength || !printable) {
    return Error::Invalid("idempotency/invalid-key", "Idempotency-Key must be 1 to 255 visible ASCII characters",
                          "Idempotency-Key");
  }
  return Ok();
}

Result<std::optional<IdempotentOutcome>> FindIdempotencyRecord(Transaction& tx, const IdempotencyKey& key) {
  PLAZA_ASSIGN_OR_RETURN(std::optional<Row> row,
                         tx.QueryOne("SELECT fingerprint, status, body FROM idempotency_records "
                                     "WHERE shop_id = ? AND operation = ? AND caller = ? AND idempotency_key = ?",
                                     {key.shop_id, key.operation, key.caller, key.key}));
  if (!row) return std::optional<IdempotentOutcome>{};
  if (row->Text(0) != key.fingerprint) {
    Error error{ErrorCode::kConflict, "idempotency/key-reused",
                "this Idempotency-Key was already used with a different request", "Idempotency-Key"};
    return error;
  }
  return std::optional<IdempotentOutcome>{IdempotentOutcome{static_cast<int>(row->Int(1)), row->Text(2)}};
}

Status SaveIdempotencyRecord(Transaction& tx, const IdempotencyKey& key, const IdempotentOutcome& outcome,
                             TimePoint now) {
  PLAZA_TRY(
      tx.Execute("INSERT INTO idempotency_records "
                 "(shop_id, operation, caller, idempotency_key, fingerprint, status, body, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 {key.shop_id, key.operation, key.caller, key.key, key.fingerprint, outcome.status, outcome.body,
                  ToUnixMillis(now)}));
  return Ok();
}

Result<IdempotentOutcome> RunIdempotent(Database& db, const IdempotencyKey& key, TimePoint now,
                                        const std::function<Result<IdempotentOutcome>(Transaction&)>& effect) {
  PLAZA_TRY(ValidateIdempotencyKey(key.key));
  Result<IdempotentOutcome> first = db.Write([&](Transaction& tx) -> Result<IdempotentOutcome> {
    PLAZA_ASSIGN_OR_RETURN(std::optional<IdempotentOutcome> earlier, FindIdempotencyRecord(tx, key));
    if (earlier) return std::move(*earlier);
    PLAZA_ASSIGN_OR_RETURN(IdempotentOutcome outcome, effect(tx));
    PLAZA_TRY(SaveIdempotencyRecord(tx, key, outcome, now));
    return outcome;
  });
  if (first.ok() || !LostRace(first.error())) return first;
  // A concurrent call with the same key committed first; its outcome is ours.
  return db.Read([&](Transaction& tx) -> Result<IdempotentOutcome> {
    PLAZA_ASSIGN_OR_RETURN(std::optional<IdempotentOutcome> winner, FindIdempotencyRecord(tx, key));
    if (!winner) return Error::Internal("idempotency record vanished after a unique violation");
    return std::move(*winner);
  });
}

Result<std::int64_t> DeleteIdempotencyRecordsBefore(Database& db, TimePoint cutoff) {
  return db.Write([&](Transaction& tx) -> Result<std::int64_t> {
    PLAZA_ASSIGN_OR_RETURN(QueryResult result,
                           tx.Execute("DELETE FROM idempotency_records WHERE created_at < ?", {ToUnixMillis(cutoff)}));
    return result.affected_rows;
  });
}

}  // namespace plaza::store
