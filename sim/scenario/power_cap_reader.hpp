#pragma once
// Reader of a campaign's `power_cap = { limit = ... }` table; see docs/scenarios.md.
#include <vector>

#include "scenario/power_cap_spec.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

PowerCapSpec read_power_cap(TomlTableReader& t);
// The `[power_cap.<cluster>]` tables of the scenario's root.
std::vector<ClusterPowerCap> read_cluster_power_caps(TomlTableReader& root);

}  // namespace mlcycle
