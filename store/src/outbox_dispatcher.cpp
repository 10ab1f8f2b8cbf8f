#include "plaza/store/outbox_dispatcher.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <random>
#include <utility>

#include "plaza/core/crypto.h"

namespace plaza::store {
namespace {

// Limits the claim statement's IN list and the memory of one batch; a larger batch buys
// nothing once the claim query is amortised.
constexpr int kMaxBatchSize = 1000;
// An error text comes from the consumer (often a receiver's response); it is shown to
// staff, so a short excerpt is all that is useful.
constexpr std::size_t kMaxErrorLength = 2000;
// Old events are deleted at most this often, in chunks of kPruneChunk, so pruning is a
// short transaction that never competes with delivery for long; kMaxPruneChunks chunks a
// round delete millions of events a day, far above any shop's event rate.
constexpr std::chrono::minutes kPruneInterval(1);
constexpr int kPruneChunk = 5000;
constexpr int kMaxPruneChunks = 10;

constexpr std::string_view kClaimSql =
    "SELECT d.event_id, d.attempts, e.shop_id, e.aggregate_type, e.aggregate_id, e.event_type, e.payload,"
    " e.created_at"
    " FROM outbox_deliveries d JOIN outbox_events e ON e.id = d.event_id"
    " WHERE d.consumer = ? AND d.state = 'pending' AND d.next_attempt_at <= ? AND d.attempts < ?"
    " AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= ?)"
    // Only the head of each aggregate's queue: nothing earlier of the same aggregate is
    // still owed to this consumer (waiting, backing off or leased by anyone).
    " AND NOT EXISTS (SELECT 1 FROM outbox_deliveries p WHERE p.consumer = d.consumer"
    " AND p.aggregate_type = d.aggregate_type AND p.aggregate_id = d.aggregate_id"
    " AND p.event_id < d.event_id AND p.state = 'pending')"
    " ORDER BY d.event_id LIMIT ?";

std::string Truncate(std::string text) {
  if (text.size() > kMaxErrorLength) {
    // Cut on a UTF-8 boundary so the stored text stays valid.
    std::size_t cut = kMaxErrorLength;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
  }
  return text;
}

std::int64_t Millis(std::chrono::milliseconds duration) {
  return duration.count();
}

}  // namespace

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int failed_attempts, double unit_random) {
  const std::int64_t ceiling = std::max<std::int64_t>(policy.max_delay.count(), 0);
  std::int64_t delay = std::min(std::max<std::int64_t>(policy.initial_delay.count(), 0), ceiling);
  for (int doubling = 1; doubling < failed_attempts && delay < ceiling; ++doubling) {
    delay = std::min(delay * 2, ceiling);
  }
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0) * std::clamp(unit_random, 0.0, 1.0);
  delay -= static_cast<std::int64_t>(static_cast<double>(delay) * jitter);
  return std::chrono::milliseconds(delay);
}

struct OutboxDispatcher::ConsumerState {
  explicit ConsumerState(OutboxConsumer& target)
      : consumer(target), name(target.name()), jitter(std::random_device{}()) {}

  OutboxConsumer& consumer;
  const std::string name;
  std::minstd_rand jitter;  // used only by the thread running this consumer
  std::atomic<std::int64_t> pending{0};
  std::atomic<std::int64_t> dead{0};
  std::atomic<std::int64_t> delivered{0};
  std::atomic<std::int64_t> retried{0};
  std::atomic<std::int64_t> dead_lettered{0};
  std::atomic<std::int64_t> stale_outcomes{0};
};

OutboxDispatcher::OutboxDispatcher(Database& db, const Clock& clock, OutboxDispatcherOptions options)
    : db_(db), clock_(clock), options_(std::move(options)) {
  if (options_.owner.empty()) options_.owner = crypto::RandomToken(12);
}

OutboxDispatcher::~OutboxDispatcher() {
  Stop();
}

void OutboxDispatcher::AddConsumer(OutboxConsumer& consumer) {
  consumers_.push_back(std::make_unique<ConsumerState>(consumer));
  registered_ = false;
}

