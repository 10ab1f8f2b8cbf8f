#include "plaza/http/metrics.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <limits>

#include "metrics_impl.h"

namespace plaza::http {
namespace {

// From 1 ms (a cached read) to 10 s (past any sane handler): the range where latency
// objectives for a web shop live.
const std::vector<double> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                             0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
constexpr std::string_view kLatencyName = "plaza_http_request_duration_seconds";
constexpr std::string_view kLatencyHelp = "Time from a complete request to its response being handed to the socket";
constexpr std::array<std::string_view, 5> kStatusClasses = {"1xx", "2xx", "3xx", "4xx", "5xx"};

}  // namespace

Metrics::Impl::Impl()
    : registry(std::make_shared<prometheus::Registry>()),
      requests(prometheus::BuildCounter()
                   .Name("plaza_http_requests_total")
                   .Help("HTTP requests answered, by route pattern, method and status class")
                   .Register(*registry)),
      in_flight(prometheus::BuildGauge()
                    .Name("plaza_http_requests_in_flight")
                    .Help("Requests queued for or running on a worker")
                    .Register(*registry)
                    .Add({})),
      queue_depth(prometheus::BuildGauge()
                      .Name("plaza_http_worker_queue_depth")
                      .Help("Requests waiting for a worker thread")
                      .Register(*registry)
                      .Add({})),
      connections(prometheus::BuildGauge()
                      .Name("plaza_http_connections")
                      .Help("Open client connections, WebSockets included")
                      .Register(*registry)
                      .Add({})),
      rejected_overload(prometheus::BuildCounter()
                            .Name("plaza_http_overload_rejections_total")
                            .Help("Requests answered 503 because the worker queue was full")
                            .Register(*registry)
                            .Add({})),
      rejected_connections(prometheus::BuildCounter()
                               .Name("plaza_http_connection_rejections_total")
                               .Help("Connections refused because max_connections were open")
                               .Register(*registry)
                               .Add({})),
      access_log_dropped(prometheus::BuildCounter()
                             .Name("plaza_http_access_log_dropped_total")
                             .Help("Access log lines dropped because the log writer fell behind")
                             .Register(*registry)
                             .Add({})) {}

Metrics::Impl::Series& Metrics::Impl::SeriesFor(std::string_view route, Method method) {
  std::string_view label = route.empty() ? std::string_view("unmatched") : route;
  auto method_index = static_cast<std::size_t>(method);
  {
    std::shared_lock lock(series_mutex_);
    auto it = series_.find(label);
    if (it != series_.end() && it->second[method_index].latency != nullptr) return it->second[method_index];
  }
  std::unique_lock lock(series_mutex_);
  auto it = series_.find(label);
  if (it == series_.end()) it = series_.emplace(std::string(label), MethodSeries{}).first;
  Series& series = it->second[method_index];
  if (series.latency == nullptr) {
    std::string method_name(MethodName(method));
    for (std::size_t i = 0; i < kStatusClasses.size(); ++i) {
      series.by_status_class[i] = &requests.Add(
          {{"route", std::string(label)}, {"method", method_name}, {"status", std::string(kStatusClasses[i])}});
    }
    series.latency = &histograms_.emplace_back(kLatencyBuckets, std::string(label), method_name);
  }
  return series;
}

void Metrics::Impl::ObserveRequest(std::string_view route, Method method, int status, double seconds) {
  Series& series = SeriesFor(route, method);
  int status_class = status / 100 - 1;
  if (status_class < 0 || status_class > 4) status_class = 4;
  series.by_status_class[static_cast<std::size_t>(status_class)]->Increment();
  series.latency->Observe(seconds);
}

prometheus::MetricFamily Metrics::Impl::LatencyFamily() const {
  prometheus::MetricFamily family{
      std::string(kLatencyName), std::string(kLatencyHelp), prometheus::MetricType::Histogram, {}};
  std::shared_lock lock(series_mutex_);
  family.metric.reserve(histograms_.size());
  for (const LatencyHistogram& histogram : histograms_) family.metric.push_back(histogram.Snapshot());
  return family;
}

LatencyHistogram::LatencyHistogram(const std::vector<double>& bounds, std::string route, std::string method)
    : bounds_(bounds),
      route_(std::move(route)),
      method_(std::move(method)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {}

void LatencyHistogram::Observe(double seconds) {
  auto bucket = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin());
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  if (seconds > 0) {
    sum_nanoseconds_.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
  }
}

prometheus::ClientMetric LatencyHistogram::Snapshot() const {
  prometheus::ClientMetric metric;
  metric.label = {{"method", method_}, {"route", route_}};
  std::uint64_t cumulative = 0;
  metric.histogram.bucket.reserve(bounds_.size() + 1);
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    double bound = i < bounds_.size() ? bounds_[i] : std::numeric_limits<double>::infinity();
    metric.histogram.bucket.push_back({cumulative, bound});
  }
  metric.histogram.sample_count = cumulative;
  metric.histogram.sample_sum = static_cast<double>(sum_nanoseconds_.load(std::memory_order_relaxed)) / 1e9;
  return metric;
}

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

prometheus::Registry& Metrics::registry() {
  return *impl_->registry;
}

void Metrics::AddCallbackGauge(const std::string& name, const std::string& help, std::function<double()> sample) {
  prometheus::Gauge& gauge = prometheus::BuildGauge().Name(name).Help(help).Register(*impl_->registry).Add({});
  std::lock_guard lock(impl_->callbacks_mutex);
  impl_->callbacks.emplace_back(&gauge, std::move(sample));
}

std::string Metrics::Serialize() const {
  {
    std::lock_guard lock(impl_->callbacks_mutex);
    for (auto& [gauge, sample] : impl_->callbacks) gauge->Set(sample());
  }
  std::vector<prometheus::MetricFamily> families = impl_->registry->Collect();
  families.push_back(impl_->LatencyFamily());
  return prometheus::TextSerializer().Serialize(families);
}

Handler Metrics::MakeHandler() {
  return [this](Request&) {
    Response response = Response::Text(Serialize());
    response.headers.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.headers.Set("Cache-Control", "no-store");
    return response;
  };
}

}  // namespace plaza::http
