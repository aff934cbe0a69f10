#pragma once
// What the meter's unit tests build again and again: a one-region grid of constant intensity
// and a small host whose power per state is easy to do by hand.
#include <memory>
#include <utility>
#include <vector>

#include "accounting/host_power.hpp"
#include "grid/grid_registry.hpp"
#include "grid/step_signal.hpp"

namespace mlcycle::test {

// One region "r" at a constant intensity.
inline GridRegistry constant_grid(double g_per_kwh) {
  std::vector<std::unique_ptr<StepSignal>> signals;
  signals.push_back(std::make_unique<ConstantSignal>(g_per_kwh));
  return GridRegistry({"r"}, std::move(signals));
}

// 2 GPUs, wattage_per_state 10:20:100, overhead 5 W: a busy GPU draws (100 + 5) / 2 = 52.5 W;
// switched off it draws off_w.
inline HostPowerModel small_host(const char* name, double off_w = 0) {
  HostPowerModel h;
  h.name = name;
  h.cores = 2;
  h.idle_w = 10;
  h.epsilon_w = 20;
  h.all_cores_w = 100;
  h.overhead_w = 5;
  h.off_w = off_w;
  return h;
}

}  // namespace mlcycle::test
