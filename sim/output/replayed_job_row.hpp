#pragma once
// /jobs of a run with a [[replay]]: each row a JobRow, then what the replayed job's log says:
// its id, its wait in the log (beside the simulated wait_s) and its logged state
// (docs/hdf5-schema.md). Another campaign's jobs in the same run have an empty id, a NaN wait
// and the state "none".
#include <cstdint>

#include "accounting/run_records.hpp"
#include "output/h5_types.hpp"
#include "output/trace_types.hpp"
#include "workload/job_log.hpp"

namespace mlcycle {

// The id and its terminating NUL (a longer id was cut to kLoggedIdChars when read).
inline constexpr std::size_t kLoggedIdBytes = kLoggedIdChars + 1;
// logged_state of a job that comes from no log.
inline constexpr std::uint8_t kNoLoggedState = kLoggedStateCount;

#pragma pack(push, 1)
struct ReplayedJobRow {
  JobRow job;
  char logged_id[kLoggedIdBytes];
  double logged_wait_s;
  std::uint8_t logged_state;
};
#pragma pack(pop)

ReplayedJobRow to_replayed_job_row(const JobRecord& job);
// The row's type, in memory and in the file.
h5::CompoundType replayed_job_type(const TraceTypes& types);

}  // namespace mlcycle