Status OutboxDispatcher::CheckOptions() const {
  const RetryPolicy& retry = options_.retry;
  if (options_.batch_size < 1 || options_.batch_size > kMaxBatchSize) {
    return Error::Invalid("config/outbox", "the outbox batch size must be 1 to 1000", "batch_size");
  }
  if (options_.lease_duration <= std::chrono::milliseconds::zero()) {
    return Error::Invalid("config/outbox", "the outbox lease must be positive", "lease_duration");
  }
  if (options_.poll_interval <= std::chrono::milliseconds::zero()) {
    return Error::Invalid("config/outbox", "the outbox poll interval must be positive", "poll_interval");
  }
  if (options_.retention < std::chrono::milliseconds::zero()) {
    return Error::Invalid("config/outbox", "the outbox retention cannot be negative", "retention");
  }
  if (retry.max_attempts < 1) {
    return Error::Invalid("config/outbox", "an event needs at least one attempt", "max_attempts");
  }
  if (retry.initial_delay <= std::chrono::milliseconds::zero() || retry.max_delay < retry.initial_delay) {
    return Error::Invalid("config/outbox", "retry delays must be positive, the maximum at least the initial one",
                          "max_delay");
  }
  if (!(retry.jitter >= 0.0 && retry.jitter <= 1.0)) {
    return Error::Invalid("config/outbox", "the retry jitter must be between 0 and 1", "jitter");
  }
  for (std::size_t i = 0; i < consumers_.size(); ++i) {
    if (consumers_[i]->name.empty()) return Error::Invalid("config/outbox", "an outbox consumer has no name");
    for (std::size_t j = 0; j < i; ++j) {
      if (consumers_[j]->name == consumers_[i]->name) {
        return Error::Invalid("config/outbox", "two outbox consumers are named " + consumers_[i]->name);
      }
    }
  }
  return Ok();
}

Status OutboxDispatcher::RegisterConsumers() {
  PLAZA_TRY(CheckOptions());
  const std::int64_t now_ms = ToUnixMillis(clock_.Now());
  PLAZA_TRY(db_.Write([&](Transaction& tx) -> Status {
    for (const auto& state : consumers_) {
      PLAZA_TRY(
          tx.Execute("INSERT INTO outbox_consumers (name, registered_at) VALUES (?, ?)"
                     " ON CONFLICT (name) DO NOTHING",
                     {state->name, now_ms}));
    }
    return Ok();
  }));
  registered_ = true;
  return Ok();
}

Status OutboxDispatcher::Start() {
  if (!threads_.empty()) return Error::Internal("the outbox dispatcher is already running");
  PLAZA_TRY(RegisterConsumers());
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  for (const auto& state : consumers_) {
    ConsumerState* target = state.get();
    threads_.emplace_back([this, target] { WorkerLoop(*target); });
  }
  return Ok();
}

void OutboxDispatcher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

Result<int> OutboxDispatcher::RunOnce() {
  if (!registered_) PLAZA_TRY(RegisterConsumers());
  int handed_out = 0;
  for (const auto& state : consumers_) {
    PLAZA_ASSIGN_OR_RETURN(const int count, RunConsumer(*state));
    handed_out += count;
    PLAZA_TRY(RefreshGauges(*state));
  }
  PLAZA_TRY(PruneIfDue());
  return handed_out;
}

void OutboxDispatcher::WorkerLoop(ConsumerState& state) {
  auto last_refresh = std::chrono::steady_clock::time_point();
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    Result<int> handed_out = RunConsumer(state);
    Status round = handed_out.ok() ? Status() : Status(handed_out.error());
    // Counting is not free on a large backlog, so gauges are refreshed at most once per
    // poll interval however fast batches go.
    const auto steady_now = std::chrono::steady_clock::now();
    if (round.ok() && steady_now - last_refresh >= options_.poll_interval) {
      round = RefreshGauges(state);
      last_refresh = steady_now;
    }
    if (round.ok()) round = PruneIfDue();
    if (!round.ok()) {
      RecordError(round.error());
    } else {
      std::lock_guard lock(mutex_);
      last_error_.clear();
    }
    const bool busy = round.ok() && handed_out.ok() && *handed_out > 0;
    std::unique_lock lock(mutex_);
    if (busy) continue;
    // Idle or failing: wait before the next query, so a down database is not hammered.
    wake_.wait_for(lock, options_.poll_interval, [&] { return stopping_; });
  }
}

void OutboxDispatcher::RecordError(const Error& error) {
  std::lock_guard lock(mutex_);
  last_error_ = error.detail;
}

