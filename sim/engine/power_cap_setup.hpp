#pragma once
// GPU power caps against the platform: each host's run-time curve (property power_cap_curve,
// else the default), and each capped campaign's cap checked against its cluster's GPUs.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "workload/cap_schedule.hpp"
#include "workload/power_cap_curve.hpp"

namespace mlcycle {

struct LoadedPlatform;
struct HostPowerModel;
struct ReplicaPowerDefaults;

// The watts a capped serving replica on `host` draws less at full load, gpus x (b - p); an
// InputError at deployment[index].power_cap.limit when that would take its busy power (its own
// or `defaults`) below its idle power.
double capped_replica_saving_w(const PowerCapSpec& cap, const ReplicaSpec& replica,
                               const HostPowerModel& host, const ReplicaPowerDefaults& defaults,
                               std::size_t index);

// The index in `curves` of the curve `raw` (nullptr: the default, index 0), added when new;
// bad text is an InputError at "host <host>: power_cap_curve".
std::uint32_t intern_cap_curve(std::vector<PowerCapCurve>& curves, const char* raw,
                               const std::string& file, const std::string& host);

// An LLM replica's cap (workload/llm_replica.hpp): watts a GPU and the compute's time factor,
// the curve of `host` at cap / the GPU's busy power (the llm table's, else the platform's).
// InputError at deployment[index].power_cap.limit for a measured table (no capped rows), a
// cap above the GPU's busy power, at or below its idle power, below the curve, or below a
// memory-bound decode step's draw (the model slows compute, not memory reads).
struct LlmGpuCap {
  double cap_w = 0;
  double time_factor = 1;
};
LlmGpuCap llm_gpu_cap(const PowerCapSpec& cap, const LlmServingSpec& llm,
                      const HostPowerModel& host, const PowerCapCurve& curve, std::size_t index);

struct CampaignPowerCap {
  PowerCapSpec spec;
  // A job computes at its slowest GPU's pace: the largest factor over the cluster's hosts.
  double time_factor = 1;
};

struct ResolvedPowerCaps {
  std::vector<std::optional<CampaignPowerCap>> campaigns;    // per [[campaign]]
  std::vector<std::optional<CampaignPowerCap>> deployments;  // per [[deployment]] (serving)
};

// Per campaign and serving deployment, its cap (none: uncapped). The cap must lie above each
// GPU's idle share (Epsilon / c) of its cluster, at most at its busy power (AllCores / c) and
// on its host's curve: else an InputError at its `power_cap.limit`.
ResolvedPowerCaps resolve_power_caps(const Scenario& scenario, const LoadedPlatform& platform);

// When each carbon-cap campaign's and serving deployment's cap holds (nullptr: always, or no
// cap), built by the simulation from the grid.
struct CapSchedules {
  std::vector<std::unique_ptr<CapSchedule>> campaigns, deployments;
};

}  // namespace mlcycle
