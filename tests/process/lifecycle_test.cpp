// Real `plaza` processes: SIGTERM drains in-flight requests and exits cleanly; kill -9
// in the middle of a burst of writes loses nothing a client was told about, and after a
// restart the outbox delivers every event that was committed.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "plaza/app/plaza_server.h"
#include "plaza/channels/webhooks.h"
#include "plaza/core/crypto.h"
#include "plaza/http/testing/client.h"
#include "plaza/identity/identity_service.h"
#include "plaza/store/migrations.h"
#include "plaza_test/databases.h"
#include "plaza_test/http_receiver.h"
#include "plaza_test/process.h"

namespace plaza::testing {
namespace {

using namespace std::chrono_literals;

class LifecycleTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    crypto::InitCrypto();
    test_db_ = std::make_unique<TestDatabase>(GetParam());
    ASSERT_TRUE(store::Migrate(test_db_->db(), app::AllMigrations()).ok());
    identity::IdentityService identity(test_db_->db(), clock_);
    auto shop = identity.CreateShop({.handle = "aurelle",
                                     .name = "Aurelle",
                                     .owner_email = "owner@aurelle.example",
                                     .owner_name = "Owner",
                                     .owner_password = "owner-password-1"});
    ASSERT_TRUE(shop.ok()) << shop.error().detail;
    shop_id_ = shop->shop.id;
    data_dir_ = MakeTempDir("plaza-process");
  }

  void TearDown() override {
    process_.reset();
    test_db_.reset();
    std::error_code ignored;  // a leftover temp dir is harmless
    std::filesystem::remove_all(data_dir_, ignored);
  }

  // Starts `plaza serve` on a free port and waits until it is healthy.
  void StartServer() {
    port_ = FreePort();
    process_ = std::make_unique<PlazaProcess>(
        PLAZA_BINARY,
        std::vector<std::string>{
            "serve", "--database", test_db_->url(), "--listen", "127.0.0.1:" + std::to_string(port_), "--data-dir",
            data_dir_, "--worker-threads", "4", "--db-pool-size", "4", "--outbox-poll-ms", "50", "--log-level", "warn",
            "--shutdown-drain-ms", "10000",
            // Short leases and back-off, so a killed process's claims and failed
            // deliveries come back within the test's bounded waits.
            "--outbox-lease-ms", "2000", "--outbox-retry-initial-ms", "100", "--outbox-retry-max-ms", "1000"},
        data_dir_ + "/plaza.log");
    ASSERT_TRUE(process_->Start());
    ASSERT_TRUE(process_->WaitUntilHealthy(port_, 20s)) << process_->Log();
  }

  std::unique_ptr<TestDatabase> test_db_;
  SystemClock clock_;
  std::int64_t shop_id_ = 0;
  std::string data_dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<PlazaProcess> process_;
};

// Sign-ups over HTTP from several threads until told to stop; records every email the
// server acknowledged with 201.
class SignUpBurst {
 public:
  SignUpBurst(std::uint16_t port, int threads) {
    for (int thread_idx = 0; thread_idx < threads; ++thread_idx) {
      threads_.emplace_back([this, port, thread_idx] {
        http::testing::HttpClient client(port, 5s);
        for (int i = 0; !stop_.load(); ++i) {
          const std::string email = "buyer-" + std::to_string(thread_idx) + "-" + std::to_string(i) + "@example.com";
          auto response =
              client.PostJson("/api/v1/shops/aurelle/customers",
                              R"({"email":")" + email + R"(","password":"buyer-password-1","name":"Buyer"})");
          if (!response.ok()) {
            if (stop_.load()) return;
            std::this_thread::sleep_for(10ms);
            continue;
          }
          std::lock_guard lock(mutex_);
          if (response->status == 201) {
            acknowledged_.insert(email);
          } else {
            unexpected_statuses_.push_back(response->status);
          }
        }
      });
    }
  }
  ~SignUpBurst() { Stop(); }

