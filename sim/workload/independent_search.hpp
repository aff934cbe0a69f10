#pragma once
// Grid and random search: `configurations` configurations, each trained once to max_budget
// (rung 0), none stopped early. The two kinds differ only in how a real search would choose
// the points; the simulator sees the same stream of full-budget trials.
#include "workload/search_algorithm.hpp"
#include "workload/search_ledger.hpp"

namespace mlcycle {

class IndependentSearch : public SearchAlgorithm {
 public:
  IndependentSearch(const SearchSpec& spec, SearchScorer scorer);

  std::optional<SearchTrial> peek() const override;
  SearchTrial take() override;
  void report(const SearchTrial& trial, bool completed) override;
  bool finished() const override;
  SearchResults results() const override { return ledger_.results(); }
  double score_of(const SearchTrial& trial) const override;

 private:
  std::uint64_t configurations_;
  double max_budget_;
  SearchScorer scorer_;
  SearchLedger ledger_;
  std::uint64_t started_ = 0;
};

}  // namespace mlcycle
