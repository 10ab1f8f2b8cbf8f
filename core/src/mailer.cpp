#include "plaza/core/mailer.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "plaza/core/crypto.h"
#include "plaza/core/text.h"

namespace plaza {
namespace {

bool HasLineBreak(std::string_view value) {
  return value.find_first_of("\r\n") != std::string_view::npos;
}

// RFC 5322 date in UTC, e.g. "Mon, 23 Nov 2026 09:00:00 +0000".
std::string MailDate(TimePoint at) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto days = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::year_month_day date(days);
  const std::chrono::weekday weekday(days);
  const std::chrono::hh_mm_ss time(std::chrono::floor<std::chrono::seconds>(at - days));
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%s, %02u %s %d %02d:%02d:%02d +0000", kDays[weekday.c_encoding()],
                static_cast<unsigned>(date.day()), kMonths[static_cast<unsigned>(date.month()) - 1],
                static_cast<int>(date.year()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  return buffer;
}

}  // namespace

Result<std::string> FormatMailMessage(std::string_view from, const MailMessage& message, TimePoint date,
                                      std::string_view message_id) {
  if (HasLineBreak(from) || HasLineBreak(message.to) || HasLineBreak(message.subject)) {
    return Error::Invalid("mail/header-injection", "mail headers must not contain line breaks");
  }
  std::string formatted;
  formatted.reserve(message.text.size() + 512);
  formatted.append("From: ").append(from).append("\r\nTo: ").append(message.to);
  formatted.append("\r\nSubject: ").append(message.subject).append("\r\nDate: ").append(MailDate(date));
  formatted.append("\r\nMessage-ID: <").append(message_id).append(">\r\n");
  formatted.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n");
  formatted.append("Content-Transfer-Encoding: 8bit\r\n\r\n");
  for (std::size_t idx = 0; idx < message.text.size(); ++idx) {
    const char c = message.text[idx];
    if (c == '\n' && (idx == 0 || message.text[idx - 1] != '\r')) formatted.push_back('\r');
    formatted.push_back(c);
  }
  formatted.append("\r\n");
  return formatted;
}

FileMailer::FileMailer(std::string directory, std::string from, const Clock& clock)
    : directory_(std::move(directory)), from_(std::move(from)), clock_(clock) {}

Status FileMailer::Send(const MailMessage& message) {
  const TimePoint now = clock_.Now();
  const std::string id = std::to_string(ToUnixMillis(now)) + "-" + text::HexEncode(crypto::RandomBytes(6));
  PLAZA_ASSIGN_OR_RETURN(const std::string formatted, FormatMailMessage(from_, message, now, id + "@plaza.local"));
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error) return Error::Unavailable("cannot create mail directory " + directory_ + ": " + error.message());
  const std::string path = directory_ + "/" + id + ".eml";
  std::ofstream file(path, std::ios::binary);
  file << formatted;
  file.close();
  if (!file) return Error::Unavailable("cannot write " + path);
  return Ok();
}

}  // namespace plaza
