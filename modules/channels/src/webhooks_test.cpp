#include "plaza/channels/webhooks.h"

#include <gtest/gtest.h>

#include <string>

#include "channels_test_fixture.h"

namespace plaza::channels {
namespace {

class WebhookServiceTest : public ChannelsDatabaseTest {
 protected:
  Result<SubscriptionWithSecret> Create(std::int64_t shop_id, const std::string& url = "https://example.com/hooks",
                                        std::vector<std::string> event_types = {"order.placed"}) {
    return service_.Create(shop_id, {.url = url, .event_types = std::move(event_types)});
  }

  WebhookService service_{db(), clock_};
};

TEST_P(WebhookServiceTest, CreatesWithASecretShownOnce) {
  auto created = Create(kShop, "https://example.com/hooks", {"order.placed", "customer.created", "order.placed"});
  ASSERT_TRUE(created.ok()) << created.error().detail;
  EXPECT_TRUE(created->secret.starts_with("whsec_"));
  EXPECT_GE(created->secret.size(), 40u);
  const WebhookSubscription& subscription = created->subscription;
  EXPECT_GT(subscription.id, 0);
  EXPECT_EQ(subscription.shop_id, kShop);
  EXPECT_EQ(subscription.url, "https://example.com/hooks");
  EXPECT_EQ(subscription.event_types, (std::vector<std::string>{"customer.created", "order.placed"}));
  EXPECT_TRUE(subscription.active);
  EXPECT_EQ(subscription.created_at, clock_.Now());

  auto fetched = service_.Get(kShop, subscription.id);
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(fetched->url, subscription.url);
  EXPECT_EQ(fetched->event_types, subscription.event_types);
  auto second = Create(kShop);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->secret, created->secret);
  auto listed = service_.List(kShop);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, subscription.id);
}

TEST_P(WebhookServiceTest, StarSubscribesToEverything) {
  auto created = Create(kShop, "https://example.com/hooks", {"order.placed", "*"});
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->subscription.event_types, (std::vector<std::string>{"*"}));
  EXPECT_TRUE(MatchesEventType({"*"}, "anything.at_all"));
  EXPECT_TRUE(MatchesEventType({"a.b", "order.placed"}, "order.placed"));
  EXPECT_FALSE(MatchesEventType({"order.placed"}, "order.placed2"));
  EXPECT_FALSE(MatchesEventType({"order"}, "order.placed"));
}

TEST_P(WebhookServiceTest, ValidatesUrlsAndEventTypes) {
  struct Case {
    std::string url;
    std::vector<std::string> event_types;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"ftp://example.com/hooks", {"*"}, "/url"},
      {"file:///etc/passwd", {"*"}, "/url"},
      {"https://user:pass@example.com/hooks", {"*"}, "/url"},
      {"https://user@example.com/hooks", {"*"}, "/url"},
      {"https://example.com/with space", {"*"}, "/url"},
      {"https://example.com/\nX-Injected: 1", {"*"}, "/url"},
      {"example.com/hooks", {"*"}, "/url"},
      {"", {"*"}, "/url"},
      {"https://example.com/" + std::string(kMaxWebhookUrlLength, 'a'), {"*"}, "/url"},
      {"https://example.com/hooks", {}, "/event_types"},
      {"https://example.com/hooks", {"Order Placed"}, "/event_types/0"},
      {"https://example.com/hooks", {"order.placed", ".order"}, "/event_types/1"},
      {"https://example.com/hooks", {std::string(101, 'a')}, "/event_types/0"},
      {"https://example.com/hooks", std::vector<std::string>(65, "order.placed"), "/event_types"},
  };
  for (const Case& test_case : cases) {
    auto created = Create(kShop, test_case.url, test_case.event_types);
    ASSERT_FALSE(created.ok()) << test_case.url;
    EXPECT_EQ(created.error().code, ErrorCode::kInvalidArgument) << test_case.url;
    EXPECT_EQ(created.error().field, test_case.field) << test_case.url;
  }
  // Loopback and private addresses are allowed unless the setting blocks them.
  EXPECT_TRUE(Create(kShop, "http://127.0.0.1:9000/hooks").ok());
  EXPECT_TRUE(Create(kShop, "http://localhost/hooks").ok());
  EXPECT_TRUE(Create(kShop, "HTTPS://Example.com:8443/hooks?shop=1").ok());
  EXPECT_TRUE(service_.List(kShop)->size() == 3u);
}

