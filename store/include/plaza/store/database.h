#pragma once
// The storage interface. One SQL text runs on SQLite and PostgreSQL: statements use `?`
// placeholders (the PostgreSQL driver numbers them), integers for booleans and for times
// (Unix milliseconds, UTC), and TEXT for strings. Drivers: sqlite.h, postgres.h.
//
// Thread-safety: a Database may be used from any number of threads at once. A
// Transaction belongs to the thread running the body it was passed to.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "plaza/core/result.h"

namespace plaza::store {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter: NULL, an integer or text. Booleans bind as 0/1.
class Param {
 public:
  Param(std::nullptr_t) {}                                       // NOLINT
  Param(std::int64_t value) : value_(value) {}                   // NOLINT
  Param(int value) : value_(std::int64_t{value}) {}              // NOLINT
  Param(bool value) : value_(std::int64_t{value ? 1 : 0}) {}     // NOLINT
  Param(std::string value) : value_(std::move(value)) {}         // NOLINT
  Param(std::string_view value) : value_(std::string(value)) {}  // NOLINT
  Param(const char* value) : value_(std::string(value)) {}       // NOLINT
  template <typename T>
  Param(const std::optional<T>& value) {  // NOLINT
    if (value) *this = Param(*value);
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(value_); }
  const std::int64_t* as_int() const { return std::get_if<std::int64_t>(&value_); }
  const std::string* as_text() const { return std::get_if<std::string>(&value_); }

 private:
  std::variant<std::monostate, std::int64_t, std::string> value_;
};

// One result row. Column access is by position, in the order of the SELECT list.
class Row {
 public:
  using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;

  explicit Row(std::vector<Cell> cells) : cells_(std::move(cells)) {}

  std::size_t size() const { return cells_.size(); }
  bool IsNull(std::size_t column) const;
  // REQUIRES: the cell is a non-null integer (or text holding one).
  std::int64_t Int(std::size_t column) const;
  bool Bool(std::size_t column) const { return Int(column) != 0; }
  // NULL reads as "".
  std::string Text(std::size_t column) const;
  std::optional<std::int64_t> OptionalInt(std::size_t column) const;
  std::optional<std::string> OptionalText(std::size_t column) const;

 private:
  std::vector<Cell> cells_;
};

struct QueryResult {
  std::vector<Row> rows;
  std::int64_t affected_rows = 0;
};

// Statements inside one database transaction.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual Dialect dialect() const = 0;

  // Runs one statement. Constraint violations come back as typed errors:
  //   unique violation     -> kConflict, type "db/unique-violation"
  //   foreign key          -> kConflict, type "db/foreign-key-violation"
  //   check / not null     -> kInvalidArgument, type "db/constraint-violation"
  //   serialization failure, deadlock, SQLITE_BUSY -> type "db/retry" (RunTransaction retries)
  //   anything else        -> kUnavailable or kInternal
  virtual Result<QueryResult> Execute(std::string_view sql, std::span<const Param> params) = 0;

  Result<QueryResult> Execute(std::string_view sql, std::initializer_list<Param> params = {}) {
    return Execute(sql, std::span<const Param>(params.begin(), params.size()));
  }
  // The first row, or nullopt when there is none.
  Result<std::optional<Row>> QueryOne(std::string_view sql, std::initializer_list<Param> params = {});
  Result<std::optional<Row>> QueryOne(std::string_view sql, std::span<const Param> params);
};

enum class TxMode {
  kRead,   // reads only; may run concurrently with other reads and one write
  kWrite,  // may write; on SQLite, writers are serialised in-process (one-writer discipline)
};

struct PoolStats {
  int size = 0;              // connections open
  int in_use = 0;            // connections lent out now
  std::int64_t retries = 0;  // transactions retried after a serialization failure or deadlock
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // Runs `body` in one transaction: commits when it returns ok, rolls back otherwise.
  // Retries the whole body, a bounded number of times with back-off, when the database
  // reports a serialization failure or deadlock, so `body` must have no effect outside
  // the transaction. Must not be nested.
  virtual Status RunTransaction(TxMode mode, const std::function<Status(Transaction&)>& body) = 0;

  // A write transaction that first waits its turn behind every other queued writer
  // sharing one of `keys` (QueueKey). Writers that all change the same few rows — every
  // buyer in a flash sale takes from one stock level — otherwise all start together, and
  // on PostgreSQL all but one fail serialization and retry with back-off, round after
  // round; queued, they run one after another, also across processes sharing one
  // PostgreSQL database. The keys order writers and nothing else: the transaction is as
  // serializable and retried as any other, so writers that do not queue (or a key shared
  // by accident) stay correct. SQLite runs one writer at a time anyway and ignores them.
  virtual Status RunQueuedWrite(std::span<const std::int64_t> keys, const std::function<Status(Transaction&)>& body) {
    (void)keys;
    return RunTransaction(TxMode::kWrite, body);
  }

  // Typed conveniences over RunTransaction and RunQueuedWrite: `body` returns Result<T>.
  template <typename Body>
  auto Write(Body&& body) {
    return Run(std::forward<Body>(body),
               [&](const std::function<Status(Transaction&)>& run) { return RunTransaction(TxMode::kWrite, run); });
  }
  template <typename Body>
  auto WriteQueued(std::span<const std::int64_t> keys, Body&& body) {
    return Run(std::forward<Body>(body),
               [&](const std::function<Status(Transaction&)>& run) { return RunQueuedWrite(keys, run); });
  }
  template <typename Body>
  auto Read(Body&& body) {
    return Run(std::forward<Body>(body),
               [&](const std::function<Status(Transaction&)>& run) { return RunTransaction(TxMode::kRead, run); });
  }

  // Cheap round trip for /readyz.
  virtual Status Ping() = 0;
  virtual PoolStats Stats() const = 0;

 private:
  template <typename Body, typename Runner>
  static auto Run(Body&& body, Runner&& runner) -> std::invoke_result_t<Body, Transaction&> {
    using R = std::invoke_result_t<Body, Transaction&>;
    if constexpr (std::is_same_v<R, Status>) {
      return runner(body);
    } else {
      std::optional<R> out;
      Status status = runner([&](Transaction& tx) -> Status {
        R result = body(tx);
        if (!result.ok()) return result.error();
        out.emplace(std::move(result));
        return Ok();
      });
      if (!status.ok()) return std::move(status).error();
      return std::move(*out);
    }
  }
};

struct DatabaseOptions {
  // A SQLite file path (created if missing; ":memory:" is not supported because each
  // pooled connection would see its own database) or a postgresql:// URL.
  std::string url;
  // Connections kept open; on SQLite, one writer plus this many readers.
  int pool_size = 8;
  // How long a statement waits for a lock before failing (SQLite busy_timeout,
  // PostgreSQL lock_timeout), so a stuck writer cannot hang requests forever.
  int lock_timeout_ms = 5000;
};

Result<std::unique_ptr<Database>> OpenDatabase(const DatabaseOptions& options);

// A key for RunQueuedWrite naming one contended thing of one shop, such as
// QueueKey("inventory/variant", shop_id, variant_id). Distinct things may share a key
// (it is a 64-bit hash), which costs them some waiting and nothing else.
std::int64_t QueueKey(std::string_view scope, std::int64_t shop_id, std::int64_t id);

// True when `url` names a PostgreSQL server rather than a SQLite file.
bool IsPostgresUrl(std::string_view url);

// A SQL `IN (?, ?, …)` list of `count` placeholders; `count` must be > 0.
std::string Placeholders(std::size_t count);

}  // namespace plaza::store
