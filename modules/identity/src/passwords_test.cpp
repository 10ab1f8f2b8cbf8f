#include "plaza/identity/passwords.h"

#include <gtest/gtest.h>

#include "plaza/core/crypto.h"

namespace plaza::identity {
namespace {

TEST(PasswordPolicyTest, LengthBounds) {
  EXPECT_FALSE(CheckPasswordPolicy("short pw!", "").ok());  // 9 bytes
  EXPECT_TRUE(CheckPasswordPolicy("ten bytes!", "").ok());
  EXPECT_TRUE(CheckPasswordPolicy(std::string(127, 'a') + "b", "").ok());
  const Status too_long = CheckPasswordPolicy(std::string(128, 'a') + "b", "");
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().type, "validation/password");
  EXPECT_EQ(too_long.error().field, "/password");
}

TEST(PasswordPolicyTest, RejectsOneRepeatedCharacter) {
  EXPECT_FALSE(CheckPasswordPolicy("aaaaaaaaaaaa", "").ok());
  EXPECT_FALSE(CheckPasswordPolicy("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "").ok());  // "ééééé", 10 bytes
  EXPECT_TRUE(CheckPasswordPolicy("aaaaaaaaaab", "").ok());
}

TEST(PasswordPolicyTest, RejectsTheEmailAndBadUtf8) {
  EXPECT_FALSE(CheckPasswordPolicy("Ann@Example.com", "ann@example.com").ok());
  EXPECT_FALSE(CheckPasswordPolicy("abcdefghij\xff", "").ok());
}

TEST(EmailTest, Normalises) {
  auto email = NormalizeEmail("  Ann.Lee@Example.COM \t");
  ASSERT_TRUE(email.ok());
  EXPECT_EQ(*email, "ann.lee@example.com");
}

TEST(EmailTest, RejectsMalformed) {
  for (std::string_view bad : {"", "ann", "@example.com", "ann@", "ann@example", "ann@@example.com", "a b@example.com",
                               "ann@example.com.", "ann@.com", "ann\n@example.com"}) {
    const auto email = NormalizeEmail(bad);
    ASSERT_FALSE(email.ok()) << bad;
    EXPECT_EQ(email.error().field, "/email");
  }
  EXPECT_FALSE(NormalizeEmail(std::string(250, 'a') + "@example.com").ok());
}

TEST(NameTest, TrimsAndBounds) {
  EXPECT_EQ(*NormalizeName("  Ann Lee "), "Ann Lee");
  EXPECT_FALSE(NormalizeName("   ").ok());
  EXPECT_FALSE(NormalizeName(std::string(201, 'x')).ok());
  EXPECT_FALSE(NormalizeName("Ann\x01").ok());
}

// One hash: the stored form is a self-describing Argon2id string, never the password.
TEST(PasswordHashTest, Argon2idRoundTrip) {
  crypto::InitCrypto();
  const auto hash = crypto::HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(crypto::VerifyPassword("correct horse battery", *hash));
  EXPECT_FALSE(crypto::VerifyPassword("correct horse batterY", *hash));
}

}  // namespace
}  // namespace plaza::identity
