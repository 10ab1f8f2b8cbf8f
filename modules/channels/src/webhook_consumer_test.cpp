#include "plaza/channels/webhook_consumer.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "channels_test_fixture.h"
#include "plaza/channels/webhook_signature.h"
#include "plaza/store/outbox.h"
#include "plaza/store/outbox_dispatcher.h"
#include "plaza_test/http_receiver.h"

namespace plaza::channels {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Webhook deliveries end to end: events appended to the outbox, the dispatcher, the
// consumer, real libcurl and a real HTTP receiver on 127.0.0.1.
class WebhookDeliveryTest : public ChannelsDatabaseTest {
 protected:
  static store::OutboxDispatcherOptions DispatcherOptions() {
    store::OutboxDispatcherOptions options;
    options.retry.initial_delay = seconds(10);
    options.retry.max_delay = minutes(1);
    options.retry.max_attempts = 4;
    options.retry.jitter = 0;
    return options;
  }

  void SetUp() override {
    ChannelsDatabaseTest::SetUp();
    dispatcher_.AddConsumer(consumer_);
    ASSERT_TRUE(dispatcher_.RegisterConsumers().ok());
  }

  SubscriptionWithSecret Subscribe(std::int64_t shop_id, const std::string& path,
                                   std::vector<std::string> event_types = {"*"}) {
    auto created = service_.Create(shop_id, {.url = receiver_.Url(path), .event_types = std::move(event_types)});
    EXPECT_TRUE(created.ok()) << created.error().detail;
    return created.ok() ? std::move(created).value() : SubscriptionWithSecret{};
  }

  std::int64_t Emit(std::int64_t shop_id, const std::string& event_type, const std::string& aggregate_id = "o-1",
                    const std::string& payload = R"({"order_id":"o-1","total":{"amount":1250,"currency":"EUR"}})") {
    auto id = db().Write([&](store::Transaction& tx) {
      return store::AppendEvent(tx,
                                {.shop_id = shop_id,
                                 .aggregate_type = "order",
                                 .aggregate_id = aggregate_id,
                                 .event_type = event_type,
                                 .payload_json = payload},
                                clock_.Now());
    });
    EXPECT_TRUE(id.ok()) << id.error().detail;
    return id.ok() ? *id : 0;
  }

  int RunOnce(store::OutboxDispatcher& dispatcher) {
    auto handed = dispatcher.RunOnce();
    EXPECT_TRUE(handed.ok()) << handed.error().detail;
    return handed.ok() ? *handed : -1;
  }
  int RunOnce() { return RunOnce(dispatcher_); }

  std::vector<WebhookDelivery> Deliveries(std::int64_t shop_id, std::optional<std::int64_t> subscription_id = {}) {
    auto deliveries = service_.ListDeliveries(shop_id, {.subscription_id = subscription_id});
    EXPECT_TRUE(deliveries.ok());
    return deliveries.ok() ? std::move(deliveries).value() : std::vector<WebhookDelivery>{};
  }

  WebhookService service_{db(), clock_};
  plaza::testing::HttpReceiver receiver_;
  std::unique_ptr<HttpSender> sender_ = MakeCurlHttpSender();
  WebhookConsumer consumer_{db(), clock_, *sender_};
  store::OutboxDispatcher dispatcher_{db(), clock_, DispatcherOptions()};
};

TEST_P(WebhookDeliveryTest, PostsASignedEventToEveryMatchingSubscriptionOfTheShop) {
  const auto placed = Subscribe(kShop, "/placed", {"order.placed"});
  const auto everything = Subscribe(kShop, "/all", {"*"});
  Subscribe(kShop, "/customers", {"customer.created"});
  Subscribe(kOtherShop, "/other-shop", {"*"});
  const std::int64_t event_id = Emit(kShop, "order.placed");

  EXPECT_EQ(RunOnce(), 1);
  const auto requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const plaza::testing::ReceivedRequest& request : requests) {
    const std::string& secret = request.target == "/placed" ? placed.secret : everything.secret;
    ASSERT_TRUE(request.target == "/placed" || request.target == "/all") << request.target;
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.Header("Content-Type"), "application/json");
    EXPECT_EQ(request.Header("Plaza-Event-Id"), std::to_string(event_id));
    EXPECT_EQ(request.Header("Plaza-Event-Type"), "order.placed");
    const std::string timestamp = std::to_string(ToUnixMillis(clock_.Now()) / 1000);
    EXPECT_EQ(request.Header("Plaza-Timestamp"), timestamp);
    const std::string signature = request.Header("Plaza-Signature");
    EXPECT_TRUE(signature.starts_with("t=" + timestamp + ",v1=")) << signature;
    const Status verified = VerifySignature(signature, request.body, secret, clock_.Now());
    EXPECT_TRUE(verified.ok()) << verified.error().detail;
    const std::string& other_secret = request.target == "/placed" ? everything.secret : placed.secret;
    EXPECT_FALSE(VerifySignature(signature, request.body, other_secret, clock_.Now()).ok());

