#include "plaza/reviews/questions.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "plaza/catalog/catalog.h"
#include "plaza/identity/audit.h"
#include "plaza/orders/purchases.h"
#include "plaza/social/notifications.h"
#include "plaza/social/profiles.h"
#include "text_rules.h"

namespace plaza::reviews {
namespace {

constexpr std::string_view kQuestionColumns =
    "id, shop_id, product_id, author_profile_id, body, visibility, upvotes, answer_count, accepted_answer_id, "
    "created_at";
constexpr std::string_view kAnswerColumns =
    "id, question_id, author_profile_id, verified_owner, body, visibility, upvotes, created_at";

Question ReadQuestion(const store::Row& row) {
  Question question;
  question.id = row.Int(0);
  question.shop_id = row.Int(1);
  question.product_id = row.Int(2);
  question.author_profile_id = row.Int(3);
  question.text = row.Text(4);
  question.visibility = ParseVisibility(row.Text(5)).value_or(Visibility::kHeld);
  question.upvotes = row.Int(6);
  question.answer_count = row.Int(7);
  question.accepted_answer_id = row.OptionalInt(8);
  question.created_at = FromUnixMillis(row.Int(9));
  return question;
}

Answer ReadAnswer(const store::Row& row) {
  Answer answer;
  answer.id = row.Int(0);
  answer.question_id = row.Int(1);
  answer.author_profile_id = row.OptionalInt(2);
  answer.by_brand = !answer.author_profile_id.has_value();
  answer.verified_owner = row.Bool(3);
  answer.text = row.Text(4);
  answer.visibility = ParseVisibility(row.Text(5)).value_or(Visibility::kHeld);
  answer.upvotes = row.Int(6);
  answer.created_at = FromUnixMillis(row.Int(7));
  return answer;
}

Error NotFound(std::string_view what) {
  Error error = Error::NotFound("no such " + std::string(what));
  error.type = "reviews/" + std::string(what) + "-not-found";
  return error;
}

bool SeenBy(Visibility visibility, std::optional<std::int64_t> author, std::optional<std::int64_t> viewer) {
  return visibility == Visibility::kVisible ||
         (visibility == Visibility::kHeld && author && viewer && *author == *viewer);
}

bool ParsePositive(std::string_view digits, std::int64_t& out) {
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return ec == std::errc() && end == digits.data() + digits.size() && out >= 0;
}

Error InvalidCursor() {
  return Error::Invalid("reviews/invalid-cursor", "the cursor does not come from this list", "/cursor");
}

std::string JoinWith(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += "; ";
    out += item;
  }
  return out;
}

int PageLimit(int limit) {
  return std::clamp(limit, 1, kMaxPageSize);
}

Status ValidateQuestion(std::string_view text) {
  return internal::ValidateText(text, "/text", "the question", 1, kMaxQuestionLength);
}

// The rule a customer's answer is held to: the profile's customer received the product
// (a delivered order line of it).
Result<bool> OwnsProduct(store::Transaction& tx, std::int64_t shop_id, const social::Profile& profile,
                         std::int64_t product_id) {
  if (!profile.customer_id) return false;
  PLAZA_ASSIGN_OR_RETURN(const auto lines, orders::DeliveredLinesOf(tx, shop_id, *profile.customer_id, product_id));
  return !lines.empty();
}

Status ValidateAnswer(std::string_view text) {
  return internal::ValidateText(text, "/text", "the answer", 1, kMaxAnswerLength);
}

}  // namespace

QuestionService::QuestionService(store::Database& db, const Clock& clock, social::ProfileService& profiles,
                                 social::NotificationService& notifications, moderation::ModerationService& moderation)
    : db_(db), clock_(clock), profiles_(profiles), notifications_(notifications), moderation_(moderation) {}

Result<Question> QuestionService::LoadQuestion(store::Transaction& tx, std::int64_t shop_id, std::int64_t question_id) {
  PLAZA_ASSIGN_OR_RETURN(const auto row, tx.QueryOne("SELECT " + std::string(kQuestionColumns) +
                                                         " FROM reviews_questions WHERE shop_id = ? AND id = ?",
                                                     {shop_id, question_id}));
  if (!row) return NotFound("question");
  return ReadQuestion(*row);
}

