#pragma once
// Successive halving (Jamieson & Talwalkar 2016; the inner loop of Hyperband, Li et al. 2018),
// synchronous. A bracket of n configurations starting at budget r climbs rungs i = 0, 1, ...:
//   n_i = floor(n / eta^i) configurations trained to b_i (search_spec.hpp: r * eta^i, top = R)
// while n_i >= 1 and i <= K. Rung i + 1 starts only once every trial of rung i has reported;
// it takes the best min(n_{i+1}, completed in rung i) of rung i by score (ties: lower config
// id), best first. A configuration whose trial failed is never promoted. With resume a promoted
// trial trains from b_i to b_{i+1}, else from 0. peek() is empty while a rung is draining.
#include <cstdint>
#include <utility>
#include <vector>

#include "workload/search_algorithm.hpp"
#include "workload/search_ledger.hpp"

namespace mlcycle {

// One synchronous bracket: rung i has sizes[i] configurations at budgets[i]. Configurations are
// numbered by the caller (Hyperband numbers them across brackets).
class ShBracket {
 public:
  ShBracket(std::vector<std::uint64_t> sizes, std::vector<double> budgets, std::uint32_t bracket,
            bool resume);

  // The next trial; a new configuration would get the id `next_config`.
  std::optional<SearchTrial> peek(std::uint64_t next_config) const;
  void take(const SearchTrial& trial);  // commits what peek() returned
  void report(const SearchTrial& trial, bool completed, double score);
  bool finished() const { return finished_; }

  const std::vector<std::uint64_t>& sizes() const { return sizes_; }
  const std::vector<double>& budgets() const { return budgets_; }

 private:
  std::uint64_t rung_size() const { return rung_ == 0 ? sizes_[0] : queue_.size(); }
  void close_rung();

  std::vector<std::uint64_t> sizes_;
  std::vector<double> budgets_;
  std::uint32_t bracket_;
  bool resume_;
  std::uint32_t rung_ = 0;
  std::vector<std::uint64_t> queue_;  // rung > 0: the promoted configurations, best first
  std::uint64_t handed_ = 0;          // trials of the current rung taken
  std::uint64_t outstanding_ = 0;
  std::vector<std::pair<double, std::uint64_t>> scored_;  // (score, config) completed this rung
  bool finished_ = false;
};

class SuccessiveHalving : public SearchAlgorithm {
 public:
  SuccessiveHalving(const SearchSpec& spec, SearchScorer scorer);

  std::optional<SearchTrial> peek() const override;
  SearchTrial take() override;
  void report(const SearchTrial& trial, bool completed) override;
  bool finished() const override { return bracket_.finished(); }
  SearchResults results() const override { return ledger_.results(); }
  double score_of(const SearchTrial& trial) const override;

  const ShBracket& bracket() const { return bracket_; }

 private:
  ShBracket bracket_;
  SearchScorer scorer_;
  SearchLedger ledger_;
  std::uint64_t next_config_ = 0;
};

}  // namespace mlcycle
