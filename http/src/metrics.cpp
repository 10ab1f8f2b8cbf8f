#include "plaza/http/metrics.h"

#include <prometheus/text_serializer.h>

#include "metrics_impl.h"

namespace plaza::http {
namespace {

// From 1 ms (a cached read) to 10 s (past any sane handler): the range where latency
// objectives for a web shop live.
const prometheus::Histogram::BucketBoundaries kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                                 0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
constexpr std::array<std::string_view, 5> kStatusClasses = {"1xx", "2xx", "3xx", "4xx", "5xx"};

}  // namespace

Metrics::Impl::Impl()
    : registry(std::make_shared<prometheus::Registry>()),
      requests(prometheus::BuildCounter()
                   .Name("plaza_http_requests_total")
                   .Help("HTTP requests answered, by route pattern, method and status class")
                   .Register(*registry)),
      latency(prometheus::BuildHistogram()
                  .Name("plaza_http_request_duration_seconds")
                  .Help("Time from a complete request to its response being handed to the socket")
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
    series.latency = &latency.Add({{"route", std::string(label)}, {"method", method_name}}, kLatencyBuckets);
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
  return prometheus::TextSerializer().Serialize(impl_->registry->Collect());
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
