#include "scenario/trial_length_reader.hpp"

#include <cmath>

namespace mlcycle {

namespace {

double positive_hours(TomlTableReader& t, std::string_view key) {
  auto value = t.number(key);
  if (!value) throw t.error_here("missing key '" + std::string(key) + "'");
  if (*value <= 0) throw t.error_at(key, "must be greater than zero");
  return *value;
}

}  // namespace

TrialLengthSpec read_trial_length(TomlTableReader& t) {
  TrialLengthSpec spec;
  const std::string distribution = t.string("distribution").value_or("fixed");
  if (distribution == "fixed") {
    spec.distribution = LengthDistribution::fixed;
    spec.hours = positive_hours(t, "hours");
  } else if (distribution == "uniform") {
    spec.distribution = LengthDistribution::uniform;
    spec.min_hours = positive_hours(t, "min_h");
    spec.max_hours = positive_hours(t, "max_h");
    if (spec.max_hours < spec.min_hours) throw t.error_at("max_h", "must not be less than min_h");
  } else if (distribution == "lognormal") {
    spec.distribution = LengthDistribution::lognormal;
    spec.sigma = t.non_negative_number("sigma", 0.0);
    if (!t.has("sigma"))
      throw t.error_here("missing key 'sigma' (standard deviation of ln(hours))");
    const bool has_mean = t.has("mean_h");
    const bool has_median = t.has("median_h");
    if (has_mean == has_median) throw t.error_here("give exactly one of 'mean_h' and 'median_h'");
    // mean = exp(mu + sigma^2 / 2); median = exp(mu).
    if (has_mean)
      spec.mu = std::log(positive_hours(t, "mean_h")) - spec.sigma * spec.sigma / 2;
    else
      spec.mu = std::log(positive_hours(t, "median_h"));
    spec.min_hours = t.non_negative_number("min_h", 0.0);
    spec.max_hours = t.non_negative_number("max_h", 0.0);
    if (spec.max_hours > 0 && spec.max_hours < spec.min_hours)
      throw t.error_at("max_h", "must not be less than min_h");
  } else if (distribution == "list") {
    spec.distribution = LengthDistribution::list;
    const toml::array* hours = t.array("hours");
    if (!hours || hours->empty()) throw t.error_here("missing or empty 'hours' list");
    for (const toml::node& n : *hours) {
      if (!n.is_number() || *n.value<double>() <= 0 || !std::isfinite(*n.value<double>()))
        throw InputError(toml_location(n, t.file()), t.path_of("hours"),
                         "every entry must be a positive number of hours");
      spec.list.push_back(*n.value<double>());
    }
  } else {
    throw t.error_at("distribution",
                     "'" + distribution + "' is not one of: fixed, uniform, lognormal, list");
  }
  t.reject_unknown_keys();
  return spec;
}

}  // namespace mlcycle
