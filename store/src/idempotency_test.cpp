#include "plaza/store/idempotency.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"
#include "plaza_test/databases.h"

namespace plaza::store {
namespace {

class IdempotencyTest : public ::testing::TestWithParam<std::string> {
 protected:
  IdempotencyTest() : test_db_(GetParam()), clock_(FromUnixMillis(1'700'000'000'000)) {}

  void SetUp() override {
    ASSERT_TRUE(Migrate(db(), std::vector<MigrationSet>{StoreMigrations()}).ok());
    // Stands for the guarded effect: one row per charge made.
    const std::string create =
        RenderMigrationSql("CREATE TABLE charges (id {{pk}}, amount BIGINT NOT NULL)", db().dialect());
    ASSERT_TRUE(db().Write([&](Transaction& tx) -> Status {
                      PLAZA_TRY(tx.Execute(create));
                      return Ok();
                    })
                    .ok());
  }

  Database& db() { return test_db_.db(); }

  static IdempotencyKey Key(std::string key = "order-7f3a", std::string fingerprint = "sha256:aaa") {
    return {.shop_id = 1,
            .operation = "orders.place",
            .caller = "customer:42",
            .key = std::move(key),
            .fingerprint = std::move(fingerprint)};
  }

  // Charges `amount` and answers with the charge's id.
  Result<IdempotentOutcome> Charge(const IdempotencyKey& key, std::int64_t amount) {
    return RunIdempotent(db(), key, clock_.Now(), [&](Transaction& tx) -> Result<IdempotentOutcome> {
      PLAZA_TRY(tx.Execute("INSERT INTO charges (amount) VALUES (?)", {amount}));
      PLAZA_ASSIGN_OR_RETURN(auto id, tx.QueryOne("SELECT MAX(id) FROM charges"));
      return IdempotentOutcome{201, R"({"charge":)" + std::to_string(id->Int(0)) + "}"};
    });
  }

  std::int64_t Charges() {
    auto count = db().Read([](Transaction& tx) { return tx.QueryOne("SELECT COUNT(*) FROM charges"); });
    return count.ok() ? (*count)->Int(0) : -1;
  }

