#include "output/replay_jobs_table.hpp"

#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "workload/job_log.hpp"

namespace mlcycle {

ReplayJobRow to_replay_job_row(const ReplayedJobRecord& job) {
  ReplayJobRow row{};  // zeroed: the id is NUL-terminated and padded
  row.campaign = job.campaign;
  row.trial = job.trial;
  std::memcpy(row.logged_id, job.logged_id.data(),
              std::min(job.logged_id.size(), kLoggedIdBytes - 1));
  row.line = job.line;
  row.logged_submit_unix_s = job.logged_submit_unix_s;
  row.logged_start_unix_s = job.logged_start_unix_s;
  row.logged_wait_s = job.logged_wait_s;
  row.logged_run_s = job.logged_run_s;
  row.logged_gpus = job.logged_gpus;
  row.logged_state = job.logged_state;
  row.speed = job.speed;
  return row;
}

h5::CompoundType replay_job_type() {
  std::vector<std::string> states;
  for (int s = 0; s < kLoggedStateCount; ++s)
    states.emplace_back(logged_state_name(static_cast<LoggedState>(s)));
  const h5::Handle state_enum = h5::enum_type(states);
  const h5::Handle id = h5::fixed_string_type(kLoggedIdBytes);
  h5::CompoundType row(sizeof(ReplayJobRow));
  row.add("campaign", offsetof(ReplayJobRow, campaign), H5T_NATIVE_UINT32)
      .add("trial", offsetof(ReplayJobRow, trial), H5T_NATIVE_UINT64)
      .add("logged_id", offsetof(ReplayJobRow, logged_id), id.id())
      .add("line", offsetof(ReplayJobRow, line), H5T_NATIVE_UINT32)
      .add("logged_submit_unix_s", offsetof(ReplayJobRow, logged_submit_unix_s), H5T_NATIVE_DOUBLE)
      .add("logged_start_unix_s", offsetof(ReplayJobRow, logged_start_unix_s), H5T_NATIVE_DOUBLE)
      .add("logged_wait_s", offsetof(ReplayJobRow, logged_wait_s), H5T_NATIVE_DOUBLE)
      .add("logged_run_s", offsetof(ReplayJobRow, logged_run_s), H5T_NATIVE_DOUBLE)
      .add("logged_gpus", offsetof(ReplayJobRow, logged_gpus), H5T_NATIVE_UINT32)
      .add("logged_state", offsetof(ReplayJobRow, logged_state), state_enum.id())
      .add("speed", offsetof(ReplayJobRow, speed), H5T_NATIVE_DOUBLE);
  return row;
}

}  // namespace mlcycle
