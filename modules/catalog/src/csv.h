#pragma once
// RFC 4180 CSV, read and written without a dependency: quoted fields with embedded
// commas, newlines and doubled quotes, CRLF or LF line ends, and a leading UTF-8 BOM.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace plaza::catalog::csv {

struct Record {
  std::size_t number = 0;  // 1-based record number; the header is record 1
  std::vector<std::string> fields;
  // A malformed record (a stray quote, text after a closing quote): the first problem.
  std::string error;
  std::size_t error_field = 0;  // 0-based
};

struct ParseResult {
  std::vector<Record> records;
  // Set when the file cannot be split into records at all (an unterminated quote): the
  // records after `fatal_record` are not trustworthy and none are returned past it.
  std::string fatal;
  std::size_t fatal_record = 0;
};

// Splits `data` into records, stopping with `fatal` after `max_records` records or when a
// field exceeds `max_field_bytes` (both are abuse bounds). Blank lines are skipped.
ParseResult Parse(std::string_view data, std::size_t max_records, std::size_t max_field_bytes);

// Appends `value` as one field, quoted when it holds a comma, quote, CR or LF.
void AppendField(std::string& out, std::string_view value);

// Spreadsheets run a cell that starts with = + - @ (or a tab or CR) as a formula; such
// cells are written with a leading apostrophe, which spreadsheets hide.
std::string NeutraliseFormula(std::string_view value);
// True when a cell would run as a formula (see NeutraliseFormula).
bool LooksLikeFormula(std::string_view value);
// Undoes NeutraliseFormula: "'=x" -> "=x"; anything else is returned unchanged.
std::string_view StripNeutraliser(std::string_view value);

}  // namespace plaza::catalog::csv
