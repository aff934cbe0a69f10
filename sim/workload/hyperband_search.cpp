#include "workload/hyperband_search.hpp"

#include <limits>
#include <stdexcept>
#include <utility>

namespace mlcycle {

HyperbandSearch::HyperbandSearch(const SearchSpec& spec, SearchScorer scorer)
    : top_(search_top_rung(spec)), scorer_(std::move(scorer)), ledger_(spec.max_budget) {
  const std::uint32_t count = hyperband_bracket_count(spec);
  if (count == 0 || count > top_ + 1)
    throw std::logic_error("hyperband: brackets must be between 1 and s_max + 1");
  for (std::uint32_t b = 0; b < count; ++b) {
    const std::uint32_t s = top_ - b;
    const std::uint64_t n = hyperband_bracket_configs(spec, s);
    std::vector<std::uint64_t> sizes;
    std::vector<double> budgets;
    for (std::uint32_t i = 0; i <= s; ++i) {
      sizes.push_back(search_rung_size(n, spec.eta, i));
      budgets.push_back(hyperband_rung_budget(spec, s, i));
    }
    total_configs_ += n;
    brackets_.emplace_back(std::move(sizes), std::move(budgets), s, spec.resume);
  }
}

std::optional<SearchTrial> HyperbandSearch::peek() const {
  for (const ShBracket& bracket : brackets_)
    if (auto trial = bracket.peek(next_config_)) return trial;
  return std::nullopt;
}

SearchTrial HyperbandSearch::take() {
  const std::optional<SearchTrial> trial = peek();
  if (!trial) throw std::logic_error("search: take() with nothing to start");
  brackets_[top_ - trial->bracket].take(*trial);
  if (trial->rung == 0) ++next_config_;
  ledger_.taken(*trial);
  return *trial;
}

void HyperbandSearch::report(const SearchTrial& trial, bool completed) {
  if (trial.bracket > top_ || top_ - trial.bracket >= brackets_.size())
    throw std::logic_error("hyperband: report of a trial of no bracket");
  const double score = completed ? score_of(trial) : std::numeric_limits<double>::quiet_NaN();
  brackets_[top_ - trial.bracket].report(trial, completed, score);
  if (completed)
    ledger_.completed(trial, score);
  else
    ledger_.failed(trial);
}

bool HyperbandSearch::finished() const {
  for (const ShBracket& bracket : brackets_)
    if (!bracket.finished()) return false;
  return true;
}

double HyperbandSearch::score_of(const SearchTrial& trial) const {
  return scorer_(trial.config, trial.budget_to, trial.rung);
}

}  // namespace mlcycle
