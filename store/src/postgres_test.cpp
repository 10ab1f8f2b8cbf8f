// PostgreSQL-only behaviour of the driver: the pool, reconnection, time-outs and
// SERIALIZABLE retries. The behaviour both engines share is in database_test.cpp.

#include "postgres.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <optional>
#include <thread>
#include <vector>

#include "drivers.h"
#include "plaza/core/crypto.h"
#include "plaza/core/text.h"
#include "plaza_test/databases.h"

namespace plaza::store {
namespace {

bool PostgresConfigured() {
  const auto backends = plaza::testing::TestBackends();
  return std::find(backends.begin(), backends.end(), "postgres") != backends.end();
}

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!PostgresConfigured()) GTEST_SKIP() << "PLAZA_TEST_PG_DSN names no PostgreSQL server";
    test_db_.emplace("postgres");
  }

  // The test database, through the pool the fixture opened.
  Database& db() { return test_db_->db(); }

  // A second pool on the same database whose sessions carry a name of their own, so a
  // test can find exactly those sessions in pg_stat_activity and no one else's.
  std::unique_ptr<Database> OpenTagged(const std::string& application_name, int pool_size,
                                       const PostgresLimits& limits = {}, int lock_timeout_ms = 5000) {
    auto opened = OpenPostgres({.url = test_db_->url() + "&application_name=" + application_name,
                                .pool_size = pool_size,
                                .lock_timeout_ms = lock_timeout_ms},
                               limits);
    EXPECT_TRUE(opened.ok()) << opened.error().detail;
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  static std::string UniqueName(const std::string& prefix) {
    return prefix + "_" + text::HexEncode(crypto::RandomBytes(6));
  }

  // Terminates every session named `application_name` and waits until each has gone.
  // The pids are looked up first and then terminated one by one: in a single statement
  // the planner may call pg_terminate_backend before filtering on the name, which would
  // end every session on the server.
  std::int64_t TerminateSessions(const std::string& application_name) {
    auto terminated = db().Write([&](Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto sessions, tx.Execute("SELECT pid FROM pg_stat_activity"
                                                       " WHERE application_name = ? AND pid <> pg_backend_pid()",
                                                       {application_name}));
      std::int64_t count = 0;
      for (const Row& session : sessions.rows) {
        // The 5 s bound only limits the wait for the backend to exit, which it does at once.
        PLAZA_ASSIGN_OR_RETURN(auto done, tx.QueryOne("SELECT pg_terminate_backend(?, 5000)", {session.Int(0)}));
        if (done->Bool(0)) ++count;
      }
      return count;
    });
    EXPECT_TRUE(terminated.ok()) << terminated.error().detail;
    return terminated.ok() ? *terminated : -1;
  }

  Status CreateCounter() {
    return db().Write([](Transaction& tx) -> Status {
      PLAZA_TRY(tx.Execute("CREATE TABLE counter (id BIGINT PRIMARY KEY, value BIGINT NOT NULL)"));
      PLAZA_TRY(tx.Execute("INSERT INTO counter (id, value) VALUES (1, 0)"));
      return Ok();
    });
  }

  std::optional<plaza::testing::TestDatabase> test_db_;
};

Status Increment(Transaction& tx) {
  PLAZA_TRY(tx.Execute("UPDATE counter SET value = value + 1 WHERE id = 1"));
  return Ok();
}

std::int64_t CounterValue(Database& db) {
  auto row = db.Read([](Transaction& tx) { return tx.QueryOne("SELECT value FROM counter WHERE id = 1"); });
  return row.ok() && *row ? (*row)->Int(0) : -1;
}

// Runs two read transactions at once, so that both connections of a two-connection pool
// are in use together, and returns the server process ids that served them.
std::vector<std::int64_t> BackendsOfTwoAtOnce(Database& pool) {
  std::latch both_inside(2);
  const auto backend_pid = [&](std::int64_t& pid) {
    bool arrived = false;  // a retried body must not count down the latch twice
    const Status status = pool.Read([&](Transaction& tx) -> Status {
      if (!arrived) both_inside.arrive_and_wait();
      arrived = true;
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT pg_backend_pid()"));
      pid = row->Int(0);
      return Ok();
    });
    EXPECT_TRUE(status.ok()) << status.error().detail;
  };
  std::vector<std::int64_t> pids(2, -1);
  std::thread other([&] { backend_pid(pids[1]); });
  backend_pid(pids[0]);
  other.join();
  return pids;
}

