#include "plaza/store/outbox.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "plaza/store/migrations.h"
#include "plaza/store/outbox_dispatcher.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::int64_t kShop = 1;
constexpr std::int64_t kOtherShop = 2;

// A consumer that records what it was handed and answers what `decide` says (delivered
// when unset). Handle may run on several threads.
class RecordingConsumer final : public OutboxConsumer {
 public:
  explicit RecordingConsumer(std::string name = "recorder") : name_(std::move(name)) {}

  std::string_view name() const override { return name_; }

  std::vector<DeliveryOutcome> Handle(std::span<const Delivery> batch) override {
    std::vector<DeliveryOutcome> outcomes;
    std::lock_guard lock(mutex_);
    for (const Delivery& delivery : batch) {
      handed_.push_back(delivery);
      outcomes.push_back(decide_ ? decide_(delivery) : DeliveryOutcome::Delivered());
    }
    return outcomes;
  }

  void Decide(std::function<DeliveryOutcome(const Delivery&)> decide) {
    std::lock_guard lock(mutex_);
    decide_ = std::move(decide);
  }
  std::vector<Delivery> handed() const {
    std::lock_guard lock(mutex_);
    return handed_;
  }
  // The aggregate ids handed out since the last call, in order.
  std::vector<std::string> TakeAggregates() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (std::size_t i = taken_; i < handed_.size(); ++i) out.push_back(handed_[i].event.aggregate_id);
    taken_ = handed_.size();
    return out;
  }

 private:
  const std::string name_;
  mutable std::mutex mutex_;
  std::function<DeliveryOutcome(const Delivery&)> decide_;
  std::vector<Delivery> handed_;
  std::size_t taken_ = 0;
};

class OutboxTest : public ::testing::TestWithParam<std::string> {
 protected:
  OutboxTest() : test_db_(GetParam()), clock_(FromUnixMillis(1'700'000'000'000)) {}

