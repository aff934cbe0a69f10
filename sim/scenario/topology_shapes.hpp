#pragma once
// SimGrid's topo_parameters for the cluster topologies of generated platforms: chosen to hold a
// node count, or a user's checked against it. Pure functions (no SimGrid): unit-tested.
#include <cstdint>
#include <string>

#include "scenario/platform_generator.hpp"

namespace mlcycle {

inline constexpr std::uint32_t kMaxSwitchPorts = 64;  // down ports of one fat-tree switch

// "" and `error` set when no shape of `topology` holds exactly `nodes`.
std::string choose_topology_parameters(Topology topology, std::uint32_t nodes, std::string& error);
// `given` as it is when well formed and holding exactly `nodes`; else `error`.
std::string check_topology_parameters(Topology topology, const std::string& given,
                                      std::uint32_t nodes, std::string& error);
// The <cluster topology="..."> value: FAT_TREE, TORUS, DRAGONFLY (star: FLAT).
const char* simgrid_topology_tag(Topology topology);

}  // namespace mlcycle
