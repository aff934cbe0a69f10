#include "workload/autoscaler.hpp"

#include <algorithm>
#include <cmath>

namespace mlcycle {

std::uint64_t ceil_steps(double x) {
  if (!(x > 0)) return 0;
  return static_cast<std::uint64_t>(std::ceil(x * (1 - 1e-12)));
}

Autoscaler::Autoscaler(const AutoscalerSpec& spec, double capacity_per_replica_per_s, double step_s)
    : spec_(spec),
      replica_rate_per_s_(capacity_per_replica_per_s * spec.target_utilization),
      up_steps_(ceil_steps(spec.scale_up_delay_s / step_s)),
      down_steps_(ceil_steps(spec.scale_down_cooldown_s / step_s)) {
  ring_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(up_steps_ + 1, 64)));
}

std::uint32_t Autoscaler::desired(double rate_per_s) const {
  const double replicas = rate_per_s / replica_rate_per_s_;
  if (!(replicas < spec_.max_replicas)) return spec_.max_replicas;  // also for NaN
  const auto n = static_cast<std::uint32_t>(ceil_steps(replicas));
  return std::clamp(n, spec_.min_replicas, spec_.max_replicas);
}

void Autoscaler::start(double first_rate_per_s) {
  active_ = desired(first_rate_per_s);
}

void Autoscaler::begin_step(std::uint64_t k) {
  while (groups_ > 0 && ring_[head_].active_from_step <= k) {
    active_ += ring_[head_].count;
    loading_ -= ring_[head_].count;
    head_ = (head_ + 1) % ring_.size();
    --groups_;
  }
}

void Autoscaler::push_group(Group g) {
  if (groups_ == ring_.size()) {
    std::vector<Group> grown(ring_.size() * 2);
    for (std::size_t i = 0; i < groups_; ++i) grown[i] = ring_[(head_ + i) % ring_.size()];
    ring_ = std::move(grown);
    head_ = 0;
  }
  ring_[(head_ + groups_) % ring_.size()] = g;
  ++groups_;
}

void Autoscaler::scale_down_to(std::uint32_t target) {
  std::uint32_t excess = active_ + loading_ - target;
  while (excess > 0 && groups_ > 0) {
    Group& newest = ring_[(head_ + groups_ - 1) % ring_.size()];
    const std::uint32_t cancel = std::min(excess, newest.count);
    newest.count -= cancel;
    loading_ -= cancel;
    excess -= cancel;
    if (newest.count == 0) --groups_;
  }
  active_ -= excess;
}

void Autoscaler::end_step(std::uint64_t k, double rate_per_s) {
  const std::uint32_t committed = active_ + loading_;
  const std::uint32_t want = desired(rate_per_s);
  if (want > committed) {
    if (up_steps_ == 0) {
      active_ += want - committed;
    } else {
      push_group({k + 1 + up_steps_, want - committed});
      loading_ += want - committed;
    }
    low_ = false;
    return;
  }
  if (want == committed) {
    low_ = false;
    return;
  }
  if (!low_) {
    low_ = true;
    low_since_ = k;
  }
  if (k + 1 - low_since_ >= down_steps_) {
    scale_down_to(want);
    low_ = false;
  }
}

}  // namespace mlcycle
