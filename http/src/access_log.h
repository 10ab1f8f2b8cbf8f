#pragma once
// The access log's writer. Private to plaza_http.
//
// Lines are formatted on the thread that answered the request and queued in memory; one
// background thread hands them to the spdlog logger in batches. Writing each line from
// the I/O thread cost a write(2) under the sink's lock per request, and the I/O threads
// then queued on that lock: at tens of thousands of requests a second the access log
// was a sizeable share of the server's time.

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace plaza::http::internal {

// Thread-safe. Each line keeps the time it was recorded, so the logger's pattern shows
// when the response was written, not when the batch was.
class AccessLog {
 public:
  // Lines waiting for the writer. Past this the writer has fallen far behind (the log
  // sink blocks, e.g. a full pipe); new lines are dropped and counted rather than
  // letting memory grow with every request. 64 Ki lines of ~150 bytes is ~10 MiB.
  static constexpr std::size_t kMaxPendingLines = std::size_t{64} * 1024;
  // The writer wakes early once this many lines wait, so batches stay small enough to
  // write in one go.
  static constexpr std::size_t kBatchLines = 1024;
  // Longest time a line waits before it is written, so the log stays near live.
  static constexpr std::chrono::milliseconds kFlushInterval{100};

  // `on_dropped` is called (from the recording thread) for each line dropped.
  AccessLog(std::shared_ptr<spdlog::logger> logger, std::function<void()> on_dropped);
  // Stop().
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // Whether lines would be written at all (the logger's level admits info); callers
  // skip formatting when not.
  bool enabled() const { return logger_->should_log(spdlog::level::info); }
  // Queues one line. After Stop() the line is written at once, on the calling thread.
  void Record(std::string line);
  // Writes every queued line, flushes the logger and joins the writer. Idempotent.
  void Stop();

  // The logger used when the application registered no "access" logger: stderr, written
  // once per batch instead of once per line (spdlog's stderr sinks flush every line).
  static std::shared_ptr<spdlog::logger> MakeStderrLogger(const std::string& name);

 private:
  struct Line {
    spdlog::log_clock::time_point time;
    std::string text;
  };

  void WriteLoop();
  void WriteLine(const Line& line);

  std::shared_ptr<spdlog::logger> logger_;
  std::function<void()> on_dropped_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Line> pending_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;      // GUARDED_BY(mutex_)
  std::thread writer_;
};

}  // namespace plaza::http::internal
