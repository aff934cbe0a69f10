#include "grid/intensity_forecast.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/seed_stream.hpp"

namespace mlcycle {

namespace {

// Stream purposes of the forecast errors: forward (steps 0, 1, ...) and backward (steps -1,
// -2, ...). Low byte non-zero and below 2^32, so they differ from every other purpose in the
// code (trial lengths 2^32 + i, campaign runs with a zero low byte, synthetic grids 3 x 2^32 +).
constexpr std::uint64_t kForwardErrorPurpose = 0xF0CA57;
constexpr std::uint64_t kBackwardErrorPurpose = 0xF0CA58;

// Beyond this many error steps from 0 the cache would not fit in memory anyway; a time that far
// (or not finite) is a caller's bug, not a long run.
constexpr double kMaxSteps = 1ULL << 31;

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("forecast: " + what);
}

}  // namespace

PersistenceForecast::PersistenceForecast(std::shared_ptr<const StepSignal> actual, double lag_s)
    : actual_(std::move(actual)), lag_s_(lag_s) {
  require(actual_ != nullptr, "no actual signal");
  require(std::isfinite(lag_s_) && lag_s_ >= 0,
          "persistence lag_s must be finite and >= 0, not " + std::to_string(lag_s_));
}

double PersistenceForecast::value_at(double time_s) const {
  return actual_->value_at(time_s - lag_s_);
}

double PersistenceForecast::integral(double t0_s, double t1_s) const {
  return actual_->integral(t0_s - lag_s_, t1_s - lag_s_);
}

double PersistenceForecast::next_change_after_s(double time_s) const {
  const double next_s = actual_->next_change_after_s(time_s - lag_s_) + lag_s_;
  // (t - lag) + lag can round below t for times that are not whole seconds; a next change that
  // is not after t would stall a caller stepping from change to change.
  return next_s > time_s ? next_s : std::nextafter(time_s, HUGE_VAL);
}

NoisyForecast::NoisyForecast(std::shared_ptr<const StepSignal> actual, double relative_sd,
                             double correlation_s, double error_step_s, std::uint64_t seed)
    : actual_(std::move(actual)),
      relative_sd_(relative_sd),
      error_step_s_(error_step_s),
      forward_stream_(make_stream(seed, kForwardErrorPurpose)),
      backward_stream_(make_stream(seed, kBackwardErrorPurpose)) {
  require(actual_ != nullptr, "no actual signal");
  require(std::isfinite(relative_sd) && relative_sd >= 0,
          "relative_sd must be finite and >= 0, not " + std::to_string(relative_sd));
  require(correlation_s >= 0, "correlation_s must be >= 0, not " + std::to_string(correlation_s));
  require(std::isfinite(error_step_s) && error_step_s > 0,
          "error_step_s must be finite and > 0, not " + std::to_string(error_step_s));
  rho_ = correlation_s == 0 ? 0.0 : std::exp(-error_step_s / correlation_s);
  innovation_sd_ = relative_sd * std::sqrt(1 - rho_ * rho_);
}

std::int64_t NoisyForecast::step_index(double time_s) const {
  const double q = std::floor(time_s / error_step_s_);
  if (!(std::abs(q) < kMaxSteps))
    throw std::domain_error("noisy forecast: time " + std::to_string(time_s) +
                            " s is out of range of its error steps");
  // The division can round across a boundary; boundaries are k x step as computed here, so
  // settle k against them and every caller agrees on which step holds a time.
  auto k = static_cast<std::int64_t>(q);
  if (static_cast<double>(k) * error_step_s_ > time_s) --k;
  if (static_cast<double>(k + 1) * error_step_s_ <= time_s) ++k;
  return k;
}

double NoisyForecast::relative_error(std::int64_t step) const {
  // Draws in step order only, so e_k is a function of (seed, k) whatever the order of queries.
  if (forward_.empty()) forward_.push_back(relative_sd_ * forward_normal_(forward_stream_));
  if (step >= 0) {
    const auto k = static_cast<std::size_t>(step);
    while (forward_.size() <= k)
      forward_.push_back(rho_ * forward_.back() +
                         innovation_sd_ * forward_normal_(forward_stream_));
    return forward_[k];
  }
  const auto k = static_cast<std::size_t>(-(step + 1));  // e_{-1} at 0
  while (backward_.size() <= k) {
    const double later = backward_.empty() ? forward_.front() : backward_.back();
    backward_.push_back(rho_ * later + innovation_sd_ * backward_normal_(backward_stream_));
  }
  return backward_[k];
}

double NoisyForecast::factor(std::int64_t step) const {
  return std::max(0.0, 1.0 + relative_error(step));
}

// relative_sd == 0 delegates to the actual signal: value_at, integral and next_change_after_s
// are then the actual's own results, bit-identical (no per-step sum that could round
// differently from the actual's prefix sums), and no random numbers are drawn.

double NoisyForecast::value_at(double time_s) const {
  if (relative_sd_ == 0) return actual_->value_at(time_s);
  return actual_->value_at(time_s) * factor(step_index(time_s));
}

double NoisyForecast::integral(double t0_s, double t1_s) const {
  if (relative_sd_ == 0) return actual_->integral(t0_s, t1_s);
  if (t1_s < t0_s) return -integral(t1_s, t0_s);
  const std::int64_t k0 = step_index(t0_s);
  const std::int64_t k1 = step_index(t1_s);
  if (k0 == k1) return factor(k0) * actual_->integral(t0_s, t1_s);
  // The factor is constant on each error step, so each step contributes factor x the actual's
  // exact integral over its part of the window: the same sum as walking the union of the
  // actual's breakpoints and the step boundaries, with the actual's breakpoints left to it.
  auto boundary = [&](std::int64_t k) { return static_cast<double>(k) * error_step_s_; };
  double sum = factor(k0) * actual_->integral(t0_s, boundary(k0 + 1));
  for (std::int64_t k = k0 + 1; k < k1; ++k)
    sum += factor(k) * actual_->integral(boundary(k), boundary(k + 1));
  // t1 on a boundary: step k1 contributes nothing, and its error need not be drawn.
  if (t1_s > boundary(k1)) sum += factor(k1) * actual_->integral(boundary(k1), t1_s);
  return sum;
}

double NoisyForecast::next_change_after_s(double time_s) const {
  const double actual_next_s = actual_->next_change_after_s(time_s);
  if (relative_sd_ == 0) return actual_next_s;
  const double step_end_s = static_cast<double>(step_index(time_s) + 1) * error_step_s_;
  return std::min(actual_next_s, step_end_s);
}

std::shared_ptr<const StepSignal> make_forecast(std::shared_ptr<const StepSignal> actual,
                                                const ForecastSpec& spec, std::uint64_t seed) {
  require(actual != nullptr, "no actual signal");
  switch (spec.kind) {
    case ForecastKind::perfect:
      return actual;
    case ForecastKind::persistence:
      return std::make_shared<PersistenceForecast>(std::move(actual), spec.lag_s);
    case ForecastKind::noisy:
      return std::make_shared<NoisyForecast>(std::move(actual), spec.relative_sd,
                                             spec.correlation_s, spec.error_step_s, seed);
  }
  throw std::invalid_argument("forecast: unknown kind " +
                              std::to_string(static_cast<int>(spec.kind)));
}

}  // namespace mlcycle