Result<int> OutboxDispatcher::RunConsumer(ConsumerState& state) {
  const TimePoint now = clock_.Now();
  const std::int64_t now_ms = ToUnixMillis(now);
  const RetryPolicy& retry = options_.retry;

  struct Claimed {
    OutboxEvent event;
    int attempt = 0;
  };
  std::int64_t exhausted = 0;
  PLAZA_ASSIGN_OR_RETURN(std::vector<Claimed> claimed, db_.Write([&](Transaction& tx) -> Result<std::vector<Claimed>> {
    // Deliveries that used their last attempt but whose outcome never came back (the
    // process died on the final attempt), or that are over a lowered max_attempts.
    PLAZA_ASSIGN_OR_RETURN(
        auto dead, tx.Execute("UPDATE outbox_deliveries SET state = 'dead', dead_at = ?, lease_owner = NULL,"
                              " lease_expires_at = NULL,"
                              " last_error = CASE WHEN lease_expires_at IS NULL THEN last_error ELSE ? END"
                              " WHERE consumer = ? AND state = 'pending' AND attempts >= ?"
                              " AND (lease_expires_at IS NULL OR lease_expires_at <= ?)",
                              {now_ms, "the final attempt did not report back before its lease expired", state.name,
                               retry.max_attempts, now_ms}));
    exhausted = dead.affected_rows;

    std::string sql(kClaimSql);
    // On PostgreSQL, rows another process is claiming right now are skipped rather than
    // waited for; the lease written below is what keeps them claimed after commit.
    if (tx.dialect() == Dialect::kPostgres) sql += " FOR UPDATE OF d SKIP LOCKED";
    PLAZA_ASSIGN_OR_RETURN(auto rows,
                           tx.Execute(sql, {state.name, now_ms, retry.max_attempts, now_ms, options_.batch_size}));
    std::vector<Claimed> batch;
    if (rows.rows.empty()) return batch;
    std::vector<Param> params = {options_.owner, now_ms + Millis(options_.lease_duration), state.name};
    for (const Row& row : rows.rows) {
      Claimed item;
      item.event.id = row.Int(0);
      item.attempt = static_cast<int>(row.Int(1)) + 1;
      item.event.shop_id = row.Int(2);
      item.event.aggregate_type = row.Text(3);
      item.event.aggregate_id = row.Text(4);
      item.event.event_type = row.Text(5);
      item.event.payload_json = row.Text(6);
      item.event.created_at = FromUnixMillis(row.Int(7));
      params.emplace_back(item.event.id);
      batch.push_back(std::move(item));
    }
    // The attempt is counted when it starts, so an event that kills the process every
    // time it is handled still reaches max_attempts and becomes a dead letter.
    PLAZA_TRY(
        tx.Execute("UPDATE outbox_deliveries SET lease_owner = ?, lease_expires_at = ?,"
                   " attempts = attempts + 1 WHERE consumer = ? AND event_id IN (" +
                       Placeholders(batch.size()) + ")",
                   params));
    return batch;
  }));
  state.dead_lettered.fetch_add(exhausted);
  if (claimed.empty()) return 0;

  std::vector<Delivery> deliveries;
  deliveries.reserve(claimed.size());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (Claimed& item : claimed) {
    Delivery delivery;
    delivery.attempt = item.attempt;
    delivery.final_attempt = item.attempt >= retry.max_attempts;
    // Measured from the start of the attempt, so the consumer can be told the time now.
    delivery.retry_at = now + BackoffDelay(retry, item.attempt, unit(state.jitter));
    delivery.event = std::move(item.event);
    deliveries.push_back(std::move(delivery));
  }

  std::vector<DeliveryOutcome> outcomes;
  try {
    outcomes = state.consumer.Handle(deliveries);
  } catch (const std::exception& error) {
    // A consumer is outside code as far as the dispatcher goes; a throw must not end the
    // worker thread, and retrying is the safe reading of "it did not say".
    outcomes.assign(deliveries.size(), DeliveryOutcome::Retry(std::string("the consumer threw: ") + error.what()));
  }
  outcomes.resize(deliveries.size(), DeliveryOutcome::Retry("the consumer returned no outcome for this event"));

  const std::int64_t done_ms = ToUnixMillis(clock_.Now());
  std::int64_t delivered = 0, retried = 0, dead_lettered = 0, stale = 0;
  PLAZA_TRY(db_.Write([&](Transaction& tx) -> Status {
    delivered = retried = dead_lettered = stale = 0;
    for (std::size_t i = 0; i < deliveries.size(); ++i) {
      const Delivery& delivery = deliveries[i];
      const DeliveryOutcome& outcome = outcomes[i];
      const std::int64_t event_id = delivery.event.id;
      QueryResult result;
      if (outcome.status == DeliveryStatus::kDelivered) {
        PLAZA_ASSIGN_OR_RETURN(result, tx.Execute("DELETE FROM outbox_deliveries WHERE consumer = ? AND event_id = ?"
                                                  " AND lease_owner = ?",
                                                  {state.name, event_id, options_.owner}));
        delivered += result.affected_rows;
      } else if (outcome.status == DeliveryStatus::kRetry && !delivery.final_attempt) {
        PLAZA_ASSIGN_OR_RETURN(
            result, tx.Execute("UPDATE outbox_deliveries SET next_attempt_at = ?, last_error = ?, lease_owner = NULL,"
                               " lease_expires_at = NULL WHERE consumer = ? AND event_id = ? AND lease_owner = ?",
                               {ToUnixMillis(delivery.retry_at), Truncate(outcome.error), state.name, event_id,
                                options_.owner}));
        retried += result.affected_rows;
      } else {
        PLAZA_ASSIGN_OR_RETURN(result,
                               tx.Execute("UPDATE outbox_deliveries SET state = 'dead', dead_at = ?, last_error = ?,"
                                          " lease_owner = NULL, lease_expires_at = NULL"
                                          " WHERE consumer = ? AND event_id = ? AND lease_owner = ?",
                                          {done_ms, Truncate(outcome.error), state.name, event_id, options_.owner}));
        dead_lettered += result.affected_rows;
      }
      // No row: the lease expired and another process took the event over; its outcome
      // is the one that counts.
      if (result.affected_rows == 0) ++stale;
    }
    return Ok();
  }));
  state.delivered.fetch_add(delivered);
  state.retried.fetch_add(retried);
  state.dead_lettered.fetch_add(dead_lettered);
  state.stale_outcomes.fetch_add(stale);
  return static_cast<int>(deliveries.size());
}

