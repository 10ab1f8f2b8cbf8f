#pragma once
// A whole Plaza server for API tests: a fresh database of the test's backend, migrated,
// and a PlazaServer listening on 127.0.0.1 at a free port, with helpers to create shops
// and log in over HTTP the way a client would.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "plaza/app/plaza_server.h"
#include "plaza/http/testing/client.h"
#include "plaza/identity/identity_service.h"
#include "plaza_test/databases.h"

namespace plaza::testing {

// How a request authenticates: a session cookie with its CSRF token, or a bearer token.
struct Credentials {
  http::Headers headers;  // Cookie + X-CSRF-Token, or Authorization
  std::string csrf_token;
  std::int64_t user_id = 0;
};

struct TestShop {
  std::int64_t id = 0;
  std::string handle;
  std::string owner_email;
  std::string owner_password;
  std::int64_t owner_id = 0;
};

// What a checkout test sells: an active product of one variant in the online store,
// priced in a market "eu" for France (EUR, prices include tax), stocked at one location,
// with one flat shipping rate to France.
struct SellableVariantSpec {
  std::string title;
  std::string sku;
  std::int64_t weight_grams = 0;
  std::int64_t price_minor = 0;
  std::int64_t stock = 0;
  std::string location;
  std::string rate_name;
  std::int64_t shipping_minor = 0;
  int transit_min_days = 2;
  int transit_max_days = 4;
};

struct SellableVariant {
  std::int64_t variant_id = 0;
  std::int64_t rate_id = 0;  // the flat rate to France
};

// A customer of a shop with a community profile.
struct CommunityMember {
  Credentials session;
  std::int64_t profile_id = 0;
  std::string cookie;  // the session's Cookie header, for page requests
};

struct CommunityMemberSpec {
  std::string display_name{};  // empty: "The <handle>"
  bool is_private = false;
  std::string bio{};
};

class ServerFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Settings a suite adds to (or overrides in) the server's configuration.
  virtual std::map<std::string, std::string> ExtraFlags() const { return {}; }

  std::uint16_t port() const { return server_->port(); }
  store::Database& db() { return test_db_->db(); }
  identity::IdentityService& identity() { return *identity_; }
  // Where the server writes mail (.eml files).
  const std::string& mail_dir() const { return mail_dir_; }
  http::testing::HttpClient& client() { return *client_; }
  // The server's clock: starts at the real time and moves only when a test advances it.
  ManualClock& clock() { return clock_; }

  // Creates a shop with an owner (password "owner-password-<handle>").
  TestShop CreateShop(const std::string& handle);
  // Logs in over the API; fails the test when it does not succeed.
  Credentials LogInStaff(const TestShop& shop, const std::string& email, const std::string& password);
  // Creates a staff member with `roles` in `shop` and logs them in.
  Credentials StaffWithRoles(const TestShop& shop, const std::string& email, std::vector<identity::Role> roles);
  // Signs a customer up (password "buyer-password-1") and returns their cookie session.
  Credentials SignUpCustomer(const TestShop& shop, const std::string& email);
  // A bearer API token of the shop's owner with `scopes`.
  Credentials ApiToken(const TestShop& shop, std::vector<std::string> scopes);
  // Sets up `spec` in `shop` through the services; fails the test when a step does not succeed.
  SellableVariant SellInFrance(const TestShop& shop, const SellableVariantSpec& spec);
  // Signs up <handle>@example.com and creates its profile through the API; fails the test
  // when either does not succeed.
  CommunityMember JoinCommunity(const TestShop& shop, const std::string& handle, const CommunityMemberSpec& spec = {});
  // One unit of `variant` bought by the customer with the test card, shipped to Paris,
  // through the services; `delivered` also fulfils and delivers it. Answers the order id;
  // fails the test when a step does not succeed.
  std::int64_t BuyInFrance(const TestShop& shop, std::int64_t customer_id, const SellableVariant& variant,
                           bool delivered);

  // One request with `credentials`; `body` is sent as JSON when not empty.
  http::testing::ClientResponse Call(std::string_view method, const std::string& target, const Credentials& credentials,
                                     const std::string& body = {});

 private:
  std::unique_ptr<TestDatabase> test_db_;
  std::string data_dir_;
  std::string mail_dir_;
  ManualClock clock_{SystemClock().Now()};
  int orders_placed_ = 0;
  std::unique_ptr<identity::IdentityService> identity_;
  std::unique_ptr<app::PlazaServer> server_;
  std::unique_ptr<http::testing::HttpClient> client_;
};

// The value of cookie `name` from a response's Set-Cookie fields, or "".
std::string SetCookieValue(const http::Headers& headers, std::string_view name);

}  // namespace plaza::testing