Result<Answer> QuestionService::LoadAnswer(store::Transaction& tx, std::int64_t shop_id, std::int64_t answer_id) {
  PLAZA_ASSIGN_OR_RETURN(const auto row, tx.QueryOne("SELECT " + std::string(kAnswerColumns) +
                                                         " FROM reviews_answers WHERE shop_id = ? AND id = ?",
                                                     {shop_id, answer_id}));
  if (!row) return NotFound("answer");
  return ReadAnswer(*row);
}

Status QuestionService::LoadAnswers(store::Transaction& tx, Question& question, std::optional<std::int64_t> viewer) {
  PLAZA_ASSIGN_OR_RETURN(
      const auto result,
      tx.Execute("SELECT " + std::string(kAnswerColumns) +
                     " FROM reviews_answers WHERE shop_id = ? AND question_id = ?"
                     " AND (visibility = 'visible' OR (visibility = 'held' AND author_profile_id = ?))"
                     " ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END, upvotes DESC, id LIMIT ?",
                 {question.shop_id, question.id, viewer, question.accepted_answer_id.value_or(0), kMaxAnswersShown}));
  question.answers.clear();
  for (const store::Row& row : result.rows) question.answers.push_back(ReadAnswer(row));
  return Ok();
}

Result<Question> QuestionService::Ask(std::int64_t shop_id, std::int64_t author_profile_id, std::int64_t product_id,
                                      std::string_view text) {
  PLAZA_TRY(ValidateQuestion(text));
  PLAZA_ASSIGN_OR_RETURN(const social::Profile author, profiles_.GetProfile(shop_id, author_profile_id));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Question> {
    PLAZA_TRY(moderation_.AdmitActivity(tx, shop_id, author.id, moderation::Activity::kQuestion,
                                        {.links = internal::CountLinks(text)}));
    PLAZA_ASSIGN_OR_RETURN(const catalog::Product product, catalog::GetProduct(tx, shop_id, product_id));
    PLAZA_ASSIGN_OR_RETURN(const moderation::Screening screening, moderation_.ScreenText(tx, shop_id, text));
    const bool held = screening.verdict == moderation::Screening::Verdict::kHold;
    PLAZA_ASSIGN_OR_RETURN(
        const auto inserted,
        tx.QueryOne(
            "INSERT INTO reviews_questions (shop_id, product_id, author_profile_id, body, visibility,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {shop_id, product.id, author.id, screening.text,
             VisibilityName(held ? Visibility::kHeld : Visibility::kVisible), ToUnixMillis(now), ToUnixMillis(now)}));
    const std::int64_t id = inserted->Int(0);
    if (held) {
      PLAZA_TRY(moderation_.FlagForReview(tx, shop_id, {.kind = moderation::ContentKind::kQuestion, .id = id},
                                          "keyword rule: " + JoinWith(screening.matched)));
    }
    return LoadQuestion(tx, shop_id, id);
  });
}

Result<Answer> QuestionService::InsertAnswer(store::Transaction& tx, std::int64_t shop_id, std::int64_t question_id,
                                             std::optional<std::int64_t> author_profile_id,
                                             std::optional<std::string> staff_actor, bool verified_owner,
                                             std::string_view text, Visibility visibility, TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(
      const auto inserted,
      tx.QueryOne("INSERT INTO reviews_answers (shop_id, question_id, author_profile_id, staff_actor, verified_owner,"
                  " body, visibility, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {shop_id, question_id, author_profile_id, staff_actor, verified_owner, text,
                   VisibilityName(visibility), ToUnixMillis(now)}));
  // A held answer counts, and is announced, once a moderator lets it through.
  if (visibility != Visibility::kVisible) return LoadAnswer(tx, shop_id, inserted->Int(0));
  PLAZA_TRY(tx.Execute(
      "UPDATE reviews_questions SET answer_count = answer_count + 1, updated_at = ? WHERE shop_id = ? AND id = ?",
      {ToUnixMillis(now), shop_id, question_id}));
  PLAZA_ASSIGN_OR_RETURN(const Question question, LoadQuestion(tx, shop_id, question_id));
  PLAZA_TRY(notifications_.Notify(tx, shop_id,
                                  {.recipient_profile_id = question.author_profile_id,
                                   .kind = social::NotificationKind::kAnswer,
                                   .actor_profile_id = author_profile_id,
                                   .subject_kind = "question",
                                   .subject_id = question_id,
                                   .text = std::string(text)}));
  return LoadAnswer(tx, shop_id, inserted->Int(0));
}