  void SetUp() override {
    const Status migrated = Migrate(db(), std::vector<MigrationSet>{StoreMigrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  Database& db() { return test_db_.db(); }

  static OutboxDispatcherOptions Options() {
    OutboxDispatcherOptions options;
    options.retry.initial_delay = seconds(10);
    options.retry.max_delay = seconds(40);
    options.retry.max_attempts = 5;
    options.retry.jitter = 0;
    options.lease_duration = minutes(1);
    return options;
  }

  std::int64_t Append(const std::string& aggregate_id, std::int64_t shop_id = kShop,
                      const std::string& payload = R"({"n":1})") {
    auto id = db().Write([&](Transaction& tx) {
      return AppendEvent(tx,
                         {.shop_id = shop_id,
                          .aggregate_type = "order",
                          .aggregate_id = aggregate_id,
                          .event_type = "order.updated",
                          .payload_json = payload},
                         clock_.Now());
    });
    EXPECT_TRUE(id.ok()) << id.error().detail;
    return id.ok() ? *id : 0;
  }

  int RunOnce(OutboxDispatcher& dispatcher) {
    auto handed = dispatcher.RunOnce();
    EXPECT_TRUE(handed.ok()) << handed.error().detail;
    return handed.ok() ? *handed : -1;
  }

  std::int64_t CountRows(const std::string& table) {
    auto count = db().Read([&](Transaction& tx) { return tx.QueryOne("SELECT COUNT(*) FROM " + table); });
    EXPECT_TRUE(count.ok());
    return count.ok() ? (*count)->Int(0) : -1;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
};

TEST_P(OutboxTest, EventExistsOnlyWhenItsTransactionCommits) {
  RecordingConsumer consumer;
  OutboxDispatcher dispatcher(db(), clock_, Options());
  dispatcher.AddConsumer(consumer);
  ASSERT_TRUE(dispatcher.RegisterConsumers().ok());

  const Status rolled_back = db().Write([&](Transaction& tx) -> Status {
    PLAZA_TRY(AppendEvent(tx,
                          {.shop_id = kShop,
                           .aggregate_type = "order",
                           .aggregate_id = "o-1",
                           .event_type = "order.placed",
                           .payload_json = "{}"},
                          clock_.Now()));
    return Error::Conflict("test/abort", "the change itself failed");
  });
  ASSERT_FALSE(rolled_back.ok());
  EXPECT_EQ(RunOnce(dispatcher), 0);
  EXPECT_EQ(CountRows("outbox_events"), 0);

  const std::int64_t committed = Append("o-2");
  EXPECT_EQ(RunOnce(dispatcher), 1);
  ASSERT_EQ(consumer.handed().size(), 1u);
  const OutboxEvent event = consumer.handed()[0].event;
  EXPECT_EQ(event.id, committed);
  EXPECT_EQ(event.shop_id, kShop);
  EXPECT_EQ(event.aggregate_id, "o-2");
  EXPECT_EQ(event.payload_json, R"({"n":1})");
  EXPECT_EQ(event.created_at, clock_.Now());
  EXPECT_EQ(consumer.handed()[0].attempt, 1);
  EXPECT_EQ(RunOnce(dispatcher), 0);  // delivered once, not again
  EXPECT_EQ(dispatcher.Stats().delivered, 1);
  EXPECT_EQ(dispatcher.Stats().pending, 0);
}

TEST_P(OutboxTest, AppendRejectsMalformedEvents) {
  auto append = [&](OutboxEvent event) {
    return db().Write([&](Transaction& tx) { return AppendEvent(tx, event, clock_.Now()); });
  };
  const OutboxEvent good{.shop_id = kShop,
                         .aggregate_type = "order",
                         .aggregate_id = "o-1",
                         .event_type = "order.placed",
                         .payload_json = "{}"};
  EXPECT_TRUE(append(good).ok());
  OutboxEvent array_payload = good;
  array_payload.payload_json = "[1, 2]";
  EXPECT_EQ(append(array_payload).error().field, "payload_json");
  OutboxEvent no_shop = good;
  no_shop.shop_id = 0;
  EXPECT_EQ(append(no_shop).error().field, "shop_id");
  OutboxEvent no_type = good;
  no_type.event_type.clear();
  EXPECT_EQ(append(no_type).error().field, "event_type");
  OutboxEvent huge = good;
  huge.payload_json = "{\"x\":\"" + std::string(300 * 1024, 'a') + "\"}";
  EXPECT_EQ(append(huge).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(OutboxTest, KeepsOrderPerAggregateWhileOtherAggregatesFlow) {
  RecordingConsumer consumer;
  consumer.Decide([](const Delivery& delivery) {
    return delivery.event.aggregate_id == "a" ? DeliveryOutcome::Retry("receiver down") : DeliveryOutcome::Delivered();
  });
  OutboxDispatcher dispatcher(db(), clock_, Options());
  dispatcher.AddConsumer(consumer);
  ASSERT_TRUE(dispatcher.RegisterConsumers().ok());
  const std::int64_t a1 = Append("a");
  const std::int64_t a2 = Append("a");
  Append("b");
  Append("b");
  Append("c");

  // One event per aggregate per round: the heads of a, b and c.
  EXPECT_EQ(RunOnce(dispatcher), 3);
  EXPECT_EQ(consumer.TakeAggregates(), (std::vector<std::string>{"a", "b", "c"}));
  // a1 is backing off; a2 must wait behind it while b keeps flowing.
  EXPECT_EQ(RunOnce(dispatcher), 1);
  EXPECT_EQ(consumer.TakeAggregates(), (std::vector<std::string>{"b"}));
  EXPECT_EQ(RunOnce(dispatcher), 0);

  consumer.Decide([](const Delivery&) { return DeliveryOutcome::Delivered(); });
  clock_.Advance(seconds(10));
  EXPECT_EQ(RunOnce(dispatcher), 1);
  EXPECT_EQ(RunOnce(dispatcher), 1);
  const auto handed = consumer.handed();
  ASSERT_EQ(handed.size(), 6u);
  EXPECT_EQ(handed[4].event.id, a1);
  EXPECT_EQ(handed[4].attempt, 2);
  EXPECT_EQ(handed[5].event.id, a2);
  EXPECT_EQ(handed[5].attempt, 1);
  EXPECT_EQ(RunOnce(dispatcher), 0);
}

TEST_P(OutboxTest, RetriesOnAnExponentialScheduleUpToTheCap) {
  RecordingConsumer consumer;
  consumer.Decide([](const Delivery&) { return DeliveryOutcome::Retry("receiver down"); });
  OutboxDispatcherOptions options = Options();
  options.retry.max_attempts = 6;
  OutboxDispatcher dispatcher(db(), clock_, options);
  dispatcher.AddConsumer(consumer);
  ASSERT_TRUE(dispatcher.RegisterConsumers().ok());
  Append("a");

  ASSERT_EQ(RunOnce(dispatcher), 1);
  // Delays after each failure: 10 s, 20 s, 40 s, then capped at 40 s.
  for (const milliseconds delay : {seconds(10), seconds(20), seconds(40), seconds(40), seconds(40)}) {
    const Delivery previous = consumer.handed().back();
    EXPECT_EQ(previous.retry_at, clock_.Now() + delay);
    clock_.Advance(delay - milliseconds(1));
    EXPECT_EQ(RunOnce(dispatcher), 0) << "retried before the back-off of " << delay.count() << " ms ended";
    clock_.Advance(milliseconds(1));
    ASSERT_EQ(RunOnce(dispatcher), 1) << "not retried when the back-off of " << delay.count() << " ms ended";
    EXPECT_EQ(consumer.handed().back().attempt, previous.attempt + 1);
  }
  EXPECT_TRUE(consumer.handed().back().final_attempt);
  EXPECT_EQ(consumer.handed().size(), 6u);
  EXPECT_EQ(dispatcher.Stats().dead, 1);
  EXPECT_EQ(dispatcher.Stats().consumers[0].retried, 5);
  EXPECT_EQ(dispatcher.Stats().consumers[0].dead_lettered, 1);
}

TEST(BackoffDelayTest, JitterOnlyShortensTheDelayAndStaysWithinItsFraction) {
  RetryPolicy policy;
  policy.initial_delay = seconds(10);
  policy.max_delay = std::chrono::hours(2);
  policy.jitter = 0.2;
  EXPECT_EQ(BackoffDelay(policy, 1, 0.0), seconds(10));
  EXPECT_EQ(BackoffDelay(policy, 1, 0.5), seconds(9));
  EXPECT_EQ(BackoffDelay(policy, 4, 0.0), seconds(80));
  EXPECT_EQ(BackoffDelay(policy, 100, 0.0), std::chrono::hours(2));  // no overflow past the cap
  EXPECT_EQ(BackoffDelay(policy, 100, 1.0), std::chrono::minutes(96));
  policy.jitter = 0;
  EXPECT_EQ(BackoffDelay(policy, 3, 0.9), seconds(40));
  // The documented default schedule ends within about a day.
  const RetryPolicy defaults;
  milliseconds total{0};
  for (int failed = 1; failed < defaults.max_attempts; ++failed) total += BackoffDelay(defaults, failed, 0.0);
  EXPECT_GT(total, std::chrono::hours(20));
  EXPECT_LT(total, std::chrono::hours(24));
}

TEST_P(OutboxTest, DeadLettersAfterMaxAttemptsAndRequeuesForItsShopOnly) {
  RecordingConsumer consumer;
  consumer.Decide([](const Delivery&) { return DeliveryOutcome::Retry("HTTP 500"); });
  OutboxDispatcherOptions options = Options();
  options.retry.max_attempts = 3;
  OutboxDispatcher dispatcher(db(), clock_, options);
  dispatcher.AddConsumer(consumer);
  ASSERT_TRUE(dispatcher.RegisterConsumers().ok());
  const std::int64_t event_id = Append("a");
  Append("z", kOtherShop);

  for (int round = 0; round < 5; ++round) {
    RunOnce(dispatcher);
    clock_.Advance(minutes(5));
  }
  EXPECT_EQ(consumer.handed().size(), 6u);  // three attempts for each shop's event
  auto letters = ListDeadLetters(db(), {.shop_id = kShop});
  ASSERT_TRUE(letters.ok()) << letters.error().detail;
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].event.id, event_id);
  EXPECT_EQ((*letters)[0].consumer, "recorder");
  EXPECT_EQ((*letters)[0].attempts, 3);
  EXPECT_EQ((*letters)[0].last_error, "HTTP 500");
  EXPECT_EQ((*letters)[0].event.payload_json, R"({"n":1})");
  EXPECT_EQ(dispatcher.Stats().dead, 2);

  // Another shop can neither see nor requeue it.
  auto other = ListDeadLetters(db(), {.shop_id = kOtherShop});
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->size(), 1u);
  EXPECT_NE((*other)[0].event.id, event_id);
  const Status foreign = RequeueDeadLetter(db(), kOtherShop, "recorder", event_id, clock_.Now());
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(ListDeadLetters(db(), {.shop_id = 0}).ok());

  consumer.Decide([](const Delivery&) { return DeliveryOutcome::Delivered(); });
  ASSERT_TRUE(RequeueDeadLetter(db(), kShop, "recorder", event_id, clock_.Now()).ok());
  EXPECT_EQ(RunOnce(dispatcher), 1);
  EXPECT_EQ(consumer.handed().back().event.id, event_id);
  EXPECT_EQ(consumer.handed().back().attempt, 1);  // a fresh set of attempts
  EXPECT_TRUE(ListDeadLetters(db(), {.shop_id = kShop})->empty());
  EXPECT_EQ(RequeueDeadLetter(db(), kShop, "recorder", event_id, clock_.Now()).error().code, ErrorCode::kNotFound);

  auto requeued = RequeueAllDeadLetters(db(), kOtherShop, "recorder", clock_.Now());
  ASSERT_TRUE(requeued.ok());
  EXPECT_EQ(*requeued, 1);
  EXPECT_EQ(RunOnce(dispatcher), 1);
  EXPECT_EQ(dispatcher.Stats().dead, 0);
}

TEST_P(OutboxTest, PermanentFailureDeadLettersAtOnceAndNoLongerHoldsItsAggregate) {
  RecordingConsumer consumer;
  consumer.Decide([](const Delivery& delivery) {
    return delivery.event.payload_json == "{}" ? DeliveryOutcome::Failed("unusable payload")
                                               : DeliveryOutcome::Delivered();
  });
  OutboxDispatcher dispatcher(db(), clock_, Options());
  dispatcher.AddConsumer(consumer);
  ASSERT_TRUE(dispatcher.RegisterConsumers().ok());
  Append("a", kShop, "{}");
  const std::int64_t second = Append("a");

  EXPECT_EQ(RunOnce(dispatcher), 1);
  EXPECT_EQ(RunOnce(dispatcher), 1);
  EXPECT_EQ(consumer.handed().back().event.id, second);
  auto letters = ListDeadLetters(db(), {.shop_id = kShop, .consumer = "recorder"});
  ASSERT_TRUE(letters.ok());
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].attempts, 1);
  EXPECT_EQ((*letters)[0].last_error, "unusable payload");
}

TEST_P(OutboxTest, DeadLetterPagesCoverEveryConsumerOfAnEvent) {
  RecordingConsumer first("first");
  RecordingConsumer second("second");
  for (RecordingConsumer* consumer : {&first, &second}) {
    consumer->Decide([](const Delivery&) { return DeliveryOutcome::Failed("no"); });
  }
  OutboxDispatcher dispatcher(db(), clock_, Options());
  dispatcher.AddConsumer(first);
  dispatcher.AddConsumer(second);
  ASSERT_TRUE(dispatcher.RegisterConsumers().ok());
  Append("a");
  Append("b");
  RunOnce(dispatcher);

  std::vector<std::string> seen;
  DeadLetterQuery query{.shop_id = kShop, .limit = 1};
  for (int page = 0; page < 10; ++page) {
    auto letters = ListDeadLetters(db(), query);
    ASSERT_TRUE(letters.ok());
    if (letters->empty()) break;
    const DeadLetter& letter = letters->back();
    seen.push_back(letter.event.aggregate_id + "/" + letter.consumer);
    query.after_event_id = letter.event.id;
    query.after_consumer = letter.consumer;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a/first", "a/second", "b/first", "b/second"}));
}

// A dispatcher that stops inside Handle stands for a process killed mid-delivery: its
// leases must expire and another dispatcher must take the events over; when the first
// one wakes up after all, its late outcome must not overwrite the new owner's.
TEST_P(OutboxTest, ExpiredClaimsOfACrashedDispatcherAreRetaken) {
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false;
  bool release = false;
  RecordingConsumer stuck;
  stuck.Decide([&](const Delivery&) {
    std::unique_lock lock(mutex);
    entered = true;
    changed.notify_all();
    changed.wait(lock, [&] { return release; });
    return DeliveryOutcome::Retry("woke up too late");
  });
  RecordingConsumer healthy;
  OutboxDispatcherOptions options = Options();
  options.owner = "crashed";
  OutboxDispatcher crashed(db(), clock_, options);
  crashed.AddConsumer(stuck);
  options.owner = "survivor";
  OutboxDispatcher survivor(db(), clock_, options);
  survivor.AddConsumer(healthy);
  ASSERT_TRUE(survivor.RegisterConsumers().ok());
  const std::int64_t event_id = Append("a");

  std::thread crashed_thread([&] { (void)crashed.RunOnce(); });  // its outcome is checked via Stats
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, seconds(30), [&] { return entered; }));
  }
  EXPECT_EQ(RunOnce(survivor), 0);  // still leased
  clock_.Advance(minutes(1));       // the lease ends
  EXPECT_EQ(RunOnce(survivor), 1);
  ASSERT_EQ(healthy.handed().size(), 1u);
  EXPECT_EQ(healthy.handed()[0].event.id, event_id);
  EXPECT_EQ(healthy.handed()[0].attempt, 2);  // the crashed attempt counts
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  crashed_thread.join();

  EXPECT_EQ(crashed.Stats().consumers[0].stale_outcomes, 1);
  EXPECT_EQ(crashed.Stats().consumers[0].retried, 0);
  EXPECT_EQ(survivor.Stats().delivered, 1);
  EXPECT_EQ(CountRows("outbox_deliveries"), 0);
  clock_.Advance(minutes(10));
  EXPECT_EQ(RunOnce(survivor), 0);
}

