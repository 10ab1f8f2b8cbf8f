// Roles, CSRF, token scopes, log-in, the second factor, password reset and log-in rate
// limits, through the HTTP API as clients use them.

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "plaza/core/text.h"
#include "plaza/identity/totp.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class AuthTest : public ServerFixture {
 protected:
  std::vector<std::string> MailFiles() const {
    std::vector<std::string> files;
    if (!std::filesystem::exists(mail_dir())) return files;
    for (const auto& entry : std::filesystem::directory_iterator(mail_dir())) {
      std::stringstream content;
      content << std::ifstream(entry.path()).rdbuf();
      files.push_back(content.str());
    }
    return files;
  }

  std::string CurrentCode(const std::string& secret_base32) {
    const auto secret = text::Base32Decode(secret_base32);
    return identity::totp::CodeForStep(*secret, identity::totp::StepAt(clock().Now()));
  }
};

TEST_P(AuthTest, RolesDecideWhatStaffMayDo) {
  TestShop shop = CreateShop("aurelle");
  Credentials owner = LogInStaff(shop, shop.owner_email, shop.owner_password);
  Credentials agent = StaffWithRoles(shop, "agent@aurelle.example", {identity::Role::kSupportAgent});
  Credentials marketer = StaffWithRoles(shop, "growth@aurelle.example", {identity::Role::kMarketer});
  Credentials admin = StaffWithRoles(shop, "admin@aurelle.example", {identity::Role::kAdmin});

  EXPECT_EQ(Call("GET", "/api/v1/shops/aurelle/staff-members", owner).status, 200);
  auto forbidden = Call("GET", "/api/v1/shops/aurelle/staff-members", marketer);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(forbidden.ProblemType(), "/problems/forbidden");
  EXPECT_EQ(Call("POST", "/api/v1/shops/aurelle/api-tokens", agent, R"({"name":"x","scopes":["audit:read"]})").status,
            403);
  EXPECT_EQ(Call("GET", "/api/v1/shops/aurelle/webhooks", agent).status, 403);
  // Only an owner may make an owner; an admin may make an agent.
  EXPECT_EQ(Call("POST", "/api/v1/shops/aurelle/staff-members", admin,
                 R"({"email":"x@aurelle.example","name":"X","roles":["owner"],"password":"x-password-12"})")
                .status,
            403);
  EXPECT_EQ(Call("POST", "/api/v1/shops/aurelle/staff-members", admin,
                 R"({"email":"y@aurelle.example","name":"Y","roles":["support_agent"],"password":"y-password-12"})")
                .status,
            201);
  // Settings are the owner's.
  EXPECT_EQ(Call("PATCH", "/api/v1/shops/aurelle/settings", admin, R"({"require_staff_2fa":true})").status, 403);
  EXPECT_EQ(Call("PATCH", "/api/v1/shops/aurelle/settings", owner, R"({"require_staff_2fa":false})").status, 200);
}

TEST_P(AuthTest, CookieMutationsNeedTheCsrfToken) {
  TestShop shop = CreateShop("aurelle");
  Credentials owner = LogInStaff(shop, shop.owner_email, shop.owner_password);
  const std::string body = R"({"url":"http://127.0.0.1:9/h","event_types":["customer.created"]})";

  Credentials no_token = owner;
  no_token.headers.Remove("X-CSRF-Token");
  auto missing = Call("POST", "/api/v1/shops/aurelle/webhooks", no_token, body);
  EXPECT_EQ(missing.status, 412) << missing.body;
  EXPECT_EQ(missing.ProblemType(), "/problems/auth/csrf");

  Credentials wrong_token = owner;
  wrong_token.headers.Set("X-CSRF-Token", owner.csrf_token + "x");
  EXPECT_EQ(Call("POST", "/api/v1/shops/aurelle/webhooks", wrong_token, body).status, 412);
  // Safe methods need none.
  EXPECT_EQ(Call("GET", "/api/v1/shops/aurelle/webhooks", no_token).status, 200);
  // Nothing was created by the refused requests.
  EXPECT_TRUE(Call("GET", "/api/v1/shops/aurelle/webhooks", owner).Json().at("webhooks").as_array().empty());
  EXPECT_EQ(Call("POST", "/api/v1/shops/aurelle/webhooks", owner, body).status, 201);
}

