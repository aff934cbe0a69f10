#pragma once
// Reader of the `[hardware.<cluster>]` tables; see docs/scenarios.md. The cluster names are
// checked against the platform when it loads (engine/platform_loader.cpp).
#include <vector>

#include "scenario/hardware_spec.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

std::vector<ClusterHardware> read_cluster_hardware(TomlTableReader& root);

}  // namespace mlcycle
