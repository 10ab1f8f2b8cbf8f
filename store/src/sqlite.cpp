// SQLite driver: WAL journal, foreign keys on, a busy time-out, and one writer at a time.
//
// SQLite allows one writer per database file; letting several connections race for the
// write lock only trades waiting for SQLITE_BUSY errors. So all write transactions share
// one connection behind a mutex (BEGIN IMMEDIATE), while reads use a pool of read-only
// connections that WAL lets run alongside the writer.

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "drivers.h"

namespace plaza::store {
namespace {

// Statements cached per connection; past this many distinct SQL texts the cache is
// dropped, so generated SQL cannot grow it without bound.
constexpr std::size_t kStatementCacheLimit = 512;

Error SqliteError(sqlite3* handle, int code) {
  const int extended = sqlite3_extended_errcode(handle);
  std::string message = sqlite3_errmsg(handle);
  switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Error::Conflict("db/unique-violation", message);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Error::Conflict("db/foreign-key-violation", message);
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return Error::Invalid("db/constraint-violation", message);
    default:
      break;
  }
  if ((code & 0xFF) == SQLITE_BUSY || (code & 0xFF) == SQLITE_LOCKED) return RetryableError(message);
  return Error::Internal("sqlite: " + message);
}

class Connection {
 public:
  Connection(sqlite3* handle) : handle_(handle) {}  // NOLINT
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close_v2(handle_);
  }

