#pragma once
// Forecasts of a grid region's carbon intensity, as step signals built over the actual signal:
// carbon-aware policies choose start times from a forecast, and comparing perfect, persistence
// and noisy forecasts shows what forecast quality is worth. Each forecast is itself a
// StepSignal, so policies read it exactly as they would read the actual signal.
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cstdint>
#include <memory>
#include <vector>

#include "grid/step_signal.hpp"

namespace mlcycle {

enum class ForecastKind : std::uint8_t { perfect, persistence, noisy };

// What the scenario asks for. `lag_s` is read by persistence only (86400: same time yesterday,
// 604800: same time last week); the last three by noisy only.
struct ForecastSpec {
  ForecastKind kind = ForecastKind::perfect;
  double lag_s = 86400;
  double relative_sd = 0;           // sd of the multiplicative error e (0.1: 10 %)
  double correlation_s = 3600 * 6;  // e-folding time of the error's autocorrelation; 0: none
  double error_step_s = 3600;       // the error holds over [k step, (k+1) step)
};

// Persistence: the forecast at t is what the actual signal was at t - lag_s. Before lag_s the
// actual signal's own rule for times before its data applies (a StepTimeline holds its first
// value), so the forecast is defined from time 0 without a special case.
class PersistenceForecast final : public StepSignal {
 public:
  // Throws std::invalid_argument unless lag_s is finite and >= 0 (a negative lag would read
  // the future).
  PersistenceForecast(std::shared_ptr<const StepSignal> actual, double lag_s);

  double value_at(double time_s) const override;
  double integral(double t0_s, double t1_s) const override;
  double next_change_after_s(double time_s) const override;
  double lag_s() const { return lag_s_; }

 private:
  std::shared_ptr<const StepSignal> actual_;
  double lag_s_;
};

// Noisy: actual(t) x max(0, 1 + e(t)). e is piecewise constant on error steps
// [k step, (k+1) step) aligned on time 0, and a stationary Gaussian AR(1) process across steps:
//   e_0 = sd z_0,  e_k = rho e_{k-1} + sd sqrt(1 - rho^2) z_k,  rho = exp(-step / correlation)
// (correlation 0: rho = 0, independent steps). Steps before time 0 (a policy looking back)
// continue the process backwards from e_0 with a second stream,
//   e_{-k} = rho e_{-k+1} + sd sqrt(1 - rho^2) w_k,
// which is the same stationary law: a Gaussian AR(1) is reversible in time.
// The floor applies to the factor, not to the product: a forecast never flips the sign of the
// actual signal and never goes below 0 for a non-negative one.
//
// Simplification: e is keyed by the target time's step only. The run sees one realisation of
// the forecast, the same whenever it is read; real forecast errors grow with lead time (a
// day-ahead forecast is worse than an hour-ahead one), which this model does not capture.
//
// Errors are drawn lazily in step order and cached (the signal is read from one thread), so
// e_k depends only on the seed and k, not on the order of queries; cost is O(1) amortised per
// step, memory O(|k|) for the farthest step read.
class NoisyForecast final : public StepSignal {
 public:
  // Throws std::invalid_argument unless relative_sd >= 0, correlation_s >= 0 (infinity: one
  // error for the whole run) and error_step_s > 0 are valid numbers.
  NoisyForecast(std::shared_ptr<const StepSignal> actual, double relative_sd, double correlation_s,
                double error_step_s, std::uint64_t seed);

  double value_at(double time_s) const override;
  // Exact: the error is constant on each error step, so each step contributes its factor x
  // the actual signal's own exact integral over the part of [t0_s, t1_s] it covers.
  double integral(double t0_s, double t1_s) const override;
  // min(the actual's next change, the next error step boundary).
  double next_change_after_s(double time_s) const override;

  // The error step holding `time_s`: k with k step <= time_s < (k+1) step in double.
  std::int64_t step_index(double time_s) const;
  // e_k, the relative error of step k (any sign of k).
  double relative_error(std::int64_t step) const;
  double error_step_s() const { return error_step_s_; }

 private:
  double factor(std::int64_t step) const;  // max(0, 1 + e_k)

  std::shared_ptr<const StepSignal> actual_;
  double relative_sd_;
  double rho_;
  double innovation_sd_;  // sd sqrt(1 - rho^2)
  double error_step_s_;
  mutable boost::random::mt19937_64 forward_stream_;   // z_0, z_1, ...
  mutable boost::random::mt19937_64 backward_stream_;  // w_1, w_2, ...
  mutable boost::random::normal_distribution<double> forward_normal_;
  mutable boost::random::normal_distribution<double> backward_normal_;
  mutable std::vector<double> forward_;   // e_0, e_1, ...
  mutable std::vector<double> backward_;  // e_{-1}, e_{-2}, ...
};

// The forecast of `spec.kind` over `actual`. perfect returns `actual` itself. `seed` (the
// scenario seed, or one mixed per region) feeds the noisy errors through a stream purpose of
// their own. Throws std::invalid_argument on bad parameters.
std::shared_ptr<const StepSignal> make_forecast(std::shared_ptr<const StepSignal> actual,
                                                const ForecastSpec& spec, std::uint64_t seed);

}  // namespace mlcycle