TEST_P(OutboxTest, ALeaseThatExpiresOnTheFinalAttemptDeadLetters) {
  OutboxDispatcherOptions options = Options();
  options.retry.max_attempts = 1;
  RecordingConsumer consumer;
  OutboxDispatcher dispatcher(db(), clock_, options);
  dispatcher.AddConsumer(consumer);
  ASSERT_TRUE(dispatcher.RegisterConsumers().ok());
  Append("a");
  // Another process claimed the event for its only attempt, then died.
  ASSERT_TRUE(db().Write([&](Transaction& tx) -> Status {
                    PLAZA_TRY(
                        tx.Execute("UPDATE outbox_deliveries SET lease_owner = 'gone', lease_expires_at = ?,"
                                   " attempts = attempts + 1",
                                   {ToUnixMillis(clock_.Now() + minutes(1))}));
                    return Ok();
                  })
                  .ok());
  EXPECT_EQ(RunOnce(dispatcher), 0);
  EXPECT_TRUE(ListDeadLetters(db(), {.shop_id = kShop})->empty());
  clock_.Advance(minutes(1));
  EXPECT_EQ(RunOnce(dispatcher), 0);
  auto letters = ListDeadLetters(db(), {.shop_id = kShop});
  ASSERT_TRUE(letters.ok());
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_NE((*letters)[0].last_error.find("lease expired"), std::string::npos);
  EXPECT_TRUE(consumer.handed().empty());
  EXPECT_EQ(dispatcher.Stats().consumers[0].dead_lettered, 1);
}

