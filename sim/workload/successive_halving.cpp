#include "workload/successive_halving.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace mlcycle {

ShBracket::ShBracket(std::vector<std::uint64_t> sizes, std::vector<double> budgets,
                     std::uint32_t bracket, bool resume)
    : sizes_(std::move(sizes)), budgets_(std::move(budgets)), bracket_(bracket), resume_(resume) {
  if (sizes_.empty() || sizes_.size() != budgets_.size())
    throw std::logic_error("successive halving: one size per rung budget");
  finished_ = sizes_[0] == 0;
}

std::optional<SearchTrial> ShBracket::peek(std::uint64_t next_config) const {
  if (finished_ || handed_ >= rung_size()) return std::nullopt;
  SearchTrial trial;
  trial.config = rung_ == 0 ? next_config : queue_[handed_];
  trial.rung = rung_;
  trial.bracket = bracket_;
  trial.budget_from = rung_ > 0 && resume_ ? budgets_[rung_ - 1] : 0;
  trial.budget_to = budgets_[rung_];
  return trial;
}

void ShBracket::take(const SearchTrial& trial) {
  if (trial.rung != rung_ || handed_ >= rung_size())
    throw std::logic_error("successive halving: take() of a trial peek() did not offer");
  ++handed_;
  ++outstanding_;
}

void ShBracket::report(const SearchTrial& trial, bool completed, double score) {
  if (trial.rung != rung_ || outstanding_ == 0)
    throw std::logic_error("successive halving: report of a trial not outstanding");
  --outstanding_;
  if (completed) scored_.emplace_back(score, trial.config);
  if (handed_ == rung_size() && outstanding_ == 0) close_rung();
}

void ShBracket::close_rung() {
  if (rung_ + 1 >= sizes_.size()) {
    finished_ = true;
    return;
  }
  const std::uint64_t promote = std::min<std::uint64_t>(sizes_[rung_ + 1], scored_.size());
  auto better = [](const std::pair<double, std::uint64_t>& a,
                   const std::pair<double, std::uint64_t>& b) {
    return search_ranks_above(a.first, a.second, b.first, b.second);
  };
  std::partial_sort(scored_.begin(), scored_.begin() + static_cast<std::ptrdiff_t>(promote),
                    scored_.end(), better);
  queue_.clear();
  for (std::uint64_t i = 0; i < promote; ++i) queue_.push_back(scored_[i].second);
  scored_.clear();
  ++rung_;
  handed_ = 0;
  finished_ = queue_.empty();  // every trial of the rung failed
}

namespace {
ShBracket make_bracket(const SearchSpec& spec) {
  std::vector<std::uint64_t> sizes;
  std::vector<double> budgets;
  const std::uint32_t top = search_top_rung(spec);
  for (std::uint32_t i = 0; i <= top; ++i) {
    const std::uint64_t n = search_rung_size(spec.configurations, spec.eta, i);
    if (n == 0) break;
    sizes.push_back(n);
    budgets.push_back(search_rung_budget(spec, i));
  }
  return ShBracket(sizes, budgets, 0, spec.resume);
}
}  // namespace

SuccessiveHalving::SuccessiveHalving(const SearchSpec& spec, SearchScorer scorer)
    : bracket_(make_bracket(spec)), scorer_(std::move(scorer)), ledger_(spec.max_budget) {}

std::optional<SearchTrial> SuccessiveHalving::peek() const {
  return bracket_.peek(next_config_);
}

SearchTrial SuccessiveHalving::take() {
  const std::optional<SearchTrial> trial = peek();
  if (!trial) throw std::logic_error("search: take() with nothing to start");
  bracket_.take(*trial);
  if (trial->rung == 0) ++next_config_;
  ledger_.taken(*trial);
  return *trial;
}

void SuccessiveHalving::report(const SearchTrial& trial, bool completed) {
  const double score = completed ? score_of(trial) : std::numeric_limits<double>::quiet_NaN();
  bracket_.report(trial, completed, score);
  if (completed)
    ledger_.completed(trial, score);
  else
    ledger_.failed(trial);
}

double SuccessiveHalving::score_of(const SearchTrial& trial) const {
  return scorer_(trial.config, trial.budget_to, trial.rung);
}

}  // namespace mlcycle