Result<bool> QuestionService::MayAnswer(std::int64_t shop_id, std::int64_t profile_id, std::int64_t product_id) {
  PLAZA_ASSIGN_OR_RETURN(const social::Profile profile, profiles_.GetProfile(shop_id, profile_id));
  return db_.Read(
      [&](store::Transaction& tx) -> Result<bool> { return OwnsProduct(tx, shop_id, profile, product_id); });
}

Result<Answer> QuestionService::AnswerAsOwner(std::int64_t shop_id, std::int64_t author_profile_id,
                                              std::int64_t question_id, std::string_view text) {
  PLAZA_TRY(ValidateAnswer(text));
  PLAZA_ASSIGN_OR_RETURN(const social::Profile author, profiles_.GetProfile(shop_id, author_profile_id));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Answer> {
    PLAZA_ASSIGN_OR_RETURN(const Question question, LoadQuestion(tx, shop_id, question_id));
    if (!SeenBy(question.visibility, question.author_profile_id, author.id)) return NotFound("question");
    PLAZA_ASSIGN_OR_RETURN(const bool owner, OwnsProduct(tx, shop_id, author, question.product_id));
    if (!owner) {
      Error error = Error::Forbidden("only customers who received this product, and the shop's staff, may answer");
      error.type = "reviews/not-an-owner";
      return error;
    }
    PLAZA_TRY(moderation_.AdmitActivity(tx, shop_id, author.id, moderation::Activity::kAnswer,
                                        {.links = internal::CountLinks(text)}));
    PLAZA_ASSIGN_OR_RETURN(const moderation::Screening screening, moderation_.ScreenText(tx, shop_id, text));
    const bool held = screening.verdict == moderation::Screening::Verdict::kHold;
    PLAZA_ASSIGN_OR_RETURN(Answer answer,
                           InsertAnswer(tx, shop_id, question.id, author.id, std::nullopt, true, screening.text,
                                        held ? Visibility::kHeld : Visibility::kVisible, now));
    if (held) {
      PLAZA_TRY(moderation_.FlagForReview(tx, shop_id, {.kind = moderation::ContentKind::kAnswer, .id = answer.id},
                                          "keyword rule: " + JoinWith(screening.matched)));
    }
    return answer;
  });
}

Result<Answer> QuestionService::AnswerAsBrand(const identity::Principal& staff, std::int64_t shop_id,
                                              std::int64_t question_id, std::string_view text) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kCareReply));
  PLAZA_TRY(ValidateAnswer(text));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Answer> {
    PLAZA_ASSIGN_OR_RETURN(const Question question, LoadQuestion(tx, shop_id, question_id));
    PLAZA_ASSIGN_OR_RETURN(Answer answer, InsertAnswer(tx, shop_id, question.id, std::nullopt, staff.ActorLabel(),
                                                       false, text, Visibility::kVisible, now));
    const boost::json::object details{{"question_id", question.id}, {"product_id", question.product_id}};
    PLAZA_TRY(
        identity::AppendAudit(tx, identity::AuditBy(staff, "question.answered", "answer:" + std::to_string(answer.id),
                                                    boost::json::serialize(details), now)));
    return answer;
  });
}

Result<std::int64_t> QuestionService::Upvote(std::int64_t shop_id, std::int64_t profile_id, VoteTarget target,
                                             std::int64_t target_id) {
  PLAZA_ASSIGN_OR_RETURN(const social::Profile voter, profiles_.GetProfile(shop_id, profile_id));
  const TimePoint now = clock_.Now();
  const bool question = target == VoteTarget::kQuestion;
  const std::string table = question ? "reviews_questions" : "reviews_answers";
  const std::int64_t key = store::QueueKey(question ? "reviews/question" : "reviews/answer", shop_id, target_id);
  return db_.WriteQueued(std::span<const std::int64_t>(&key, 1), [&](store::Transaction& tx) -> Result<std::int64_t> {
    if (question) {
      PLAZA_ASSIGN_OR_RETURN(const Question q, LoadQuestion(tx, shop_id, target_id));
      if (!SeenBy(q.visibility, q.author_profile_id, voter.id)) return NotFound("question");
    } else {
      PLAZA_ASSIGN_OR_RETURN(const Answer a, LoadAnswer(tx, shop_id, target_id));
      if (!SeenBy(a.visibility, a.author_profile_id, voter.id)) return NotFound("answer");
    }
    PLAZA_ASSIGN_OR_RETURN(
        const auto vote,
        tx.Execute("INSERT INTO reviews_votes (shop_id, target_kind, target_id, profile_id, created_at)"
                   " VALUES (?, ?, ?, ?, ?) ON CONFLICT (shop_id, target_kind, target_id, profile_id) DO NOTHING",
                   {shop_id, question ? "question" : "answer", target_id, voter.id, ToUnixMillis(now)}));
    if (vote.affected_rows == 1) {
      PLAZA_TRY(tx.Execute("UPDATE " + table + " SET upvotes = upvotes + 1 WHERE shop_id = ? AND id = ?",
                           {shop_id, target_id}));
    }
    PLAZA_ASSIGN_OR_RETURN(const auto row, tx.QueryOne("SELECT upvotes FROM " + table + " WHERE shop_id = ? AND id = ?",
                                                       {shop_id, target_id}));
    return row->Int(0);
  });
}

