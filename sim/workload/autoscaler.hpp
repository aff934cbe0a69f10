#pragma once
// The replica autoscaler of a serving deployment, on the step grid (step k covers
// [start + k * step, start + (k + 1) * step)). After each step it sizes the service for the
// mean request rate of the step just finished:
//   desired = clamp(ceil(rate / (mu * target_utilization)), min_replicas, max_replicas)
// (ceil with a relative tolerance of 1e-12, so that a ratio of exactly 4 that rounds to
// 4.000000000000001 asks for 4 replicas, not 5). With committed = active + loading replicas:
//  - desired > committed: scale up at once. The new replicas hold their GPUs and draw idle
//    power from the decision on (the model loads), and serve from the first step that starts
//    at least scale_up_delay after the decision: ceil(delay / step) steps of loading.
//  - desired < committed in every step since step j (and no change since), scale down to
//    desired after step k once (k + 1 - j) * step >= scale_down_cooldown: the extra replicas
//    are kept through one whole cooldown of low demand. Loading replicas go first, newest first.
//  - otherwise nothing; any step with desired >= committed restarts the cooldown.
// The service starts warm: active = desired for the first step's rate, nothing loading.
// min_replicas == max_replicas is a fixed-size service.
#include <cstdint>
#include <vector>

#include "scenario/serving_spec.hpp"

namespace mlcycle {

class Autoscaler {
 public:
  Autoscaler(const AutoscalerSpec& spec, double capacity_per_replica_per_s, double step_s);

  std::uint32_t desired(double rate_per_s) const;
  // A replica's capacity changed (a power cap engaged or released): sizing follows it.
  void set_capacity_per_replica_per_s(double capacity) {
    replica_rate_per_s_ = capacity * spec_.target_utilization;
  }

  void start(double first_rate_per_s);
  // Before step k (k >= 1): replicas whose loading ends at k become active.
  void begin_step(std::uint64_t k);
  // After step k, with the mean request rate observed over it.
  void end_step(std::uint64_t k, double rate_per_s);

  std::uint32_t active() const { return active_; }
  std::uint32_t loading() const { return loading_; }

 private:
  struct Group {
    std::uint64_t active_from_step;
    std::uint32_t count;
  };
  void push_group(Group g);
  void scale_down_to(std::uint32_t target);

  AutoscalerSpec spec_;
  double replica_rate_per_s_;  // mu * target: the rate one replica is sized for
  std::uint64_t up_steps_;     // steps a new replica loads
  std::uint64_t down_steps_;   // steps of low demand before a scale-down
  std::uint32_t active_ = 0;
  std::uint32_t loading_ = 0;
  bool low_ = false;  // desired < committed in every step since low_since_
  std::uint64_t low_since_ = 0;
  // Loading groups, oldest first, in a ring that grows by doubling (never per step).
  std::vector<Group> ring_;
  std::size_t head_ = 0;
  std::size_t groups_ = 0;
};

// ceil(x) with a relative tolerance of 1e-12 (x >= 0), as a step count or replica count.
std::uint64_t ceil_steps(double x);

}  // namespace mlcycle
