#include "plaza/community/ideas.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "community_test_fixture.h"

namespace plaza::community {
namespace {

using testing::CommunityTest;

class IdeasTest : public CommunityTest {
 protected:
  void SetUp() override {
    CommunityTest::SetUp();
    author_ = Profile("dreamer");
  }

  Idea Submit(const std::string& title = "A reversible rain jacket") {
    auto idea = ideas_.Submit(shop_, author_, {.title = title, .description = "Two colours.\nOne jacket."});
    EXPECT_TRUE(idea.ok()) << idea.error().type << ": " << idea.error().detail;
    return idea.ok() ? *idea : Idea{};
  }

  void SetThreshold(std::int64_t threshold) {
    auto settings = ideas_.UpdateSettings(staff_, shop_, {.support_threshold = threshold});
    ASSERT_TRUE(settings.ok()) << settings.error().detail;
  }

  // An idea in review with `threshold` supports.
  Idea Reviewed() {
    SetThreshold(2);
    const Idea idea = Submit();
    EXPECT_TRUE(ideas_.Support(shop_, Profile("fan1"), idea.id).ok());
    auto view = ideas_.Support(shop_, Profile("fan2"), idea.id);
    EXPECT_TRUE(view.ok());
    return view.ok() ? view->idea : Idea{};
  }

  std::int64_t Events(const std::string& type) {
    return CountRows("SELECT COUNT(*) FROM outbox_events WHERE shop_id = ? AND event_type = ?", {shop_, type});
  }

