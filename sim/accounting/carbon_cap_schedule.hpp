#pragma once
// carbon-cap's schedule: a campaign's GPU power cap holds while the carbon intensity of its
// cluster's grid region is above the threshold (above, not at: at the threshold the grid is as
// clean as the policy asks, as for the threshold shift policy's "at or below").
#include <memory>

#include "grid/step_signal.hpp"
#include "workload/cap_schedule.hpp"

namespace mlcycle {

class IntensityCapSchedule final : public CapSchedule {
 public:
  IntensityCapSchedule(std::shared_ptr<const StepSignal> intensity, double threshold_g_per_kwh)
      : intensity_(std::move(intensity)), threshold_g_per_kwh_(threshold_g_per_kwh) {}
  bool capped_at(double time_s) const override {
    return intensity_->value_at(time_s) > threshold_g_per_kwh_;
  }
  double next_change_after_s(double time_s) const override {
    return intensity_->next_change_after_s(time_s);
  }

 private:
  std::shared_ptr<const StepSignal> intensity_;
  double threshold_g_per_kwh_;
};

}  // namespace mlcycle
