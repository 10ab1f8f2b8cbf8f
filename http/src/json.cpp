#include "plaza/http/json.h"

#include <boost/json/parser.hpp>
#include <string>
#include <utility>

#include "plaza/core/text.h"

namespace plaza::http {
namespace {

Error Invalid(std::string_view type, std::string detail, std::string field = {}) {
  return Error::Invalid(std::string(type), std::move(detail), std::move(field));
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsJsonMediaType(std::string_view content_type) {
  std::size_t semicolon = content_type.find(';');
  std::string media = text::ToLowerAscii(TrimSpaces(content_type.substr(0, semicolon)));
  bool json = media == "application/json" ||
              (media.starts_with("application/") && media.ends_with("+json") && media.size() > 17);
  if (!json) return false;
  // Only the charset parameter means anything for JSON (RFC 8259 §11: UTF-8 only).
  std::string_view params =
      semicolon == std::string_view::npos ? std::string_view() : content_type.substr(semicolon + 1);
  while (!params.empty()) {
    std::size_t next = params.find(';');
    std::string_view param = TrimSpaces(params.substr(0, next));
    std::size_t equals = param.find('=');
    if (equals != std::string_view::npos && text::ToLowerAscii(TrimSpaces(param.substr(0, equals))) == "charset") {
      std::string_view charset = TrimSpaces(param.substr(equals + 1));
      if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') {
        charset = charset.substr(1, charset.size() - 2);
      }
      if (text::ToLowerAscii(charset) != "utf-8") return false;
    }
    if (next == std::string_view::npos) break;
    params.remove_prefix(next + 1);
  }
  return true;
}

// C0 controls, DEL and the C1 controls (U+0080–U+009F, encoded C2 80–C2 9F).
bool HasForbiddenControl(std::string_view s, bool multiline) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto byte = static_cast<unsigned char>(s[i]);
    if (byte < 0x20) {
      if (multiline && (byte == '\n' || byte == '\r' || byte == '\t')) continue;
      return true;
    }
    if (byte == 0x7F) return true;
    if (byte == 0xC2 && i + 1 < s.size()) {
      auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

bool IsDomainLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The checks JsonReader documents for RequiredEmail; returns the normalised address.
std::optional<std::string> NormaliseEmail(std::string_view raw) {
  std::string_view address = text::TrimAscii(raw);
  if (address.empty() || address.size() > 254) return std::nullopt;
  std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return std::nullopt;
  std::string_view local = address.substr(0, at);
  std::string_view domain = address.substr(at + 1);
  for (char c : local) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F || c == '@' || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
        c == '\\' || c == '(' || c == ')' || c == '[' || c == ']') {
      return std::nullopt;
    }
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  if (domain.empty() || domain.find('.') == std::string_view::npos) return std::nullopt;
  std::string_view labels = domain;
  while (true) {
    std::size_t dot = labels.find('.');
    std::string_view label = labels.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return std::nullopt;
    for (char c : label) {
      if (!IsDomainLabelChar(c)) return std::nullopt;
    }
    if (dot == std::string_view::npos) break;
    labels.remove_prefix(dot + 1);
  }
  std::string normalised(local);
  normalised += '@';
  normalised += text::ToLowerAscii(domain);
  return normalised;
}

}  // namespace

Result<boost::json::object> ParseJsonObject(const Request& request, const JsonParseLimits& limits) {
  std::optional<std::string_view> content_type = request.headers.Get("Content-Type");
  if (!content_type || !IsJsonMediaType(*content_type)) {
    return Invalid("http/unsupported-media-type",
                   "The body must be sent with Content-Type: application/json" +
                       std::string(content_type ? "; got " + std::string(*content_type) : "") + ".");
  }
  return ParseJsonObject(std::string_view(request.body), limits);
}

Result<boost::json::object> ParseJsonObject(std::string_view body, const JsonParseLimits& limits) {
  if (!text::IsValidUtf8(body)) return Invalid("json/invalid-utf8", "The body is not valid UTF-8.");
  if (text::TrimAscii(body).empty()) return Invalid("json/malformed", "The body is empty; expected a JSON object.");

  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  boost::json::parser parser(boost::json::storage_ptr(), options);
  boost::system::error_code ec;
  std::size_t consumed = parser.write(body.data(), body.size(), ec);
  if (ec == boost::json::error::too_deep) {
    return Invalid("json/too-deep", "The JSON is nested deeper than " + std::to_string(limits.max_depth) +
                                        " levels (at byte " + std::to_string(consumed) + ").");
  }
  if (ec) {
    return Invalid("json/malformed", "Malformed JSON at byte " + std::to_string(consumed) + ": " + ec.message() + ".");
  }
  boost::json::value value = parser.release();
  if (!value.is_object()) return Invalid("json/not-an-object", "The body must be a JSON object.");
  return std::move(value.as_object());
}

JsonReader::JsonReader(const boost::json::object& object, std::string pointer)
    : object_(&object), pointer_(std::move(pointer)) {}

std::string JsonReader::PointerTo(std::string_view key) const {
  std::string out = pointer_;
  out += '/';
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// The member `key`, or nullptr when absent or null.
const boost::json::value* Member(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

Error Required(const JsonReader& reader, std::string_view key) {
  return Invalid("validation/required", std::string(key) + " is required.", reader.PointerTo(key));
}

Error WrongType(const JsonReader& reader, std::string_view key, std::string_view expected) {
  return Invalid("validation/type", std::string(key) + " must be " + std::string(expected) + ".",
                 reader.PointerTo(key));
}

Result<std::string> CheckString(const JsonReader& reader, std::string_view key, const boost::json::value& value,
                                const StringLimits& limits) {
  if (!value.is_string()) return WrongType(reader, key, "a string");
  std::string_view s = value.get_string();
  // Parsed bodies are checked already; objects built in code are not.
  if (!text::IsValidUtf8(s)) return WrongType(reader, key, "valid UTF-8 text");
  if (HasForbiddenControl(s, limits.multiline)) {
    return Invalid("validation/control-character", std::string(key) + " contains control characters.",
                   reader.PointerTo(key));
  }
  std::size_t length = text::CodePointCount(s);
  if (length < limits.min_length || length > limits.max_length) {
    return Invalid("validation/length",
                   std::string(key) + " must be between " + std::to_string(limits.min_length) + " and " +
                       std::to_string(limits.max_length) + " characters long.",
                   reader.PointerTo(key));
  }
  return std::string(s);
}

Result<std::int64_t> CheckInt64(const JsonReader& reader, std::string_view key, const boost::json::value& value,
                                std::int64_t min, std::int64_t max) {
  Error out_of_range = Invalid(
      "validation/range",
      std::string(key) + " must be an integer between " + std::to_string(min) + " and " + std::to_string(max) + ".",
      reader.PointerTo(key));
  if (value.is_uint64()) return out_of_range;  // Above INT64_MAX, so above any max.
  if (!value.is_int64()) return WrongType(reader, key, "an integer");
  std::int64_t number = value.get_int64();
  if (number < min || number > max) return out_of_range;
  return number;
}

Result<std::string> CheckEmail(const JsonReader& reader, std::string_view key, const boost::json::value& value) {
  PLAZA_ASSIGN_OR_RETURN(std::string raw, CheckString(reader, key, value, StringLimits{.max_length = 320}));
  std::optional<std::string> email = NormaliseEmail(raw);
  if (!email) {
    return Invalid("validation/format", std::string(key) + " must be an e-mail address.", reader.PointerTo(key));
  }
  return std::move(*email);
}

}  // namespace

Result<std::string> JsonReader::RequiredString(std::string_view key, const StringLimits& limits) const {
  const boost::json::value* value = Member(*object_, key);
  if (value == nullptr) return Required(*this, key);
  return CheckString(*this, key, *value, limits);
}

Result<std::optional<std::string>> JsonReader::OptionalString(std::string_view key, const StringLimits& limits) const {
  const boost::json::value* value = Member(*object_, key);
  if (value == nullptr) return std::optional<std::string>();
  PLAZA_ASSIGN_OR_RETURN(std::string s, CheckString(*this, key, *value, limits));
  return std::optional<std::string>(std::move(s));
}

Result<std::int64_t> JsonReader::RequiredInt64(std::string_view key, std::int64_t min, std::int64_t max) const {
  const boost::json::value* value = Member(*object_, key);
  if (value == nullptr) return Required(*this, key);
  return CheckInt64(*this, key, *value, min, max);
}

Result<std::optional<std::int64_t>> JsonReader::OptionalInt64(std::string_view key, std::int64_t min,
                                                              std::int64_t max) const {
  const boost::json::value* value = Member(*object_, key);
  if (value == nullptr) return std::optional<std::int64_t>();
  PLAZA_ASSIGN_OR_RETURN(std::int64_t number, CheckInt64(*this, key, *value, min, max));
  return std::optional<std::int64_t>(number);
}

Result<bool> JsonReader::RequiredBool(std::string_view key) const {
  const boost::json::value* value = Member(*object_, key);
  if (value == nullptr) return Required(*this, key);
  if (!value->is_bool()) return WrongType(*this, key, "true or false");
  return value->get_bool();
}

Result<std::optional<bool>> JsonReader::OptionalBool(std::string_view key) const {
  const boost::json::value* value = Member(*object_, key);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_bool()) return WrongType(*this, key, "true or false");
  return std::optional<bool>(value->get_bool());
}

Result<std::string> JsonReader::RequiredEmail(std::string_view key) const {
  const boost::json::value* value = Member(*object_, key);
  if (value == nullptr) return Required(*this, key);
  return CheckEmail(*this, key, *value);
}

Result<std::optional<std::string>> JsonReader::OptionalEmail(std::string_view key) const {
  const boost::json::value* value = Member(*object_, key);
  if (value == nullptr) return std::optional<std::string>();
  PLAZA_ASSIGN_OR_RETURN(std::string email, CheckEmail(*this, key, *value));
  return std::optional<std::string>(std::move(email));
}

Result<JsonReader> JsonReader::RequiredObject(std::string_view key) const {
  const boost::json::value* value = Member(*object_, key);
  if (value == nullptr) return Required(*this, key);
  if (!value->is_object()) return WrongType(*this, key, "an object");
  return JsonReader(value->get_object(), PointerTo(key));
}

Result<std::optional<JsonReader>> JsonReader::OptionalObject(std::string_view key) const {
  const boost::json::value* value = Member(*object_, key);
  if (value == nullptr) return std::optional<JsonReader>();
  if (!value->is_object()) return WrongType(*this, key, "an object");
  return std::optional<JsonReader>(JsonReader(value->get_object(), PointerTo(key)));
}

Result<const boost::json::array*> JsonReader::RequiredArray(std::string_view key, std::size_t max_items) const {
  const boost::json::value* value = Member(*object_, key);
  if (value == nullptr) return Required(*this, key);
  if (!value->is_array()) return WrongType(*this, key, "an array");
  const boost::json::array& array = value->get_array();
  if (array.size() > max_items) {
    return Invalid("validation/length",
                   std::string(key) + " must have at most " + std::to_string(max_items) + " items.", PointerTo(key));
  }
  return &array;
}

Status JsonReader::AllowOnly(std::initializer_list<std::string_view> allowed) const {
  for (const auto& member : *object_) {
    bool known = false;
    for (std::string_view name : allowed) {
      if (member.key() == name) {
        known = true;
        break;
      }
    }
    if (!known) {
      return Invalid("validation/unknown-field", std::string(member.key()) + " is not a known field.",
                     PointerTo(member.key()));
    }
  }
  return Ok();
}

}  // namespace plaza::http