TEST_F(PostgresTest, ReconnectsAfterTheServerDropsIdleConnections) {
  ASSERT_TRUE(CreateCounter().ok());
  const std::string name = UniqueName("reconnect");
  auto pool = OpenTagged(name, 2);
  ASSERT_NE(pool, nullptr);
  const std::vector<std::int64_t> before = BackendsOfTwoAtOnce(*pool);
  ASSERT_NE(before[0], before[1]);
  ASSERT_EQ(pool->Stats().size, 2);

  ASSERT_EQ(TerminateSessions(name), 2);

  // Each connection is found dead on its next use and replaced, unseen by the caller.
  const std::vector<std::int64_t> after = BackendsOfTwoAtOnce(*pool);
  for (const std::int64_t pid : after) {
    EXPECT_GT(pid, 0);
    EXPECT_NE(pid, before[0]);
    EXPECT_NE(pid, before[1]);
  }
  EXPECT_EQ(pool->Stats().size, 2);
  EXPECT_TRUE(pool->Write(Increment).ok());
  EXPECT_EQ(CounterValue(*pool), 1);
  // Nothing was retried: a stale connection is replaced before its transaction begins.
  EXPECT_EQ(pool->Stats().retries, 0);
}

TEST_F(PostgresTest, ConnectionLostMidTransactionIsRetriedFromTheStart) {
  ASSERT_TRUE(CreateCounter().ok());
  const std::string name = UniqueName("midtx");
  auto pool = OpenTagged(name, 1);
  ASSERT_NE(pool, nullptr);
  int attempts = 0;
  const Status status = pool->Write([&](Transaction& tx) -> Status {
    PLAZA_TRY(Increment(tx));
    if (++attempts == 1) {
      EXPECT_EQ(TerminateSessions(name), 1);
    }
    return Increment(tx);
  });
  ASSERT_TRUE(status.ok()) << status.error().detail;
  EXPECT_EQ(attempts, 2);
  // The first attempt's increment died with its session.
  EXPECT_EQ(CounterValue(*pool), 2);
  EXPECT_GE(pool->Stats().retries, 1);
}

TEST_F(PostgresTest, WaitingForABusyPoolEndsAsUnavailable) {
  // The bound is short only to keep the test quick; the outcome does not depend on it,
  // since the one connection stays taken until the second transaction has given up.
  auto pool = OpenTagged(UniqueName("poolwait"), 1, {.acquire_timeout = std::chrono::milliseconds(100)});
  ASSERT_NE(pool, nullptr);
  std::latch holding(1);
  std::latch gave_up(1);
  std::thread holder([&] {
    EXPECT_TRUE(pool->Read([&](Transaction&) -> Status {
                      holding.count_down();
                      gave_up.wait();
                      return Ok();
                    })
                    .ok());
  });
  holding.wait();
  EXPECT_EQ(pool->Stats().in_use, 1);
  const Status waited = pool->Ping();
  gave_up.count_down();
  holder.join();
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(IsRetryable(waited.error()));
  // The pool is whole again once the holder is done.
  EXPECT_EQ(pool->Stats().in_use, 0);
  EXPECT_TRUE(pool->Ping().ok());
}

