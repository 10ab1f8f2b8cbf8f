#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "moderation_test_support.h"

namespace plaza::moderation::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kAuthor = 201;
constexpr std::int64_t kReader = 202;
constexpr std::int64_t kOtherReader = 203;

class QueueTest : public ModerationTest {
 protected:
  std::int64_t ReportAndGetItem(ContentRef ref, std::int64_t reporter = kReader,
                                ReportReason reason = ReportReason::kSpam) {
    auto report = service_.ReportContent(kShop, reporter, {ref, reason, "look"});
    EXPECT_TRUE(report.ok()) << report.error().detail;
    return report.ok() ? report->item_id : 0;
  }

  std::vector<std::string> AuditActions() {
    auto actions = db().Read([&](store::Transaction& tx) -> Result<std::vector<std::string>> {
      PLAZA_ASSIGN_OR_RETURN(auto result,
                             tx.Execute("SELECT action FROM audit_log WHERE shop_id = ? ORDER BY id", {kShop}));
      std::vector<std::string> out;
      for (const auto& row : result.rows) out.push_back(row.Text(0));
      return out;
    });
    return actions.ok() ? *actions : std::vector<std::string>{};
  }
};

TEST_P(QueueTest, ReportsOfOneContentFormOneItemWithCountAndReasons) {
  const ContentRef post = Post(kAuthor, "buy my stuff");
  const std::int64_t item = ReportAndGetItem(post, kReader, ReportReason::kSpam);
  EXPECT_EQ(ReportAndGetItem(post, kOtherReader, ReportReason::kHarassment), item);

  auto page = service_.ListQueue(Staff(), kShop, {});
  ASSERT_TRUE(page.ok()) << page.error().detail;
  ASSERT_EQ(page->items.size(), 1U);
  const QueueItem& queued = page->items[0];
  EXPECT_EQ(queued.id, item);
  EXPECT_EQ(queued.report_count, 2);
  EXPECT_EQ(queued.reasons, (std::vector<ReportReason>{ReportReason::kHarassment, ReportReason::kSpam}));
  ASSERT_TRUE(queued.summary);
  EXPECT_EQ(queued.summary->author_profile_id, kAuthor);
  EXPECT_EQ(queued.summary->excerpt, "buy my stuff");
}

TEST_P(QueueTest, OneOpenReportPerReporterPerContent) {
  const ContentRef post = Post(kAuthor, "text");
  ReportAndGetItem(post);
  auto again = service_.ReportContent(kShop, kReader, {post, ReportReason::kOther, ""});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().type, "moderation/already-reported");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM moderation_reports WHERE shop_id = ?", {kShop}), 1);
}

TEST_P(QueueTest, AfterResolutionTheSameReaderMayReportAgain) {
  const ContentRef post = Post(kAuthor, "text");
  const std::int64_t item = ReportAndGetItem(post);
  ASSERT_TRUE(service_.Act(Staff(), kShop, item, {ActionKind::kDismiss, "fine"}).ok());
  EXPECT_TRUE(service_.ListQueue(Staff(), kShop, {})->items.empty());
  EXPECT_EQ(ReportAndGetItem(post), item);
  auto page = service_.ListQueue(Staff(), kShop, {});
  ASSERT_EQ(page->items.size(), 1U);
  EXPECT_EQ(page->items[0].report_count, 1);
}

TEST_P(QueueTest, MissingHiddenAndOwnContentCannotBeReported) {
  auto missing = service_.ReportContent(kShop, kReader, {{ContentKind::kPost, 999}, ReportReason::kSpam, ""});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  const ContentRef held = Post(kAuthor, "held", Visibility::kHeld);
  EXPECT_EQ(service_.ReportContent(kShop, kReader, {held, ReportReason::kSpam, ""}).error().code, ErrorCode::kNotFound);
  const ContentRef own = Post(kAuthor, "mine");
  EXPECT_EQ(service_.ReportContent(kShop, kAuthor, {own, ReportReason::kSpam, ""}).error().type,
            "moderation/own-content");
  const ContentRef foreign = Post(kAuthor, "other shop", Visibility::kVisible, kOtherShop);
  EXPECT_EQ(service_.ReportContent(kShop, kReader, {foreign, ReportReason::kSpam, ""}).error().code,
            ErrorCode::kNotFound);
  auto unowned = service_.ReportContent(kShop, kReader, {{ContentKind::kIdea, 1}, ReportReason::kSpam, ""});
  EXPECT_EQ(unowned.error().code, ErrorCode::kNotFound);
}

