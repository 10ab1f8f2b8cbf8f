#pragma once
// Runs a function on a background thread: once when started, then every `interval`,
// until stopped. For housekeeping (expiring stock holds, sweeping old records) whose
// passes are idempotent, so a pass that fails is simply tried again on the next tick.
//
// Thread-safety: Start and Stop are called from one owning thread; `pass` runs on the
// task's own thread, one pass at a time.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace plaza {

class PeriodicTask {
 public:
  PeriodicTask(std::chrono::milliseconds interval, std::function<void()> pass);
  ~PeriodicTask();  // Stop()s
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Starts the thread; the first pass runs at once and always completes. Idempotent.
  void Start();
  // Wakes the thread, waits for a pass in progress to finish and joins. Idempotent.
  void Stop();

 private:
  void Run();

  std::chrono::milliseconds interval_;
  std::function<void()> pass_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace plaza