Status OutboxDispatcher::RefreshGauges(ConsumerState& state) {
  PLAZA_ASSIGN_OR_RETURN(auto counts, db_.Read([&](Transaction& tx) {
    return tx.Execute("SELECT state, COUNT(*) FROM outbox_deliveries WHERE consumer = ? GROUP BY state", {state.name});
  }));
  std::int64_t pending = 0, dead = 0;
  for (const Row& row : counts.rows) {
    if (row.Text(0) == "pending") pending = row.Int(1);
    if (row.Text(0) == "dead") dead = row.Int(1);
  }
  state.pending.store(pending);
  state.dead.store(dead);
  return Ok();
}

Status OutboxDispatcher::PruneIfDue() {
  const std::int64_t now_ms = ToUnixMillis(clock_.Now());
  {
    std::lock_guard lock(mutex_);
    if (last_prune_ms_ != 0 && now_ms - last_prune_ms_ < Millis(kPruneInterval)) return Ok();
    last_prune_ms_ = now_ms;
  }
  const std::int64_t cutoff_ms = now_ms - Millis(options_.retention);
  for (int chunk = 0; chunk < kMaxPruneChunks; ++chunk) {
    // Only events no consumer is owed any more; dead letters keep their event.
    PLAZA_ASSIGN_OR_RETURN(auto deleted, db_.Write([&](Transaction& tx) {
      return tx.Execute(
          "DELETE FROM outbox_events WHERE id IN (SELECT e.id FROM outbox_events e WHERE e.created_at < ?"
          " AND NOT EXISTS (SELECT 1 FROM outbox_deliveries d WHERE d.event_id = e.id) ORDER BY e.id LIMIT ?)",
          {cutoff_ms, kPruneChunk});
    }));
    if (deleted.affected_rows < kPruneChunk) break;
  }
  return Ok();
}

