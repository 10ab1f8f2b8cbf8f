#pragma once
// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 30-second
// steps counted from the Unix epoch, as every authenticator app implements by default.
// Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "plaza/core/clock.h"

namespace plaza::identity::totp {

// RFC 6238's default time step; authenticator apps assume it.
inline constexpr std::int64_t kStepSeconds = 30;
// Six digits: what authenticator apps show unless told otherwise.
inline constexpr int kDigits = 6;
// Codes of the previous and next step are accepted too, to absorb clock skew between
// the phone and the server and the seconds a person needs to type the code.
inline constexpr std::int64_t kAcceptedSkewSteps = 1;
// 160-bit secrets, the HMAC-SHA1 output length RFC 4226 recommends.
inline constexpr std::size_t kSecretBytes = 20;

// The time step containing `at` (floor of Unix seconds / 30).
std::int64_t StepAt(TimePoint at);

// The HOTP code of `step` for `secret`, zero-padded to `digits` (6..8) digits.
std::string CodeForStep(std::span<const std::uint8_t> secret, std::int64_t step, int digits = kDigits);

// The step whose code equals `code`, searching the step at `now` and kAcceptedSkewSteps
// either side; nullopt when none matches or `code` is not `digits` ASCII digits.
// Compares in constant time. Replay protection (refusing a step already used) is the
// caller's: it must remember the returned step.
std::optional<std::int64_t> MatchStep(std::span<const std::uint8_t> secret, std::string_view code, TimePoint now,
                                      int digits = kDigits);

// The otpauth:// URI an authenticator app scans from a QR code, e.g.
// otpauth://totp/Shop%20Name:ann%40example.com?secret=…&issuer=Shop%20Name&algorithm=SHA1&digits=6&period=30
std::string OtpAuthUri(std::string_view issuer, std::string_view account, std::string_view secret_base32);

}  // namespace plaza::identity::totp
