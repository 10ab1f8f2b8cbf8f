#include "plaza/http/problem.h"

#include <gtest/gtest.h>

namespace plaza::http {
namespace {

Error WithCode(ErrorCode code, std::string type = "x") {
  return Error{code, std::move(type), "d", {}};
}

TEST(ProblemTest, StatusByErrorCode) {
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kInvalidArgument, "validation/required")), 422);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kUnauthenticated)), 401);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kPermissionDenied)), 403);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kNotFound)), 404);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kConflict)), 409);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kPreconditionFailed, "etag/stale")), 412);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kPreconditionFailed, "idempotency/key-required")), 428);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kPayloadTooLarge)), 413);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kRateLimited)), 429);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kUnavailable)), 503);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kInternal)), 500);
}

TEST(ProblemTest, SyntaxErrorsAre400) {
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kInvalidArgument, "json/malformed")), 400);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kInvalidArgument, "http/bad-request")), 400);
}

TEST(ProblemTest, TransportSlugsHaveTheirOwnStatus) {
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kInvalidArgument, "http/method-not-allowed")), 405);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kInvalidArgument, "http/unsupported-media-type")), 415);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kInvalidArgument, "http/header-too-large")), 431);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kInvalidArgument, "http/method-not-implemented")), 501);
  EXPECT_EQ(HttpStatusFor(WithCode(ErrorCode::kInvalidArgument, "http/upgrade-required")), 426);
}

TEST(ProblemTest, BodyHasEveryMember) {
  Error error = Error::Invalid("validation/required", "email is required.", "/email");
  boost::json::object body = ProblemBody(error, "r-1");
  EXPECT_EQ(body["type"], "/problems/validation/required");
  EXPECT_EQ(body["title"], "Required field missing");
  EXPECT_EQ(body["status"], 422);
  EXPECT_EQ(body["detail"], "email is required.");
  EXPECT_EQ(body["field"], "/email");
  EXPECT_EQ(body["request_id"], "r-1");
}

TEST(ProblemTest, OptionalMembersAreOmitted) {
  boost::json::object body = ProblemBody(Error::Conflict("order/already-paid", "Already paid."), "");
  EXPECT_FALSE(body.contains("field"));
  EXPECT_FALSE(body.contains("request_id"));
  EXPECT_EQ(body["title"], "Conflict");
}

TEST(ProblemTest, EmptySlugFallsBackToCodeName) {
  EXPECT_EQ(ProblemType(Error{ErrorCode::kConflict, "", "d", {}}), "/problems/conflict");
}

TEST(ProblemTest, InternalDetailIsNotDisclosed) {
  boost::json::object body = ProblemBody(Error::Internal("relation \"orders\" does not exist"), "r-2");
  EXPECT_EQ(body["status"], 500);
  EXPECT_EQ(std::string(body["detail"].as_string()).find("orders"), std::string::npos);
}

TEST(ProblemTest, OrThrowPassesValuesAndThrowsErrors) {
  EXPECT_EQ(OrThrow(Result<int>(3)), 3);
  try {
    OrThrow(Status(Error::NotFound("no such order")));
    FAIL() << "expected an exception";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::kNotFound);
    EXPECT_STREQ(e.what(), "no such order");
  }
}

}  // namespace
}  // namespace plaza::http
