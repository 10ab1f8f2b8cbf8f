#pragma once
// Rules for the credentials people choose. Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "plaza/core/result.h"

namespace plaza::identity {

// Bounds of a password, in bytes of UTF-8. Ten is the shortest that resists offline
// guessing of an Argon2id hash for long enough to matter (NIST SP 800-63B asks for 8 at
// least); 128 leaves room for long passphrases while keeping outside input bounded.
inline constexpr std::size_t kMinPasswordBytes = 10;
inline constexpr std::size_t kMaxPasswordBytes = 128;
// RFC 5321 limits a forward path to 256 octets, which leaves 254 for the address.
inline constexpr std::size_t kMaxEmailBytes = 254;
// Display names are shown in the admin and in mails; 200 bytes fits any real name.
inline constexpr std::size_t kMaxNameBytes = 200;

// Accepts a password that is valid UTF-8, kMinPasswordBytes..kMaxPasswordBytes long,
// not one character repeated ("aaaaaaaaaa"), and not the account's own email address.
// Fails with kInvalidArgument, type "validation/password", field "/password".
Status CheckPasswordPolicy(std::string_view password, std::string_view normalized_email);

// The canonical form of an email address used for uniqueness and log-in: surrounding
// white space trimmed, ASCII letters lower-cased (mail providers treat local parts
// case-insensitively in practice, and people type them either way). Requires exactly
// one '@' with a non-empty local part and a domain containing a dot, no white space or
// control characters, valid UTF-8 and at most kMaxEmailBytes. Fails with
// kInvalidArgument, type "validation/email", field "/email".
Result<std::string> NormalizeEmail(std::string_view email);

// A display name: trimmed, valid UTF-8, 1..kMaxNameBytes bytes, no control characters.
// Fails with kInvalidArgument, type "validation/name", field "/name".
Result<std::string> NormalizeName(std::string_view name);

}  // namespace plaza::identity
