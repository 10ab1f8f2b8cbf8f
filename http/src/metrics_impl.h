#pragma once
// The server's own series on the Metrics registry. Private to plaza_http.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
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

struct Metrics::Impl {
  Impl();

  // Counts the request and records its latency. `route` is the matched pattern, or
  // empty when none matched (labelled "unmatched", so scanners probing random paths
  // cannot grow the number of series).
  void ObserveRequest(std::string_view route, Method method, int status, double seconds);

  std::shared_ptr<prometheus::Registry> registry;
  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& latency;
  prometheus::Gauge& in_flight;
  prometheus::Gauge& queue_depth;
  prometheus::Gauge& connections;
  prometheus::Counter& rejected_overload;
  prometheus::Counter& rejected_connections;

  std::mutex callbacks_mutex;
  std::vector<std::pair<prometheus::Gauge*, std::function<double()>>> callbacks;  // GUARDED_BY(callbacks_mutex)

 private:
  // The series of one route and method, created on first use and then found without
  // touching the prometheus families' own locks.
  struct Series {
    std::array<prometheus::Counter*, 5> by_status_class{};
    prometheus::Histogram* latency = nullptr;
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using MethodSeries = std::array<Series, static_cast<std::size_t>(Method::kOther) + 1>;

  Series& SeriesFor(std::string_view route, Method method);

  std::shared_mutex series_mutex_;
  std::unordered_map<std::string, MethodSeries, StringHash, std::equal_to<>> series_;  // GUARDED_BY(series_mutex_)
};

}  // namespace plaza::http
