// The admin's promotions, markets and shipping, staff, tokens, webhooks and import pages,
// over real HTTP with the form log-in's cookie, on SQLite and PostgreSQL.

#include <gtest/gtest.h>

#include <cctype>
#include <regex>
#include <string>
#include <vector>

#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string Encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char raw : value) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string FormBody(const Fields& fields) {
  std::string body;
  for (const auto& [name, value] : fields) body += (body.empty() ? "" : "&") + Encode(name) + "=" + Encode(value);
  return body;
}

// The first capture of `pattern` in `text`, or "".
std::string Capture(const std::string& text, const std::string& pattern) {
  std::smatch match;
  return std::regex_search(text, match, std::regex(pattern)) ? match[1].str() : std::string();
}

class AdminSettingsPagesTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("aurelle");
    cookie_ = FormLogIn("owner@aurelle.example", shop_.owner_password);
    api_ = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  }

  std::string FormLogIn(const std::string& email, const std::string& password, const std::string& shop = "aurelle") {
    http::Headers headers{{"Content-Type", "application/x-www-form-urlencoded"}};
    auto response = client().Send("POST", "/admin/login",
                                  FormBody({{"shop", shop}, {"email", email}, {"password", password}}), headers);
    EXPECT_TRUE(response.ok());
    if (!response.ok()) return {};
    EXPECT_EQ(response->status, 303) << response->body;
    return "plaza_staff=" + SetCookieValue(response->headers, "plaza_staff");
  }

  http::testing::ClientResponse Page(const std::string& path, const std::string& cookie = {}) {
    auto response = client().Get(path, {{"Cookie", cookie.empty() ? cookie_ : cookie}});
    EXPECT_TRUE(response.ok());
    return *response;
  }

  // Posts `fields` with the CSRF token the page at `form_page` carries.
  http::testing::ClientResponse Post(const std::string& form_page, const std::string& action, Fields fields,
                                     bool with_csrf = true, const std::string& cookie = {}) {
    const std::string who = cookie.empty() ? cookie_ : cookie;
    if (with_csrf) {
      const std::string csrf = Capture(Page(form_page, who).body, R"re(name="csrf_token" value="([^"]+)")re");
      EXPECT_FALSE(csrf.empty());
      fields.emplace_back("csrf_token", csrf);
    }
    http::Headers headers{{"Cookie", who}, {"Content-Type", "application/x-www-form-urlencoded"}};
    auto response = client().Send("POST", action, FormBody(fields), headers);
    EXPECT_TRUE(response.ok());
    return *response;
  }

  std::string Api(const std::string& path) { return "/api/v1/shops/aurelle" + path; }

  TestShop shop_;
  std::string cookie_;
  Credentials api_;  // the owner's session, to read back through the API
};

Fields Promotion(std::string title, std::string percent) {
  return {{"title", std::move(title)}, {"kind", "percentage"}, {"percent_off", std::move(percent)}, {"active", "on"},
          {"combines_shipping", "on"}, {"priority", "0"}};
}

TEST_P(AdminSettingsPagesTest, CreatesAPromotionAndACodeThroughTheForms) {
  auto created = Post("/admin/promotions/new", "/admin/promotions", Promotion("Winter sale", "15"));
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string location(created.headers.Get("Location").value_or(""));
  ASSERT_TRUE(location.starts_with("/admin/promotions/")) << location;
  EXPECT_TRUE(location.ends_with("?notice=created"));
  const std::string page_path = location.substr(0, location.find('?'));

  auto code = Post(page_path, page_path + "/codes", {{"code", "WINTER15"}, {"creator", "ana"}});
  ASSERT_EQ(code.status, 303) << code.body;

  auto listed = Call("GET", Api("/promotions"), api_);
  ASSERT_EQ(listed.status, 200);
  const boost::json::value listed_json = listed.Json();
  const auto& promotions = listed_json.at("promotions").as_array();
  ASSERT_EQ(promotions.size(), 1u);
  EXPECT_EQ(promotions.at(0).at("title").as_string(), "Winter sale");
  EXPECT_EQ(promotions.at(0).at("percent_off").as_int64(), 1500);
  const std::string id = std::to_string(promotions.at(0).at("id").as_int64());
  auto codes = Call("GET", Api("/promotions/" + id + "/codes"), api_);
  ASSERT_EQ(codes.Json().at("codes").as_array().size(), 1u);
  EXPECT_EQ(codes.Json().at("codes").at(0).at("creator").as_string(), "ana");

  const auto list_page = Page("/admin/promotions");
  EXPECT_NE(list_page.body.find("Winter sale"), std::string::npos);
  EXPECT_NE(Page(page_path).body.find("WINTER15"), std::string::npos);

  auto deactivated = Post(page_path, page_path + "/deactivate", {});
  ASSERT_EQ(deactivated.status, 303);
  EXPECT_FALSE(Call("GET", Api("/promotions/" + id), api_).Json().at("active").as_bool());
}

TEST_P(AdminSettingsPagesTest, BadPromotionValuesShowTheFieldErrorAndWriteNothing) {
  auto negative = Post("/admin/promotions/new", "/admin/promotions", Promotion("Negative", "-5"));
  EXPECT_EQ(negative.status, 422);
  EXPECT_NE(negative.body.find("id=\"f-percent_off-error\""), std::string::npos) << negative.body;
  EXPECT_NE(negative.body.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(negative.body.find("value=\"Negative\""), std::string::npos);  // what was typed stays

  Fields fixed{{"title", "Ten off"}, {"kind", "fixed_amount"}, {"amount", "10.00"}, {"currency", "XYZ"}};
  auto currency = Post("/admin/promotions/new", "/admin/promotions", fixed);
  EXPECT_EQ(currency.status, 422);
  EXPECT_NE(currency.body.find("id=\"f-currency-error\""), std::string::npos);

  Fields window = Promotion("Backwards", "10");
  window.emplace_back("starts_at", "2027-01-10T00:00");
  window.emplace_back("ends_at", "2027-01-01T00:00");
  auto backwards = Post("/admin/promotions/new", "/admin/promotions", window);
  EXPECT_EQ(backwards.status, 422);
  EXPECT_NE(backwards.body.find("id=\"f-ends_at-error\""), std::string::npos) << backwards.body;

  EXPECT_EQ(Call("GET", Api("/promotions"), api_).Json().at("promotions").as_array().size(), 0u);
}

TEST_P(AdminSettingsPagesTest, MarketTaxAndShippingSettingsReachTheStorefront) {
  auto market = Post("/admin/settings", "/admin/settings/markets",
                     {{"m_name", "Europe"},
                      {"m_handle", "eu"},
                      {"m_countries", "fr, de"},
                      {"m_currency", "EUR"},
                      {"m_taxes_included", "on"}});
  ASSERT_EQ(market.status, 303) << market.body;
  auto markets = Call("GET", Api("/storefront/markets"), {});
  ASSERT_EQ(markets.status, 200);
  ASSERT_EQ(markets.Json().at("markets").as_array().size(), 1u);
  EXPECT_EQ(markets.Json().at("markets").at(0).at("currency").as_string(), "EUR");
  const std::string market_id =
      std::to_string(Call("GET", Api("/markets"), api_).Json().at("markets").at(0).at("id").as_int64());

  auto unknown = Post("/admin/settings", "/admin/settings/markets",
                      {{"m_name", "Mars"}, {"m_handle", "mars"}, {"m_countries", "US"}, {"m_currency", "QQQ"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_NE(unknown.body.find("id=\"f-m_currency-error\""), std::string::npos);
  EXPECT_EQ(Call("GET", Api("/storefront/markets"), {}).Json().at("markets").as_array().size(), 1u);

  auto tax =
      Post("/admin/settings", "/admin/settings/tax-rates",
           {{"t_market", market_id}, {"t_region", "FR"}, {"t_class", "standard"}, {"t_rate", "20"}, {"t_name", "VAT"}});
  ASSERT_EQ(tax.status, 303) << tax.body;
  auto rates = Call("GET", Api("/markets/" + market_id + "/tax-rates"), api_);
  ASSERT_EQ(rates.status, 200) << rates.body;
  EXPECT_NE(rates.body.find("VAT"), std::string::npos);

  auto zone = Post("/admin/settings", "/admin/settings/zones", {{"z_name", "Europe"}, {"z_destinations", "FR, DE"}});
  ASSERT_EQ(zone.status, 303) << zone.body;
  const std::string zone_id = Capture(Page("/admin/settings").body, R"re(<option value="(\d+)">Europe</option>)re");
  ASSERT_FALSE(zone_id.empty());
  auto rate = Post("/admin/settings", "/admin/settings/rates",
                   {{"r_zone", zone_id},
                    {"r_name", "Colissimo"},
                    {"r_kind", "free_over"},
                    {"r_currency", "EUR"},
                    {"r_price", "4.90"},
                    {"r_min", "50.00"},
                    {"r_transit_min", "2"},
                    {"r_transit_max", "4"}});
  ASSERT_EQ(rate.status, 303) << rate.body;
  auto bad_rate = Post("/admin/settings", "/admin/settings/rates",
                       {{"r_zone", zone_id},
                        {"r_name", "Broken"},
                        {"r_kind", "flat"},
                        {"r_currency", "EUR"},
                        {"r_price", "-1"},
                        {"r_transit_min", "2"},
                        {"r_transit_max", "4"}});
  EXPECT_EQ(bad_rate.status, 422);
  EXPECT_NE(bad_rate.body.find("id=\"f-r_price-error\""), std::string::npos);

  auto zones = Call("GET", Api("/shipping/zones/" + zone_id + "/rates"), api_);
  ASSERT_EQ(zones.status, 200) << zones.body;
  EXPECT_NE(zones.body.find("Colissimo"), std::string::npos);
  EXPECT_EQ(zones.body.find("Broken"), std::string::npos);

  auto preview = Page("/admin/settings?preview_country=FR");
  EXPECT_NE(preview.body.find("Colissimo</strong>: Arrives"), std::string::npos) << preview.body;
}

TEST_P(AdminSettingsPagesTest, InvitesStaffAndIssuesAndRevokesAToken) {
  Fields invite{{"name", "Ana"}, {"email", "ana@aurelle.example"}, {"role_marketer", "on"}};
  auto invited = Post("/admin/team", "/admin/team", invite);
  EXPECT_EQ(invited.status, 201) << invited.body;
  EXPECT_NE(invited.body.find("/admin/invitation?token="), std::string::npos);
  EXPECT_NE(Page("/admin/team").body.find("ana@aurelle.example"), std::string::npos);

  Fields token_form{{"name", "ERP sync"}, {"scope_promotions:write", "on"}};
  auto created = Post("/admin/tokens", "/admin/tokens", token_form);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string secret = Capture(created.body, R"(<code class="token">(plz_[^<]+)</code>)");
  ASSERT_FALSE(secret.empty());
  const auto listing = Page("/admin/tokens");
  EXPECT_EQ(listing.body.find(secret), std::string::npos);  // shown once only
  Credentials bearer{.headers = {{"Authorization", "Bearer " + secret}}, .csrf_token = {}, .user_id = 0};
  EXPECT_EQ(Call("GET", Api("/promotions"), bearer).status, 200);

  const std::string revoke = Capture(listing.body, R"re(ERP sync</td>[\s\S]*?action="(/admin/tokens/\d+/revoke)")re");
  ASSERT_FALSE(revoke.empty());
  auto revoked = Post("/admin/tokens", revoke, {});
  EXPECT_EQ(revoked.status, 303);
  EXPECT_EQ(Call("GET", Api("/promotions"), bearer).status, 401);
}

TEST_P(AdminSettingsPagesTest, CreatesAndDeactivatesAWebhookSubscription) {
  auto created = Post("/admin/webhooks", "/admin/webhooks",
                      {{"url", "https://hooks.example/plaza"}, {"event_types", "order.created, product.updated"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_NE(created.body.find("signing secret"), std::string::npos);
  auto listed = Call("GET", Api("/webhooks"), api_);
  ASSERT_EQ(listed.Json().at("webhooks").as_array().size(), 1u);
  EXPECT_EQ(listed.Json().at("webhooks").at(0).at("event_types").as_array().size(), 2u);

  auto bad = Post("/admin/webhooks", "/admin/webhooks", {{"url", "ftp://nope"}, {"event_types", "*"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("id=\"f-url-error\""), std::string::npos) << bad.body;

  const std::string deactivate =
      Capture(Page("/admin/webhooks").body, R"re(action="(/admin/webhooks/\d+/deactivate)")re");
  ASSERT_FALSE(deactivate.empty());
  EXPECT_EQ(Post("/admin/webhooks", deactivate, {}).status, 303);
  EXPECT_FALSE(Call("GET", Api("/webhooks"), api_).Json().at("webhooks").at(0).at("active").as_bool());
}

TEST_P(AdminSettingsPagesTest, CsvDryRunReportsTheBrokenRowThenTheImportCreatesProducts) {
  const std::string csv =
      "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Status,Published\n"
      "good-tee,Good tee,Size,S,GT-S,19.00,active,TRUE\n"
      "bad-tee,Bad <b>tee</b>,Size,S,BT-S,not-a-price,active,TRUE\n";
  auto dry = Post("/admin/import", "/admin/import", {{"csv", csv}, {"dry_run", "on"}});
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_NE(dry.body.find("nothing was written"), std::string::npos);
  EXPECT_NE(dry.body.find("<tr><td>3</td><td>Variant Price</td><td>bad-tee</td>"), std::string::npos) << dry.body;
  EXPECT_EQ(Call("GET", Api("/products"), api_).Json().at("products").as_array().size(), 0u);

  auto real = Post("/admin/import", "/admin/import", {{"csv", csv}});
  ASSERT_EQ(real.status, 200) << real.body;
  EXPECT_NE(real.body.find("<dt>Products created</dt><dd>1</dd>"), std::string::npos) << real.body;
  const auto products = Call("GET", Api("/products"), api_).Json().at("products").as_array();
  ASSERT_EQ(products.size(), 1u);
  EXPECT_EQ(products.at(0).at("handle").as_string(), "good-tee");

  auto empty = Post("/admin/import", "/admin/import", {{"csv", " "}});
  EXPECT_EQ(empty.status, 422);
  EXPECT_NE(empty.body.find("id=\"f-csv-error\""), std::string::npos);
}

TEST_P(AdminSettingsPagesTest, FormsWithoutTheCsrfTokenChangeNothing) {
  auto promotion = Post("/admin/promotions/new", "/admin/promotions", Promotion("Forged", "50"), false);
  EXPECT_EQ(promotion.status, 403);
  auto market =
      Post("/admin/settings", "/admin/settings/markets",
           {{"m_name", "Forged"}, {"m_handle", "forged"}, {"m_countries", "FR"}, {"m_currency", "EUR"}}, false);
  EXPECT_EQ(market.status, 403);
  auto token = Post("/admin/tokens", "/admin/tokens", {{"name", "Forged"}, {"scope_promotions:write", "on"}}, false);
  EXPECT_EQ(token.status, 403);
  EXPECT_EQ(Call("GET", Api("/promotions"), api_).Json().at("promotions").as_array().size(), 0u);
  EXPECT_EQ(Call("GET", Api("/markets"), api_).Json().at("markets").as_array().size(), 0u);
  EXPECT_EQ(Page("/admin/tokens").body.find("Forged"), std::string::npos);
}

TEST_P(AdminSettingsPagesTest, AMarketerCannotOpenTheTeamPages) {
  StaffWithRoles(shop_, "mia@aurelle.example", {identity::Role::kMarketer});
  const std::string marketer = FormLogIn("mia@aurelle.example", "password-of-mia@aurelle.example");
  EXPECT_EQ(Page("/admin/team", marketer).status, 403);
  EXPECT_EQ(Page("/admin/tokens", marketer).status, 403);
  EXPECT_EQ(Page("/admin/webhooks", marketer).status, 403);
  auto invite = Post("/admin/promotions", "/admin/team",
                     {{"name", "Eve"}, {"email", "eve@aurelle.example"}, {"role_owner", "on"}}, false, marketer);
  EXPECT_EQ(invite.status, 403);
  EXPECT_EQ(Page("/admin/team").body.find("eve@aurelle.example"), std::string::npos);
}

TEST_P(AdminSettingsPagesTest, HostileValuesAreEscaped) {
  const std::string hostile = "<script>alert(1)</script>";
  auto created = Post("/admin/promotions/new", "/admin/promotions", Promotion(hostile, "10"));
  ASSERT_EQ(created.status, 303) << created.body;
  auto rejected = Post("/admin/promotions/new", "/admin/promotions", Promotion("\"><img src=x onerror=alert(2)>", "x"));
  EXPECT_EQ(rejected.status, 422);
  auto webhook = Post("/admin/webhooks", "/admin/webhooks",
                      {{"url", "https://hooks.example/a"}, {"event_types", "<img src=x onerror=alert(3)>"}});
  for (const std::string& body : {Page("/admin/promotions").body, rejected.body, Page("/admin/webhooks").body}) {
    EXPECT_EQ(body.find("<script>alert"), std::string::npos);
    EXPECT_EQ(body.find("<img src=x"), std::string::npos);
  }
  EXPECT_NE(Page("/admin/promotions").body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(rejected.body.find("value=\"&quot;&gt;&lt;img src=x onerror=alert(2)&gt;\""), std::string::npos);
}

TEST_P(AdminSettingsPagesTest, AnotherShopsRecordsAnswerNotFound) {
  TestShop other = CreateShop("borealis");
  const std::string other_cookie = FormLogIn(other.owner_email, other.owner_password, "borealis");
  auto created = Post("/admin/promotions/new", "/admin/promotions", Promotion("Theirs", "30"), true, other_cookie);
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string location(created.headers.Get("Location").value_or(""));
  const std::string theirs = location.substr(0, location.find('?'));
  ASSERT_FALSE(theirs.empty());

  EXPECT_EQ(Page(theirs).status, 404);
  EXPECT_EQ(Post("/admin/promotions", theirs + "/deactivate", {}).status, 404);
  EXPECT_EQ(Post("/admin/promotions", theirs, Promotion("Hijacked", "90")).status, 404);
  EXPECT_EQ(Post("/admin/team", "/admin/team/" + std::to_string(other.owner_id) + "/disable", {}).status, 404);
  const auto still = Page(theirs, other_cookie);
  EXPECT_EQ(still.status, 200);
  EXPECT_NE(still.body.find("value=\"Theirs\""), std::string::npos);
  EXPECT_NE(still.body.find(">Deactivate</button>"), std::string::npos);  // still active
}

INSTANTIATE_TEST_SUITE_P(Backends, AdminSettingsPagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
