#pragma once
// Sends mail to an SMTP server with libcurl: smtp:// (upgraded with STARTTLS when the
// server offers it) or smtps:// (TLS from the first byte), with optional credentials.
// Each Send is one SMTP session: EHLO, optional AUTH, MAIL FROM, RCPT TO, DATA, QUIT.
//
// Send blocks on the network for up to SmtpSettings::timeout, so it belongs outside any
// database transaction; the server queues mail through the outbox (mail_queue.h) and
// sends it from the outbox dispatcher's thread.
//
// Thread-safety: Send may be called from any number of threads (one curl handle each).

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "plaza/core/clock.h"
#include "plaza/core/mailer.h"

namespace plaza::mail {

struct SmtpSettings {
  std::string url;         // "smtp://host:587", "smtps://host:465"; a path ("/example.com") names the EHLO domain
  std::string user{};      // empty: no AUTH
  std::string password{};  // with `user`
  std::string from{};      // the From header, "Shop <no-reply@example.com>"; its address is the envelope sender
  // One whole session, connect to QUIT: long enough for a slow server to accept a
  // message, short enough that an unreachable one does not stall the mail queue.
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
};

// Errors from Send: kInvalidArgument "mail/header-injection" (a header with a line
// break), kInvalidArgument "mail/rejected" when the server refused for good (a 5xx
// answer, e.g. an unknown recipient: sending again cannot help), kUnavailable
// "mail/unavailable" for everything a retry may fix (no connection, time-out, 4xx).
class SmtpMailer final : public Mailer {
 public:
  // "config/invalid" unless the URL is smtp:// or smtps:// and `from` has an address.
  static Result<std::unique_ptr<SmtpMailer>> Create(SmtpSettings settings, const Clock& clock);

  Status Send(const MailMessage& message) override;

 private:
  SmtpMailer(SmtpSettings settings, std::string sender, const Clock& clock);

  SmtpSettings settings_;
  std::string sender_;  // the bare address of settings_.from
  const Clock& clock_;
};

// The bare address of "Name <address>" or of a bare address.
std::string MailAddress(std::string_view mailbox);

}  // namespace plaza::mail
