// The runner's part in replays: each job a replay reads from its log goes to the recorder, for
// the trace's /replay_jobs (docs/hdf5-schema.md).
#include "engine/lifecycle_runner.hpp"

namespace mlcycle {

void LifecycleRunner::replay_read(std::uint32_t campaign, const ReplayedJob& job,
                                  const LoggedJob& logged) {
  const ReplaySpec& replay = *scenario_.campaigns.at(campaign).replay;
  ReplayedJobRecord record;
  record.campaign = campaign;
  record.trial = job.index;
  record.logged_id = logged.id;
  record.line = static_cast<std::uint32_t>(logged.line);
  record.logged_submit_unix_s = logged.submit_s;
  record.logged_start_unix_s = *logged.start_s;  // a replayed job started
  record.logged_wait_s = job.logged_wait_s;
  record.logged_run_s = logged_run_s(replay, logged);
  record.logged_gpus = logged.gpus;
  record.logged_state = static_cast<std::uint8_t>(logged.state);
  record.speed = replay_speed(replay, logged);
  recorder_.record_replayed(record);
}

}  // namespace mlcycle
