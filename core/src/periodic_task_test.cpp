#include "plaza/core/periodic_task.h"

#include <gtest/gtest.h>

#include <atomic>

namespace plaza {
namespace {

TEST(PeriodicTaskTest, RunsAPassAtStartEvenWhenStoppedAtOnce) {
  std::atomic<int> passes{0};
  PeriodicTask task(std::chrono::hours(1), [&] { ++passes; });
  task.Start();
  task.Stop();
  EXPECT_EQ(passes.load(), 1);
}

TEST(PeriodicTaskTest, RepeatsEveryIntervalUntilStopped) {
  std::atomic<int> passes{0};
  PeriodicTask task(std::chrono::milliseconds(1), [&] { ++passes; });
  task.Start();
  while (passes.load() < 3) std::this_thread::yield();
  task.Stop();
  const int after_stop = passes.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(passes.load(), after_stop);
}

TEST(PeriodicTaskTest, StartAndStopAreIdempotent) {
  std::atomic<int> passes{0};
  PeriodicTask task(std::chrono::hours(1), [&] { ++passes; });
  task.Start();
  task.Start();
  task.Stop();
  task.Stop();
  EXPECT_EQ(passes.load(), 1);
}

}  // namespace
}  // namespace plaza