  std::int64_t author_ = 0;
};

TEST_P(IdeasTest, SupportsCountOncePerProfileNeverForTheAuthor) {
  const Idea idea = Submit();
  EXPECT_EQ(idea.status, IdeaStatus::kOpen);
  const std::int64_t fan = Profile("fan");
  auto supported = ideas_.Support(shop_, fan, idea.id);
  PLAZA_ASSERT_OK(supported);
  EXPECT_TRUE(supported->supported);
  EXPECT_EQ(supported->idea.supports_count, 1);
  auto again = ideas_.Support(shop_, fan, idea.id);
  PLAZA_ASSERT_OK(again);
  EXPECT_EQ(again->idea.supports_count, 1);
  auto self = ideas_.Support(shop_, author_, idea.id);
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().type, "community/self-support");
  auto withdrawn = ideas_.WithdrawSupport(shop_, fan, idea.id);
  PLAZA_ASSERT_OK(withdrawn);
  EXPECT_EQ(withdrawn->idea.supports_count, 0);
  EXPECT_FALSE(withdrawn->supported);
  PLAZA_ASSERT_OK(ideas_.WithdrawSupport(shop_, fan, idea.id));
  EXPECT_EQ(ideas_.ViewIdea(shop_, idea.id, fan)->idea.supports_count, 0);
}

TEST_P(IdeasTest, ReachingTheThresholdMovesTheIdeaToReviewOnce) {
  SetThreshold(3);
  const Idea idea = Submit();
  for (int fan = 0; fan < 2; ++fan) {
    auto view = ideas_.Support(shop_, Profile("fan" + std::to_string(fan)), idea.id);
    PLAZA_ASSERT_OK(view);
    EXPECT_EQ(view->idea.status, IdeaStatus::kOpen);
  }
  auto third = ideas_.Support(shop_, Profile("fan2"), idea.id);
  PLAZA_ASSERT_OK(third);
  EXPECT_EQ(third->idea.status, IdeaStatus::kReview);
  EXPECT_TRUE(third->idea.review_at.has_value());
  // Support keeps coming during review without a second move.
  auto fourth = ideas_.Support(shop_, Profile("fan3"), idea.id);
  PLAZA_ASSERT_OK(fourth);
  EXPECT_EQ(fourth->idea.supports_count, 4);
  EXPECT_EQ(Events("idea.review_requested"), 1);
  auto reviewing = ideas_.ListForStaff(staff_, shop_, {.status = IdeaStatus::kReview});
  PLAZA_ASSERT_OK(reviewing);
  ASSERT_EQ(reviewing->ideas.size(), 1u);
  EXPECT_EQ(reviewing->ideas[0].id, idea.id);
}

TEST_P(IdeasTest, LoweringTheThresholdSendsIdeasThatAlreadyReachItToReview) {
  const Idea idea = Submit();
  PLAZA_ASSERT_OK(ideas_.Support(shop_, Profile("fan"), idea.id));
  EXPECT_EQ(ideas_.GetSettings(shop_)->support_threshold, kDefaultSupportThreshold);
  SetThreshold(1);
  EXPECT_EQ(ideas_.GetForStaff(staff_, shop_, idea.id)->status, IdeaStatus::kReview);
  EXPECT_EQ(ideas_.UpdateSettings(staff_, shop_, {.support_threshold = 0}).error().field, "/support_threshold");
  identity::Principal moderator = staff_;
  moderator.roles = {identity::Role::kModerator};
  EXPECT_EQ(ideas_.UpdateSettings(moderator, shop_, {.support_threshold = 5}).error().code,
            ErrorCode::kPermissionDenied);
}

TEST_P(IdeasTest, ConcurrentSupportersAreAllCountedAndCrossTheThresholdExactlyOnce) {
  constexpr int kSupporters = 16;
  SetThreshold(10);
  const Idea idea = Submit();
  std::vector<std::int64_t> fans;
  for (int index = 0; index < kSupporters; ++index) fans.push_back(Profile("fan" + std::to_string(index)));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (std::int64_t fan : fans) {
    threads.emplace_back([&, fan] {
      // Twice each: the second is the "one support per profile" race against itself.
      for (int attempt = 0; attempt < 2; ++attempt) {
        if (!ideas_.Support(shop_, fan, idea.id).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const auto stored = ideas_.GetForStaff(staff_, shop_, idea.id);
  PLAZA_ASSERT_OK(stored);
  EXPECT_EQ(stored->supports_count, kSupporters);
  EXPECT_EQ(
      CountRows("SELECT COUNT(*) FROM community_idea_supports WHERE shop_id = ? AND idea_id = ?", {shop_, idea.id}),
      kSupporters);
  EXPECT_EQ(stored->status, IdeaStatus::kReview);
  EXPECT_EQ(Events("idea.review_requested"), 1);
}

TEST_P(IdeasTest, AcceptingCreatesADraftProductCreditingTheAuthor) {
  const Idea idea = Reviewed();
  ASSERT_EQ(idea.status, IdeaStatus::kReview);
  auto accepted = ideas_.Accept(staff_, shop_, idea.id);
  PLAZA_ASSERT_OK(accepted);
  EXPECT_EQ(accepted->status, IdeaStatus::kAccepted);
  ASSERT_TRUE(accepted->product_id.has_value());
  auto product = catalog_.GetProduct(shop_, *accepted->product_id);
  PLAZA_ASSERT_OK(product);
  EXPECT_EQ(product->status, catalog::ProductStatus::kDraft);
  EXPECT_EQ(product->title, "A reversible rain jacket");
  EXPECT_EQ(product->description_html,
            "<p>Two colours.</p><p>One jacket.</p><p>Based on a community idea by @dreamer.</p>");
  EXPECT_EQ(product->tags, std::vector<std::string>{"community-idea"});
  EXPECT_EQ(Events("idea.accepted"), 1);
  auto notes = notifications_.List(shop_, author_, {});
  PLAZA_ASSERT_OK(notes);
  ASSERT_EQ(notes->notifications.size(), 1u);
  EXPECT_EQ(notes->notifications[0].kind, social::NotificationKind::kIdeaDecision);
  EXPECT_EQ(notes->notifications[0].subject_kind, "idea");
  EXPECT_EQ(notes->notifications[0].text, "Accepted: A reversible rain jacket");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_log WHERE shop_id = ? AND action = 'idea.accepted'", {shop_}), 1);
  // Decided ideas stay decided and take no more support.
  EXPECT_EQ(ideas_.Accept(staff_, shop_, idea.id).error().type, "community/idea-not-in-review");
  EXPECT_EQ(ideas_.Decline(staff_, shop_, idea.id, "late").error().type, "community/idea-closed");
  EXPECT_EQ(ideas_.Support(shop_, Profile("late"), idea.id).error().type, "community/idea-closed");
}

TEST_P(IdeasTest, AnOpenIdeaCannotBeAcceptedAndDeclineNeedsAReason) {
  const Idea idea = Submit();
  EXPECT_EQ(ideas_.Accept(staff_, shop_, idea.id).error().type, "community/idea-not-in-review");
  EXPECT_EQ(ideas_.Decline(staff_, shop_, idea.id, "  ").error().field, "/reason");
  EXPECT_EQ(ideas_.Decline(staff_, shop_, idea.id, std::string(kMaxDeclineReasonLength + 1, 'x')).error().field,
            "/reason");
  auto declined = ideas_.Decline(staff_, shop_, idea.id, "We already make one.");
  PLAZA_ASSERT_OK(declined);
  EXPECT_EQ(declined->status, IdeaStatus::kDeclined);
  EXPECT_EQ(declined->decline_reason, "We already make one.");
  auto seen = ideas_.ViewIdea(shop_, idea.id, author_);
  PLAZA_ASSERT_OK(seen);
  EXPECT_EQ(seen->idea.decline_reason, "We already make one.");
  EXPECT_EQ(Events("idea.declined"), 1);
  auto notes = notifications_.List(shop_, author_, {});
  PLAZA_ASSERT_OK(notes);
  ASSERT_EQ(notes->notifications.size(), 1u);
  EXPECT_EQ(notes->notifications[0].text, "Declined: We already make one.");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM catalog_products WHERE shop_id = ?", {shop_}), 0);
}

TEST_P(IdeasTest, HeldIdeasShowOnlyToTheirAuthorAndStaff) {
  const Idea idea = Submit();
  PLAZA_ASSERT_OK(db().Write(
      [&](store::Transaction& tx) { return SetIdeaVisibility(tx, shop_, idea.id, ContentVisibility::kHeld); }));
  const std::int64_t fan = Profile("fan");
  EXPECT_EQ(ideas_.ViewIdea(shop_, idea.id, fan).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ideas_.ViewIdea(shop_, idea.id, std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ideas_.Support(shop_, fan, idea.id).error().code, ErrorCode::kNotFound);
  PLAZA_ASSERT_OK(ideas_.ViewIdea(shop_, idea.id, author_));
  EXPECT_EQ(ideas_.ListIdeas(shop_, fan, {})->ideas.size(), 0u);
  EXPECT_EQ(ideas_.ListIdeas(shop_, author_, {})->ideas.size(), 1u);
  EXPECT_EQ(ideas_.ListForStaff(staff_, shop_, {})->ideas.size(), 1u);
}

TEST_P(IdeasTest, KeywordRulesMaskOrHoldIdeasAndModeratorsSeeThem) {
  PLAZA_ASSERT_OK(moderation_.CreateRule(staff_, shop_, {.pattern = "darn", .action = moderation::RuleAction::kMask}));
  PLAZA_ASSERT_OK(moderation_.CreateRule(staff_, shop_, {.pattern = "scam", .action = moderation::RuleAction::kHold}));
  auto masked = ideas_.Submit(shop_, author_, {.title = "A darn good lamp", .description = "Bright."});
  PLAZA_ASSERT_OK(masked);
  EXPECT_EQ(masked->title, "A **** good lamp");
  EXPECT_EQ(masked->visibility, ContentVisibility::kVisible);
  auto held = ideas_.Submit(shop_, author_, {.title = "Cheap lamp", .description = "Not a s c a m."});
  PLAZA_ASSERT_OK(held);
  EXPECT_EQ(held->visibility, ContentVisibility::kHeld);
  EXPECT_EQ(ideas_.ViewIdea(shop_, held->id, Profile("fan")).error().code, ErrorCode::kNotFound);
  PLAZA_ASSERT_OK(ideas_.ViewIdea(shop_, held->id, author_));
  // The moderators' queue reaches the idea through its owner.
  auto described = db().Read([&](store::Transaction& tx) {
    return idea_owner_.Describe(tx, shop_, {moderation::ContentKind::kIdea, held->id});
  });
  PLAZA_ASSERT_OK(described);
  EXPECT_EQ(described->author_profile_id, author_);
  EXPECT_EQ(described->visibility, moderation::Visibility::kHeld);
  PLAZA_ASSERT_OK(db().Write([&](store::Transaction& tx) {
    return idea_owner_.SetVisibility(tx, shop_, {moderation::ContentKind::kIdea, held->id},
                                     moderation::Visibility::kVisible);
  }));
  PLAZA_ASSERT_OK(ideas_.ViewIdea(shop_, held->id, std::nullopt));
}

TEST_P(IdeasTest, AnotherShopsIdeaIsAbsent) {
  const Idea idea = Reviewed();
  const std::int64_t foreigner = Profile("foreigner", other_shop_);
  EXPECT_EQ(ideas_.ViewIdea(other_shop_, idea.id, foreigner).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ideas_.Support(other_shop_, foreigner, idea.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ideas_.GetForStaff(other_staff_, other_shop_, idea.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ideas_.Accept(other_staff_, other_shop_, idea.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ideas_.Decline(other_staff_, other_shop_, idea.id, "no").error().code, ErrorCode::kNotFound);
  // Staff of another shop acting on this shop look like strangers too.
  EXPECT_EQ(ideas_.Accept(other_staff_, shop_, idea.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(ideas_.ListIdeas(other_shop_, std::nullopt, {})->ideas.empty());
  EXPECT_EQ(ideas_.GetForStaff(staff_, shop_, idea.id)->status, IdeaStatus::kReview);
}

TEST_P(IdeasTest, HostileInputIsRefusedOrStoredAsPlainText) {
  struct Case {
    NewIdea input;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{.title = "", .description = "x"}, "/title"},
      {{.title = std::string(kMaxIdeaTitleLength + 1, 't'), .description = "x"}, "/title"},
      {{.title = "line\nbreak", .description = "x"}, "/title"},
      {{.title = "ok", .description = ""}, "/description"},
      {{.title = "ok", .description = std::string(kMaxIdeaDescriptionLength + 1, 'd')}, "/description"},
      {{.title = "ok", .description = "\xC3\x28 broken"}, "/description"},
      {{.title = "ok", .description = "escape \x1b[31m"}, "/description"},
      {{.title = "hidden\xE2\x80\x8Bword", .description = "x"}, "/title"},
  };
  for (const Case& test : cases) {
    auto submitted = ideas_.Submit(shop_, author_, test.input);
    ASSERT_FALSE(submitted.ok()) << test.field;
    EXPECT_EQ(submitted.error().field, test.field);
  }
  EXPECT_EQ(ideas_.Submit(shop_, 999'999, {.title = "ok", .description = "ok"}).error().code, ErrorCode::kNotFound);
  const std::string html = "<script>alert('x')</script>";
  auto stored = ideas_.Submit(shop_, author_, {.title = html, .description = html});
  PLAZA_ASSERT_OK(stored);
  EXPECT_EQ(stored->title, html);
  // Its draft product's description escapes what the author wrote.
  SetThreshold(1);
  PLAZA_ASSERT_OK(ideas_.Support(shop_, Profile("fan"), stored->id));
  auto accepted = ideas_.Accept(staff_, shop_, stored->id);
  PLAZA_ASSERT_OK(accepted);
  auto product = catalog_.GetProduct(shop_, *accepted->product_id);
  PLAZA_ASSERT_OK(product);
  EXPECT_EQ(product->description_html.find("<script>"), std::string::npos);
  EXPECT_NE(product->description_html.find("&lt;script&gt;"), std::string::npos);
}

TEST_P(IdeasTest, TheBoardRanksIdeasByTheirSupportPageByPage) {
  // A new author may submit two ideas an hour.
  const Idea quiet = Submit("A quiet idea");
  const Idea loved = Submit("A loved idea");
  clock_.Advance(std::chrono::hours(1));
  const Idea liked = Submit("A liked idea");
  const Idea tied = Submit("Another liked idea");
  ASSERT_TRUE(ideas_.Support(shop_, Profile("fan1"), loved.id).ok());
  ASSERT_TRUE(ideas_.Support(shop_, Profile("fan2"), loved.id).ok());
  ASSERT_TRUE(ideas_.Support(shop_, Profile("fan3"), liked.id).ok());
  ASSERT_TRUE(ideas_.Support(shop_, Profile("fan4"), tied.id).ok());

  // Most supported first; equal support, newest first; one idea a page through the cursors.
  std::vector<std::int64_t> order;
  IdeaQuery query{.limit = 1, .order = IdeaOrder::kMostSupported};
  for (int page = 0; page < 10; ++page) {
    auto listed = ideas_.ListIdeas(shop_, std::nullopt, query);
    ASSERT_TRUE(listed.ok()) << listed.error().detail;
    for (const Idea& idea : listed->ideas) order.push_back(idea.id);
    if (listed->next_cursor.empty()) break;
    query.cursor = listed->next_cursor;
  }
  EXPECT_EQ(order, (std::vector<std::int64_t>{loved.id, tied.id, liked.id, quiet.id}));

  auto newest = ideas_.ListIdeas(shop_, std::nullopt, {});
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->ideas.size(), 4u);
  EXPECT_EQ(newest->ideas.front().id, tied.id);
  auto forged = ideas_.ListIdeas(shop_, std::nullopt, {.cursor = "7", .order = IdeaOrder::kMostSupported});
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().type, "validation/cursor");
}

INSTANTIATE_TEST_SUITE_P(Backends, IdeasTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::community
