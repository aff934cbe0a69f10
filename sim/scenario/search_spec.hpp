#pragma once
// A hyperparameter search campaign (`search = {...}` of a [[campaign]]): which algorithm picks
// and stops configurations, the budget ladder it climbs, and the synthetic learning curves that
// score the configurations (workload/learning_curve.hpp).
//
// Budget ladder (r = min_budget, R = max_budget, eta = reduction factor):
//   K = floor(log_eta(R / r))                      (top rung; s_max of Hyperband)
//   b_k = r * eta^k for k < K,  b_K = R             (successive halving and ASHA rungs)
// When R / r is a power of eta the top rung is r * eta^K = R exactly; otherwise the top rung
// trains the few best configurations to the full budget R rather than stopping short of it.
// Hyperband bracket s (s = K, K-1, ..., K - brackets + 1) has
//   n_s = ceil((K + 1) / (s + 1) * eta^s) configurations,
//   rung i = 0..s: floor(n_s / eta^i) configurations at budget R * eta^(i - s).
//
// A budget is epochs or GPU-hours; wall-clock hours of training from budget a to b are
//   epochs:    (b - a) * hours_per_epoch
//   gpu_hours: (b - a) / gpus_per_trial
#include <cmath>
#include <cstdint>

#include "core/enum_names.hpp"
#include "core/input_error.hpp"

namespace mlcycle {

enum class SearchKind { grid, random, successive_halving, asha, hyperband };
enum class BudgetUnit { gpu_hours, epochs };
inline constexpr EnumName<SearchKind> kSearchKindNames[] = {
    {SearchKind::grid, "grid"},
    {SearchKind::random, "random"},
    {SearchKind::successive_halving, "successive_halving"},
    {SearchKind::asha, "asha"},
    {SearchKind::hyperband, "hyperband"}};
constexpr std::span<const EnumName<SearchKind>> enum_names(SearchKind) {
  return kSearchKindNames;
}
// Epochs first: the default unit leads the list of accepted words.
inline constexpr EnumName<BudgetUnit> kBudgetUnitNames[] = {{BudgetUnit::epochs, "epochs"},
                                                            {BudgetUnit::gpu_hours, "gpu_hours"}};
constexpr std::span<const EnumName<BudgetUnit>> enum_names(BudgetUnit) {
  return kBudgetUnitNames;
}

struct SearchSpec {
  SearchKind kind = SearchKind::random;
  // grid, random, successive_halving, asha: configurations sampled. hyperband: the total of
  // its brackets (hyperband_total_configs), set by read_search; the key is checked, not used.
  std::uint64_t configurations = 0;
  double min_budget = 1;  // r: smallest budget a trial trains to (SH, ASHA, hyperband)
  double max_budget = 1;  // R: full budget
  BudgetUnit unit = BudgetUnit::epochs;
  double hours_per_epoch = 1;  // epochs: wall-clock hours of one epoch on the trial's GPUs
  double eta = 3;              // reduction factor, >= 2
  std::uint32_t brackets = 0;  // hyperband: brackets run (0: all K + 1)
  bool resume = true;  // a promoted trial continues from its checkpoint (trains the increment)
  // Learning-curve model (workload/learning_curve.hpp).
  double score_mean = 0.8;  // mean of the latent final score f_c
  double score_sd = 0.05;   // its standard deviation across configurations
  double noise_sd = 0.01;   // observation noise of each evaluation
  // k_c ~ Uniform(curve_rate_min, curve_rate_max). The defaults rank about 27% of pairs of
  // configurations the wrong way round at small budgets and 16% at a third of R (noise_sd 0):
  // informative but imperfect. Wider ranges make early rankings closer to chance.
  double curve_rate_min = 3;
  double curve_rate_max = 4;
  SourceLocation where;  // of the search table, for errors found later
};

// Relative slack so that, e.g., 1 * 3^4 <= 81 holds whatever the rounding of pow.
inline constexpr double kSearchBudgetSlack = 1e-9;

// K = floor(log_eta(R / r)), counted by multiplication so exact powers are not lost to log().
inline std::uint32_t search_top_rung(const SearchSpec& s) {
  std::uint32_t k = 0;
  double next = s.min_budget * s.eta;
  while (next <= s.max_budget * (1 + kSearchBudgetSlack)) {
    ++k;
    next *= s.eta;
  }
  return k;
}

// b_k of the successive-halving / ASHA ladder (see the top of this file).
inline double search_rung_budget(const SearchSpec& s, std::uint32_t rung) {
  if (rung >= search_top_rung(s)) return s.max_budget;
  return s.min_budget * std::pow(s.eta, rung);
}

// Brackets Hyperband runs: `brackets`, or all K + 1 when 0.
inline std::uint32_t hyperband_bracket_count(const SearchSpec& s) {
  return s.brackets == 0 ? search_top_rung(s) + 1 : s.brackets;
}

// n_s = ceil((K + 1) / (s + 1) * eta^s), multiplied before dividing so that exact cases stay
// exact (5 * 9 / 3 = 15, not ceil(15.000000000000002) = 16).
inline std::uint64_t hyperband_bracket_configs(const SearchSpec& s, std::uint32_t bracket) {
  const double x = (search_top_rung(s) + 1.0) * std::pow(s.eta, bracket) / (bracket + 1.0);
  return static_cast<std::uint64_t>(std::ceil(x * (1 - kSearchBudgetSlack)));
}

// Budget of rung i of Hyperband bracket s: R * eta^(i - s), exactly R at i = s.
inline double hyperband_rung_budget(const SearchSpec& s, std::uint32_t bracket,
                                    std::uint32_t rung) {
  return s.max_budget / std::pow(s.eta, bracket - rung);
}

// Configurations of all brackets run.
inline std::uint64_t hyperband_total_configs(const SearchSpec& s) {
  const std::uint32_t top = search_top_rung(s);
  std::uint64_t total = 0;
  for (std::uint32_t b = 0; b < hyperband_bracket_count(s); ++b)
    total += hyperband_bracket_configs(s, top - b);
  return total;
}

// floor(n / eta^i): configurations in rung i of a bracket of n.
inline std::uint64_t search_rung_size(std::uint64_t n, double eta, std::uint32_t rung) {
  return static_cast<std::uint64_t>(
      std::floor(static_cast<double>(n) / std::pow(eta, rung) * (1 + kSearchBudgetSlack)));
}

// Wall-clock hours to train from budget `from` to `to` on a trial of `gpus` GPUs.
inline double search_budget_hours(const SearchSpec& s, double from, double to, std::uint32_t gpus) {
  const double increment = to - from;
  return s.unit == BudgetUnit::epochs ? increment * s.hours_per_epoch : increment / gpus;
}

}  // namespace mlcycle
