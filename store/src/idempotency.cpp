#include "plaza/store/idempotency.h"

#include <algorithm>

namespace plaza::store {
namespace {

constexpr std::size_t kMaxKeyLength = 255;
// The status of a claimed key whose effect has not finished.
constexpr int kInProgress = 0;

bool LostRace(const Error& error) {
  return error.type == "db/unique-violation";
}

struct StoredRecord {
  IdempotentOutcome outcome;
  TimePoint created_at;
};

// The record for `key`, or "idempotency/key-reused" when it guards another request.
Result<std::optional<StoredRecord>> LoadRecord(Transaction& tx, const IdempotencyKey& key) {
  PLAZA_ASSIGN_OR_RETURN(std::optional<Row> row,
                         tx.QueryOne("SELECT fingerprint, status, body, created_at FROM idempotency_records "
                                     "WHERE shop_id = ? AND operation = ? AND caller = ? AND idempotency_key = ?",
                                     {key.shop_id, key.operation, key.caller, key.key}));
  if (!row) return std::optional<StoredRecord>{};
  if (row->Text(0) != key.fingerprint) {
    return Error{ErrorCode::kInvalidArgument, "idempotency/key-reused",
                 "this Idempotency-Key was already used with a different request", "Idempotency-Key"};
  }
  return std::optional<StoredRecord>{
      StoredRecord{{static_cast<int>(row->Int(1)), row->Text(2)}, FromUnixMillis(row->Int(3))}};
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
  PLAZA_ASSIGN_OR_RETURN(std::optional<StoredRecord> record, LoadRecord(tx, key));
  if (!record) return std::optional<IdempotentOutcome>{};
  return std::optional<IdempotentOutcome>{std::move(record->outcome)};
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
                                        const std::function<Result<IdempotentOutcome>(Transaction&)>& effect,
                                        std::span<const std::int64_t> queue_keys) {
  PLAZA_TRY(ValidateIdempotencyKey(key.key));
  Result<IdempotentOutcome> first = db.WriteQueued(queue_keys, [&](Transaction& tx) -> Result<IdempotentOutcome> {
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

Result<IdempotencyClaim> ClaimIdempotencyKey(Database& db, const IdempotencyKey& key, TimePoint now,
                                             std::chrono::milliseconds lease) {
  PLAZA_TRY(ValidateIdempotencyKey(key.key));
  Result<IdempotencyClaim> claim = db.Write([&](Transaction& tx) -> Result<IdempotencyClaim> {
    PLAZA_ASSIGN_OR_RETURN(std::optional<StoredRecord> record, LoadRecord(tx, key));
    if (record && record->outcome.status != kInProgress) {
      return IdempotencyClaim{IdempotencyClaim::State::kReplay, std::move(record->outcome)};
    }
    if (record && record->created_at + lease > now) {
      return IdempotencyClaim{IdempotencyClaim::State::kInProgress, {}};
    }
    if (record) {
      PLAZA_TRY(
          tx.Execute("UPDATE idempotency_records SET created_at = ? "
                     "WHERE shop_id = ? AND operation = ? AND caller = ? AND idempotency_key = ?",
                     {ToUnixMillis(now), key.shop_id, key.operation, key.caller, key.key}));
    } else {
      PLAZA_TRY(SaveIdempotencyRecord(tx, key, {kInProgress, ""}, now));
    }
    return IdempotencyClaim{IdempotencyClaim::State::kClaimed, {}};
  });
  // Lost the race to insert the claim: the other call holds it now.
  if (!claim.ok() && LostRace(claim.error())) return IdempotencyClaim{IdempotencyClaim::State::kInProgress, {}};
  return claim;
}

Status CompleteIdempotencyKey(Database& db, const IdempotencyKey& key, const IdempotentOutcome& outcome) {
  return db.Write([&](Transaction& tx) -> Status {
    PLAZA_TRY(
        tx.Execute("UPDATE idempotency_records SET status = ?, body = ? "
                   "WHERE shop_id = ? AND operation = ? AND caller = ? AND idempotency_key = ?",
                   {outcome.status, outcome.body, key.shop_id, key.operation, key.caller, key.key}));
    return Ok();
  });
}

Status AbandonIdempotencyKey(Database& db, const IdempotencyKey& key) {
  return db.Write([&](Transaction& tx) -> Status {
    PLAZA_TRY(
        tx.Execute("DELETE FROM idempotency_records "
                   "WHERE shop_id = ? AND operation = ? AND caller = ? AND idempotency_key = ? AND status = ?",
                   {key.shop_id, key.operation, key.caller, key.key, kInProgress}));
    return Ok();
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
