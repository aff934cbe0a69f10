#include "workload/independent_search.hpp"

#include <stdexcept>
#include <utility>

namespace mlcycle {

IndependentSearch::IndependentSearch(const SearchSpec& spec, SearchScorer scorer)
    : configurations_(spec.configurations),
      max_budget_(spec.max_budget),
      scorer_(std::move(scorer)),
      ledger_(spec.max_budget) {}

std::optional<SearchTrial> IndependentSearch::peek() const {
  if (started_ >= configurations_) return std::nullopt;
  SearchTrial trial;
  trial.config = started_;
  trial.budget_to = max_budget_;
  return trial;
}

SearchTrial IndependentSearch::take() {
  const std::optional<SearchTrial> trial = peek();
  if (!trial) throw std::logic_error("search: take() with nothing to start");
  ++started_;
  ledger_.taken(*trial);
  return *trial;
}

void IndependentSearch::report(const SearchTrial& trial, bool completed) {
  if (completed)
    ledger_.completed(trial, score_of(trial));
  else
    ledger_.failed(trial);
}

bool IndependentSearch::finished() const {
  return started_ >= configurations_ && ledger_.outstanding() == 0;
}

double IndependentSearch::score_of(const SearchTrial& trial) const {
  return scorer_(trial.config, trial.budget_to, trial.rung);
}

}  // namespace mlcycle