TEST_P(AuthTest, ApiTokensAreLimitedToTheirScopes) {
  TestShop shop = CreateShop("aurelle");
  Credentials auditor = ApiToken(shop, {"audit:read"});
  EXPECT_EQ(Call("GET", "/api/v1/shops/aurelle/audit", auditor).status, 200);
  auto refused =
      Call("POST", "/api/v1/shops/aurelle/webhooks", auditor, R"({"url":"http://127.0.0.1:9/h","event_types":["*"]})");
  EXPECT_EQ(refused.status, 403);
  // No scope reaches staff management or mints tokens.
  EXPECT_EQ(Call("GET", "/api/v1/shops/aurelle/staff-members", auditor).status, 403);
  // A token needs no CSRF header, and is no session: session routes refuse it.
  Credentials hooks = ApiToken(shop, {"webhooks:write"});
  EXPECT_EQ(
      Call("POST", "/api/v1/shops/aurelle/webhooks", hooks, R"({"url":"http://127.0.0.1:9/h","event_types":["*"]})")
          .status,
      201);
  EXPECT_EQ(Call("GET", "/api/v1/shops/aurelle/staff/session", hooks).status, 401);
  // A forged or revoked token is refused.
  Credentials forged;
  forged.headers.Set("Authorization", "Bearer plz_1_forged");
  EXPECT_EQ(Call("GET", "/api/v1/shops/aurelle/audit", forged).status, 401);
}

TEST_P(AuthTest, LogInFromAnotherSiteIsRefused) {
  TestShop shop = CreateShop("aurelle");
  http::Headers headers{{"Origin", "https://evil.example"}};
  auto response =
      client().PostJson("/api/v1/shops/aurelle/staff/session",
                        R"({"email":"owner@aurelle.example","password":"owner-password-aurelle"})", headers);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 403);
  EXPECT_EQ(response->ProblemType(), "/problems/auth/cross-origin");
  EXPECT_TRUE(SetCookieValue(response->headers, "plaza_staff").empty());
}

TEST_P(AuthTest, WrongPasswordsAreRateLimited) {
  TestShop shop = CreateShop("aurelle");
  const std::string wrong = R"({"email":"owner@aurelle.example","password":"not-the-password"})";
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto response = client().PostJson("/api/v1/shops/aurelle/staff/session", wrong);
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, 401);
    EXPECT_EQ(response->ProblemType(), "/problems/auth/invalid-credentials");
  }
  auto limited = client().PostJson("/api/v1/shops/aurelle/staff/session",
                                   R"({"email":"owner@aurelle.example","password":"owner-password-aurelle"})");
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->status, 429);
  EXPECT_TRUE(limited->headers.Has("Retry-After"));
}

TEST_P(AuthTest, SecondFactorGuardsTheWholeSession) {
  TestShop shop = CreateShop("aurelle");
  Credentials owner = LogInStaff(shop, shop.owner_email, shop.owner_password);
  auto enrolment = Call("POST", "/api/v1/shops/aurelle/staff/totp", owner);
  ASSERT_EQ(enrolment.status, 201) << enrolment.body;
  const std::string secret(enrolment.Json().at("secret").as_string());
  EXPECT_EQ(Call("POST", "/api/v1/shops/aurelle/staff/totp/confirm", owner, R"({"code":"000000"})").status, 422);
  auto confirmed =
      Call("POST", "/api/v1/shops/aurelle/staff/totp/confirm", owner, R"({"code":")" + CurrentCode(secret) + R"("})");
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;

  // A new log-in now stops half-way.
  auto login = client().PostJson("/api/v1/shops/aurelle/staff/session",
                                 R"({"email":"owner@aurelle.example","password":"owner-password-aurelle"})");
  ASSERT_TRUE(login.ok());
  ASSERT_EQ(login->status, 201);
  EXPECT_EQ(login->Json().at("state").as_string(), "second_factor_pending");
  Credentials pending;
  pending.headers.Set("Cookie", "plaza_staff=" + SetCookieValue(login->headers, "plaza_staff"));
  pending.csrf_token = std::string(login->Json().at("csrf_token").as_string());
  pending.headers.Set("X-CSRF-Token", pending.csrf_token);
  auto blocked = Call("GET", "/api/v1/shops/aurelle/staff-members", pending);
  EXPECT_EQ(blocked.status, 401);
  EXPECT_EQ(blocked.ProblemType(), "/problems/auth/second-factor-required");

  // The code spent on enrolment cannot be replayed to finish the log-in.
  const std::string enrolment_code = CurrentCode(secret);
  auto replay = Call("POST", "/api/v1/shops/aurelle/staff/session/second-factor", pending,
                     R"({"code":")" + enrolment_code + R"("})");
  EXPECT_EQ(replay.status, 401) << replay.body;
  EXPECT_EQ(replay.ProblemType(), "/problems/auth/totp-invalid");

  // Thirty seconds later the app shows a new code, which completes the log-in.
  clock().Advance(std::chrono::seconds(identity::totp::kStepSeconds));
  auto verified = Call("POST", "/api/v1/shops/aurelle/staff/session/second-factor", pending,
                       R"({"code":")" + CurrentCode(secret) + R"("})");
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.Json().at("state").as_string(), "active");
  Credentials active;
  active.headers.Set("Cookie", "plaza_staff=" + SetCookieValue(verified.headers, "plaza_staff"));
  EXPECT_EQ(Call("GET", "/api/v1/shops/aurelle/staff-members", active).status, 200);
  // The pending session's token was replaced, not promoted.
  EXPECT_EQ(Call("GET", "/api/v1/shops/aurelle/staff-members", pending).status, 401);
}

