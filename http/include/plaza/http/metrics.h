#pragma once
// Prometheus metrics for the whole process. The server records its own (requests by
// route, latency, in-flight requests, worker queue depth, connections); other layers
// register theirs on the same registry (database pool, outbox backlog) so that one
// `/metrics` scrape shows everything.

#include <functional>
#include <memory>
#include <string>

#include "plaza/http/router.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace plaza::http {

// Thread-safe. Create one at start-up, share it (std::shared_ptr) with the server and
// with whoever registers metrics, and keep it alive as long as any of them.
class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // The underlying registry, for counters, gauges and histograms built with
  // prometheus::BuildCounter() etc. Names should start with "plaza_".
  prometheus::Registry& registry();

  // A gauge whose value is read by calling `sample` at each scrape (e.g. idle database
  // connections, outbox rows pending), so the owner need not push updates.
  // `sample` runs on the scraping worker thread and must be cheap and thread-safe; it
  // must stay callable as long as this object lives.
  // REQUIRES: `name` is a valid, not yet registered metric name.
  void AddCallbackGauge(const std::string& name, const std::string& help, std::function<double()> sample);

  // Every metric in the Prometheus text exposition format (version 0.0.4).
  std::string Serialize() const;

  // A handler answering with Serialize() and Content-Type text/plain; version=0.0.4.
  // REQUIRES: this object outlives the handler.
  Handler MakeHandler();

  struct Impl;
  // For the server; not for other layers.
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace plaza::http
