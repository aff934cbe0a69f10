#include "engine/simulation.hpp"

#include <algorithm>
#include <limits>
#include <memory>

#include <simgrid/plugins/energy.h>
#include <simgrid/version.h>
#include <xbt/log.h>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "accounting/carbon_cap_schedule.hpp"
#include "accounting/grid_placement.hpp"
#include "accounting/grid_routing.hpp"
#include "accounting/pue_profiles.hpp"
#include "accounting/shift_policies.hpp"
#include "core/seed_stream.hpp"
#include "engine/deployment_driver.hpp"
#include "engine/lifecycle_runner.hpp"
#include "engine/platform_loader.hpp"
#include "engine/power_cap_setup.hpp"
#include "engine/work_sizing.hpp"
#include "grid/grid_registry.hpp"
#include "scenario/policy_switch.hpp"
#include "workload/replay_census.hpp"

namespace mlcycle {

namespace sg4 = simgrid::s4u;

namespace {

// SimGrid 3.32 keeps about 3.6 kB per host of a <cluster> (the host, its CPU, its two
// split-duplex links and their solver constraints, the cluster's properties copied to each
// host): a 1,000,000-host cluster takes 3.4 GB. A job running on each GPU keeps about 440 B in
// the lifecycle core and the scheduler (heaptrack on tests/perf/trials-1m-100kgpu-generated.toml:
// 30.4 + 11.2 + 2.4 MB reserved for 100,000 GPUs).
constexpr double kPlatformBytesPerHost = 3.6e3;
constexpr double kRunningJobBytesPerGpu = 440;

std::size_t expected_run_bytes(std::uint64_t hosts, std::uint64_t gpus) {
  return static_cast<std::size_t>(kPlatformBytesPerHost * static_cast<double>(hosts) +
                                  kRunningJobBytesPerGpu * static_cast<double>(gpus));
}

std::string simgrid_library_version() {
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

// Our command line was parsed before this point: SimGrid sees only the program name, and its
// settings arrive through the options.
std::unique_ptr<sg4::Engine> make_engine(const EngineOptions& options) {
  int argc = 1;
  char program[] = "mlcycle";
  char* argv[] = {program, nullptr};
  auto engine = std::make_unique<sg4::Engine>(&argc, argv);
  if (options.on_engine_created) options.on_engine_created();
  xbt_log_control_set("root.thres:warning");
  // The platform was checked before SimGrid reads it; its parser's deprecation notes would
  // only add lines around mlcycle's own messages (--sg-log can turn them back on).
  xbt_log_control_set("surf_parse.thres:error");
  xbt_log_control_set("parse.thres:error");
  for (const std::string& setting : options.sg_log) xbt_log_control_set(setting.c_str());
  for (const std::string& setting : options.sg_cfg) {
    try {
      sg4::Engine::set_config(setting);
    } catch (const std::exception& e) {
      // SimGrid appends its whole list of keys to the message: keep the first line.
      std::string message = e.what();
      message = message.substr(0, message.find('\n'));
      throw InputError(SourceLocation{"command line", 0, 0}, "--sg-cfg " + setting, message);
    }
  }
  return engine;
}

std::vector<GridRegionUse> describe_grid_use(const GridRegistry& grid, double end_s) {
  std::vector<GridRegionUse> uses;
  for (std::size_t r = 0; r < grid.size(); ++r) {
    const GridRegionInfo& info = grid.info(r);
    GridRegionUse use{grid.name(r), info.kind, info.source, {}, {}, info.mix_sources, {}};
    if (auto timeline = grid.timeline(r)) {
      timeline->ensure_through(end_s);
      for (std::size_t i = 0; i < timeline->start_s().size(); ++i) {
        if (i > 0 && timeline->start_s()[i] >= end_s) break;
        use.time_s.push_back(timeline->start_s()[i]);
        use.intensity_g_per_kwh.push_back(timeline->values()[i]);
        if (!info.mix_sources.empty()) {
          std::vector<double> mw = info.generation_mw(timeline->origins()[i]);
          mw.resize(info.mix_sources.size(), std::numeric_limits<double>::quiet_NaN());
          use.generation_mw.insert(use.generation_mw.end(), mw.begin(), mw.end());
        }
      }
    } else {
      use.time_s.push_back(0);
      use.intensity_g_per_kwh.push_back(grid.signal(r).value_at(0));
    }
    uses.push_back(std::move(use));
  }
  return uses;
}

// The site of a cluster's first host (a cluster's hosts normally share one site).
const FacilitySite& cluster_site(const LoadedPlatform& platform, const FacilitySites& sites,
                                 std::uint32_t cluster) {
  const FacilitySite& site =
      sites[platform.hosts.at(platform.clusters.at(cluster).hosts.at(0)).site];
  if (site.region == kNoRegion) throw std::logic_error("a cluster draws no grid power");
  return site;
}

// The CO2e rates (PUE x intensity) of the sites of a placed campaign's clusters.
std::vector<std::shared_ptr<const StepSignal>> placement_carbon(const LoadedPlatform& platform,
                                                                const FacilitySites& sites,
                                                                std::size_t campaign) {
  std::vector<std::shared_ptr<const StepSignal>> carbon;
  for (std::uint32_t cluster : platform.campaign_cluster_lists.at(campaign))
    carbon.push_back(cluster_site(platform, sites, cluster).carbon);
  return carbon;
}

// Each campaign placed over several clusters: its placement (round-robin, or by their grids).
std::vector<std::unique_ptr<JobPlacement>> make_placements(const Scenario& scenario,
                                                           const LoadedPlatform& platform,
                                                           const FacilitySites& sites) {
  std::vector<std::unique_ptr<JobPlacement>> placements(scenario.campaigns.size());
  for (std::size_t c = 0; c < scenario.campaigns.size(); ++c) {
    if (!scenario.campaigns[c].placement) continue;
    constexpr std::uint64_t kPlacementPurpose = 0x91AC'E000'0000'0000;
    placements[c] =
        make_placement(scenario.campaigns[c], platform.campaign_cluster_lists.at(c),
                       placement_carbon(platform, sites, c),
                       mix_seed(scenario.simulation.seed ^ kPlacementPurpose ^ (c + 1)));
  }
  return placements;
}

// Each serving deployment routed by the grid over several clusters: its lowest-now router.
std::vector<std::unique_ptr<RequestRouter>> make_routers(const Scenario& scenario,
                                                         const LoadedPlatform& platform,
                                                         const FacilitySites& sites) {
  std::vector<std::unique_ptr<RequestRouter>> routers(scenario.deployments.size());
  for (std::size_t d = 0; d < scenario.deployments.size(); ++d) {
    if (!routes_by_grid(scenario.deployments[d])) continue;
    std::vector<std::shared_ptr<const StepSignal>> carbon;
    for (std::uint32_t cluster : platform.deployment_cluster_lists.at(d))
      carbon.push_back(cluster_site(platform, sites, cluster).carbon);
    routers[d] = std::make_unique<LowestNowRouter>(std::move(carbon));
  }
  return routers;
}

// Whether every host of a placed campaign's clusters draws alike: then a job draws the same IT
// power wherever it is placed, and its best cluster bounds it exactly.
bool clusters_draw_alike(const LoadedPlatform& platform, std::size_t campaign) {
  const std::vector<std::uint32_t>& listed = platform.campaign_cluster_lists.at(campaign);
  const HostPowerModel& first = platform.hosts.at(platform.clusters.at(listed.front()).hosts.at(0));
  for (std::uint32_t cluster : listed)
    for (std::uint32_t host : platform.clusters.at(cluster).hosts) {
      const HostPowerModel& h = platform.hosts.at(host);
      if (h.cores != first.cores || h.idle_w != first.idle_w || h.epsilon_w != first.epsilon_w ||
          h.all_cores_w != first.all_cores_w || h.overhead_w != first.overhead_w)
        return false;
    }
  return true;
}

// Each shifting campaign's policy reads the grid region and CO2e rate of its cluster's first
// host (a cluster's hosts normally share one site).
std::vector<std::unique_ptr<ReleasePolicy>> make_release_policies(const Scenario& scenario,
                                                                  const LoadedPlatform& platform,
                                                                  const FacilitySites& sites) {
  std::vector<std::unique_ptr<ReleasePolicy>> policies(scenario.campaigns.size());
  for (std::size_t c = 0; c < scenario.campaigns.size(); ++c) {
    const CampaignSpec& campaign = scenario.campaigns[c];
    if (!campaign.shift) continue;
    const FacilitySite& site = cluster_site(platform, sites, platform.campaign_clusters.at(c));
    policies[c] = make_release_policy(campaign, sites.grid().shared_signal(site.region),
                                      site.carbon, mix_seed(scenario.simulation.seed ^ (c + 1)));
  }
  return policies;
}

// Each carbon-cap campaign's and serving deployment's schedule reads the grid region of its
// cluster's first host.
CapSchedules make_cap_schedules(const Scenario& scenario, const LoadedPlatform& platform,
                                const FacilitySites& sites) {
  auto schedule = [&](const std::optional<PowerCapSpec>& cap, std::uint32_t cluster_index) {
    std::unique_ptr<CapSchedule> made;
    if (!cap || cap->policy != CapPolicy::carbon_cap) return made;
    const FacilitySite& site = cluster_site(platform, sites, cluster_index);
    made = std::make_unique<IntensityCapSchedule>(sites.grid().shared_signal(site.region),
                                                  cap->threshold_g_per_kwh);
    return made;
  };
  CapSchedules schedules;
  for (std::size_t c = 0; c < scenario.campaigns.size(); ++c)
    schedules.campaigns.push_back(
        schedule(scenario.campaigns[c].power_cap, platform.campaign_clusters.at(c)));
  for (std::size_t d = 0; d < scenario.deployments.size(); ++d)
    schedules.deployments.push_back(
        schedule(scenario.deployments[d].serving.power_cap, platform.deployment_clusters.at(d)));
  return schedules;
}

// The tally of `tallied`'s shifting campaigns (none: no tally), with the bound's signals when
// this run shifts them itself.
std::optional<PolicyTally> make_policy_tally(const Scenario& tallied, const Scenario& running,
                                             const LoadedPlatform& platform,
                                             const FacilitySites& sites, RunRecorder& recorder) {
  std::vector<TalliedCampaign> campaigns(tallied.campaigns.size());
  bool any = false;
  // Paused work can beat every contiguous start, and a cap changes a job's length and power:
  // the window bound over fixed-length, fixed-power jobs would not bound them.
  // A job placed on clusters that draw differently would draw differently elsewhere.
  bool bounded = true;
  for (std::size_t c = 0; c < tallied.campaigns.size(); ++c) {
    const CampaignSpec& campaign = tallied.campaigns[c];
    if ((campaign.shift && campaign.shift->policy == ShiftPolicy::suspend_resume) ||
        campaign.power_cap || (places_by_grid(campaign) && !clusters_draw_alike(platform, c)))
      bounded = false;
  }
  for (std::size_t c = 0; c < campaigns.size(); ++c) {
    const CampaignSpec& campaign = tallied.campaigns[c];
    if (!under_policy(campaign)) continue;
    any = true;
    campaigns[c].under_policy = true;
    // A campaign that only caps has no window: none of its starts is late.
    campaigns[c].slack_s =
        campaign.shift ? campaign.shift->slack_s : std::numeric_limits<double>::infinity();
    if (!bounded || c >= running.campaigns.size()) continue;
    if (running.campaigns[c].shift)
      campaigns[c].carbon = {
          cluster_site(platform, sites, platform.campaign_clusters.at(c)).carbon};
    // A placed job's bound: its best cluster at its ready time (its window has no slack).
    if (places_by_grid(running.campaigns[c])) {
      campaigns[c].carbon = placement_carbon(platform, sites, c);
      campaigns[c].window_s = 0;
    }
  }
  if (!any) return std::nullopt;
  return std::optional<PolicyTally>(std::in_place, recorder, std::move(campaigns));
}

// The clusters' caps given to their campaigns and serving deployments.
Scenario with_platform_caps(const Scenario& scenario, const LoadedPlatform& platform) {
  return with_cluster_caps(scenario, platform.cluster_names, platform.campaign_clusters,
                           platform.deployment_clusters);
}

}  // namespace

PlatformCheck check_platform(const Scenario& given, const EngineOptions& options) {
  auto engine = make_engine(options);
  // Each replay's log, read once: its job count and largest job, for the platform's checks.
  const Scenario scenario = with_replays_read(given);
  install_power_property_check(scenario);
  GridRegistry grid(scenario.grids, scenario.simulation.start.unix_s, scenario.simulation.seed);
  FacilitySites sites(grid);
  LoadedPlatform platform = load_platform(*engine, scenario, sites, make_pue_signals(scenario));
  make_fleet_sites(scenario, sites, grid);
  std::vector<WorkRate> work_rates;
  with_work_lengths(scenario, platform, work_rates);
  with_replay_speeds(scenario, platform);
  // Checked against the clusters' GPUs, the clusters' own caps included.
  resolve_power_caps(with_platform_caps(scenario, platform), platform);
  PlatformCheck check;
  check.cluster_names = platform.cluster_names;
  check.hosts = platform.hosts.size();
  for (const ClusterGpus& c : platform.clusters) {
    std::uint64_t gpus = 0;
    for (std::uint32_t cores : c.cores) gpus += cores;
    check.cluster_gpus.push_back(gpus);
  }
  // SimGrid 3.32 loads a 1,000,000-host cluster in 30 s of CPU (done twice: the pre-flight
  // child, then the run); a cluster's GPU pool keeps one bitmap of its hosts per possible
  // free-GPU count (cores + 1).
  constexpr double kLoadCpuPerHostS = 30e-6;
  double pool_bytes = 0;
  for (const ClusterGpus& c : platform.clusters) {
    std::uint32_t max_cores = 0;
    for (std::uint32_t cores : c.cores) max_cores = std::max(max_cores, cores);
    pool_bytes += (max_cores + 1.0) * (c.hosts.size() / 8.0 + 64);
  }
  check.expected_load_cpu_s = 2 * kLoadCpuPerHostS * static_cast<double>(check.hosts);
  check.expected_memory_mb =
      (kPlatformBytesPerHost * static_cast<double>(check.hosts) + pool_bytes) / 1e6;
  return check;
}

RunOutcome run_simulation(const Scenario& unread, RunRecorder& recorder,
                          const EngineOptions& options) {
  auto engine = make_engine(options);
  const Scenario given = with_replays_read(unread);

  install_power_property_check(given);
  if (given.simulation.engine == EngineMode::exec) sg_host_energy_plugin_init();

  GridRegistry grid(given.grids, given.simulation.start.unix_s, given.simulation.seed);
  FacilitySites sites(grid);
  const auto pue_profiles = make_pue_signals(given);
  LoadedPlatform platform = load_platform(
      *engine, given, sites, pue_profiles, [&options](std::uint64_t hosts, std::uint64_t gpus) {
        if (options.on_platform_sized) options.on_platform_sized(expected_run_bytes(hosts, gpus));
      });
  // From here on the clusters' caps are the campaigns' and deployments' own, and compute-sized
  // trials have their length.
  std::vector<WorkRate> work_rates;
  const Scenario scenario = with_replay_speeds(
      with_work_lengths(with_platform_caps(given, platform), platform, work_rates), platform);
  const Scenario tallied =
      options.tally_shifts_of
          ? with_replay_speeds(
                with_platform_caps(with_replays_read(*options.tally_shifts_of), platform), platform)
          : scenario;

  RunOutcome outcome;
  outcome.provenance.simgrid_version = simgrid_library_version();
  outcome.cluster_names = platform.cluster_names;
  for (const DeploymentSpec& deployment : tallied.deployments)
    outcome.deployments_under_policy.push_back(under_policy(deployment));
  std::vector<std::uint32_t> fleet_sites = make_fleet_sites(scenario, sites, grid);
  std::optional<PolicyTally> tally =
      make_policy_tally(tallied, scenario, platform, sites, recorder);
  RunRecorder& records = tally ? static_cast<RunRecorder&>(*tally) : recorder;
  PowerMeter meter(platform.hosts, sites, scenario.accounting.price_per_kwh,
                   scenario.output.trace_step_s, records);
  meter.set_sources(scenario.campaigns.size(), scenario.deployments.size());
  // The runner owns the run's state; the actor only borrows it (it outlives engine->run()).
  const std::vector<std::unique_ptr<ReleasePolicy>> policies =
      make_release_policies(scenario, platform, sites);
  LifecycleRunner runner(scenario, platform, meter, records, outcome, std::move(fleet_sites));
  runner.set_release_policies(policies);
  runner.set_work_rates(std::move(work_rates));
  const std::vector<std::unique_ptr<JobPlacement>> placements =
      make_placements(scenario, platform, sites);
  runner.set_placements(placements);
  const std::vector<std::unique_ptr<RequestRouter>> routers =
      make_routers(scenario, platform, sites);
  runner.set_routers(routers);
  const CapSchedules cap_schedules = make_cap_schedules(scenario, platform, sites);
  runner.set_power_caps(resolve_power_caps(scenario, platform), cap_schedules);
  outcome.provenance.scheduler_context = runner.drives_clock() ? "main" : "actor";
  if (runner.drives_clock()) {
    runner();
  } else {
    sg4::Actor::create("scheduler", platform.scheduler_sg_host, [&runner] { runner(); });
    engine->run();
  }
  if (outcome.failure) std::rethrow_exception(outcome.failure);
  if (!runner.finished())
    throw std::runtime_error("the simulation stopped at " +
                             std::to_string(sg4::Engine::get_clock()) +
                             " s before its end: SimGrid found its actors waiting on each other "
                             "(a transfer between hosts without a route?)");
  if (tally) outcome.shift_figures = tally->take();
  outcome.grid = describe_grid_use(grid, outcome.summary.makespan_s);
  return outcome;
}

}  // namespace mlcycle
