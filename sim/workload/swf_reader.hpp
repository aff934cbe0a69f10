#pragma once
// The Standard Workload Format of the Parallel Workloads Archive (Feitelson et al., "Experience
// with using the Parallel Workloads Archive", JPDC 2014; docs/replay.md, "SWF"): comment lines
// start with ';', then one job a line, 18 whitespace-separated numbers, -1 where unknown. The
// fields read: 1 job number, 2 submit time (s from the log's start), 3 wait time, 4 run time,
// 5 allocated processors, 8 requested processors, 9 requested time, 11 status, 12 user,
// 13 group, 15 queue, 16 partition.
// Rules: times count from the header's "; UnixStartTime:" when the log has one, else from the
// reader's `start_unix_s`. Processors map to GPUs by `processors_per_gpu` (a job takes
// ceil(processors / processors_per_gpu) GPUs); allocated processors first, requested when those
// are unknown. Status 1 completed, 0 failed, 5 cancelled, 2-4 (checkpointed parts): completed
// (3) or failed (2, 4); -1 other. A job with run time -1, or cancelled with run time 0, never
// started. A wait of -1 counts as 0. Negative times other than -1 are errors.
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "workload/job_log.hpp"

namespace mlcycle {

struct SwfOptions {
  double processors_per_gpu = 1;
  double start_unix_s = 0;  // when the log has no "; UnixStartTime:" line
};

class SwfReader final : public JobLogReader {
 public:
  // InputError when the file cannot be read or processors_per_gpu is not > 0.
  SwfReader(std::string path, SwfOptions options);
  bool next(LoggedJob& job) override;
  std::uint64_t records_skipped() const override { return 0; }
  std::string_view skipped_what() const override { return "records"; }

 private:
  [[noreturn]] void fail(std::size_t field, const std::string& message) const;
  double number(std::size_t field) const;  // field 1-based, as SWF numbers them

  std::string path_;
  SwfOptions options_;
  std::ifstream in_;
  int line_ = 0;
  std::string text_;
  std::vector<std::string_view> fields_;
  double start_unix_s_;
  bool jobs_seen_ = false;
};

}  // namespace mlcycle
