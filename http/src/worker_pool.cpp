#include "worker_pool.h"

namespace plaza::http::internal {

WorkerPool::WorkerPool(int threads, std::size_t queue_limit, std::function<void(std::size_t)> on_depth_change)
    : queue_limit_(queue_limit), on_depth_change_(std::move(on_depth_change)) {
  threads_.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { WorkLoop(); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::Submit(Task task) {
  std::size_t depth = 0;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < queue_limit_) {
      queue_.push_back(std::move(task));
      depth = queue_.size();
    }
  }
  if (task) {
    task(false);
    return false;
  }
  ready_.notify_one();
  on_depth_change_(depth);
  return true;
}

void WorkerPool::SubmitUnbounded(Task task) {
  std::size_t depth = 0;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(task));
      depth = queue_.size();
    }
  }
  if (task) {
    task(false);
    return;
  }
  ready_.notify_one();
  on_depth_change_(depth);
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
    std::size_t depth = 0;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // Drain before exiting: every queued job has a caller waiting for it.
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
      depth = queue_.size();
    }
    on_depth_change_(depth);
    task(true);
  }
}

}  // namespace plaza::http::internal