    const boost::json::value body = boost::json::parse(request.body);
    EXPECT_EQ(body.at("id").as_int64(), event_id);
    EXPECT_EQ(body.at("type").as_string(), "order.placed");
    EXPECT_EQ(body.at("shop_id").as_int64(), kShop);
    EXPECT_EQ(body.at("created_at").as_string(), FormatRfc3339(clock_.Now()));
    EXPECT_EQ(body.at("data").at("total").at("amount").as_int64(), 1250);
    EXPECT_EQ(body.at("data").at("order_id").as_string(), "o-1");
  }
  // The body is identical for every receiver, so it can be hashed or deduped.
  EXPECT_EQ(requests[0].body, requests[1].body);

  const auto deliveries = Deliveries(kShop);
  ASSERT_EQ(deliveries.size(), 2u);
  for (const WebhookDelivery& delivery : deliveries) {
    EXPECT_EQ(delivery.event_id, event_id);
    EXPECT_EQ(delivery.event_type, "order.placed");
    EXPECT_EQ(delivery.state, DeliveryState::kDelivered);
    EXPECT_EQ(delivery.attempts, 1);
    EXPECT_EQ(delivery.last_status_code, 200);
    EXPECT_FALSE(delivery.next_attempt_at.has_value());
  }
  EXPECT_TRUE(Deliveries(kOtherShop).empty());
  EXPECT_EQ(RunOnce(), 0);
  EXPECT_EQ(receiver_.RequestCount(), 2u);
}

TEST_P(WebhookDeliveryTest, AReceiverThatFailsThenRecoversGetsTheEventAfterTheRetries) {
  const auto subscription = Subscribe(kShop, "/hooks");
  receiver_.FailNext(2, 500);
  const std::int64_t event_id = Emit(kShop, "order.placed");

  ASSERT_EQ(RunOnce(), 1);
  auto deliveries = Deliveries(kShop);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].state, DeliveryState::kPending);
  EXPECT_EQ(deliveries[0].attempts, 1);
  EXPECT_EQ(deliveries[0].last_status_code, 500);
  EXPECT_EQ(deliveries[0].last_error, "HTTP 500");
  EXPECT_EQ(deliveries[0].next_attempt_at, clock_.Now() + seconds(10));

  EXPECT_EQ(RunOnce(), 0);  // backing off
  EXPECT_EQ(receiver_.RequestCount(), 1u);
  clock_.Advance(seconds(10));
  ASSERT_EQ(RunOnce(), 1);
  EXPECT_EQ(Deliveries(kShop)[0].attempts, 2);
  EXPECT_EQ(Deliveries(kShop)[0].next_attempt_at, clock_.Now() + seconds(20));
  clock_.Advance(seconds(20));
  ASSERT_EQ(RunOnce(), 1);

  deliveries = Deliveries(kShop);
  EXPECT_EQ(deliveries[0].state, DeliveryState::kDelivered);
  EXPECT_EQ(deliveries[0].attempts, 3);
  EXPECT_EQ(deliveries[0].last_status_code, 200);
  const auto requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& request : requests) {
    EXPECT_EQ(request.Header("Plaza-Event-Id"), std::to_string(event_id));
    EXPECT_EQ(request.body, requests[0].body);
    EXPECT_TRUE(
        VerifySignature(request.Header("Plaza-Signature"), request.body, subscription.secret, clock_.Now()).ok());
  }
  clock_.Advance(minutes(10));
  EXPECT_EQ(RunOnce(), 0);
  EXPECT_EQ(receiver_.RequestCount(), 3u);
  EXPECT_EQ(dispatcher_.Stats().delivered, 1);
}

