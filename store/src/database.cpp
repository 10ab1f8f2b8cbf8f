#include "plaza/store/database.h"

#include <charconv>
#include <chrono>
#include <random>
#include <thread>

#include "drivers.h"

namespace plaza::store {

bool Row::IsNull(std::size_t column) const {
  return std::holds_alternative<std::monostate>(cells_.at(column));
}

std::int64_t Row::Int(std::size_t column) const {
  const Cell& cell = cells_.at(column);
  if (const auto* integer = std::get_if<std::int64_t>(&cell)) return *integer;
  if (const auto* real = std::get_if<double>(&cell)) return static_cast<std::int64_t>(*real);
  if (const auto* text = std::get_if<std::string>(&cell)) {
    if (*text == "t") return 1;  // PostgreSQL's text form of boolean true
    if (*text == "f") return 0;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error == std::errc() && end == text->data() + text->size()) return value;
  }
  return 0;
}

std::string Row::Text(std::size_t column) const {
  const Cell& cell = cells_.at(column);
  if (const auto* text = std::get_if<std::string>(&cell)) return *text;
  if (const auto* integer = std::get_if<std::int64_t>(&cell)) return std::to_string(*integer);
  if (const auto* real = std::get_if<double>(&cell)) return std::to_string(*real);
  return {};
}

std::optional<std::int64_t> Row::OptionalInt(std::size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::optional<std::string> Row::OptionalText(std::size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

Result<std::optional<Row>> Transaction::QueryOne(std::string_view sql, std::span<const Param> params) {
  auto result = Execute(sql, params);
  if (!result.ok()) return std::move(result).error();
  if (result->rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(result->rows.front()));
}

Result<std::optional<Row>> Transaction::QueryOne(std::string_view sql, std::initializer_list<Param> params) {
  return QueryOne(sql, std::span<const Param>(params.begin(), params.size()));
}

bool IsPostgresUrl(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::int64_t QueueKey(std::string_view scope, std::int64_t shop_id, std::int64_t id) {
  // FNV-1a over the scope and both ids: stable across processes and builds, which
  // std::hash is not promised to be, and processes sharing a database must agree.
  std::uint64_t hash = 14695981039346656037ULL;
  const auto mix = [&hash](unsigned char byte) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  };
  for (const char c : scope) mix(static_cast<unsigned char>(c));
  for (const std::int64_t value : {shop_id, id}) {
    for (int shift = 0; shift < 64; shift += 8)
      mix(static_cast<unsigned char>(static_cast<std::uint64_t>(value) >> shift));
  }
  return static_cast<std::int64_t>(hash);
}

std::string Placeholders(std::size_t count) {
  std::string out;
  out.reserve(count * 3);
  for (std::size_t i = 0; i < count; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

Result<std::unique_ptr<Database>> OpenDatabase(const DatabaseOptions& options) {
  if (options.url.empty()) return Error::Invalid("config/database", "no database was configured", "database");
  if (options.pool_size < 1)
    return Error::Invalid("config/database", "the pool needs at least one connection", "pool_size");
  if (IsPostgresUrl(options.url)) return OpenPostgres(options);
  if (options.url == ":memory:") {
    return Error::Invalid("config/database", "an in-memory SQLite database cannot be pooled; use a file", "database");
  }
  return OpenSqlite(options);
}

Error RetryableError(std::string detail) {
  return Error{ErrorCode::kUnavailable, "db/retry", std::move(detail), {}};
}

bool IsRetryable(const Error& error) {
  return error.type == "db/retry";
}

Status RunWithRetry(const std::function<Status()>& attempt, std::atomic<std::int64_t>& retries) {
  // Under a burst on one hot row (a flash sale: hundreds of buyers, one stock level) each
  // round of contenders commits at least one, but a given transaction can lose many
  // rounds in a row. A budget of time rather than of attempts lets every contender
  // through while the burst lasts, and still gives up on a database that stays stuck.
  constexpr auto kBudget = std::chrono::seconds(10);
  constexpr int kMaxBackoffMs = 32;
  thread_local std::minstd_rand jitter(std::random_device{}());
  const auto deadline = std::chrono::steady_clock::now() + kBudget;
  Status status;
  for (int attempt_idx = 0;; ++attempt_idx) {
    status = attempt();
    if (status.ok() || !IsRetryable(status.error())) return status;
    if (std::chrono::steady_clock::now() >= deadline) break;
    retries.fetch_add(1, std::memory_order_relaxed);
    const int ceiling_ms = std::min(1 << std::min(attempt_idx, 5), kMaxBackoffMs);
    std::uniform_int_distribution<int> delay_ms(0, ceiling_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(jitter)));
  }
  return Error::Unavailable("the database stayed too busy to finish the transaction; try again");
}

}  // namespace plaza::store
