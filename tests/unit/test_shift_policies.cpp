// The release policies of temporal shifting (accounting/shift_policies.hpp): threshold (fixed and
// percentile), forecast-min over perfect, persistence and noisy forecasts, the planned run
// length, and the factory. Hand oracles on table-backed step signals (StepTimeline over
// FixedStepsSource: the first value holds before 0, the last one forever).
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "accounting/shift_policies.hpp"
#include "grid/carbon_windows.hpp"
#include "grid/step_timeline.hpp"

using namespace mlcycle;

namespace {

constexpr double kHour = 3600;
constexpr double kDay = 86400;

std::shared_ptr<const StepSignal> steps(std::vector<double> start_s, std::vector<double> value) {
  return std::make_shared<StepTimeline>(
      std::make_unique<FixedStepsSource>(std::move(start_s), std::move(value)));
}

// 0-7200 s: 400 g/kWh, 7200-18000 s: 100, 18000 s on: 300 (forever).
std::shared_ptr<const StepSignal> three_steps() {
  return steps({0, 7200, 18000}, {400, 100, 300});
}

ShiftSpec threshold_spec(double threshold, double slack_s) {
  ShiftSpec spec;
  spec.policy = ShiftPolicy::threshold;
  spec.slack_s = slack_s;
  spec.threshold_g_per_kwh = threshold;
  return spec;
}

CampaignSpec campaign_with(ShiftSpec shift, double hours) {
  CampaignSpec c;
  c.length.hours = hours;
  c.shift = shift;
  return c;
}

}  // namespace

TEST_CASE("threshold release with a fixed threshold on three steps", "[shift_policies]") {
  const auto s = three_steps();
  const ThresholdRelease p(s, threshold_spec(200, kDay));
  CHECK(p.threshold_g_per_kwh(0) == 200);
  CHECK(p.release_s(0) == 7200);     // 400 > 200 until the 100 step at 7200
  CHECK(p.release_s(3600) == 7200);  // same step, same answer
  CHECK(p.release_s(9000) == 9000);  // already at 100 <= 200
  // The table's last value (300) holds forever: never at or below 200 again, start at
  // ready + slack = 18000 + 86400 = 104400.
  CHECK(s->value_at(1e7) == 300);
  CHECK(s->next_change_after_s(18000) == std::numeric_limits<double>::infinity());
  CHECK(p.release_s(18000) == 18000 + kDay);
  // "At or below": a threshold of exactly 100 is reached at 7200.
  const ThresholdRelease exact(s, threshold_spec(100, kDay));
  CHECK(exact.release_s(0) == 7200);
  // Below every value: the slack runs out, 0 + 86400.
  CHECK(ThresholdRelease(s, threshold_spec(99, kDay)).release_s(0) == kDay);
  // Slack shorter than the wait: 0 + 3600.
  CHECK(ThresholdRelease(s, threshold_spec(200, kHour)).release_s(0) == kHour);
  // Asked again at `now` (the queue held the job): in the dip at once; after the dip, wait
  // again until ready + slack = 86400; past it, now.
  CHECK(p.earliest_start_s(0, 8000) == 8000);
  CHECK(p.earliest_start_s(0, 20000) == kDay);
  CHECK(p.earliest_start_s(0, 90000) == 90000);
}

TEST_CASE("threshold release with a percentile of the look-back week, per hour",
          "[shift_policies]") {
  // 0-181440 s: 100, then 300; a dip to 100 in 612000-615600 (hour 170), then 300 forever.
  // The week [0, 604800] is 181440 s at 100 (30 %) and 423360 s at 300 (70 %).
  const auto s = steps({0, 181440, 612000, 615600}, {100, 300, 100, 300});
  ShiftSpec spec;
  spec.policy = ShiftPolicy::threshold;
  spec.slack_s = kDay;
  spec.threshold_percentile = 30;
  spec.lookback_s = 7 * kDay;
  const ThresholdRelease p(s, spec);
  // Ready at 606600 (hour 168 starts at 604800): window [0, 604800], target 30 % = 181440 s,
  // reached exactly by the 181440 s at 100 -> 100.
  CHECK(p.threshold_g_per_kwh(606600) == 100);
  // Same hour (608399 < 608400): the same threshold. A window ending at the ready time itself
  // would be [3599, 608399], 177841 s at 100 < 181440 -> 300: the hour's start is used.
  CHECK(p.threshold_g_per_kwh(608399) == 100);
  // Hour 169 (608400): window [3600, 608400], 181440 - 3600 = 177840 s at 100 < 181440 -> 300.
  CHECK(p.threshold_g_per_kwh(608400) == 300);
  CHECK(p.threshold_g_per_kwh(606600) == 100);  // asked back: recomputed, not stale
  // Release: hour 168 waits for the dip at 612000 (300 > 100 until then); hour 169 accepts 300.
  CHECK(p.release_s(606600) == 612000);
  CHECK(p.release_s(608400) == 608400);
  // Not monotone in the ready time (606600 -> 612000, 608400 -> 608400): a campaign starts its
  // jobs in order, so a held job keeps the later ones behind it (campaign_source.hpp).
}