TEST_F(PostgresTest, WriteSkewFailsAtCommitAndIsRetried) {
  // Two clerks each take themselves off call if someone else is still on call. Under
  // SERIALIZABLE both may read "two on call", but only one may commit; the other is
  // retried, sees one left, and stays on.
  ASSERT_TRUE(db().Write([](Transaction& tx) -> Status {
                    PLAZA_TRY(tx.Execute("CREATE TABLE on_call (clerk BIGINT PRIMARY KEY, on_duty INTEGER NOT NULL)"));
                    PLAZA_TRY(tx.Execute("INSERT INTO on_call (clerk, on_duty) VALUES (1, 1), (2, 1)"));
                    return Ok();
                  })
                  .ok());
  const std::int64_t retries_before = db().Stats().retries;
  // Both read, then both write, then both commit: the conflict can only surface at COMMIT.
  std::latch both_read(2);
  std::latch both_wrote(2);
  const auto go_off_call = [&](std::int64_t clerk) {
    int attempts = 0;
    return db().Write([&](Transaction& tx) -> Status {
      // The first attempt meets the other thread at each step even when a statement
      // failed, so a failure shows up as a failed assertion rather than a hang.
      const bool first = ++attempts == 1;
      auto on_duty = tx.QueryOne("SELECT count(*) FROM on_call WHERE on_duty = 1");
      if (first) both_read.arrive_and_wait();
      PLAZA_TRY(on_duty);
      Result<QueryResult> wrote = QueryResult{};
      if ((*on_duty)->Int(0) >= 2) wrote = tx.Execute("UPDATE on_call SET on_duty = 0 WHERE clerk = ?", {clerk});
      if (first) both_wrote.arrive_and_wait();
      PLAZA_TRY(wrote);
      return Ok();
    });
  };
  Status other_status;
  std::thread other([&] { other_status = go_off_call(2); });
  const Status status = go_off_call(1);
  other.join();
  ASSERT_TRUE(status.ok()) << status.error().detail;
  ASSERT_TRUE(other_status.ok()) << other_status.error().detail;
  auto still_on =
      db().Read([](Transaction& tx) { return tx.QueryOne("SELECT count(*) FROM on_call WHERE on_duty = 1"); });
  ASSERT_TRUE(still_on.ok());
  EXPECT_EQ((*still_on)->Int(0), 1);
  EXPECT_GE(db().Stats().retries - retries_before, 1);
}

TEST_F(PostgresTest, LockTimeoutIsUnavailable) {
  ASSERT_TRUE(CreateCounter().ok());
  // A short lock_timeout keeps the test quick; the lock is held until the waiter gives up.
  auto impatient = OpenTagged(UniqueName("locktimeout"), 1, {}, /*lock_timeout_ms=*/50);
  ASSERT_NE(impatient, nullptr);
  std::latch locked(1);
  std::latch gave_up(1);
  std::thread holder([&] {
    EXPECT_TRUE(db().Write([&](Transaction& tx) -> Status {
                      PLAZA_TRY(Increment(tx));
                      locked.count_down();
                      gave_up.wait();
                      return Ok();
                    })
                    .ok());
  });
  locked.wait();
  const Status blocked = impatient->Write(Increment);
  gave_up.count_down();
  holder.join();
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(blocked.error().detail.find("lock_timeout"), std::string::npos) << blocked.error().detail;
  EXPECT_EQ(CounterValue(db()), 1);
}