Result<Question> QuestionService::Accept(store::Transaction& tx, std::int64_t shop_id, std::int64_t question_id,
                                         std::int64_t answer_id, TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(const Answer answer, LoadAnswer(tx, shop_id, answer_id));
  if (answer.question_id != question_id || answer.visibility != Visibility::kVisible) {
    Error error =
        Error::Invalid("reviews/not-an-answer", "that is not a visible answer of this question", "/answer_id");
    return error;
  }
  PLAZA_TRY(
      tx.Execute("UPDATE reviews_questions SET accepted_answer_id = ?, updated_at = ? WHERE shop_id = ? AND id = ?",
                 {answer_id, ToUnixMillis(now), shop_id, question_id}));
  PLAZA_ASSIGN_OR_RETURN(Question question, LoadQuestion(tx, shop_id, question_id));
  PLAZA_TRY(LoadAnswers(tx, question, std::nullopt));
  return question;
}

Result<Question> QuestionService::AcceptByAsker(std::int64_t shop_id, std::int64_t profile_id, std::int64_t question_id,
                                                std::int64_t answer_id) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Question> {
    PLAZA_ASSIGN_OR_RETURN(const Question question, LoadQuestion(tx, shop_id, question_id));
    if (!SeenBy(question.visibility, question.author_profile_id, profile_id)) return NotFound("question");
    if (question.author_profile_id != profile_id) {
      Error error = Error::Forbidden("only the person who asked, or the shop's staff, may accept an answer");
      error.type = "reviews/not-the-asker";
      return error;
    }
    return Accept(tx, shop_id, question_id, answer_id, now);
  });
}

Result<Question> QuestionService::AcceptByStaff(const identity::Principal& staff, std::int64_t shop_id,
                                                std::int64_t question_id, std::int64_t answer_id) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kCareReply));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Question> {
    PLAZA_ASSIGN_OR_RETURN(const Question question, LoadQuestion(tx, shop_id, question_id));
    PLAZA_ASSIGN_OR_RETURN(Question accepted, Accept(tx, shop_id, question.id, answer_id, now));
    const boost::json::object details{{"answer_id", answer_id}};
    PLAZA_TRY(identity::AppendAudit(
        tx, identity::AuditBy(staff, "question.accepted", "question:" + std::to_string(question.id),
                              boost::json::serialize(details), now)));
    return accepted;
  });
}

Result<Question> QuestionService::GetQuestion(std::int64_t shop_id, std::int64_t question_id,
                                              std::optional<std::int64_t> viewer) {
  return db_.Read([&](store::Transaction& tx) -> Result<Question> {
    PLAZA_ASSIGN_OR_RETURN(Question question, LoadQuestion(tx, shop_id, question_id));
    if (!SeenBy(question.visibility, question.author_profile_id, viewer)) return NotFound("question");
    PLAZA_TRY(LoadAnswers(tx, question, viewer));
    return question;
  });
}

