#pragma once
// Outgoing e-mail as an injected dependency: modules and handlers hand messages to a
// Mailer; tests and the embedded default write them as .eml files instead of sending.

#include <cstdint>
#include <string>
#include <string_view>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"

namespace plaza {

struct MailMessage {
  std::string to;       // one address
  std::string subject;  // one line; no CR or LF
  std::string text;     // plain-text body, UTF-8
  // The shop it is sent for (queued mail is recorded under it); 0 for mail of no shop.
  std::int64_t shop_id = 0;
};

// `message` as an RFC 5322 message with CRLF line ends: From `from`, To, Subject, Date
// (`date`), Message-ID <`message_id`>, and the text as UTF-8 (8bit). A line break in To
// or Subject would let a caller inject further headers (Bcc: …), so it is refused:
// kInvalidArgument "mail/header-injection".
Result<std::string> FormatMailMessage(std::string_view from, const MailMessage& message, TimePoint date,
                                      std::string_view message_id);

// Thread-safe: Send may be called from any thread.
class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual Status Send(const MailMessage& message) = 0;
};

// Writes each message as an RFC 5322 file "<millis>-<random>.eml" in `directory`
// (created if missing), so a person running the demo can open it in any mail client.
class FileMailer final : public Mailer {
 public:
  FileMailer(std::string directory, std::string from, const Clock& clock);
  Status Send(const MailMessage& message) override;

 private:
  std::string directory_;
  std::string from_;
  const Clock& clock_;
};

}  // namespace plaza