TEST_F(PostgresTest, StatementTimeoutIsUnavailable) {
  const Status status = db().Read([](Transaction& tx) -> Status {
    // 10 ms against a 10 s sleep: the time-out always fires first.
    PLAZA_TRY(tx.Execute("SET LOCAL statement_timeout = 10"));
    PLAZA_TRY(tx.Execute("SELECT pg_sleep(10)"));
    return Ok();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(status.error().detail.find("statement_timeout"), std::string::npos) << status.error().detail;
}

TEST_F(PostgresTest, SessionsRunInUtcWithUtf8AndTheConfiguredTimeouts) {
  auto pool = OpenTagged(UniqueName("settings"), 1, {.statement_timeout = std::chrono::milliseconds(45'000)}, 1234);
  ASSERT_NE(pool, nullptr);
  auto settings = pool->Read([](Transaction& tx) {
    return tx.QueryOne(
        "SELECT current_setting('TimeZone'), current_setting('client_encoding'),"
        " current_setting('lock_timeout'), current_setting('statement_timeout')");
  });
  ASSERT_TRUE(settings.ok()) << settings.error().detail;
  EXPECT_EQ((*settings)->Text(0), "UTC");
  EXPECT_EQ((*settings)->Text(1), "UTF8");
  EXPECT_EQ((*settings)->Text(2), "1234ms");
  EXPECT_EQ((*settings)->Text(3), "45s");
}

TEST_F(PostgresTest, ReadTransactionsAreReadOnly) {
  ASSERT_TRUE(CreateCounter().ok());
  const Status status = db().Read(Increment);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  EXPECT_EQ(CounterValue(db()), 0);
}

// BEGIN travels with a transaction's first statement; that statement must still run
// inside the transaction, under its isolation level and access mode, on a connection
// that a body without statements, or one whose first statement failed, left clean.
TEST_F(PostgresTest, TheFirstStatementRunsInsideItsTransaction) {
  const auto mode_of = [](Database& db, TxMode mode) {
    std::string isolation;
    std::string read_only;
    const Status status = db.RunTransaction(mode, [&](Transaction& tx) -> Status {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT current_setting('transaction_isolation'), "
                                                   "current_setting('transaction_read_only')"));
      isolation = row->Text(0);
      read_only = row->Text(1);
      return Ok();
    });
    EXPECT_TRUE(status.ok()) << status.error().detail;
    return isolation + " " + read_only;
  };
  auto pool = OpenTagged(UniqueName("begin"), 1);
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(mode_of(*pool, TxMode::kRead), "repeatable read on");
  EXPECT_TRUE(pool->Read([](Transaction&) { return Ok(); }).ok());
  EXPECT_EQ(mode_of(*pool, TxMode::kWrite), "serializable off");
  const Status failed = pool->Read([](Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("SELECT no_such_column FROM no_such_table"));
    return Ok();
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(mode_of(*pool, TxMode::kRead), "repeatable read on");
  EXPECT_EQ(pool->Stats().size, 1);
}

TEST_F(PostgresTest, ABodyThatCarriesOnAfterAFailedStatementIsNotCommitted) {
  ASSERT_TRUE(db().Write([](Transaction& tx) -> Status {
                    PLAZA_TRY(tx.Execute("CREATE TABLE handles (name TEXT PRIMARY KEY)"));
                    PLAZA_TRY(tx.Execute("INSERT INTO handles (name) VALUES ('taken')"));
                    return Ok();
                  })
                  .ok());
  Error later_statement;
  const Status status = db().Write([&](Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("INSERT INTO handles (name) VALUES ('fresh')"));
    auto duplicate = tx.Execute("INSERT INTO handles (name) VALUES ('taken')");
    EXPECT_FALSE(duplicate.ok());
    auto next = tx.Execute("INSERT INTO handles (name) VALUES ('another')");
    if (!next.ok()) later_statement = next.error();
    return Ok();  // wrongly ignores both failures
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  EXPECT_NE(later_statement.detail.find("aborted"), std::string::npos) << later_statement.detail;
  auto count = db().Read([](Transaction& tx) { return tx.QueryOne("SELECT count(*) FROM handles"); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ((*count)->Int(0), 1);
}

TEST_F(PostgresTest, TextWithANulCharacterIsRejectedNotTruncated) {
  const std::string with_nul("a\0b", 3);
  const Status status = db().Read([&](Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("SELECT ?::text", {with_nul}));
    return Ok();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(PostgresTest, StatementCacheStaysBounded) {
  // More distinct statements than the driver caches (512) on one connection.
  auto pool = OpenTagged(UniqueName("cache"), 1);
  ASSERT_NE(pool, nullptr);
  auto prepared = pool->Read([](Transaction& tx) -> Result<std::int64_t> {
    for (int statement_idx = 0; statement_idx < 600; ++statement_idx) {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT ? + " + std::to_string(statement_idx), {1}));
      if (row->Int(0) != statement_idx + 1) return Error::Internal("wrong sum");
    }
    PLAZA_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT count(*) FROM pg_prepared_statements"));
    return count->Int(0);
  });
  ASSERT_TRUE(prepared.ok()) << prepared.error().detail;
  EXPECT_LE(*prepared, 513);
}

// A queue key no other test on the server uses: advisory locks are per database, and
// every test's schema lives in the same one.
std::int64_t FreshQueueKey() {
  std::int64_t id = 0;
  for (const std::uint8_t byte : crypto::RandomBytes(7)) id = (id << 8) | byte;
  return QueueKey("test/queue", 1, id);
}

TEST_F(PostgresTest, QueuedWritersTakeTurnsWithinAndAcrossProcesses) {
  // Read-modify-write of one row from two pools (as two Plaza processes would be) and
  // several threads each: unqueued, overlapping transactions fail serialization and are
  // retried; queued, each starts after the previous one committed, so none is.
  ASSERT_TRUE(CreateCounter().ok());
  auto first = OpenTagged(UniqueName("queue_a"), 3);
  auto second = OpenTagged(UniqueName("queue_b"), 3);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  const std::int64_t key = FreshQueueKey();
  constexpr int kThreadsPerPool = 3;
  constexpr int kIncrements = 15;
  std::latch start(2 * kThreadsPerPool);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (Database* pool : {first.get(), second.get()}) {
    for (int thread_idx = 0; thread_idx < kThreadsPerPool; ++thread_idx) {
      threads.emplace_back([&, pool] {
        start.arrive_and_wait();
        for (int increment = 0; increment < kIncrements; ++increment) {
          const std::int64_t keys[] = {key};
          const Status status = pool->RunQueuedWrite(keys, [](Transaction& tx) -> Status {
            PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT value FROM counter WHERE id = 1"));
            PLAZA_TRY(tx.Execute("UPDATE counter SET value = ? WHERE id = 1", {row->Int(0) + 1}));
            return Ok();
          });
          if (!status.ok()) failures.fetch_add(1);
        }
      });
    }
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto value = db().Read([](Transaction& tx) { return tx.QueryOne("SELECT value FROM counter WHERE id = 1"); });
  ASSERT_TRUE(value.ok());
  EXPECT_EQ((*value)->Int(0), 2 * kThreadsPerPool * kIncrements);
  EXPECT_EQ(first->Stats().retries, 0);
  EXPECT_EQ(second->Stats().retries, 0);
}

TEST_F(PostgresTest, AQueuedWriteLeavesTheQueueWhateverItsOutcome) {
  // The queue's locks belong to the pooled session, not the transaction: each outcome
  // must release them, or the next writer of the key (here in another pool, waiting at
  // most 300 ms) would wait for a lock nobody is going to release.
  ASSERT_TRUE(CreateCounter().ok());
  auto holder = OpenTagged(UniqueName("queue_holder"), 1);
  auto next = OpenTagged(UniqueName("queue_next"), 1, {}, /*lock_timeout_ms=*/300);
  ASSERT_NE(holder, nullptr);
  ASSERT_NE(next, nullptr);
  const std::int64_t keys[] = {FreshQueueKey(), FreshQueueKey()};
  const auto next_writer_gets_its_turn = [&] {
    return next->RunQueuedWrite(keys, [](Transaction& tx) -> Status {
      PLAZA_TRY(tx.Execute("UPDATE counter SET value = value + 1 WHERE id = 1"));
      return Ok();
    });
  };

  const Status committed = holder->RunQueuedWrite(keys, [](Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("UPDATE counter SET value = value + 1 WHERE id = 1"));
    return Ok();
  });
  ASSERT_TRUE(committed.ok()) << committed.error().detail;
  Status turn = next_writer_gets_its_turn();
  EXPECT_TRUE(turn.ok()) << "after a commit: " << turn.error().detail;

  const Status refused =
      holder->RunQueuedWrite(keys, [](Transaction&) -> Status { return Error::Conflict("test/refused", "no"); });
  EXPECT_EQ(refused.error().type, "test/refused");
  turn = next_writer_gets_its_turn();
  EXPECT_TRUE(turn.ok()) << "after a body error: " << turn.error().detail;

  const Status failed_statement = holder->RunQueuedWrite(keys, [](Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("INSERT INTO counter (id, value) VALUES (1, 0)"));  // duplicate key
    return Ok();
  });
  EXPECT_EQ(failed_statement.error().type, "db/unique-violation");
  turn = next_writer_gets_its_turn();
  EXPECT_TRUE(turn.ok()) << "after a failed statement: " << turn.error().detail;

  // And the waiting side: a writer whose turn does not come within lock_timeout is told
  // so, and holds no part of the queue afterwards.
  std::latch held(1);
  std::latch release(1);
  std::thread holding([&] {
    const Status status = holder->RunQueuedWrite(keys, [&](Transaction&) -> Status {
      held.count_down();
      release.wait();
      return Ok();
    });
    EXPECT_TRUE(status.ok());
  });
  held.wait();
  turn = next_writer_gets_its_turn();
  release.count_down();
  holding.join();
  EXPECT_EQ(turn.error().code, ErrorCode::kUnavailable);
  turn = next_writer_gets_its_turn();
  EXPECT_TRUE(turn.ok()) << "after a wait that timed out: " << turn.error().detail;
  EXPECT_EQ(holder->Stats().retries, 0);
}

TEST_F(PostgresTest, AnUnreachableServerFailsAtOpen) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  auto opened = OpenPostgres({.url = "postgresql://plaza@127.0.0.1:1/plaza"}, {});
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace plaza::store
