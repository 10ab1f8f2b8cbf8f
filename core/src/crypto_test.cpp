#include "plaza/core/crypto.h"

#include <gtest/gtest.h>

#include "plaza/core/text.h"

namespace plaza::crypto {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { InitCrypto(); }
};

TEST_F(CryptoTest, Sha256MatchesKnownVector) {
  EXPECT_EQ(text::HexEncode(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(CryptoTest, HmacSha256MatchesRfc4231Case2) {
  EXPECT_EQ(text::HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(CryptoTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secrets"));
}

TEST_F(CryptoTest, RandomTokensDiffer) {
  const auto a = RandomToken();
  const auto b = RandomToken();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);  // 32 bytes in unpadded base64url
}

TEST_F(CryptoTest, PasswordHashIsArgon2idAndVerifies) {
  const auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapler", *hash));
}

}  // namespace
}  // namespace plaza::crypto
