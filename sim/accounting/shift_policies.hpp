#pragma once
// The carbon-aware release policies of temporal shifting (`shift = {...}` of a campaign): they
// read a grid region's signals and decide when a ready job may start (workload's
// ReleasePolicy). They live in accounting, the first wing that sees both the work and the
// grid. Equations and sources: docs/carbon-aware.md.
#include <cstdint>
#include <memory>

#include "grid/intensity_forecast.hpp"
#include "grid/step_signal.hpp"
#include "scenario/scenario.hpp"
#include "workload/release_policy.hpp"

namespace mlcycle {

// threshold: a job starts only while the region's intensity is at or below the threshold (a
// fixed g/kWh, or a percentile of the intensity over the look-back window before the hour the
// job became ready), or once ready + slack has come. suspend-resume: the same gate, and
// running jobs pause when the intensity rises above the (fixed) threshold.
class ThresholdRelease final : public ReleasePolicy {
 public:
  ThresholdRelease(std::shared_ptr<const StepSignal> intensity, const ShiftSpec& spec);
  using ReleasePolicy::earliest_start_s;
  double slack_s() const override { return spec_.slack_s; }
  double earliest_start_s(double ready_s, double latest_s, double now_s) const override;
  // suspend-resume only: the first rise above the threshold in (now, until).
  double pause_at_s(double now_s, double until_s) const override;
  double threshold_g_per_kwh(double ready_s) const;

 private:
  std::shared_ptr<const StepSignal> intensity_;
  ShiftSpec spec_;
  // The percentile threshold of the last hour asked for (jobs come in time order).
  mutable double cached_hour_ = -1;
  mutable double cached_threshold_ = 0;
};

// forecast-min: the start in [ready, ready + slack] that minimises the forecast CO2e rate
// integral (PUE x intensity) over the planned run length; ties go to the earliest start. A
// job the queue held past its planned start plans again over what is left of its window.
class ForecastMinRelease final : public ReleasePolicy {
 public:
  ForecastMinRelease(std::shared_ptr<const StepSignal> forecast_carbon, double slack_s,
                     double planned_length_s);
  using ReleasePolicy::earliest_start_s;
  double slack_s() const override { return slack_s_; }
  double earliest_start_s(double ready_s, double latest_s, double now_s) const override;

 private:
  std::shared_ptr<const StepSignal> forecast_;
  double slack_s_;
  double planned_length_s_;
  // The last plan: asked again from a later time up to its start, the plan stands (it was the
  // earliest best start of a window that contains the new one), so it is not searched again.
  mutable double cached_ready_s_ = -1, cached_latest_s_ = -1, cached_from_s_ = 0,
                 cached_start_s_ = -1;
};

// The forecast the keys of a shift or a placement ask for.
ForecastSpec forecast_spec_of(const ForecastKeys& keys);

// The run length forecast-min and lowest-forecast plan with: `expected_length`, else the campaign's
// mean trial length from its length distribution (exact for fixed lengths).
double planned_length_s(const CampaignSpec& campaign);

// The policy of `campaign` (which has a shift spec) at a site whose grid region has signal
// `intensity` and whose CO2e rate per IT watt is `carbon` (PUE x intensity). `seed` drives the
// noisy forecast.
std::unique_ptr<ReleasePolicy> make_release_policy(const CampaignSpec& campaign,
                                                   std::shared_ptr<const StepSignal> intensity,
                                                   std::shared_ptr<const StepSignal> carbon,
                                                   std::uint64_t seed);

}  // namespace mlcycle