TEST_P(OutboxTest, ResumesAfterARestartWithoutLosingOrRepeatingDeliveredEvents) {
  OutboxDispatcherOptions options = Options();
  options.batch_size = 4;
  std::set<std::int64_t> appended;
  for (int i = 0; i < 10; ++i) appended.insert(Append("o-" + std::to_string(i)));
  std::vector<std::int64_t> delivered;
  {
    RecordingConsumer consumer;
    OutboxDispatcher dispatcher(db(), clock_, options);
    dispatcher.AddConsumer(consumer);
    ASSERT_TRUE(dispatcher.RegisterConsumers().ok());
    // Registered after the first ten: those were never owed to it.
    EXPECT_EQ(RunOnce(dispatcher), 0);
    appended.clear();
    for (int i = 0; i < 10; ++i) appended.insert(Append("o-" + std::to_string(i)));
    EXPECT_EQ(RunOnce(dispatcher), 4);
    for (const Delivery& delivery : consumer.handed()) delivered.push_back(delivery.event.id);
  }
  test_db_.Close();
  test_db_.Reopen();
  RecordingConsumer consumer;
  OutboxDispatcher restarted(db(), clock_, options);
  restarted.AddConsumer(consumer);
  while (RunOnce(restarted) > 0) {
  }
  for (const Delivery& delivery : consumer.handed()) delivered.push_back(delivery.event.id);
  EXPECT_EQ(delivered.size(), 10u);
  EXPECT_EQ(std::set<std::int64_t>(delivered.begin(), delivered.end()), appended);
}

