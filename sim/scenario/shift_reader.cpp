#include "scenario/shift_reader.hpp"

#include "scenario/forecast_reader.hpp"
#include "scenario/intensity_reader.hpp"

#include <cmath>
#include <string>

namespace mlcycle {

namespace {

void reject_unless(TomlTableReader& t, bool allowed, std::string_view key, const char* why) {
  if (!allowed && t.has(key)) throw t.error_at(key, why);
}

void read_threshold_policy(TomlTableReader& t, ShiftSpec& spec) {
  if (t.has("threshold") && t.has("threshold_percentile"))
    throw t.error_at("threshold_percentile",
                     "give 'threshold' or 'threshold_percentile', not both");
  if (t.has("threshold")) {
    spec.threshold_g_per_kwh = read_intensity_g_per_kwh(t, "threshold");
  } else if (t.has("threshold_percentile")) {
    const double p = *t.number("threshold_percentile");
    if (!(p >= 0 && p <= 100))
      throw t.error_at("threshold_percentile", "must be a percentile within [0, 100]");
    spec.threshold_percentile = p;
    spec.lookback_s = positive_duration(t, "lookback", spec.lookback_s);
  } else {
    throw t.error_here(
        "missing key 'threshold' (g/kWh at or below which jobs start) or "
        "'threshold_percentile' (of the region's intensity over 'lookback')");
  }
  reject_unless(t, spec.threshold_percentile.has_value(), "lookback",
                "applies to 'threshold_percentile' only");
}

}  // namespace

ShiftSpec read_shift(TomlTableReader& t) {
  ShiftSpec spec;
  spec.where = t.error_here("").where();
  if (!t.has("policy"))
    throw t.error_here("missing key 'policy' (" + enum_name_list<ShiftPolicy>(true) +
                       "): a slack alone shifts nothing");
  const std::string policy = *t.string("policy");
  const std::optional<ShiftPolicy> parsed = parse_enum<ShiftPolicy>(policy);
  if (!parsed) throw t.error_at("policy", not_one_of<ShiftPolicy>(policy, true));
  spec.policy = *parsed;
  if (!t.has("slack"))
    throw t.error_here("missing key 'slack' (how long a job may wait, e.g. \"24h\")");
  const double slack_s = *t.duration_s("slack");
  if (slack_s <= 0) throw t.error_at("slack", "must be a positive duration (the longest wait)");
  spec.slack_s = slack_s;
  const bool suspend = spec.policy == ShiftPolicy::suspend_resume;
  const bool threshold = spec.policy == ShiftPolicy::threshold || suspend;
  for (const char* key : {"threshold", "threshold_percentile", "lookback"})
    reject_unless(t, threshold, key,
                  "applies to policy = \"threshold\" or \"suspend-resume\" only");
  for (const char* key :
       {"forecast", "forecast_lag", "forecast_error", "forecast_correlation", "expected_length"})
    reject_unless(t, !threshold, key, "applies to policy = \"forecast-min\" only");
  for (const char* key : {"checkpoint_write", "restore"})
    reject_unless(t, suspend, key, "applies to policy = \"suspend-resume\" only");
  // A pause starts when the intensity rises above one fixed level; a percentile of the week
  // before each job's ready hour would give every job its own level.
  reject_unless(t, !suspend, "threshold_percentile",
                "suspend-resume needs a fixed 'threshold' (g/kWh)");
  if (threshold)
    read_threshold_policy(t, spec);
  else
    read_forecast_keys(t, spec);
  if (suspend) {
    for (const char* key : {"checkpoint_write", "restore"}) {
      const std::optional<double> value = t.duration_s(key);
      if (value && *value < 0) throw t.error_at(key, "must be a duration of at least 0");
    }
    spec.checkpoint_write_s = t.duration_s("checkpoint_write").value_or(0);
    spec.restore_s = t.duration_s("restore").value_or(spec.checkpoint_write_s);
  }
  t.reject_unknown_keys();
  return spec;
}

}  // namespace mlcycle
