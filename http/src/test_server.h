#pragma once
// A Server on 127.0.0.1 with a free port, for the tests in this directory.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <utility>

#include "plaza/http/server.h"

namespace plaza::http::testing {

// Short time-outs so that tests of them finish quickly; the rest generous, so that a
// slow CI machine never trips them by accident.
inline ServerOptions TestOptions() {
  ServerOptions options;
  options.port = 0;
  options.io_threads = 2;
  options.worker_threads = 2;
  options.access_log = false;
  options.header_timeout = std::chrono::seconds(10);
  options.body_timeout = std::chrono::seconds(10);
  options.keep_alive_timeout = std::chrono::seconds(10);
  options.drain_timeout = std::chrono::seconds(10);
  return options;
}

class TestServer {
 public:
  TestServer(ServerOptions options, const std::function<void(Router&)>& routes)
      : server_(std::make_unique<Server>(std::move(options))) {
    routes(server_->router());
    Status started = server_->Start();
    EXPECT_TRUE(started.ok()) << (started.ok() ? "" : started.error().detail);
  }

  Server& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }

 private:
  std::unique_ptr<Server> server_;
};

}  // namespace plaza::http::testing
