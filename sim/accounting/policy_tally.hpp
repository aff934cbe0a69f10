#pragma once
// What one pass of a policy comparison keeps of its jobs (the policy run, or its baseline with
// every policy off): the CO2e of the deferrable jobs (those of shifting campaigns), when each
// of their trials completed, the deadlines missed, and in the policy run the exact lower bound
// of their CO2e: each job at its best start in [ready, ready + slack] (capacity ignored), or
// where it actually ran when that was cleaner still (the queue can hold a job past its window).
// It watches the run's records on their way to the trace file.
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "accounting/run_records.hpp"
#include "accounting/trial_end_store.hpp"
#include "grid/cumulative_steps.hpp"
#include "grid/step_signal.hpp"

namespace mlcycle {

// A campaign as the tally sees it: under a policy or not, its slack, and (policy pass only)
// the CO2e rate per IT watt (PUE x intensity) of its site, or of each site a placed campaign's
// jobs may run at, for the bound.
struct TalliedCampaign {
  bool under_policy = false;  // shifted in time or space, or power-capped
  double slack_s = 0;
  std::vector<std::shared_ptr<const StepSignal>> carbon;  // empty: no bound in this pass
  // The bound's start window after the ready time (NaN: the slack; placed jobs: 0).
  double window_s = std::numeric_limits<double>::quiet_NaN();
};

struct ShiftFigures {
  double jobs_co2_g = 0;  // deferrable jobs only
  double jobs_energy_j = 0;
  double bound_co2_g = std::numeric_limits<double>::quiet_NaN();  // policy pass only
  std::uint64_t jobs = 0;
  std::uint64_t deadline_misses = 0;  // started after ready + slack (capacity held them)
  // Completion of each deferrable trial, by (campaign, stage run) and trial.
  TrialEndStore trial_end_s;
};

class PolicyTally final : public RunRecorder {
 public:
  PolicyTally(RunRecorder& inner, std::vector<TalliedCampaign> campaigns);
  void record_job(const JobRecord& job) override;
  void record_bin(const TraceBin& bin) override { inner_.record_bin(bin); }
  const ShiftFigures& figures() const { return figures_; }
  ShiftFigures take() { return std::move(figures_); }

 private:
  RunRecorder& inner_;
  std::vector<TalliedCampaign> campaigns_;
  // Per campaign with a bound, per site its jobs may run at.
  std::vector<std::vector<std::unique_ptr<CumulativeSteps>>> carbon_steps_;
  ShiftFigures figures_;
};

// The least CO2e (g) a job of constant IT power could emit starting anywhere in
// [ready_s, latest_s] for `length_s` on `carbon` (PUE x intensity, g/kWh): exact on the step
// integral.
double least_job_co2_g(const StepSignal& carbon, double it_power_w, double ready_s, double latest_s,
                       double length_s);

}  // namespace mlcycle
