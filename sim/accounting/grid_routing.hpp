#pragma once
// The grid-aware order of carbon-aware serving (`routing = { policy = "lowest-now" }`): each
// step fills the clusters by their site's PUE x intensity at the step's start, lowest first
// (ties keep the listed order). Equations: docs/spatial-shifting.md.
#include <algorithm>
#include <memory>
#include <vector>

#include "grid/step_signal.hpp"
#include "workload/request_router.hpp"

namespace mlcycle {

class LowestNowRouter final : public RequestRouter {
 public:
  // `carbon[i]`: the CO2e rate per IT watt (PUE x intensity) of cluster i's site.
  explicit LowestNowRouter(std::vector<std::shared_ptr<const StepSignal>> carbon)
      : carbon_(std::move(carbon)) {}
  void order_at(double time_s, std::vector<std::size_t>& order) const override {
    rates_.resize(carbon_.size());
    for (std::size_t i = 0; i < carbon_.size(); ++i) rates_[i] = carbon_[i]->value_at(time_s);
    NearestRouter(carbon_.size()).order_at(time_s, order);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return rates_[a] < rates_[b]; });
  }

 private:
  std::vector<std::shared_ptr<const StepSignal>> carbon_;
  mutable std::vector<double> rates_;  // scratch
};

}  // namespace mlcycle
