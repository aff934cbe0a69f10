#pragma once
// Temporal shifting of a campaign's deferrable jobs (`shift = {...}` of a [[campaign]]): a
// job ready at r starts at a time the policy chooses in [r, r + slack], keeping its GPUs free
// for others meanwhile; with suspend-resume it also pauses while the grid is dirty. See
// docs/carbon-aware.md for the equations.
#include <cstdint>
#include <optional>
#include <span>

#include "core/enum_names.hpp"
#include "core/input_error.hpp"
#include "scenario/forecast_keys.hpp"

namespace mlcycle {

enum class ShiftPolicy : std::uint8_t { threshold, forecast_min, suspend_resume };
inline constexpr EnumName<ShiftPolicy> kShiftPolicyNames[] = {
    {ShiftPolicy::threshold, "threshold"},
    {ShiftPolicy::forecast_min, "forecast-min"},
    {ShiftPolicy::suspend_resume, "suspend-resume"}};
constexpr std::span<const EnumName<ShiftPolicy>> enum_names(ShiftPolicy) {
  return kShiftPolicyNames;
}

struct ShiftSpec : ForecastKeys {
  ShiftPolicy policy = ShiftPolicy::threshold;
  double slack_s = 0;  // latest start = ready + slack
  // threshold: a fixed intensity (g/kWh), or a percentile of the region's intensity over the
  // look-back window before the job is ready.
  std::optional<double> threshold_g_per_kwh;
  std::optional<double> threshold_percentile;
  double lookback_s = 7 * 86400.0;
  // forecast-min: the forecast keys (ForecastKeys) and the run length it plans for.
  // suspend-resume: the threshold policy's gate, and running jobs pause while the intensity is
  // above it: a checkpoint is written (GPUs busy), and a resumed job first restores it. From
  // ready + slack on, the trial runs to its end.
  double checkpoint_write_s = 0;
  double restore_s = 0;
  SourceLocation where;
};

}  // namespace mlcycle
