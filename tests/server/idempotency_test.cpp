// Idempotency-Key over HTTP: a retried mutating call has one effect and the first answer.

#include <gtest/gtest.h>

#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

class IdempotencyKeyTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("alpha");
    owner_ = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  }

  http::testing::ClientResponse CreateWebhook(const std::string& key, const std::string& url) {
    Credentials with_key = owner_;
    if (!key.empty()) with_key.headers.Set("Idempotency-Key", key);
    return Call("POST", "/api/v1/shops/alpha/webhooks", with_key,
                R"({"url":")" + url + R"(","event_types":["order.placed"]})");
  }

  std::size_t Webhooks() {
    auto list = Call("GET", "/api/v1/shops/alpha/webhooks", owner_);
    EXPECT_EQ(list.status, 200) << list.body;
    return list.Json().at("webhooks").as_array().size();
  }

  TestShop shop_;
  Credentials owner_;
};

TEST_P(IdempotencyKeyTest, TenRetriesWithOneKeyCreateOneResourceAndReplayTheAnswer) {
  auto first = CreateWebhook("hook-create-1", "http://127.0.0.1:9/a");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(first.headers.Has("Idempotent-Replayed"));
  for (int retry = 0; retry < 9; ++retry) {
    auto again = CreateWebhook("hook-create-1", "http://127.0.0.1:9/a");
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.headers.Get("Idempotent-Replayed").value_or(""), "true");
  }
  EXPECT_EQ(Webhooks(), 1u);
}

TEST_P(IdempotencyKeyTest, WithoutAKeyEveryCallTakesEffect) {
  ASSERT_EQ(CreateWebhook("", "http://127.0.0.1:9/a").status, 201);
  ASSERT_EQ(CreateWebhook("", "http://127.0.0.1:9/a").status, 201);
  EXPECT_EQ(Webhooks(), 2u);
}

TEST_P(IdempotencyKeyTest, TheSameKeyWithAnotherBodyIsAConflict) {
  ASSERT_EQ(CreateWebhook("hook-create-2", "http://127.0.0.1:9/a").status, 201);
  auto other = CreateWebhook("hook-create-2", "http://127.0.0.1:9/b");
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_EQ(other.ProblemType(), "/problems/idempotency/key-reused");
  EXPECT_EQ(Webhooks(), 1u);
}

TEST_P(IdempotencyKeyTest, AFailedCallIsNotRememberedSoItCanBeCorrected) {
  auto rejected = CreateWebhook("hook-create-3", "not a url");
  ASSERT_EQ(rejected.status / 100, 4) << rejected.body;
  auto corrected = CreateWebhook("hook-create-3", "http://127.0.0.1:9/a");
  EXPECT_EQ(corrected.status, 201) << corrected.body;
  EXPECT_EQ(Webhooks(), 1u);
}

TEST_P(IdempotencyKeyTest, AMalformedKeyIsABadRequestWithNoEffect) {
  auto response = CreateWebhook(std::string(300, 'k'), "http://127.0.0.1:9/a");
  EXPECT_EQ(response.status, 422) << response.body;
  EXPECT_EQ(response.ProblemType(), "/problems/idempotency/invalid-key");
  EXPECT_EQ(response.Json().at("field").as_string(), "Idempotency-Key");
  EXPECT_EQ(Webhooks(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyKeyTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
