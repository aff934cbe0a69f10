#include "engine/hardware_overrides.hpp"

#include <algorithm>
#include <optional>

#include <simgrid/s4u/NetZone.hpp>

#include "core/number_text.hpp"
#include "engine/wattage_property.hpp"

namespace mlcycle {

namespace sg4 = simgrid::s4u;

namespace {

struct OverrideState {
  std::vector<ClusterHardware> clusters;
  std::optional<InputError> problem;  // the first, thrown after loading
};

OverrideState& state() {
  static OverrideState overrides;
  return overrides;
}

void record(const ClusterHardware& hardware, const std::string& key, const std::string& message) {
  if (!state().problem)
    state().problem =
        InputError(hardware.where, "hardware." + hardware.cluster + "." + key, message);
}

void override_wattage(sg4::Host& host, const ClusterHardware& hardware) {
  const std::string key = hardware.busy_w ? "busy_w" : "idle_w";
  if (host.get_pstate_count() != 1) {
    record(hardware, key,
           "host " + host.get_name() + " has " + std::to_string(host.get_pstate_count()) +
               " pstates: give its wattage_per_state in the platform");
    return;
  }
  std::optional<PstateWattage> given;
  if (const char* raw = host.get_property("wattage_per_state")) {
    std::string error;
    auto states = parse_wattage_per_state(raw, error);
    if (!states || states->size() != 1) return;  // the property check reports it
    given = states->front();
  }
  if (!given && !(hardware.busy_w && hardware.idle_w)) {
    record(hardware, key,
           "host " + host.get_name() + " has no wattage_per_state: give both busy_w and idle_w");
    return;
  }
  const double gpus = static_cast<double>(host.get_core_count());
  PstateWattage watts = given.value_or(PstateWattage{});
  if (hardware.idle_w) watts.idle_w = watts.epsilon_w = gpus * *hardware.idle_w;
  if (hardware.busy_w) watts.all_cores_w = gpus * *hardware.busy_w;
  if (watts.all_cores_w < watts.epsilon_w) {
    record(hardware, key,
           "host " + host.get_name() + ": a busy GPU would draw " +
               shortest_text(watts.all_cores_w / gpus) + " W, below its idle " +
               shortest_text(watts.epsilon_w / gpus) + " W");
    return;
  }
  host.set_property("wattage_per_state", shortest_text(watts.idle_w) + ":" +
                                             shortest_text(watts.epsilon_w) + ":" +
                                             shortest_text(watts.all_cores_w));
}

}  // namespace

void set_hardware_overrides(const std::vector<ClusterHardware>& clusters) {
  state() = OverrideState{clusters, std::nullopt};
}

void apply_hardware_override(sg4::Host& host) {
  const std::string& zone = host.get_englobing_zone()->get_name();
  const auto& clusters = state().clusters;
  const auto found = std::find_if(clusters.begin(), clusters.end(),
                                  [&](const ClusterHardware& c) { return c.cluster == zone; });
  if (found == clusters.end()) return;
  if (found->node_overhead_w)
    host.set_property("node_overhead_w", shortest_text(*found->node_overhead_w));
  if (found->pue) host.set_property(kHardwarePueProperty, shortest_text(*found->pue));
  if (found->busy_w || found->idle_w) override_wattage(host, *found);
}

void check_hardware_overrides(const std::vector<std::string>& cluster_names) {
  for (const ClusterHardware& hardware : state().clusters) {
    if (std::find(cluster_names.begin(), cluster_names.end(), hardware.cluster) !=
        cluster_names.end())
      continue;
    std::string known;
    for (const std::string& name : cluster_names) known += (known.empty() ? "" : ", ") + name;
    throw InputError(
        hardware.where, "hardware." + hardware.cluster,
        "unknown cluster '" + hardware.cluster + "' (the platform has: " + known + ")");
  }
  if (state().problem) throw *state().problem;
}

}  // namespace mlcycle
