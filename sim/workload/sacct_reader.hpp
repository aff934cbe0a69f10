#pragma once
// Slurm accounting, as `sacct --parsable2` prints it: a header line of field names, then one
// record a line, fields separated by '|' (docs/replay.md, "Slurm"). The fields read:
//   JobID, Submit, Start, End, State (required); AllocTRES and/or ReqTRES (GPUs: gres/gpu);
//   Elapsed, NNodes, Partition, Account, User, Timelimit (optional).
// Rules: job steps ("4711.batch", "4711.0") are skipped, their allocation's line is the job;
// array tasks ("4711_3") are jobs; a pending array range ("4711_[4-9]") is one pending record.
// A job without Start never started; a CANCELLED job whose Start equals its End and that holds
// no AllocTRES was cancelled before it started. A job without End is still running: its end is
// Start + Elapsed (the run so far when sacct was called) when the log has Elapsed, else none.
// A Start before Submit (clock skew) is moved up to Submit. An End before Start is an error.
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "workload/job_log.hpp"

namespace mlcycle {

struct SacctOptions {
  // sacct prints the local time of the host it runs on, without an offset: the offset of that
  // time from UTC, in seconds (+3600 for CET).
  double utc_offset_s = 0;
};

class SacctReader final : public JobLogReader {
 public:
  // InputError when the file cannot be read or its header lacks a required field.
  SacctReader(std::string path, SacctOptions options);
  bool next(LoggedJob& job) override;
  std::uint64_t records_skipped() const override { return steps_; }
  std::string_view skipped_what() const override { return "job steps"; }

 private:
  struct Columns {
    std::size_t id, submit, start, end, state;
    std::optional<std::size_t> alloc_tres, req_tres, elapsed, nnodes, partition, account, user,
        timelimit;
  };
  bool read_line();
  [[noreturn]] void fail(std::size_t field, const std::string& message) const;
  std::optional<double> time_field(std::size_t field) const;
  void read_tres(std::string_view tres, std::size_t field, LoggedJob& job) const;

  std::string path_;
  SacctOptions options_;
  std::ifstream in_;
  int line_ = 0;
  std::string text_;
  std::vector<std::string_view> fields_;
  std::vector<std::string> header_;
  Columns columns_{};
  std::uint64_t steps_ = 0;
};

}  // namespace mlcycle
