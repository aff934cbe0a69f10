#pragma once
// A run with carbon-aware policies against its counterfactual: the same scenario and seed with
// every policy off (the same trials, lengths and draws), run as a second pass of the same
// engine. What `mlcycle run` prints and the trace's /policy group holds.
#include <cstdint>
#include <limits>

#include <vector>
#include "accounting/policy_tally.hpp"
#include "accounting/trial_delays.hpp"

#include "accounting/run_records.hpp"

namespace mlcycle {

struct PassTotals {
  double co2_g = 0;     // the whole run, idle included
  double energy_j = 0;  // facility
  double makespan_s = 0;
  // The serving deployments under a policy (power-capped), summed: what their requests cost
  // and how well they were served.
  double serving_co2_g = 0;
  double serving_energy_j = 0;
  double serving_served = 0;
  double serving_late = 0;
  double serving_dropped = 0;
  double serving_served_away = 0;  // served outside the first cluster (routed services)
  // Spatial shifting: data moved before placed jobs ran away from their first cluster.
  double data_moved_gb = 0;
  double staging_h = 0;
};

struct PolicyComparison {
  PassTotals baseline, policy;
  // Deferrable jobs (those of shifting campaigns) in each pass, and their exact lower bound:
  // each job at its best start in its window, capacity ignored.
  double baseline_jobs_co2_g = 0;
  double policy_jobs_co2_g = 0;
  double bound_jobs_co2_g = std::numeric_limits<double>::quiet_NaN();
  double saving_pct = 0;         // of the deferrable jobs' CO2e: (baseline - policy) / baseline
  double bound_saving_pct = 0;   // (baseline - bound) / baseline: no policy can save more
  double total_saving_pct = 0;   // of the whole run's CO2e, idle included
  double energy_change_pct = 0;  // of the whole run's facility energy (idle waits count)
  // Completion of each deferrable trial, policy minus baseline (hours); trials completed in
  // both passes.
  std::uint64_t trials_compared = 0;
  double delay_mean_h = 0, delay_p95_h = 0, delay_max_h = 0;
  std::uint64_t jobs = 0;
  // Jobs started after ready + slack, in each pass: a queue that holds jobs past their window
  // makes late starts without any policy, so the policy's own misses are the difference.
  std::uint64_t deadline_misses = 0;
  std::uint64_t baseline_deadline_misses = 0;
  // Serving deployments under a policy (their figures are in `baseline` and `policy`).
  std::uint64_t serving_deployments = 0;
  double serving_saving_pct = 0;  // of their CO2e
  // Campaigns placed over several clusters (their data movement is in `baseline` and `policy`).
  std::uint64_t placed_campaigns = 0;
  // Serving deployments over several clusters (their requests served away from the first
  // cluster are in `baseline` and `policy`).
  std::uint64_t routed_deployments = 0;
};

// The passes compared; the trial delays paired from the two passes' trial ends (the policy
// pass's are moved out of `policy_jobs`).
PolicyComparison compare_passes(const PassTotals& baseline, const ShiftFigures& baseline_jobs,
                                const PassTotals& policy, ShiftFigures& policy_jobs,
                                std::uint64_t serving_deployments = 0);
// The same with the delays already paired (TrialDelays, as the counterfactual's report is
// read); the figures' trial ends are not read.
PolicyComparison compare_passes(const PassTotals& baseline, const ShiftFigures& baseline_jobs,
                                const PassTotals& policy, const ShiftFigures& policy_jobs,
                                const DelaySummary& delays, std::uint64_t serving_deployments);

// A pass's totals; the serving figures sum the deployments under a policy (per deployment).
PassTotals pass_totals(const RunSummary& summary,
                       const std::vector<bool>& deployments_under_policy);

}  // namespace mlcycle
