#include "plaza/core/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <stdexcept>

#include "plaza/core/text.h"

namespace plaza::crypto {

void InitCrypto() {
  // sodium_init returns 1 when already initialised and -1 only when no entropy source exists.
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

Sha256Digest HmacSha256(std::string_view key, std::string_view message) {
  Sha256Digest digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest.data(), &length);
  return digest;
}

std::array<std::uint8_t, 20> HmacSha1(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message) {
  std::array<std::uint8_t, 20> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(), message.size(), digest.data(), &length);
  return digest;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::vector<std::uint8_t> RandomBytes(std::size_t count) {
  std::vector<std::uint8_t> bytes(count);
  randombytes_buf(bytes.data(), bytes.size());
  return bytes;
}

std::string RandomToken(std::size_t bytes) {
  return text::Base64UrlEncode(RandomBytes(bytes));
}

Result<std::string> HashPassword(std::string_view password) {
  std::string hash(crypto_pwhash_STRBYTES, '\0');
  if (crypto_pwhash_str(hash.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Error::Unavailable("not enough memory to hash the password");
  }
  hash.resize(hash.find('\0'));
  return hash;
}

bool VerifyPassword(std::string_view password, const std::string& stored_hash) {
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace plaza::crypto