TEST_P(WebhookDeliveryTest, RetriesOnlyTheSubscriptionsThatFailed) {
  Subscribe(kShop, "/flaky");
  Subscribe(kShop, "/steady");
  receiver_.SetDefault({.status = 200});
  // The receiver serves one connection at a time, so which request meets the scripted
  // failure is not known in advance; the test checks that only that one is resent.
  receiver_.FailNext(1, 503);
  Emit(kShop, "order.placed");
  ASSERT_EQ(RunOnce(), 1);
  ASSERT_EQ(receiver_.RequestCount(), 2u);
  const std::string failed_target = receiver_.Requests()[0].target;
  clock_.Advance(seconds(10));
  ASSERT_EQ(RunOnce(), 1);
  const auto requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].target, failed_target);
  for (const WebhookDelivery& delivery : Deliveries(kShop)) EXPECT_EQ(delivery.state, DeliveryState::kDelivered);
}

TEST_P(WebhookDeliveryTest, DeadLettersAfterTheLastAttemptAndRequeueDeliversIt) {
  Subscribe(kShop, "/down");
  receiver_.SetDefault({.status = 500, .body = "database is down"});
  const std::int64_t event_id = Emit(kShop, "order.placed");
  for (int attempt = 0; attempt < 4; ++attempt) {
    ASSERT_EQ(RunOnce(), 1) << "attempt " << attempt + 1;
    clock_.Advance(minutes(1));
  }
  EXPECT_EQ(RunOnce(), 0);
  EXPECT_EQ(receiver_.RequestCount(), 4u);

  auto deliveries = Deliveries(kShop);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].state, DeliveryState::kDead);
  EXPECT_EQ(deliveries[0].attempts, 4);
  EXPECT_EQ(deliveries[0].last_error, "HTTP 500: database is down");
  EXPECT_FALSE(deliveries[0].next_attempt_at.has_value());
  auto dead = service_.ListDeliveries(kShop, {.state = DeliveryState::kDead});
  ASSERT_TRUE(dead.ok());
  EXPECT_EQ(dead->size(), 1u);
  auto letters = store::ListDeadLetters(db(), {.shop_id = kShop, .consumer = std::string(WebhookConsumer::kName)});
  ASSERT_TRUE(letters.ok());
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].event.id, event_id);
  EXPECT_NE((*letters)[0].last_error.find("HTTP 500"), std::string::npos) << (*letters)[0].last_error;
  EXPECT_TRUE(store::ListDeadLetters(db(), {.shop_id = kOtherShop})->empty());
  EXPECT_EQ(dispatcher_.Stats().dead, 1);

  // The receiver is fixed; staff requeue the dead letter.
  receiver_.SetDefault({.status = 200});
  ASSERT_TRUE(store::RequeueDeadLetter(db(), kShop, WebhookConsumer::kName, event_id, clock_.Now()).ok());
  ASSERT_EQ(RunOnce(), 1);
  deliveries = Deliveries(kShop);
  EXPECT_EQ(deliveries[0].state, DeliveryState::kDelivered);
  EXPECT_EQ(deliveries[0].attempts, 5);
  EXPECT_EQ(receiver_.RequestCount(), 5u);
  EXPECT_EQ(dispatcher_.Stats().dead, 0);
}

TEST_P(WebhookDeliveryTest, ATimeoutIsRetried) {
  // A short time-out keeps the test quick; the receiver never answers the first request.
  auto impatient = MakeCurlHttpSender({.total_timeout = milliseconds(500)});
  WebhookConsumer consumer(db(), clock_, *impatient);
  store::OutboxDispatcher dispatcher(db(), clock_, DispatcherOptions());
  dispatcher.AddConsumer(consumer);
  Subscribe(kShop, "/slow");
  receiver_.HangNext(1);
  Emit(kShop, "order.placed");

  ASSERT_EQ(RunOnce(dispatcher), 1);
  auto deliveries = Deliveries(kShop);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].state, DeliveryState::kPending);
  EXPECT_FALSE(deliveries[0].last_status_code.has_value());
  EXPECT_NE(deliveries[0].last_error.find("timed out"), std::string::npos) << deliveries[0].last_error;
  clock_.Advance(seconds(10));
  ASSERT_EQ(RunOnce(dispatcher), 1);
  deliveries = Deliveries(kShop);
  EXPECT_EQ(deliveries[0].state, DeliveryState::kDelivered);
  EXPECT_EQ(deliveries[0].attempts, 2);
  EXPECT_EQ(receiver_.RequestCount(), 2u);
}

