#pragma once
// The PostgreSQL driver's pure translations, kept apart from libpq so they can be unit
// tested without a server: placeholder numbering, SQLSTATE to Error, bytea text decoding.

#include <optional>
#include <string>
#include <string_view>

#include "plaza/core/error.h"

namespace plaza::store {

struct NumberedSql {
  std::string text;         // the statement with each `?` replaced by $1, $2, …
  int parameter_count = 0;  // how many placeholders were numbered
};

// Rewrites the shared `?` placeholders into PostgreSQL's `$n`. A `?` inside a string
// literal ('…', E'…' with backslash escapes, $tag$…$tag$), a quoted identifier ("…") or a
// comment (-- to the end of the line, nested /* … */) is left alone. Because every bare
// `?` is a placeholder, shared SQL cannot use the jsonb operators `?`, `?|` and `?&`;
// it calls jsonb_exists(), jsonb_exists_any() and jsonb_exists_all() instead.
NumberedSql NumberPlaceholders(std::string_view sql);

// The Error for a statement the server rejected with `sqlstate` (five characters, e.g.
// "23505") and its primary `message`. A lost connection is decided by the caller, who
// knows whether the transaction can be retried; this maps only what the server reported.
Error ErrorForSqlState(std::string_view sqlstate, const std::string& message);

// Raw bytes from the text form of a bytea value ("\x" followed by hex digits, the
// server's default bytea_output), or nullopt when `text` is not in that form.
std::optional<std::string> DecodeByteaHex(std::string_view text);

}  // namespace plaza::store
