#pragma once
// Outgoing e-mail as an injected dependency: modules and handlers hand messages to a
// Mailer; tests and the embedded default write them as .eml files instead of sending.

#include <string>
#include <string_view>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"

namespace plaza {

struct MailMessage {
  std::string to;       // one address
  std::string subject;  // one line; no CR or LF
  std::string text;     // plain-text body, UTF-8
};

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
