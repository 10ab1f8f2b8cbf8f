// Product questions and answers: a product's questions and one question for everyone
// (`shop`); asking, answering as an owner, upvoting and accepting for the signed-in
// customer (`customer`); the unanswered list, brand answers and acceptance for staff
// with care.reply (`admin`). Every rule lives in reviews::QuestionService.

#include <charconv>
#include <limits>

#include "plaza/reviews/questions.h"
#include "plaza/social/profiles.h"
#include "review_encode.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;

constexpr http::StringLimits kLooseQuestion{.max_length = 4 * reviews::kMaxQuestionLength, .multiline = true};
constexpr http::StringLimits kLooseAnswer{.max_length = 4 * reviews::kMaxAnswerLength, .multiline = true};
constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();

Result<reviews::PageRequest> ReadPage(const Request& request) {
  reviews::PageRequest page;
  if (auto cursor = request.Query("cursor")) page.cursor = std::string(*cursor);
  if (auto text = request.Query("limit")) {
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), page.limit);
    if (error != std::errc() || end != text->data() + text->size() || page.limit < 1 ||
        page.limit > reviews::kMaxPageSize) {
      return Error::Invalid("validation/format",
                            "limit must be a whole number from 1 to " + std::to_string(reviews::kMaxPageSize), "limit");
    }
  }
  return page;
}

Response PageResponse(const reviews::QuestionPage& page) {
  boost::json::array questions;
  for (const reviews::Question& question : page.questions) questions.emplace_back(EncodeQuestion(question));
  boost::json::object out{{"questions", std::move(questions)}};
  out["next_cursor"] = page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor);
  return Response::Json(out);
}

Result<std::string> ReadText(const Request& request, const http::StringLimits& limits) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  const JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"text"}));
  return reader.RequiredString("text", limits);
}

Result<std::int64_t> ReadAnswerId(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  const JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"answer_id"}));
  return reader.RequiredInt64("answer_id", 1, kMaxId);
}

Result<std::int64_t> SignedInProfile(const ApiServices& services, const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(const social::Profile me,
                         services.social.ProfileOfCustomer(ShopOf(request), Caller(request).user_id));
  return me.id;
}

}  // namespace

void RegisterQuestionStorefrontRoutes(http::RouteGroup shop, const ApiServices& services) {
  shop.Get("/questions/products/{id}", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(const std::int64_t product_id, IdFromPath(request, "id"));
             PLAZA_ASSIGN_OR_RETURN(const reviews::PageRequest page, ReadPage(request));
             PLAZA_ASSIGN_OR_RETURN(const reviews::QuestionPage questions,
                                    services.questions.ListQuestions(ShopOf(request), product_id, std::nullopt, page));
             return PageResponse(questions);
           }));
  shop.Get("/questions/{id}", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, IdFromPath(request, "id"));
             PLAZA_ASSIGN_OR_RETURN(const reviews::Question question,
                                    services.questions.GetQuestion(ShopOf(request), id, std::nullopt));
             return Response::Json(EncodeQuestion(question));
           }));
}

void RegisterCustomerQuestionRoutes(http::RouteGroup customer, const ApiServices& services) {
  customer.Post("/customer/questions", Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(const std::int64_t me, SignedInProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
                  const JsonReader reader(body);
                  PLAZA_TRY(reader.AllowOnly({"product_id", "text"}));
                  PLAZA_ASSIGN_OR_RETURN(const std::int64_t product_id, reader.RequiredInt64("product_id", 1, kMaxId));
                  PLAZA_ASSIGN_OR_RETURN(const std::string text, reader.RequiredString("text", kLooseQuestion));
                  PLAZA_ASSIGN_OR_RETURN(const reviews::Question question,
                                         services.questions.Ask(ShopOf(request), me, product_id, text));
                  return Response::Json(EncodeQuestion(question), 201);
                }));
  customer.Post("/customer/questions/{id}/answers", Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(const std::int64_t me, SignedInProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, IdFromPath(request, "id"));
                  PLAZA_ASSIGN_OR_RETURN(const std::string text, ReadText(request, kLooseAnswer));
                  PLAZA_ASSIGN_OR_RETURN(const reviews::Answer answer,
                                         services.questions.AnswerAsOwner(ShopOf(request), me, id, text));
                  return Response::Json(EncodeAnswer(answer), 201);
                }));
  const auto upvote = [&services](reviews::VoteTarget target) {
    return Handle([&services, target](Request& request) -> Result<Response> {
      PLAZA_ASSIGN_OR_RETURN(const std::int64_t me, SignedInProfile(services, request));
      PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, IdFromPath(request, "id"));
      PLAZA_ASSIGN_OR_RETURN(const std::int64_t upvotes, services.questions.Upvote(ShopOf(request), me, target, id));
      return Response::Json(boost::json::object{{"id", id}, {"upvotes", upvotes}});
    });
  };
  customer.Post("/customer/questions/{id}/upvote", upvote(reviews::VoteTarget::kQuestion));
  customer.Post("/customer/answers/{id}/upvote", upvote(reviews::VoteTarget::kAnswer));
  customer.Post("/customer/questions/{id}/accept", Handle([&services](Request& request) -> Result<Response> {
                  PLAZA_ASSIGN_OR_RETURN(const std::int64_t me, SignedInProfile(services, request));
                  PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, IdFromPath(request, "id"));
                  PLAZA_ASSIGN_OR_RETURN(const std::int64_t answer_id, ReadAnswerId(request));
                  PLAZA_ASSIGN_OR_RETURN(const reviews::Question question,
                                         services.questions.AcceptByAsker(ShopOf(request), me, id, answer_id));
                  return Response::Json(EncodeQuestion(question));
                }));
}

void RegisterQuestionRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.Get("/care/questions/unanswered", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(const reviews::PageRequest page, ReadPage(request));
              PLAZA_ASSIGN_OR_RETURN(const reviews::QuestionPage questions,
                                     services.questions.ListUnanswered(Caller(request), ShopOf(request), page));
              return PageResponse(questions);
            }));
  admin.Post("/care/questions/{id}/answers", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, IdFromPath(request, "id"));
               PLAZA_ASSIGN_OR_RETURN(const std::string text, ReadText(request, kLooseAnswer));
               PLAZA_ASSIGN_OR_RETURN(const reviews::Answer answer,
                                      services.questions.AnswerAsBrand(Caller(request), ShopOf(request), id, text));
               return Response::Json(EncodeAnswer(answer), 201);
             }));
  admin.Post("/care/questions/{id}/accept", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, IdFromPath(request, "id"));
               PLAZA_ASSIGN_OR_RETURN(const std::int64_t answer_id, ReadAnswerId(request));
               PLAZA_ASSIGN_OR_RETURN(
                   const reviews::Question question,
                   services.questions.AcceptByStaff(Caller(request), ShopOf(request), id, answer_id));
               return Response::Json(EncodeQuestion(question));
             }));
}

}  // namespace plaza::api
