#pragma once
// A piecewise-constant signal over simulation time (seconds since the scenario start): a grid's
// carbon intensity (g/kWh), a datacenter's PUE, or their product. The accounting never samples
// a signal: it asks for exact integrals between breakpoints, so a signal that steps inside an
// interval is still integrated exactly.
#include <limits>
#include <memory>

namespace mlcycle {

class StepSignal {
 public:
  virtual ~StepSignal() = default;
  // Value holding at `time_s` (right-continuous).
  virtual double value_at(double time_s) const = 0;
  // Integral over [t0_s, t1_s], in value x seconds. Exact for the signal's model.
  virtual double integral(double t0_s, double t1_s) const = 0;
  // The first time after `time_s` at which the value changes; +infinity when it never does.
  virtual double next_change_after_s(double time_s) const = 0;
};

class ConstantSignal final : public StepSignal {
 public:
  explicit ConstantSignal(double value) : value_(value) {}
  double value() const { return value_; }
  double value_at(double) const override { return value_; }
  double integral(double t0_s, double t1_s) const override { return value_ * (t1_s - t0_s); }
  double next_change_after_s(double) const override {
    return std::numeric_limits<double>::infinity();
  }

 private:
  double value_;
};

// `factor` x another signal: the CO2e rate of a constant-PUE site is PUE x intensity.
class ScaledSignal final : public StepSignal {
 public:
  ScaledSignal(std::shared_ptr<const StepSignal> signal, double factor)
      : signal_(std::move(signal)), factor_(factor) {}
  double value_at(double time_s) const override { return factor_ * signal_->value_at(time_s); }
  double integral(double t0_s, double t1_s) const override {
    return factor_ * signal_->integral(t0_s, t1_s);
  }
  double next_change_after_s(double time_s) const override {
    return signal_->next_change_after_s(time_s);
  }

 private:
  std::shared_ptr<const StepSignal> signal_;
  double factor_;
};

}  // namespace mlcycle
