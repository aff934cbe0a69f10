#pragma once
// An inference deployment ([[deployment]]): a trained model served from a datacenter or run on
// board a fleet of vehicles, on the same timeline as the training that produced it.
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "core/input_error.hpp"
#include "scenario/fleet_spec.hpp"
#include "scenario/serving_spec.hpp"

namespace mlcycle {

enum class DeploymentKind { serving, fleet };
inline constexpr EnumName<DeploymentKind> kDeploymentKindNames[] = {
    {DeploymentKind::serving, "serving"}, {DeploymentKind::fleet, "fleet"}};
constexpr std::span<const EnumName<DeploymentKind>> enum_names(DeploymentKind) {
  return kDeploymentKindNames;
}

struct DeploymentSpec {
  std::string name;
  DeploymentKind kind = DeploymentKind::serving;
  // Starts when the stage `after` finishes, else at `start_s` (seconds since the scenario start).
  std::string after;
  double start_s = 0;
  double duration_s = 0;        // how long it runs once started
  std::string stage_updates;    // fleet: every finished run of this stage pushes a model update
  double update_active_w = -1;  // fleet: on-board powers after an update (negative: unchanged)
  double update_idle_w = -1;    // negative: unchanged
  std::string cluster;          // serving: the cluster whose GPUs hold the replicas
  // serving over several clusters (empty: `cluster` alone); `cluster` is then the first, where
  // the requests arrive. Each holds max_replicas x replica.gpus GPUs.
  std::vector<std::string> clusters;
  std::string region;  // fleet: the grid region vehicles charge from (ev)
  SourceLocation cluster_where;
  SourceLocation after_where;
  SourceLocation updates_where;
  SourceLocation max_replicas_where;
  SourceLocation region_where;
  ServingSpec serving;  // kind = serving
  FleetSpec fleet;      // kind = fleet
  SourceLocation where;
};

}  // namespace mlcycle
