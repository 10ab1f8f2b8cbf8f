// PostgreSQL driver: a bounded pool of libpq connections, statements prepared once per
// connection, SERIALIZABLE write transactions retried on serialization failure.
//
// The pool opens its first connection at once, so a wrong URL or an unreachable server
// fails start-up instead of the first request; the rest open on demand up to pool_size,
// so an idle node does not hold server connection slots it never uses. A connection that
// broke while it sat in the pool (server restart, pg_terminate_backend, idle time-out)
// is reconnected before it is used again, never handed out broken.
//
// BEGIN is sent with a transaction's first statement in one pipeline round trip, unless
// the queue's locks must be taken before it.
//
// Parameters travel in text form, except bytea parameters, which go in binary so that
// bytes reach the column unchanged; results come back as text, and bytea columns are
// decoded back to raw bytes, so a {{blob}} column reads the same on both engines.

#include "postgres.h"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <climits>
#include <condition_variable>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "drivers.h"
#include "postgres_sql.h"

namespace plaza::store {
namespace {

// Statements prepared per connection; past this many distinct SQL texts the connection's
// statements are all deallocated, so generated SQL cannot grow server memory without bound.
constexpr std::size_t kStatementCacheLimit = 512;

constexpr const char* kBeginWrite = "BEGIN ISOLATION LEVEL SERIALIZABLE";

// pg_type.oid of bytea; built-in type oids never change.
constexpr Oid kByteaOid = 17;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultHandle = std::unique_ptr<PGresult, ResultDeleter>;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// libpq ends its messages with a newline.
std::string Trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

bool Succeeded(const PGresult* result) {
  const ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

std::string_view SqlState(const PGresult* result) {
  const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  return sqlstate ? sqlstate : "";
}

// The error for a failed `result` (null when libpq could not even send the command).
// Without a SQLSTATE the failure happened in libpq itself: the connection is gone.
Error ServerError(PGconn* handle, const PGresult* result) {
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message = Trimmed(primary ? primary : PQerrorMessage(handle));
  const std::string_view sqlstate = SqlState(result);
  if (sqlstate.empty()) return Error::Unavailable("lost the connection to PostgreSQL: " + message);
  return ErrorForSqlState(sqlstate, message);
}

struct PreparedStatement {
  std::string name;
  std::vector<int> formats;  // per parameter: 1 (binary) for bytea, 0 (text) otherwise
};

// One libpq connection and its prepared statements. Used by one thread at a time: the
// pool lends it to a single transaction.
class Connection {
 public:
  Connection(PGconn* handle, std::string session_setup) : handle_(handle), session_setup_(std::move(session_setup)) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { PQfinish(handle_); }

  static Result<std::unique_ptr<Connection>> Open(const std::string& url, const std::string& connect_timeout,
                                                  const std::string& session_setup) {
    // Keywords before "dbname" are defaults the URL may override (libpq keeps the last value).
    const std::array<const char*, 3> keywords = {"connect_timeout", "dbname", nullptr};
    const std::array<const char*, 3> values = {connect_timeout.c_str(), url.c_str(), nullptr};
    auto connection = std::make_unique<Connection>(
        PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1), session_setup);
    if (!connection->healthy()) {
      return Error::Unavailable("cannot connect to PostgreSQL: " + Trimmed(PQerrorMessage(connection->handle_)));
    }
    // Notices ("drop cascades to …", "… already exists, skipping") inform and never fail
    // anything; libpq would print each to stderr, in the middle of the server's own logs.
    PQsetNoticeProcessor(
        connection->handle_, [](void*, const char*) {}, nullptr);
    PLAZA_TRY(connection->Configure());
    return connection;
  }

  bool healthy() const { return PQstatus(handle_) == CONNECTION_OK; }
  // Connected and outside any transaction: fit to be lent out.
  bool usable() const { return healthy() && PQtransactionStatus(handle_) == PQTRANS_IDLE; }
  PGconn* handle() const { return handle_; }

  // Reconnects with the original parameters. Prepared statements die with the old session.
  Status Reset() {
    statements_.clear();
    PQreset(handle_);
    if (!healthy()) return Error::Unavailable("cannot reconnect to PostgreSQL: " + Trimmed(PQerrorMessage(handle_)));
    return Configure();
  }

  // Runs the first statement on a connection fresh from the pool (BEGIN, or taking the
  // queue's locks before it).
  Status Begin(const char* begin) {
    ResultHandle result(PQexec(handle_, begin));
    if (Succeeded(result.get())) return Ok();
    if (healthy()) return ServerError(handle_, result.get());
    // The connection broke while idle and nothing has run on it yet, so reconnecting and
    // beginning again is safe and spares the caller a retry per stale connection.
    PLAZA_TRY(Reset());
    result.reset(PQexec(handle_, begin));
    if (Succeeded(result.get())) return Ok();
    return ServerError(handle_, result.get());
  }

  // BEGIN and the transaction's first statement in one round trip (libpq's pipeline
  // mode): a read that runs three statements otherwise waits for five answers. Returns
  // the statement's result; a failed BEGIN shows as that result's error.
  ResultHandle BeginAndRun(const char* begin, const PreparedStatement& statement, int count, const char* const* values,
                           const int* lengths) {
    if (PQenterPipelineMode(handle_) != 1) return ResultHandle(PQmakeEmptyPGresult(handle_, PGRES_FATAL_ERROR));
    const bool sent = PQsendQueryParams(handle_, begin, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1 &&
                      PQsendQueryPrepared(handle_, statement.name.c_str(), count, values, lengths,
                                          statement.formats.data(), /*resultFormat=*/0) == 1 &&
                      PQpipelineSync(handle_) == 1;
    if (!sent) {
      // A broken connection is reconnected by the caller. On a live one, whatever part of
      // the pipeline went out leaves the session in an unknown state: start a new one.
      ResultHandle failed(PQmakeEmptyPGresult(handle_, PGRES_FATAL_ERROR));
      if (healthy()) DropSession();
      return failed;
    }
    ResultHandle began = NextResult();
    ResultHandle result = NextResult();
    ResultHandle sync(PQgetResult(handle_));  // the sync point's own result ends the pipeline
    PQexitPipelineMode(handle_);
    if (began && !Succeeded(began.get())) return began;
    if (!result) return ResultHandle(PQmakeEmptyPGresult(handle_, PGRES_FATAL_ERROR));
    return result;
  }

  // Commits, and with `leave_queue` also releases the queue's session locks in the same
  // round trip. The two statements' results are read one by one, so a failed COMMIT is
  // never mistaken for a failed unlock or the other way round.
  Status Commit(bool leave_queue) {
    const char* sql = leave_queue ? "COMMIT; SELECT pg_advisory_unlock_all()" : "COMMIT";
    if (PQsendQuery(handle_, sql) == 0) {
      return Error::Unavailable(
          "lost the connection to PostgreSQL during COMMIT; whether the transaction was applied is unknown");
    }
    ResultHandle commit(PQgetResult(handle_));
    ResultHandle unlock(leave_queue && commit && PQresultStatus(commit.get()) == PGRES_COMMAND_OK ? PQgetResult(handle_)
                                                                                                  : nullptr);
    while (PGresult* rest = PQgetResult(handle_)) PQclear(rest);
    if (commit && Succeeded(commit.get())) {
      if (leave_queue && !(unlock && Succeeded(unlock.get()))) DropSession();
      return Ok();
    }
    if (!healthy()) {
      return Error::Unavailable(
          "lost the connection to PostgreSQL during COMMIT; whether the transaction was applied is unknown");
    }
    // A SERIALIZABLE transaction may fail here with 40001, which maps to a retry.
    return ServerError(handle_, commit.get());
  }

  // Releases the queue's session locks after a transaction that did not commit.
  void LeaveQueue() {
    if (!healthy()) return;  // the session, and its locks, died with the connection
    ResultHandle result(PQexec(handle_, "SELECT pg_advisory_unlock_all()"));
    if (!Succeeded(result.get())) DropSession();
  }

  void Rollback() {
    if (!healthy() || PQtransactionStatus(handle_) == PQTRANS_IDLE) return;
    // The result needs no check: if ROLLBACK fails, the connection is not idle afterwards,
    // and the pool reconnects a connection in that state before lending it out again.
    ResultHandle result(PQexec(handle_, "ROLLBACK"));
  }

  // The error for a statement that failed inside an open transaction. Whatever it was,
  // the server has rolled the transaction back; these cases are worth running it again.
  Error StatementError(std::string_view sql, const PGresult* result) {
    if (!healthy()) {
      return RetryableError("lost the connection to PostgreSQL mid-transaction: " + Trimmed(PQerrorMessage(handle_)));
    }
    const std::string_view sqlstate = SqlState(result);
    if (sqlstate == "26000") {
      // Our prepared statements vanished (DISCARD ALL, a pooler between us and the server).
      statements_.clear();
      return RetryableError("the server no longer knows this connection's prepared statements");
    }
    if (sqlstate == "0A000" && SqlMessageContains(result, "cached plan must not change result type")) {
      // A table changed shape under a cached `SELECT *`; preparing it afresh fixes it.
      if (auto found = statements_.find(sql); found != statements_.end()) statements_.erase(found);
      return RetryableError("a cached statement went stale after a schema change");
    }
    return ServerError(handle_, result);
  }

  Result<const PreparedStatement*> Prepare(std::string_view sql) {
    if (auto found = statements_.find(sql); found != statements_.end()) return &found->second;
    if (statements_.size() >= kStatementCacheLimit) {
      ResultHandle deallocated(PQexec(handle_, "DEALLOCATE ALL"));
      if (!Succeeded(deallocated.get())) return StatementError(sql, deallocated.get());
      statements_.clear();
    }
    const NumberedSql numbered = NumberPlaceholders(sql);
    PreparedStatement statement{"plaza_" + std::to_string(++statements_prepared_), {}};
    ResultHandle prepared(PQprepare(handle_, statement.name.c_str(), numbered.text.c_str(), 0, nullptr));
    if (!Succeeded(prepared.get())) return StatementError(sql, prepared.get());
    // The server inferred each parameter's type; knowing which are bytea lets those be
    // sent as raw bytes.
    ResultHandle described(PQdescribePrepared(handle_, statement.name.c_str()));
    if (!Succeeded(described.get())) return StatementError(sql, described.get());
    const int parameter_count = PQnparams(described.get());
    for (int parameter_idx = 0; parameter_idx < parameter_count; ++parameter_idx) {
      statement.formats.push_back(PQparamtype(described.get(), parameter_idx) == kByteaOid ? 1 : 0);
    }
    const auto inserted = statements_.emplace(std::string(sql), std::move(statement)).first;
    return &inserted->second;
  }

 private:
  // The next result of a pipeline, with the NULL that ends each query's results read.
  ResultHandle NextResult() {
    ResultHandle result(PQgetResult(handle_));
    if (result) {
      while (PGresult* rest = PQgetResult(handle_)) PQclear(rest);
    }
    return result;
  }

  static bool SqlMessageContains(const PGresult* result, std::string_view needle) {
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    return primary != nullptr && std::string_view(primary).find(needle) != std::string_view::npos;
  }

  // Session locks that could not be released must not reach the next borrower: a new
  // session has none. A failed reconnect leaves the connection broken, and the pool
  // reconnects a broken connection before lending it out.
  void DropSession() {
    const Status reset = Reset();
    (void)reset;
  }

  Status Configure() {
    ResultHandle result(PQexec(handle_, session_setup_.c_str()));
    if (Succeeded(result.get())) return Ok();
    return ServerError(handle_, result.get());
  }

  PGconn* handle_;
  std::string session_setup_;
  std::unordered_map<std::string, PreparedStatement, StringHash, std::equal_to<>> statements_;
  std::int64_t statements_prepared_ = 0;  // names stay unique across DEALLOCATE ALL
};

QueryResult ToQueryResult(PGresult* result) {
  QueryResult out;
  const int row_count = PQntuples(result);
  const int column_count = PQnfields(result);
  std::vector<bool> bytea_columns;
  bytea_columns.reserve(static_cast<std::size_t>(column_count));
  for (int column = 0; column < column_count; ++column) bytea_columns.push_back(PQftype(result, column) == kByteaOid);
  out.rows.reserve(static_cast<std::size_t>(row_count));
  for (int row = 0; row < row_count; ++row) {
    std::vector<Row::Cell> cells;
    cells.reserve(static_cast<std::size_t>(column_count));
    for (int column = 0; column < column_count; ++column) {
      if (PQgetisnull(result, row, column)) {
        cells.emplace_back(std::monostate{});
        continue;
      }
      const std::string_view text(PQgetvalue(result, row, column),
                                  static_cast<std::size_t>(PQgetlength(result, row, column)));
      std::optional<std::string> bytes;
      if (bytea_columns[static_cast<std::size_t>(column)]) bytes = DecodeByteaHex(text);
      cells.emplace_back(bytes ? std::move(*bytes) : std::string(text));
    }
    out.rows.emplace_back(std::move(cells));
  }
  // Empty for statements that report no count (DDL, SET), which leaves 0.
  const std::string_view tuples = PQcmdTuples(result);
  std::from_chars(tuples.data(), tuples.data() + tuples.size(), out.affected_rows);
  return out;
}

class PostgresTransaction final : public Transaction {
 public:
  // `begin`, when not null, is sent with the first statement rather than on its own.
  PostgresTransaction(Connection& connection, const char* begin) : connection_(connection), pending_begin_(begin) {}
  Dialect dialect() const override { return Dialect::kPostgres; }

  // Whether the transaction was opened on the server (false: the body ran no statement).
  bool began() const { return pending_begin_ == nullptr; }

  Result<QueryResult> Execute(std::string_view sql, std::span<const Param> params) override {
    // Unlike SQLite, PostgreSQL aborts the whole transaction on a failed statement and
    // refuses everything after it; say so plainly instead of relaying "current
    // transaction is aborted".
    if (first_error_) return AbortedError();
    if (pending_begin_ != nullptr) return BeginWith(sql, params);
    auto prepared = connection_.Prepare(sql);
    if (!prepared.ok()) return Fail(std::move(prepared).error());
    return Run(sql, **prepared, params, /*begin=*/nullptr);
  }

  bool aborted() const { return first_error_.has_value(); }

  // What a statement after a failed one, or the commit of a body that went on after a
  // failure, reports.
  Error AbortedError() const {
    // A retry or an outage stays what it was, so the transaction is retried or the
    // outage reported; any other swallowed failure means the body is wrong for PostgreSQL.
    if (first_error_->code == ErrorCode::kUnavailable) return *first_error_;
    return Error::Internal("the transaction was aborted by an earlier failed statement (" + first_error_->detail +
                           "); on PostgreSQL a failed statement ends the transaction, so a body must not carry "
                           "on after one (use INSERT … ON CONFLICT and the like instead)");
  }

 private:
  // The first statement, sent with BEGIN. Nothing has run on the connection since it left
  // the pool, so if it broke while idle (server restart, idle time-out), reconnecting and
  // trying once more is safe and spares the caller a retry per stale connection.
  Result<QueryResult> BeginWith(std::string_view sql, std::span<const Param> params) {
    const char* begin = std::exchange(pending_begin_, nullptr);
    for (int attempt = 0;; ++attempt) {
      auto prepared = connection_.Prepare(sql);
      Result<QueryResult> result = prepared.ok() ? Run(sql, **prepared, params, begin) : Fail(prepared.error());
      if (result.ok() || connection_.healthy() || attempt > 0) return result;
      first_error_.reset();
      if (Status reconnected = connection_.Reset(); !reconnected.ok()) return Fail(reconnected.error());
    }
  }

  // Runs `statement`, with `begin` before it in the same round trip when not null.
  Result<QueryResult> Run(std::string_view sql, const PreparedStatement& statement, std::span<const Param> params,
                          const char* begin) {
    if (statement.formats.size() != params.size()) {
      return Error::Internal("statement expects " + std::to_string(statement.formats.size()) + " parameters, got " +
                             std::to_string(params.size()));
    }
    std::vector<std::string> integers(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    for (std::size_t param_idx = 0; param_idx < params.size(); ++param_idx) {
      if (const auto* integer = params[param_idx].as_int()) {
        integers[param_idx] = std::to_string(*integer);
        values[param_idx] = integers[param_idx].c_str();
        lengths[param_idx] = static_cast<int>(integers[param_idx].size());
      } else if (const auto* text = params[param_idx].as_text()) {
        // Text parameters are NUL-terminated on the wire; an embedded NUL would silently
        // cut the value short (and PostgreSQL text cannot hold one anyway).
        if (statement.formats[param_idx] == 0 && text->find('\0') != std::string::npos) {
          return Error::Invalid("db/invalid-text", "text for PostgreSQL cannot contain a NUL character");
        }
        if (text->size() > static_cast<std::size_t>(INT_MAX)) {
          return Error::Invalid("db/invalid-text", "a parameter is larger than PostgreSQL accepts");
        }
        values[param_idx] = text->c_str();
        lengths[param_idx] = static_cast<int>(text->size());
      }
    }
    const int count = static_cast<int>(params.size());
    ResultHandle result(
        begin != nullptr
            ? connection_.BeginAndRun(begin, statement, count, values.data(), lengths.data())
            : ResultHandle(PQexecPrepared(connection_.handle(), statement.name.c_str(), count, values.data(),
                                          lengths.data(), statement.formats.data(), /*resultFormat=*/0)));
    if (!Succeeded(result.get())) return Fail(connection_.StatementError(sql, result.get()));
    return ToQueryResult(result.get());
  }

  Error Fail(Error error) {
    first_error_ = error;
    return error;
  }

  Connection& connection_;
  const char* pending_begin_;
  std::optional<Error> first_error_;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(const DatabaseOptions& options, const PostgresLimits& limits)
      : url_(options.url),
        pool_size_(options.pool_size),
        acquire_timeout_(limits.acquire_timeout),
        connect_timeout_(std::to_string(limits.connect_timeout.count())),
        session_setup_("SET lock_timeout = " + std::to_string(options.lock_timeout_ms) +
                       "; SET statement_timeout = " + std::to_string(limits.statement_timeout.count()) +
                       "; SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'") {}

  Status Start() {
    PLAZA_ASSIGN_OR_RETURN(auto connection, Connection::Open(url_, connect_timeout_, session_setup_));
    std::lock_guard lock(mutex_);
    idle_.push_back(connection.get());
    connections_.push_back(std::move(connection));
    open_.store(1);
    return Ok();
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status RunTransaction(TxMode mode, const std::function<Status(Transaction&)>& body) override {
    // Write transactions are SERIALIZABLE, as SQLite's single writer is, so module code
    // correct on one engine is correct on the other; reads take one consistent snapshot.
    const char* begin = mode == TxMode::kWrite ? kBeginWrite : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    return RunWithRetry(
        [&]() -> Status {
          PLAZA_ASSIGN_OR_RETURN(Lease lease, Acquire());
          return RunOn(lease.connection(), begin, "", body);
        },
        retries_);
  }

  // The queue is a session-level advisory lock per key, taken before BEGIN: a SERIALIZABLE
  // transaction's snapshot is taken by its first statement, so a lock taken inside it
  // would be waited for with a snapshot already stale, and the wait would end in the very
  // serialization failure it was meant to avoid. Within the process, writers first queue
  // on a mutex per key stripe, so waiting writers do not each hold a pooled connection.
  Status RunQueuedWrite(std::span<const std::int64_t> keys, const std::function<Status(Transaction&)>& body) override {
    std::vector<std::int64_t> sorted(keys.begin(), keys.end());
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    if (sorted.empty()) return RunTransaction(TxMode::kWrite, body);
    // Always in ascending order, in the process and on the server, so two writers
    // queuing on the same two keys cannot each hold one and wait for the other.
    std::string lock_sql = "SELECT";
    std::vector<std::size_t> stripes;
    for (const std::int64_t key : sorted) {
      lock_sql += (lock_sql.size() == 6 ? " pg_advisory_lock(" : ", pg_advisory_lock(") + std::to_string(key) + ")";
      stripes.push_back(static_cast<std::uint64_t>(key) % queue_stripes_.size());
    }
    std::sort(stripes.begin(), stripes.end());
    stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
    return RunWithRetry(
        [&]() -> Status {
          std::vector<std::unique_lock<std::mutex>> turn;
          turn.reserve(stripes.size());
          for (const std::size_t stripe : stripes) turn.emplace_back(queue_stripes_[stripe]);
          PLAZA_ASSIGN_OR_RETURN(Lease lease, Acquire());
          return RunOn(lease.connection(), kBeginWrite, lock_sql, body);
        },
        retries_);
  }

  Status Ping() override {
    return RunTransaction(TxMode::kRead, [](Transaction& tx) -> Status {
      PLAZA_TRY(tx.Execute("SELECT 1"));
      return Ok();
    });
  }

  PoolStats Stats() const override { return {open_.load(), in_use_.load(), retries_.load()}; }

 private:
  // A connection lent to one transaction; goes back to the pool when destroyed, also
  // when the body throws.
  class Lease {
   public:
    Lease(PostgresDatabase& owner, Connection& connection) : owner_(&owner), connection_(&connection) {}
    Lease(Lease&& other) noexcept
        : owner_(std::exchange(other.owner_, nullptr)), connection_(std::exchange(other.connection_, nullptr)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (owner_ != nullptr) owner_->Release(*connection_);
    }
    Connection& connection() const { return *connection_; }

   private:
    PostgresDatabase* owner_;
    Connection* connection_;
  };

  // `lock_sql`, when not empty, takes the queue's session locks before BEGIN; they are
  // released whatever the outcome.
  static Status RunOn(Connection& connection, const char* begin, const std::string& lock_sql,
                      const std::function<Status(Transaction&)>& body) {
    const bool queued = !lock_sql.empty();
    if (queued) {
      Status locked = connection.Begin(lock_sql.c_str());
      if (!locked.ok()) {
        // Session locks survive a failed statement: a lock_timeout on the second key
        // leaves the first one held.
        connection.LeaveQueue();
        return locked;
      }
    }
    // A queued transaction begins at once, after its locks; any other sends BEGIN with its
    // first statement, and one that runs none never opens a transaction at all.
    Status status = queued ? connection.Begin(begin) : Ok();
    bool began = queued;
    if (status.ok()) {
      PostgresTransaction tx(connection, queued ? nullptr : begin);
      status = body(tx);
      began = tx.began();
      if (status.ok() && tx.aborted()) status = tx.AbortedError();
      if (status.ok() && began) status = connection.Commit(queued);
    }
    if (!status.ok()) {
      if (began) connection.Rollback();
      if (queued) connection.LeaveQueue();
    }
    return status;
  }

  Result<Lease> Acquire() {
    Connection* connection = nullptr;
    {
      std::unique_lock lock(mutex_);
      // Callers are served in arrival order: without the queue, a thread that arrives just
      // as a connection comes back takes it ahead of those already waiting, and under a
      // burst some waiters starve until their time-out.
      if (!waiters_.empty() || !HasCapacity()) {
        Waiter self;
        const auto place = waiters_.insert(waiters_.end(), &self);
        const bool served = self.turn.wait_until(lock, std::chrono::steady_clock::now() + acquire_timeout_,
                                                 [&] { return waiters_.front() == &self && HasCapacity(); });
        waiters_.erase(place);
        if (!served) {
          WakeNextWaiter();
          return Error::Unavailable("all " + std::to_string(pool_size_) + " PostgreSQL connections stayed busy for " +
                                    std::to_string(acquire_timeout_.count()) + " ms");
        }
      }
      if (!idle_.empty()) {
        connection = idle_.back();
        idle_.pop_back();
      } else {
        ++slots_taken_;  // reserved now, connected below without holding the lock
      }
      in_use_.fetch_add(1);
      WakeNextWaiter();
    }
    if (connection == nullptr) return OpenInReservedSlot();
    Lease lease(*this, *connection);
    if (!connection->usable()) PLAZA_TRY(connection->Reset());
    return lease;
  }

  Result<Lease> OpenInReservedSlot() {
    auto opened = Connection::Open(url_, connect_timeout_, session_setup_);
    std::lock_guard lock(mutex_);
    if (!opened.ok()) {
      --slots_taken_;
      in_use_.fetch_sub(1);
      WakeNextWaiter();
      return std::move(opened).error();
    }
    connections_.push_back(std::move(opened).value());
    open_.fetch_add(1);
    return Lease(*this, *connections_.back());
  }

  void Release(Connection& connection) {
    std::lock_guard lock(mutex_);
    idle_.push_back(&connection);
    in_use_.fetch_sub(1);
    WakeNextWaiter();
  }

  // A caller waiting in Acquire, woken only when it is first in line.
  struct Waiter {
    std::condition_variable turn;
  };

  bool HasCapacity() const { return !idle_.empty() || slots_taken_ < pool_size_; }  // REQUIRES(mutex_)

  void WakeNextWaiter() {  // REQUIRES(mutex_)
    if (!waiters_.empty()) waiters_.front()->turn.notify_one();
  }

  const std::string url_;
  const int pool_size_;
  const std::chrono::milliseconds acquire_timeout_;
  const std::string connect_timeout_;
  const std::string session_setup_;

  std::array<std::mutex, 64> queue_stripes_;  // RunQueuedWrite's turns within the process
  std::mutex mutex_;
  std::list<Waiter*> waiters_;                            // GUARDED_BY(mutex_); in arrival order
  std::vector<std::unique_ptr<Connection>> connections_;  // GUARDED_BY(mutex_)
  std::vector<Connection*> idle_;                         // GUARDED_BY(mutex_)
  int slots_taken_ = 1;  // connections open or being opened; GUARDED_BY(mutex_); Start() opens the first
  std::atomic<int> open_{0};
  std::atomic<int> in_use_{0};
  std::atomic<std::int64_t> retries_{0};
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const DatabaseOptions& options, const PostgresLimits& limits) {
  if (options.lock_timeout_ms < 0) {
    return Error::Invalid("config/database", "the lock time-out cannot be negative", "lock_timeout_ms");
  }
  auto db = std::make_unique<PostgresDatabase>(options, limits);
  PLAZA_TRY(db->Start());
  return std::unique_ptr<Database>(std::move(db));
}

Result<std::unique_ptr<Database>> OpenPostgres(const DatabaseOptions& options) {
  return OpenPostgres(options, PostgresLimits{});
}

}  // namespace plaza::store
