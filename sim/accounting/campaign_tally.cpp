#include "accounting/campaign_tally.hpp"

#include <cmath>

namespace mlcycle {

CampaignTally::CampaignTally(const std::vector<CampaignSpec>& campaigns)
    : campaigns_(campaigns),
      results_(campaigns.size()),
      wait_s_(campaigns.size(), 0),
      started_(campaigns.size(), 0) {
  for (std::size_t c = 0; c < campaigns.size(); ++c) {
    results_[c].name = campaigns[c].name;
    results_[c].phase = campaigns[c].phase;
    results_[c].stage = campaigns[c].stage;
  }
}

void CampaignTally::job_started(const JobRequest& job, double wait_s, bool search) {
  wait_s_.at(job.campaign) += wait_s;
  ++started_[job.campaign];
  if (job.attempt == 0 && !job.resumed && !search) ++results_[job.campaign].trials_started;
}

void CampaignTally::job_ended(const JobRecord& record, bool crash, bool search) {
  CampaignResult& r = results_.at(record.campaign);
  ++r.jobs;
  r.gpu_hours += record.gpu_hours;
  r.wasted_gpu_hours += record.wasted_gpu_hours;
  r.energy_j += record.energy_j;
  r.co2_g += record.co2_g;
  r.wasted_co2_g += record.wasted_co2_g;
  if (!std::isnan(record.flops)) {  // a compute-sized job
    r.flops = (std::isnan(r.flops) ? 0 : r.flops) + record.flops;
    r.peak_flops += record.peak_flops;
    if (r.peak_flops > 0) r.mfu = r.flops / r.peak_flops;
  }
  if (crash) ++r.crashes;
  const StopReason reason = record.stop_reason;
  if (reason == StopReason::failed || reason == StopReason::walltime) ++r.failed;
  if (reason == StopReason::completed && !search) ++r.completed;
  if (reason == StopReason::horizon) ++r.unfinished;
  if (std::isnan(r.first_submit_s) || record.submit_s < r.first_submit_s)
    r.first_submit_s = record.submit_s;
  if (std::isnan(r.last_end_s) || record.end_s > r.last_end_s) r.last_end_s = record.end_s;
}

void CampaignTally::run_finished(std::uint32_t campaign, std::uint64_t never_started,
                                 const SearchResults* search, double full_trial_gpu_hours) {
  CampaignResult& r = results_.at(campaign);
  r.unfinished += never_started;
  if (!search) return;
  // A search's trials are its configurations (its rungs are jobs of the same trial).
  r.trials_started += search->configs_started;
  r.completed += search->configs_completed;
  r.stopped_early += search->configs_stopped_early;
  r.full_budget_gpu_hours += static_cast<double>(search->configs_started) * full_trial_gpu_hours;
  if (!std::isnan(search->best_score) &&
      (std::isnan(r.best_score) || search->best_score > r.best_score))
    r.best_score = search->best_score;
}

std::vector<CampaignResult> CampaignTally::results() const {
  std::vector<CampaignResult> out = results_;
  for (std::size_t c = 0; c < out.size(); ++c) {
    CampaignResult& r = out[c];
    // The counterfactual of a search: every configuration trained to the full budget.
    // Independent trials are their own counterfactual.
    if (campaigns_[c].search)
      r.saved_gpu_hours = r.full_budget_gpu_hours - r.gpu_hours;
    else
      r.full_budget_gpu_hours = r.gpu_hours;
    r.mean_wait_s = started_[c] > 0 ? wait_s_[c] / static_cast<double>(started_[c]) : 0;
  }
  return out;
}

}  // namespace mlcycle
