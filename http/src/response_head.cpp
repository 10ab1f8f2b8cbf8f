#include "response_head.h"

#include <boost/beast/http/status.hpp>
#include <charconv>

namespace plaza::http::internal {
namespace {

// Room for the status line, the fields Plaza sets on every response and a cookie,
// so that a typical head is built without growing the string.
constexpr std::size_t kTypicalHeadBytes = 512;

void AppendNumber(std::string& text, std::size_t number) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, number);
  text.append(digits, end);
}

}  // namespace

ResponseHead::ResponseHead(int status, unsigned version) : status_(status), version_(version) {
  text_.reserve(kTypicalHeadBytes);
  text_ += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  AppendNumber(text_, static_cast<std::size_t>(status));
  text_ += ' ';
  // The reason phrase is informative only (RFC 9112 §4); a code without a registered
  // name gets an empty one.
  const auto code = boost::beast::http::int_to_status(static_cast<unsigned>(status));
  if (code != boost::beast::http::status::unknown) {
    const auto reason = boost::beast::http::obsolete_reason(code);
    text_.append(reason.data(), reason.size());
  }
  text_ += "\r\n";
}

bool ResponseHead::HasContent(int status) {
  return status >= 200 && status != 204 && status != 304;
}

void ResponseHead::AddField(std::string_view name, std::string_view value) {
  text_.append(name);
  text_ += ": ";
  text_.append(value);
  text_ += "\r\n";
}

std::string ResponseHead::Finish(bool keep_alive, std::size_t content_length) && {
  if (HasContent(status_)) {
    text_ += "Content-Length: ";
    AppendNumber(text_, content_length);
    text_ += "\r\n";
  }
  // HTTP/1.1 keeps a connection open unless told otherwise, HTTP/1.0 closes it unless
  // told otherwise (RFC 9112 §9.3).
  if (version_ == 10 && keep_alive) text_ += "Connection: keep-alive\r\n";
  if (version_ != 10 && !keep_alive) text_ += "Connection: close\r\n";
  text_ += "\r\n";
  return std::move(text_);
}

}  // namespace plaza::http::internal
