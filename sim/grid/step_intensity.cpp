#include "grid/step_intensity.hpp"

#include <algorithm>
#include <stdexcept>

namespace mlcycle {

StepIntensity::StepIntensity(std::vector<double> time_s, std::vector<double> value_g_per_kwh)
    : time_s_(std::move(time_s)), value_(std::move(value_g_per_kwh)) {
  if (time_s_.empty() || time_s_.size() != value_.size())
    throw std::invalid_argument("StepIntensity: need as many times as values, at least one");
  prefix_.assign(time_s_.size(), 0.0);
  for (std::size_t i = 1; i < time_s_.size(); ++i) {
    if (!(time_s_[i] > time_s_[i - 1]))
      throw std::invalid_argument("StepIntensity: times must increase strictly");
    prefix_[i] = prefix_[i - 1] + value_[i - 1] * (time_s_[i] - time_s_[i - 1]);
  }
}

std::size_t StepIntensity::step_at(double time_s) const {
  auto it = std::upper_bound(time_s_.begin(), time_s_.end(), time_s);
  return it == time_s_.begin() ? 0 : static_cast<std::size_t>(it - time_s_.begin() - 1);
}

double StepIntensity::intensity_g_per_kwh(double time_s) const {
  return value_[step_at(time_s)];
}

double StepIntensity::cumulative(double time_s) const {
  const std::size_t i = step_at(time_s);
  return prefix_[i] + value_[i] * (time_s - time_s_[i]);
}

double StepIntensity::integral_g_s_per_kwh(double t0_s, double t1_s) const {
  // Within one step, multiply directly: no cancellation between two large prefix sums.
  const std::size_t i0 = step_at(t0_s);
  if (i0 == step_at(t1_s)) return value_[i0] * (t1_s - t0_s);
  return cumulative(t1_s) - cumulative(t0_s);
}

double StepIntensity::next_change_after_s(double time_s) const {
  auto it = std::upper_bound(time_s_.begin(), time_s_.end(), time_s);
  return it == time_s_.end() ? std::numeric_limits<double>::infinity() : *it;
}

}  // namespace mlcycle