TEST_CASE("release times never decrease with the ready time on random steps", "[shift_policies]") {
  // 300 steps of 60..3600 whole seconds at whole values 20..600: every integral is exact, so
  // forecast-min's ties are real ties (earliest wins) and the property holds exactly.
  boost::random::mt19937 rng(424242);
  boost::random::uniform_int_distribution<int> duration_s(60, 3600);
  boost::random::uniform_int_distribution<int> value(20, 600);
  std::vector<double> start_s, values;
  double t_s = 0;
  for (int i = 0; i < 300; ++i) {
    start_s.push_back(t_s);
    values.push_back(value(rng));
    t_s += duration_s(rng);
  }
  const auto s = steps(start_s, values);
  const ThresholdRelease threshold(s, threshold_spec(150, 12 * kHour));
  const ForecastMinRelease forecast(s, 12 * kHour, 5000);
  double last_threshold = -1, last_forecast = -1;
  int threshold_waits = 0, forecast_waits = 0;
  for (double ready_s = 0; ready_s < t_s + kDay; ready_s += 97) {
    INFO("ready " << ready_s);
    const double a = threshold.release_s(ready_s), b = forecast.release_s(ready_s);
    REQUIRE(a >= last_threshold);
    REQUIRE(b >= last_forecast);
    REQUIRE((a >= ready_s && a <= ready_s + 12 * kHour));
    REQUIRE((b >= ready_s && b <= ready_s + 12 * kHour));
    for (double now_s : {ready_s + std::floor((a - ready_s) / 2), a - 1})
      if (now_s > ready_s && now_s < a)
        REQUIRE(
            ThresholdRelease(s, threshold_spec(150, 12 * kHour)).earliest_start_s(ready_s, now_s) ==
            a);
    for (double now_s : {ready_s + std::floor((b - ready_s) / 2), b - 1})
      if (now_s > ready_s && now_s < b)
        REQUIRE(ForecastMinRelease(s, 12 * kHour, 5000).earliest_start_s(ready_s, now_s) == b);
    threshold_waits += a > ready_s;
    forecast_waits += b > ready_s;
    last_threshold = a;
    last_forecast = b;
  }
  CHECK(threshold_waits > 100);  // the policies do hold jobs: the check is not vacuous
  CHECK(forecast_waits > 100);
}

TEST_CASE("forecast-min release with a perfect forecast on three steps", "[shift_policies]") {
  const auto s = three_steps();
  const ForecastMinRelease one_hour(s, kDay, kHour);
  // 1 h fits in the 100 step [7200, 18000]: F = 100 x 3600 = 360000 from 7200 to 14400, the
  // earliest is 7200.
  CHECK(one_hour.release_s(0) == 7200);
  CHECK(s->integral(7200, 7200 + kHour) == 360000);
  CHECK(best_start(*s, 0, kDay, kHour).integral == s->integral(7200, 7200 + kHour));
  CHECK(one_hour.release_s(9000) == 9000);  // already in the 100 step
  // From 18000 on, 300 forever: every start ties, the earliest.
  CHECK(one_hour.release_s(20000) == 20000);
  // No slack: at once.
  CHECK(ForecastMinRelease(s, 0, kHour).release_s(100) == 100);
  // Held by the queue past 7200: plans again over what is left of [0, 86400]. From 8000 the
  // job still fits in the 100 step; from 16000, F(16000) = 100 x 2000 + 300 x 1600 = 680000,
  // less than 300 x 3600 = 1080000 anywhere later: at once. Past the window: now.
  CHECK(one_hour.earliest_start_s(0, 8000) == 8000);
  CHECK(one_hour.earliest_start_s(0, 16000) == 16000);
  CHECK(one_hour.earliest_start_s(0, 90000) == 90000);

  // 18000 s, longer than the 10800 s low step. For s in [0, 7200]:
  //   F(s) = 400 (7200 - s) + 100 x 10800 + 300 s = 3960000 - 100 s,
  // for s in [7200, 18000]: F(s) = 100 (18000 - s) + 300 s = 1800000 + 200 s,
  // for s >= 18000: 300 x 18000 = 5400000. Minimum at 7200:
  //   F(7200) = 100 x 10800 + 300 x 7200 = 1080000 + 2160000 = 3240000.
  const ForecastMinRelease long_job(s, kDay, 18000);
  CHECK(long_job.release_s(0) == 7200);
  CHECK(best_start(*s, 0, kDay, 18000).integral == 3240000);
  CHECK(s->integral(7200, 7200 + 18000) == 3240000);
  // Ready at 9000, F rises from 9000 on (slope +200): at once.
  CHECK(long_job.release_s(9000) == 9000);
}

