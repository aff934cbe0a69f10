#include "workload/replay_census.hpp"

#include <algorithm>
#include <limits>

#include "workload/job_log_text.hpp"
#include "workload/replay_feed.hpp"

namespace mlcycle {

namespace {

void read_census(CampaignSpec& campaign, std::int64_t scenario_start_unix_s) {
  ReplaySpec& replay = *campaign.replay;
  const std::unique_ptr<JobLogReader> reader = open_job_log(job_log_spec(replay.log));
  // With anchor = "log", a job submitted before the scenario start (less the offset) is before
  // the run: not replayed (the feed's own test, with the anchor it will have).
  const bool log_times = replay.anchor == ReplayAnchor::log;
  const double log_anchor_unix_s = static_cast<double>(scenario_start_unix_s);
  double latest_submit = -std::numeric_limits<double>::infinity();
  LoggedJob job;
  std::uint64_t kept = 0;
  std::uint32_t largest = 0;
  double first_submit = std::numeric_limits<double>::infinity();
  double last = -std::numeric_limits<double>::infinity();
  while (reader->next(job)) {
    last = std::max({last, job.submit_s, job.start_s.value_or(last), job.end_s.value_or(last)});
    if (!replay_keeps(replay, job)) continue;
    if (log_times && replay_submit_s(replay, log_anchor_unix_s, job) < 0) continue;
    ++kept;
    latest_submit = std::max(latest_submit, job.submit_s);
    replay.disorder_s = std::max(replay.disorder_s, latest_submit - job.submit_s);
    largest = std::max(largest, job.gpus);
    first_submit = std::min(first_submit, job.submit_s);
    if (replay.speed_from_catalog)
      replay.speed_of_type.try_emplace(job.gpu_type.empty() ? replay.logged_gpu : job.gpu_type,
                                       std::numeric_limits<double>::quiet_NaN());
  }
  if (kept == 0)
    throw InputError(campaign.where, "replay." + campaign.name,
                     "the log " + in_quotes(replay.log.path) +
                         " holds no job to replay (none ran with GPUs inside the filters)");
  replay.anchor_unix_s = log_times ? log_anchor_unix_s : first_submit;
  replay.last_unix_s = last;
  campaign.trials = kept;
  campaign.gpus_per_trial = largest;
}

}  // namespace

Scenario with_replays_read(const Scenario& scenario) {
  Scenario read = scenario;
  for (CampaignSpec& campaign : read.campaigns)
    if (campaign.replay) read_census(campaign, scenario.simulation.start.unix_s);
  return read;
}

}  // namespace mlcycle
