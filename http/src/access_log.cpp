#include "access_log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <utility>

namespace plaza::http::internal {
namespace {

// Formats into memory and writes to stderr on flush: the access log's writer flushes
// once per batch. Errors writing stderr are ignored; there is nowhere left to report them.
class BatchedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(message, formatted);
    buffer_.append(formatted.data(), formatted.size());
  }

  void flush_() override {
    if (buffer_.empty()) return;
    std::fwrite(buffer_.data(), 1, buffer_.size(), stderr);
    std::fflush(stderr);
    buffer_.clear();
  }

 private:
  std::string buffer_;
};

}  // namespace

AccessLog::AccessLog(std::shared_ptr<spdlog::logger> logger, std::function<void()> on_dropped)
    : logger_(std::move(logger)), on_dropped_(std::move(on_dropped)), writer_([this] { WriteLoop(); }) {}

AccessLog::~AccessLog() {
  Stop();
}

void AccessLog::Record(std::string line) {
  Line entry{spdlog::log_clock::now(), std::move(line)};
  std::unique_lock lock(mutex_);
  if (stopping_) {
    lock.unlock();
    WriteLine(entry);
    logger_->flush();
    return;
  }
  if (pending_.size() >= kMaxPendingLines) {
    lock.unlock();
    if (on_dropped_) on_dropped_();
    return;
  }
  pending_.push_back(std::move(entry));
  // Only the line that completes a batch wakes the writer; the others wait for it or for
  // the interval, so recording a line costs no system call.
  const bool wake = pending_.size() == kBatchLines;
  lock.unlock();
  if (wake) wake_.notify_one();
}

void AccessLog::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
}

void AccessLog::WriteLoop() {
  std::vector<Line> batch;
  while (true) {
    bool last = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, kFlushInterval, [this] { return stopping_ || pending_.size() >= kBatchLines; });
      batch.swap(pending_);
      last = stopping_;
    }
    if (!batch.empty()) {
      for (const Line& line : batch) WriteLine(line);
      logger_->flush();
      batch.clear();
    }
    if (last) return;
  }
}

void AccessLog::WriteLine(const Line& line) {
  logger_->log(line.time, spdlog::source_loc{}, spdlog::level::info, line.text);
}

std::shared_ptr<spdlog::logger> AccessLog::MakeStderrLogger(const std::string& name) {
  auto logger = std::make_shared<spdlog::logger>(name, std::make_shared<BatchedStderrSink>());
  // The process-wide pattern and level, as for loggers spdlog creates itself.
  // Registers it too, so it is found as spdlog::get(name).
  spdlog::initialize_logger(logger);
  return logger;
}

}  // namespace plaza::http::internal
