#include "scenario/trial_length_reader.hpp"

#include <cmath>
#include <functional>

#include "core/duration.hpp"
#include "core/limits.hpp"
#include "core/units.hpp"

namespace mlcycle {

namespace {

// A trial length: a plain number of hours (the original form) or a duration with its unit
// ("20 d", "90 min"), like every other duration of a scenario.
double length_h(const toml::node& n, const std::function<InputError(std::string)>& error) {
  double hours = 0;
  if (n.is_number()) {
    hours = *n.value<double>();
  } else if (n.is_string()) {
    auto seconds = parse_duration_s(n.as_string()->get());
    if (!seconds)
      throw error("'" + n.as_string()->get() +
                  "' is not a length (hours as a number, or a duration such as \"20 d\")");
    hours = *seconds / units::kSecondsPerHour;
  } else {
    throw error(std::string("expected hours or a duration, got ") + toml_type_name(n));
  }
  if (!std::isfinite(hours)) throw error("must be a finite length");
  if (hours * units::kSecondsPerHour > limits::kMaxDuration_s)
    throw error(std::string("is out of range: lengths are at most ") + limits::kMaxDurationText);
  return hours;
}

// The length under `key_h` (hours) or its unit-neutral alias (`median` for `median_h`).
std::optional<double> optional_length_h(TomlTableReader& t, std::string_view key_h,
                                        std::string_view alias) {
  const bool has_h = t.has(key_h), has_alias = !alias.empty() && t.has(alias);
  if (has_h && has_alias)
    throw t.error_at(alias,
                     "give '" + std::string(alias) + "' or '" + std::string(key_h) + "', not both");
  if (!has_h && !has_alias) return std::nullopt;
  const std::string_view key = has_h ? key_h : alias;
  const toml::node* n = t.node(key);
  return length_h(*n, [&](const std::string& message) { return t.error_at(key, message); });
}

double positive_length_h(TomlTableReader& t, std::string_view key_h, std::string_view alias) {
  auto value = optional_length_h(t, key_h, alias);
  if (!value) throw t.error_here("missing key '" + std::string(key_h) + "'");
  if (*value <= 0) throw t.error_at(t.has(key_h) ? key_h : alias, "must be greater than zero");
  return *value;
}

double non_negative_length_h(TomlTableReader& t, std::string_view key_h, std::string_view alias) {
  auto value = optional_length_h(t, key_h, alias);
  if (value && *value < 0) throw t.error_at(t.has(key_h) ? key_h : alias, "must not be negative");
  return value.value_or(0.0);
}

void read_lognormal(TomlTableReader& t, TrialLengthSpec& spec) {
  spec.distribution = LengthDistribution::lognormal;
  spec.sigma = t.non_negative_number("sigma", 0.0);
  if (!t.has("sigma")) throw t.error_here("missing key 'sigma' (standard deviation of ln(hours))");
  const bool has_mean = t.has("mean_h") || t.has("mean");
  const bool has_median = t.has("median_h") || t.has("median");
  if (has_mean == has_median) throw t.error_here("give exactly one of 'mean_h' and 'median_h'");
  // mean = exp(mu + sigma^2 / 2); median = exp(mu).
  if (has_mean)
    spec.mu = std::log(positive_length_h(t, "mean_h", "mean")) - spec.sigma * spec.sigma / 2;
  else
    spec.mu = std::log(positive_length_h(t, "median_h", "median"));
  spec.min_hours = non_negative_length_h(t, "min_h", "min");
  spec.max_hours = non_negative_length_h(t, "max_h", "max");
  if (spec.max_hours > 0 && spec.max_hours < spec.min_hours)
    throw t.error_at(t.has("max_h") ? "max_h" : "max", "must not be less than min_h");
}

void read_list(TomlTableReader& t, TrialLengthSpec& spec) {
  spec.distribution = LengthDistribution::list;
  const toml::array* hours = t.array("hours");
  if (!hours || hours->empty()) throw t.error_here("missing or empty 'hours' list");
  for (const toml::node& n : *hours) {
    auto error = [&](const std::string& message) {
      return InputError(toml_location(n, t.file()), t.path_of("hours"), message);
    };
    const double h = length_h(n, error);
    if (h <= 0) throw error("every entry must be a positive length");
    spec.list.push_back(h);
  }
}

}  // namespace

TrialLengthSpec read_trial_length(TomlTableReader& t) {
  TrialLengthSpec spec;
  // `fixed = "20 d"` is short for distribution = "fixed", hours = "20 d".
  if (t.has("fixed")) {
    if (t.has("distribution") || t.has("hours"))
      throw t.error_at("fixed", "is short for distribution = \"fixed\": give it alone");
    spec.distribution = LengthDistribution::fixed;
    spec.hours = positive_length_h(t, "fixed", "");
    t.reject_unknown_keys();
    return spec;
  }
  const std::string distribution = t.string("distribution").value_or("fixed");
  const std::optional<LengthDistribution> parsed = parse_enum<LengthDistribution>(distribution);
  if (!parsed) throw t.error_at("distribution", not_one_of<LengthDistribution>(distribution));
  spec.distribution = *parsed;
  if (spec.distribution == LengthDistribution::fixed) {
    spec.hours = positive_length_h(t, "hours", "");
  } else if (spec.distribution == LengthDistribution::uniform) {
    spec.min_hours = positive_length_h(t, "min_h", "min");
    spec.max_hours = positive_length_h(t, "max_h", "max");
    if (spec.max_hours < spec.min_hours)
      throw t.error_at(t.has("max_h") ? "max_h" : "max", "must not be less than min_h");
  } else if (spec.distribution == LengthDistribution::lognormal) {
    read_lognormal(t, spec);
  } else {
    read_list(t, spec);
  }
  t.reject_unknown_keys();
  return spec;
}

}  // namespace mlcycle
