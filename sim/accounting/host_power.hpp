#pragma once
// The power of one GPU node, as SimGrid's host energy model defines it, plus our node overhead.
// SimGrid (per pstate, `wattage_per_state = Idle:Epsilon:AllCores`):
//   no core busy:   P = Idle
//   b of c busy:    P = Epsilon + (b / c) * (AllCores - Epsilon)
// Our node overhead (CPU + DRAM, property `node_overhead_w`) is drawn whenever the node is on.
// Attribution: P with b busy = c * (Epsilon / c) + b * (AllCores - Epsilon) / c, so a busy GPU
// carries AllCores / c and an idle GPU of a busy node Epsilon / c; the overhead splits per GPU.
// A job on k GPUs of a node therefore draws k * (AllCores + overhead) / c, constant for its
// whole run, and the rest of the node's power is idle.
// Power states: a node switched off draws `wattage_off` (SimGrid's off power), a booting node
// `boot_power_w` for `boot_time_s` (platform properties), a failed (down) node `wattage_off`.
#include <cstdint>
#include <string>

namespace mlcycle {

struct HostPowerModel {
  std::string name;
  std::uint32_t cluster = 0;    // index into the platform's clusters
  std::uint32_t cores = 1;      // GPUs
  double idle_w = 0;            // SimGrid Idle at the host's pstate
  double epsilon_w = 0;         // SimGrid Epsilon
  double all_cores_w = 0;       // SimGrid AllCores
  double overhead_w = 0;        // node_overhead_w
  std::uint32_t site = 0;       // index into the facility sites (grid region x PUE signal)
  double off_w = 0;             // SimGrid wattage_off
  double boot_w = 0;            // boot_power_w (default: AllCores + overhead)
  double boot_s = 0;            // boot_time_s
  std::uint32_t cap_curve = 0;  // index into the platform's power-cap curves (0: the default)

  // What SimGrid's host energy plugin integrates for this host with `busy` cores loaded.
  double simgrid_power_w(std::uint32_t busy) const {
    if (busy == 0) return idle_w;
    const double load = static_cast<double>(busy) / cores;
    return epsilon_w + load * (all_cores_w - epsilon_w);
  }
  double it_power_w(std::uint32_t busy) const { return simgrid_power_w(busy) + overhead_w; }
  double busy_gpu_it_power_w() const { return (all_cores_w + overhead_w) / cores; }
  // A powered GPU with nothing on it, as part of a busy node: Epsilon / c + overhead / c.
  double idle_gpu_it_power_w() const { return (epsilon_w + overhead_w) / cores; }
};

}  // namespace mlcycle