TEST_P(WebhookDeliveryTest, GoneDeactivatesTheSubscription) {
  Subscribe(kShop, "/a");
  Subscribe(kShop, "/b");
  // Whichever subscription the receiver serves first meets the 410.
  receiver_.Script({.status = 410});
  Emit(kShop, "order.placed", "o-1");
  ASSERT_EQ(RunOnce(), 1);
  ASSERT_EQ(receiver_.RequestCount(), 2u);
  const std::string gone_target = receiver_.Requests()[0].target;
  std::int64_t gone_id = 0;
  const auto subscriptions = service_.List(kShop);
  ASSERT_TRUE(subscriptions.ok());
  for (const WebhookSubscription& subscription : *subscriptions) {
    if (subscription.url == receiver_.Url(gone_target)) gone_id = subscription.id;
  }
  ASSERT_NE(gone_id, 0);

  auto subscription = service_.Get(kShop, gone_id);
  ASSERT_TRUE(subscription.ok());
  EXPECT_FALSE(subscription->active);
  EXPECT_EQ(subscription->deactivated_reason, "the receiver answered 410 Gone");
  const auto deliveries = Deliveries(kShop, gone_id);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].state, DeliveryState::kDead);
  EXPECT_EQ(deliveries[0].last_status_code, 410);
  // The event is done: the other subscription has it and the gone one wants no more.
  EXPECT_TRUE(store::ListDeadLetters(db(), {.shop_id = kShop})->empty());
  EXPECT_EQ(dispatcher_.Stats().delivered, 1);

  Emit(kShop, "order.placed", "o-2");
  ASSERT_EQ(RunOnce(), 1);
  ASSERT_EQ(receiver_.RequestCount(), 3u);
  EXPECT_NE(receiver_.Requests()[2].target, gone_target);

  // Re-activated by the merchant, it receives again.
  ASSERT_TRUE(service_.Update(kShop, gone_id, {.active = true}).ok());
  EXPECT_EQ(service_.Get(kShop, gone_id)->deactivated_reason, "");
  Emit(kShop, "order.placed", "o-3");
  ASSERT_EQ(RunOnce(), 1);
  EXPECT_EQ(receiver_.RequestCount(), 5u);
}

TEST_P(WebhookDeliveryTest, KeepsOrderPerSubscriptionAndAggregate) {
  Subscribe(kShop, "/hooks");
  receiver_.FailNext(1, 500);
  const std::int64_t first = Emit(kShop, "order.placed", "o-1", R"({"order_id":"o-1"})");
  const std::int64_t second = Emit(kShop, "order.paid", "o-1", R"({"order_id":"o-1"})");
  ASSERT_EQ(RunOnce(), 1);  // o-1's first event fails; its second waits behind it
  const std::int64_t other = Emit(kShop, "order.placed", "o-2", R"({"order_id":"o-2"})");
  ASSERT_EQ(RunOnce(), 1);  // another aggregate is not held up
  clock_.Advance(seconds(10));
  ASSERT_EQ(RunOnce(), 1);  // o-1's first again, now delivered
  ASSERT_EQ(RunOnce(), 1);  // only then o-1's second
  EXPECT_EQ(RunOnce(), 0);
  std::vector<std::string> received;
  for (const auto& request : receiver_.Requests()) received.push_back(request.Header("Plaza-Event-Id"));
  EXPECT_EQ(received, (std::vector<std::string>{std::to_string(first), std::to_string(other), std::to_string(first),
                                                std::to_string(second)}));
}

TEST_P(WebhookDeliveryTest, ASubscriptionOnlyHearsOfEventsAfterItWasCreated) {
  Emit(kShop, "order.placed", "o-1");
  clock_.Advance(seconds(1));
  Subscribe(kShop, "/late");
  ASSERT_EQ(RunOnce(), 1);
  EXPECT_EQ(receiver_.RequestCount(), 0u);
  EXPECT_TRUE(Deliveries(kShop).empty());
}

TEST_P(WebhookDeliveryTest, RotationSignsWithBothSecretsUntilTheOverlapEnds) {
  const auto created = Subscribe(kShop, "/hooks");
  auto rotated = service_.RotateSecret(kShop, created.subscription.id);
  ASSERT_TRUE(rotated.ok());
  Emit(kShop, "order.placed", "o-1");
  ASSERT_EQ(RunOnce(), 1);
  auto request = receiver_.Requests().back();
  const std::string header = request.Header("Plaza-Signature");
  EXPECT_TRUE(VerifySignature(header, request.body, rotated->secret, clock_.Now()).ok());
  EXPECT_TRUE(VerifySignature(header, request.body, created.secret, clock_.Now()).ok());

  clock_.Advance(std::chrono::hours(25));
  Emit(kShop, "order.placed", "o-2");
  ASSERT_EQ(RunOnce(), 1);
  request = receiver_.Requests().back();
  EXPECT_TRUE(VerifySignature(request.Header("Plaza-Signature"), request.body, rotated->secret, clock_.Now()).ok());
  EXPECT_FALSE(VerifySignature(request.Header("Plaza-Signature"), request.body, created.secret, clock_.Now()).ok());
}

