#pragma once
// GPU power caps against the platform: each host's run-time curve (property power_cap_curve,
// else the default), and each capped campaign's cap checked against its cluster's GPUs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "workload/power_cap_curve.hpp"

namespace mlcycle {

struct LoadedPlatform;

// The index in `curves` of the curve `raw` (nullptr: the default, index 0), added when new;
// bad text is an InputError at "host <host>: power_cap_curve".
std::uint32_t intern_cap_curve(std::vector<PowerCapCurve>& curves, const char* raw,
                               const std::string& file, const std::string& host);

struct CampaignPowerCap {
  PowerCapSpec spec;
  // A job computes at its slowest GPU's pace: the largest factor over the cluster's hosts.
  double time_factor = 1;
};

// Per campaign, its cap (none: uncapped). The cap must lie above each GPU's idle share
// (Epsilon / c), at most at its busy power (AllCores / c) and on its host's curve: else an
// InputError at the campaign's `power_cap.limit`.
std::vector<std::optional<CampaignPowerCap>> resolve_power_caps(const Scenario& scenario,
                                                                const LoadedPlatform& platform);

}  // namespace mlcycle
