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

FileMailer::FileMailer(std::string directory, std::string from, const Clock& clock)
    : directory_(std::move(directory)), from_(std::move(from)), clock_(clock) {}

Status FileMailer::Send(const MailMessage& message) {
  // A line break in a header would let a caller inject further headers (Bcc: …).
  if (HasLineBreak(message.to) || HasLineBreak(message.subject)) {
    return Error::Invalid("mail/header-injection", "mail headers must not contain line breaks");
  }
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error) return Error::Unavailable("cannot create mail directory " + directory_ + ": " + error.message());
  const TimePoint now = clock_.Now();
  const std::string id = std::to_string(ToUnixMillis(now)) + "-" + text::HexEncode(crypto::RandomBytes(6));
  const std::string path = directory_ + "/" + id + ".eml";
  std::ofstream file(path, std::ios::binary);
  file << "From: " << from_ << "\r\nTo: " << message.to << "\r\nSubject: " << message.subject
       << "\r\nDate: " << MailDate(now) << "\r\nMessage-ID: <" << id << "@plaza.local>\r\n"
       << "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
  for (char c : message.text) {
    if (c == '\n')
      file << "\r\n";
    else
      file << c;
  }
  file << "\r\n";
  file.close();
  if (!file) return Error::Unavailable("cannot write " + path);
  return Ok();
}

}  // namespace plaza
