#pragma once
// Carbon intensity of one grid region over simulation time (seconds since scenario start).
// The accounting never samples a signal: it asks for exact integrals between breakpoints, so
// a signal that steps inside an interval is still integrated exactly.
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace mlcycle {

class IntensitySignal {
 public:
  virtual ~IntensitySignal() = default;
  // Intensity in g/kWh holding at `time_s` (right-continuous).
  virtual double intensity_g_per_kwh(double time_s) const = 0;
  // Integral of intensity over [t0_s, t1_s], in (g/kWh)*s. Exact for the signal's model.
  virtual double integral_g_s_per_kwh(double t0_s, double t1_s) const = 0;
  // The first time after `time_s` at which the value changes; +infinity when it never does.
  virtual double next_change_after_s(double time_s) const = 0;
};

class ConstantIntensity final : public IntensitySignal {
 public:
  explicit ConstantIntensity(double intensity_g_per_kwh) : value_(intensity_g_per_kwh) {}
  double intensity_g_per_kwh(double) const override { return value_; }
  double integral_g_s_per_kwh(double t0_s, double t1_s) const override {
    return value_ * (t1_s - t0_s);
  }
  double next_change_after_s(double) const override {
    return std::numeric_limits<double>::infinity();
  }

 private:
  double value_;
};

}  // namespace mlcycle
