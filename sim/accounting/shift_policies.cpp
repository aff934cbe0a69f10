#include "accounting/shift_policies.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "core/units.hpp"
#include "grid/carbon_windows.hpp"
#include "grid/intensity_forecast.hpp"

namespace mlcycle {

ThresholdRelease::ThresholdRelease(std::shared_ptr<const StepSignal> intensity,
                                   const ShiftSpec& spec)
    : intensity_(std::move(intensity)), spec_(spec) {}

// A percentile threshold is recomputed once per hour, from the look-back window ending at the
// start of the hour the job became ready: jobs ready within one hour share one threshold, so
// a million jobs cost a few thousand percentile walks, and the rule is easy to state.
double ThresholdRelease::threshold_g_per_kwh(double ready_s) const {
  if (spec_.threshold_g_per_kwh) return *spec_.threshold_g_per_kwh;
  const double hour = std::floor(ready_s / units::kSecondsPerHour);
  if (hour != cached_hour_) {
    const double end_s = hour * units::kSecondsPerHour;
    cached_threshold_ = time_weighted_percentile(*intensity_, end_s - spec_.lookback_s, end_s,
                                                 *spec_.threshold_percentile);
    cached_hour_ = hour;
  }
  return cached_threshold_;
}

double ThresholdRelease::earliest_start_s(double ready_s, double latest_s, double now_s) const {
  if (now_s >= latest_s) return now_s;
  return first_time_at_or_below_s(*intensity_, std::max(ready_s, now_s),
                                  threshold_g_per_kwh(ready_s), latest_s);
}

double ThresholdRelease::pause_at_s(double now_s, double until_s) const {
  const double never = std::numeric_limits<double>::infinity();
  if (spec_.policy != ShiftPolicy::suspend_resume || !spec_.threshold_g_per_kwh) return never;
  for (double t = intensity_->next_change_after_s(now_s); t < until_s;
       t = intensity_->next_change_after_s(t))
    if (intensity_->value_at(t) > *spec_.threshold_g_per_kwh) return t;
  return never;
}

ForecastMinRelease::ForecastMinRelease(std::shared_ptr<const StepSignal> forecast_carbon,
                                       double slack_s, double planned_length_s)
    : forecast_(std::move(forecast_carbon)),
      slack_s_(slack_s),
      planned_length_s_(planned_length_s) {}

double ForecastMinRelease::earliest_start_s(double ready_s, double latest_s, double now_s) const {
  if (now_s >= latest_s) return now_s;
  const double from_s = std::max(ready_s, now_s);
  if (ready_s == cached_ready_s_ && latest_s == cached_latest_s_ && from_s >= cached_from_s_ &&
      from_s <= cached_start_s_)
    return cached_start_s_;
  cached_start_s_ = best_start(*forecast_, from_s, latest_s, planned_length_s_).start_s;
  cached_ready_s_ = ready_s;
  cached_latest_s_ = latest_s;
  cached_from_s_ = from_s;
  return cached_start_s_;
}

ForecastSpec forecast_spec_of(const ForecastKeys& keys) {
  ForecastSpec forecast;
  switch (keys.forecast) {
    case ForecastQuality::perfect:
      forecast.kind = ForecastKind::perfect;
      break;
    case ForecastQuality::persistence:
      forecast.kind = ForecastKind::persistence;
      forecast.lag_s = keys.forecast_lag_s;
      break;
    case ForecastQuality::noisy:
      forecast.kind = ForecastKind::noisy;
      forecast.relative_sd = keys.forecast_error;
      forecast.correlation_s = keys.forecast_correlation_s;
      break;
  }
  return forecast;
}

// Mean of the length distribution (lognormal: exp(mu + sigma^2 / 2), its clamps ignored); a
// total_gpu_hours campaign spreads its total evenly on average.
double planned_length_s(const CampaignSpec& campaign) {
  if (campaign.shift && campaign.shift->expected_length_s)
    return *campaign.shift->expected_length_s;
  if (campaign.placement && campaign.placement->expected_length_s)
    return *campaign.placement->expected_length_s;
  if (campaign.total_gpu_hours)
    return *campaign.total_gpu_hours /
           (static_cast<double>(campaign.trials) * campaign.gpus_per_trial) *
           units::kSecondsPerHour;
  const TrialLengthSpec& length = campaign.length;
  double hours = length.hours;
  switch (length.distribution) {
    case LengthDistribution::fixed:
      hours = length.hours;
      break;
    case LengthDistribution::uniform:
      hours = (length.min_hours + length.max_hours) / 2;
      break;
    case LengthDistribution::lognormal:
      hours = std::exp(length.mu + length.sigma * length.sigma / 2);
      break;
    case LengthDistribution::list:
      hours = std::accumulate(length.list.begin(), length.list.end(), 0.0) /
              static_cast<double>(length.list.size());
      break;
  }
  return hours * units::kSecondsPerHour;
}

std::unique_ptr<ReleasePolicy> make_release_policy(const CampaignSpec& campaign,
                                                   std::shared_ptr<const StepSignal> intensity,
                                                   std::shared_ptr<const StepSignal> carbon,
                                                   std::uint64_t seed) {
  if (!campaign.shift) throw std::logic_error("make_release_policy: the campaign does not shift");
  const ShiftSpec& shift = *campaign.shift;
  if (shift.policy != ShiftPolicy::forecast_min)
    return std::make_unique<ThresholdRelease>(std::move(intensity), shift);
  return std::make_unique<ForecastMinRelease>(
      make_forecast(std::move(carbon), forecast_spec_of(shift), seed), shift.slack_s,
      planned_length_s(campaign));
}

}  // namespace mlcycle
