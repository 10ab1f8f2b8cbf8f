#include "plaza/identity/passwords.h"

#include "plaza/core/text.h"

namespace plaza::identity {
namespace {

bool HasControlCharacter(std::string_view s) {
  for (char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return true;
  }
  return false;
}

// True when every code point of `s` is the same one. REQUIRES: valid UTF-8.
bool IsOneCharacterRepeated(std::string_view s) {
  std::size_t first_length = 1;
  while (first_length < s.size() && (static_cast<unsigned char>(s[first_length]) & 0xC0) == 0x80) ++first_length;
  const std::string_view first = s.substr(0, first_length);
  if (s.size() % first_length != 0) return false;
  for (std::size_t pos = first_length; pos < s.size(); pos += first_length) {
    if (s.substr(pos, first_length) != first) return false;
  }
  return true;
}

Error PasswordError(std::string detail) {
  return Error::Invalid("validation/password", std::move(detail), "/password");
}

}  // namespace

Status CheckPasswordPolicy(std::string_view password, std::string_view normalized_email) {
  if (password.size() < kMinPasswordBytes) {
    return PasswordError("use at least " + std::to_string(kMinPasswordBytes) + " characters");
  }
  if (password.size() > kMaxPasswordBytes) {
    return PasswordError("use at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  }
  if (!text::IsValidUtf8(password)) return PasswordError("the password is not valid UTF-8");
  if (IsOneCharacterRepeated(password)) return PasswordError("the password repeats one character");
  if (!normalized_email.empty() && text::ToLowerAscii(password) == normalized_email) {
    return PasswordError("the password must not be the email address");
  }
  return Ok();
}

Result<std::string> NormalizeEmail(std::string_view email) {
  const auto invalid = [](std::string detail) {
    return Error::Invalid("validation/email", std::move(detail), "/email");
  };
  const std::string normalized = text::ToLowerAscii(text::TrimAscii(email));
  if (normalized.empty()) return invalid("an email address is required");
  if (normalized.size() > kMaxEmailBytes) return invalid("the email address is too long");
  if (!text::IsValidUtf8(normalized) || HasControlCharacter(normalized) || normalized.find(' ') != std::string::npos) {
    return invalid("the email address contains characters it cannot have");
  }
  const std::size_t at = normalized.find('@');
  if (at == std::string::npos || at == 0 || normalized.find('@', at + 1) != std::string::npos) {
    return invalid("the email address needs one @ between a name and a domain");
  }
  const std::string_view domain = std::string_view(normalized).substr(at + 1);
  const std::size_t dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') {
    return invalid("the email address needs a domain such as example.com");
  }
  return normalized;
}

Result<std::string> NormalizeName(std::string_view name) {
  const auto invalid = [](std::string detail) { return Error::Invalid("validation/name", std::move(detail), "/name"); };
  const std::string_view trimmed = text::TrimAscii(name);
  if (trimmed.empty()) return invalid("a name is required");
  if (trimmed.size() > kMaxNameBytes) return invalid("the name is too long");
  if (!text::IsValidUtf8(trimmed) || HasControlCharacter(trimmed)) {
    return invalid("the name contains characters it cannot have");
  }
  return std::string(trimmed);
}

}  // namespace plaza::identity
