#include "plaza/reviews/questions.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "reviews_test_fixture.h"

namespace plaza::reviews::testing {
namespace {

using plaza::testing::BackendName;
using plaza::testing::TestBackends;

class QuestionsTest : public ReviewsTest {};

TEST_P(QuestionsTest, OnlyOwnersOfTheProductAndStaffMayAnswer) {
  const TestProduct shirt = MakeProduct("Shirt");
  const social::Profile asker = MakeProfile("asker", 1);
  const social::Profile owner = MakeProfile("owner", 2);
  const social::Profile waiting = MakeProfile("waiting", 3);
  const social::Profile creator = MakeProfile("creator", 0);
  PLAZA_ASSERT_OK(Buy(2, shirt.variant_ids[0], /*deliver=*/true));
  PLAZA_ASSERT_OK(Buy(3, shirt.variant_ids[0], /*deliver=*/false));
  auto question = questions_.Ask(kShop, asker.id, shirt.id, "Does it shrink in the wash?");
  PLAZA_ASSERT_OK(question);
  EXPECT_EQ(question->answer_count, 0);

  for (const social::Profile& refused : {asker, waiting, creator}) {
    auto may = questions_.MayAnswer(kShop, refused.id, shirt.id);
    PLAZA_ASSERT_OK(may);
    EXPECT_FALSE(*may) << refused.handle;
    auto answer = questions_.AnswerAsOwner(kShop, refused.id, question->id, "No idea");
    ASSERT_FALSE(answer.ok()) << refused.handle;
    EXPECT_EQ(answer.error().type, "reviews/not-an-owner") << refused.handle;
    EXPECT_EQ(answer.error().code, ErrorCode::kPermissionDenied);
  }
  auto may = questions_.MayAnswer(kShop, owner.id, shirt.id);
  PLAZA_ASSERT_OK(may);
  EXPECT_TRUE(*may);
  EXPECT_EQ(questions_.MayAnswer(kOtherShop, owner.id, shirt.id).error().code, ErrorCode::kNotFound);
  const TestProduct hat = MakeProduct("Hat");
  auto other_product = questions_.MayAnswer(kShop, owner.id, hat.id);
  PLAZA_ASSERT_OK(other_product);
  EXPECT_FALSE(*other_product);
  auto by_owner = questions_.AnswerAsOwner(kShop, owner.id, question->id, "Not at 30 degrees.");
  PLAZA_ASSERT_OK(by_owner);
  EXPECT_TRUE(by_owner->verified_owner);
  EXPECT_FALSE(by_owner->by_brand);
  EXPECT_EQ(by_owner->author_profile_id, owner.id);

  auto marketer = questions_.AnswerAsBrand(Staff(kShop, identity::Role::kMarketer), kShop, question->id, "Hi");
  EXPECT_EQ(marketer.error().code, ErrorCode::kPermissionDenied);
  auto by_brand = questions_.AnswerAsBrand(Staff(), kShop, question->id, "Wash cold and it keeps its size.");
  PLAZA_ASSERT_OK(by_brand);
  EXPECT_TRUE(by_brand->by_brand);
  EXPECT_FALSE(by_brand->author_profile_id);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM audit_log WHERE action = 'question.answered'"), 1);

  auto read = questions_.GetQuestion(kShop, question->id, std::nullopt);
  PLAZA_ASSERT_OK(read);
  EXPECT_EQ(read->answer_count, 2);
  EXPECT_EQ(read->answers.size(), 2U);
  auto inbox = notifications_.List(kShop, asker.id, {}, false);
  PLAZA_ASSERT_OK(inbox);
  EXPECT_EQ(inbox->notifications.size(), 2U) << "the asker hears of both answers";
}

TEST_P(QuestionsTest, UnansweredQuestionsAreListedForStaffOldestFirst) {
  const TestProduct shirt = MakeProduct("Shirt");
  const social::Profile asker = MakeProfile("asker", 1);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    auto question = questions_.Ask(kShop, asker.id, shirt.id, "Question " + std::to_string(i));
    PLAZA_ASSERT_OK(question);
    ids.push_back(question->id);
  }
  PLAZA_ASSERT_OK(questions_.AnswerAsBrand(Staff(), kShop, ids[1], "Yes."));
  auto answered_hidden = questions_.AnswerAsBrand(Staff(), kShop, ids[3], "Spam link");
  PLAZA_ASSERT_OK(answered_hidden);
  // A hidden answer leaves its question unanswered again.
  PLAZA_ASSERT_OK(db().Write([&](store::Transaction& tx) {
    return questions_.SetAnswerVisibility(tx, kShop, answered_hidden->id, Visibility::kHidden);
  }));
  std::vector<std::int64_t> listed;
  PageRequest page{.limit = 2};
  for (int pages = 0; pages < 5; ++pages) {
    auto unanswered = questions_.ListUnanswered(Staff(), kShop, page);
    PLAZA_ASSERT_OK(unanswered);
    for (const Question& question : unanswered->questions) listed.push_back(question.id);
    if (unanswered->next_cursor.empty()) break;
    page.cursor = unanswered->next_cursor;
  }
  EXPECT_EQ(listed, (std::vector<std::int64_t>{ids[0], ids[2], ids[3], ids[4]}));
  EXPECT_EQ(questions_.ListUnanswered(Staff(kOtherShop), kShop, {}).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(questions_.ListUnanswered(Staff(kOtherShop), kOtherShop, {})->questions.empty());
  EXPECT_EQ(questions_.ListUnanswered(Staff(kShop, identity::Role::kMarketer), kShop, {}).error().code,
            ErrorCode::kPermissionDenied);
}

TEST_P(QuestionsTest, UpvotesCountOncePerProfileUnderConcurrency) {
  const TestProduct shirt = MakeProduct("Shirt");
  const social::Profile asker = MakeProfile("asker", 1);
  auto question = questions_.Ask(kShop, asker.id, shirt.id, "Is it warm?");
  PLAZA_ASSERT_OK(question);
  auto answer = questions_.AnswerAsBrand(Staff(), kShop, question->id, "Very.");
  PLAZA_ASSERT_OK(answer);
  constexpr int kVoters = 8;
  std::vector<social::Profile> voters;
  for (int i = 0; i < kVoters; ++i) voters.push_back(MakeProfile("voter" + std::to_string(i), 100 + i));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kVoters; ++i) {
    threads.emplace_back([&, i] {
      // Each voter votes twice on each target: the second vote must change nothing.
      for (int round = 0; round < 2; ++round) {
        const std::int64_t voter = voters[static_cast<std::size_t>(i)].id;
        if (!questions_.Upvote(kShop, voter, VoteTarget::kQuestion, question->id).ok()) ++failures;
        if (!questions_.Upvote(kShop, voter, VoteTarget::kAnswer, answer->id).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto read = questions_.GetQuestion(kShop, question->id, std::nullopt);
  PLAZA_ASSERT_OK(read);
  EXPECT_EQ(read->upvotes, kVoters);
  ASSERT_EQ(read->answers.size(), 1U);
  EXPECT_EQ(read->answers[0].upvotes, kVoters);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM reviews_votes"), 2 * kVoters);
  EXPECT_EQ(questions_.Upvote(kOtherShop, voters[0].id, VoteTarget::kQuestion, question->id).error().code,
            ErrorCode::kNotFound);
}

TEST_P(QuestionsTest, TheAskerOrStaffAcceptAnAnswer) {
  const TestProduct shirt = MakeProduct("Shirt");
  const TestProduct cap = MakeProduct("Cap");
  const social::Profile asker = MakeProfile("asker", 1);
  const social::Profile other = MakeProfile("other", 2);
  auto question = questions_.Ask(kShop, asker.id, shirt.id, "Which size for 180 cm?");
  auto elsewhere = questions_.Ask(kShop, asker.id, cap.id, "Adjustable?");
  PLAZA_ASSERT_OK(question);
  PLAZA_ASSERT_OK(elsewhere);
  auto first = questions_.AnswerAsBrand(Staff(), kShop, question->id, "M.");
  auto second = questions_.AnswerAsBrand(Staff(), kShop, question->id, "L if you like it loose.");
  auto foreign_answer = questions_.AnswerAsBrand(Staff(), kShop, elsewhere->id, "Yes.");
  PLAZA_ASSERT_OK(first);
  PLAZA_ASSERT_OK(second);
  PLAZA_ASSERT_OK(foreign_answer);

  EXPECT_EQ(questions_.AcceptByAsker(kShop, other.id, question->id, first->id).error().type, "reviews/not-the-asker");
  EXPECT_EQ(questions_.AcceptByAsker(kShop, asker.id, question->id, foreign_answer->id).error().type,
            "reviews/not-an-answer");
  auto accepted = questions_.AcceptByAsker(kShop, asker.id, question->id, second->id);
  PLAZA_ASSERT_OK(accepted);
  EXPECT_EQ(accepted->accepted_answer_id, second->id);
  ASSERT_FALSE(accepted->answers.empty());
  EXPECT_EQ(accepted->answers[0].id, second->id) << "the accepted answer comes first";

  auto by_staff = questions_.AcceptByStaff(Staff(), kShop, question->id, first->id);
  PLAZA_ASSERT_OK(by_staff);
  EXPECT_EQ(by_staff->accepted_answer_id, first->id);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM audit_log WHERE action = 'question.accepted'"), 1);
  EXPECT_EQ(questions_.AcceptByStaff(Staff(kOtherShop), kOtherShop, question->id, first->id).error().code,
            ErrorCode::kNotFound);
}

TEST_P(QuestionsTest, HostileTextsAndForeignShopsAreRefused) {
  const TestProduct shirt = MakeProduct("Shirt");
  const TestProduct foreign = MakeProduct("Foreign", 1, kOtherShop);
  const social::Profile asker = MakeProfile("asker", 1);
  EXPECT_EQ(questions_.Ask(kShop, asker.id, shirt.id, "").error().type, "validation/required");
  EXPECT_EQ(questions_.Ask(kShop, asker.id, shirt.id, "   ").error().type, "validation/required");
  EXPECT_EQ(questions_.Ask(kShop, asker.id, shirt.id, std::string(1001, 'q')).error().type, "validation/too-long");
  EXPECT_EQ(questions_.Ask(kShop, asker.id, shirt.id, "\xEF\xBB\xBFsneaky").error().type,
            "reviews/invisible-character");
  EXPECT_EQ(questions_.Ask(kShop, asker.id, foreign.id, "Where is it made?").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(questions_.Ask(kOtherShop, asker.id, foreign.id, "Where is it made?").error().code, ErrorCode::kNotFound);
  const std::string markup = "<b onmouseover=alert(1)>bold</b>";
  auto stored = questions_.Ask(kShop, asker.id, shirt.id, markup);
  PLAZA_ASSERT_OK(stored);
  EXPECT_EQ(stored->text, markup);
  EXPECT_EQ(questions_.GetQuestion(kOtherShop, stored->id, std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(questions_.ListQuestions(kOtherShop, shirt.id, std::nullopt, {})->questions.empty());
  EXPECT_EQ(questions_.ListQuestions(kShop, shirt.id, std::nullopt, {.cursor = "1"}).error().type,
            "reviews/invalid-cursor");
}

TEST_P(QuestionsTest, ProductListsRankByUpvotesAndPageThroughEveryQuestion) {
  const TestProduct shirt = MakeProduct("Shirt");
  const social::Profile asker = MakeProfile("asker", 1);
  const social::Profile voter = MakeProfile("voter", 2);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    auto question = questions_.Ask(kShop, asker.id, shirt.id, "Q" + std::to_string(i));
    PLAZA_ASSERT_OK(question);
    ids.push_back(question->id);
  }
  PLAZA_ASSERT_OK(questions_.Upvote(kShop, voter.id, VoteTarget::kQuestion, ids[2]));
  PLAZA_ASSERT_OK(db().Write(
      [&](store::Transaction& tx) { return questions_.SetQuestionVisibility(tx, kShop, ids[4], Visibility::kHeld); }));
  std::vector<std::int64_t> listed;
  PageRequest page{.limit = 2};
  for (int pages = 0; pages < 5; ++pages) {
    auto list = questions_.ListQuestions(kShop, shirt.id, voter.id, page);
    PLAZA_ASSERT_OK(list);
    for (const Question& question : list->questions) listed.push_back(question.id);
    if (list->next_cursor.empty()) break;
    page.cursor = list->next_cursor;
  }
  EXPECT_EQ(listed, (std::vector<std::int64_t>{ids[2], ids[3], ids[1], ids[0]}));
  auto own = questions_.ListQuestions(kShop, shirt.id, asker.id, {});
  PLAZA_ASSERT_OK(own);
  EXPECT_EQ(own->questions.size(), 5U) << "the asker still sees their held question";
}

INSTANTIATE_TEST_SUITE_P(Backends, QuestionsTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::reviews::testing