OutboxStats OutboxDispatcher::Stats() const {
  OutboxStats stats;
  for (const auto& state : consumers_) {
    ConsumerStats consumer;
    consumer.consumer = state->name;
    consumer.pending = state->pending.load();
    consumer.dead = state->dead.load();
    consumer.delivered = state->delivered.load();
    consumer.retried = state->retried.load();
    consumer.dead_lettered = state->dead_lettered.load();
    consumer.stale_outcomes = state->stale_outcomes.load();
    stats.pending += consumer.pending;
    stats.dead += consumer.dead;
    stats.delivered += consumer.delivered;
    stats.consumers.push_back(std::move(consumer));
  }
  std::lock_guard lock(mutex_);
  stats.last_error = last_error_;
  return stats;
}

Result<std::vector<DeadLetter>> ListDeadLetters(Database& db, const DeadLetterQuery& query) {
  if (query.shop_id <= 0) return Error::Invalid("outbox/shop-required", "dead letters are listed per shop", "shop_id");
  const int limit = std::clamp(query.limit, 1, kMaxDeadLetterPage);
  return db.Read([&](Transaction& tx) -> Result<std::vector<DeadLetter>> {
    std::string sql =
        "SELECT d.consumer, d.event_id, e.shop_id, e.aggregate_type, e.aggregate_id, e.event_type, e.payload,"
        " e.created_at, d.attempts, d.last_error, d.dead_at"
        " FROM outbox_deliveries d JOIN outbox_events e ON e.id = d.event_id"
        " WHERE d.shop_id = ? AND e.shop_id = ? AND d.state = 'dead'"
        " AND (d.event_id > ? OR (d.event_id = ? AND d.consumer > ?))";
    std::vector<Param> params = {query.shop_id, query.shop_id, query.after_event_id, query.after_event_id,
                                 query.after_consumer};
    if (query.consumer) {
      sql += " AND d.consumer = ?";
      params.emplace_back(*query.consumer);
    }
    sql += " ORDER BY d.event_id, d.consumer LIMIT ?";
    params.emplace_back(limit);
    PLAZA_ASSIGN_OR_RETURN(auto rows, tx.Execute(sql, params));
    std::vector<DeadLetter> letters;
    letters.reserve(rows.rows.size());
    for (const Row& row : rows.rows) {
      DeadLetter letter;
      letter.consumer = row.Text(0);
      letter.event.id = row.Int(1);
      letter.event.shop_id = row.Int(2);
      letter.event.aggregate_type = row.Text(3);
      letter.event.aggregate_id = row.Text(4);
      letter.event.event_type = row.Text(5);
      letter.event.payload_json = row.Text(6);
      letter.event.created_at = FromUnixMillis(row.Int(7));
      letter.attempts = static_cast<int>(row.Int(8));
      letter.last_error = row.Text(9);
      letter.dead_at = FromUnixMillis(row.OptionalInt(10).value_or(0));
      letters.push_back(std::move(letter));
    }
    return letters;
  });
}

namespace {

// Requeued letters start over with a full set of attempts; last_error stays until the next
// attempt replaces it, so staff still see why it had died.
constexpr std::string_view kRequeueSql =
    "UPDATE outbox_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, dead_at = NULL,"
    " lease_owner = NULL, lease_expires_at = NULL WHERE shop_id = ? AND consumer = ? AND state = 'dead'";

}  // namespace

Status RequeueDeadLetter(Database& db, std::int64_t shop_id, std::string_view consumer, std::int64_t event_id,
                         TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(auto result, db.Write([&](Transaction& tx) {
    return tx.Execute(std::string(kRequeueSql) + " AND event_id = ?", {ToUnixMillis(now), shop_id, consumer, event_id});
  }));
  if (result.affected_rows == 0) return Error::NotFound("no such dead letter");
  return Ok();
}

Result<std::int64_t> RequeueAllDeadLetters(Database& db, std::int64_t shop_id, std::string_view consumer,
                                           TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(auto result, db.Write([&](Transaction& tx) {
    return tx.Execute(kRequeueSql, {ToUnixMillis(now), shop_id, consumer});
  }));
  return result.affected_rows;
}

Status RetireConsumer(Database& db, std::string_view consumer) {
  return db.Write([&](Transaction& tx) -> Status {
    // Deliveries go with it (ON DELETE CASCADE).
    PLAZA_TRY(tx.Execute("DELETE FROM outbox_consumers WHERE name = ?", {consumer}));
    return Ok();
  });
}

}  // namespace plaza::store