TEST_P(QueueTest, QueueIsOldestFirstFilteredAndPaged) {
  std::vector<std::int64_t> items;
  for (int i = 0; i < 5; ++i) {
    items.push_back(ReportAndGetItem(Post(kAuthor + 10 * (i + 1), "post " + std::to_string(i)), kReader,
                                     i % 2 == 0 ? ReportReason::kSpam : ReportReason::kHate));
    clock_.Advance(1min);
  }
  QueueFilter filter;
  filter.limit = 2;
  std::vector<std::int64_t> seen;
  for (int pages = 0; pages < 5; ++pages) {
    auto page = service_.ListQueue(Staff(), kShop, filter);
    ASSERT_TRUE(page.ok()) << page.error().detail;
    for (const auto& item : page->items) seen.push_back(item.id);
    if (page->next_cursor.empty()) break;
    filter.cursor = page->next_cursor;
  }
  EXPECT_EQ(seen, items);

  QueueFilter hate;
  hate.reason = ReportReason::kHate;
  auto hateful = service_.ListQueue(Staff(), kShop, hate);
  ASSERT_TRUE(hateful.ok());
  EXPECT_EQ(hateful->items.size(), 2U);
  QueueFilter by_author;
  by_author.author_profile_id = kAuthor + 30;
  EXPECT_EQ(service_.ListQueue(Staff(), kShop, by_author)->items.size(), 1U);
  QueueFilter ideas;
  ideas.kind = ContentKind::kIdea;
  EXPECT_TRUE(service_.ListQueue(Staff(), kShop, ideas)->items.empty());
  QueueFilter bad_cursor;
  bad_cursor.cursor = "nope";
  EXPECT_EQ(service_.ListQueue(Staff(), kShop, bad_cursor).error().type, "validation/cursor");
}

TEST_P(QueueTest, FlagsJoinTheQueueWithTheirReason) {
  const ContentRef post = Post(kAuthor, "held text", Visibility::kHeld);
  ASSERT_TRUE(db().Write([&](store::Transaction& tx) -> Status {
                    PLAZA_TRY(service_.FlagForReview(tx, kShop, post, "keyword rule"));
                    return service_.FlagForReview(tx, kShop, post, "keyword rule");
                  })
                  .ok());
  auto page = service_.ListQueue(Staff(), kShop, {});
  ASSERT_EQ(page->items.size(), 1U);
  EXPECT_EQ(page->items[0].report_count, 0);
  EXPECT_EQ(page->items[0].flags, std::vector<std::string>{"keyword rule"});
  auto detail = service_.GetItem(Staff(), kShop, page->items[0].id);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->open_flags.size(), 1U);
}

TEST_P(QueueTest, HideRestoreRemoveGoThroughTheOwnerAndAreAudited) {
  const ContentRef post = Post(kAuthor, "text");
  const std::int64_t item = ReportAndGetItem(post);
  auto hidden = service_.Act(Staff(), kShop, item, {ActionKind::kHide, "rude"});
  ASSERT_TRUE(hidden.ok()) << hidden.error().detail;
  EXPECT_EQ(VisibilityOf(post), Visibility::kHidden);
  EXPECT_FALSE(hidden->item.open);
  EXPECT_EQ(hidden->item.resolution, ActionKind::kHide);
  EXPECT_EQ(hidden->item.report_count, 1);  // the reports this resolution closed
  ASSERT_EQ(hidden->reports.size(), 1U);
  EXPECT_FALSE(hidden->reports[0].open);
  EXPECT_TRUE(service_.ListQueue(Staff(), kShop, {})->items.empty());
  QueueFilter resolved;
  resolved.open = false;
  EXPECT_EQ(service_.ListQueue(Staff(), kShop, resolved)->items.size(), 1U);

  ASSERT_TRUE(service_.Act(Staff(), kShop, item, {ActionKind::kRestore, "on second thought"}).ok());
  EXPECT_EQ(VisibilityOf(post), Visibility::kVisible);
  ASSERT_TRUE(service_.Act(Staff(), kShop, item, {ActionKind::kRemove, ""}).ok());
  EXPECT_EQ(VisibilityOf(post), Visibility::kRemoved);
  auto restore = service_.Act(Staff(), kShop, item, {ActionKind::kRestore, ""});
  ASSERT_FALSE(restore.ok());
  EXPECT_EQ(restore.error().type, "moderation/removed");

  EXPECT_EQ(AuditActions(), (std::vector<std::string>{"moderation.hide", "moderation.restore", "moderation.remove"}));
  auto details = db().Read([&](store::Transaction& tx) -> Result<std::string> {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT details, target, actor FROM audit_log WHERE shop_id = ? "
                                                 "ORDER BY id LIMIT 1",
                                                 {kShop}));
    EXPECT_EQ(row->Text(1), "post:" + std::to_string(post.id));
    EXPECT_EQ(row->Text(2), "staff:7");
    return row->Text(0);
  });
  ASSERT_TRUE(details.ok());
  const auto object = boost::json::parse(*details).as_object();
  EXPECT_EQ(object.at("item_id").as_int64(), item);
  EXPECT_EQ(object.at("reports_closed").as_int64(), 1);
  EXPECT_EQ(object.at("visibility_before").as_string(), "visible");
}

