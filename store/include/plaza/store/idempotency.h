#pragma once
// Idempotency keys: a client that retries a mutating call with the same key gets the
// first call's outcome instead of a second effect (one order, one charge).
//
// The record is written in the same transaction as the effect it guards, so the effect
// and "this key has been used" commit together or not at all; a crash in between leaves
// neither. A key is scoped to a shop, an operation ("orders.place") and the caller, and
// remembers a fingerprint of the request: the same key with a different request is an
// error ("idempotency/key-reused"), never a silent replay of something else.
//
// Use inside a write transaction:
//
//   PLAZA_ASSIGN_OR_RETURN(auto earlier, FindIdempotencyRecord(tx, key));
//   if (earlier) return Decode(earlier->outcome);
//   … make the change …
//   PLAZA_TRY(SaveIdempotencyRecord(tx, key, {201, Encode(result)}, now));
//
// Two concurrent first calls both miss; one commits, the other's insert is a unique
// violation (or a serialization failure on PostgreSQL) and its whole transaction rolls
// back. RunIdempotent below turns that into a replay of the winner's outcome.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"

namespace plaza::store {

struct IdempotencyKey {
  std::int64_t shop_id = 0;
  std::string operation;    // what the key guards, e.g. "orders.place"
  std::string caller;       // who may replay it, e.g. "customer:42", "token:7", "cart:<token>"
  std::string key;          // the client's Idempotency-Key header: 1–255 visible ASCII characters
  std::string fingerprint;  // a digest of the request (method, path, body) the key was first used with
};

struct IdempotentOutcome {
  int status = 0;    // what the first call answered, e.g. 201
  std::string body;  // its body (JSON), replayed verbatim
};

// Checks the client-supplied key text: 1–255 printable ASCII characters, else
// "idempotency/invalid-key" on field "Idempotency-Key".
Status ValidateIdempotencyKey(std::string_view key);

// The outcome stored for `key`, nullopt when the key is new. "idempotency/key-reused"
// (kInvalidArgument: 422, as the IETF Idempotency-Key draft answers) when it was used
// with another fingerprint.
Result<std::optional<IdempotentOutcome>> FindIdempotencyRecord(Transaction& tx, const IdempotencyKey& key);

// Records `outcome` for `key`. REQUIRES: a write transaction in which
// FindIdempotencyRecord found nothing.
Status SaveIdempotencyRecord(Transaction& tx, const IdempotencyKey& key, const IdempotentOutcome& outcome,
                             TimePoint now);

// Runs `effect` once per key: replays a stored outcome, or runs `effect` in a write
// transaction and stores what it returns there. A concurrent duplicate that loses the
// race gets the winner's outcome. Failed effects store nothing, so a client may retry
// them with the same key. With `queue_keys` the transaction is a queued write
// (Database::RunQueuedWrite).
Result<IdempotentOutcome> RunIdempotent(Database& db, const IdempotencyKey& key, TimePoint now,
                                        const std::function<Result<IdempotentOutcome>(Transaction&)>& effect,
                                        std::span<const std::int64_t> queue_keys = {});

// For effects that run in transactions of their own (a generic HTTP layer cannot join
// the handler's transaction): claim the key first, run, then complete or abandon it.
// A claim whose holder died is taken over after `lease`, so a crash between the effect's
// commit and CompleteIdempotencyKey can repeat the effect once; effects that must never
// repeat also record the key in their own transaction (RunIdempotent), which makes the
// repeat a replay.
struct IdempotencyClaim {
  enum class State { kClaimed, kReplay, kInProgress };
  State state = State::kClaimed;
  IdempotentOutcome outcome;  // set for kReplay
};
Result<IdempotencyClaim> ClaimIdempotencyKey(Database& db, const IdempotencyKey& key, TimePoint now,
                                             std::chrono::milliseconds lease);
Status CompleteIdempotencyKey(Database& db, const IdempotencyKey& key, const IdempotentOutcome& outcome);
Status AbandonIdempotencyKey(Database& db, const IdempotencyKey& key);

// Deletes records older than `cutoff` (a background sweep; keys are kept 24 hours).
Result<std::int64_t> DeleteIdempotencyRecordsBefore(Database& db, TimePoint cutoff);

}  // namespace plaza::store
