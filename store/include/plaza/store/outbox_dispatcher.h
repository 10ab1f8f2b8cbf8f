#pragma once
// Delivers outbox events (outbox.h) to registered consumers. docs/outbox.md describes the
// model; in short:
//
//  * At least once. Delivery state lives only in the database, so after a crash or a
//    kill -9 another start picks up where this one stopped. An event whose outcome was
//    not recorded (the process died mid-delivery) is handed out again once its lease
//    expires, so consumers dedupe on the event id.
//  * In order per aggregate, per consumer: an event of aggregate X is not handed to a
//    consumer while an earlier event of X is still pending for that consumer (waiting,
//    backing off or in flight). Other aggregates keep flowing. A dead-lettered event no
//    longer holds its aggregate back.
//  * Failed deliveries are retried with exponential back-off and jitter; after
//    RetryPolicy::max_attempts the event becomes a dead letter for that consumer, which
//    staff can list and requeue (functions at the end of this header).
//  * Several processes may share one PostgreSQL database. A process claims a batch by
//    writing a lease (owner, expiry) on each delivery row, in a short transaction that
//    on PostgreSQL also takes the rows FOR UPDATE SKIP LOCKED so claimers do not queue on
//    each other. A claim whose owner died expires and is taken again.
//
// A consumer receives the events appended after it was first registered in the database
// (RegisterConsumers(), also done by Start()); register every consumer at start-up,
// before the process serves writes.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/store/database.h"
#include "plaza/store/outbox.h"

namespace plaza::store {

// What a consumer did with one event.
enum class DeliveryStatus {
  kDelivered,  // done; not handed to this consumer again unless staff requeue it
  kRetry,      // failed for now (receiver down, time-out); try again after back-off
  kFailed,     // can never succeed (e.g. the payload is unusable); dead-letter it now
};

struct DeliveryOutcome {
  DeliveryStatus status = DeliveryStatus::kDelivered;
  std::string error{};  // why it failed, kept on the delivery for staff; empty when delivered

  static DeliveryOutcome Delivered() { return {DeliveryStatus::kDelivered, {}}; }
  static DeliveryOutcome Retry(std::string error) { return {DeliveryStatus::kRetry, std::move(error)}; }
  static DeliveryOutcome Failed(std::string error) { return {DeliveryStatus::kFailed, std::move(error)}; }
};

// One event handed to a consumer, with what the dispatcher will do if it fails.
struct Delivery {
  OutboxEvent event;
  int attempt = 1;             // 1 on the first attempt; counts attempts cut short by a crash
  bool final_attempt = false;  // when true, a kRetry outcome dead-letters the event
  TimePoint retry_at{};        // when a kRetry outcome is tried again (unless final_attempt)
};

// Something that acts on events: webhooks, a search index, a conversion API …
//
// Thread-safety: one dispatcher calls Handle() from one thread at a time; several
// processes (or several dispatchers in tests) may call it concurrently, for different
// events. The consumer object must outlive the dispatcher it is added to.
class OutboxConsumer {
 public:
  virtual ~OutboxConsumer() = default;

  // A stable name such as "webhooks", stored with every delivery. Renaming a consumer
  // abandons its backlog under the old name (see RetireConsumer).
  virtual std::string_view name() const = 0;

  // Acts on a batch and returns exactly one outcome per delivery, in the same order. A
  // batch holds at most one event per aggregate, so its events may be handled in any
  // order or concurrently. Must return well within the dispatcher's lease_duration:
  // past it, another process may hand the same events out again.
  virtual std::vector<DeliveryOutcome> Handle(std::span<const Delivery> batch) = 0;
};

// How failed deliveries are retried. The defaults spread 20 attempts over about 21 hours
// (10 s, 20 s, 40 s … doubling up to 2 h, then every 2 h), long enough to ride out a
// receiver that is down overnight, short enough that a dead letter appears within a day.
struct RetryPolicy {
  std::chrono::milliseconds initial_delay = std::chrono::seconds(10);
  std::chrono::milliseconds max_delay = std::chrono::hours(2);
  int max_attempts = 20;  // including the first attempt; at least 1
  // Up to this fraction of each delay is randomly taken off, so receivers that recover
  // are not hit by every process's retries at the same instant. 0 makes the schedule exact.
  double jitter = 0.2;
};

// The delay after the `failed_attempts`-th failed attempt (1 for the first failure):
// min(max_delay, initial_delay * 2^(failed_attempts - 1)), less up to `jitter` of it,
// scaled by `unit_random` in [0, 1).
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int failed_attempts, double unit_random);

struct OutboxDispatcherOptions {
  RetryPolicy retry;
  // Deliveries claimed per consumer per round. Bounds the memory a batch takes and how
  // much work a crash leaves to be re-leased; large enough to amortise the claim query.
  int batch_size = 32;
  // How long a claim stays with this process. A crashed process's events wait this long
  // before another process retries them, so it is short; it must exceed the time a
  // consumer takes for one batch, or a slow batch is handed out twice.
  std::chrono::milliseconds lease_duration = std::chrono::minutes(5);
  // How long a worker sleeps when it found nothing to do: the delay before a new event is
  // seen, traded against idle queries on the database.
  std::chrono::milliseconds poll_interval = std::chrono::seconds(1);
  // How long a fully delivered event is kept before it is deleted (events that are still
  // owed to a consumer or dead-lettered are kept). Bounds the table's growth.
  std::chrono::milliseconds retention = std::chrono::hours(24 * 7);
  // Identifies this process's leases; empty means a random id per dispatcher.
  std::string owner{};
};

