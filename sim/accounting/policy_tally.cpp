#include "accounting/policy_tally.hpp"

#include <algorithm>
#include <cmath>

#include "core/units.hpp"
#include "grid/carbon_windows.hpp"

namespace mlcycle {

PolicyTally::PolicyTally(RunRecorder& inner, std::vector<TalliedCampaign> campaigns)
    : inner_(inner), campaigns_(std::move(campaigns)), carbon_steps_(campaigns_.size()) {
  for (std::size_t c = 0; c < campaigns_.size(); ++c) {
    if (!campaigns_[c].under_policy || campaigns_[c].carbon.empty()) continue;
    figures_.bound_co2_g = 0;
    for (const auto& carbon : campaigns_[c].carbon)
      carbon_steps_[c].push_back(std::make_unique<CumulativeSteps>(carbon));
  }
}

double least_job_co2_g(const StepSignal& carbon, double it_power_w, double ready_s, double latest_s,
                       double length_s) {
  const BestStart best = best_start(carbon, ready_s, latest_s, length_s);
  return it_power_w * best.integral / units::kJoulePerKwh;
}

void PolicyTally::record_job(const JobRecord& job) {
  inner_.record_job(job);
  if (job.campaign >= campaigns_.size() || !campaigns_[job.campaign].under_policy) return;
  const TalliedCampaign& campaign = campaigns_[job.campaign];
  ++figures_.jobs;
  figures_.jobs_co2_g += job.co2_g;
  figures_.jobs_energy_j += job.energy_j;
  const double latest_s = job.submit_s + campaign.slack_s;
  if (job.start_s > latest_s) ++figures_.deadline_misses;
  figures_.trial_end_s.record({job.campaign, job.stage_run}, job.trial, job.end_s);
  if (campaign.carbon.empty()) return;
  // Its best start within its window at its best site, capacity ignored; a job the queue held
  // past its window (in either pass) may have found a cleaner time out there: then its actual
  // CO2e counts.
  const double duration_s = job.end_s - job.start_s;
  if (duration_s <= 0) return;
  const double it_power_w = job.it_energy_j / duration_s;
  const double window_end_s =
      std::isnan(campaign.window_s) ? latest_s : job.submit_s + campaign.window_s;
  double best_g = job.co2_g;
  for (const auto& steps : carbon_steps_[job.campaign])
    best_g = std::min(
        best_g, it_power_w * steps->least_window_integral(job.submit_s, window_end_s, duration_s) /
                    units::kJoulePerKwh);
  figures_.bound_co2_g += best_g;
}

}  // namespace mlcycle