TEST_P(WebhookServiceTest, BlocksPrivateNetworksWhenConfigured) {
  WebhookService strict(db(), clock_, {.block_private_networks = true});
  for (const char* url :
       {"http://127.0.0.1/hooks", "http://localhost:8080/hooks", "http://api.localhost/hooks", "http://10.0.0.5/hooks",
        "http://169.254.169.254/latest", "http://[::1]/hooks", "http://[fd00::1]/hooks", "http://0.0.0.0/hooks"}) {
    auto created = strict.Create(kShop, {.url = url, .event_types = {"*"}});
    ASSERT_FALSE(created.ok()) << url;
    EXPECT_EQ(created.error().field, "/url") << url;
  }
  EXPECT_TRUE(strict.Create(kShop, {.url = "https://example.com/hooks", .event_types = {"*"}}).ok());
}

TEST_P(WebhookServiceTest, LimitsSubscriptionsPerShop) {
  for (int i = 0; i < kMaxSubscriptionsPerShop; ++i) ASSERT_TRUE(Create(kShop).ok());
  auto extra = Create(kShop);
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.error().code, ErrorCode::kConflict);
  EXPECT_EQ(extra.error().type, "webhooks/too-many");
  EXPECT_TRUE(Create(kOtherShop).ok());  // the limit is per shop
}

TEST_P(WebhookServiceTest, UpdatesFieldsThatAreGiven) {
  auto created = Create(kShop);
  ASSERT_TRUE(created.ok());
  const std::int64_t id = created->subscription.id;
  clock_.Advance(std::chrono::minutes(1));
  auto updated = service_.Update(kShop, id, {.url = "https://example.org/new", .active = false});
  ASSERT_TRUE(updated.ok()) << updated.error().detail;
  EXPECT_EQ(updated->url, "https://example.org/new");
  EXPECT_EQ(updated->event_types, (std::vector<std::string>{"order.placed"}));
  EXPECT_FALSE(updated->active);
  EXPECT_EQ(updated->updated_at, clock_.Now());
  auto fetched = service_.Get(kShop, id);
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(fetched->url, "https://example.org/new");
  EXPECT_FALSE(fetched->active);
  EXPECT_EQ(fetched->created_at, created->subscription.created_at);

  EXPECT_EQ(service_.Update(kShop, id, {.url = "gopher://x"}).error().field, "/url");
  EXPECT_EQ(service_.Update(kShop, id, {.event_types = std::vector<std::string>{}}).error().field, "/event_types");
  auto retyped =
      service_.Update(kShop, id, {.event_types = std::vector<std::string>{"customer.created"}, .active = true});
  ASSERT_TRUE(retyped.ok());
  EXPECT_EQ(retyped->event_types, (std::vector<std::string>{"customer.created"}));
  EXPECT_TRUE(retyped->active);
}

TEST_P(WebhookServiceTest, RotatesTheSecret) {
  auto created = Create(kShop);
  ASSERT_TRUE(created.ok());
  auto rotated = service_.RotateSecret(kShop, created->subscription.id);
  ASSERT_TRUE(rotated.ok()) << rotated.error().detail;
  EXPECT_TRUE(rotated->secret.starts_with("whsec_"));
  EXPECT_NE(rotated->secret, created->secret);
  EXPECT_EQ(rotated->subscription.id, created->subscription.id);
}

TEST_P(WebhookServiceTest, DeletesForGood) {
  auto created = Create(kShop);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(service_.Delete(kShop, created->subscription.id).ok());
  EXPECT_EQ(service_.Get(kShop, created->subscription.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.Delete(kShop, created->subscription.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service_.List(kShop)->empty());
}

// Shop B knows (or guesses) the id of shop A's subscription: every operation must behave
// as if it did not exist, and shop A's subscription must be unchanged afterwards.
TEST_P(WebhookServiceTest, AnotherShopCannotSeeOrChangeASubscription) {
  auto created = Create(kShop);
  ASSERT_TRUE(created.ok());
  const std::int64_t id = created->subscription.id;

  EXPECT_EQ(service_.Get(kOtherShop, id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service_.List(kOtherShop)->empty());
  EXPECT_EQ(service_.Update(kOtherShop, id, {.url = "https://attacker.example/steal"}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(service_.Update(kOtherShop, id, {.active = false}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.RotateSecret(kOtherShop, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.Delete(kOtherShop, id).error().code, ErrorCode::kNotFound);
  auto deliveries = service_.ListDeliveries(kOtherShop, {.subscription_id = id});
  ASSERT_TRUE(deliveries.ok());
  EXPECT_TRUE(deliveries->empty());

  auto unchanged = service_.Get(kShop, id);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->url, "https://example.com/hooks");
  EXPECT_TRUE(unchanged->active);
  EXPECT_EQ(unchanged->updated_at, created->subscription.updated_at);
  EXPECT_EQ(service_.List(kShop)->size(), 1u);
  EXPECT_EQ(service_.Get(0, id).error().code, ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebhookServiceTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::channels