TEST_P(OutboxTest, PrunesDeliveredEventsAfterRetentionAndKeepsDeadLetters) {
  RecordingConsumer consumer;
  consumer.Decide([](const Delivery& delivery) {
    return delivery.event.aggregate_id == "dead" ? DeliveryOutcome::Failed("no") : DeliveryOutcome::Delivered();
  });
  OutboxDispatcherOptions options = Options();
  options.retention = std::chrono::hours(1);
  OutboxDispatcher dispatcher(db(), clock_, options);
  dispatcher.AddConsumer(consumer);
  ASSERT_TRUE(dispatcher.RegisterConsumers().ok());
  Append("done");
  Append("dead");
  RunOnce(dispatcher);
  EXPECT_EQ(CountRows("outbox_events"), 2);
  clock_.Advance(std::chrono::hours(2));
  Append("fresh");
  RunOnce(dispatcher);
  EXPECT_EQ(CountRows("outbox_events"), 2);  // "done" pruned; "dead" and "fresh" kept
  EXPECT_EQ(ListDeadLetters(db(), {.shop_id = kShop})->size(), 1u);
}

TEST_P(OutboxTest, RetiredConsumerIsOwedNothing) {
  RecordingConsumer consumer("old");
  OutboxDispatcher dispatcher(db(), clock_, Options());
  dispatcher.AddConsumer(consumer);
  ASSERT_TRUE(dispatcher.RegisterConsumers().ok());
  Append("a");
  ASSERT_TRUE(RetireConsumer(db(), "old").ok());
  EXPECT_EQ(CountRows("outbox_deliveries"), 0);
  Append("b");
  EXPECT_EQ(CountRows("outbox_deliveries"), 0);
}