  void Stop() {
    stop_.store(true);
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  std::size_t Acknowledged() {
    std::lock_guard lock(mutex_);
    return acknowledged_.size();
  }
  std::set<std::string> acknowledged() {
    std::lock_guard lock(mutex_);
    return acknowledged_;
  }
  std::vector<int> unexpected_statuses() {
    std::lock_guard lock(mutex_);
    return unexpected_statuses_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::set<std::string> acknowledged_;
  std::vector<int> unexpected_statuses_;
};

TEST_P(LifecycleTest, SigtermFinishesInFlightRequestsAndExitsCleanly) {
  StartServer();
  SignUpBurst burst(port_, 4);
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (burst.Acknowledged() < 8 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  process_->Signal(SIGTERM);
  const auto exit_status = process_->WaitForExit(30s);
  burst.Stop();
  ASSERT_TRUE(exit_status.has_value()) << "plaza did not stop after SIGTERM\n" << process_->Log();
  EXPECT_EQ(*exit_status, 0) << process_->Log();
  // Requests that were answered were answered properly: no 5xx while draining.
  EXPECT_EQ(burst.unexpected_statuses(), std::vector<int>{});
  // Every acknowledged sign-up is in the database.
  const auto acknowledged = burst.acknowledged();
  ASSERT_GE(acknowledged.size(), 8u);
  auto stored = test_db_->db().Read([&](store::Transaction& tx) {
    return tx.QueryOne("SELECT COUNT(*) FROM customers WHERE shop_id = ?", {shop_id_});
  });
  ASSERT_TRUE(stored.ok());
  EXPECT_GE((**stored).Int(0), static_cast<std::int64_t>(acknowledged.size()));
}

TEST_P(LifecycleTest, KillNineLosesNothingAcknowledgedAndTheOutboxResumes) {
  HttpReceiver receiver;
  channels::WebhookService webhooks(test_db_->db(), clock_);
  ASSERT_TRUE(webhooks.Create(shop_id_, {.url = receiver.Url(), .event_types = {"customer.created"}}).ok());
  // The receiver is down at first, so events pile up in the outbox when the crash comes.
  receiver.SetDefault({.status = 503});

  StartServer();
  SignUpBurst burst(port_, 4);
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (burst.Acknowledged() < 30 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  process_->Signal(SIGKILL);
  ASSERT_TRUE(process_->WaitForExit(10s).has_value());
  burst.Stop();
  const auto acknowledged = burst.acknowledged();
  ASSERT_GE(acknowledged.size(), 30u) << process_->Log();
  EXPECT_EQ(burst.unexpected_statuses(), std::vector<int>{});

  // Every acknowledged customer exists once the database is reopened.
  test_db_->Reopen();
  auto stored = test_db_->db().Read([&](store::Transaction& tx) -> Result<std::set<std::string>> {
    PLAZA_ASSIGN_OR_RETURN(auto rows, tx.Execute("SELECT email FROM customers WHERE shop_id = ?", {shop_id_}));
    std::set<std::string> emails;
    for (const auto& row : rows.rows) emails.insert(row.Text(0));
    return emails;
  });
  ASSERT_TRUE(stored.ok()) << stored.error().detail;
  for (const auto& email : acknowledged) EXPECT_TRUE(stored->contains(email)) << "lost: " << email;

  auto event_ids = test_db_->db().Read([&](store::Transaction& tx) -> Result<std::set<std::string>> {
    PLAZA_ASSIGN_OR_RETURN(auto rows, tx.Execute("SELECT id FROM outbox_events WHERE shop_id = ? AND "
                                                 "event_type = 'customer.created'",
                                                 {shop_id_}));
    std::set<std::string> ids;
    for (const auto& row : rows.rows) ids.insert(row.Text(0));
    return ids;
  });
  ASSERT_TRUE(event_ids.ok()) << event_ids.error().detail;
  // One committed event per committed customer: no dual write went half-way.
  EXPECT_EQ(event_ids->size(), stored->size());

  // The receiver recovers and the server restarts: the outbox resumes, and every
  // committed event reaches the receiver (leases of the killed process expire).
  receiver.SetDefault({.status = 200});
  const std::size_t requests_before = receiver.RequestCount();
  StartServer();
  std::set<std::string> delivered;
  const auto delivery_deadline = std::chrono::steady_clock::now() + 90s;
  while (std::chrono::steady_clock::now() < delivery_deadline) {
    const auto requests = receiver.Requests();
    for (std::size_t i = requests_before; i < requests.size(); ++i) {
      delivered.insert(requests[i].Header("Plaza-Event-Id"));
    }
    if (std::includes(delivered.begin(), delivered.end(), event_ids->begin(), event_ids->end())) break;
    std::this_thread::sleep_for(100ms);
  }
  for (const auto& id : *event_ids) EXPECT_TRUE(delivered.contains(id)) << "never delivered: event " << id;
}

INSTANTIATE_TEST_SUITE_P(Backends, LifecycleTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