TEST_P(WebhookDeliveryTest, DeletingASubscriptionStopsItsDeliveries) {
  const auto created = Subscribe(kShop, "/hooks");
  receiver_.FailNext(1, 500);
  Emit(kShop, "order.placed");
  ASSERT_EQ(RunOnce(), 1);
  ASSERT_TRUE(service_.Delete(kShop, created.subscription.id).ok());
  clock_.Advance(seconds(10));
  ASSERT_EQ(RunOnce(), 1);  // the event is handed out again, and is now owed to nobody
  EXPECT_EQ(receiver_.RequestCount(), 1u);
  EXPECT_TRUE(Deliveries(kShop).empty());
  EXPECT_EQ(RunOnce(), 0);
}

// Failure injection below the consumer: a sender that loses every response, as if the
// network dropped after the requests went out.
class UnreachableSender final : public HttpSender {
 public:
  std::vector<HttpResponse> PostAll(std::span<const HttpRequest> requests) override {
    sent_ += requests.size();
    return std::vector<HttpResponse>(requests.size(), HttpResponse{0, "Could not resolve host: shop.invalid", {}});
  }
  std::size_t sent() const { return sent_; }

 private:
  std::size_t sent_ = 0;
};

TEST_P(WebhookDeliveryTest, NetworkErrorsAreRecordedAndRetried) {
  UnreachableSender unreachable;
  WebhookConsumer consumer(db(), clock_, unreachable);
  store::OutboxDispatcher dispatcher(db(), clock_, DispatcherOptions());
  dispatcher.AddConsumer(consumer);
  Subscribe(kShop, "/hooks");
  Emit(kShop, "order.placed");
  ASSERT_EQ(RunOnce(dispatcher), 1);
  const auto deliveries = Deliveries(kShop);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].state, DeliveryState::kPending);
  EXPECT_EQ(deliveries[0].last_error, "Could not resolve host: shop.invalid");
  EXPECT_EQ(dispatcher.Stats().consumers[0].retried, 1);
  EXPECT_EQ(unreachable.sent(), 1u);
}

TEST_P(WebhookDeliveryTest, AnEventWithoutAJsonObjectPayloadIsDeadLettered) {
  Subscribe(kShop, "/hooks");
  // AppendEvent only checks the braces; the consumer is the one that parses.
  Emit(kShop, "order.placed", "o-1", "{not json}");
  ASSERT_EQ(RunOnce(), 1);
  EXPECT_EQ(receiver_.RequestCount(), 0u);
  auto letters = store::ListDeadLetters(db(), {.shop_id = kShop});
  ASSERT_TRUE(letters.ok());
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].attempts, 1);
}

// The dispatcher's own threads, the real sender and the receiver together; waits are
// bounded, never timed.
TEST_P(WebhookDeliveryTest, DeliversFromTheDispatcherThreads) {
  SystemClock system_clock;
  WebhookConsumer consumer(db(), system_clock, *sender_);
  store::OutboxDispatcherOptions options = DispatcherOptions();
  options.poll_interval = milliseconds(10);
  store::OutboxDispatcher dispatcher(db(), system_clock, options);
  dispatcher.AddConsumer(consumer);
  const auto subscription = Subscribe(kShop, "/hooks");
  constexpr int kEvents = 20;
  for (int i = 0; i < kEvents; ++i) Emit(kShop, "order.placed", "o-" + std::to_string(i % 4));
  ASSERT_TRUE(dispatcher.Start().ok());
  const bool arrived = receiver_.WaitForRequests(kEvents, seconds(60));
  dispatcher.Stop();
  ASSERT_TRUE(arrived);
  EXPECT_EQ(receiver_.RequestCount(), static_cast<std::size_t>(kEvents));
  for (const auto& request : receiver_.Requests()) {
    EXPECT_TRUE(
        VerifySignature(request.Header("Plaza-Signature"), request.body, subscription.secret, system_clock.Now()).ok());
  }
  EXPECT_EQ(dispatcher.Stats().delivered, kEvents);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebhookDeliveryTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::channels
