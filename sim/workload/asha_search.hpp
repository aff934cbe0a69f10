#pragma once
// Asynchronous successive halving (ASHA; Li et al. 2020, Algorithm 2). Rungs k = 0..K with
// budgets b_k (search_spec.hpp: r * eta^k, top rung R). Whenever a worker asks (get_job):
//   for k = K-1 down to 0:
//     candidates = configurations completed in rung k, not yet promoted from it, and among
//                  the top floor(|completed in rung k| / eta) of rung k by score
//     if any: promote the best candidate (ties: lower config id) to rung k + 1
//   otherwise start a new configuration at rung 0, if fewer than `configurations` started
//   otherwise nothing (until a running trial reports).
// Finished once every configuration started, nothing is outstanding and nothing is promotable.
// A configuration whose trial failed is dropped: never promoted again.
//
// Cost: each rung keeps its completed configurations split into the current top
// floor(size / eta) and the rest (ordered sets), plus the not-yet-promoted part of the top, so
// a completion, a promotion and a peek are O(K + log n); no rung is ever rescanned.
#include <cstdint>
#include <set>
#include <vector>

#include "workload/search_algorithm.hpp"
#include "workload/search_ledger.hpp"

namespace mlcycle {

class AshaSearch : public SearchAlgorithm {
 public:
  AshaSearch(const SearchSpec& spec, SearchScorer scorer);

  std::optional<SearchTrial> peek() const override;
  SearchTrial take() override;
  void report(const SearchTrial& trial, bool completed) override;
  bool finished() const override;
  SearchResults results() const override { return ledger_.results(); }
  double score_of(const SearchTrial& trial) const override;

  std::uint32_t top_rung() const { return top_; }
  std::uint64_t completed_in_rung(std::uint32_t rung) const { return rungs_[rung].completed; }
  std::uint64_t promoted_from_rung(std::uint32_t rung) const { return rungs_[rung].promoted; }

 private:
  struct Ranked {
    double score;
    std::uint64_t config;
  };
  struct RankedOrder {
    bool operator()(const Ranked& a, const Ranked& b) const {
      return search_ranks_above(a.score, a.config, b.score, b.config);
    }
  };
  using RankedSet = std::set<Ranked, RankedOrder>;
  struct Rung {
    RankedSet top;         // the best floor(completed / eta) completed here
    RankedSet rest;        // the other completed ones
    RankedSet candidates;  // the part of `top` not yet promoted
    std::uint64_t completed = 0;
    std::uint64_t promoted = 0;
  };

  void insert_completed(std::uint32_t rung, Ranked entry);
  void move_to_top(Rung& r, RankedSet::iterator it, std::uint32_t rung);
  void move_to_rest(Rung& r, RankedSet::iterator it, std::uint32_t rung);
  bool promoted_from(std::uint64_t config, std::uint32_t rung) const {
    return config_rung_[config] > rung;
  }

  std::uint64_t configurations_;
  double eta_;
  bool resume_;
  std::uint32_t top_;            // K
  std::vector<double> budgets_;  // b_0..b_K
  std::vector<Rung> rungs_;
  std::vector<std::uint32_t> config_rung_;  // highest rung each started configuration was given
  SearchScorer scorer_;
  SearchLedger ledger_;
};

}  // namespace mlcycle
