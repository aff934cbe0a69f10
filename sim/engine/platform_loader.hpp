#pragma once
// Loads a SimGrid platform and turns it into the plain model the accounting and dispatch use:
// one HostPowerModel per host (a GPU node: one core per GPU) and the clusters' GPU lists.
// Our properties are looked up on the host, then on its zones outward, so they may sit on a
// <cluster> or an enclosing <zone>:
//   node_overhead_w: CPU + DRAM watts while the node is on (default 0)
//   pue: the datacenter's PUE, a number or the name of a [pue.<name>] profile (default 1.0;
//        [accounting] pue wins, and over it [hardware.<cluster>] pue)
//   grid_region: name of a [grid.<region>] of the scenario (default: the only region)
//   power_cap_curve: run-time factor under a GPU power cap (workload/power_cap_curve.hpp)
//   accelerator: the GPUs' hardware catalog id (generated platforms write it), for `work`
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>

#include <map>
#include <memory>

#include "accounting/facility_sites.hpp"
#include "accounting/host_power.hpp"
#include "engine/state_profiles.hpp"
#include "grid/grid_registry.hpp"
#include "scenario/scenario.hpp"
#include "workload/job_scheduler.hpp"
#include "workload/power_cap_curve.hpp"

namespace mlcycle {

struct LoadedPlatform {
  std::vector<HostPowerModel> hosts;
  std::vector<simgrid::s4u::Host*> sg_hosts;  // same order as `hosts`
  std::vector<std::string> cluster_names;
  std::vector<ClusterGpus> clusters;
  // Each cluster's accelerator (property `accelerator` of its first host: a catalog id; empty:
  // none named), for compute-sized work.
  std::vector<std::string> cluster_accelerators;
  std::vector<std::uint32_t> campaign_clusters;  // cluster index of each campaign (the first)
  // Each campaign's `clusters` (spatial shifting; empty: its one cluster).
  std::vector<std::vector<std::uint32_t>> campaign_cluster_lists;
  std::vector<std::uint32_t> deployment_clusters;  // serving: the cluster holding its replicas
  // Each serving deployment's `clusters` (carbon-aware routing; empty: its one cluster).
  std::vector<std::vector<std::uint32_t>> deployment_cluster_lists;
  std::uint32_t scheduler_host = 0;  // where the scheduler actor runs: a host that never fails
  // That host; without a platform file (fleets only), a host of mlcycle's own outside `hosts`.
  simgrid::s4u::Host* scheduler_sg_host = nullptr;
  PlatformProfiles profiles;  // the hosts' state profiles (node failures)
  // The run-time curves under a GPU power cap (property power_cap_curve); 0 is the default.
  std::vector<PowerCapCurve> cap_curves{PowerCapCurve::default_curve()};
};

// Must run before Engine::load_platform is called by anyone else and, in exec mode, before the
// host energy plugin is initialised: it checks wattage_per_state as hosts are created, so a bad
// value becomes an InputError instead of the plugin's abort. It also puts the scenario's
// [hardware.<cluster>] figures on the hosts first (engine/hardware_overrides.hpp).
void install_power_property_check(const Scenario& scenario);

// Hosts get their facility site (grid region x PUE signal) from `sites`. `on_scanned`, when
// given, learns the platform's hosts and GPUs once its file is scanned, before SimGrid builds it.
LoadedPlatform load_platform(
    simgrid::s4u::Engine& engine, const Scenario& scenario, FacilitySites& sites,
    const std::map<std::string, std::shared_ptr<const StepSignal>>& pue_profiles,
    const std::function<void(std::uint64_t hosts, std::uint64_t gpus)>& on_scanned = {});

}  // namespace mlcycle
