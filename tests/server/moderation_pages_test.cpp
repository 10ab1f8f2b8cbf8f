// The moderation pages over real HTTP: the admin queue (a flagged item, its flags and the
// action form, dismissing with CSRF), keyword rules (add, edit, delete with field errors
// and nothing written, the "test a text" preview), bans and warnings, refusals without
// CSRF or moderation.act, another shop's ids answering 404, and the storefront report
// form of a signed-in customer landing in the queue exactly once. Hostile text is escaped.

#include <gtest/gtest.h>

#include <cctype>
#include <regex>
#include <string>

#include "plaza/moderation/moderation.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

std::string Capture(const std::string& text, const std::string& pattern) {
  std::smatch match;
  return std::regex_search(text, match, std::regex(pattern)) ? match[1].str() : std::string();
}

class ModerationPagesTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("civil");
    StaffWithRoles(shop_, "mod@civil.example", {identity::Role::kModerator});
    StaffWithRoles(shop_, "agent@civil.example", {identity::Role::kSupportAgent});
  }

  std::string FormLogIn(const std::string& email, const std::string& password) {
    http::Headers headers{{"Content-Type", "application/x-www-form-urlencoded"}};
    auto response = client().Send("POST", "/admin/login",
                                  "shop=civil&email=" + Escape(email) + "&password=" + Escape(password), headers);
    EXPECT_TRUE(response.ok());
    if (!response.ok()) return {};
    EXPECT_EQ(response->status, 303) << response->body;
    return "plaza_staff=" + SetCookieValue(response->headers, "plaza_staff");
  }

  static std::string Escape(const std::string& text) { return std::regex_replace(text, std::regex("@"), "%40"); }

  http::testing::ClientResponse Page(const std::string& path, const std::string& cookie) {
    auto response = client().Get(path, {{"Cookie", cookie}});
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  http::testing::ClientResponse PostForm(const std::string& path, const std::string& cookie, const std::string& body) {
    http::Headers headers{{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}};
    auto response = client().Send("POST", path, body, headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  // A queue item flagged through the service, for a profile (no module owns profiles as content).
  std::int64_t FlaggedItem(const std::string& reason) {
    moderation::ModerationService service(db(), clock());
    EXPECT_TRUE(db().Write([&](store::Transaction& tx) {
                      return service.FlagForReview(tx, shop_.id, {moderation::ContentKind::kProfile, 77}, reason);
                    })
                    .ok());
    auto id = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM moderation_items WHERE shop_id = ?", {shop_.id}));
      return row->Int(0);
    });
    return id.ok() ? *id : 0;
  }

  std::int64_t Count(const std::string& table) {
    auto count = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM " + table + " WHERE shop_id = ?", {shop_.id}));
      return row->Int(0);
    });
    EXPECT_TRUE(count.ok());
    return count.ok() ? *count : -1;
  }

  std::int64_t OnlyRuleId() {
    auto id = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM moderation_rules WHERE shop_id = ?", {shop_.id}));
      return row->Int(0);
    });
    return id.ok() ? *id : 0;
  }

  static std::string UrlEncode(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char raw : text) {
      const auto c = static_cast<unsigned char>(raw);
      if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.') {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
    return out;
  }

  static std::string CookieOf(const Credentials& credentials) {
    return std::string(credentials.headers.Get("Cookie").value_or(""));
  }

  // A signed-up customer with a social profile `handle`.
  Credentials WithProfile(const std::string& handle, std::int64_t* profile_id = nullptr) {
    Credentials person = SignUpCustomer(shop_, handle + "@example.com");
    auto created = Call("POST", "/api/v1/shops/civil/customer/social/profile", person,
                        R"({"handle":")" + handle + R"(","display_name":"The )" + handle + R"("})");
    EXPECT_EQ(created.status, 201) << created.body;
    if (profile_id != nullptr && created.status == 201) *profile_id = created.Json().at("id").as_int64();
    return person;
  }

  std::int64_t SubmitIdea(const Credentials& author, const std::string& title) {
    auto created = Call("POST", "/api/v1/shops/civil/customer/social/ideas", author,
                        R"({"title":")" + title + R"(","description":"Folds flat."})");
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.Json().at("id").as_int64() : 0;
  }

  std::string CsrfOf(const std::string& path, const std::string& cookie) {
    return Capture(Page(path, cookie).body, R"re(name="csrf_token" value="([^"]+)")re");
  }

  TestShop shop_;
};

TEST_P(ModerationPagesTest, ModeratorSeesTheQueueAndDismissesAnItem) {
  const std::int64_t item = FlaggedItem("<b>burst</b>");
  const std::string cookie = FormLogIn("mod@civil.example", "password-of-mod@civil.example");
  auto queue = Page("/admin/moderation", cookie);
  ASSERT_EQ(queue.status, 200) << queue.body;
  EXPECT_NE(queue.body.find("profile #77"), std::string::npos);
  EXPECT_NE(queue.body.find("&lt;b&gt;burst&lt;/b&gt;"), std::string::npos);  // flags are text, escaped
  EXPECT_EQ(queue.body.find("<b>burst</b>"), std::string::npos);

  const std::string item_path = "/admin/moderation/" + std::to_string(item);
  auto page = Page(item_path, cookie);
  ASSERT_EQ(page.status, 200) << page.body;
  const std::string csrf = Capture(page.body, R"re(name="csrf_token" value="([^"]+)")re");
  ASSERT_FALSE(csrf.empty());
  EXPECT_NE(page.body.find("<label for=\"f-action\""), std::string::npos);

  EXPECT_EQ(PostForm(item_path, cookie, "action=dismiss").status, 403);  // no CSRF token
  auto hide = PostForm(item_path, cookie, "action=hide&csrf_token=" + csrf);
  EXPECT_EQ(hide.status, 422);
  EXPECT_NE(hide.body.find("role=\"alert\""), std::string::npos);
  auto dismissed = PostForm(item_path, cookie, "action=dismiss&note=fine&csrf_token=" + csrf);
  ASSERT_EQ(dismissed.status, 303) << dismissed.body;
  EXPECT_EQ(dismissed.headers.Get("Location"), "/admin/moderation?notice=saved");
  EXPECT_NE(Page("/admin/moderation", cookie).body.find("Nothing is waiting"), std::string::npos);
  EXPECT_NE(Page("/admin/moderation?state=resolved", cookie).body.find("profile #77"), std::string::npos);
  EXPECT_EQ(Page("/admin/moderation/999999", cookie).status, 404);
}

TEST_P(ModerationPagesTest, StaffWithoutModerationGet403) {
  const std::string cookie = FormLogIn("agent@civil.example", "password-of-agent@civil.example");
  EXPECT_EQ(Page("/admin/moderation", cookie).status, 403);
}

TEST_P(ModerationPagesTest, KeywordRulesAreAddedEditedAndDeletedWithErrorsAtTheField) {
  const std::string cookie = FormLogIn("mod@civil.example", "password-of-mod@civil.example");
  auto empty = Page("/admin/moderation/rules", cookie);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_NE(empty.body.find("No keyword rules yet"), std::string::npos);
  const std::string csrf = Capture(empty.body, R"re(name="csrf_token" value="([^"]+)")re");
  ASSERT_FALSE(csrf.empty());
  EXPECT_NE(empty.body.find("<label for=\"f-pattern\""), std::string::npos);

  EXPECT_EQ(PostForm("/admin/moderation/rules", cookie, "pattern=bad&action=mask").status, 403);
  auto blank = PostForm("/admin/moderation/rules", cookie, "pattern=&action=mask&csrf_token=" + csrf);
  EXPECT_EQ(blank.status, 422);
  EXPECT_NE(blank.body.find("role=\"alert\""), std::string::npos);
  EXPECT_NE(blank.body.find("Enter the word or phrase"), std::string::npos);
  EXPECT_EQ(PostForm("/admin/moderation/rules", cookie, "pattern=bad&action=explode&csrf_token=" + csrf).status, 422);
  auto punctuation = PostForm("/admin/moderation/rules", cookie, "pattern=%21%21%21&action=mask&csrf_token=" + csrf);
  EXPECT_EQ(punctuation.status, 422);
  EXPECT_NE(punctuation.body.find("at least one letter"), std::string::npos);
  EXPECT_EQ(Count("moderation_rules"), 0);

  auto created = PostForm("/admin/moderation/rules", cookie, "pattern=bad&action=mask&csrf_token=" + csrf);
  ASSERT_EQ(created.status, 303) << created.body;
  EXPECT_EQ(created.headers.Get("Location"), "/admin/moderation/rules?notice=created");
  EXPECT_EQ(PostForm("/admin/moderation/rules", cookie, "pattern=BAD&action=hold&csrf_token=" + csrf).status, 422);
  EXPECT_EQ(Count("moderation_rules"), 1);

  const std::int64_t id = OnlyRuleId();
  const std::string rule_path = "/admin/moderation/rules/" + std::to_string(id);
  auto edit = Page(rule_path, cookie);
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_NE(edit.body.find("value=\"bad\""), std::string::npos);
  EXPECT_EQ(PostForm(rule_path, cookie, "pattern=&action=hold&csrf_token=" + csrf).status, 422);
  EXPECT_EQ(PostForm(rule_path, cookie, "pattern=worse&action=hold").status, 403);
  auto saved = PostForm(rule_path, cookie, "pattern=%3Ci%3Eworse%3C%2Fi%3E&action=hold&csrf_token=" + csrf);
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto list = Page("/admin/moderation/rules", cookie);
  EXPECT_NE(list.body.find("&lt;i&gt;worse&lt;/i&gt;"), std::string::npos);
  EXPECT_EQ(list.body.find("<i>worse</i>"), std::string::npos);
  EXPECT_NE(list.body.find("<td>hold</td>"), std::string::npos);

  EXPECT_EQ(PostForm(rule_path + "/delete", cookie, "").status, 403);
  EXPECT_EQ(Count("moderation_rules"), 1);
  auto deleted = PostForm(rule_path + "/delete", cookie, "csrf_token=" + csrf);
  ASSERT_EQ(deleted.status, 303) << deleted.body;
  EXPECT_EQ(deleted.headers.Get("Location"), "/admin/moderation/rules?notice=deleted");
  EXPECT_EQ(Count("moderation_rules"), 0);
  EXPECT_EQ(PostForm(rule_path + "/delete", cookie, "csrf_token=" + csrf).status, 404);
  EXPECT_EQ(Page(rule_path, cookie).status, 404);
}

TEST_P(ModerationPagesTest, TestingATextShowsTheVerdictAndMasksALookAlikeSpelling) {
  const std::string cookie = FormLogIn("mod@civil.example", "password-of-mod@civil.example");
  const std::string csrf = CsrfOf("/admin/moderation/rules", cookie);
  ASSERT_EQ(PostForm("/admin/moderation/rules", cookie, "pattern=bad&action=mask&csrf_token=" + csrf).status, 303);
  ASSERT_EQ(PostForm("/admin/moderation/rules", cookie, "pattern=scam*&action=hold&csrf_token=" + csrf).status, 303);

  // "b\u0430d" spells the word with a Cyrillic а.
  auto masked = Page("/admin/moderation/rules?text=" + UrlEncode("a b\u0430d <b>day</b>"), cookie);
  ASSERT_EQ(masked.status, 200) << masked.body;
  EXPECT_NE(masked.body.find("Masked: stored with the matched words replaced."), std::string::npos);
  EXPECT_NE(masked.body.find("a *** &lt;b&gt;day&lt;/b&gt;"), std::string::npos) << masked.body;
  EXPECT_EQ(masked.body.find("<b>day</b>"), std::string::npos);

  auto held = Page("/admin/moderation/rules?text=" + UrlEncode("big scams here"), cookie);
  EXPECT_NE(held.body.find("Held: kept out of sight"), std::string::npos);
  EXPECT_NE(held.body.find("scam*"), std::string::npos);
  auto allowed = Page("/admin/moderation/rules?text=" + UrlEncode("badminton"), cookie);
  EXPECT_NE(allowed.body.find("Allowed: stored as written."), std::string::npos);
  EXPECT_EQ(Count("moderation_rules"), 2);  // testing writes nothing
}

TEST_P(ModerationPagesTest, StaffWithoutModerationAndOtherShopsRulesAreRefused) {
  const std::string agent = FormLogIn("agent@civil.example", "password-of-agent@civil.example");
  for (const std::string path : {"/admin/moderation/rules", "/admin/moderation/bans", "/admin/moderation/warnings"}) {
    EXPECT_EQ(Page(path, agent).status, 403) << path;
  }
  EXPECT_EQ(PostForm("/admin/moderation/rules", agent, "pattern=bad&action=mask").status, 403);
  EXPECT_EQ(Count("moderation_rules"), 0);

  const TestShop other = CreateShop("other");
  const Credentials other_owner = LogInStaff(other, other.owner_email, other.owner_password);
  auto foreign =
      Call("POST", "/api/v1/shops/other/moderation/rules", other_owner, R"({"pattern":"rude","action":"mask"})");
  ASSERT_EQ(foreign.status, 201) << foreign.body;
  const std::string path = "/admin/moderation/rules/" + std::to_string(foreign.Json().at("id").as_int64());
  const std::string cookie = FormLogIn("mod@civil.example", "password-of-mod@civil.example");
  const std::string csrf = CsrfOf("/admin/moderation/rules", cookie);
  EXPECT_EQ(Page(path, cookie).status, 404);
  EXPECT_EQ(PostForm(path, cookie, "pattern=kind&action=hold&csrf_token=" + csrf).status, 404);
  EXPECT_EQ(PostForm(path + "/delete", cookie, "csrf_token=" + csrf).status, 404);
  auto still = Call("GET", "/api/v1/shops/other/moderation/rules", other_owner);
  EXPECT_NE(still.body.find("\"rude\""), std::string::npos) << still.body;
}

TEST_P(ModerationPagesTest, AStorefrontReportLandsInTheQueueOnce) {
  EXPECT_EQ(client().Get("/report?kind=idea&id=1")->headers.Get("Location"), "/account/login");
  http::Headers form_headers{{"Content-Type", "application/x-www-form-urlencoded"}};
  EXPECT_EQ(client().Send("POST", "/report", "kind=idea&id=1&reason=spam", form_headers)->status, 303);

  const Credentials author = WithProfile("maker");
  const std::int64_t idea = SubmitIdea(author, "Paper lamp");
  ASSERT_GT(idea, 0);
  const Credentials reporter = WithProfile("watcher");
  const std::string cookie = CookieOf(reporter);
  const std::string form_path = "/report?kind=idea&id=" + std::to_string(idea);
  auto form = Page(form_path, cookie);
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_NE(form.body.find("<legend>What is wrong with it?</legend>"), std::string::npos);
  EXPECT_NE(form.body.find("<label for=\"reason-spam\">"), std::string::npos);
  const std::string csrf = Capture(form.body, R"re(name="csrf_token" value="([^"]+)")re");
  ASSERT_EQ(csrf, reporter.csrf_token);
  EXPECT_EQ(Page("/report?kind=order&id=1", cookie).status, 404);

  const std::string fields = "kind=idea&id=" + std::to_string(idea);
  EXPECT_EQ(PostForm("/report", cookie, fields + "&reason=spam").status, 403);
  auto no_reason = PostForm("/report", cookie, fields + "&note=%3Cscript%3Ex%3C%2Fscript%3E&csrf_token=" + csrf);
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_NE(no_reason.body.find("id=\"reason-error\""), std::string::npos);
  EXPECT_NE(no_reason.body.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(no_reason.body.find("<script>x</script>"), std::string::npos);
  EXPECT_EQ(PostForm("/report", cookie, "kind=idea&id=999999&reason=spam&csrf_token=" + csrf).status, 404);
  EXPECT_EQ(Count("moderation_reports"), 0);

  const std::string report = fields + "&reason=spam&note=%3Cscript%3Ealert(1)%3C%2Fscript%3E&csrf_token=" + csrf;
  auto sent = PostForm("/report", cookie, report);
  ASSERT_EQ(sent.status, 303) << sent.body;
  EXPECT_EQ(sent.headers.Get("Location"), "/report/sent");
  EXPECT_EQ(Page("/report/sent", cookie).status, 200);
  EXPECT_EQ(PostForm("/report", cookie, report).status, 409);
  EXPECT_EQ(Count("moderation_reports"), 1);
  EXPECT_EQ(Count("moderation_items"), 1);

  const std::string staff = FormLogIn("mod@civil.example", "password-of-mod@civil.example");
  auto queue = Page("/admin/moderation", staff);
  EXPECT_NE(queue.body.find("idea #" + std::to_string(idea)), std::string::npos) << queue.body;
  const std::string item = Capture(queue.body, R"re(href="/admin/moderation/(\d+)")re");
  auto detail = Page("/admin/moderation/" + item, staff);
  EXPECT_NE(detail.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(detail.body.find("<script>alert(1)</script>"), std::string::npos);
}

TEST_P(ModerationPagesTest, BansAreListedAndLiftedAndWarningsListed) {
  std::int64_t author_profile = 0;
  const Credentials author = WithProfile("loud", &author_profile);
  const std::int64_t idea = SubmitIdea(author, "Louder lamp");
  ASSERT_GT(idea, 0);
  moderation::ModerationService service(db(), clock());
  const auto flag = [&] {
    EXPECT_TRUE(db().Write([&](store::Transaction& tx) {
                      return service.FlagForReview(tx, shop_.id, {moderation::ContentKind::kIdea, idea}, "burst");
                    })
                    .ok());
  };
  const std::string cookie = FormLogIn("mod@civil.example", "password-of-mod@civil.example");
  EXPECT_NE(Page("/admin/moderation/bans", cookie).body.find("Nobody is banned right now."), std::string::npos);
  EXPECT_NE(Page("/admin/moderation/warnings", cookie).body.find("No warnings have been given."), std::string::npos);

  flag();
  const std::string item_path =
      "/admin/moderation/" + Capture(Page("/admin/moderation", cookie).body, R"re(href="/admin/moderation/(\d+)")re");
  const std::string csrf = CsrfOf(item_path, cookie);
  ASSERT_EQ(PostForm(item_path, cookie, "action=warn&note=%3Ci%3Ecalm%3C%2Fi%3E&csrf_token=" + csrf).status, 303);
  auto warnings = Page("/admin/moderation/warnings", cookie);
  EXPECT_NE(warnings.body.find("profile #" + std::to_string(author_profile)), std::string::npos) << warnings.body;
  EXPECT_NE(warnings.body.find("&lt;i&gt;calm&lt;/i&gt;"), std::string::npos);

  flag();
  ASSERT_EQ(PostForm(item_path, cookie, "action=ban&duration_hours=48&note=again&csrf_token=" + csrf).status, 303);
  auto bans = Page("/admin/moderation/bans", cookie);
  EXPECT_NE(bans.body.find("profile #" + std::to_string(author_profile)), std::string::npos) << bans.body;
  const std::string lift = Capture(bans.body, R"re(action="(/admin/moderation/bans/\d+/lift)")re");
  ASSERT_FALSE(lift.empty());
  EXPECT_EQ(PostForm(lift, cookie, "").status, 403);
  EXPECT_EQ(PostForm("/admin/moderation/bans/999999/lift", cookie, "csrf_token=" + csrf).status, 404);
  auto lifted = PostForm(lift, cookie, "csrf_token=" + csrf);
  ASSERT_EQ(lifted.status, 303) << lifted.body;
  EXPECT_NE(Page("/admin/moderation/bans", cookie).body.find("Nobody is banned right now."), std::string::npos);
  EXPECT_NE(Page("/admin/moderation/bans?all=1", cookie).body.find("lifted "), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ModerationPagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