TEST_P(OutboxTest, RejectsBadOptions) {
  RecordingConsumer consumer;
  RecordingConsumer twin;
  OutboxDispatcherOptions options = Options();
  options.batch_size = 0;
  OutboxDispatcher bad_batch(db(), clock_, options);
  EXPECT_EQ(bad_batch.Start().error().field, "batch_size");
  OutboxDispatcher duplicate(db(), clock_, Options());
  duplicate.AddConsumer(consumer);
  duplicate.AddConsumer(twin);
  EXPECT_FALSE(duplicate.Start().ok());
}

// Several dispatchers (as several processes would) working one database concurrently
// through their own threads: every event is delivered, none twice at the same time, and
// each aggregate's events arrive in order.
TEST_P(OutboxTest, ConcurrentDispatchersShareTheWorkSafely) {
  constexpr int kAggregates = 12;
  constexpr int kEventsPerAggregate = 15;
  constexpr int kTotal = kAggregates * kEventsPerAggregate;

  std::mutex mutex;
  std::condition_variable progress;
  std::set<std::int64_t> in_flight;
  std::map<std::int64_t, int> deliveries;
  std::map<std::string, std::int64_t> last_per_aggregate;
  int overlaps = 0;
  int out_of_order = 0;
  auto decide = [&](const Delivery& delivery) {
    {
      std::lock_guard lock(mutex);
      if (!in_flight.insert(delivery.event.id).second) ++overlaps;
    }
    // Widens the window in which a double claim would show up as an overlap.
    std::this_thread::sleep_for(milliseconds(1));
    std::lock_guard lock(mutex);
    in_flight.erase(delivery.event.id);
    if (delivery.event.id < last_per_aggregate[delivery.event.aggregate_id]) ++out_of_order;
    last_per_aggregate[delivery.event.aggregate_id] = delivery.event.id;
    ++deliveries[delivery.event.id];
    progress.notify_all();
    return DeliveryOutcome::Delivered();
  };

  SystemClock system_clock;
  OutboxDispatcherOptions options = Options();
  options.batch_size = 5;
  options.poll_interval = milliseconds(5);
  options.lease_duration = minutes(5);
  // Each dispatcher gets its own pool, as a separate process would have.
  std::vector<std::unique_ptr<Database>> pools;
  std::vector<std::unique_ptr<RecordingConsumer>> consumers;
  std::vector<std::unique_ptr<OutboxDispatcher>> dispatchers;
  for (int i = 0; i < 3; ++i) {
    auto pool = OpenDatabase({.url = test_db_.url(), .pool_size = 2});
    ASSERT_TRUE(pool.ok()) << pool.error().detail;
    pools.push_back(std::move(pool).value());
    consumers.push_back(std::make_unique<RecordingConsumer>());
    consumers.back()->Decide(decide);
    dispatchers.push_back(std::make_unique<OutboxDispatcher>(*pools.back(), system_clock, options));
    dispatchers.back()->AddConsumer(*consumers.back());
    ASSERT_TRUE(dispatchers.back()->RegisterConsumers().ok());
  }
  for (int round = 0; round < kEventsPerAggregate; ++round) {
    for (int aggregate = 0; aggregate < kAggregates; ++aggregate) Append("agg-" + std::to_string(aggregate));
  }
  for (auto& dispatcher : dispatchers) ASSERT_TRUE(dispatcher->Start().ok());
  {
    std::unique_lock lock(mutex);
    // A bound, not a timing assertion: on a healthy machine this takes well under a second.
    progress.wait_for(lock, seconds(120), [&] { return static_cast<int>(deliveries.size()) == kTotal; });
  }
  for (auto& dispatcher : dispatchers) dispatcher->Stop();

  std::lock_guard lock(mutex);
  EXPECT_EQ(static_cast<int>(deliveries.size()), kTotal);
  for (const auto& [event_id, count] : deliveries) EXPECT_EQ(count, 1) << "event " << event_id;
  EXPECT_EQ(overlaps, 0);
  EXPECT_EQ(out_of_order, 0);
  std::int64_t delivered = 0;
  for (auto& dispatcher : dispatchers) {
    EXPECT_EQ(dispatcher->Stats().last_error, "");
    delivered += dispatcher->Stats().delivered;
  }
  EXPECT_EQ(delivered, kTotal);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::store
