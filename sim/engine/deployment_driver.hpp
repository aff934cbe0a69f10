#pragma once
// Runs the scenario's [[deployment]]s beside the campaigns. A serving deployment holds its
// replicas' GPUs on its cluster for its whole life (taken from the cluster's pool before the
// queue is served, so it waits only for GPUs, not behind jobs) and its power follows the
// serving model step by step; a fleet draws its charging power (ev) or its on-board power at
// the fuel's emission factor (ice) at a site of its own, outside the platform's hosts.
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "accounting/facility_sites.hpp"
#include "accounting/power_meter.hpp"
#include "engine/platform_loader.hpp"
#include "engine/power_cap_setup.hpp"
#include "workload/fleet_load.hpp"
#include "workload/job_scheduler.hpp"
#include "workload/request_router.hpp"
#include "workload/serving_load.hpp"
#include "workload/stage_plan.hpp"

namespace mlcycle {

// Sites the fleets draw from, created before the meter (it sizes its site table once).
std::vector<std::uint32_t> make_fleet_sites(const Scenario& scenario, FacilitySites& sites,
                                            const GridRegistry& grid);

class DeploymentDriver {
 public:
  DeploymentDriver(const Scenario& scenario, const LoadedPlatform& platform, PowerMeter& meter,
                   JobScheduler& scheduler, const StagePlan& stages,
                   std::vector<std::uint32_t> fleet_sites);
  ~DeploymentDriver();
  DeploymentDriver(const DeploymentDriver&) = delete;
  DeploymentDriver& operator=(const DeploymentDriver&) = delete;

  // The next time something changes (a deployment starts, steps or ends).
  double next_event_s() const;
  // Starts, steps and ends what is due at `now_s`; serving deployments take their GPUs here.
  void advance(double now_s);
  // A stage run finished: starts deployments waiting for it, pushes fleet updates.
  void on_stage_run_finished(const StageRunEvent& event, bool stage_done);
  bool busy() const;  // something is waiting to start or running
  // Called with a serving reservation's GPUs when it ends (the runner arms power-offs).
  void on_release(std::function<void(const Allocation&, double)> callback) {
    on_release_ = std::move(callback);
  }
  // Per [[deployment]], its checked power cap and, for carbon-cap, its schedule (none: uncapped;
  // the schedules outlive the driver's run). Before the first advance().
  void set_power_caps(std::vector<std::optional<CampaignPowerCap>> caps,
                      std::vector<const CapSchedule*> schedules) {
    caps_ = std::move(caps);
    cap_schedules_ = std::move(schedules);
  }
  // Per [[deployment]], the router of a service over several clusters (nullptr: one cluster,
  // or nearest-first); the routers outlive the driver's run. Before the first advance().
  void set_routers(std::vector<const RequestRouter*> routers) { routers_ = std::move(routers); }
  // Ends whatever runs at `now_s` (the run's end) and returns the results.
  std::vector<DeploymentResult> finish(double now_s);

 private:
  struct Running;
  void start(std::size_t index, double now_s);
  void step(std::size_t index, double now_s);
  void stop(std::size_t index, double now_s);
  // Serving (deployment_serving.cpp): takes every region's GPUs, or none (false: it waits).
  bool start_serving(std::size_t index, double now_s, std::uint64_t seed);
  void apply_serving_step(std::size_t index);
  void stop_serving(std::size_t index, double now_s);
  void take_serving_step(Running& run);
  std::optional<ServingCap> serving_cap(std::size_t index, const HostPowerModel& host,
                                        const ReplicaPowerDefaults& defaults) const;

  const Scenario& scenario_;
  const LoadedPlatform& platform_;
  PowerMeter& meter_;
  JobScheduler& scheduler_;
  const StagePlan& stages_;
  std::vector<std::uint32_t> fleet_sites_;
  std::vector<std::unique_ptr<Running>> running_;
  std::vector<DeploymentResult> results_;
  std::function<void(const Allocation&, double)> on_release_;
  std::vector<std::optional<CampaignPowerCap>> caps_;
  std::vector<const CapSchedule*> cap_schedules_;
  std::vector<const RequestRouter*> routers_;
};

}  // namespace mlcycle