TEST_P(QueueTest, FailingOwnerRollsTheWholeActionBack) {
  const ContentRef post = Post(kAuthor, "text");
  const std::int64_t item = ReportAndGetItem(post);
  owner_.fail_next_set = true;
  ASSERT_FALSE(service_.Act(Staff(), kShop, item, {ActionKind::kHide, ""}).ok());
  EXPECT_EQ(VisibilityOf(post), Visibility::kVisible);
  EXPECT_TRUE(AuditActions().empty());
  auto page = service_.ListQueue(Staff(), kShop, {});
  ASSERT_EQ(page->items.size(), 1U);
  EXPECT_EQ(page->items[0].report_count, 1);
}

TEST_P(QueueTest, WarnRecordsAWarningOnTheAuthorAndMakesThemNewAgain) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Admit(kAuthor, Activity::kComment).ok());
  clock_.Advance(48h);
  ASSERT_EQ(service_.Trust(kShop, kAuthor)->level, TrustLevel::kBasic);
  const std::int64_t item = ReportAndGetItem(Post(kAuthor, "text"));
  auto missing_note = service_.Act(Staff(), kShop, item, {ActionKind::kWarn, ""});
  EXPECT_EQ(missing_note.error().field, "/note");
  ASSERT_TRUE(service_.Act(Staff(), kShop, item, {ActionKind::kWarn, "keep it civil"}).ok());
  auto warnings = service_.ListWarnings(Staff(), kShop, kAuthor);
  ASSERT_TRUE(warnings.ok());
  ASSERT_EQ(warnings->size(), 1U);
  EXPECT_EQ((*warnings)[0].note, "keep it civil");
  EXPECT_EQ((*warnings)[0].issued_by, "staff:7");
  EXPECT_EQ(service_.Trust(kShop, kAuthor)->level, TrustLevel::kNew);
  clock_.Advance(7 * 24h);
  EXPECT_EQ(service_.Trust(kShop, kAuthor)->level, TrustLevel::kBasic);
}

TEST_P(QueueTest, TakedownsCostContributions) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Admit(kAuthor, Activity::kPost).ok());
  const std::int64_t item = ReportAndGetItem(Post(kAuthor, "text"));
  ASSERT_TRUE(service_.Act(Staff(), kShop, item, {ActionKind::kHide, ""}).ok());
  EXPECT_EQ(service_.Trust(kShop, kAuthor)->contributions, 2);
  ASSERT_TRUE(service_.Act(Staff(), kShop, item, {ActionKind::kRestore, ""}).ok());
  EXPECT_EQ(service_.Trust(kShop, kAuthor)->contributions, 3);
}

TEST_P(QueueTest, BansAreListedAndLifted) {
  const std::int64_t item = ReportAndGetItem(Post(kAuthor, "text"));
  auto banned = service_.Act(Staff(), kShop, item, {ActionKind::kBan, "spam ring", std::nullopt});
  ASSERT_TRUE(banned.ok()) << banned.error().detail;
  auto bans = service_.ListBans(Staff(), kShop, true);
  ASSERT_TRUE(bans.ok());
  ASSERT_EQ(bans->size(), 1U);
  EXPECT_FALSE((*bans)[0].ends_at);  // permanent
  EXPECT_TRUE((*bans)[0].active);
  clock_.Advance(24h * 365);
  EXPECT_FALSE(Admit(kAuthor, Activity::kPost).ok());

  auto lifted = service_.LiftBan(Staff(), kShop, (*bans)[0].id);
  ASSERT_TRUE(lifted.ok());
  EXPECT_FALSE(lifted->active);
  EXPECT_EQ(lifted->lifted_by, "staff:7");
  EXPECT_TRUE(service_.ListBans(Staff(), kShop, true)->empty());
  EXPECT_EQ(service_.ListBans(Staff(), kShop, false)->size(), 1U);
  EXPECT_TRUE(Admit(kAuthor, Activity::kPost).ok());
  EXPECT_EQ(AuditActions(), (std::vector<std::string>{"moderation.ban", "moderation.ban-lifted"}));
}

