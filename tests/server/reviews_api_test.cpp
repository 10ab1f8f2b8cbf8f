// Reviews and product questions over HTTP: a customer's review created and edited, the
// public list with its rating, validation with field pointers, merchant replies behind
// care.reply, and the question flow (owners-only answers, brand answers, upvotes,
// acceptance, the unanswered list). Verified buyers, signals and concurrency are tested
// in modules/reviews.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "plaza/catalog/catalog.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class ReviewsApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("knits");
    base_ = "/api/v1/shops/" + shop_.handle;
    owner_ = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
    const SellableVariant sweater = SellInFrance(shop_, {.title = "Sweater",
                                                         .sku = "SW-1",
                                                         .weight_grams = 400,
                                                         .price_minor = 8900,
                                                         .stock = 10,
                                                         .location = "Roubaix",
                                                         .rate_name = "Standard",
                                                         .shipping_minor = 490});
    catalog::CatalogService catalog(db(), clock());
    auto summaries = catalog.GetVariantSummaries(shop_.id, std::vector<std::int64_t>{sweater.variant_id});
    ASSERT_TRUE(summaries.ok() && summaries->size() == 1);
    product_ = std::to_string(summaries->at(0).product_id);
  }

  // A signed-up customer with a social profile named `handle`.
  Credentials Member(const std::string& handle) {
    const Credentials customer = SignUpCustomer(shop_, handle + "@example.fr");
    auto profile = Call("POST", base_ + "/customer/social/profile", customer,
                        R"({"handle":")" + handle + R"(","display_name":")" + handle + R"("})");
    EXPECT_EQ(profile.status, 201) << profile.body;
    return customer;
  }

  TestShop shop_;
  std::string base_;
  Credentials owner_;
  std::string product_;
};

