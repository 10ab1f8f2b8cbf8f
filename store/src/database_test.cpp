#include "plaza/store/database.h"

#include <gtest/gtest.h>

#include <thread>

#include "plaza/store/migrations.h"
#include "plaza_test/databases.h"

namespace plaza::store {
namespace {

class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  DatabaseTest() : test_db_(GetParam()) {}
  Database& db() { return test_db_.db(); }
  plaza::testing::TestDatabase test_db_;
};

TEST_P(DatabaseTest, CommitsAndReadsBack) {
  ASSERT_TRUE(db().Write([](Transaction& tx) -> Status {
                    PLAZA_TRY(tx.Execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, flag INTEGER)"));
                    PLAZA_TRY(tx.Execute("INSERT INTO notes (id, body, flag) VALUES (?, ?, ?)", {1, "hello", true}));
                    PLAZA_TRY(tx.Execute("INSERT INTO notes (id, body, flag) VALUES (?, ?, ?)", {2, nullptr, false}));
                    return Ok();
                  })
                  .ok());
  auto rows = db().Read([](Transaction& tx) { return tx.Execute("SELECT id, body, flag FROM notes ORDER BY id"); });
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->rows.size(), 2u);
  EXPECT_EQ(rows->rows[0].Int(0), 1);
  EXPECT_EQ(rows->rows[0].Text(1), "hello");
  EXPECT_TRUE(rows->rows[0].Bool(2));
  EXPECT_TRUE(rows->rows[1].IsNull(1));
  EXPECT_FALSE(rows->rows[1].OptionalText(1).has_value());
}

TEST_P(DatabaseTest, RollsBackWhenBodyFails) {
  ASSERT_TRUE(db().Write([](Transaction& tx) -> Status {
                    PLAZA_TRY(tx.Execute("CREATE TABLE notes (id BIGINT PRIMARY KEY)"));
                    return Ok();
                  })
                  .ok());
  const Status failed = db().Write([](Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("INSERT INTO notes (id) VALUES (?)", {1}));
    return Error::Conflict("test/abort", "abort on purpose");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().type, "test/abort");
  auto count = db().Read([](Transaction& tx) { return tx.QueryOne("SELECT COUNT(*) FROM notes"); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ((*count)->Int(0), 0);
}

TEST_P(DatabaseTest, UniqueViolationIsATypedConflict) {
  const Status status = db().Write([](Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("CREATE TABLE handles (name TEXT PRIMARY KEY)"));
    PLAZA_TRY(tx.Execute("INSERT INTO handles (name) VALUES (?)", {"a"}));
    PLAZA_TRY(tx.Execute("INSERT INTO handles (name) VALUES (?)", {"a"}));
    return Ok();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kConflict);
  EXPECT_EQ(status.error().type, "db/unique-violation");
}

TEST_P(DatabaseTest, CheckViolationIsInvalidArgument) {
  ASSERT_TRUE(db().Write([](Transaction& tx) -> Status {
                    PLAZA_TRY(tx.Execute(
                        "CREATE TABLE stock (sku TEXT NOT NULL, available BIGINT NOT NULL CHECK (available >= 0))"));
                    return Ok();
                  })
                  .ok());
  const Status negative = db().Write([](Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("INSERT INTO stock (sku, available) VALUES (?, ?)", {"mug", -1}));
    return Ok();
  });
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(negative.error().type, "db/constraint-violation");
  const Status missing = db().Write([](Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("INSERT INTO stock (sku, available) VALUES (?, ?)", {nullptr, 1}));
    return Ok();
  });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().type, "db/constraint-violation");
}

