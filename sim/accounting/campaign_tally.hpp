#pragma once
// Per-campaign results (/campaigns) from the jobs as they end and the campaign runs' searches at
// the end of the run. Plain bookkeeping: the runner feeds it, the trace writes its results.
#include <cstdint>
#include <vector>

#include "accounting/run_records.hpp"
#include "scenario/scenario.hpp"
#include "workload/search_algorithm.hpp"

namespace mlcycle {

class CampaignTally {
 public:
  explicit CampaignTally(const std::vector<CampaignSpec>& campaigns);

  void run_opened(std::uint32_t campaign) { ++results_.at(campaign).runs; }
  // A job starts computing after waiting `wait_s`; first attempts of independent trials count
  // as trials (a search's trials are its configurations: see search_finished).
  void job_started(const JobRequest& job, double wait_s, bool search);
  // `crash`: the attempt ended by a crash or a node failure.
  void job_ended(const JobRecord& record, bool crash, bool search);
  // A campaign run's end: what it never started, and its search's results.
  void run_finished(std::uint32_t campaign, std::uint64_t never_started,
                    const SearchResults* search, double full_trial_gpu_hours);
  // The results, with the counterfactual saving and mean waits filled in.
  std::vector<CampaignResult> results() const;

 private:
  const std::vector<CampaignSpec>& campaigns_;
  std::vector<CampaignResult> results_;
  std::vector<double> wait_s_;
  std::vector<std::uint64_t> started_;
};

}  // namespace mlcycle
