#pragma once
// A hyperparameter search as the engine drives it: whenever a worker (a GPU gang) is free the
// engine peeks at what the search would start, takes it when the job starts, and reports when
// the job ends. Several trials may be outstanding at once. Algorithms (all deterministic):
//   grid, random        every configuration once at max_budget (independent_search.hpp)
//   successive_halving  one synchronous bracket (successive_halving.hpp)
//   asha                asynchronous successive halving (asha_search.hpp)
//   hyperband           brackets of successive halving run side by side (hyperband_search.hpp)
// Scores come from a SearchScorer, normally a LearningCurve; tests inject their own.
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>

#include "scenario/search_spec.hpp"

namespace mlcycle {

// One job of the search: train configuration `config` from budget_from to budget_to.
struct SearchTrial {
  std::uint64_t config = 0;   // configuration id (0-based, in order of first start)
  std::uint32_t rung = 0;     // 0 = the first (smallest) budget of its ladder or bracket
  std::uint32_t bracket = 0;  // hyperband: s, so budget_to = R * eta^(rung - s); 0 otherwise
  double budget_from = 0;     // budget already trained (0 unless promoted with resume)
  double budget_to = 0;       // budget this trial trains to
};

struct SearchResults {
  std::uint64_t configs_started = 0;
  // Ended below max_budget because they were not promoted (for ASHA while running: completed
  // and not promoted so far).
  std::uint64_t configs_stopped_early = 0;
  std::uint64_t configs_completed = 0;  // reached max_budget
  std::uint64_t configs_failed = 0;     // a trial reported failed; the configuration is dropped
  std::uint64_t trials_started = 0;     // jobs taken (every rung of every configuration)
  double budget_spent = 0;              // sum over completed trials of (budget_to - budget_from)
  double budget_full = 0;               // counterfactual: configs_started * max_budget
  // Best score among the completed trials of the highest budget any trial completed at
  // (best_budget; max_budget once one configuration got there). Ties: lower config id.
  double best_score = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t best_config = 0;
  double best_budget = 0;  // 0 while no trial has completed
};

// Score observed when `config` has trained to `budget`, evaluated at `rung` (the key of the
// observation noise). Must be a pure function: algorithms may ask again for the same trial.
using SearchScorer = std::function<double(std::uint64_t config, double budget, std::uint32_t rung)>;

class SearchAlgorithm {
 public:
  virtual ~SearchAlgorithm() = default;
  // What the search would start if a worker asked now, without committing. nullopt: nothing
  // until a running trial reports, or the search is finished.
  virtual std::optional<SearchTrial> peek() const = 0;
  // Commits to what peek() returns (precondition: peek() has a value).
  virtual SearchTrial take() = 0;
  // A taken trial ended. completed: it reached budget_to and is scored there. !completed: it
  // failed for good; its configuration is dropped (counted failed, never promoted).
  virtual void report(const SearchTrial& trial, bool completed) = 0;
  // Nothing left to start and nothing outstanding.
  virtual bool finished() const = 0;
  virtual SearchResults results() const = 0;
  // The score observed for a completed trial (for the per-job records).
  virtual double score_of(const SearchTrial& trial) const = 0;
};

// The algorithm of spec.kind scored by a LearningCurve(spec, seed). `spec` as read_search()
// validated it.
std::unique_ptr<SearchAlgorithm> make_search(const SearchSpec& spec, std::uint64_t seed);
// The same with an injected scorer (tests, or other curve models).
std::unique_ptr<SearchAlgorithm> make_search(const SearchSpec& spec, SearchScorer scorer);

}  // namespace mlcycle
