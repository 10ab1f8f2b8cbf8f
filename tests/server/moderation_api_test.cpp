// Moderation over HTTP: keyword rules, the queue and its actions, bans, warnings and
// reports, with the permissions and validation each route enforces. Content owners are
// registered by the modules that own content; here queue items come from flags on a
// kind without an owner (profiles), which staff can read and dismiss.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "plaza/moderation/moderation.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class ModerationApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("civil");
    base_ = "/api/v1/shops/" + shop_.handle;
    owner_ = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  }

  // A queue item for a profile (a kind no module registers), flagged through the service.
  std::int64_t FlaggedItem(std::int64_t profile_id, const std::string& reason) {
    moderation::ModerationService service(db(), clock());
    const Status flagged = db().Write([&](store::Transaction& tx) {
      return service.FlagForReview(tx, shop_.id, {moderation::ContentKind::kProfile, profile_id}, reason);
    });
    EXPECT_TRUE(flagged.ok());
    auto item = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM moderation_items WHERE shop_id = ? AND "
                                                   "content_kind = 'profile' AND content_id = ?",
                                                   {shop_.id, profile_id}));
      return row->Int(0);
    });
    EXPECT_TRUE(item.ok());
    return item.ok() ? *item : 0;
  }

  TestShop shop_;
  std::string base_;
  Credentials owner_;
};

