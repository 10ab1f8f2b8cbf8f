// The staff pages through real HTTP: the form log-in, escaping of hostile names, the
// Content-Security-Policy, and CSRF on the log-out form.

#include <gtest/gtest.h>

#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class WebPagesTest : public ServerFixture {
 protected:
  // Logs in through the HTML form; returns the Cookie header value.
  std::string FormLogIn(const std::string& shop, const std::string& email, const std::string& password) {
    http::Headers headers{{"Content-Type", "application/x-www-form-urlencoded"}};
    auto response =
        client().Send("POST", "/admin/login", "shop=" + shop + "&email=" + email + "&password=" + password, headers);
    EXPECT_TRUE(response.ok());
    if (!response.ok()) return {};
    EXPECT_EQ(response->status, 303) << response->body;
    return "plaza_staff=" + SetCookieValue(response->headers, "plaza_staff");
  }
};

TEST_P(WebPagesTest, HostileNamesRenderInert) {
  auto created = identity().CreateShop({.handle = "evil",
                                        .name = "<script>alert(1)</script>",
                                        .owner_email = "owner@evil.example",
                                        .owner_name = "\"><img src=x onerror=alert(2)>",
                                        .owner_password = "owner-password-evil"});
  ASSERT_TRUE(created.ok()) << created.error().detail;
  const std::string cookie = FormLogIn("evil", "owner%40evil.example", "owner-password-evil");
  auto page = client().Get("/admin", {{"Cookie", cookie}});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->status, 200);
  EXPECT_EQ(page->body.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(page->body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(page->body.find("<img src=x"), std::string::npos);
  EXPECT_NE(page->body.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  const std::string csp(page->headers.Get("Content-Security-Policy").value_or(""));
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
}

TEST_P(WebPagesTest, WrongPasswordShowsAnErrorAndNoCookie) {
  CreateShop("aurelle");
  http::Headers headers{{"Content-Type", "application/x-www-form-urlencoded"}};
  auto response =
      client().Send("POST", "/admin/login", "shop=aurelle&email=owner%40aurelle.example&password=wrong", headers);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 401);
  EXPECT_NE(response->body.find("role=\"alert\""), std::string::npos);
  EXPECT_TRUE(SetCookieValue(response->headers, "plaza_staff").empty());
  // The e-mail is kept in the form, escaped.
  EXPECT_NE(response->body.find("value=\"owner@aurelle.example\""), std::string::npos);
}

TEST_P(WebPagesTest, LogOutNeedsTheFormsCsrfToken) {
  TestShop shop = CreateShop("aurelle");
  const std::string cookie = FormLogIn("aurelle", "owner%40aurelle.example", shop.owner_password);
  http::Headers headers{{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}};
  auto forged = client().Send("POST", "/admin/logout", "csrf_token=guess", headers);
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(forged->status, 403);
  auto still_in = client().Get("/admin", {{"Cookie", cookie}});
  ASSERT_TRUE(still_in.ok());
  EXPECT_EQ(still_in->status, 200);

  auto session = client().Get("/api/v1/shops/aurelle/staff/session", {{"Cookie", cookie}});
  ASSERT_TRUE(session.ok());
  const std::string csrf(session->Json().at("csrf_token").as_string());
  auto logged_out = client().Send("POST", "/admin/logout", "csrf_token=" + csrf, headers);
  ASSERT_TRUE(logged_out.ok());
  EXPECT_EQ(logged_out->status, 303);
  auto after = client().Get("/admin", {{"Cookie", cookie}});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, 303);
  EXPECT_EQ(after->headers.Get("Location").value_or(""), "/admin/login");
}

TEST_P(WebPagesTest, BrowsersGetAnHtmlNotFoundAndApisAProblem) {
  auto page = client().Get("/no/such/page", {{"Accept", "text/html"}});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, 404);
  EXPECT_NE(page->headers.Get("Content-Type").value_or("").find("text/html"), std::string::npos);
  auto api = client().Get("/api/v1/no/such/thing", {{"Accept", "text/html"}});
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(api->status, 404);
  EXPECT_EQ(api->headers.Get("Content-Type").value_or(""), "application/problem+json");
}