TEST_P(DatabaseTest, ForeignKeyViolationIsATypedConflict) {
  ASSERT_TRUE(
      db().Write([](Transaction& tx) -> Status {
            PLAZA_TRY(tx.Execute("CREATE TABLE shops (id BIGINT PRIMARY KEY)"));
            PLAZA_TRY(tx.Execute(
                "CREATE TABLE products (id BIGINT PRIMARY KEY, shop_id BIGINT NOT NULL REFERENCES shops (id))"));
            return Ok();
          })
          .ok());
  const Status status = db().Write([](Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("INSERT INTO products (id, shop_id) VALUES (?, ?)", {1, 42}));
    return Ok();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kConflict);
  EXPECT_EQ(status.error().type, "db/foreign-key-violation");
}

TEST_P(DatabaseTest, BlobColumnsKeepEveryByte) {
  const std::vector<MigrationSet> sets = {
      {"demo", {{1, "create", "CREATE TABLE files (id {{pk}}, data {{blob}});\n"}}}};
  ASSERT_TRUE(Migrate(db(), sets).ok());
  std::string bytes;
  for (int value = 0; value < 256; ++value) bytes += static_cast<char>(value);
  bytes += "\\x00'";  // text that looks like an escape must stay text
  auto read = db().Write([&](Transaction& tx) -> Result<std::string> {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("INSERT INTO files (data) VALUES (?) RETURNING id", {bytes}));
    PLAZA_ASSIGN_OR_RETURN(auto stored, tx.QueryOne("SELECT data FROM files WHERE id = ?", {row->Int(0)}));
    return stored->Text(0);
  });
  ASSERT_TRUE(read.ok()) << read.error().detail;
  EXPECT_EQ(*read, bytes);
}

TEST_P(DatabaseTest, AffectedRowsCountsUpdatedRows) {
  auto affected = db().Write([](Transaction& tx) -> Result<std::int64_t> {
    PLAZA_TRY(tx.Execute("CREATE TABLE flags (id BIGINT PRIMARY KEY, on_sale INTEGER NOT NULL)"));
    for (int id = 1; id <= 3; ++id) PLAZA_TRY(tx.Execute("INSERT INTO flags (id, on_sale) VALUES (?, ?)", {id, false}));
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("UPDATE flags SET on_sale = ? WHERE id >= ?", {true, 2}));
    return result.affected_rows;
  });
  ASSERT_TRUE(affected.ok()) << affected.error().detail;
  EXPECT_EQ(*affected, 2);
}

TEST_P(DatabaseTest, PingsAndReportsItsPool) {
  ASSERT_TRUE(db().Ping().ok());
  const PoolStats stats = db().Stats();
  EXPECT_GE(stats.size, 1);
  EXPECT_EQ(stats.in_use, 0);
}

TEST_P(DatabaseTest, MigrationsApplyOnceAndInOrder) {
  const std::vector<MigrationSet> sets = {
      {"demo",
       {{1, "create",
         "CREATE TABLE things (id {{pk}}, name TEXT NOT NULL);\nCREATE INDEX things_name ON things (name);\n"},
        {2, "seed", "INSERT INTO things (name) VALUES ('first');\n"}}}};
  ASSERT_TRUE(Migrate(db(), sets).ok());
  ASSERT_TRUE(Migrate(db(), sets).ok());  // idempotent: the seed row is not inserted twice
  auto count = db().Read([](Transaction& tx) { return tx.QueryOne("SELECT COUNT(*) FROM things"); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ((*count)->Int(0), 1);
  auto applied = AppliedMigrations(db());
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(*applied, (std::vector<std::string>{"demo:1", "demo:2"}));
}

TEST_P(DatabaseTest, FailedMigrationLeavesNothingBehind) {
  const std::vector<MigrationSet> sets = {
      {"demo", {{1, "broken", "CREATE TABLE half (id {{pk}});\nTHIS IS NOT SQL;\n"}}}};
  const Status status = Migrate(db(), sets);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().detail.find("demo:1"), std::string::npos);
  auto applied = AppliedMigrations(db());
  ASSERT_TRUE(applied.ok());
  EXPECT_TRUE(applied->empty());
}

TEST_P(DatabaseTest, AutoIncrementKeysComeBackThroughReturning) {
  ASSERT_TRUE(
      Migrate(db(),
              std::vector<MigrationSet>{{"demo", {{1, "create", "CREATE TABLE things (id {{pk}}, name TEXT);\n"}}}})
          .ok());
  auto ids = db().Write([](Transaction& tx) -> Result<std::vector<std::int64_t>> {
    std::vector<std::int64_t> out;
    for (const char* name : {"a", "b"}) {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("INSERT INTO things (name) VALUES (?) RETURNING id", {name}));
      out.push_back(row->Int(0));
    }
    return out;
  });
  ASSERT_TRUE(ids.ok()) << ids.error().detail;
  EXPECT_LT((*ids)[0], (*ids)[1]);
}

