#include "plaza/core/mailer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "plaza/core/crypto.h"
#include "plaza_test/databases.h"

namespace plaza {
namespace {

TEST(FileMailerTest, WritesAnRfc5322File) {
  crypto::InitCrypto();
  const std::string dir = testing::MakeTempDir("plaza-mail") + "/out";
  ManualClock clock(FromUnixMillis(1'795'424'400'000));  // 2026-11-23T09:00:00Z, a Monday
  FileMailer mailer(dir, "Plaza <no-reply@plaza.local>", clock);
  ASSERT_TRUE(mailer.Send({"ana@example.com", "Reset your password", "Line one\nLine two"}).ok());
  std::vector<std::filesystem::path> files(std::filesystem::directory_iterator(dir), {});
  ASSERT_EQ(files.size(), 1u);
  std::stringstream content;
  content << std::ifstream(files[0]).rdbuf();
  const std::string mail = content.str();
  EXPECT_NE(mail.find("To: ana@example.com\r\n"), std::string::npos);
  EXPECT_NE(mail.find("Subject: Reset your password\r\n"), std::string::npos);
  EXPECT_NE(mail.find("Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n"), std::string::npos) << mail;
  EXPECT_NE(mail.find("\r\n\r\nLine one\r\nLine two\r\n"), std::string::npos);
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
}

TEST(FileMailerTest, RefusesHeaderInjection) {
  const std::string dir = testing::MakeTempDir("plaza-mail");
  ManualClock clock(FromUnixMillis(0));
  FileMailer mailer(dir, "Plaza <no-reply@plaza.local>", clock);
  const Status status = mailer.Send({"ana@example.com\r\nBcc: all@example.com", "Hi", "x"});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().type, "mail/header-injection");
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace plaza
