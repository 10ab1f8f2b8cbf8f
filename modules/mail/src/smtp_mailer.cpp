#include "plaza/mail/smtp_mailer.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "plaza/core/crypto.h"
#include "plaza/core/text.h"

namespace plaza::mail {
namespace {

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Refcounted by libcurl, so another library initialising it too is harmless.
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl could not be initialised");
  });
}

// The DATA libcurl reads: the formatted message, handed out in pieces. libcurl
// dot-stuffs lines that start with "." and appends the final ".".
struct Upload {
  const std::string* data = nullptr;
  std::size_t offset = 0;
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t room = size * count;
  const std::size_t left = upload->data->size() - upload->offset;
  const std::size_t chunk = std::min(room, left);
  std::memcpy(buffer, upload->data->data() + upload->offset, chunk);
  upload->offset += chunk;
  return chunk;
}

std::string DomainOf(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string("plaza.local") : std::string(address.substr(at + 1));
}

Error Unavailable(std::string detail) {
  return Error{ErrorCode::kUnavailable, "mail/unavailable", std::move(detail), {}};
}

}  // namespace

std::string MailAddress(std::string_view mailbox) {
  const std::size_t open = mailbox.rfind('<');
  const std::size_t close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return std::string(text::TrimAscii(mailbox.substr(open + 1, close - open - 1)));
  }
  return std::string(text::TrimAscii(mailbox));
}

Result<std::unique_ptr<SmtpMailer>> SmtpMailer::Create(SmtpSettings settings, const Clock& clock) {
  if (!settings.url.starts_with("smtp://") && !settings.url.starts_with("smtps://")) {
    return Error::Invalid("config/invalid", "smtp_url must start with smtp:// or smtps://", "smtp_url");
  }
  std::string sender = MailAddress(settings.from);
  if (sender.find('@') == std::string::npos) {
    return Error::Invalid("config/invalid", "smtp_from must hold a mail address, e.g. \"Shop <shop@example.com>\"",
                          "smtp_from");
  }
  InitCurlOnce();
  return std::unique_ptr<SmtpMailer>(new SmtpMailer(std::move(settings), std::move(sender), clock));
}

SmtpMailer::SmtpMailer(SmtpSettings settings, std::string sender, const Clock& clock)
    : settings_(std::move(settings)), sender_(std::move(sender)), clock_(clock) {}

Status SmtpMailer::Send(const MailMessage& message) {
  const std::string recipient = MailAddress(message.to);
  const std::string message_id = text::HexEncode(crypto::RandomBytes(12)) + "@" + DomainOf(sender_);
  PLAZA_ASSIGN_OR_RETURN(const std::string formatted,
                         FormatMailMessage(settings_.from, message, clock_.Now(), message_id));
  if (recipient.find('@') == std::string::npos || recipient.find_first_of("<>\r\n") != std::string::npos) {
    return Error::Invalid("mail/rejected", "'" + recipient + "' is not a mail address");
  }

  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) return Unavailable("libcurl could not create a handle");
  const std::string envelope_from = "<" + sender_ + ">";
  const std::string envelope_to = "<" + recipient + ">";
  std::unique_ptr<curl_slist, ListDeleter> recipients(curl_slist_append(nullptr, envelope_to.c_str()));
  if (!recipients) return Unavailable("out of memory");
  Upload upload{&formatted, 0};
  CURL* handle = easy.get();
  curl_easy_setopt(handle, CURLOPT_URL, settings_.url.c_str());
  // Nothing but SMTP, whatever the URL or a redirect might try.
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, envelope_from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(formatted.size()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  // smtp:// upgrades to TLS when the server offers STARTTLS and stays plain otherwise
  // (a relay on localhost); smtps:// is TLS throughout.
  curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  if (!settings_.user.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, settings_.user.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);

  const CURLcode code = curl_easy_perform(handle);
  if (code == CURLE_OK) return Ok();
  long reply = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply);
  const std::string why = std::string(error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code)) +
                          (reply > 0 ? " (SMTP " + std::to_string(reply) + ")" : "");
  // A 5xx answer is final (RFC 5321 4.2.1): the same message would be refused again.
  if (reply >= 500 && reply < 600) return Error::Invalid("mail/rejected", "the mail server refused: " + why);
  return Unavailable("the mail server did not take the message: " + why);
}

}  // namespace plaza::mail
