#pragma once
// Records made on a thread of their own, a few batches ahead of their consumer: a replay's log
// is parsed, filtered and turned into jobs on the second core while the simulation runs on the
// first. The records and any error come in the producer's order, exactly as if it ran inline.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace mlcycle {

template <class Record>
class ReadAhead {
 public:
  // Makes the next record into its argument, or answers false at the end; may throw. Called on
  // the read-ahead thread only, from construction until the end, an exception or destruction.
  using Produce = std::function<bool(Record&)>;

  explicit ReadAhead(Produce produce) : produce_(std::move(produce)), thread_([this] { run(); }) {}
  ~ReadAhead() {  // stops the thread, even mid-way
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next record; false at the end. The producer's exception is rethrown here, after the
  // records made before it.
  bool next(Record& record) {
    if (at_ == batch_.size()) {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return !ready_.empty() || finished_; });
      if (ready_.empty()) {
        if (failure_) std::rethrow_exception(failure_);
        return false;
      }
      if (!batch_.empty()) spare_.push_back(std::move(batch_));
      batch_ = std::move(ready_.front());
      ready_.pop_front();
      at_ = 0;
      changed_.notify_all();
    }
    record = std::move(batch_[at_++]);
    return true;
  }

 private:
  // Batches large enough that the lock is taken once per thousand records, few enough that
  // memory stays flat.
  static constexpr std::size_t kBatchRecords = 1024;
  static constexpr std::size_t kBatchesAhead = 4;

  void run() {
    bool more = true;
    std::vector<Record> batch;
    while (more) {
      batch.resize(kBatchRecords);
      std::size_t count = 0;
      std::exception_ptr failure;
      try {
        while (count < kBatchRecords && (more = produce_(batch[count]))) ++count;
      } catch (...) {
        failure = std::current_exception();
        more = false;
      }
      batch.resize(count);
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || ready_.size() < kBatchesAhead; });
      if (stopping_) return;
      if (!batch.empty()) ready_.push_back(std::move(batch));
      // The next batch reuses one the consumer is done with: no allocation (and no fresh pages
      // for the kernel to zero) per batch.
      batch.clear();
      if (!spare_.empty()) {
        batch = std::move(spare_.back());
        spare_.pop_back();
      }
      if (!more) {
        failure_ = failure;
        finished_ = true;
      }
      changed_.notify_all();
    }
  }

  Produce produce_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<Record>> ready_;   // batches made, in order
  std::vector<std::vector<Record>> spare_;  // batches read, for the thread to refill
  bool finished_ = false;                   // the thread made its last record (or failed)
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::vector<Record> batch_;  // the consumer's
  std::size_t at_ = 0;
  std::thread thread_;  // last: starts once the rest exists
};

}  // namespace mlcycle
