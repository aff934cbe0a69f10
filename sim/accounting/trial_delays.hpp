#pragma once
// The added completion delay of each deferrable trial: its end in the policy pass minus its
// end in the baseline pass (hours), for trials that ended in both. The baseline's ends arrive
// in chunks, straight from the counterfactual's report, and are paired with the policy pass's
// (a TrialEndStore); the delays are summed as they come and kept in a temporary file for
// their exact 95th percentile, so a comparison's memory does not grow with its trials.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "accounting/spill_file.hpp"
#include "accounting/trial_end_store.hpp"

namespace mlcycle {

struct DelaySummary {
  std::uint64_t count = 0;                  // trials compared
  double mean_h = 0, p95_h = 0, max_h = 0;  // 0 without any trial
};

// The p-th percentile (0 < p <= 100) of `values`, the nearest-rank definition: the smallest
// value with at least p % of them at or below it; 0 when empty.
double nearest_rank(std::vector<double> values, double p);

class TrialDelays {
 public:
  using Key = TrialEndStore::Key;
  // `chunk`: delays held in memory before they go to the file (tests use small ones).
  explicit TrialDelays(TrialEndStore policy_ends, std::size_t chunk = 8192);
  // The baseline's ends of campaign run `key` for trials [first, first + ends.size()); keys
  // come in order, a key's chunks in order, each trial once.
  void pair(const Key& key, std::size_t first, std::span<const double> baseline_ends);
  // Count, mean (summed in key then trial order), exact 95th percentile and maximum.
  DelaySummary take();

 private:
  std::uint64_t select(std::uint64_t rank);  // the rank-th smallest delay (0-based), as a key

  TrialEndStore ends_;
  std::vector<double> policy_chunk_;  // scratch
  std::vector<double> pending_;       // delays not yet in the file
  std::size_t chunk_;
  SpillFile file_{"the trial delays"};
  std::uint64_t in_file_ = 0;  // delays in the file
  std::uint64_t count_ = 0;
  double sum_h_ = 0;
  double max_h_ = 0;
};

}  // namespace mlcycle