Result<QuestionPage> QuestionService::ListQuestions(std::int64_t shop_id, std::int64_t product_id,
                                                    std::optional<std::int64_t> viewer, const PageRequest& page) {
  std::int64_t after_upvotes = 0;
  std::int64_t after_id = 0;
  if (!page.cursor.empty()) {
    const std::size_t dot = page.cursor.find('.');
    if (dot == std::string::npos || !ParsePositive(std::string_view(page.cursor).substr(0, dot), after_upvotes) ||
        !ParsePositive(std::string_view(page.cursor).substr(dot + 1), after_id) || after_id == 0) {
      return InvalidCursor();
    }
  }
  const int limit = PageLimit(page.limit);
  std::string sql = "SELECT " + std::string(kQuestionColumns) +
                    " FROM reviews_questions WHERE shop_id = ? AND product_id = ?"
                    " AND (visibility = 'visible' OR (visibility = 'held' AND author_profile_id = ?))";
  std::vector<store::Param> params = {shop_id, product_id, viewer};
  if (after_id != 0) {
    sql += " AND (upvotes < ? OR (upvotes = ? AND id < ?))";
    params.insert(params.end(), {after_upvotes, after_upvotes, after_id});
  }
  sql += " ORDER BY upvotes DESC, id DESC LIMIT ?";
  params.emplace_back(limit + 1);
  return db_.Read([&](store::Transaction& tx) -> Result<QuestionPage> {
    PLAZA_ASSIGN_OR_RETURN(const auto result, tx.Execute(sql, params));
    QuestionPage out;
    for (const store::Row& row : result.rows) out.questions.push_back(ReadQuestion(row));
    if (out.questions.size() > static_cast<std::size_t>(limit)) {
      out.questions.pop_back();
      out.next_cursor = std::to_string(out.questions.back().upvotes) + "." + std::to_string(out.questions.back().id);
    }
    for (Question& question : out.questions) PLAZA_TRY(LoadAnswers(tx, question, viewer));
    return out;
  });
}

Result<QuestionPage> QuestionService::ListUnanswered(const identity::Principal& staff, std::int64_t shop_id,
                                                     const PageRequest& page) {
  PLAZA_TRY(identity::Authorize(staff, shop_id, identity::Permission::kCareReply));
  std::int64_t after_id = 0;
  if (!page.cursor.empty() && (!ParsePositive(page.cursor, after_id) || after_id == 0)) return InvalidCursor();
  const int limit = PageLimit(page.limit);
  return db_.Read([&](store::Transaction& tx) -> Result<QuestionPage> {
    PLAZA_ASSIGN_OR_RETURN(const auto result,
                           tx.Execute("SELECT " + std::string(kQuestionColumns) +
                                          " FROM reviews_questions WHERE shop_id = ? AND answer_count = 0"
                                          " AND visibility = 'visible' AND id > ? ORDER BY id LIMIT ?",
                                      {shop_id, after_id, limit + 1}));
    QuestionPage out;
    for (const store::Row& row : result.rows) out.questions.push_back(ReadQuestion(row));
    if (out.questions.size() > static_cast<std::size_t>(limit)) {
      out.questions.pop_back();
      out.next_cursor = std::to_string(out.questions.back().id);
    }
    return out;
  });
}

Status QuestionService::SetQuestionVisibility(store::Transaction& tx, std::int64_t shop_id, std::int64_t question_id,
                                              Visibility visibility) {
  PLAZA_ASSIGN_OR_RETURN(const Question question, LoadQuestion(tx, shop_id, question_id));
  PLAZA_TRY(tx.Execute("UPDATE reviews_questions SET visibility = ?, updated_at = ? WHERE shop_id = ? AND id = ?",
                       {VisibilityName(visibility), ToUnixMillis(clock_.Now()), shop_id, question.id}));
  return Ok();
}

Status QuestionService::SetAnswerVisibility(store::Transaction& tx, std::int64_t shop_id, std::int64_t answer_id,
                                            Visibility visibility) {
  PLAZA_ASSIGN_OR_RETURN(const Answer answer, LoadAnswer(tx, shop_id, answer_id));
  if (answer.visibility == visibility) return Ok();
  PLAZA_TRY(tx.Execute("UPDATE reviews_answers SET visibility = ? WHERE shop_id = ? AND id = ?",
                       {VisibilityName(visibility), shop_id, answer.id}));
  const int delta = (visibility == Visibility::kVisible ? 1 : 0) - (answer.visibility == Visibility::kVisible ? 1 : 0);
  if (delta != 0) {
    PLAZA_TRY(tx.Execute("UPDATE reviews_questions SET answer_count = answer_count + ? WHERE shop_id = ? AND id = ?",
                         {delta, shop_id, answer.question_id}));
  }
  if (visibility != Visibility::kVisible) {
    // An accepted answer nobody can see any more is no longer the accepted one.
    PLAZA_TRY(
        tx.Execute("UPDATE reviews_questions SET accepted_answer_id = NULL WHERE shop_id = ? AND id = ?"
                   " AND accepted_answer_id = ?",
                   {shop_id, answer.question_id, answer.id}));
  }
  return Ok();
}

}  // namespace plaza::reviews