TEST_CASE("planned length of a campaign's jobs", "[shift_policies]") {
  CampaignSpec c;
  c.length.distribution = LengthDistribution::fixed;
  c.length.hours = 2;
  CHECK(planned_length_s(c) == 7200);  // 2 h
  c.length.distribution = LengthDistribution::uniform;
  c.length.min_hours = 1;
  c.length.max_hours = 3;
  CHECK(planned_length_s(c) == 7200);  // (1 + 3) / 2 = 2 h
  c.length.distribution = LengthDistribution::lognormal;
  c.length.mu = 0.5;
  c.length.sigma = 0.6;
  // Mean of a lognormal: exp(mu + sigma^2 / 2) = exp(0.5 + 0.18) = exp(0.68) = 1.9739 h.
  CHECK(planned_length_s(c) == Approx(std::exp(0.68) * 3600).epsilon(1e-12));
  CHECK(planned_length_s(c) == Approx(7106.2).epsilon(1e-4));
  c.length.distribution = LengthDistribution::list;
  c.length.list = {1, 2, 3};
  CHECK(planned_length_s(c) == 7200);  // (1 + 2 + 3) / 3 = 2 h
  // total_gpu_hours: 100 GPU-h over 50 trials x 2 GPUs = 1 h each, whatever the distribution.
  c.total_gpu_hours = 100;
  c.trials = 50;
  c.gpus_per_trial = 2;
  CHECK(planned_length_s(c) == 3600);
  // expected_length wins over everything.
  ShiftSpec shift;
  shift.expected_length_s = 5000;
  c.shift = shift;
  CHECK(planned_length_s(c) == 5000);
}

TEST_CASE("make_release_policy builds the policy the shift spec names", "[shift_policies]") {
  const auto s = three_steps();
  const auto threshold = make_release_policy(campaign_with(threshold_spec(200, kDay), 1), s, s, 7);
  REQUIRE(dynamic_cast<const ThresholdRelease*>(threshold.get()) != nullptr);
  CHECK(threshold->release_s(0) == 7200);

  ShiftSpec spec;
  spec.policy = ShiftPolicy::forecast_min;
  spec.slack_s = kDay;
  spec.forecast = ForecastQuality::perfect;
  const auto perfect = make_release_policy(campaign_with(spec, 1), s, s, 7);
  REQUIRE(dynamic_cast<const ForecastMinRelease*>(perfect.get()) != nullptr);
  CHECK(perfect->release_s(0) == 7200);  // planned 1 h: as above

  // A noisy forecast with no error is the actual signal (factor max(0, 1 + 0) = 1): the same
  // releases, also with its extra error-step breakpoints every hour.
  spec.forecast = ForecastQuality::noisy;
  spec.forecast_error = 0;
  const auto noisy = make_release_policy(campaign_with(spec, 1), s, s, 7);
  REQUIRE(dynamic_cast<const ForecastMinRelease*>(noisy.get()) != nullptr);
  for (double ready_s : {0.0, 1000.0, 3600.0, 7000.0, 9000.0, 15000.0, 17000.0, 30000.0})
    CHECK(noisy->release_s(ready_s) == perfect->release_s(ready_s));
}

TEST_CASE("persistence a day back releases as perfect on a signal that repeats daily",
          "[shift_policies]") {
  // Each day: 0-6 h 300, 6-10 h 150, 10-16 h 50, 16-24 h 400, for 10 days (then 400 forever).
  const double hours[] = {0, 6, 10, 16}, day_values[] = {300, 150, 50, 400};
  std::vector<double> start_s, values;
  for (int d = 0; d < 10; ++d)
    for (int i = 0; i < 4; ++i) {
      start_s.push_back(d * kDay + hours[i] * kHour);
      values.push_back(day_values[i]);
    }
  const auto s = steps(start_s, values);
  ShiftSpec spec;
  spec.policy = ShiftPolicy::forecast_min;
  spec.slack_s = kDay;
  spec.forecast = ForecastQuality::perfect;
  const auto perfect = make_release_policy(campaign_with(spec, 3), s, s, 1);
  spec.forecast = ForecastQuality::persistence;
  spec.forecast_lag_s = kDay;
  const auto persistence = make_release_policy(campaign_with(spec, 3), s, s, 1);
  // From day 1 on, t - 1 day reads the same hour of the previous day: the same signal while
  // ready + slack + 3 h stays inside the 10 days (ready < 8 days).
  for (double ready_s = kDay; ready_s < 8 * kDay; ready_s += 1800) {
    INFO("ready " << ready_s);
    REQUIRE(persistence->release_s(ready_s) == perfect->release_s(ready_s));
  }
  // By hand: ready at day 1, 0 h (300 until 6 h): 3 h at 50 from 10 h, F = 50 x 10800.
  CHECK(perfect->release_s(kDay) == kDay + 10 * kHour);
  CHECK(persistence->release_s(kDay) == kDay + 10 * kHour);
}
