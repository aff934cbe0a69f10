#pragma once
// Hyperband (Li et al. 2018). With K = s_max = floor(log_eta(R / r)), brackets
// s = K, K-1, ..., K - brackets + 1 each run synchronous successive halving:
//   n_s = ceil((K + 1) / (s + 1) * eta^s) configurations,
//   rung i = 0..s: floor(n_s / eta^i) configurations trained to R * eta^(i - s).
// The paper runs the brackets one after another; here they run side by side so that workers
// stay busy: a free worker gets the next trial of the first bracket (largest s first) that has
// one ready, and waits only when every bracket is draining a rung. Configuration ids are global,
// in order of first start; SearchTrial::bracket is s.
#include <vector>

#include "workload/search_algorithm.hpp"
#include "workload/search_ledger.hpp"
#include "workload/successive_halving.hpp"

namespace mlcycle {

class HyperbandSearch : public SearchAlgorithm {
 public:
  HyperbandSearch(const SearchSpec& spec, SearchScorer scorer);

  std::optional<SearchTrial> peek() const override;
  SearchTrial take() override;
  void report(const SearchTrial& trial, bool completed) override;
  bool finished() const override;
  SearchResults results() const override { return ledger_.results(); }
  double score_of(const SearchTrial& trial) const override;

  // Largest s first.
  const std::vector<ShBracket>& brackets() const { return brackets_; }
  std::uint64_t total_configurations() const { return total_configs_; }

 private:
  std::uint32_t top_;  // s_max
  std::vector<ShBracket> brackets_;
  std::uint64_t total_configs_ = 0;
  SearchScorer scorer_;
  SearchLedger ledger_;
  std::uint64_t next_config_ = 0;
};

}  // namespace mlcycle
