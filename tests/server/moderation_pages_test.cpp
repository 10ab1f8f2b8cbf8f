// The admin moderation queue pages over real HTTP with the form log-in's cookie: the
// queue lists a flagged item, its page shows the flags and the action form, dismissing
// resolves it (CSRF required), and staff without moderation.act get 403.

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

INSTANTIATE_TEST_SUITE_P(Backends, ModerationPagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
