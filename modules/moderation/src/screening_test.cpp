#include <gtest/gtest.h>

#include "moderation_test_support.h"

namespace plaza::moderation::testing {
namespace {

using Verdict = Screening::Verdict;

class ScreeningTest : public ModerationTest {};

TEST_P(ScreeningTest, WithoutRulesTextPassesUnchanged) {
  auto screening = Screen("anything at all");
  ASSERT_TRUE(screening.ok());
  EXPECT_EQ(screening->verdict, Verdict::kAllow);
  EXPECT_EQ(screening->text, "anything at all");
  EXPECT_TRUE(screening->matched.empty());
}

TEST_P(ScreeningTest, MaskRuleMasksTheWordAndKeepsTheRest) {
  Rule("bad");
  auto screening = Screen("a bad day");
  ASSERT_TRUE(screening.ok()) << screening.error().detail;
  EXPECT_EQ(screening->verdict, Verdict::kMask);
  EXPECT_EQ(screening->text, "a *** day");
  EXPECT_EQ(screening->matched, std::vector<std::string>{"bad"});
}

TEST_P(ScreeningTest, HoldRuleHoldsAndKeepsTheTextReadable) {
  Rule("buy followers", RuleAction::kHold);
  auto screening = Screen("Cheap: BUY   followers now");
  ASSERT_TRUE(screening.ok()) << screening.error().detail;
  EXPECT_EQ(screening->verdict, Verdict::kHold);
  EXPECT_EQ(screening->text, "Cheap: BUY   followers now");
  EXPECT_EQ(screening->matched, std::vector<std::string>{"buy followers"});
}

INSTANTIATE_TEST_SUITE_P(Backends, ScreeningTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::moderation::testing