  plaza::testing::TestDatabase test_db_;
  ManualClock clock_;
};

TEST_P(IdempotencyTest, RetriesWithOneKeyReplayTheFirstOutcome) {
  auto first = Charge(Key(), 1000);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  for (int retry = 0; retry < 9; ++retry) {
    auto again = Charge(Key(), 1000);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->status, 201);
    EXPECT_EQ(again->body, first->body);
  }
  EXPECT_EQ(Charges(), 1);
}

TEST_P(IdempotencyTest, TheSameKeyWithAnotherRequestIsRefused) {
  ASSERT_TRUE(Charge(Key(), 1000).ok());
  auto other = Charge(Key("order-7f3a", "sha256:bbb"), 5000);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(other.error().type, "idempotency/key-reused");
  EXPECT_EQ(Charges(), 1);
}

TEST_P(IdempotencyTest, KeysAreScopedToCallerOperationAndShop) {
  IdempotencyKey other_caller = Key();
  other_caller.caller = "customer:43";
  IdempotencyKey other_shop = Key();
  other_shop.shop_id = 2;
  IdempotencyKey other_operation = Key();
  other_operation.operation = "payments.capture";
  for (const IdempotencyKey& key : {Key(), other_caller, other_shop, other_operation}) {
    ASSERT_TRUE(Charge(key, 1000).ok());
  }
  EXPECT_EQ(Charges(), 4);
}

TEST_P(IdempotencyTest, AFailedEffectStoresNothingSoTheKeyCanBeRetried) {
  auto failed = RunIdempotent(db(), Key(), clock_.Now(), [](Transaction& tx) -> Result<IdempotentOutcome> {
    PLAZA_TRY(tx.Execute("INSERT INTO charges (amount) VALUES (1)"));
    return Error::Conflict("inventory/insufficient-stock", "sold out");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().type, "inventory/insufficient-stock");
  EXPECT_EQ(Charges(), 0);
  ASSERT_TRUE(Charge(Key(), 1000).ok());
  EXPECT_EQ(Charges(), 1);
}

TEST_P(IdempotencyTest, ConcurrentDuplicatesMakeOneEffectAndAllSeeIt) {
  constexpr int kCallers = 12;
  std::vector<std::string> bodies(kCallers);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] {
      auto outcome = Charge(Key(), 1000);
      if (outcome.ok()) {
        bodies[static_cast<std::size_t>(i)] = outcome->body;
      } else {
        ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Charges(), 1);
  for (const std::string& body : bodies) EXPECT_EQ(body, bodies.front());
}

TEST_P(IdempotencyTest, MalformedKeysAreRejectedBeforeAnyEffect) {
  for (const std::string& key : {std::string(), std::string(256, 'k'), std::string("has space"),
                                 std::string("tab\tkey"), std::string("caf\xc3\xa9")}) {
    auto outcome = Charge(Key(key), 1000);
    ASSERT_FALSE(outcome.ok()) << key;
    EXPECT_EQ(outcome.error().type, "idempotency/invalid-key");
    EXPECT_EQ(outcome.error().field, "Idempotency-Key");
  }
  EXPECT_TRUE(ValidateIdempotencyKey(std::string(255, 'k')).ok());
  EXPECT_EQ(Charges(), 0);
}

TEST_P(IdempotencyTest, OldRecordsAreSweptAndTheKeyIsFreshAgain) {
  ASSERT_TRUE(Charge(Key(), 1000).ok());
  clock_.Advance(std::chrono::hours(25));
  auto swept = DeleteIdempotencyRecordsBefore(db(), clock_.Now() - std::chrono::hours(24));
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 1);
  ASSERT_TRUE(Charge(Key(), 1000).ok());
  EXPECT_EQ(Charges(), 2);
}

TEST_P(IdempotencyTest, AClaimIsCompletedThenReplayed) {
  using State = IdempotencyClaim::State;
  constexpr std::chrono::seconds kLease{60};
  auto claim = ClaimIdempotencyKey(db(), Key(), clock_.Now(), kLease);
  ASSERT_TRUE(claim.ok());
  EXPECT_EQ(claim->state, State::kClaimed);
  // A duplicate arriving while the first runs is told so, not run.
  EXPECT_EQ(ClaimIdempotencyKey(db(), Key(), clock_.Now(), kLease)->state, State::kInProgress);
  ASSERT_TRUE(CompleteIdempotencyKey(db(), Key(), {201, R"({"id":9})"}).ok());
  auto replay = ClaimIdempotencyKey(db(), Key(), clock_.Now(), kLease);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->state, State::kReplay);
  EXPECT_EQ(replay->outcome.status, 201);
  EXPECT_EQ(replay->outcome.body, R"({"id":9})");
  EXPECT_EQ(ClaimIdempotencyKey(db(), Key("order-7f3a", "sha256:other"), clock_.Now(), kLease).error().type,
            "idempotency/key-reused");
}

TEST_P(IdempotencyTest, AnAbandonedOrStaleClaimCanBeTakenAgain) {
  using State = IdempotencyClaim::State;
  constexpr std::chrono::seconds kLease{60};
  ASSERT_EQ(ClaimIdempotencyKey(db(), Key(), clock_.Now(), kLease)->state, State::kClaimed);
  ASSERT_TRUE(AbandonIdempotencyKey(db(), Key()).ok());
  ASSERT_EQ(ClaimIdempotencyKey(db(), Key(), clock_.Now(), kLease)->state, State::kClaimed);
  // The holder died: before the lease ends the key is busy, after it the key is free.
  clock_.Advance(std::chrono::seconds(59));
  EXPECT_EQ(ClaimIdempotencyKey(db(), Key(), clock_.Now(), kLease)->state, State::kInProgress);
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(ClaimIdempotencyKey(db(), Key(), clock_.Now(), kLease)->state, State::kClaimed);
  // Abandoning never deletes a completed record.
  ASSERT_TRUE(CompleteIdempotencyKey(db(), Key(), {200, "{}"}).ok());
  ASSERT_TRUE(AbandonIdempotencyKey(db(), Key()).ok());
  EXPECT_EQ(ClaimIdempotencyKey(db(), Key(), clock_.Now(), kLease)->state, State::kReplay);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::store
