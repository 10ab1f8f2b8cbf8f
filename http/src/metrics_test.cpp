#include "plaza/http/metrics.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "metrics_impl.h"

namespace plaza::http {
namespace {

TEST(MetricsTest, CallbackGaugesAreSampledAtScrape) {
  Metrics metrics;
  std::atomic<double> idle{3};
  metrics.AddCallbackGauge("plaza_test_db_idle_connections", "Idle connections in the test pool",
                           [&idle] { return idle.load(); });
  EXPECT_NE(metrics.Serialize().find("plaza_test_db_idle_connections 3"), std::string::npos);
  idle = 5;
  EXPECT_NE(metrics.Serialize().find("plaza_test_db_idle_connections 5"), std::string::npos);
}

TEST(MetricsTest, HandlerServesTheExpositionFormat) {
  Metrics metrics;
  Request request;
  Response response = metrics.MakeHandler()(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.Get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("# TYPE plaza_http_requests_in_flight gauge"), std::string::npos);
  EXPECT_NE(response.body.find("plaza_http_worker_queue_depth"), std::string::npos);
}

TEST(MetricsTest, LatencyHistogramCountsObservationsFromManyThreads) {
  Metrics metrics;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics] {
      for (int i = 0; i < kPerThread; ++i) {
        // Half at 0.5 ms (first bucket), half at exactly 5 ms (inclusive upper bound).
        metrics.impl().ObserveRequest("/things/{id}", Method::kGet, 200, i % 2 == 0 ? 0.0005 : 0.005);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::string text = metrics.Serialize();
  const std::string series = "plaza_http_request_duration_seconds_bucket{method=\"GET\",route=\"/things/{id}\",";
  const int total = kThreads * kPerThread;
  EXPECT_NE(text.find(series + "le=\"0.001\"} " + std::to_string(total / 2) + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find(series + "le=\"0.0025\"} " + std::to_string(total / 2) + "\n"), std::string::npos);
  EXPECT_NE(text.find(series + "le=\"0.005\"} " + std::to_string(total) + "\n"), std::string::npos);
  EXPECT_NE(text.find(series + "le=\"+Inf\"} " + std::to_string(total) + "\n"), std::string::npos);
  EXPECT_NE(text.find("plaza_http_request_duration_seconds_count{method=\"GET\",route=\"/things/{id}\"} " +
                      std::to_string(total) + "\n"),
            std::string::npos);
  EXPECT_NE(text.find("plaza_http_requests_total{method=\"GET\",route=\"/things/{id}\",status=\"2xx\"} " +
                      std::to_string(total) + "\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE plaza_http_request_duration_seconds histogram"), std::string::npos);
}

}  // namespace
}  // namespace plaza::http
