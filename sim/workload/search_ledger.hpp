#pragma once
// Bookkeeping shared by the search algorithms: SearchResults updated as trials are taken and
// reported, and the ranking every algorithm promotes by.
//   taken at rung 0:        a new configuration (configs_started, budget_full += R)
//   taken at rung > 0:      a promotion; the configuration is no longer stopped early
//   completed at b < R:     stopped early until (unless) it is promoted
//   completed at b >= R:    configs_completed
//   failed:                 configs_failed
// so that, once finished, started = stopped_early + completed + failed.
#include <cmath>
#include <cstdint>
#include <limits>

#include "workload/search_algorithm.hpp"

namespace mlcycle {

// Higher score first; ties (and NaN, ranked last) broken by the lower configuration id.
inline bool search_ranks_above(double score_a, std::uint64_t config_a, double score_b,
                               std::uint64_t config_b) {
  const double low = -std::numeric_limits<double>::infinity();
  const double a = std::isnan(score_a) ? low : score_a;
  const double b = std::isnan(score_b) ? low : score_b;
  if (a != b) return a > b;
  return config_a < config_b;
}

class SearchLedger {
 public:
  explicit SearchLedger(double max_budget) : max_budget_(max_budget) {}

  void taken(const SearchTrial& trial);
  void completed(const SearchTrial& trial, double score);
  void failed(const SearchTrial& trial);

  const SearchResults& results() const { return results_; }
  std::uint64_t outstanding() const { return outstanding_; }

 private:
  void ended(const SearchTrial& trial);

  double max_budget_;
  std::uint64_t outstanding_ = 0;
  SearchResults results_;
};

}  // namespace mlcycle
