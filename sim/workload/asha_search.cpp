#include "workload/asha_search.hpp"

#include <cmath>
#include <iterator>
#include <stdexcept>
#include <utility>

namespace mlcycle {

AshaSearch::AshaSearch(const SearchSpec& spec, SearchScorer scorer)
    : configurations_(spec.configurations),
      eta_(spec.eta),
      resume_(spec.resume),
      top_(search_top_rung(spec)),
      rungs_(top_ + 1),
      scorer_(std::move(scorer)),
      ledger_(spec.max_budget) {
  for (std::uint32_t k = 0; k <= top_; ++k) budgets_.push_back(search_rung_budget(spec, k));
}

std::optional<SearchTrial> AshaSearch::peek() const {
  for (std::uint32_t k = top_; k-- > 0;) {
    const RankedSet& candidates = rungs_[k].candidates;
    if (candidates.empty()) continue;
    SearchTrial trial;
    trial.config = candidates.begin()->config;
    trial.rung = k + 1;
    trial.budget_from = resume_ ? budgets_[k] : 0;
    trial.budget_to = budgets_[k + 1];
    return trial;
  }
  const std::uint64_t started = config_rung_.size();
  if (started >= configurations_) return std::nullopt;
  SearchTrial trial;
  trial.config = started;
  trial.budget_to = budgets_[0];
  return trial;
}

SearchTrial AshaSearch::take() {
  const std::optional<SearchTrial> trial = peek();
  if (!trial) throw std::logic_error("search: take() with nothing to start");
  if (trial->rung == 0) {
    config_rung_.push_back(0);
  } else {
    Rung& from = rungs_[trial->rung - 1];
    from.candidates.erase(from.candidates.begin());
    ++from.promoted;
    config_rung_[trial->config] = trial->rung;
  }
  ledger_.taken(*trial);
  return *trial;
}

void AshaSearch::report(const SearchTrial& trial, bool completed) {
  if (trial.config >= config_rung_.size() || config_rung_[trial.config] != trial.rung)
    throw std::logic_error("asha: report of a trial not outstanding");
  if (!completed) {
    ledger_.failed(trial);
    return;
  }
  const double score = score_of(trial);
  ledger_.completed(trial, score);
  if (trial.rung < top_) insert_completed(trial.rung, Ranked{score, trial.config});
  ++rungs_[trial.rung].completed;
}

// Keeps `top` = the best floor(completed / eta) of the rung after adding `entry`: the entry
// enters the top if it beats the top's worst, then the top is trimmed or topped up from the
// best of the rest, so that every member of `top` ranks above every member of `rest`.
void AshaSearch::insert_completed(std::uint32_t rung, Ranked entry) {
  Rung& r = rungs_[rung];
  const auto wanted =
      static_cast<std::uint64_t>(std::floor(static_cast<double>(r.completed + 1) / eta_));
  RankedOrder above;
  if (!r.top.empty() && above(entry, *r.top.rbegin())) {
    r.top.insert(entry);
    if (!promoted_from(entry.config, rung)) r.candidates.insert(entry);
  } else {
    r.rest.insert(entry);
  }
  while (r.top.size() > wanted) move_to_rest(r, std::prev(r.top.end()), rung);
  while (r.top.size() < wanted && !r.rest.empty()) move_to_top(r, r.rest.begin(), rung);
}

void AshaSearch::move_to_top(Rung& r, RankedSet::iterator it, std::uint32_t rung) {
  const Ranked entry = *it;
  r.rest.erase(it);
  r.top.insert(entry);
  if (!promoted_from(entry.config, rung)) r.candidates.insert(entry);
}

// A promoted configuration that drops out of the top stays promoted: ASHA never takes back.
void AshaSearch::move_to_rest(Rung& r, RankedSet::iterator it, std::uint32_t rung) {
  const Ranked entry = *it;
  r.top.erase(it);
  r.rest.insert(entry);
  if (!promoted_from(entry.config, rung)) r.candidates.erase(entry);
}

bool AshaSearch::finished() const {
  return ledger_.outstanding() == 0 && !peek().has_value();
}

double AshaSearch::score_of(const SearchTrial& trial) const {
  return scorer_(trial.config, trial.budget_to, trial.rung);
}

}  // namespace mlcycle