  sqlite3* handle() const { return handle_; }

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto found = statements_.find(key); found != statements_.end()) {
      sqlite3_reset(found->second);
      sqlite3_clear_bindings(found->second);
      return found->second;
    }
    if (statements_.size() >= kStatementCacheLimit) {
      for (auto& [cached_sql, statement] : statements_) sqlite3_finalize(statement);
      statements_.clear();
    }
    sqlite3_stmt* statement = nullptr;
    const int code = sqlite3_prepare_v3(handle_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT,
                                        &statement, nullptr);
    if (code != SQLITE_OK) return SqliteError(handle_, code);
    statements_.emplace(std::move(key), statement);
    return statement;
  }

  Status ExecuteScript(const char* sql) {
    char* message = nullptr;
    const int code = sqlite3_exec(handle_, sql, nullptr, nullptr, &message);
    if (code == SQLITE_OK) return Ok();
    Error error = SqliteError(handle_, code);
    sqlite3_free(message);
    return error;
  }

 private:
  sqlite3* handle_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(Connection& connection) : connection_(connection) {}
  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<QueryResult> Execute(std::string_view sql, std::span<const Param> params) override {
    PLAZA_ASSIGN_OR_RETURN(sqlite3_stmt * statement, connection_.Prepare(sql));
    if (static_cast<std::size_t>(sqlite3_bind_parameter_count(statement)) != params.size()) {
      return Error::Internal("statement expects " + std::to_string(sqlite3_bind_parameter_count(statement)) +
                             " parameters, got " + std::to_string(params.size()));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int position = static_cast<int>(i + 1);
      int code = SQLITE_OK;
      if (const auto* integer = params[i].as_int()) {
        code = sqlite3_bind_int64(statement, position, *integer);
      } else if (const auto* text = params[i].as_text()) {
        code = sqlite3_bind_text64(statement, position, text->data(), text->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        code = sqlite3_bind_null(statement, position);
      }
      if (code != SQLITE_OK) return SqliteError(connection_.handle(), code);
    }
    QueryResult result;
    const int column_count = sqlite3_column_count(statement);
    while (true) {
      const int code = sqlite3_step(statement);
      if (code == SQLITE_DONE) break;
      if (code != SQLITE_ROW) {
        Error error = SqliteError(connection_.handle(), code);
        sqlite3_reset(statement);
        return error;
      }
      std::vector<Row::Cell> cells;
      cells.reserve(static_cast<std::size_t>(column_count));
      for (int column = 0; column < column_count; ++column) {
        switch (sqlite3_column_type(statement, column)) {
          case SQLITE_INTEGER:
            cells.emplace_back(std::int64_t{sqlite3_column_int64(statement, column)});
            break;
          case SQLITE_FLOAT:
            cells.emplace_back(sqlite3_column_double(statement, column));
            break;
          case SQLITE_NULL:
            cells.emplace_back(std::monostate{});
            break;
          default: {
            const auto* data = reinterpret_cast<const char*>(sqlite3_column_blob(statement, column));
            const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
            cells.emplace_back(std::string(data ? data : "", size));
          }
        }
      }
      result.rows.emplace_back(std::move(cells));
    }
    result.affected_rows = sqlite3_changes64(connection_.handle());
    sqlite3_reset(statement);
    return result;
  }

 private:
  Connection& connection_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::unique_ptr<Connection> writer, std::vector<std::unique_ptr<Connection>> readers)
      : writer_(std::move(writer)), readers_(std::move(readers)) {
    for (auto& reader : readers_) idle_readers_.push_back(reader.get());
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status RunTransaction(TxMode mode, const std::function<Status(Transaction&)>& body) override {
    return RunWithRetry(
        [&]() -> Status {
          if (mode == TxMode::kWrite) {
            std::lock_guard lock(writer_mutex_);
            in_use_.fetch_add(1);
            Status status = RunOn(*writer_, "BEGIN IMMEDIATE", body);
            in_use_.fetch_sub(1);
            return status;
          }
          Connection* reader = AcquireReader();
          Status status = RunOn(*reader, "BEGIN", body);
          ReleaseReader(reader);
          return status;
        },
        retries_);
  }

  Status Ping() override {
    return RunTransaction(TxMode::kRead, [](Transaction& tx) -> Status {
      PLAZA_TRY(tx.Execute("SELECT 1"));
      return Ok();
    });
  }

  PoolStats Stats() const override { return {static_cast<int>(readers_.size()) + 1, in_use_.load(), retries_.load()}; }

 private:
  static Status RunOn(Connection& connection, const char* begin, const std::function<Status(Transaction&)>& body) {
    PLAZA_TRY(connection.ExecuteScript(begin));
    SqliteTransaction tx(connection);
    Status status = body(tx);
    if (status.ok()) status = connection.ExecuteScript("COMMIT");
    if (!status.ok()) {
      // ROLLBACK fails only when SQLite already rolled back on its own (e.g. after a
      // failed COMMIT); either way the transaction is over, so its error adds nothing.
      (void)connection.ExecuteScript("ROLLBACK");
    }
    return status;
  }

  Connection* AcquireReader() {
    std::unique_lock lock(readers_mutex_);
    readers_available_.wait(lock, [&] { return !idle_readers_.empty(); });
    Connection* reader = idle_readers_.back();
    idle_readers_.pop_back();
    in_use_.fetch_add(1);
    return reader;
  }

  void ReleaseReader(Connection* reader) {
    {
      std::lock_guard lock(readers_mutex_);
      idle_readers_.push_back(reader);
      in_use_.fetch_sub(1);
    }
    readers_available_.notify_one();
  }

  std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;  // GUARDED_BY(writer_mutex_)
  std::vector<std::unique_ptr<Connection>> readers_;
  std::mutex readers_mutex_;
  std::condition_variable readers_available_;
  std::vector<Connection*> idle_readers_;  // GUARDED_BY(readers_mutex_)
  std::atomic<int> in_use_{0};
  std::atomic<std::int64_t> retries_{0};
};

Result<std::unique_ptr<Connection>> OpenConnection(const DatabaseOptions& options, bool read_only) {
  sqlite3* handle = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int code = sqlite3_open_v2(options.url.c_str(), &handle, flags, nullptr);
  auto connection = std::make_unique<Connection>(handle);
  if (code != SQLITE_OK) {
    return Error::Unavailable("cannot open SQLite database '" + options.url + "': " + sqlite3_errmsg(handle));
  }
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, options.lock_timeout_ms);
  // synchronous=NORMAL in WAL mode keeps every committed transaction across a process
  // crash (kill -9); only an OS crash or power loss can lose the last commits.
  std::string pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
      "PRAGMA temp_store=MEMORY;";
  if (read_only) pragmas += "PRAGMA query_only=ON;";
  PLAZA_TRY(connection->ExecuteScript(pragmas.c_str()));
  return connection;
}

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const DatabaseOptions& options) {
  PLAZA_ASSIGN_OR_RETURN(auto writer, OpenConnection(options, /*read_only=*/false));
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.pool_size; ++i) {
    PLAZA_ASSIGN_OR_RETURN(auto reader, OpenConnection(options, /*read_only=*/true));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<Database>(std::make_unique<SqliteDatabase>(std::move(writer), std::move(readers)));
}

}  // namespace plaza::store
