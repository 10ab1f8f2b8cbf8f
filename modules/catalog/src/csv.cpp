#include "csv.h"

namespace plaza::catalog::csv {

ParseResult Parse(std::string_view data, std::size_t max_records, std::size_t max_field_bytes) {
  ParseResult result;
  if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
  std::size_t pos = 0;
  std::size_t number = 0;
  const std::size_t size = data.size();
  while (pos < size) {
    Record record;
    record.number = ++number;
    std::string field;
    bool record_done = false;
    while (!record_done) {
      field.clear();
      if (pos < size && data[pos] == '"') {
        ++pos;
        bool closed = false;
        while (pos < size) {
          const char c = data[pos];
          if (c == '"') {
            if (pos + 1 < size && data[pos + 1] == '"') {
              field += '"';
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          field += c;
          ++pos;
          if (field.size() > max_field_bytes) break;
        }
        if (field.size() > max_field_bytes) {
          result.fatal = "field " + std::to_string(record.fields.size() + 1) + " is longer than " +
                         std::to_string(max_field_bytes) + " bytes";
          result.fatal_record = record.number;
          return result;
        }
        if (!closed) {
          result.fatal = "a quoted field is never closed";
          result.fatal_record = record.number;
          return result;
        }
        // Anything up to the next separator is outside the quotes: keep it, but flag the record.
        while (pos < size && data[pos] != ',' && data[pos] != '\n' && data[pos] != '\r') {
          if (record.error.empty()) {
            record.error = "text after a closing quote";
            record.error_field = record.fields.size();
          }
          field += data[pos++];
        }
      } else {
        while (pos < size && data[pos] != ',' && data[pos] != '\n' && data[pos] != '\r') {
          if (data[pos] == '"' && record.error.empty()) {
            record.error = "a quote inside an unquoted field";
            record.error_field = record.fields.size();
          }
          field += data[pos++];
          if (field.size() > max_field_bytes) {
            result.fatal = "field " + std::to_string(record.fields.size() + 1) + " is longer than " +
                           std::to_string(max_field_bytes) + " bytes";
            result.fatal_record = record.number;
            return result;
          }
        }
      }
      record.fields.push_back(field);
      if (pos >= size) {
        record_done = true;
      } else if (data[pos] == ',') {
        ++pos;
        if (pos >= size) record.fields.emplace_back();
      } else {
        // CRLF, LF or a lone CR ends the record.
        if (data[pos] == '\r' && pos + 1 < size && data[pos + 1] == '\n') ++pos;
        ++pos;
        record_done = true;
      }
    }
    const bool blank = record.fields.size() == 1 && record.fields.front().empty();
    if (blank) {
      --number;
      continue;
    }
    if (result.records.size() >= max_records) {
      result.fatal = "more than " + std::to_string(max_records) + " records";
      result.fatal_record = record.number;
      return result;
    }
    result.records.push_back(std::move(record));
  }
  return result;
}

void AppendField(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += value;
    return;
  }
  out += '"';
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

bool LooksLikeFormula(std::string_view value) {
  if (value.empty()) return false;
  const char first = value.front();
  return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
}

namespace {

// A formula, or a formula behind apostrophes: what NeutraliseFormula must prefix so that
// StripNeutraliser can always undo exactly one apostrophe.
bool NeedsNeutraliser(std::string_view value) {
  while (value.starts_with('\'')) value.remove_prefix(1);
  return LooksLikeFormula(value);
}

}  // namespace

std::string NeutraliseFormula(std::string_view value) {
  if (NeedsNeutraliser(value)) return "'" + std::string(value);
  return std::string(value);
}

std::string_view StripNeutraliser(std::string_view value) {
  if (value.starts_with('\'') && NeedsNeutraliser(value.substr(1))) return value.substr(1);
  return value;
}

}  // namespace plaza::catalog::csv
