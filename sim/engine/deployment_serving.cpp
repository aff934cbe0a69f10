// The DeploymentDriver's serving deployments: their reservations, one per cluster holding
// replicas, the serving model stepped in each, the requests of each step routed between them
// (a service over several clusters), and the results summed over them.
#include <algorithm>

#include "core/special_values.hpp"
#include "core/units.hpp"
#include "engine/deployment_driver.hpp"
#include "engine/deployment_running.hpp"

namespace mlcycle {

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
  stats.static_energy_j += fraction * step.duration_s * step.static_w;
  if (!std::isnan(step.output_tokens)) {
    stats.input_tokens += fraction * step.input_tokens;
    stats.output_tokens += fraction * step.output_tokens;
  }
}

// An LLM region's step in the latency tallies: each segment's requests wait, then prefill
// their own prompt; all share the step's decode (TPOT). `fraction` < 0 takes a cut step back.
void tally_latencies(LatencyTally& ttft, LatencyTally& tpot, const ServingStep& step,
                     const ReplicaModel& replica, const std::vector<RequestSegment>& segments,
                     double fraction) {
  if (!(step.served > 0) || std::isnan(step.tpot_s)) return;
  double shares = 0;
  for (const RequestSegment& segment : segments) shares += segment.share;
  // (A measured table without a ttft_s column gives no TTFT: NaN.) A segment whose prompts
  // vary adds its mean exactly (prefill is linear in the tokens) and, to the quantiles, one
  // point per band of its prompt lengths, weighted as the band.
  if (!std::isnan(step.wait_s))
    for (const RequestSegment& segment : segments) {
      const double weight = fraction * step.served * segment.share / shares;
      const double mean_s = replica.llm()->first_token_s(step.wait_s, segment.input_tokens);
      if (segment.input_points.empty()) {
        ttft.add(mean_s, weight);
        continue;
      }
      ttft.add_to_mean(mean_s, weight);
      for (const TokenPoint& point : segment.input_points)
        ttft.add_to_quantiles(replica.llm()->first_token_s(step.wait_s, point.tokens),
                              weight * point.weight);
    }
  tpot.add(step.tpot_s, fraction * step.served);
}

// A region's step in the trace's levels: its requests and tokens a second, the latency sums
// (the step's mean TTFT over the mix is the wait plus the mean prompt's prefill, prefill being
// linear in the tokens), and its power with the static part.
void add_trace_levels(DeploymentLevels& levels, const ServingStep& step,
                      const ReplicaModel& replica, double it_w) {
  levels.it_w += it_w;
  levels.static_w += step.static_w;
  if (!(step.duration_s > 0) || !(step.served > 0)) return;
  const double served_per_s = step.served / step.duration_s;
  levels.served_per_s += served_per_s;
  levels.busy_replicas += served_per_s / step.replica_capacity_per_s;
  levels.late_per_s += step.late / step.duration_s;
  if (!replica.is_llm()) {
    levels.ttft_weighted = levels.tpot_weighted = kNaN;  // no TTFT or TPOT: NaN means in the bin
    return;
  }
  levels.input_tokens_per_s += step.input_tokens / step.duration_s;
  levels.output_tokens_per_s += step.output_tokens / step.duration_s;
  levels.ttft_weighted +=
      served_per_s * replica.llm()->first_token_s(step.wait_s, replica.mix().input_tokens);
  levels.tpot_weighted += served_per_s * step.tpot_s;
}

// One step of the whole service: its regions' steps summed (they share the replica model, so
// a replica serves as much in each).
ServingStep combined_step(const std::vector<ServingRegion>& regions) {
  ServingStep sum = *regions.front().pending;
  for (std::size_t r = 1; r < regions.size(); ++r) {
    const ServingStep& step = *regions[r].pending;
    sum.replicas_active += step.replicas_active;
    sum.replicas_loading += step.replicas_loading;
    sum.power_w += step.power_w;
    sum.offered += step.offered;
    sum.served += step.served;
    sum.dropped += step.dropped;
    sum.late += step.late;
    sum.static_w += step.static_w;
    sum.input_tokens += step.input_tokens;
    sum.output_tokens += step.output_tokens;
  }
  return sum;
}

}  // namespace

// A capped replica serves each batch curve(p / b) times slower and draws its GPUs' saving
// b - p less at full load (its idle power is not capped); it must stay at or above idle.
std::optional<ServingCap> DeploymentDriver::serving_cap(
    std::size_t i, const HostPowerModel& host, const ReplicaPowerDefaults& defaults) const {
  if (i >= caps_.size() || !caps_[i]) return std::nullopt;
  const CampaignPowerCap& cap = *caps_[i];
  const CapSchedule* schedule = i < cap_schedules_.size() ? cap_schedules_[i] : nullptr;
  if (const auto& llm = scenario_.deployments[i].serving.replica.llm) {
    const LlmGpuCap gpu =
        llm_gpu_cap(cap.spec, *llm, host, platform_.cap_curves.at(host.cap_curve), i);
    return ServingCap{gpu.time_factor, 0, schedule, gpu.cap_w};
  }
  const double saving_w = capped_replica_saving_w(
      cap.spec, scenario_.deployments[i].serving.replica, host, defaults, i);
  return ServingCap{cap.time_factor, saving_w, schedule};
}