TEST_P(QueueTest, ContentGoneCanOnlyBeDismissed) {
  const ContentRef post = Post(kAuthor, "text");
  const std::int64_t item = ReportAndGetItem(post);
  ASSERT_TRUE(db().Write([&](store::Transaction& tx) -> Status {
                    PLAZA_TRY(tx.Execute("DELETE FROM test_content WHERE id = ?", {post.id}));
                    return Ok();
                  })
                  .ok());
  EXPECT_EQ(service_.Act(Staff(), kShop, item, {ActionKind::kHide, ""}).error().type, "moderation/content-gone");
  auto detail = service_.GetItem(Staff(), kShop, item);
  ASSERT_TRUE(detail.ok());
  EXPECT_FALSE(detail->item.summary);
  EXPECT_TRUE(service_.Act(Staff(), kShop, item, {ActionKind::kDismiss, ""}).ok());
}

TEST_P(QueueTest, StaffCallsNeedModerationPermissionAndTheirOwnShop) {
  const std::int64_t item = ReportAndGetItem(Post(kAuthor, "text"));
  const auto marketer = Staff(kShop, {identity::Role::kMarketer});
  EXPECT_EQ(service_.ListQueue(marketer, kShop, {}).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.Act(marketer, kShop, item, {ActionKind::kHide, ""}).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.GetItem(Staff(kOtherShop), kShop, item).error().code, ErrorCode::kNotFound);
  // A moderator of the other shop cannot reach this shop's item through their own shop.
  EXPECT_EQ(service_.GetItem(Staff(kOtherShop), kOtherShop, item).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.Act(Staff(kOtherShop), kOtherShop, item, {ActionKind::kHide, ""}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(VisibilityOf({ContentKind::kPost, item}), Visibility::kVisible);
}

TEST_P(QueueTest, RulesAreManagedAndAudited) {
  const KeywordRule rule = Rule("bad");
  auto duplicate = service_.CreateRule(Staff(), kShop, {"B A D", RuleAction::kHold});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().type, "moderation/duplicate-rule");
  auto empty = service_.CreateRule(Staff(), kShop, {"...", RuleAction::kHold});
  EXPECT_EQ(empty.error().type, "moderation/empty-pattern");
  auto updated = service_.UpdateRule(Staff(), kShop, rule.id, {"worse", RuleAction::kHold});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->pattern, "worse");
  EXPECT_EQ(Screen("a worse day")->verdict, Screening::Verdict::kHold);
  EXPECT_EQ(Screen("a worse day", kOtherShop)->verdict, Screening::Verdict::kAllow);
  EXPECT_EQ(service_.GetRule(Staff(kOtherShop), kOtherShop, rule.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.DeleteRule(Staff(kOtherShop), kOtherShop, rule.id).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(service_.DeleteRule(Staff(), kShop, rule.id).ok());
  EXPECT_TRUE(service_.ListRules(Staff(), kShop)->empty());
  EXPECT_EQ(AuditActions(), (std::vector<std::string>{"moderation.rule-created", "moderation.rule-updated",
                                                      "moderation.rule-deleted"}));
}

TEST_P(QueueTest, StaffContentCanBeHiddenButNobodyIsWarned) {
  const ContentRef answer = Post(0, "our official answer");
  ASSERT_TRUE(
      db().Write([&](store::Transaction& tx) { return service_.FlagForReview(tx, kShop, answer, "odd"); }).ok());
  QueueFilter filter;
  const std::int64_t item = service_.ListQueue(Staff(), kShop, filter)->items.at(0).id;
  EXPECT_EQ(service_.Act(Staff(), kShop, item, {ActionKind::kWarn, "no"}).error().type, "moderation/no-author");
  EXPECT_EQ(service_.Act(Staff(), kShop, item, {ActionKind::kBan, "no"}).error().type, "moderation/no-author");
  ASSERT_TRUE(service_.Act(Staff(), kShop, item, {ActionKind::kHide, ""}).ok());
  EXPECT_EQ(VisibilityOf(answer), Visibility::kHidden);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM moderation_members WHERE shop_id = ?", {kShop}), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, QueueTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::moderation::testing
