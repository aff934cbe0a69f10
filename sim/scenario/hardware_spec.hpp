#pragma once
// `[hardware.<cluster>]`: power figures of one cluster of the platform, replacing its XML
// properties for this run, so that they can be set with --set and swept with --vary.
#include <optional>
#include <string>

#include "core/input_error.hpp"

namespace mlcycle {

struct ClusterHardware {
  std::string cluster;
  // Watts of one GPU busy, and of one GPU idle on a node that is on (a node with no job draws
  // its GPUs' idle watts). Per node they become wattage_per_state = k*idle : k*idle : k*busy.
  std::optional<double> busy_w;
  std::optional<double> idle_w;
  std::optional<double> node_overhead_w;  // per node, whatever its load
  std::optional<double> pue;              // the cluster's facility PUE, a constant
  SourceLocation where;                   // the table
};

}  // namespace mlcycle
