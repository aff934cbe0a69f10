#include "engine/deployment_driver.hpp"
#include "core/special_values.hpp"
#include "engine/deployment_running.hpp"

#include <algorithm>
#include <cmath>

#include "core/seed_stream.hpp"
#include "core/units.hpp"

namespace mlcycle {

namespace {

std::uint32_t find_region(const GridRegistry& grid, const DeploymentSpec& d) {
  if (d.region.empty()) {
    if (grid.size() != 1)
      throw InputError(d.region_where, "deployment." + d.name + ".region",
                       "the scenario has several grid regions: name the one vehicles charge from");
    return 0;
  }
  for (std::uint32_t r = 0; r < grid.size(); ++r)
    if (grid.name(r) == d.region) return r;
  throw InputError(d.region_where, "deployment." + d.name + ".region",
                   "'" + d.region + "' is not a [grid.<region>] of the scenario");
}

// g CO2 per kWh of on-board electricity made from fuel (see workload/fleet_load.hpp).
double ice_g_per_kwh(const IceSpec& ice) {
  return ice.fuel_co2_kg_per_l * 1000 /
         (ice.fuel_kwh_per_l * ice.engine_efficiency * ice.alternator_efficiency);
}
}  // namespace

std::vector<std::uint32_t> make_fleet_sites(const Scenario& scenario, FacilitySites& sites,
                                            const GridRegistry& grid) {
  std::vector<std::uint32_t> out(scenario.deployments.size(), 0);
  for (std::size_t i = 0; i < scenario.deployments.size(); ++i) {
    const DeploymentSpec& d = scenario.deployments[i];
    if (d.kind != DeploymentKind::fleet) continue;
    if (d.fleet.source == FleetSource::ev) {
      // Vehicles charge outside any datacenter (PUE 1), on a site of their own: a site's power
      // is the sum of its hosts and loads, and the fleet's must not mix with the hosts'.
      out[i] = sites.site(find_region(grid, d), "fleet:" + d.name,
                          std::make_shared<ConstantSignal>(1.0));
    } else {
      if (!d.region.empty())
        throw InputError(d.region_where, "deployment." + d.name + ".region",
                         "an ice fleet burns fuel: it draws from no grid region");
      out[i] = sites.direct_site("fuel:" + d.name, ice_g_per_kwh(d.fleet.ice));
    }
  }
  return out;
}

DeploymentDriver::DeploymentDriver(const Scenario& scenario, const LoadedPlatform& platform,
                                   PowerMeter& meter, JobScheduler& scheduler,
                                   const StagePlan& stages, std::vector<std::uint32_t> fleet_sites)
    : scenario_(scenario),
      platform_(platform),
      meter_(meter),
      scheduler_(scheduler),
      stages_(stages),
      fleet_sites_(std::move(fleet_sites)) {
  for (std::size_t i = 0; i < scenario.deployments.size(); ++i) {
    const DeploymentSpec& d = scenario.deployments[i];
    auto run = std::make_unique<Running>();
    if (d.after.empty()) run->start_s = d.start_s;
    if (d.kind == DeploymentKind::serving) {
      const std::vector<std::uint32_t>& listed = platform.deployment_cluster_lists.at(i);
      if (listed.empty()) run->regions.emplace_back().cluster = platform.deployment_clusters.at(i);
      for (std::uint32_t cluster : listed) run->regions.emplace_back().cluster = cluster;
    }
    run->max_replicas = d.serving.autoscaler.max_replicas;
    run->active_w = d.fleet.active_w;
    run->idle_w = d.fleet.idle_w;
    running_.push_back(std::move(run));
    DeploymentResult result;
    result.name = d.name;
    result.kind = enum_name(d.kind);
    results_.push_back(result);
  }
}

DeploymentDriver::~DeploymentDriver() = default;

double DeploymentDriver::next_event_s() const {
  double next = kNever;
  for (const auto& run : running_) {
    if (run->state == Running::State::waiting) next = std::min(next, run->start_s);
    if (run->state == Running::State::running) next = std::min({next, run->next_s, run->end_s});
  }
  return next;
}

bool DeploymentDriver::busy() const {
  for (std::size_t i = 0; i < running_.size(); ++i) {
    const Running& run = *running_[i];
    if (run.state == Running::State::running || run.state == Running::State::starting) return true;
    if (run.state == Running::State::waiting && run.start_s != kNever) return true;
  }
  return false;
}

void DeploymentDriver::on_stage_run_finished(const StageRunEvent& event, bool stage_done) {
  for (std::size_t i = 0; i < running_.size(); ++i) {
    const DeploymentSpec& d = scenario_.deployments[i];
    Running& run = *running_[i];
    const std::string& stage = scenario_.stages[event.stage].name;
    if (stage_done && d.after == stage && run.state == Running::State::waiting &&
        run.start_s == kNever)
      run.start_s = event.time_s;
    if (d.kind == DeploymentKind::fleet && d.stage_updates == stage &&
        run.state == Running::State::running) {
      if (d.update_active_w >= 0) run.active_w = d.update_active_w;
      if (d.update_idle_w >= 0) run.idle_w = d.update_idle_w;
      // Pushed over the air: vehicles take it from the fleet's next power change on.
      run.fleet->apply_update(
          std::max(event.time_s, run.next_s == kNever ? event.time_s : run.next_s), run.active_w,
          run.idle_w);
      ++results_[i].updates;
      if (auto step = run.fleet->next()) {
        run.next_s = step->time_s;
        run.next_power_w = step->power_w;
      }
    }
  }
}

void DeploymentDriver::start(std::size_t i, double now_s) {
  const DeploymentSpec& d = scenario_.deployments[i];
  Running& run = *running_[i];
  const std::uint64_t seed = mix_seed(mix_seed(scenario_.simulation.seed) ^ mix_seed(0xDE00 + i));
  run.end_s = now_s + d.duration_s;
  if (d.kind == DeploymentKind::serving) {
    if (!start_serving(i, now_s, seed)) return;
  } else {
    run.fleet.emplace(d.fleet, scenario_.simulation.start, now_s, run.end_s, seed);
    run.load = meter_.add_load(fleet_sites_[i], Phase::inference,
                               static_cast<std::uint32_t>(scenario_.campaigns.size() + i));
    if (auto step = run.fleet->next()) {
      run.next_s = step->time_s;
      run.next_power_w = step->power_w;
    }
  }
  results_[i].start_s = now_s;
  run.state = Running::State::running;
}

void DeploymentDriver::step(std::size_t i, double now_s) {
  Running& run = *running_[i];
  while (run.next_s <= now_s) {
    if (!run.regions.empty()) {
      apply_serving_step(i);
    } else {
      meter_.set_load_power(run.load, run.next_power_w);
      auto step = run.fleet->next();
      run.next_s = step ? step->time_s : kNever;
      run.next_power_w = step ? step->power_w : 0;
    }
  }
}

void DeploymentDriver::stop(std::size_t i, double now_s) {
  Running& run = *running_[i];
  DeploymentResult& result = results_[i];
  result.end_s = now_s;
  if (!run.regions.empty()) {
    stop_serving(i, now_s);
  } else {
    meter_.set_load_power(run.load, 0);
    const PowerMeter::LoadTotals totals = meter_.load_totals(run.load);
    const FleetStats stats = run.fleet->stats();
    result.it_energy_j = totals.it_energy_j;
    result.energy_j = totals.energy_j;
    result.co2_g = totals.co2_g;
    result.vehicles_end = stats.vehicles_end;
    result.vehicle_days = stats.vehicle_days;
    result.driving_hours = stats.driving_hours;
    result.onboard_energy_j = stats.onboard_energy_j;
    result.fuel_l = stats.fuel_l;
  }
  if (result.served > 0) {
    result.wh_per_request = result.energy_j / 3600.0 / result.served;
    result.co2_g_per_request = result.co2_g / result.served;
  }
  run.state = Running::State::done;
}

void DeploymentDriver::advance(double now_s) {
  for (std::size_t i = 0; i < running_.size(); ++i) {
    Running& run = *running_[i];
    if ((run.state == Running::State::waiting && run.start_s <= now_s) ||
        run.state == Running::State::starting)
      start(i, now_s);
    if (run.state != Running::State::running) continue;
    step(i, std::min(now_s, run.end_s));
    if (run.end_s <= now_s) stop(i, run.end_s);
  }
}

std::vector<DeploymentResult> DeploymentDriver::finish(double now_s) {
  for (std::size_t i = 0; i < running_.size(); ++i) {
    Running& run = *running_[i];
    if (run.state == Running::State::running) {
      step(i, now_s);
      stop(i, now_s);
    }
  }
  return results_;
}

}  // namespace mlcycle