TEST_P(AuthTest, PasswordResetByMailWorksOnceAndRevealsNothing) {
  TestShop shop = CreateShop("aurelle");
  auto unknown = client().PostJson("/api/v1/shops/aurelle/password-resets",
                                   R"({"email":"nobody@aurelle.example","account":"staff"})");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->status, 202);
  EXPECT_TRUE(MailFiles().empty());

  auto known = client().PostJson("/api/v1/shops/aurelle/password-resets",
                                 R"({"email":"owner@aurelle.example","account":"staff"})");
  ASSERT_TRUE(known.ok());
  EXPECT_EQ(known->status, 202);
  EXPECT_EQ(known->body, unknown->body);
  const auto mails = MailFiles();
  ASSERT_EQ(mails.size(), 1u);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(mails[0], match, std::regex(R"(token=([A-Za-z0-9_.-]+))")));
  const std::string token = match[1];

  const std::string consume = R"({"token":")" + token + R"(","password":"a-brand-new-password"})";
  auto consumed = client().PostJson("/api/v1/password-resets/consume", consume);
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(consumed->status, 204) << consumed->body;
  auto again = client().PostJson("/api/v1/password-resets/consume", consume);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 401);
  EXPECT_EQ(again->ProblemType(), "/problems/auth/reset-token-invalid");

  Credentials renewed = LogInStaff(shop, shop.owner_email, "a-brand-new-password");
  EXPECT_EQ(Call("GET", "/api/v1/shops/aurelle/staff/session", renewed).status, 200);
}

TEST_P(AuthTest, LogOutEndsTheSessionAndStaffActionsAreAudited) {
  TestShop shop = CreateShop("aurelle");
  Credentials owner = LogInStaff(shop, shop.owner_email, shop.owner_password);
  ASSERT_EQ(
      Call("POST", "/api/v1/shops/aurelle/staff-members", owner,
           R"({"email":"care@aurelle.example","name":"Care","roles":["support_agent"],"password":"care-password-1"})")
          .status,
      201);
  auto audit = Call("GET", "/api/v1/shops/aurelle/audit?limit=10", owner);
  ASSERT_EQ(audit.status, 200);
  bool found = false;
  const boost::json::value audit_json = audit.Json();
  for (const auto& entry : audit_json.at("entries").as_array()) {
    EXPECT_EQ(boost::json::serialize(entry.at("details")).find("password"), std::string::npos);
    // The owner herself was created by the system with the shop; the care agent by her.
    if (entry.at("action").as_string() == "staff.created" &&
        entry.at("actor").as_string() == "staff:" + std::to_string(owner.user_id)) {
      found = true;
    }
  }
  EXPECT_TRUE(found) << audit.body;

  EXPECT_EQ(Call("DELETE", "/api/v1/shops/aurelle/staff/session", owner).status, 204);
  auto after = Call("GET", "/api/v1/shops/aurelle/staff/session", owner);
  EXPECT_EQ(after.status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
