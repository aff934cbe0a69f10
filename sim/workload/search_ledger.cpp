#include "workload/search_ledger.hpp"

#include <stdexcept>
#include <string>

namespace mlcycle {

void SearchLedger::taken(const SearchTrial& trial) {
  ++outstanding_;
  ++results_.trials_started;
  if (trial.rung == 0) {
    ++results_.configs_started;
    results_.budget_full += max_budget_;
  } else {
    --results_.configs_stopped_early;  // counted when it completed the rung below
  }
}

void SearchLedger::ended(const SearchTrial& trial) {
  if (outstanding_ == 0)
    throw std::logic_error("search: report of configuration " + std::to_string(trial.config) +
                           " with no trial outstanding");
  --outstanding_;
}

void SearchLedger::completed(const SearchTrial& trial, double score) {
  ended(trial);
  results_.budget_spent += trial.budget_to - trial.budget_from;
  if (trial.budget_to >= max_budget_)
    ++results_.configs_completed;
  else
    ++results_.configs_stopped_early;
  SearchResults& r = results_;
  if (trial.budget_to > r.best_budget ||
      (trial.budget_to == r.best_budget &&
       search_ranks_above(score, trial.config, r.best_score, r.best_config))) {
    r.best_budget = trial.budget_to;
    r.best_score = score;
    r.best_config = trial.config;
  }
}

void SearchLedger::failed(const SearchTrial& trial) {
  ended(trial);
  ++results_.configs_failed;
}

}  // namespace mlcycle
