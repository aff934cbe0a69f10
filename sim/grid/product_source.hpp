#pragma once
// The product of two step signals, itself a step signal: PUE(t) x intensity(t), whose integral
// is the CO2e of one IT watt. Steps fall on the union of both signals' steps.
#include <memory>

#include "grid/step_timeline.hpp"

namespace mlcycle {

class ProductSource final : public StepSource {
 public:
  ProductSource(std::shared_ptr<const StepTimeline> a, std::shared_ptr<const StepTimeline> b);
  double extend(double from_s, double to_s, StepAppender& out) override;

 private:
  std::shared_ptr<const StepTimeline> a_;
  std::shared_ptr<const StepTimeline> b_;
};

}  // namespace mlcycle