bool DeploymentDriver::start_serving(std::size_t i, double now_s, std::uint64_t seed) {
  const DeploymentSpec& d = scenario_.deployments[i];
  Running& run = *running_[i];
  const std::uint32_t reserved = d.serving.autoscaler.max_replicas * d.serving.replica.gpus;
  // Every region's GPUs, or none: a region without room gives back what the others took (and
  // switches off again the nodes they woke), and the service waits for the next event.
  std::vector<Allocation> allocations;
  std::vector<std::vector<std::uint32_t>> woken;
  for (const ServingRegion& region : run.regions) {
    GpuPool& pool = scheduler_.pool(region.cluster);
    std::optional<Allocation> allocation = pool.allocate(reserved);
    if (!allocation) {
      for (std::size_t r = 0; r < allocations.size(); ++r) {
        GpuPool& taken = scheduler_.pool(run.regions[r].cluster);
        taken.release(allocations[r]);
        for (std::uint32_t host : woken[r]) taken.power_off(host);
      }
      run.state = Running::State::starting;  // waits for GPUs; tried again at every event
      return false;
    }
    allocations.push_back(std::move(*allocation));
    woken.push_back(pool.woken());
  }
  run.end_s = now_s + d.duration_s;
  run.router = i < routers_.size() ? routers_[i] : nullptr;
  for (std::size_t r = 0; r < run.regions.size(); ++r) {
    ServingRegion& region = run.regions[r];
    // A replica with its model loaded idles at its GPUs' share of a busy node's idle power and
    // serves at their busy power; a reserved GPU without a replica draws the idle share too.
    const HostPowerModel& h = platform_.hosts[allocations[r].front().host];
    const double gpus = d.serving.replica.gpus;
    region.parked_replica_w = gpus * h.idle_gpu_it_power_w();
    const ReplicaPowerDefaults defaults{gpus * h.idle_gpu_it_power_w(),
                                        gpus * h.busy_gpu_it_power_w(),
                                        gpus * h.overhead_w / h.cores};
    const double added_latency_s =
        d.serving.routing ? d.serving.routing->added_latency_ms.at(r) / 1000.0 : 0.0;
    region.serving.emplace(d.serving, defaults, scenario_.simulation.start, now_s, run.end_s, seed,
                           serving_cap(i, h, defaults), added_latency_s);
    region.room_per_s = d.serving.autoscaler.max_replicas *
                        region.serving->capacity_per_replica_per_s() *
                        d.serving.autoscaler.target_utilization;
    for (std::uint32_t host : woken[r]) meter_.set_host_state(host, HostPowerState::on);
    JobStart& start = region.reservation;
    start = JobStart{};
    start.request.phase = Phase::inference;
    // The meter tags sources past the campaigns as deployments (its per-source series).
    start.request.campaign = static_cast<std::uint32_t>(scenario_.campaigns.size() + i);
    start.request.gpus = reserved;
    start.request.submit_s = run.start_s;
    start.allocation = std::move(allocations[r]);
    start.cluster = region.cluster;
    region.job = meter_.start_job(start, true);
  }
  take_serving_step(run);
  return true;
}

// The next serving step of every region: its replicas' power plus the parked slots of its
// reservation. A service over several clusters shares the step's requests first.
void DeploymentDriver::take_serving_step(Running& run) {
  std::vector<ServingRegion>& regions = run.regions;
  if (regions.size() == 1) {
    regions.front().pending = regions.front().serving->next();
  } else if (const std::optional<double> offered = regions.front().serving->peek_offered()) {
    const double duration_s = regions.front().serving->next_duration_s();
    const double time_s = regions.front().serving->next_start_s();
    std::vector<double> room(regions.size());
    for (std::size_t r = 0; r < regions.size(); ++r) room[r] = regions[r].room_per_s * duration_s;
    if (run.router)
      run.router->order_at(time_s, run.order);
    else
      NearestRouter(regions.size()).order_at(time_s, run.order);
    const std::vector<double> shares = split_requests(*offered, run.order, room);
    for (std::size_t r = 0; r < regions.size(); ++r)
      regions[r].pending = regions[r].serving->next_routed(shares[r]);
  } else {
    for (ServingRegion& region : regions) region.pending.reset();
  }
  if (!regions.front().pending) {
    run.next_s = kNever;
    return;
  }
  run.next_s = regions.front().pending->time_s;
  for (ServingRegion& region : regions) {
    const ServingStep& step = *region.pending;
    const std::uint32_t held = step.replicas_active + step.replicas_loading;
    region.next_replicas = held;
    const double parked_w =
        (run.max_replicas - std::min(run.max_replicas, held)) * region.parked_replica_w;
    region.next_power_w = step.power_w + parked_w;
    region.pending->static_w += parked_w;
  }
}

