#pragma once
// /replay_jobs: what each replayed job's log says, one row per job a [[replay]] read, in log
// order, joined to /jobs by (campaign, trial): its logged id and line, times, wait, run, GPUs,
// state and the speed it ran at (docs/hdf5-schema.md). Appended as the logs are read.
#include <cstdint>

#include "accounting/run_records.hpp"
#include "output/h5_types.hpp"
#include "workload/job_log.hpp"

namespace mlcycle {

// The id and its terminating NUL (a longer id was cut to kLoggedIdChars when read).
inline constexpr std::size_t kLoggedIdBytes = kLoggedIdChars + 1;

#pragma pack(push, 1)
struct ReplayJobRow {
  std::uint32_t campaign;
  std::uint64_t trial;
  char logged_id[kLoggedIdBytes];
  std::uint32_t line;
  double logged_submit_unix_s;
  double logged_start_unix_s;
  double logged_wait_s;
  double logged_run_s;
  std::uint32_t logged_gpus;
  std::uint8_t logged_state;
  double speed;
};
#pragma pack(pop)

ReplayJobRow to_replay_job_row(const ReplayedJobRecord& job);
// The row's type, in memory and in the file.
h5::CompoundType replay_job_type();

}  // namespace mlcycle
