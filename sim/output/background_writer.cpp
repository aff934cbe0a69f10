#include "output/background_writer.hpp"

#include <utility>

namespace mlcycle {

BackgroundWriter::BackgroundWriter(std::size_t max_pending, std::function<void()> on_stop)
    : max_pending_(max_pending), on_stop_(std::move(on_stop)), thread_([this] {
        loop();
        if (!on_stop_) return;
        try {
          on_stop_();
        } catch (...) {  // the run's outcome is decided by then: nothing to report it to
        }
      }) {}

BackgroundWriter::~BackgroundWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    tasks_.clear();  // destroyed without finish(): the run failed, drop what is left
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackgroundWriter::rethrow_failure() {
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

void BackgroundWriter::submit(std::function<void()> task) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return tasks_.size() < max_pending_ || failure_; });
  rethrow_failure();
  tasks_.push_back(std::move(task));
  changed_.notify_all();
}

void BackgroundWriter::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return (tasks_.empty() && !busy_) || failure_; });
  rethrow_failure();
}

void BackgroundWriter::finish() {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return (tasks_.empty() && !busy_) || failure_; });
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  rethrow_failure();
}

void BackgroundWriter::loop() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !tasks_.empty() || stopping_; });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
      busy_ = true;
    }
    try {
      task();
    } catch (...) {
      std::lock_guard lock(mutex_);
      failure_ = std::current_exception();
      tasks_.clear();
    }
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
    }
    changed_.notify_all();
  }
}

}  // namespace mlcycle
