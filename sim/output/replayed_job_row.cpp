#include "output/replayed_job_row.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

namespace mlcycle {

ReplayedJobRow to_replayed_job_row(const JobRecord& job) {
  ReplayedJobRow row{};  // zeroed: the id is NUL-terminated and padded
  row.job = to_job_row(job);
  std::memcpy(row.logged_id, job.logged_id.data(),
              std::min(job.logged_id.size(), kLoggedIdBytes - 1));
  row.logged_wait_s = job.logged_wait_s;
  row.logged_state =
      std::isnan(job.logged_wait_s) ? kNoLoggedState : static_cast<std::uint8_t>(job.logged_state);
  return row;
}

h5::CompoundType replayed_job_type(const TraceTypes& types) {
  std::vector<std::string> states;
  for (int s = 0; s < kLoggedStateCount; ++s)
    states.emplace_back(logged_state_name(static_cast<LoggedState>(s)));
  states.emplace_back("none");  // kNoLoggedState
  const h5::Handle state_enum = h5::enum_type(states);
  const h5::Handle id = h5::fixed_string_type(kLoggedIdBytes);
  h5::CompoundType row(sizeof(ReplayedJobRow));
  add_job_members(row, types);
  row.add("logged_id", offsetof(ReplayedJobRow, logged_id), id.id())
      .add("logged_wait_s", offsetof(ReplayedJobRow, logged_wait_s), H5T_NATIVE_DOUBLE)
      .add("logged_state", offsetof(ReplayedJobRow, logged_state), state_enum.id());
  return row;
}

}  // namespace mlcycle
