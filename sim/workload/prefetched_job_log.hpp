#pragma once
// A job log read on a thread of its own, a batch ahead of its consumer: a replay's log is parsed
// on the second core while the simulation runs on the first. The jobs and any error come in the
// log's order, exactly as from the reader it wraps.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "workload/job_log.hpp"

namespace mlcycle {

class PrefetchedJobLog final : public JobLogReader {
 public:
  explicit PrefetchedJobLog(std::unique_ptr<JobLogReader> reader);
  ~PrefetchedJobLog() override;  // stops the thread, even mid-log
  PrefetchedJobLog(const PrefetchedJobLog&) = delete;
  PrefetchedJobLog& operator=(const PrefetchedJobLog&) = delete;

  // The next job; an InputError of the log is thrown here, after the jobs before it.
  bool next(LoggedJob& job) override;
  // Valid once next() has returned false.
  std::uint64_t records_skipped() const override { return reader_->records_skipped(); }
  std::string_view skipped_what() const override { return reader_->skipped_what(); }

 private:
  static constexpr std::size_t kBatchJobs = 1024;
  static constexpr std::size_t kBatchesAhead = 4;

  void read_ahead();  // the thread

  std::unique_ptr<JobLogReader> reader_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<LoggedJob>> ready_;  // batches read, in order
  bool finished_ = false;                     // the thread read its last record (or failed)
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::vector<LoggedJob> batch_;  // the consumer's
  std::size_t at_ = 0;
  std::thread thread_;  // last: starts once the rest exists
};

}  // namespace mlcycle
