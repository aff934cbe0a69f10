#pragma once
// Generated platforms: SimGrid platform XML for clusters described by catalog names and counts
// (`mlcycle platform`, a scenario's [[cluster]] tables), with the properties the loader reads.
// Reference: docs/hardware.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "scenario/hardware_catalog.hpp"

namespace mlcycle {

enum class Topology { star, fat_tree, torus, dragonfly };

struct GeneratedCluster {
  std::string name;
  std::string gpu;   // accelerator id of the catalog
  std::string host;  // host profile id; empty: none
  std::uint32_t nodes = 0;
  std::uint32_t gpus_per_node = 0;  // 0: the host profile's
  Topology topology = Topology::star;
  std::string topology_parameters;  // SimGrid's topo_parameters; empty: chosen from `nodes`
  double link_bps = 100e9;          // each node's link
  double latency_s = 1e-6;
  std::string region;  // grid_region; empty: the scenario's only region
  std::optional<double> pue;
  std::optional<double> node_overhead_w;  // default: the host profile's busy overhead, else 0
  SourceLocation where;                   // the table, or the command line
  std::string key;                        // "cluster[0]"; empty: the command line
};

// Between clusters (several in one platform): one link per pair of cluster routers.
struct WideAreaLink {
  double bps = 10e9;
  double latency_s = 5e-3;
};

// The SimGrid topo_parameters that holds `nodes` in `topology` (`given` checked, else chosen);
// an InputError at `cluster` when none can.
std::string topology_parameters(const GeneratedCluster& cluster);

// The whole platform file; every cluster checked against `catalog`.
std::string generate_platform_xml(const std::vector<GeneratedCluster>& clusters,
                                  const HardwareCatalog& catalog, const WideAreaLink& wan = {});

// Cluster ids and grid regions become SimGrid names and XML attribute values: letters, digits,
// '_' and '-' only.
bool plain_name(const std::string& name);

// "star", "fat-tree", "torus", "dragonfly".
std::optional<Topology> parse_topology(const std::string& name);
const char* topology_name(Topology topology);

}  // namespace mlcycle
