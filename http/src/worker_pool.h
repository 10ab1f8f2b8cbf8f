#pragma once
// The threads that run handlers, with a bounded queue. Private to plaza_http.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace plaza::http::internal {

// A move-only job. `accepted` is false when the pool refused it (queue full), so the
// job can still complete its caller (the I/O side waits for every job it submits).
class Task {
 public:
  Task() = default;
  template <typename F>
  explicit Task(F function) : impl_(std::make_unique<Model<F>>(std::move(function))) {}

  void operator()(bool accepted) { impl_->Run(accepted); }
  explicit operator bool() const { return impl_ != nullptr; }

 private:
  struct Concept {
    virtual ~Concept() = default;
    virtual void Run(bool accepted) = 0;
  };
  template <typename F>
  struct Model final : Concept {
    explicit Model(F f) : function(std::move(f)) {}
    void Run(bool accepted) override { function(accepted); }
    F function;
  };
  std::unique_ptr<Concept> impl_;
};

// Thread-safe.
class WorkerPool {
 public:
  // `on_depth_change` is told the queue length after each change (for the metrics gauge).
  // It runs with the pool's lock held, so the reports arrive in order: it must be cheap
  // and must not call back into the pool.
  WorkerPool(int threads, std::size_t queue_limit, std::function<void(std::size_t)> on_depth_change);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`, or, when the queue holds queue_limit tasks or the pool is shutting
  // down, runs task(false) on the calling thread and returns false.
  bool Submit(Task task);
  // Queues `task` even past the limit: for the few jobs that must run exactly once
  // (a WebSocket's on_close), whose number is bounded by open connections.
  // Runs task(false) when the pool has shut down.
  void SubmitUnbounded(Task task);
  // Runs everything already queued, then joins the threads. Later submissions are
  // refused. Idempotent.
  void Shutdown();

 private:
  void WorkLoop();

  const std::size_t queue_limit_;
  std::function<void(std::size_t)> on_depth_change_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Task> queue_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;   // GUARDED_BY(mutex_)
  std::vector<std::thread> threads_;
};

}  // namespace plaza::http::internal
