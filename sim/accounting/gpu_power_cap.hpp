#pragma once
// What a power cap does to one GPU of a host. The cap bounds the GPU's own draw, its share of
// SimGrid's AllCores (b = AllCores / c): a capped busy GPU draws p = min(cap, b) where cap is
// the limit in watts or fraction x b; the node overhead (CPU, DRAM) is not capped. In SimGrid's
// linear model a GPU at p is a core loaded at l = (p - Epsilon / c) / ((AllCores - Epsilon) / c),
// so the exec engine runs it as an execution bounded to l x speed, and the host energy plugin
// integrates p exactly. The GPU computes slower by the curve's factor at p / b.
#include <algorithm>
#include <limits>

#include "accounting/host_power.hpp"
#include "scenario/power_cap_spec.hpp"
#include "workload/power_cap_curve.hpp"

namespace mlcycle {

struct CappedGpu {
  double board_w = 0;      // p: the GPU's draw under the cap
  double saving_w = 0;     // b - p: watts below its busy power
  double load = 1;         // l: SimGrid's core load that draws p
  double fraction = 1;     // p / b
  double time_factor = 1;  // the curve at p / b
};

// The GPU's busy power b: its share of the node's AllCores.
inline double gpu_busy_board_w(const HostPowerModel& host) {
  return host.all_cores_w / host.cores;
}

// p: what one busy GPU of `host` draws under `cap`.
inline double capped_board_w(const HostPowerModel& host, const PowerCapSpec& cap) {
  const double busy_w = gpu_busy_board_w(host);
  return cap.limit_w ? std::min(*cap.limit_w, busy_w) : *cap.fraction * busy_w;
}

// l: the core load at which SimGrid's linear model draws p on one GPU of `host`.
inline double capped_core_load(const HostPowerModel& host, const PowerCapSpec& cap) {
  const double busy_w = gpu_busy_board_w(host);
  const double epsilon_w = host.epsilon_w / host.cores;
  return busy_w > epsilon_w ? (capped_board_w(host, cap) - epsilon_w) / (busy_w - epsilon_w) : 1;
}

// The cap on one GPU of `host`. The caller has checked that the cap lies in
// (Epsilon / c, b]; below the curve's lowest point the factor is NaN.
inline CappedGpu capped_gpu(const HostPowerModel& host, const PowerCapSpec& cap,
                            const PowerCapCurve& curve) {
  const double busy_w = gpu_busy_board_w(host);
  CappedGpu gpu;
  gpu.board_w = capped_board_w(host, cap);
  gpu.saving_w = busy_w - gpu.board_w;
  gpu.fraction = busy_w > 0 ? gpu.board_w / busy_w : 1;
  gpu.load = capped_core_load(host, cap);
  gpu.time_factor = gpu.fraction >= curve.min_fraction()
                        ? curve.time_factor(gpu.fraction)
                        : std::numeric_limits<double>::quiet_NaN();  // below the curve
  return gpu;
}

}  // namespace mlcycle
