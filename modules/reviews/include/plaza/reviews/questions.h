#pragma once
// Product questions and answers. Signed-in profiles ask about a product; staff answer
// for the brand (care.reply), and customers answer only when they own the product (a
// delivered order line of it, orders/purchases.h). Profiles upvote questions and
// answers, once each; the asker or staff accept one answer. Staff list the questions
// that have no visible answer yet. Questions and customers' answers are moderation
// activities (kQuestion, kAnswer) and pass the shop's keyword rules; held ones wait in
// the moderation queue. docs/reviews.md states the rules.
//
// Every function takes the shop and filters by it: another shop's question is absent.
// Thread-safety: a QuestionService may be used from any number of threads at once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/identity/permissions.h"
#include "plaza/reviews/content.h"
#include "plaza/store/database.h"

namespace plaza::social {
class NotificationService;
class ProfileService;
}  // namespace plaza::social

namespace plaza::reviews {

inline constexpr std::size_t kMaxQuestionLength = 1000;  // code points
inline constexpr std::size_t kMaxAnswerLength = 3000;    // code points
// Answers returned with one question: bounds the work of a product page.
inline constexpr int kMaxAnswersShown = 50;

struct Answer {
  std::int64_t id = 0;
  std::int64_t question_id = 0;
  // The answering customer's profile; absent when staff answered for the brand.
  std::optional<std::int64_t> author_profile_id{};
  bool by_brand = false;
  bool verified_owner = false;  // the author had a delivered order line of the product
  std::string text{};
  Visibility visibility = Visibility::kVisible;
  std::int64_t upvotes = 0;
  TimePoint created_at{};
};

struct Question {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::int64_t product_id = 0;
  std::int64_t author_profile_id = 0;
  std::string text{};
  Visibility visibility = Visibility::kVisible;
  std::int64_t upvotes = 0;
  std::int64_t answer_count = 0;  // visible answers
  std::optional<std::int64_t> accepted_answer_id{};
  // Filled by GetQuestion and ListQuestions: the answers the viewer may see, the accepted
  // one first, then by upvotes and age; at most kMaxAnswersShown.
  std::vector<Answer> answers{};
  TimePoint created_at{};
};

struct QuestionPage {
  std::vector<Question> questions{};
  std::string next_cursor{};  // empty on the last page
};

enum class VoteTarget { kQuestion, kAnswer };

class QuestionService {
 public:
  // Everything must outlive the service.
  QuestionService(store::Database& db, const Clock& clock, social::ProfileService& profiles,
                  social::NotificationService& notifications, moderation::ModerationService& moderation);

  // kNotFound for an unknown product or profile; text errors name "/text".
  Result<Question> Ask(std::int64_t shop_id, std::int64_t author_profile_id, std::int64_t product_id,
                       std::string_view text);
  // Whether the profile may answer questions about the product as a customer: its
  // customer has a delivered order line of it. The rule AnswerAsOwner enforces, for pages
  // to offer the answer form only to those it will accept; staff answer through
  // AnswerAsBrand whatever this says. kNotFound for an unknown profile.
  Result<bool> MayAnswer(std::int64_t shop_id, std::int64_t profile_id, std::int64_t product_id);
  // A customer's answer: "reviews/not-an-owner" (kPermissionDenied) unless MayAnswer.
  Result<Answer> AnswerAsOwner(std::int64_t shop_id, std::int64_t author_profile_id, std::int64_t question_id,
                               std::string_view text);
  // Staff (care.reply) answer for the brand; audited ("question.answered"). Either way
  // the asker is notified (answer).
  Result<Answer> AnswerAsBrand(const identity::Principal& staff, std::int64_t shop_id, std::int64_t question_id,
                               std::string_view text);

  // One upvote per profile and target; voting again changes nothing. Returns the count.
  Result<std::int64_t> Upvote(std::int64_t shop_id, std::int64_t profile_id, VoteTarget target, std::int64_t target_id);

  // The asker accepts one visible answer of their question (replacing an earlier choice);
  // anyone else gets kPermissionDenied "reviews/not-the-asker".
  Result<Question> AcceptByAsker(std::int64_t shop_id, std::int64_t profile_id, std::int64_t question_id,
                                 std::int64_t answer_id);
  // Staff (care.reply) accept an answer; audited ("question.accepted").
  Result<Question> AcceptByStaff(const identity::Principal& staff, std::int64_t shop_id, std::int64_t question_id,
                                 std::int64_t answer_id);

  // A question with its answers as `viewer` may see them (visible, and the viewer's own
  // held content); kNotFound otherwise.
  Result<Question> GetQuestion(std::int64_t shop_id, std::int64_t question_id, std::optional<std::int64_t> viewer);
  // A product's questions, most upvoted first, then newest; with their answers.
  Result<QuestionPage> ListQuestions(std::int64_t shop_id, std::int64_t product_id, std::optional<std::int64_t> viewer,
                                     const PageRequest& page);
  // Visible questions without a visible answer, oldest first (care.reply).
  Result<QuestionPage> ListUnanswered(const identity::Principal& staff, std::int64_t shop_id, const PageRequest& page);

  // For moderation: visibility of a question or an answer changes (an answer's question
  // keeps its count of visible answers right). kNotFound when absent. REQUIRES: a write
  // transaction.
  Status SetQuestionVisibility(store::Transaction& tx, std::int64_t shop_id, std::int64_t question_id,
                               Visibility visibility);
  Status SetAnswerVisibility(store::Transaction& tx, std::int64_t shop_id, std::int64_t answer_id,
                             Visibility visibility);
  // For moderation: the content in the caller's transaction, whatever its visibility.
  Result<Question> LoadQuestion(store::Transaction& tx, std::int64_t shop_id, std::int64_t question_id);
  Result<Answer> LoadAnswer(store::Transaction& tx, std::int64_t shop_id, std::int64_t answer_id);

 private:
  Result<Answer> InsertAnswer(store::Transaction& tx, std::int64_t shop_id, std::int64_t question_id,
                              std::optional<std::int64_t> author_profile_id, std::optional<std::string> staff_actor,
                              bool verified_owner, std::string_view text, Visibility visibility, TimePoint now);
  Result<Question> Accept(store::Transaction& tx, std::int64_t shop_id, std::int64_t question_id,
                          std::int64_t answer_id, TimePoint now);
  Status LoadAnswers(store::Transaction& tx, Question& question, std::optional<std::int64_t> viewer);

  store::Database& db_;
  const Clock& clock_;
  social::ProfileService& profiles_;
  social::NotificationService& notifications_;
  moderation::ModerationService& moderation_;
};

}  // namespace plaza::reviews