void DeploymentDriver::apply_serving_step(std::size_t i) {
  Running& run = *running_[i];
  DeploymentLevels levels;
  for (ServingRegion& region : run.regions) {
    meter_.set_job_power(region.reservation, *region.job, region.next_power_w);
    levels.replicas += region.next_replicas;
    add_trace_levels(levels, *region.pending, region.serving->replica_of(*region.pending),
                     region.next_power_w);
  }
  meter_.set_deployment_levels(static_cast<std::uint32_t>(i), levels);
  run.current = run.regions.size() == 1 ? run.regions.front().pending : combined_step(run.regions);
  run.current_away = 0;
  for (std::size_t r = 1; r < run.regions.size(); ++r)
    run.current_away += run.regions[r].pending->served;
  add_step(run.applied, *run.current, 1.0);
  run.applied_away += run.current_away;
  run.current_regions.clear();
  const DeploymentSpec& d = scenario_.deployments[i];
  for (ServingRegion& region : run.regions) {
    run.current_regions.push_back(*region.pending);
    if (d.serving.replica.llm)
      tally_latencies(run.ttft, run.tpot, *region.pending,
                      region.serving->replica_of(*region.pending), d.serving.replica.llm->segments,
                      1.0);
  }
  take_serving_step(run);
}

void DeploymentDriver::stop_serving(std::size_t i, double now_s) {
  Running& run = *running_[i];
  DeploymentResult& result = results_[i];
  meter_.set_deployment_levels(static_cast<std::uint32_t>(i), DeploymentLevels{});
  result.reserved_gpus = 0;
  for (ServingRegion& region : run.regions) {
    const JobRecord record =
        meter_.end_job(region.reservation, *region.job, JobStatus::completed, false);
    scheduler_.pool(region.cluster).release(region.reservation.allocation);
    if (on_release_) on_release_(region.reservation.allocation, now_s);
    result.gpu_hours += record.gpu_hours;
    result.it_energy_j += record.it_energy_j;
    result.energy_j += record.energy_j;
    result.co2_g += record.co2_g;
    result.reserved_gpus += region.reservation.request.gpus;
  }
  // The requests of the steps in force; a step the run's end cuts counts pro rata.
  ServingStats stats = run.applied;
  double away = run.applied_away;
  if (run.current && run.current->duration_s > 0) {
    const double unserved =
        1 - std::clamp((now_s - run.current->time_s) / run.current->duration_s, 0.0, 1.0);
    if (unserved > 0) {
      add_step(stats, *run.current, -unserved);
      if (const auto& llm = scenario_.deployments[i].serving.replica.llm)
        for (std::size_t r = 0; r < run.current_regions.size(); ++r)
          tally_latencies(run.ttft, run.tpot, run.current_regions[r],
                          run.regions[r].serving->replica_of(run.current_regions[r]), llm->segments,
                          -unserved);
      away -= unserved * run.current_away;
    }
  }
  result.requests = stats.offered;
  result.served = stats.served;
  result.served_away = away;
  result.dropped = stats.dropped;
  result.late = stats.late;
  result.replica_hours = stats.replica_seconds / units::kSecondsPerHour;
  result.max_replicas = stats.max_replicas_used;
  // A replica serving at utilization u for D seconds keeps its GPUs at work for u x D: the
  // requests it served over its capacity per second.
  const double replica_gpus = scenario_.deployments[i].serving.replica.gpus;
  // Under a cap the capacity changes from step to step: the steps' own sum.
  const bool capped = i < caps_.size() && caps_[i];
  result.busy_gpu_hours =
      (capped ? stats.busy_replica_seconds
              : result.served / run.regions.front().serving->capacity_per_replica_per_s()) *
      replica_gpus / units::kSecondsPerHour;
  if (result.gpu_hours > 0) {
    result.reserved_utilization = result.replica_hours * replica_gpus / result.gpu_hours;
    result.activity_utilization = result.busy_gpu_hours / result.gpu_hours;
  }
  result.static_energy_j = stats.static_energy_j;
  if (scenario_.deployments[i].serving.replica.llm) {
    result.input_tokens = stats.input_tokens;
    result.output_tokens = stats.output_tokens;
    result.j_per_output_token = stats.output_tokens > 0 ? result.energy_j / stats.output_tokens
                                                        : std::numeric_limits<double>::quiet_NaN();
    result.ttft_mean_s = run.ttft.mean_s();
    result.tpot_mean_s = run.tpot.mean_s();
    result.ttft_p50_s = run.ttft.quantile_s(0.5);
    result.ttft_p90_s = run.ttft.quantile_s(0.9);
    result.ttft_p99_s = run.ttft.quantile_s(0.99);
    result.tpot_p50_s = run.tpot.quantile_s(0.5);
    result.tpot_p90_s = run.tpot.quantile_s(0.9);
    result.tpot_p99_s = run.tpot.quantile_s(0.99);
  }
}

}  // namespace mlcycle
