#include "plaza/identity/totp.h"

#include <array>

#include "plaza/core/crypto.h"

namespace plaza::identity::totp {
namespace {

std::string PercentEncode(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0Fu];
    }
  }
  return out;
}

}  // namespace

std::int64_t StepAt(TimePoint at) {
  const std::int64_t seconds = ToUnixMillis(at) / 1000;
  // Floor division, so the (theoretical) times before 1970 land in the right step.
  return seconds >= 0 ? seconds / kStepSeconds : -((-seconds + kStepSeconds - 1) / kStepSeconds);
}

std::string CodeForStep(std::span<const std::uint8_t> secret, std::int64_t step, int digits) {
  std::array<std::uint8_t, 8> counter{};
  auto value = static_cast<std::uint64_t>(step);
  for (std::size_t i = counter.size(); i-- > 0;) {
    counter[i] = static_cast<std::uint8_t>(value & 0xFFu);
    value >>= 8;
  }
  const auto mac = crypto::HmacSha1(secret, counter);
  // RFC 4226 section 5.3, dynamic truncation: the low nibble of the last byte picks
  // four bytes, whose top bit is dropped so the number is the same signed or unsigned.
  const std::size_t offset = mac[mac.size() - 1] & 0x0Fu;
  const std::uint32_t binary =
      (static_cast<std::uint32_t>(mac[offset] & 0x7Fu) << 24) | (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
      (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  code.insert(0, static_cast<std::size_t>(digits) - code.size(), '0');
  return code;
}

std::optional<std::int64_t> MatchStep(std::span<const std::uint8_t> secret, std::string_view code, TimePoint now,
                                      int digits) {
  if (code.size() != static_cast<std::size_t>(digits)) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const std::int64_t current = StepAt(now);
  std::optional<std::int64_t> matched;
  // Every candidate is computed and compared, so the time taken does not say which
  // step (if any) matched.
  for (std::int64_t step = current - kAcceptedSkewSteps; step <= current + kAcceptedSkewSteps; ++step) {
    if (crypto::ConstantTimeEquals(CodeForStep(secret, step, digits), code) && !matched) matched = step;
  }
  return matched;
}

std::string OtpAuthUri(std::string_view issuer, std::string_view account, std::string_view secret_base32) {
  const std::string encoded_issuer = PercentEncode(issuer);
  return "otpauth://totp/" + encoded_issuer + ":" + PercentEncode(account) + "?secret=" + std::string(secret_base32) +
         "&issuer=" + encoded_issuer + "&algorithm=SHA1&digits=" + std::to_string(kDigits) +
         "&period=" + std::to_string(kStepSeconds);
}

}  // namespace plaza::identity::totp
