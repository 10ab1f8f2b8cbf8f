#include "access_log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>

#include <future>
#include <string>
#include <vector>

namespace plaza::http::internal {
namespace {

// Keeps every message; optionally holds the first one until released, standing in for a
// log destination that blocks (a full pipe).
class RecordingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit RecordingSink(bool block_first) : block_first_(block_first) {}

  std::vector<std::string> messages;  // GUARDED_BY(mutex_); read after the writer stopped.
  std::vector<spdlog::log_clock::time_point> times;
  std::promise<void> first_entered;
  std::promise<void> release;

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    if (block_first_ && messages.empty()) {
      first_entered.set_value();
      release_future_.wait();
    }
    messages.emplace_back(message.payload.data(), message.payload.size());
    times.push_back(message.time);
  }
  void flush_() override {}

 private:
  bool block_first_;
  std::shared_future<void> release_future_ = release.get_future().share();
};

TEST(AccessLogTest, EveryLineIsWrittenInOrderByStop) {
  auto sink = std::make_shared<RecordingSink>(false);
  auto logger = std::make_shared<spdlog::logger>("access-test", sink);
  AccessLog log(logger, nullptr);
  ASSERT_TRUE(log.enabled());
  const std::size_t count = AccessLog::kBatchLines * 3 + 7;
  for (std::size_t i = 0; i < count; ++i) log.Record("line " + std::to_string(i));
  log.Stop();
  ASSERT_EQ(sink->messages.size(), count);
  for (std::size_t i = 0; i < count; ++i) EXPECT_EQ(sink->messages[i], "line " + std::to_string(i));
  for (std::size_t i = 1; i < count; ++i) EXPECT_LE(sink->times[i - 1], sink->times[i]);

  // After Stop() a line is written at once rather than lost.
  log.Record("late");
  ASSERT_EQ(sink->messages.size(), count + 1);
  EXPECT_EQ(sink->messages.back(), "late");
}

TEST(AccessLogTest, DisabledWhenTheLoggerLevelIsAboveInfo) {
  auto logger = std::make_shared<spdlog::logger>("access-test", std::make_shared<RecordingSink>(false));
  logger->set_level(spdlog::level::warn);
  AccessLog log(logger, nullptr);
  EXPECT_FALSE(log.enabled());
}

TEST(AccessLogTest, LinesPastTheBoundAreDroppedAndCountedWhileTheWriterIsBlocked) {
  auto sink = std::make_shared<RecordingSink>(true);
  auto logger = std::make_shared<spdlog::logger>("access-test", sink);
  std::size_t dropped = 0;  // Only the recording (this) thread calls on_dropped.
  AccessLog log(logger, [&dropped] { ++dropped; });
  log.Record("first");
  // The writer has taken "first" and is stuck in the sink; the queue is empty again.
  sink->first_entered.get_future().wait();
  for (std::size_t i = 0; i < AccessLog::kMaxPendingLines; ++i) log.Record("queued");
  EXPECT_EQ(dropped, 0U);
  log.Record("over the bound");
  log.Record("over the bound");
  EXPECT_EQ(dropped, 2U);
  sink->release.set_value();
  log.Stop();
  EXPECT_EQ(sink->messages.size(), 1 + AccessLog::kMaxPendingLines);
  EXPECT_EQ(sink->messages.front(), "first");
}

}  // namespace
}  // namespace plaza::http::internal
