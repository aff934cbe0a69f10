#include "accounting/policy_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "accounting/trial_delays.hpp"
#include "core/units.hpp"

namespace mlcycle {

namespace {

double saving_pct(double baseline, double value) {
  return baseline > 0 ? 100 * (baseline - value) / baseline : 0;
}

}  // namespace

PassTotals pass_totals(const RunSummary& summary,
                       const std::vector<bool>& deployments_under_policy) {
  PassTotals totals{summary.total.co2_g, summary.total.energy_j, summary.makespan_s};
  totals.data_moved_gb = summary.data_moved_gb;
  totals.staging_h = summary.staging_hours;
  for (std::size_t d = 0; d < deployments_under_policy.size(); ++d) {
    if (!deployments_under_policy[d] || d >= summary.deployments.size()) continue;
    const DeploymentResult& r = summary.deployments[d];
    totals.serving_co2_g += r.co2_g;
    totals.serving_energy_j += r.energy_j;
    totals.serving_served += r.served;
    totals.serving_late += r.late;
    totals.serving_dropped += r.dropped;
    totals.serving_served_away += r.served_away;
  }
  return totals;
}

PolicyComparison compare_passes(const PassTotals& baseline, const ShiftFigures& baseline_jobs,
                                const PassTotals& policy, ShiftFigures& policy_jobs,
                                std::uint64_t serving_deployments) {
  TrialDelays delays(std::move(policy_jobs.trial_end_s));
  std::vector<double> ends;
  for (const auto& [key, size] : baseline_jobs.trial_end_s.runs()) {
    ends.resize(size);
    baseline_jobs.trial_end_s.read(key, 0, ends);
    delays.pair(key, 0, ends);
  }
  return compare_passes(baseline, baseline_jobs, policy, policy_jobs, delays.take(),
                        serving_deployments);
}

PolicyComparison compare_passes(const PassTotals& baseline, const ShiftFigures& baseline_jobs,
                                const PassTotals& policy, const ShiftFigures& policy_jobs,
                                const DelaySummary& delays, std::uint64_t serving_deployments) {
  PolicyComparison c;
  c.baseline = baseline;
  c.policy = policy;
  c.baseline_jobs_co2_g = baseline_jobs.jobs_co2_g;
  c.policy_jobs_co2_g = policy_jobs.jobs_co2_g;
  c.bound_jobs_co2_g = policy_jobs.bound_co2_g;
  c.saving_pct = saving_pct(c.baseline_jobs_co2_g, c.policy_jobs_co2_g);
  c.bound_saving_pct = saving_pct(c.baseline_jobs_co2_g, c.bound_jobs_co2_g);
  c.total_saving_pct = saving_pct(baseline.co2_g, policy.co2_g);
  c.energy_change_pct = -saving_pct(baseline.energy_j, policy.energy_j);
  c.jobs = policy_jobs.jobs;
  c.serving_deployments = serving_deployments;
  c.deadline_misses = policy_jobs.deadline_misses;
  c.baseline_deadline_misses = baseline_jobs.deadline_misses;
  c.serving_saving_pct = saving_pct(baseline.serving_co2_g, policy.serving_co2_g);
  c.trials_compared = delays.count;
  c.delay_mean_h = delays.mean_h;
  c.delay_max_h = delays.max_h;
  c.delay_p95_h = delays.p95_h;
  return c;
}

}  // namespace mlcycle