// Counts for /metrics, per consumer. pending and dead are gauges read from the database
// after every round; the others count what this dispatcher did since it was created.
struct ConsumerStats {
  std::string consumer{};
  std::int64_t pending = 0;         // owed to the consumer: waiting, backing off or in flight
  std::int64_t dead = 0;            // dead letters waiting for staff
  std::int64_t delivered = 0;       // counter
  std::int64_t retried = 0;         // counter: failed attempts that will be retried
  std::int64_t dead_lettered = 0;   // counter
  std::int64_t stale_outcomes = 0;  // counter: outcomes dropped because the lease had moved on
};

struct OutboxStats {
  std::int64_t pending = 0;  // sums over `consumers`
  std::int64_t dead = 0;
  std::int64_t delivered = 0;
  std::vector<ConsumerStats> consumers{};
  std::string last_error{};  // the last database error a worker met; empty after a good round
};

// Runs the consumers. Call AddConsumer() for each, then Start() (threads) or RunOnce()
// (synchronously, for tests and tools).
//
// Thread-safety: AddConsumer, Start, Stop and RunOnce are called from one owning thread;
// once the consumers are added, Stats may be called from any thread.
// REQUIRES: crypto::InitCrypto() has run (a random lease owner id is drawn).
class OutboxDispatcher {
 public:
  // `db` and `clock` must outlive the dispatcher.
  OutboxDispatcher(Database& db, const Clock& clock, OutboxDispatcherOptions options = {});
  ~OutboxDispatcher();  // Stop()s
  OutboxDispatcher(const OutboxDispatcher&) = delete;
  OutboxDispatcher& operator=(const OutboxDispatcher&) = delete;

  // REQUIRES: before Start() and RunOnce(); names are unique.
  void AddConsumer(OutboxConsumer& consumer);

  // Records the added consumers in the database, so that events appended from now on are
  // kept for them. Idempotent; Start() and RunOnce() call it when it has not succeeded yet.
  Status RegisterConsumers();

  // Checks the options, registers the consumers and starts one thread per consumer.
  Status Start();
  // Lets each thread finish the batch it holds (bounded by the consumers' own time-outs),
  // then joins them. Idempotent.
  void Stop();

  // Hands at most one batch to each consumer on the calling thread, records the outcomes
  // and prunes old events when due. Returns how many events were handed out.
  // REQUIRES: not started.
  Result<int> RunOnce();

  OutboxStats Stats() const;

  const std::string& owner() const { return options_.owner; }

 private:
  struct ConsumerState;

  Status CheckOptions() const;
  Result<int> RunConsumer(ConsumerState& state);
  Status RefreshGauges(ConsumerState& state);
  Status PruneIfDue();
  void WorkerLoop(ConsumerState& state);
  void RecordError(const Error& error);

  Database& db_;
  const Clock& clock_;
  OutboxDispatcherOptions options_;
  std::vector<std::unique_ptr<ConsumerState>> consumers_;
  bool registered_ = false;
  std::vector<std::thread> threads_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;           // GUARDED_BY(mutex_)
  std::string last_error_;          // GUARDED_BY(mutex_)
  std::int64_t last_prune_ms_ = 0;  // GUARDED_BY(mutex_)
};

// One dead letter: an event a consumer gave up on.
struct DeadLetter {
  std::string consumer{};
  OutboxEvent event;
  int attempts = 0;
  std::string last_error{};
  TimePoint dead_at{};
};

struct DeadLetterQuery {
  std::int64_t shop_id = 0;               // required: staff see their own shop only
  std::optional<std::string> consumer{};  // all consumers when empty
  // Paging: the (event id, consumer) of the last dead letter on the previous page.
  std::int64_t after_event_id = 0;
  std::string after_consumer{};
  int limit = 50;  // at most kMaxDeadLetterPage
};

// A page bound, so a shop with a long outage cannot make one request load everything.
inline constexpr int kMaxDeadLetterPage = 500;

// The shop's dead letters, ordered by event id, then consumer.
Result<std::vector<DeadLetter>> ListDeadLetters(Database& db, const DeadLetterQuery& query);

// Puts a dead letter back in the queue with a fresh attempt count, due at `now`. Returns
// kNotFound when the shop has no such dead letter (including another shop's).
Status RequeueDeadLetter(Database& db, std::int64_t shop_id, std::string_view consumer, std::int64_t event_id,
                         TimePoint now);

// Requeues every dead letter of the shop for `consumer`; returns how many.
Result<std::int64_t> RequeueAllDeadLetters(Database& db, std::int64_t shop_id, std::string_view consumer,
                                           TimePoint now);

// Forgets a consumer that no longer exists in code, with everything still owed to it.
Status RetireConsumer(Database& db, std::string_view consumer);

}  // namespace plaza::store
