#pragma once
// Text utilities for outside input: UTF-8 checks, HTML escaping, encodings.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace plaza::text {

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Escapes &, <, >, " and ' so the result is inert in HTML text and quoted attributes.
std::string EscapeHtml(std::string_view s);

std::string ToLowerAscii(std::string_view s);
std::string_view TrimAscii(std::string_view s);

std::string HexEncode(std::span<const std::uint8_t> bytes);
std::optional<std::vector<std::uint8_t>> HexDecode(std::string_view hex);

// RFC 4648 base32 without padding (as TOTP secrets are written); decoding ignores case,
// spaces and padding.
std::string Base32Encode(std::span<const std::uint8_t> bytes);
std::optional<std::vector<std::uint8_t>> Base32Decode(std::string_view text);

// RFC 4648 base64url without padding.
std::string Base64UrlEncode(std::span<const std::uint8_t> bytes);

// Number of Unicode code points; REQUIRES: IsValidUtf8(s).
std::size_t CodePointCount(std::string_view s);

inline std::span<const std::uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace plaza::text
