#include "scenario/search_reader.hpp"

#include <cmath>
#include <sstream>

#include "core/limits.hpp"

namespace mlcycle {

namespace {

// Larger searches would not fit in memory (ASHA keeps every configuration's rung).
constexpr std::uint64_t kMaxConfigurations = 100'000'000;

std::string number_text(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

SearchKind read_kind(TomlTableReader& t) {
  const std::optional<std::string> kind = t.string("kind");
  if (!kind)
    throw t.error_here("missing key 'kind' (one of: " + enum_name_list<SearchKind>() + ")");
  const std::optional<SearchKind> parsed = parse_enum<SearchKind>(*kind);
  if (!parsed) throw t.error_at("kind", not_one_of<SearchKind>(*kind));
  return *parsed;
}

bool uses_ladder(SearchKind kind) {
  return kind == SearchKind::successive_halving || kind == SearchKind::asha ||
         kind == SearchKind::hyperband;
}

void read_budgets(TomlTableReader& t, SearchSpec& spec, const std::string& path) {
  if (!t.has("max_budget"))
    throw t.error_here("missing key 'max_budget' (the full budget, in `unit`)");
  spec.max_budget = t.positive_number("max_budget", 1);
  if (!t.has("min_budget") && uses_ladder(spec.kind))
    throw t.error_here("missing key 'min_budget' (the budget of the first rung, in `unit`)");
  spec.min_budget = t.positive_number("min_budget", spec.max_budget);
  if (spec.min_budget > spec.max_budget)
    throw t.error_at("min_budget", "must not be greater than " + path + ".max_budget (" +
                                       number_text(spec.max_budget) + ")");
  if (auto eta = t.number("eta")) {
    if (*eta < 2) throw t.error_at("eta", "must be at least 2");
    spec.eta = *eta;
  }
  const std::string unit = t.string("unit").value_or("epochs");
  const std::optional<BudgetUnit> parsed = parse_enum<BudgetUnit>(unit);
  if (!parsed) throw t.error_at("unit", not_one_of<BudgetUnit>(unit));
  spec.unit = *parsed;
  spec.hours_per_epoch = t.positive_number("hours_per_epoch", spec.hours_per_epoch);
}

void read_curve(TomlTableReader& t, SearchSpec& spec, const std::string& path) {
  if (auto mean = t.number("score_mean")) {
    if (*mean < 0 || *mean > 1) throw t.error_at("score_mean", "must be between 0 and 1");
    spec.score_mean = *mean;
  }
  spec.score_sd = t.non_negative_number("score_sd", spec.score_sd);
  spec.noise_sd = t.non_negative_number("noise_sd", spec.noise_sd);
  spec.curve_rate_min = t.positive_number("curve_rate_min", spec.curve_rate_min);
  spec.curve_rate_max = t.positive_number("curve_rate_max", spec.curve_rate_max);
  if (spec.curve_rate_max < spec.curve_rate_min)
    throw t.error_at(t.has("curve_rate_max") ? "curve_rate_max" : "curve_rate_min",
                     "curve_rate_max (" + number_text(spec.curve_rate_max) +
                         ") must not be less than " + path + ".curve_rate_min (" +
                         number_text(spec.curve_rate_min) + ")");
}

void read_resume(TomlTableReader& t, SearchSpec& spec) {
  const toml::node* resume = t.node("resume");
  if (!resume) return;
  if (!resume->is_boolean())
    throw t.error_at("resume", std::string("expected a boolean, got ") + toml_type_name(*resume));
  spec.resume = resume->as_boolean()->get();
}

std::string ladder_text(const SearchSpec& spec) {
  return "min_budget " + number_text(spec.min_budget) + ", max_budget " +
         number_text(spec.max_budget) + " and eta " + number_text(spec.eta);
}

void check_kind(TomlTableReader& t, const SearchSpec& spec) {
  const std::uint32_t top = search_top_rung(spec);
  if (spec.kind == SearchKind::hyperband) {
    if (spec.brackets > top + 1)
      throw t.error_at("brackets", "must be at most s_max + 1 = " + std::to_string(top + 1) +
                                       " for " + ladder_text(spec));
    // Summed in floating point first: with a long ladder the counts overflow 64 bits.
    double total = 0;
    for (std::uint32_t b = 0; b < hyperband_bracket_count(spec); ++b)
      total += (top + 1.0) * std::pow(spec.eta, top - b) / (top - b + 1.0);
    if (total > static_cast<double>(kMaxConfigurations))
      throw t.error_here("hyperband with " + ladder_text(spec) + " would sample more than " +
                         std::to_string(kMaxConfigurations) + " configurations");
    return;
  }
  if (spec.configurations == 0)
    throw t.error_here("missing key 'configurations' (how many configurations to sample)");
  if (spec.configurations > kMaxConfigurations)
    throw t.error_at("configurations", "at most " + std::to_string(kMaxConfigurations));
  // Synchronous halving stops when a rung would be empty: with fewer than eta^K
  // configurations none would reach max_budget.
  if (spec.kind == SearchKind::successive_halving &&
      search_rung_size(spec.configurations, spec.eta, top) == 0)
    throw t.error_at("configurations", "successive halving with " + ladder_text(spec) + " has " +
                                           std::to_string(top + 1) +
                                           " rungs and needs at least eta^" + std::to_string(top) +
                                           " = " + number_text(std::ceil(std::pow(spec.eta, top))) +
                                           " configurations for one to reach max_budget");
}

}  // namespace

SearchSpec read_search(TomlTableReader& t, const std::string& key_path_for_messages) {
  SearchSpec spec;
  spec.where = t.error_here("").where();
  spec.kind = read_kind(t);
  spec.configurations = t.positive_integer("configurations", 0);
  if (spec.configurations > limits::kMaxTrials)
    throw t.error_at("configurations", "is out of range: at most 10^12 configurations");
  read_budgets(t, spec, key_path_for_messages);
  if (auto brackets = t.integer("brackets")) {
    if (*brackets < 0) throw t.error_at("brackets", "must not be negative (0: all brackets)");
    if (*brackets > UINT32_MAX) throw t.error_at("brackets", "is far too large");
    spec.brackets = static_cast<std::uint32_t>(*brackets);
  }
  read_resume(t, spec);
  read_curve(t, spec, key_path_for_messages);
  check_kind(t, spec);
  if (spec.kind == SearchKind::hyperband) spec.configurations = hyperband_total_configs(spec);
  t.reject_unknown_keys();
  return spec;
}

}  // namespace mlcycle
