#include "workload/job_log.hpp"

#include <algorithm>

namespace mlcycle {

std::string_view logged_state_name(LoggedState state) {
  switch (state) {
    case LoggedState::completed:
      return "completed";
    case LoggedState::failed:
      return "failed";
    case LoggedState::cancelled:
      return "cancelled";
    case LoggedState::timeout:
      return "timeout";
    case LoggedState::node_fail:
      return "node_fail";
    case LoggedState::out_of_memory:
      return "out_of_memory";
    case LoggedState::preempted:
      return "preempted";
    case LoggedState::running:
      return "running";
    case LoggedState::pending:
      return "pending";
    case LoggedState::other:
      break;
  }
  return "other";
}

}  // namespace mlcycle

namespace mlcycle {

void LoggedIdentity::set_id(std::string_view text) {
  id_chars = static_cast<std::uint8_t>(std::min(text.size(), id.size()));
  std::copy_n(text.data(), id_chars, id.data());
}

void LoggedJob::reset() {
  id.clear();
  line = 0;
  submit_s = 0;
  start_s.reset();
  end_s.reset();
  gpus = 0;
  nodes = 0;
  state = LoggedState::other;
  user.clear();
  account.clear();
  partition.clear();
  gpu_type.clear();
  walltime_s.reset();
  start_before_submit = false;
}

}  // namespace mlcycle