TEST_P(DatabaseTest, ConcurrentIncrementsLoseNoUpdate) {
  ASSERT_TRUE(db().Write([](Transaction& tx) -> Status {
                    PLAZA_TRY(tx.Execute("CREATE TABLE counter (id BIGINT PRIMARY KEY, value BIGINT NOT NULL)"));
                    PLAZA_TRY(tx.Execute("INSERT INTO counter (id, value) VALUES (1, 0)"));
                    return Ok();
                  })
                  .ok());
  constexpr int kThreads = 8;
  constexpr int kIncrements = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        const Status status = db().Write([](Transaction& tx) -> Status {
          PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT value FROM counter WHERE id = 1"));
          PLAZA_TRY(tx.Execute("UPDATE counter SET value = ? WHERE id = 1", {row->Int(0) + 1}));
          return Ok();
        });
        if (!status.ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto value = db().Read([](Transaction& tx) { return tx.QueryOne("SELECT value FROM counter WHERE id = 1"); });
  ASSERT_TRUE(value.ok());
  EXPECT_EQ((*value)->Int(0), kThreads * kIncrements);
}

TEST_P(DatabaseTest, QueuedWritesCommitAndRollBackLikeWrites) {
  ASSERT_TRUE(db().Write([](Transaction& tx) -> Status {
                    PLAZA_TRY(tx.Execute("CREATE TABLE notes (id BIGINT PRIMARY KEY)"));
                    return Ok();
                  })
                  .ok());
  const std::int64_t keys[] = {QueueKey("test/notes", 1, 2), QueueKey("test/notes", 1, 1),
                               QueueKey("test/notes", 1, 2)};
  auto inserted = db().WriteQueued(keys, [](Transaction& tx) -> Result<std::int64_t> {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("INSERT INTO notes (id) VALUES (?)", {1}));
    return result.affected_rows;
  });
  ASSERT_TRUE(inserted.ok()) << inserted.error().detail;
  EXPECT_EQ(*inserted, 1);
  const Status failed = db().WriteQueued(keys, [](Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("INSERT INTO notes (id) VALUES (?)", {2}));
    return Error::Conflict("test/abort", "abort on purpose");
  });
  EXPECT_EQ(failed.error().type, "test/abort");
  auto count = db().Read([](Transaction& tx) { return tx.QueryOne("SELECT COUNT(*) FROM notes"); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ((*count)->Int(0), 1);
}

TEST(QueueKeyTest, IsTheSameInEveryProcessAndTellsThingsApart) {
  // Processes sharing a database must agree on keys, so the value is fixed, not just
  // consistent within one run.
  EXPECT_EQ(QueueKey("inventory/variant", 1, 2), QueueKey("inventory/variant", 1, 2));
  EXPECT_EQ(QueueKey("", 0, 0), static_cast<std::int64_t>(0x88201fb960ff6465ULL));
  EXPECT_NE(QueueKey("inventory/variant", 1, 2), QueueKey("inventory/variant", 2, 1));
  EXPECT_NE(QueueKey("inventory/variant", 1, 2), QueueKey("inventory/item", 1, 2));
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::store
