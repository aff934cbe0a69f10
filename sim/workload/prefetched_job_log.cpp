#include "workload/prefetched_job_log.hpp"

#include <utility>

namespace mlcycle {

PrefetchedJobLog::PrefetchedJobLog(std::unique_ptr<JobLogReader> reader)
    : reader_(std::move(reader)), thread_([this] { read_ahead(); }) {}

PrefetchedJobLog::~PrefetchedJobLog() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void PrefetchedJobLog::read_ahead() {
  bool more = true;
  while (more) {
    std::vector<LoggedJob> batch(kBatchJobs);
    std::size_t count = 0;
    std::exception_ptr failure;
    try {
      while (count < kBatchJobs && (more = reader_->next(batch[count]))) ++count;
    } catch (...) {
      failure = std::current_exception();
      more = false;
    }
    batch.resize(count);
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return stopping_ || ready_.size() < kBatchesAhead; });
    if (stopping_) return;
    if (!batch.empty()) ready_.push_back(std::move(batch));
    if (!more) {
      failure_ = failure;
      finished_ = true;
    }
    changed_.notify_all();
  }
}

bool PrefetchedJobLog::next(LoggedJob& job) {
  if (at_ == batch_.size()) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty() || finished_; });
    if (ready_.empty()) {
      if (failure_) std::rethrow_exception(failure_);
      return false;
    }
    batch_ = std::move(ready_.front());
    ready_.pop_front();
    at_ = 0;
    changed_.notify_all();
  }
  std::swap(job, batch_[at_++]);
  return true;
}

}  // namespace mlcycle
