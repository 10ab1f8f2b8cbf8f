#include "plaza/core/periodic_task.h"

#include <utility>

namespace plaza {

PeriodicTask::PeriodicTask(std::chrono::milliseconds interval, std::function<void()> pass)
    : interval_(interval), pass_(std::move(pass)) {}

PeriodicTask::~PeriodicTask() {
  Stop();
}

void PeriodicTask::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void PeriodicTask::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::Run() {
  // The first pass runs even when Stop() came first, so a started task always completes
  // at least one pass.
  std::unique_lock lock(mutex_);
  for (;;) {
    lock.unlock();
    pass_();
    lock.lock();
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  }
}

}  // namespace plaza