TEST_P(ModerationApiTest, RulesAreCreatedReadChangedAndDeleted) {
  auto created = Call("POST", base_ + "/moderation/rules", owner_, R"({"pattern":"b a d","action":"mask"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(created.Json().at("id").as_int64());
  EXPECT_EQ(created.Json().at("pattern").as_string(), "b a d");
  EXPECT_EQ(created.Json().at("action").as_string(), "mask");

  auto duplicate = Call("POST", base_ + "/moderation/rules", owner_, R"({"pattern":"BAD","action":"hold"})");
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(duplicate.ProblemType(), "/problems/moderation/duplicate-rule");
  auto bad_action = Call("POST", base_ + "/moderation/rules", owner_, R"({"pattern":"x","action":"delete"})");
  EXPECT_EQ(bad_action.status, 422) << bad_action.body;
  auto empty = Call("POST", base_ + "/moderation/rules", owner_, R"({"pattern":"!!!","action":"hold"})");
  EXPECT_EQ(empty.ProblemType(), "/problems/moderation/empty-pattern");

  auto changed = Call("PUT", base_ + "/moderation/rules/" + id, owner_, R"({"pattern":"worse","action":"hold"})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.Json().at("action").as_string(), "hold");
  auto listed = Call("GET", base_ + "/moderation/rules", owner_);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.Json().at("rules").as_array().size(), 1u);
  EXPECT_EQ(Call("DELETE", base_ + "/moderation/rules/" + id, owner_).status, 204);
  EXPECT_EQ(Call("GET", base_ + "/moderation/rules/" + id, owner_).status, 404);

  auto audit = Call("GET", base_ + "/audit", owner_);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_NE(audit.body.find("moderation.rule-deleted"), std::string::npos);
}

TEST_P(ModerationApiTest, QueueListsFlaggedItemsOldestFirstAndDismissResolvesThem) {
  const std::int64_t first = FlaggedItem(11, "review burst");
  clock().Advance(std::chrono::minutes(1));
  const std::int64_t second = FlaggedItem(12, "new account");
  auto queue = Call("GET", base_ + "/moderation/queue", owner_);
  ASSERT_EQ(queue.status, 200) << queue.body;
  const boost::json::value listed = queue.Json();
  const auto& items = listed.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("id").as_int64(), first);
  EXPECT_EQ(items[1].at("id").as_int64(), second);
  EXPECT_EQ(items[0].at("flags").as_array().at(0).as_string(), "review burst");
  EXPECT_TRUE(items[0].at("summary").is_null());

  auto page = Call("GET", base_ + "/moderation/queue?limit=1", owner_);
  ASSERT_EQ(page.status, 200);
  const std::string cursor(page.Json().at("next_cursor").as_string());
  auto next = Call("GET", base_ + "/moderation/queue?limit=1&cursor=" + cursor, owner_);
  ASSERT_EQ(next.status, 200);
  EXPECT_EQ(next.Json().at("items").as_array().at(0).at("id").as_int64(), second);

  const std::string item_path = base_ + "/moderation/queue/" + std::to_string(first);
  auto hide = Call("POST", item_path + "/actions", owner_, R"({"action":"hide"})");
  EXPECT_EQ(hide.status, 409);
  EXPECT_EQ(hide.ProblemType(), "/problems/moderation/no-owner");
  auto stray = Call("POST", item_path + "/actions", owner_, R"({"action":"warn","duration_hours":3})");
  EXPECT_EQ(stray.status, 422) << stray.body;
  auto dismissed = Call("POST", item_path + "/actions", owner_, R"({"action":"dismiss","note":"a sale"})");
  ASSERT_EQ(dismissed.status, 200) << dismissed.body;
  EXPECT_FALSE(dismissed.Json().at("open").as_bool());
  EXPECT_EQ(dismissed.Json().at("resolution").as_string(), "dismiss");
  EXPECT_TRUE(dismissed.Json().at("open_flags").as_array().empty());

  auto open = Call("GET", base_ + "/moderation/queue", owner_);
  ASSERT_EQ(open.Json().at("items").as_array().size(), 1u);
  auto resolved = Call("GET", base_ + "/moderation/queue?state=resolved", owner_);
  ASSERT_EQ(resolved.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(Call("GET", base_ + "/moderation/queue?state=maybe", owner_).status, 422);
  EXPECT_EQ(Call("GET", base_ + "/moderation/queue/999999", owner_).status, 404);
}

TEST_P(ModerationApiTest, OnlyStaffWithModerationActReachTheQueue) {
  FlaggedItem(21, "keyword rule");
  const Credentials agent = StaffWithRoles(shop_, "agent@civil.example", {identity::Role::kSupportAgent});
  EXPECT_EQ(Call("GET", base_ + "/moderation/queue", agent).status, 403);
  EXPECT_EQ(Call("GET", base_ + "/moderation/rules", agent).status, 403);
  const Credentials moderator = StaffWithRoles(shop_, "mod@civil.example", {identity::Role::kModerator});
  EXPECT_EQ(Call("GET", base_ + "/moderation/queue", moderator).status, 200);
  const Credentials customer = SignUpCustomer(shop_, "buyer@example.com");
  EXPECT_EQ(Call("GET", base_ + "/moderation/queue", customer).status, 401);
}

TEST_P(ModerationApiTest, BansAndWarningsListsAnswerEmptyAndValidateFilters) {
  auto bans = Call("GET", base_ + "/moderation/bans?active=false", owner_);
  ASSERT_EQ(bans.status, 200) << bans.body;
  EXPECT_TRUE(bans.Json().at("bans").as_array().empty());
  EXPECT_EQ(Call("GET", base_ + "/moderation/bans?active=maybe", owner_).status, 422);
  EXPECT_EQ(Call("GET", base_ + "/moderation/warnings?profile_id=-3", owner_).status, 422);
  auto warnings = Call("GET", base_ + "/moderation/warnings?profile_id=3", owner_);
  ASSERT_EQ(warnings.status, 200);
  EXPECT_TRUE(warnings.Json().at("warnings").as_array().empty());
  EXPECT_EQ(Call("POST", base_ + "/moderation/bans/12345/lift", owner_).status, 404);
}

TEST_P(ModerationApiTest, CustomerReportsNeedAProfileAndAReasonFromTheList) {
  const Credentials ana = SignUpCustomer(shop_, "ana@example.com");
  const std::string report = R"({"kind":"profile","id":5,"reason":"spam","note":"ads"})";
  auto without_profile = Call("POST", base_ + "/customer/moderation/reports", ana, report);
  EXPECT_EQ(without_profile.status, 404);
  ASSERT_EQ(Call("POST", base_ + "/customer/social/profile", ana, R"({"handle":"ana","display_name":"Ana"})").status,
            201);
  auto bad_reason =
      Call("POST", base_ + "/customer/moderation/reports", ana, R"({"kind":"profile","id":5,"reason":"boring"})");
  EXPECT_EQ(bad_reason.status, 422);
  auto bad_kind =
      Call("POST", base_ + "/customer/moderation/reports", ana, R"({"kind":"order","id":5,"reason":"spam"})");
  EXPECT_EQ(bad_kind.status, 422);
  // No module owns profiles as content, so there is nothing to report.
  EXPECT_EQ(Call("POST", base_ + "/customer/moderation/reports", ana, report).status, 404);
  EXPECT_EQ(Call("POST", base_ + "/customer/moderation/reports", Credentials{}, report).status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, ModerationApiTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
