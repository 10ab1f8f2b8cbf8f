#pragma once
// Hashing, MACs and randomness (OpenSSL 3 and libsodium). Call InitCrypto() once at
// start-up, before any other thread uses these functions.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/result.h"

namespace plaza::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

// REQUIRES: called once before any other function here; safe to call again.
void InitCrypto();

Sha256Digest Sha256(std::string_view data);
Sha256Digest HmacSha256(std::string_view key, std::string_view message);
// HMAC-SHA1, as RFC 6238 TOTP uses by default.
std::array<std::uint8_t, 20> HmacSha1(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message);

// Compares in time independent of where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Cryptographically secure random bytes.
std::vector<std::uint8_t> RandomBytes(std::size_t count);
// A random token of `bytes` bytes, base64url-encoded, for session ids, CSRF and API tokens.
std::string RandomToken(std::size_t bytes = 32);

// Argon2id (libsodium's moderate-interactive limits); the result is the self-describing
// PHC string, so parameters can be raised later without breaking stored hashes.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, const std::string& stored_hash);

}  // namespace plaza::crypto
