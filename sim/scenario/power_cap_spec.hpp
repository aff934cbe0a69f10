#pragma once
// A GPU power cap on a campaign's jobs (`power_cap = { limit = ... }` of a [[campaign]]): each
// GPU of its jobs draws at most the cap instead of its busy power, and computes slower by the
// platform's run-time curve, always or (carbon-cap) while the grid is dirty
// (docs/carbon-aware.md, Power capping).
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/enum_names.hpp"
#include "core/input_error.hpp"

namespace mlcycle {

// always: the cap holds for the whole run. carbon-cap: only while the intensity of the
// cluster's grid region is above `threshold_g_per_kwh`; running jobs switch as it crosses.
enum class CapPolicy : std::uint8_t { always, carbon_cap };
inline constexpr EnumName<CapPolicy> kCapPolicyNames[] = {{CapPolicy::always, "always"},
                                                          {CapPolicy::carbon_cap, "carbon-cap"}};
constexpr std::span<const EnumName<CapPolicy>> enum_names(CapPolicy) {
  return kCapPolicyNames;
}

struct PowerCapSpec {
  // Exactly one of the two: watts per GPU, or a fraction in (0, 1] of the GPU's busy power
  // (its share of the node's AllCores).
  std::optional<double> limit_w;
  std::optional<double> fraction;
  CapPolicy policy = CapPolicy::always;
  double threshold_g_per_kwh = 0;  // carbon-cap: capped while the intensity is above it
  SourceLocation where;            // the `limit` key, for errors found once the platform is loaded
};

// `[power_cap.<cluster>]`: the cap of every campaign and serving deployment on that cluster
// that has no `power_cap` of its own.
struct ClusterPowerCap {
  std::string cluster;
  PowerCapSpec cap;
  SourceLocation where;  // the table
};

}  // namespace mlcycle
