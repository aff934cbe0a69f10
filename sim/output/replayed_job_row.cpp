#include "output/replayed_job_row.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace mlcycle {

ReplayedJobRow to_replayed_job_row(const JobRecord& job) {
  ReplayedJobRow row{};  // zeroed: the id is NUL-terminated and padded
  row.job = to_job_row(job);
  row.logged_wait_s = std::numeric_limits<double>::quiet_NaN();
  row.logged_state = kNoLoggedState;
  if (job.logged) {
    const std::string_view id = job.logged->id_text();
    std::memcpy(row.logged_id, id.data(), std::min(id.size(), kLoggedIdBytes - 1));
    row.logged_wait_s = job.logged->wait_s;
    row.logged_state = static_cast<std::uint8_t>(job.logged->state);
  }
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
