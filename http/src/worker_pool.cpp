#include "worker_pool.h"

namespace plaza::http::internal {

WorkerPool::WorkerPool(int threads, std::size_t queue_limit, std::function<void(std::size_t)> on_depth_change)
    : queue_limit_(queue_limit), on_depth_change_(std::move(on_depth_change)) {
  threads_.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { WorkLoop(); });
}

WorkerPool::~WorkerPool() {
  Shutdown();
}

// The depth is reported while the lock is held: reported after it, a submitter's "1"
// could land after a worker's "0" and leave the gauge showing a job that is gone.
bool WorkerPool::Submit(Task task) {
  std::unique_lock lock(mutex_);
  if (stopping_ || queue_.size() >= queue_limit_) {
    lock.unlock();
    task(false);
    return false;
  }
  queue_.push_back(std::move(task));
  on_depth_change_(queue_.size());
  lock.unlock();
  ready_.notify_one();
  return true;
}

void WorkerPool::SubmitUnbounded(Task task) {
  std::unique_lock lock(mutex_);
  if (stopping_) {
    lock.unlock();
    task(false);
    return;
  }
  queue_.push_back(std::move(task));
  on_depth_change_(queue_.size());
  lock.unlock();
  ready_.notify_one();
}

void WorkerPool::Shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void WorkerPool::WorkLoop() {
  while (true) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // Drain before exiting: every queued job has a caller waiting for it.
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
      on_depth_change_(queue_.size());
    }
    task(true);
  }
}

}  // namespace plaza::http::internal
