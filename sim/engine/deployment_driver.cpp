#include "engine/deployment_driver.hpp"

#include <algorithm>
#include <cmath>

#include "core/seed_stream.hpp"
#include "core/units.hpp"

namespace mlcycle {

namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();

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

struct DeploymentDriver::Running {
  enum class State { waiting, starting, running, done } state = State::waiting;
  double start_s = kNever;  // known once its stage finished (or its start_at)
  double end_s = kNever;
  std::uint32_t cluster = 0;
  std::optional<ServingLoad> serving;
  std::optional<ActiveJob> job;
  std::optional<FleetLoad> fleet;
  std::uint32_t load = 0;
  double next_s = kNever;  // the next step
  double next_power_w = 0;
  double active_w = 0, idle_w = 0;  // fleet powers in force
  double parked_replica_w = 0;      // serving: a reserved replica slot without a replica
  std::uint32_t max_replicas = 0;
  std::uint32_t next_replicas = 0;     // held in the next step
  std::optional<ServingStep> pending;  // serving: the next step, fetched ahead
  std::optional<ServingStep> current;  // serving: the step in force
  ServingStats applied;                // serving: the steps in force so far, whole
};

namespace {
void add_step(ServingStats& stats, const ServingStep& step, double fraction) {
  stats.offered += fraction * step.offered;
  stats.served += fraction * step.served;
  stats.dropped += fraction * step.dropped;
  stats.late += fraction * step.late;
  stats.replica_seconds +=
      fraction * step.duration_s * (step.replicas_active + step.replicas_loading);
  stats.max_replicas_used =
      std::max(stats.max_replicas_used, step.replicas_active + step.replicas_loading);
  if (step.replica_capacity_per_s > 0)
    stats.busy_replica_seconds += fraction * step.served / step.replica_capacity_per_s;
}
}  // namespace

// The next serving step: its replicas' power plus the parked slots of the reservation.
void DeploymentDriver::take_serving_step(Running& run) {
  std::optional<ServingStep> step = run.serving->next();
  if (!step) {
    run.next_s = kNever;
    return;
  }
  const std::uint32_t held = step->replicas_active + step->replicas_loading;
  run.pending = step;
  run.next_s = step->time_s;
  run.next_replicas = held;
  run.next_power_w =
      step->power_w + (run.max_replicas - std::min(run.max_replicas, held)) * run.parked_replica_w;
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
    if (d.kind == DeploymentKind::serving) run->cluster = platform.deployment_clusters.at(i);
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

// A capped replica serves each batch curve(p / b) times slower and draws its GPUs' saving
// b - p less at full load (its idle power is not capped); it must stay at or above idle.
std::optional<ServingCap> DeploymentDriver::serving_cap(
    std::size_t i, const HostPowerModel& host, const ReplicaPowerDefaults& defaults) const {
  if (i >= caps_.size() || !caps_[i]) return std::nullopt;
  const CampaignPowerCap& cap = *caps_[i];
  const double saving_w = capped_replica_saving_w(
      cap.spec, scenario_.deployments[i].serving.replica, host, defaults, i);
  return ServingCap{cap.time_factor, saving_w,
                    i < cap_schedules_.size() ? cap_schedules_[i] : nullptr};
}

void DeploymentDriver::start(std::size_t i, double now_s) {
  const DeploymentSpec& d = scenario_.deployments[i];
  Running& run = *running_[i];
  const std::uint64_t seed = mix_seed(mix_seed(scenario_.simulation.seed) ^ mix_seed(0xDE00 + i));
  run.end_s = now_s + d.duration_s;
  if (d.kind == DeploymentKind::serving) {
    const std::uint32_t reserved = d.serving.autoscaler.max_replicas * d.serving.replica.gpus;
    GpuPool& pool = scheduler_.pool(run.cluster);
    std::optional<Allocation> allocation = pool.allocate(reserved);
    if (!allocation) {
      run.state = Running::State::starting;  // waits for GPUs; tried again at every event
      return;
    }
    run.end_s = now_s + d.duration_s;
    // A replica with its model loaded idles at its GPUs' share of a busy node's idle power and
    // serves at their busy power; a reserved GPU without a replica draws the idle share too.
    const HostPowerModel& h = platform_.hosts[allocation->front().host];
    const double gpus = d.serving.replica.gpus;
    run.parked_replica_w = gpus * h.idle_gpu_it_power_w();
    const ReplicaPowerDefaults defaults{gpus * h.idle_gpu_it_power_w(),
                                        gpus * h.busy_gpu_it_power_w()};
    run.serving.emplace(d.serving, defaults, scenario_.simulation.start, now_s, run.end_s, seed,
                        serving_cap(i, h, defaults));
    for (std::uint32_t host : pool.woken()) meter_.set_host_state(host, HostPowerState::on);
    JobStart start;
    start.request.phase = Phase::inference;
    // The meter tags sources past the campaigns as deployments (its per-source series).
    start.request.campaign = static_cast<std::uint32_t>(scenario_.campaigns.size() + i);
    start.request.gpus = reserved;
    start.request.submit_s = run.start_s;
    start.allocation = std::move(*allocation);
    start.cluster = run.cluster;
    run.job = meter_.start_job(std::move(start), true);
    take_serving_step(run);
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
    if (run.serving) {
      meter_.set_job_power(*run.job, run.next_power_w);
      meter_.set_deployment_replicas(static_cast<std::uint32_t>(i), run.next_replicas);
      run.current = run.pending;
      add_step(run.applied, *run.current, 1.0);
      take_serving_step(run);
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
  if (run.serving) {
    meter_.set_deployment_replicas(static_cast<std::uint32_t>(i), 0);
    const JobRecord record = meter_.end_job(*run.job, JobStatus::completed, false);
    scheduler_.pool(run.cluster).release(run.job->start.allocation);
    if (on_release_) on_release_(run.job->start.allocation, now_s);
    // The requests of the steps in force; a step the run's end cuts counts pro rata.
    ServingStats stats = run.applied;
    if (run.current && run.current->duration_s > 0) {
      const double unserved =
          1 - std::clamp((now_s - run.current->time_s) / run.current->duration_s, 0.0, 1.0);
      if (unserved > 0) add_step(stats, *run.current, -unserved);
    }
    result.gpu_hours = record.gpu_hours;
    result.it_energy_j = record.it_energy_j;
    result.energy_j = record.energy_j;
    result.co2_g = record.co2_g;
    result.requests = stats.offered;
    result.served = stats.served;
    result.dropped = stats.dropped;
    result.late = stats.late;
    result.replica_hours = stats.replica_seconds / units::kSecondsPerHour;
    result.max_replicas = stats.max_replicas_used;
    // A replica serving at utilization u for D seconds keeps its GPUs at work for u x D: the
    // requests it served over its capacity per second.
    const double replica_gpus = scenario_.deployments[i].serving.replica.gpus;
    result.reserved_gpus = run.job->start.request.gpus;
    // Under a cap the capacity changes from step to step: the steps' own sum.
    const bool capped = i < caps_.size() && caps_[i];
    result.busy_gpu_hours = (capped ? stats.busy_replica_seconds
                                    : result.served / run.serving->capacity_per_replica_per_s()) *
                            replica_gpus / units::kSecondsPerHour;
    if (result.gpu_hours > 0) {
      result.reserved_utilization = result.replica_hours * replica_gpus / result.gpu_hours;
      result.activity_utilization = result.busy_gpu_hours / result.gpu_hours;
    }
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
