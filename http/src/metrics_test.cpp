#include "plaza/http/metrics.h"

#include <gtest/gtest.h>

#include <atomic>

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

}  // namespace
}  // namespace plaza::http
