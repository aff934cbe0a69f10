#pragma once
// A piecewise-constant intensity: value[i] holds on [time_s[i], time_s[i+1]), the last value
// holds to infinity and the first one back to minus infinity. Integrals use prefix sums, so a
// job spanning a year of 15-minute steps costs two binary searches, not a loop.
#include <vector>

#include "grid/intensity_signal.hpp"

namespace mlcycle {

class StepIntensity final : public IntensitySignal {
 public:
  // `time_s` strictly increasing, same length as `value_g_per_kwh`, not empty.
  StepIntensity(std::vector<double> time_s, std::vector<double> value_g_per_kwh);

  double intensity_g_per_kwh(double time_s) const override;
  double integral_g_s_per_kwh(double t0_s, double t1_s) const override;
  double next_change_after_s(double time_s) const override;

 private:
  std::size_t step_at(double time_s) const;  // index of the step holding at time_s
  double cumulative(double time_s) const;    // integral from time_s_[0] to time_s

  std::vector<double> time_s_;
  std::vector<double> value_;
  std::vector<double> prefix_;  // integral from time_s_[0] to time_s_[i]
};

}  // namespace mlcycle