TEST_P(WebPagesTest, AnInvitationLinkSetsThePasswordOnce) {
  auto created = identity().CreateShop({.handle = "invites",
                                        .name = "Invites",
                                        .owner_email = "owner@invites.example",
                                        .owner_name = "Owner",
                                        .owner_password = "owner-password-invites"});
  ASSERT_TRUE(created.ok()) << created.error().detail;
  identity::Principal owner;
  owner.shop_id = created->shop.id;
  owner.user_id = created->owner.id;
  owner.roles = {identity::Role::kOwner};
  auto invited = identity().CreateStaff(
      owner, created->shop.id,
      {.email = "agent@invites.example", .name = "Agent", .roles = {identity::Role::kSupportAgent}});
  ASSERT_TRUE(invited.ok()) << invited.error().detail;
  ASSERT_TRUE(invited->invitation_token.has_value());
  const std::string token = *invited->invitation_token;

  auto page = client().Get("/admin/invitation?token=" + token, {{"Accept", "text/html"}});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("value=\"" + token + "\""), std::string::npos);
  EXPECT_EQ(page->headers.Get("Referrer-Policy").value_or(""), "no-referrer");

  const http::Headers form{{"Content-Type", "application/x-www-form-urlencoded"}};
  auto cross_site =
      client().Send("POST", "/admin/invitation", "token=" + token + "&password=agent-password-1",
                    {{"Content-Type", "application/x-www-form-urlencoded"}, {"Origin", "https://evil.example"}});
  ASSERT_TRUE(cross_site.ok());
  EXPECT_EQ(cross_site->status, 403);

  auto set = client().Send("POST", "/admin/invitation", "token=" + token + "&password=agent-password-1", form);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->status, 303) << set->body;
  EXPECT_EQ(set->headers.Get("Location").value_or(""), "/admin/login");
  EXPECT_NE(FormLogIn("invites", "agent%40invites.example", "agent-password-1"), "plaza_staff=");

  auto again = client().Send("POST", "/admin/invitation", "token=" + token + "&password=another-password-2", form);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 401);
  EXPECT_NE(again->body.find("expired or was already used"), std::string::npos);
}

TEST_P(WebPagesTest, PagesAreGzippedForBrowsersThatAskAndApisStayPlain) {
  // The stylesheet: a browser asset well above the compression threshold.
  auto page = client().Get("/assets/plaza.css", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->headers.Get("Content-Encoding").value_or(""), "gzip");
  EXPECT_EQ(page->headers.Get("Vary").value_or(""), "Accept-Encoding");
  // The gzip magic number, not the stylesheet's own text.
  ASSERT_GE(page->body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(page->body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(page->body[1]), 0x8b);

  auto plain = client().Get("/assets/plaza.css");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->headers.Has("Content-Encoding"));
  EXPECT_TRUE(plain->body.starts_with(":root{"));
  EXPECT_GT(plain->body.size(), page->body.size());

  auto api = client().Get("/api/openapi.json", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(api->status, 200);
  EXPECT_FALSE(api->headers.Has("Content-Encoding"));
}

INSTANTIATE_TEST_SUITE_P(Backends, WebPagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

// A shop behind a proxy: links that leave the page name the public URL, not the listen
// address.
class PublicUrlTest : public ServerFixture {
 protected:
  std::map<std::string, std::string> ExtraFlags() const override { return {{"public_url", "https://shop.example/"}}; }
};

TEST_P(PublicUrlTest, RobotsAndCanonicalLinksNameThePublicUrl) {
  auto created = identity().CreateShop({.handle = "proxied",
                                        .name = "Proxied",
                                        .owner_email = "owner@proxied.example",
                                        .owner_name = "Owner",
                                        .owner_password = "owner-password-proxied"});
  ASSERT_TRUE(created.ok()) << created.error().detail;
  auto robots = client().Get("/robots.txt");
  ASSERT_TRUE(robots.ok());
  EXPECT_NE(robots->body.find("Sitemap: https://shop.example/sitemap.xml"), std::string::npos) << robots->body;
  auto home = client().Get("/");
  ASSERT_TRUE(home.ok());
  EXPECT_EQ(home->status, 200);
  EXPECT_NE(home->body.find("<link rel=\"canonical\" href=\"https://shop.example/\">"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, PublicUrlTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
