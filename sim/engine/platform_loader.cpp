#include "engine/platform_loader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <simgrid/kernel/ProfileBuilder.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <sstream>

#include "engine/hardware_overrides.hpp"
#include "engine/platform_preflight.hpp"
#include "engine/platform_scan.hpp"
#include "engine/power_cap_setup.hpp"
#include "engine/state_profiles.hpp"
#include "engine/wattage_property.hpp"
#include "workload/replica_model.hpp"

namespace mlcycle {

namespace sg4 = simgrid::s4u;

namespace {

// The first bad wattage_per_state seen while SimGrid created the hosts (the callback cannot
// throw through SimGrid's parser, so it records the problem and repairs the value).
struct PendingPropertyError {
  std::string host;
  std::string key;
  std::string message;
};
std::optional<PendingPropertyError>& pending_error() {
  static std::optional<PendingPropertyError> error;
  return error;
}

std::string harmless_wattage(unsigned long pstates) {
  std::string value;
  for (unsigned long i = 0; i < pstates; ++i) value += (i ? ",0:0:0" : "0:0:0");
  return value;
}

// Marks a host that came without wattage_per_state (it is then given 0 W so that the energy
// plugin, which aborts on hosts without one, can run; campaigns may not use such hosts).
constexpr const char* kNoWattageMark = "mlcycle_wattage_missing";

void check_host_power_properties(sg4::Host& host) {
  apply_hardware_override(host);
  const char* raw = host.get_property("wattage_per_state");
  if (!raw) {
    host.set_property(kNoWattageMark, "1");
    host.set_property("wattage_per_state", harmless_wattage(host.get_pstate_count()));
    return;
  }
  std::string error;
  auto states = parse_wattage_per_state(raw, error);
  if (states && states->size() != host.get_pstate_count())
    error = "has " + std::to_string(states->size()) + " entries but the host has " +
            std::to_string(host.get_pstate_count()) + " pstate(s) (one speed per pstate)";
  if (error.empty()) return;
  if (!pending_error())
    pending_error() = PendingPropertyError{host.get_name(), "wattage_per_state", error};
  host.set_property("wattage_per_state", harmless_wattage(host.get_pstate_count()));
}

const char* inherited_property(const sg4::Host& host, const std::string& key) {
  if (const char* value = host.get_property(key)) return value;
  // In 3.32 the root zone's get_parent() dereferences a null parent: stop at the root.
  const sg4::NetZone* root = sg4::Engine::get_instance()->get_netzone_root();
  for (const sg4::NetZone* zone = host.get_englobing_zone(); zone; zone = zone->get_parent()) {
    if (const char* value = zone->get_property(key)) return value;
    if (zone == root) break;
  }
  return nullptr;
}

InputError host_error(const std::string& file, const std::string& host, const std::string& key,
                      const std::string& message) {
  return InputError(SourceLocation{file, 0, 0}, "host " + host + ": " + key, message);
}

double number_property(const std::string& file, const sg4::Host& host, const std::string& key,
                       double fallback, double min_value) {
  const char* raw = inherited_property(host, key);
  if (!raw) return fallback;
  char* end = nullptr;
  const double value = std::strtod(raw, &end);
  if (end == raw || *end != '\0' || !std::isfinite(value))
    throw host_error(file, host.get_name(), key, std::string("'") + raw + "' is not a number");
  if (value < min_value) {
    std::ostringstream bound;  // 0 or 1, not 0.000000
    bound << min_value;
    throw host_error(file, host.get_name(), key,
                     "must be at least " + bound.str() + ", got " + raw);
  }
  return value;
}

using PueProfiles = std::map<std::string, std::shared_ptr<const StepSignal>>;

// The host's site: its region and its PUE (the scenario's override, else its own property,
// a number or a profile name).
std::uint32_t host_site(const std::string& file, const sg4::Host& host, const Scenario& scenario,
                        FacilitySites& sites, const PueProfiles& profiles) {
  const GridRegistry& grid = sites.grid();
  std::uint32_t region = 0;
  if (const char* name = inherited_property(host, "grid_region")) {
    auto index = grid.find(name);
    if (!index)
      throw host_error(file, host.get_name(), "grid_region",
                       std::string("'") + name + "' is not a [grid.<region>] of the scenario");
    region = static_cast<std::uint32_t>(*index);
  } else if (grid.size() != 1) {
    throw host_error(file, host.get_name(), "grid_region",
                     "missing, and the scenario defines several grid regions: name one");
  }
  // A cluster's own [hardware.<cluster>] pue is the most specific: it wins.
  if (const char* pue = host.get_property(kHardwarePueProperty))
    return sites.site(region, std::strtod(pue, nullptr));
  const AccountingSpec& acc = scenario.accounting;
  if (!acc.pue_profile.empty())
    return sites.site(region, acc.pue_profile, profiles.at(acc.pue_profile));
  if (acc.pue) return sites.site(region, *acc.pue);
  const char* raw = inherited_property(host, "pue");
  if (raw && profiles.count(raw)) return sites.site(region, raw, profiles.at(raw));
  if (raw) {
    char* end = nullptr;
    const double value = std::strtod(raw, &end);
    if (end == raw || *end != '\0' || !std::isfinite(value))
      throw host_error(file, host.get_name(), "pue",
                       std::string("'") + raw + "' is neither a number nor a [pue.<name>] profile");
  }
  return sites.site(region, number_property(file, host, "pue", 1.0, 1.0));
}

HostPowerModel describe_host(const std::string& file, const sg4::Host& host,
                             const Scenario& scenario, FacilitySites& sites,
                             const PueProfiles& profiles) {
  HostPowerModel model;
  model.name = host.get_name();
  model.cores = static_cast<std::uint32_t>(host.get_core_count());
  if (const char* raw = host.get_property("wattage_per_state")) {
    std::string error;
    auto states = parse_wattage_per_state(raw, error);
    const PstateWattage& w = states->at(host.get_pstate());
    model.idle_w = w.idle_w;
    model.epsilon_w = w.epsilon_w;
    model.all_cores_w = w.all_cores_w;
  }
  model.overhead_w = number_property(file, host, "node_overhead_w", 0.0, 0.0);
  model.off_w = number_property(file, host, "wattage_off", 0.0, 0.0);
  model.boot_w =
      number_property(file, host, "boot_power_w", model.all_cores_w + model.overhead_w, 0.0);
  model.boot_s = number_property(file, host, "boot_time_s", 0.0, 0.0);
  model.site = host_site(file, host, scenario, sites, profiles);
  return model;
}

std::string list_names(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

// The cluster a campaign or deployment names (the only one when it names none), checked to
// have known power and at least `gpus` GPUs.
std::uint32_t resolve_cluster(const LoadedPlatform& platform, const std::string& name,
                              const SourceLocation& where, const std::string& key,
                              std::uint64_t gpus, const SourceLocation& gpus_where,
                              const std::string& gpus_key, const std::string& asked = "") {
  std::uint32_t cluster = 0;
  if (name.empty()) {
    if (platform.cluster_names.size() != 1)
      throw InputError(where, key,
                       "the platform has several clusters (" + list_names(platform.cluster_names) +
                           "): name one");
  } else {
    auto it = std::find(platform.cluster_names.begin(), platform.cluster_names.end(), name);
    if (it == platform.cluster_names.end())
      throw InputError(where, key,
                       "unknown cluster '" + name +
                           "' (the platform has: " + list_names(platform.cluster_names) + ")");
    cluster = static_cast<std::uint32_t>(it - platform.cluster_names.begin());
  }
  const ClusterGpus& cluster_gpus = platform.clusters[cluster];
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < cluster_gpus.hosts.size(); ++i) {
    total += cluster_gpus.cores[i];
    const sg4::Host* host = platform.sg_hosts[cluster_gpus.hosts[i]];
    if (host->get_property(kNoWattageMark))
      throw InputError(where, key,
                       "host " + host->get_name() +
                           " of the cluster has no wattage_per_state: its energy is unknown");
  }
  if (gpus > total)
    throw InputError(gpus_where, gpus_key,
                     (asked.empty() ? std::to_string(gpus) + " GPUs asked" : asked) +
                         ", but cluster '" + platform.cluster_names[cluster] + "' has only " +
                         std::to_string(total));
  return cluster;
}

void resolve_clusters(LoadedPlatform& platform, const Scenario& scenario) {
  for (std::size_t index = 0; index < scenario.campaigns.size(); ++index) {
    const CampaignSpec& c = scenario.campaigns[index];
    const std::string key =
        c.replay ? "replay." + c.name : "campaign[" + std::to_string(index) + "]";
    const std::string cluster_key = key + (c.clusters.empty() ? ".cluster" : ".clusters");
    // A replay's gang is its largest logged job.
    const std::string gpus_key = c.replay ? key : key + ".gpus_per_trial";
    const std::string asked =
        c.replay ? "its largest logged job asks " + std::to_string(c.gpus_per_trial) + " GPUs" : "";
    std::vector<std::uint32_t> listed;
    for (const std::string& name : c.clusters)
      listed.push_back(resolve_cluster(platform, name, c.cluster_where, cluster_key,
                                       c.gpus_per_trial, c.gpus_where, gpus_key, asked));
    platform.campaign_clusters.push_back(
        listed.empty() ? resolve_cluster(platform, c.cluster, c.cluster_where, cluster_key,
                                         c.gpus_per_trial, c.gpus_where, gpus_key, asked)
                       : listed.front());
    platform.campaign_cluster_lists.push_back(std::move(listed));
  }
  for (std::size_t index = 0; index < scenario.deployments.size(); ++index) {
    const DeploymentSpec& d = scenario.deployments[index];
    if (d.kind != DeploymentKind::serving) {
      platform.deployment_clusters.push_back(0);
      platform.deployment_cluster_lists.emplace_back();
      continue;
    }
    const std::string key = "deployment[" + std::to_string(index) + "]";
    const std::uint64_t gpus =
        std::uint64_t{d.serving.autoscaler.max_replicas} * d.serving.replica.gpus;
    const std::string asked = "max_replicas " + std::to_string(d.serving.autoscaler.max_replicas) +
                              " x replica.gpus " + std::to_string(d.serving.replica.gpus) + " = " +
                              std::to_string(gpus) + " GPUs held";
    const std::string cluster_key = key + (d.clusters.empty() ? ".cluster" : ".clusters");
    // Each listed cluster holds a whole reservation of its own.
    auto resolve_serving = [&](const std::string& name) {
      const std::uint32_t cluster =
          resolve_cluster(platform, name, d.cluster_where, cluster_key, gpus, d.max_replicas_where,
                          key + ".autoscaler.max_replicas", asked);
      // Replicas lost with a failing node (and re-placed) are not modelled: refuse the case.
      for (std::uint32_t host : platform.clusters[cluster].hosts)
        if (platform.profiles.failing_hosts.count(platform.sg_hosts[host]->get_name()))
          throw InputError(d.cluster_where, cluster_key,
                           "host " + platform.sg_hosts[host]->get_name() +
                               " of the cluster has a state_file: serving on nodes that fail is "
                               "not modelled");
      // An LLM replica's tensor-parallel group shares one node's GPUs (NVLink).
      const ClusterGpus& gpus_of = platform.clusters[cluster];
      const std::uint32_t node_gpus = *std::max_element(gpus_of.cores.begin(), gpus_of.cores.end());
      if (d.serving.replica.llm && d.serving.replica.gpus > node_gpus)
        throw InputError(d.serving.replica.llm->replica.where, key + ".llm.tensor_parallel",
                         std::to_string(d.serving.replica.gpus) + " GPUs, but the nodes of " +
                             name + " hold at most " + std::to_string(node_gpus));
      // The replica's watts in force (the platform's where the scenario gives none) must allow a
      // busy replica to draw at least its idle power: checked here so `check` finds it too.
      const HostPowerModel& node = platform.hosts[platform.clusters[cluster].hosts.front()];
      const double gpus_per_replica = d.serving.replica.gpus;
      ReplicaModel(d.serving.replica,
                   ReplicaPowerDefaults{gpus_per_replica * node.idle_gpu_it_power_w(),
                                        gpus_per_replica * node.busy_gpu_it_power_w(),
                                        gpus_per_replica * node.overhead_w / node.cores});
      return cluster;
    };
    std::vector<std::uint32_t> listed;
    for (const std::string& name : d.clusters) listed.push_back(resolve_serving(name));
    platform.deployment_clusters.push_back(listed.empty() ? resolve_serving(d.cluster)
                                                          : listed.front());
    platform.deployment_cluster_lists.push_back(std::move(listed));
  }
}

// Hands SimGrid the host profiles mlcycle read and checked (it never opens the files itself).
void attach_profiles(sg4::Engine& engine, const PlatformScan& scan) {
  using simgrid::kernel::profile::ProfileBuilder;
  for (std::size_t i = 0; i < scan.profiles.size(); ++i) {
    const ProfileAttachment& p = scan.profiles[i];
    const std::string key = p.element + " " + p.id + ": " + p.attribute;
    // Profile names must be unique in SimGrid (it aborts otherwise): number them.
    auto* profile = ProfileBuilder::from_string("mlcycle " + std::to_string(i) + " " + key,
                                                simgrid_profile_text(p.profile), -1);
    sg4::Host* host = engine.host_by_name_or_null(p.id);
    if (!host) throw InputError(p.where, key, "SimGrid created no host '" + p.id + "'");
    if (p.kind == ProfileKind::state)
      host->set_state_profile(profile);
    else
      host->set_speed_profile(profile);
  }
}

PlatformProfiles host_state_profiles(const PlatformScan& scan) {
  PlatformProfiles profiles;
  for (const ProfileAttachment& p : scan.profiles)
    if (p.element == "host" && p.kind == ProfileKind::state) {
      profiles.failing_hosts.insert(p.id);
      profiles.states[p.id] = p.profile;
    }
  return profiles;
}

// A scenario of fleets only needs no cluster, but SimGrid needs a host for mlcycle's scheduler
// actor: one host of its own, outside the accounted platform (no power, no GPU, no /hosts row).
LoadedPlatform scheduler_only_platform(const Scenario& scenario) {
  sg4::NetZone* zone = sg4::create_full_zone("mlcycle");
  sg4::Host* host = zone->create_host("mlcycle-scheduler", 1.0);
  host->seal();
  zone->seal();
  LoadedPlatform platform;
  platform.scheduler_sg_host = host;
  platform.deployment_clusters.assign(scenario.deployments.size(), 0);  // fleets: no cluster
  platform.deployment_cluster_lists.assign(scenario.deployments.size(), {});
  return platform;
}

}  // namespace

void install_power_property_check(const Scenario& scenario) {
  set_hardware_overrides(scenario.cluster_hardware);
  sg4::Host::on_creation_cb(check_host_power_properties);
}

LoadedPlatform load_platform(
    sg4::Engine& engine, const Scenario& scenario, FacilitySites& sites,
    const PueProfiles& pue_profiles,
    const std::function<void(std::uint64_t hosts, std::uint64_t gpus)>& on_scanned) {
  const bool generated = !scenario.generated_platform_xml.empty();
  const std::string& file = generated ? scenario.source_path : scenario.simulation.platform_path;
  if (file.empty()) {
    check_hardware_overrides({});  // a [hardware.<cluster>] names a cluster there is not
    return scheduler_only_platform(scenario);
  }
  const PlatformScan scan =
      generated ? scan_platform_text(scenario.generated_platform_xml, file) : scan_platform(file);
  // SimGrid reads the checked text (profile attributes blanked) from memory, first in a child
  // process: what it would abort on becomes an InputError here. A platform mlcycle generated
  // from checked [[cluster]] tables needs no such pre-flight.
  const MemoryFile xml("mlcycle-platform");
  xml.write_all(scan.simgrid_xml);
  if (!generated) preflight_platform(engine, xml.path(), file);
  if (on_scanned) on_scanned(scan.hosts, scan.gpus);
  try {
    engine.load_platform(xml.path());
  } catch (const std::exception& e) {
    throw simgrid_load_failure("", e.what(), 0, 0, xml.path(), file);
  }
  attach_profiles(engine, scan);
  PlatformProfiles profiles = host_state_profiles(scan);
  if (auto& error = pending_error())
    throw host_error(file, error->host, error->key, error->message);

  LoadedPlatform platform;
  platform.sg_hosts = engine.get_all_hosts();
  if (platform.sg_hosts.empty())
    throw InputError(SourceLocation{file, 0, 0}, "platform", "the platform has no host");
  for (std::uint32_t i = 0; i < platform.sg_hosts.size(); ++i) {
    const sg4::Host& host = *platform.sg_hosts[i];
    HostPowerModel model = describe_host(file, host, scenario, sites, pue_profiles);
    model.cap_curve = intern_cap_curve(
        platform.cap_curves, inherited_property(host, "power_cap_curve"), file, model.name);
    const std::string& cluster = host.get_englobing_zone()->get_name();
    auto it = std::find(platform.cluster_names.begin(), platform.cluster_names.end(), cluster);
    if (it == platform.cluster_names.end()) {
      platform.cluster_names.push_back(cluster);
      platform.clusters.emplace_back();
      const char* accelerator = inherited_property(host, "accelerator");
      platform.cluster_accelerators.push_back(accelerator ? accelerator : "");
      it = platform.cluster_names.end() - 1;
    }
    model.cluster = static_cast<std::uint32_t>(it - platform.cluster_names.begin());
    platform.clusters[model.cluster].hosts.push_back(i);
    platform.clusters[model.cluster].cores.push_back(model.cores);
    platform.hosts.push_back(std::move(model));
  }
  check_hardware_overrides(platform.cluster_names);
  platform.profiles = std::move(profiles);
  resolve_clusters(platform, scenario);
  // The scheduler actor dies with its host: it lives on the first host that never fails.
  platform.scheduler_host = static_cast<std::uint32_t>(platform.sg_hosts.size());
  for (std::uint32_t i = 0; i < platform.sg_hosts.size(); ++i)
    if (!platform.profiles.failing_hosts.count(platform.sg_hosts[i]->get_name())) {
      platform.scheduler_host = i;
      break;
    }
  if (platform.scheduler_host == platform.sg_hosts.size())
    throw InputError(SourceLocation{file, 0, 0}, "platform",
                     "every host has a state_file: mlcycle's scheduler needs one host that never "
                     "fails");
  platform.scheduler_sg_host = platform.sg_hosts[platform.scheduler_host];
  return platform;
}

}  // namespace mlcycle
