#include "plaza_test/server_fixture.h"

#include <boost/json/serialize.hpp>
#include <filesystem>

#include "plaza/core/crypto.h"
#include "plaza/store/migrations.h"

namespace plaza::testing {

std::string SetCookieValue(const http::Headers& headers, std::string_view name) {
  const std::string prefix = std::string(name) + "=";
  for (const auto& [field, value] : headers) {
    if (!http::EqualsIgnoreCase(field, "Set-Cookie") || !value.starts_with(prefix)) continue;
    return value.substr(prefix.size(), value.find(';') - prefix.size());
  }
  return {};
}

void ServerFixture::SetUp() {
  crypto::InitCrypto();
  test_db_ = std::make_unique<TestDatabase>(GetParam());
  ASSERT_TRUE(store::Migrate(db(), app::AllMigrations()).ok());
  data_dir_ = MakeTempDir("plaza-server");
  mail_dir_ = data_dir_ + "/mail";
  std::map<std::string, std::string> flags = {
      {"listen", "127.0.0.1:0"}, {"database", test_db_->url()}, {"data_dir", data_dir_}, {"worker_threads", "4"},
      {"db_pool_size", "4"},     {"log_level", "warn"},         {"outbox_poll_ms", "50"}};
  for (auto& [name, value] : ExtraFlags()) flags[name] = std::move(value);
  auto loaded = app::LoadConfig({.flags = std::move(flags)});
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  identity_ = std::make_unique<identity::IdentityService>(db(), clock_);
  auto server = app::PlazaServer::Create(loaded->config, {.clock = &clock_});
  ASSERT_TRUE(server.ok()) << server.error().detail;
  server_ = std::move(server).value();
  ASSERT_TRUE(server_->Start().ok());
  client_ = std::make_unique<http::testing::HttpClient>(server_->port());
}

void ServerFixture::TearDown() {
  client_.reset();
  server_.reset();
  identity_.reset();
  test_db_.reset();
  std::error_code ignored;  // a leftover temp dir is harmless
  if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ignored);
}

TestShop ServerFixture::CreateShop(const std::string& handle) {
  TestShop shop{
      .handle = handle, .owner_email = "owner@" + handle + ".example", .owner_password = "owner-password-" + handle};
  auto created = identity_->CreateShop({.handle = handle,
                                        .name = "Shop " + handle,
                                        .owner_email = shop.owner_email,
                                        .owner_name = "Owner of " + handle,
                                        .owner_password = shop.owner_password});
  EXPECT_TRUE(created.ok()) << created.error().detail;
  if (created.ok()) {
    shop.id = created->shop.id;
    shop.owner_id = created->owner.id;
  }
  return shop;
}

Credentials ServerFixture::LogInStaff(const TestShop& shop, const std::string& email, const std::string& password) {
  boost::json::object body{{"email", email}, {"password", password}};
  auto response = client_->PostJson("/api/v1/shops/" + shop.handle + "/staff/session", boost::json::serialize(body));
  Credentials credentials;
  EXPECT_TRUE(response.ok());
  if (!response.ok()) return credentials;
  EXPECT_EQ(response->status, 201) << response->body;
  const std::string token = SetCookieValue(response->headers, "plaza_staff");
  EXPECT_FALSE(token.empty());
  const auto json = response->Json();
  if (json.is_object()) {
    credentials.csrf_token = std::string(json.at("csrf_token").as_string());
    credentials.user_id = json.at("user_id").as_int64();
  }
  credentials.headers.Set("Cookie", "plaza_staff=" + token);
  credentials.headers.Set("X-CSRF-Token", credentials.csrf_token);
  return credentials;
}

Credentials ServerFixture::StaffWithRoles(const TestShop& shop, const std::string& email,
                                          std::vector<identity::Role> roles) {
  identity::Principal owner;
  owner.shop_id = shop.id;
  owner.user_id = shop.owner_id;
  owner.roles = {identity::Role::kOwner};
  const std::string password = "password-of-" + email;
  auto created = identity_->CreateStaff(
      owner, shop.id, {.email = email, .name = email, .roles = std::move(roles), .password = password});
  EXPECT_TRUE(created.ok()) << created.error().detail;
  return LogInStaff(shop, email, password);
}

Credentials ServerFixture::ApiToken(const TestShop& shop, std::vector<std::string> scopes) {
  identity::Principal owner;
  owner.shop_id = shop.id;
  owner.user_id = shop.owner_id;
  owner.roles = {identity::Role::kOwner};
  auto created = identity_->CreateApiToken(owner, shop.id, {.name = "test token", .scopes = std::move(scopes)});
  Credentials credentials;
  EXPECT_TRUE(created.ok()) << created.error().detail;
  if (created.ok()) credentials.headers.Set("Authorization", "Bearer " + created->token);
  return credentials;
}

http::testing::ClientResponse ServerFixture::Call(std::string_view method, const std::string& target,
                                                  const Credentials& credentials, const std::string& body) {
  http::Headers headers = credentials.headers;
  if (!body.empty()) headers.Set("Content-Type", "application/json");
  auto response = client_->Send(method, target, body, headers);
  EXPECT_TRUE(response.ok()) << method << " " << target;
  return response.ok() ? std::move(response).value() : http::testing::ClientResponse{};
}

}  // namespace plaza::testing
