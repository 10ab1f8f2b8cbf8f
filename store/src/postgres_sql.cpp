#include "postgres_sql.h"

#include "drivers.h"

namespace plaza::store {
namespace {

// Characters that may continue an unquoted identifier or keyword (PostgreSQL also allows
// `$` and any non-ASCII byte there).
bool IsIdentifierChar(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         byte >= 0x80;
}

bool IsIdentifierStart(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || byte >= 0x80;
}

// Each Skip* function takes the index of the construct's opening character and returns
// the index just past its end (or the end of `sql` when it is unterminated, which the
// server will then reject with a proper syntax error).

std::size_t SkipQuoted(std::string_view sql, std::size_t start, char quote) {
  // A doubled quote inside ('it''s', "a""b") reads as closing and reopening, which ends
  // up in the same place, so it needs no special case.
  const std::size_t end = sql.find(quote, start + 1);
  return end == std::string_view::npos ? sql.size() : end + 1;
}

std::size_t SkipEscapeString(std::string_view sql, std::size_t start) {
  for (std::size_t pos = start + 1; pos < sql.size(); ++pos) {
    if (sql[pos] == '\\') {
      ++pos;
    } else if (sql[pos] == '\'') {
      return pos + 1;
    }
  }
  return sql.size();
}

std::size_t SkipLineComment(std::string_view sql, std::size_t start) {
  const std::size_t end = sql.find('\n', start);
  return end == std::string_view::npos ? sql.size() : end + 1;
}

std::size_t SkipBlockComment(std::string_view sql, std::size_t start) {
  int depth = 0;
  std::size_t pos = start;
  while (pos + 1 < sql.size()) {
    if (sql[pos] == '/' && sql[pos + 1] == '*') {
      ++depth;
      pos += 2;
    } else if (sql[pos] == '*' && sql[pos + 1] == '/') {
      pos += 2;
      if (--depth == 0) return pos;
    } else {
      ++pos;
    }
  }
  return sql.size();
}

// The length of a dollar-quote delimiter ($$ or $tag$) starting at `start`, or 0.
std::size_t DollarTagLength(std::string_view sql, std::size_t start) {
  std::size_t pos = start + 1;
  if (pos < sql.size() && IsIdentifierStart(sql[pos])) {
    while (pos < sql.size() && IsIdentifierChar(sql[pos]) && sql[pos] != '$') ++pos;
  }
  if (pos < sql.size() && sql[pos] == '$') return pos + 1 - start;
  return 0;
}

}  // namespace

NumberedSql NumberPlaceholders(std::string_view sql) {
  NumberedSql out;
  out.text.reserve(sql.size() + 16);
  std::size_t pos = 0;
  while (pos < sql.size()) {
    const char c = sql[pos];
    const char next = pos + 1 < sql.size() ? sql[pos + 1] : '\0';
    const bool after_identifier = pos > 0 && IsIdentifierChar(sql[pos - 1]);
    std::size_t end = pos + 1;
    if (c == '?') {
      out.text += '$';
      out.text += std::to_string(++out.parameter_count);
      pos = end;
      continue;
    }
    if (c == '\'') {
      end = SkipQuoted(sql, pos, '\'');
    } else if ((c == 'E' || c == 'e') && next == '\'' && !after_identifier) {
      end = SkipEscapeString(sql, pos + 1);
    } else if (c == '"') {
      end = SkipQuoted(sql, pos, '"');
    } else if (c == '-' && next == '-') {
      end = SkipLineComment(sql, pos);
    } else if (c == '/' && next == '*') {
      end = SkipBlockComment(sql, pos);
    } else if (c == '$' && !after_identifier) {
      if (const std::size_t tag_length = DollarTagLength(sql, pos); tag_length > 0) {
        const std::string_view tag = sql.substr(pos, tag_length);
        const std::size_t close = sql.find(tag, pos + tag_length);
        end = close == std::string_view::npos ? sql.size() : close + tag_length;
      }
    }
    out.text.append(sql.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

Error ErrorForSqlState(std::string_view sqlstate, const std::string& message) {
  if (sqlstate == "23505") return Error::Conflict("db/unique-violation", message);
  if (sqlstate == "23503") return Error::Conflict("db/foreign-key-violation", message);
  if (sqlstate == "23502" || sqlstate == "23514") return Error::Invalid("db/constraint-violation", message);
  // serialization_failure and deadlock_detected: the server rolled the transaction back
  // and running it again may well succeed.
  if (sqlstate == "40001" || sqlstate == "40P01") return RetryableError(message);
  if (sqlstate == "55P03") {
    return Error::Unavailable("a lock stayed held by another transaction past lock_timeout: " + message);
  }
  if (sqlstate == "57014") {
    return Error::Unavailable("the statement ran past statement_timeout or was cancelled: " + message);
  }
  // Class 08 is connection trouble, 57P01-57P05 the server shutting down, restarting or
  // refusing connections, class 53 the server out of disk, memory or connection slots:
  // all a dependency being down, where trying again later may help.
  if (sqlstate.starts_with("08") || sqlstate.starts_with("57P") || sqlstate.starts_with("53")) {
    return Error::Unavailable("PostgreSQL is unavailable: " + message);
  }
  return Error::Internal("postgres (SQLSTATE " + std::string(sqlstate) + "): " + message);
}

std::optional<std::string> DecodeByteaHex(std::string_view text) {
  if (!text.starts_with("\\x") || text.size() % 2 != 0) return std::nullopt;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string bytes;
  bytes.reserve(text.size() / 2 - 1);
  for (std::size_t pos = 2; pos < text.size(); pos += 2) {
    const int high = nibble(text[pos]);
    const int low = nibble(text[pos + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

}  // namespace plaza::store
