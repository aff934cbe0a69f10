#include "accounting/policy_tally.hpp"

#include <algorithm>
#include <cmath>

#include "core/units.hpp"
#include "grid/carbon_windows.hpp"

namespace mlcycle {

PolicyTally::PolicyTally(RunRecorder& inner, std::vector<TalliedCampaign> campaigns)
    : inner_(inner), campaigns_(std::move(campaigns)) {
  for (const TalliedCampaign& c : campaigns_)
    if (c.shifted && c.carbon) figures_.bound_co2_g = 0;
}

double least_job_co2_g(const StepSignal& carbon, double it_power_w, double ready_s, double latest_s,
                       double length_s) {
  const BestStart best = best_start(carbon, ready_s, latest_s, length_s);
  return it_power_w * best.integral / units::kJoulePerKwh;
}

void PolicyTally::record_job(const JobRecord& job) {
  inner_.record_job(job);
  if (job.campaign >= campaigns_.size() || !campaigns_[job.campaign].shifted) return;
  const TalliedCampaign& campaign = campaigns_[job.campaign];
  ++figures_.jobs;
  figures_.jobs_co2_g += job.co2_g;
  figures_.jobs_energy_j += job.energy_j;
  const double latest_s = job.submit_s + campaign.slack_s;
  if (job.start_s > latest_s) ++figures_.deadline_misses;
  std::vector<double>& ends = figures_.trial_end_s[{job.campaign, job.stage_run}];
  if (ends.size() <= job.trial)
    ends.resize(job.trial + 1, std::numeric_limits<double>::quiet_NaN());
  if (!(ends[job.trial] >= job.end_s)) ends[job.trial] = job.end_s;
  if (!campaign.carbon) return;
  // The window ends at the latest start the policy allowed, or later if the queue itself held
  // the job: the bound is then a bound of every start the run could have given it.
  const double duration_s = job.end_s - job.start_s;
  if (duration_s <= 0) return;
  const double it_power_w = job.it_energy_j / duration_s;
  figures_.bound_co2_g += least_job_co2_g(*campaign.carbon, it_power_w, job.submit_s,
                                          std::max(latest_s, job.start_s), duration_s);
}

}  // namespace mlcycle
