// The runner's part in replays: each job a replay reads from its log goes to the recorder, for
// the trace's /replay_jobs (docs/hdf5-schema.md); the arrivals the clock does not stop for
// are counted in the queue lengths.
#include "engine/lifecycle_runner.hpp"

#include "core/special_values.hpp"

namespace mlcycle {

void LifecycleRunner::replay_read(std::uint32_t campaign, const ReplayedJob& job) {
  ReplayedJobRecord record;
  record.campaign = campaign;
  record.trial = job.index;
  record.logged_id = job.logged_id_text();
  record.line = static_cast<std::uint32_t>(job.line);
  record.logged_submit_unix_s = job.logged_submit_unix_s;
  record.logged_start_unix_s = job.logged_start_unix_s;
  record.logged_wait_s = job.logged_wait_s;
  record.logged_run_s = job.logged_run_s;
  record.logged_gpus = job.gpus;
  record.logged_state = static_cast<std::uint8_t>(job.logged_state);
  record.speed = job.speed;
  recorder_.record_replayed(record);
}

// The replays' quiet arrivals before `until_s`, in time order: each changes its cluster's queue
// length at its own instant, exactly as a clock stop there would have recorded it.
void LifecycleRunner::count_quiet_arrivals(double until_s) {
  if (!has_replays_) return;
  JobScheduler& scheduler = core_.scheduler();
  while (true) {
    double first_s = kNever;
    std::uint32_t first = 0;
    for (std::uint32_t s = 0; s < scheduler.sources(); ++s) {
      const double at_s = scheduler.source(s).next_quiet_arrival_s();
      if (at_s < first_s) {
        first_s = at_s;
        first = s;
      }
    }
    if (!(first_s < until_s)) return;
    meter_.advance_to(first_s);
    const std::uint32_t cluster = scheduler.cluster_of_source(first);
    meter_.set_queue_length(cluster, scheduler.waiting(cluster, first_s));
  }
}

}  // namespace mlcycle
