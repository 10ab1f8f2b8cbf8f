#include "form.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "plaza/core/text.h"

namespace plaza::web {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> Decode(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= encoded.size()) {
        return Error::Invalid("form/malformed", "a % escape is cut short");
      }
      const int high = HexDigit(encoded[i + 1]);
      const int low = HexDigit(encoded[i + 2]);
      if (high < 0 || low < 0) return Error::Invalid("form/malformed", "a % escape is not two hex digits");
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  if (!text::IsValidUtf8(out)) return Error::Invalid("form/invalid-utf8", "form fields must be UTF-8");
  return out;
}

}  // namespace

Result<std::map<std::string, std::string, std::less<>>> ReadForm(const http::Request& request) {
  const std::string_view type = request.Header("Content-Type").value_or("");
  if (!type.starts_with("application/x-www-form-urlencoded")) {
    return Error{ErrorCode::kInvalidArgument, "http/unsupported-media-type",
                 "this form expects application/x-www-form-urlencoded", "Content-Type"};
  }
  std::map<std::string, std::string, std::less<>> fields;
  std::string_view body = request.body;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    PLAZA_ASSIGN_OR_RETURN(std::string name, Decode(pair.substr(0, equals)));
    PLAZA_ASSIGN_OR_RETURN(std::string value,
                           Decode(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1)));
    fields[std::move(name)] = std::move(value);
  }
  return fields;
}

std::optional<std::int64_t> ParseId(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

bool IsCursor(std::string_view text) {
  return !text.empty() && text.size() <= 512 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '=' || c == '.' || c == '~';
  });
}

Trusted CsrfField(const identity::Principal& principal) {
  HtmlWriter html;
  html.Raw("<input type=\"hidden\" name=\"csrf_token\" value=\"").Text(principal.csrf_token).Raw("\">");
  return {html.Take()};
}

}  // namespace plaza::web
