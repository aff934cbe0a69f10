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

// p-th percentile of a sample (0 < p <= 100), the nearest-rank definition: the smallest value
// with at least p % of the sample at or below it.
double nearest_rank(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100 * static_cast<double>(values.size())));
  const std::size_t index = std::max<std::size_t>(rank, 1) - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return values[index];
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
                                const PassTotals& policy, const ShiftFigures& policy_jobs,
                                std::uint64_t serving_deployments) {
  TrialDelays delays(policy_jobs.trial_end_s);
  for (const auto& [key, ends] : baseline_jobs.trial_end_s) delays.pair(key, 0, ends);
  return compare_passes(baseline, baseline_jobs, policy, policy_jobs, delays.take(),
                        serving_deployments);
}

PolicyComparison compare_passes(const PassTotals& baseline, const ShiftFigures& baseline_jobs,
                                const PassTotals& policy, const ShiftFigures& policy_jobs,
                                std::vector<double> delays_h, std::uint64_t serving_deployments) {
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
  c.trials_compared = delays_h.size();
  if (!delays_h.empty()) {
    double sum = 0;
    for (double d : delays_h) sum += d;
    c.delay_mean_h = sum / static_cast<double>(delays_h.size());
    c.delay_max_h = *std::max_element(delays_h.begin(), delays_h.end());
    c.delay_p95_h = nearest_rank(std::move(delays_h), 95);
  }
  return c;
}

}  // namespace mlcycle
