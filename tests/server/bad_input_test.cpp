// Hostile and broken requests against the API: each gets a precise problem+json, the
// server keeps serving, and nothing is half-written.

#include <gtest/gtest.h>

#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class BadInputTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("aurelle");
    owner_ = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  }

  struct Case {
    std::string name;
    std::string method;
    std::string target;
    std::string body;
    std::string content_type;
    int status;
    std::string type;
    std::string field;  // JSON pointer, when the problem names one
  };

  TestShop shop_;
  Credentials owner_;
};

TEST_P(BadInputTest, EveryMalformedRequestGetsAPreciseProblemAndWritesNothing) {
  const std::string hooks = "/api/v1/shops/aurelle/webhooks";
  const std::string staff = "/api/v1/shops/aurelle/staff-members";
  const std::vector<Case> cases = {
      {"malformed json", "POST", hooks, R"({"url": "http://x", )", "application/json", 400, "/problems/json/malformed",
       ""},
      {"empty body", "POST", hooks, "", "application/json", 400, "/problems/json/malformed", ""},
      {"array instead of object", "POST", hooks, "[1,2]", "application/json", 400, "/problems/json/not-an-object", ""},
      {"invalid utf-8", "POST", hooks, "{\"url\":\"http://x/\xC0\xAF\",\"event_types\":[\"*\"]}", "application/json",
       400, "/problems/json/invalid-utf8", ""},
      {"wrong content type", "POST", hooks, R"({"url":"http://127.0.0.1/h","event_types":["*"]})", "text/plain", 415,
       "/problems/http/unsupported-media-type", ""},
      {"wrong type", "POST", hooks, R"({"url":42,"event_types":["*"]})", "application/json", 422,
       "/problems/validation/type", "/url"},
      {"missing field", "POST", hooks, R"({"url":"http://127.0.0.1/h"})", "application/json", 422,
       "/problems/validation/required", "/event_types"},
      {"wrong element type", "POST", hooks, R"({"url":"http://127.0.0.1/h","event_types":["*",7]})", "application/json",
       422, "/problems/validation/type", "/event_types/1"},
      {"unknown field", "POST", hooks, R"({"url":"http://127.0.0.1/h","event_types":["*"],"secret":"mine"})",
       "application/json", 422, "/problems/validation/unknown-field", "/secret"},
      {"url with credentials", "POST", hooks, R"({"url":"http://user:pw@127.0.0.1/h","event_types":["*"]})",
       "application/json", 422, "", ""},
      {"not a url", "POST", hooks, R"json({"url":"javascript:alert(1)","event_types":["*"]})json", "application/json",
       422, "", ""},
      {"unknown role", "POST", staff, R"({"email":"a@aurelle.example","name":"A","roles":["overlord"]})",
       "application/json", 422, "/problems/validation/role", "/roles/0"},
      {"bad email", "POST", staff, R"({"email":"not-an-email","name":"A","roles":["admin"]})", "application/json", 422,
       "/problems/validation/format", "/email"},
      {"control characters", "POST", staff,
       "{\"email\":\"a@aurelle.example\",\"name\":\"A\\u0000B\",\"roles\":[\"admin\"]}", "application/json", 422,
       "/problems/validation/control-character", "/name"},
      {"too deep", "POST", hooks, std::string(64, '[') + std::string(64, ']'), "application/json", 400,
       "/problems/json/too-deep", ""},
      {"non-numeric id", "GET", hooks + "/abc", "", "", 404, "/problems/not-found", ""},
      {"negative id", "GET", hooks + "/-5", "", "", 404, "/problems/not-found", ""},
      {"id past int64", "GET", hooks + "/99999999999999999999999", "", "", 404, "/problems/not-found", ""},
      {"limit out of range", "GET", "/api/v1/shops/aurelle/audit?limit=0", "", "", 422, "/problems/validation/range",
       ""},
      {"unknown shop", "GET", "/api/v1/shops/nope/webhooks", "", "", 404, "/problems/not-found", ""},
      {"unknown route", "GET", "/api/v1/nothing-here", "", "", 404, "/problems/not-found", ""},
      {"wrong method", "PUT", hooks, "{}", "application/json", 405, "/problems/http/method-not-allowed", ""},
  };
  for (const Case& c : cases) {
    http::Headers headers = owner_.headers;
    if (!c.content_type.empty()) headers.Set("Content-Type", c.content_type);
    auto response = client().Send(c.method, c.target, c.body, headers);
    ASSERT_TRUE(response.ok()) << c.name;
    EXPECT_EQ(response->status, c.status) << c.name << ": " << response->body;
    EXPECT_EQ(response->headers.Get("Content-Type").value_or(""), "application/problem+json") << c.name;
    if (!c.type.empty()) {
      EXPECT_EQ(response->ProblemType(), c.type) << c.name << ": " << response->body;
    }
    const auto json = response->Json();
    ASSERT_TRUE(json.is_object()) << c.name;
    EXPECT_FALSE(json.at("detail").as_string().empty()) << c.name;
    if (!c.field.empty()) {
      EXPECT_EQ(json.at("field").as_string(), c.field) << c.name;
    }
  }
  // Nothing was written by any of them, and the server still serves.
  EXPECT_TRUE(Call("GET", hooks, owner_).Json().at("webhooks").as_array().empty());
  EXPECT_EQ(Call("GET", staff, owner_).Json().at("staff").as_array().size(), 1u);
  EXPECT_EQ(Call("GET", "/healthz", {}).status, 200);
}

TEST_P(BadInputTest, OversizedBodyIs413AndTheServerLives) {
  http::Headers headers = owner_.headers;
  headers.Set("Content-Type", "application/json");
  const std::string huge =
      R"({"url":"http://127.0.0.1/h","event_types":[")" + std::string(2 * 1024 * 1024, 'a') + "\"]}";
  auto response = client().Send("POST", "/api/v1/shops/aurelle/webhooks", huge, headers);
  if (response.ok()) {
    EXPECT_EQ(response->status, 413);
    EXPECT_EQ(response->ProblemType(), "/problems/http/payload-too-large");
  }
  client().Close();
  EXPECT_EQ(Call("GET", "/healthz", {}).status, 200);
  EXPECT_TRUE(Call("GET", "/api/v1/shops/aurelle/webhooks", owner_).Json().at("webhooks").as_array().empty());
}

TEST_P(BadInputTest, HostileTextIsStoredVerbatimAndReturnedAsJson) {
  const std::string name = "<script>alert(1)</script>\\\"'";
  auto created =
      Call("POST", "/api/v1/shops/aurelle/staff-members", owner_,
           R"({"email":"x@aurelle.example","name":")" + name + R"(","roles":["admin"],"password":"x-password-12"})");
  ASSERT_EQ(created.status, 201) << created.body;
  // The JSON escape \" arrives as a plain quote; nothing is HTML-escaped in JSON.
  EXPECT_EQ(created.Json().at("name").as_string(), "<script>alert(1)</script>\"'");
  EXPECT_EQ(created.headers.Get("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(created.headers.Get("X-Content-Type-Options").value_or(""), "nosniff");
}

INSTANTIATE_TEST_SUITE_P(Backends, BadInputTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
