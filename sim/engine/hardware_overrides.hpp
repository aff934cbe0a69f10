#pragma once
// The scenario's `[hardware.<cluster>]` power figures, put on the cluster's hosts as SimGrid
// creates them: before the host energy plugin reads wattage_per_state (exec engine) and before
// the loader reads our properties, so both see the same overridden values.
#include <string>
#include <vector>

#include <simgrid/s4u/Host.hpp>

#include "scenario/hardware_spec.hpp"

namespace mlcycle {

// The host property that carries a cluster's PUE override (it wins over [accounting] pue).
inline constexpr const char* kHardwarePueProperty = "mlcycle_hardware_pue";

// Before the platform loads (one set per process: a run loads one platform).
void set_hardware_overrides(const std::vector<ClusterHardware>& clusters);
// Called for each host as SimGrid creates it.
void apply_hardware_override(simgrid::s4u::Host& host);
// After loading: every override names a cluster of the platform and could be applied to all
// its hosts; else the InputError, located at the scenario's table.
void check_hardware_overrides(const std::vector<std::string>& cluster_names);

}  // namespace mlcycle
