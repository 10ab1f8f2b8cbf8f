#pragma once
// The server's own series on the Metrics registry. Private to plaza_http.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "plaza/http/metrics.h"
#include "plaza/http/request.h"

namespace plaza::http {

// A latency histogram whose Observe() is lock-free: prometheus::Histogram locks a mutex
// per observation, and the I/O threads, answering the same route, queued on it for every
// request. A scrape reads the buckets one by one, so it may count an observation in one
// bucket and not yet in the sum; Prometheus tolerates that (rates converge).
class LatencyHistogram {
 public:
  LatencyHistogram(const std::vector<double>& bounds, std::string route, std::string method);

  void Observe(double seconds);
  // The series in the exposition model: cumulative buckets, count and sum.
  prometheus::ClientMetric Snapshot() const;

 private:
  const std::vector<double>& bounds_;
  const std::string route_;
  const std::string method_;
  // One per bound plus +Inf, not cumulative.
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  // Integer nanoseconds add without a compare-and-swap loop; 2^64 ns is 584 years.
  std::atomic<std::uint64_t> sum_nanoseconds_{0};
};

struct Metrics::Impl {
  Impl();

  // Counts the request and records its latency. `route` is the matched pattern, or
  // empty when none matched (labelled "unmatched", so scanners probing random paths
  // cannot grow the number of series).
  void ObserveRequest(std::string_view route, Method method, int status, double seconds);

  std::shared_ptr<prometheus::Registry> registry;
  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Gauge& in_flight;
  prometheus::Gauge& queue_depth;
  prometheus::Gauge& connections;
  prometheus::Counter& rejected_overload;
  prometheus::Counter& rejected_connections;
  prometheus::Counter& access_log_dropped;

  // plaza_http_request_duration_seconds, exposed next to the registry's families.
  prometheus::MetricFamily LatencyFamily() const;

  std::mutex callbacks_mutex;
  std::vector<std::pair<prometheus::Gauge*, std::function<double()>>> callbacks;  // GUARDED_BY(callbacks_mutex)

 private:
  // The series of one route and method, created on first use and then found without
  // touching the prometheus families' own locks.
  struct Series {
    std::array<prometheus::Counter*, 5> by_status_class{};
    LatencyHistogram* latency = nullptr;
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using MethodSeries = std::array<Series, static_cast<std::size_t>(Method::kOther) + 1>;

  Series& SeriesFor(std::string_view route, Method method);

  mutable std::shared_mutex series_mutex_;
  std::unordered_map<std::string, MethodSeries, StringHash, std::equal_to<>> series_;  // GUARDED_BY(series_mutex_)
  std::deque<LatencyHistogram> histograms_;                                            // GUARDED_BY(series_mutex_)
};

}  // namespace plaza::http