TEST_P(ReviewsApiTest, ACustomerReviewsEditsAndTheListAndRatingFollow) {
  const Credentials ana = Member("ana");
  auto created = Call("POST", base_ + "/customer/reviews", ana,
                      R"({"product_id":)" + product_ +
                          R"(,"rating":5,"title":"Warm","body":"<b>Cosy</b>",)"
                          R"("incentivised":true})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json().at("body").as_string(), "<b>Cosy</b>");
  EXPECT_TRUE(created.Json().at("incentivised").as_bool());
  EXPECT_FALSE(created.Json().at("verified_buyer").as_bool());
  EXPECT_FALSE(created.Json().as_object().contains("signals")) << "signals are for staff";
  clock().Advance(std::chrono::minutes(1));
  auto edited = Call("POST", base_ + "/customer/reviews", ana, R"({"product_id":)" + product_ + R"(,"rating":3})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.Json().at("id"), created.Json().at("id"));

  const Credentials ben = Member("ben");
  ASSERT_EQ(Call("POST", base_ + "/customer/reviews", ben, R"({"product_id":)" + product_ + R"(,"rating":4})").status,
            201);
  auto list = Call("GET", base_ + "/reviews/products/" + product_ + "?sort=lowest", {});
  ASSERT_EQ(list.status, 200) << list.body;
  const boost::json::value body = list.Json();
  const auto& reviews = body.at("reviews").as_array();
  ASSERT_EQ(reviews.size(), 2u);
  EXPECT_EQ(reviews.at(0).at("rating").as_int64(), 3);
  EXPECT_EQ(list.Json().at("rating").at("count").as_int64(), 2);
  EXPECT_EQ(list.Json().at("rating").at("average").as_string(), "3.5");
  EXPECT_EQ(list.Json().at("rating").at("histogram").at("4").as_int64(), 1);
  auto threes = Call("GET", base_ + "/reviews/products/" + product_ + "?rating=3", {});
  EXPECT_EQ(threes.Json().at("reviews").as_array().size(), 1u);
  auto rating = Call("GET", base_ + "/reviews/products/" + product_ + "/rating", {});
  EXPECT_EQ(rating.Json().at("average_tenths").as_int64(), 35);
  auto mine = Call("GET", base_ + "/customer/reviews/products/" + product_, ana);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.Json().at("rating").as_int64(), 3);
}

TEST_P(ReviewsApiTest, BadInputIsRefusedWithItsField) {
  const Credentials ana = Member("ana");
  struct Case {
    std::string body;
    int status;
    std::string field_or_type;
  };
  const std::vector<Case> cases = {
      {R"({"product_id":)" + product_ + R"(,"rating":9})", 422, "/rating"},
      {R"({"product_id":)" + product_ + R"(,"rating":4,"stars":5})", 422, "/stars"},
      {R"({"product_id":)" + product_ + R"(,"rating":4,"media_ids":["x"]})", 422, "/media_ids/0"},
      {R"({"product_id":)" + product_ + R"(,"rating":4,"media_ids":[424242]})", 422, "/media_ids/0"},
      {R"({"product_id":)" + product_ + R"(,"rating":4,"body":"zero\u200bwidth"})", 422, "/body"},
      {R"({"product_id":999999,"rating":4})", 404, ""},
  };
  for (const Case& test : cases) {
    auto response = Call("POST", base_ + "/customer/reviews", ana, test.body);
    EXPECT_EQ(response.status, test.status) << test.body << " -> " << response.body;
    if (!test.field_or_type.empty()) {
      EXPECT_NE(response.body.find("\"" + test.field_or_type + "\""), std::string::npos) << response.body;
    }
  }
  const Credentials stranger = SignUpCustomer(shop_, "noprofile@example.fr");
  EXPECT_EQ(
      Call("POST", base_ + "/customer/reviews", stranger, R"({"product_id":)" + product_ + R"(,"rating":4})").status,
      404)
      << "a customer without a social profile cannot review";
  EXPECT_EQ(Call("GET", base_ + "/reviews/products/" + product_ + "?cursor=nope", {}).status, 422);
  EXPECT_EQ(Call("GET", base_ + "/reviews/products/" + product_ + "?sort=random", {}).status, 422);
}

TEST_P(ReviewsApiTest, RepliesNeedCareReply) {
  const Credentials ana = Member("ana");
  auto review = Call("POST", base_ + "/customer/reviews", ana, R"({"product_id":)" + product_ + R"(,"rating":2})");
  ASSERT_EQ(review.status, 201);
  const std::string id = std::to_string(review.Json().at("id").as_int64());
  const Credentials marketer = StaffWithRoles(shop_, "m@knits.example", {identity::Role::kMarketer});
  EXPECT_EQ(Call("PUT", base_ + "/care/reviews/" + id + "/reply", marketer, R"({"text":"Sorry"})").status, 403);
  EXPECT_EQ(Call("GET", base_ + "/care/reviews", marketer).status, 403);
  const Credentials agent = StaffWithRoles(shop_, "a@knits.example", {identity::Role::kSupportAgent});
  auto replied =
      Call("PUT", base_ + "/care/reviews/" + id + "/reply", agent, R"({"text":"Sorry, a new one is on its way"})");
  ASSERT_EQ(replied.status, 200) << replied.body;
  auto list = Call("GET", base_ + "/reviews/products/" + product_, {});
  EXPECT_EQ(list.Json().at("reviews").at(0).at("reply").at("text").as_string(), "Sorry, a new one is on its way");
  EXPECT_FALSE(list.Json().at("reviews").at(0).at("reply").as_object().contains("staff"));
  auto staff_list = Call("GET", base_ + "/care/reviews?flagged=true", agent);
  ASSERT_EQ(staff_list.status, 200) << staff_list.body;
  ASSERT_EQ(staff_list.Json().at("reviews").as_array().size(), 1u);
  EXPECT_FALSE(staff_list.Json().at("reviews").at(0).at("signals").as_array().empty());
  EXPECT_EQ(Call("PUT", base_ + "/care/reviews/999999/reply", agent, R"({"text":"x"})").status, 404);
}

TEST_P(ReviewsApiTest, QuestionsAreAskedAnsweredUpvotedAndAccepted) {
  const Credentials ana = Member("ana");
  const Credentials ben = Member("ben");
  auto asked =
      Call("POST", base_ + "/customer/questions", ana, R"({"product_id":)" + product_ + R"(,"text":"Itchy?"})");
  ASSERT_EQ(asked.status, 201) << asked.body;
  const std::string id = std::to_string(asked.Json().at("id").as_int64());
  auto unanswered = Call("GET", base_ + "/care/questions/unanswered", owner_);
  ASSERT_EQ(unanswered.status, 200);
  EXPECT_EQ(unanswered.Json().at("questions").as_array().size(), 1u);

  auto not_owner = Call("POST", base_ + "/customer/questions/" + id + "/answers", ben, R"({"text":"No"})");
  EXPECT_EQ(not_owner.status, 403);
  EXPECT_EQ(not_owner.ProblemType(), "/problems/reviews/not-an-owner");
  auto brand = Call("POST", base_ + "/care/questions/" + id + "/answers", owner_, R"({"text":"Not at all: merino."})");
  ASSERT_EQ(brand.status, 201) << brand.body;
  EXPECT_TRUE(brand.Json().at("by_brand").as_bool());
  const std::string answer = std::to_string(brand.Json().at("id").as_int64());
  EXPECT_TRUE(Call("GET", base_ + "/care/questions/unanswered", owner_).Json().at("questions").as_array().empty());

  for (int round = 0; round < 2; ++round) {
    auto upvote = Call("POST", base_ + "/customer/answers/" + answer + "/upvote", ben);
    ASSERT_EQ(upvote.status, 200) << upvote.body;
    EXPECT_EQ(upvote.Json().at("upvotes").as_int64(), 1);
  }
  EXPECT_EQ(
      Call("POST", base_ + "/customer/questions/" + id + "/accept", ben, R"({"answer_id":)" + answer + "}").status,
      403);
  auto accepted = Call("POST", base_ + "/customer/questions/" + id + "/accept", ana, R"({"answer_id":)" + answer + "}");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.Json().at("accepted_answer_id").as_int64(), brand.Json().at("id").as_int64());
  auto page = Call("GET", base_ + "/questions/products/" + product_, {});
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.Json().at("questions").at(0).at("answers").at(0).at("upvotes").as_int64(), 1);
  EXPECT_EQ(Call("GET", base_ + "/questions/" + id, {}).status, 200);
  EXPECT_EQ(Call("GET", base_ + "/questions/999999", {}).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewsApiTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
