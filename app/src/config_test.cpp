#include "plaza/app/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "plaza_test/databases.h"

namespace plaza::app {
namespace {

TEST(ConfigTest, DefaultsAreValid) {
  auto loaded = LoadConfig({});
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->config.listen, "127.0.0.1:8080");
  EXPECT_EQ(loaded->config.worker_threads, 8);
  EXPECT_FALSE(loaded->config.migrate_on_start);
  EXPECT_EQ(loaded->sources.at("listen"), "default");
}

TEST(ConfigTest, FlagsBeatEnvironmentWhichBeatsFile) {
  const std::string dir = plaza::testing::MakeTempDir("plaza-config");
  const std::string path = dir + "/plaza.toml";
  std::ofstream(path) << "listen = \"127.0.0.1:9000\"\nworker_threads = 3\nmigrate_on_start = true\n"
                         "database = \"from-file.db\"\n";
  auto loaded = LoadConfig({.toml_path = path,
                            .environment = {{"PLAZA_WORKER_THREADS", "5"}, {"PLAZA_DATABASE", "from-env.db"}},
                            .flags = {{"database", "from-flag.db"}}});
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->config.listen, "127.0.0.1:9000");
  EXPECT_EQ(loaded->sources.at("listen"), "file");
  EXPECT_EQ(loaded->config.worker_threads, 5);
  EXPECT_EQ(loaded->sources.at("worker_threads"), "env");
  EXPECT_EQ(loaded->config.database, "from-flag.db");
  EXPECT_EQ(loaded->sources.at("database"), "flag");
  EXPECT_TRUE(loaded->config.migrate_on_start);
}

TEST(ConfigTest, SmtpSettingsFollowThePrecedenceAndThePasswordIsNeverPrinted) {
  const std::string dir = plaza::testing::MakeTempDir("plaza-config");
  const std::string path = dir + "/plaza.toml";
  std::ofstream(path) << "smtp_url = \"smtp://file.example:25\"\nsmtp_user = \"shop\"\n"
                         "smtp_from = \"Shop <shop@file.example>\"\n";
  auto loaded = LoadConfig(
      {.toml_path = path,
       .environment = {{"PLAZA_SMTP_URL", "smtps://env.example:465"}, {"PLAZA_SMTP_PASSWORD", "hunter2-secret"}},
       .flags = {{"smtp_from", "Flag <flag@example.com>"}}});
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->config.smtp_url, "smtps://env.example:465");
  EXPECT_EQ(loaded->sources.at("smtp_url"), "env");
  EXPECT_EQ(loaded->config.smtp_user, "shop");
  EXPECT_EQ(loaded->sources.at("smtp_user"), "file");
  EXPECT_EQ(loaded->config.smtp_password, "hunter2-secret");
  EXPECT_EQ(loaded->config.smtp_from, "Flag <flag@example.com>");
  EXPECT_EQ(loaded->sources.at("smtp_from"), "flag");
  for (const std::string& line : DescribeConfig(*loaded)) {
    EXPECT_EQ(line.find("hunter2"), std::string::npos) << line;
    if (line.starts_with("smtp_password")) {
      EXPECT_NE(line.find("***"), std::string::npos) << line;
    }
  }
  auto defaults = LoadConfig({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->config.smtp_url.empty());
  EXPECT_EQ(defaults->config.smtp_from, "Plaza <no-reply@plaza.local>");
}

TEST(ConfigTest, UnknownFileKeyIsRejectedByName) {
  const std::string dir = plaza::testing::MakeTempDir("plaza-config");
  const std::string path = dir + "/plaza.toml";
  std::ofstream(path) << "listne = \"127.0.0.1:9000\"\n";
  auto loaded = LoadConfig({.toml_path = path});
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().type, "config/unknown-setting");
  EXPECT_EQ(loaded.error().field, "listne");
}

TEST(ConfigTest, MalformedFileReportsLine) {
  const std::string dir = plaza::testing::MakeTempDir("plaza-config");
  const std::string path = dir + "/plaza.toml";
  std::ofstream(path) << "listen = \"unterminated\n";
  auto loaded = LoadConfig({.toml_path = path});
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().type, "config/file");
  EXPECT_NE(loaded.error().detail.find(":1:"), std::string::npos) << loaded.error().detail;
}

TEST(ConfigTest, OutOfRangeAndWrongTypesAreRejected) {
  auto zero_workers = LoadConfig({.flags = {{"worker_threads", "0"}}});
  ASSERT_FALSE(zero_workers.ok());
  EXPECT_EQ(zero_workers.error().field, "worker_threads");
  auto words = LoadConfig({.environment = {{"PLAZA_DB_POOL_SIZE", "eight"}}});
  ASSERT_FALSE(words.ok());
  EXPECT_NE(words.error().detail.find("PLAZA_DB_POOL_SIZE"), std::string::npos);
  auto not_bool = LoadConfig({.flags = {{"secure_cookies", "maybe"}}});
  EXPECT_FALSE(not_bool.ok());
  auto bad_listen = LoadConfig({.flags = {{"listen", "localhost"}}});
  ASSERT_FALSE(bad_listen.ok());
  EXPECT_EQ(bad_listen.error().field, "listen");
}

TEST(ConfigTest, ListenAddressParsesIpv4AndIpv6) {
  auto v4 = ParseListenAddress("0.0.0.0:80");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->first, "0.0.0.0");
  EXPECT_EQ(v4->second, 80);
  auto v6 = ParseListenAddress("[::1]:8443");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->first, "::1");
  EXPECT_EQ(v6->second, 8443);
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:99999").ok());
}

TEST(ConfigTest, EverySettingHasADescriptionAndAValidDefault) {
  for (const SettingSpec& spec : Settings()) {
    EXPECT_FALSE(spec.description.empty()) << spec.name;
    auto loaded = LoadConfig({.flags = {{std::string(spec.name), std::string(spec.default_value)}}});
    EXPECT_TRUE(loaded.ok()) << spec.name;
  }
}

}  // namespace
}  // namespace plaza::app
