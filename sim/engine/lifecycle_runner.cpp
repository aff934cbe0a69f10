#include "engine/lifecycle_runner.hpp"

#include <simgrid/plugins/energy.h>
#include <algorithm>
#include <cmath>
#include <limits>
#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "accounting/gpu_power_cap.hpp"
#include "core/special_values.hpp"
#include "core/units.hpp"

namespace mlcycle {

namespace sg4 = simgrid::s4u;

namespace {
constexpr std::size_t kCacheLineBytes = 64;

// Probes and staging are SimGrid actors whose end wakes the runner; failing nodes wake it
// through their state profiles; execs are waited on. Without them SimGrid is only the clock.
bool needs_actor(const Scenario& scenario, const LoadedPlatform& platform) {
  if (scenario.simulation.engine == EngineMode::exec) return true;
  if (!platform.profiles.failing_hosts.empty()) return true;
  for (const CampaignSpec& campaign : scenario.campaigns)
    if (campaign.gradient_mb > 0 || (campaign.placement && campaign.placement->data_gb > 0))
      return true;
  return false;
}

std::vector<CoreHost> core_hosts(const LoadedPlatform& platform) {
  std::vector<CoreHost> hosts;
  for (const HostPowerModel& host : platform.hosts) hosts.push_back({host.cluster, host.boot_s});
  return hosts;
}
}  // namespace

LifecycleRunner::LifecycleRunner(const Scenario& scenario, const LoadedPlatform& platform,
                                 PowerMeter& meter, RunRecorder& recorder, RunOutcome& outcome,
                                 std::vector<std::uint32_t> fleet_sites)
    : scenario_(scenario),
      platform_(platform),
      meter_(meter),
      recorder_(recorder),
      outcome_(outcome),
      exec_mode_(scenario.simulation.engine == EngineMode::exec),
      drives_clock_(!needs_actor(scenario, platform)),
      has_replays_(std::any_of(scenario.campaigns.begin(), scenario.campaigns.end(),
                               [](const CampaignSpec& c) { return c.replay.has_value(); })),
      core_(scenario, core_hosts(platform), platform.clusters, platform.campaign_clusters, *this),
      watch_(platform.sg_hosts),
      deployments_(scenario, platform, meter, core_.scheduler(), core_.stages(),
                   std::move(fleet_sites)),
      tally_(scenario.campaigns) {
  watch_.install();
  slots_.reserve(core_.reserved_slots());
  allow_quiet_arrivals();  // lifecycle_replays.cpp
  deployments_.on_release([this](const Allocation& allocation, double now_s) {
    for (const HostShare& share : allocation) core_.node_released(share.host, now_s);
  });
}

void LifecycleRunner::set_release_policies(
    const std::vector<std::unique_ptr<ReleasePolicy>>& policies) {
  std::vector<const ReleasePolicy*> raw;
  for (const auto& policy : policies) raw.push_back(policy.get());
  core_.set_release_policies(std::move(raw));
}

void LifecycleRunner::set_placements(const std::vector<std::unique_ptr<JobPlacement>>& placements) {
  std::vector<JobPlacement*> raw;
  for (const auto& placement : placements) raw.push_back(placement.get());
  core_.set_placements(std::move(raw));
}

void LifecycleRunner::set_routers(const std::vector<std::unique_ptr<RequestRouter>>& routers) {
  std::vector<const RequestRouter*> raw;
  for (const auto& router : routers) raw.push_back(router.get());
  deployments_.set_routers(std::move(raw));
}

void LifecycleRunner::set_power_caps(const ResolvedPowerCaps& caps, const CapSchedules& schedules) {
  const auto raw = [](const std::vector<std::unique_ptr<CapSchedule>>& owned) {
    std::vector<const CapSchedule*> pointers;
    for (const auto& schedule : owned) pointers.push_back(schedule.get());
    return pointers;
  };
  std::vector<double> factors;
  std::vector<std::optional<PowerCapSpec>> specs;
  for (const auto& cap : caps.campaigns) {
    factors.push_back(cap ? cap->time_factor : 1.0);
    specs.push_back(cap ? std::optional<PowerCapSpec>(cap->spec) : std::nullopt);
  }
  core_.set_power_cap_factors(std::move(factors));
  cap_schedules_ = raw(schedules.campaigns);
  core_.set_cap_schedules(cap_schedules_);
  meter_.set_power_caps(std::move(specs));
  deployments_.set_power_caps(caps.deployments, raw(schedules.deployments));
}

void LifecycleRunner::campaign_run_opened(std::uint32_t campaign) {
  tally_.run_opened(campaign);
}

void LifecycleRunner::host_booting(std::uint32_t host) {
  meter_.set_host_state(host, HostPowerState::booting);
}

void LifecycleRunner::host_boot_done(std::uint32_t host) {
  if (meter_.host_state(host) == HostPowerState::booting)
    meter_.set_host_state(host, HostPowerState::on);
}

void LifecycleRunner::host_off(std::uint32_t host) {
  meter_.set_host_state(host, HostPowerState::off);
}

void LifecycleRunner::start_probe(std::uint32_t, const JobStart& job, double bytes) {
  std::vector<sg4::Host*> ring;
  for (const HostShare& share : job.allocation) ring.push_back(platform_.sg_hosts[share.host]);
  sg4::Actor::create("allreduce-probe", ring.front(),
                     AllReduceProbe(ring, bytes, job.request.job_id, watch_));
}

void LifecycleRunner::start_staging(std::uint32_t, const JobStart& job, std::uint32_t host,
                                    double bytes) {
  sg4::Host* from = platform_.sg_hosts[host];
  sg4::Host* to = platform_.sg_hosts[job.allocation.front().host];
  // Run by the scheduler's host, which never fails (the data's host may).
  sg4::Actor::create("data-staging", platform_.scheduler_sg_host,
                     DataStaging(from, to, bytes, job.request.job_id, watch_));
}

void LifecycleRunner::job_launched(std::uint32_t index, const JobStart& job, double now_s,
                                   bool is_search) {
  if (slots_.size() <= index) slots_.resize(index + 1);
  Slot& slot = slots_[index];
  if (exec_mode_) start_execs(slot, job, job.request.duration_s);
  slot.active = meter_.start_job(job);
  tally_.job_started(job.request, now_s - job.request.submit_s, is_search);
}

// SimGrid runs `thread_count` threads of `flops` each: duration = flops / speed. A capped GPU
// is one thread bounded to load x speed (3.32 ignores the bound of a multi-thread exec) with
// load x speed x run_s flops: the same duration, and the plugin draws its capped power.
void LifecycleRunner::start_execs(Slot& slot, const JobStart& job, double run_s) {
  const std::optional<PowerCapSpec>& cap =
      job.cap_engaged ? scenario_.campaigns[job.request.campaign].power_cap : std::nullopt;
  for (const HostShare& share : job.allocation) {
    sg4::Host* host = platform_.sg_hosts[share.host];
    const double speed = host->get_speed();
    if (!cap) {
      slot.execs.push_back(sg4::Exec::init()
                               ->set_flops_amount(run_s * speed)
                               ->set_host(host)
                               ->set_thread_count(static_cast<int>(share.cores)));
      slot.execs.back()->start();
      continue;
    }
    const double load = capped_core_load(platform_.hosts[share.host], *cap);
    for (std::uint32_t gpu = 0; gpu < share.cores; ++gpu) {
      slot.execs.push_back(sg4::Exec::init()
                               ->set_flops_amount(load * speed * run_s)
                               ->set_host(host)
                               ->set_bound(load * speed));
      slot.execs.back()->start();
    }
  }
}

// The meter switches the job's power; in exec mode its executions restart for the rest of the
// run at the new load (the plugin's integral is updated before the cancel, cancel_execs).
void LifecycleRunner::job_cap_switched(std::uint32_t index, const JobStart& job, double,
                                       double remaining_s) {
  Slot& slot = slots_[index];
  meter_.set_job_capped(job, *slot.active, job.cap_engaged);
  if (!exec_mode_) return;
  cancel_execs(slot);
  start_execs(slot, job, remaining_s);
}

void LifecycleRunner::job_end_due(std::uint32_t index) {
  if (exec_mode_) wait_for_execs(slots_[index]);
}

void LifecycleRunner::wait_for_execs(Slot& slot) {
  for (const sg4::ExecPtr& exec : slot.execs) {
    try {
      exec->wait();
    } catch (const simgrid::Exception&) {
      // The host failed under it: the node event that follows ends the job.
    }
  }
  slot.execs.clear();  // done: nothing to cancel at the end of the run
}

void LifecycleRunner::job_ended(std::uint32_t index, const JobStart& job, const JobEnding& ending,
                                double now_s) {
  Slot& slot = slots_[index];
  JobRecord record = meter_.end_job(
      job, *slot.active,
      ending.reason == StopReason::horizon ? JobStatus::unfinished : JobStatus::completed);
  record.stop_reason = ending.reason;
  if (ending.crash) {
    record.wasted_gpu_hours = job.request.gpus * ending.lost_s / units::kSecondsPerHour;
    // A carbon-cap job's power followed its schedule over the lost span.
    const std::uint32_t campaign = job.request.campaign;
    const CapSchedule* schedule =
        campaign < cap_schedules_.size() ? cap_schedules_[campaign] : nullptr;
    record.wasted_co2_g =
        schedule ? meter_.job_co2_g(job, *slot.active, now_s - ending.lost_s, now_s, *schedule)
                 : meter_.job_co2_g(job, *slot.active, now_s - ending.lost_s, now_s);
  }
  record.score = ending.score;
  if (ending.logged) record.logged = *ending.logged;
  const std::uint32_t campaign = job.request.campaign;
  if (campaign < work_rates_.size() && work_rates_[campaign].peak_flops > 0) {
    const double ran_s = record.end_s - record.start_s;
    const JobWork work =
        job_work(work_rates_[campaign], job.request.gpus, ending.work_done_s, ran_s);
    record.flops = work.flops;
    record.peak_flops = job.request.gpus * ran_s * work_rates_[campaign].peak_flops;
    record.flops_per_gpu_s = work.flops_per_gpu_s;
    record.mfu = work.mfu;
  }
  tally_.job_ended(record, ending.crash, ending.is_search);
  recorder_.record_job(record);
  if (ending.cut) cancel_execs(slot);
  for (sg4::ExecPtr& exec : slot.execs) cut_execs_.push_back(std::move(exec));
  slot = Slot{};
}

// A job cut short (its node failed) leaves executions running on its other nodes: stop them
// now. In 3.32 cancel() does not update the plugin's integral: update it first.
void LifecycleRunner::cancel_execs(Slot& slot) {
  if (slot.execs.empty()) return;
  sg_host_energy_update_all();
  for (const sg4::ExecPtr& exec : slot.execs) {
    try {
      exec->cancel();
    } catch (const simgrid::Exception&) {
      // Already failed with its host.
    }
  }
  slot.execs.clear();
}

void LifecycleRunner::stage_run_finished(const StageRunEvent& run, bool stage_done) {
  deployments_.on_stage_run_finished(run, stage_done);
}

void LifecycleRunner::before_dispatch(double now_s) {
  deployments_.advance(now_s);
}

void LifecycleRunner::after_dispatch(double now_s) {
  JobScheduler& scheduler = core_.scheduler();
  for (std::uint32_t c = 0; c < scheduler.clusters(); ++c)
    meter_.set_queue_length(c, scheduler.waiting(c, now_s));
}

bool LifecycleRunner::work_left(double now_s) const {
  return deployments_.busy() || core_.work_left(now_s);
}

double LifecycleRunner::next_event_s() const {
  return std::min(core_.next_event_s(meter_.now_s()), deployments_.next_event_s());
}

void LifecycleRunner::handle_due(double now_s) {
  for (const NodeEvent& event : watch_.take_node_events()) on_node_event(event, now_s);
  for (const ProbeResult& result : watch_.take_probe_results()) {
    if (result.staging)
      core_.on_staging_done(result.job_id, result.allreduce_s, result.complete, now_s);
    else
      core_.on_probe_result(result.job_id, result.allreduce_s, now_s);
  }
  core_.handle_due(now_s);
}

// The next job end's state is cold by now (thousands of jobs ran since it started): ask for it
// before sleeping, so that its cache misses overlap SimGrid's work for the wake-up.
void LifecycleRunner::prefetch_next_end() const {
  const std::optional<std::uint32_t> slot = core_.next_ending_slot();
  if (!slot) return;
  core_.prefetch_slot(*slot);
  if (*slot >= slots_.size()) return;
  const char* bytes = reinterpret_cast<const char*>(&slots_[*slot]);
  for (std::size_t offset = 0; offset < sizeof(Slot); offset += kCacheLineBytes)
    __builtin_prefetch(bytes + offset);
}

void LifecycleRunner::operator()() {
  // An exception must not escape a SimGrid actor: keep it for run_simulation to rethrow.
  try {
    run();
  } catch (...) {
    outcome_.failure = std::current_exception();
    for (Slot& slot : slots_)
      for (const sg4::ExecPtr& exec : slot.execs) exec->cancel();
  }
}

void LifecycleRunner::run() {
  const double horizon_s = scenario_.simulation.horizon_s.value_or(kNever);
  double now_s = 0;
  core_.arm_all_power_offs();
  handle_due(now_s);
  while (true) {
    // Without a horizon the run ends with the work: a node's pending power-off does not extend it.
    const bool work = work_left(meter_.now_s());
    double next_s = std::min(horizon_s != kNever || work ? next_event_s() : kNever, horizon_s);
    // Work may wait for a failed node: wake when its state profile brings it back.
    if (work) next_s = std::min(next_s, next_node_up_s(meter_.now_s()));
    check_run_span(next_s);
    if (next_s == kNever && !core_.probes_pending()) break;  // nothing left to happen
    prefetch_next_end();
    bool woken = false;
    wait_until(next_s, woken);
    // A timed wake uses the heap's value, not the clock's rounding of now + (next - now).
    now_s = woken ? std::max(now_s, sg4::Engine::get_clock()) : next_s;
    if (now_s > horizon_s) now_s = horizon_s;
    count_quiet_arrivals(now_s);
    meter_.advance_to(now_s);
    if (now_s >= horizon_s) {
      // Jobs due exactly at the horizon complete; nothing new starts.
      core_.end_jobs_due_at_horizon(now_s);
      break;
    }
    handle_due(now_s);
  }
  finish_run(now_s);
}

// With no node that can fail and no probe out, nothing can wake us early: a plain sleep
// costs SimGrid far less per wake-up than the condition variable's timed wait, and advancing
// the clock from the main context less again.
void LifecycleRunner::wait_until(double next_s, bool& woken) {
  if (drives_clock_) {
    // SimGrid's clock may stand an ulp past a time it was advanced to (now + (t - now)), and
    // refuses a date in its past: an event at that same instant needs no advance.
    if (next_s > sg4::Engine::get_clock()) sg4::Engine::get_instance()->run_until(next_s);
  } else if (core_.probes_pending() || !platform_.profiles.failing_hosts.empty())
    woken = watch_.wait_until(next_s);
  else
    sg4::this_actor::sleep_until(next_s);
}

void LifecycleRunner::finish_run(double now_s) {
  // Jobs still running at the horizon are cut there; their records say so.
  core_.finish(now_s);
  std::vector<DeploymentResult> deployments = deployments_.finish(now_s);
  const JobScheduler& scheduler = core_.scheduler();
  for (std::uint32_t s = 0; s < scheduler.sources(); ++s) {
    const CampaignSource& source = scheduler.source(s);
    const SearchAlgorithm* search = source.search();
    const SearchResults results = search ? search->results() : SearchResults{};
    tally_.run_finished(source.info().campaign, source.never_started(), search ? &results : nullptr,
                        source.full_trial_gpu_hours());
  }
  outcome_.summary = meter_.finish(now_s, scheduler.never_started());
  outcome_.summary.campaigns = tally_.results();
  outcome_.summary.deployments = std::move(deployments);
  const DataStagingTotals& staging = core_.staging();
  outcome_.summary.staged_jobs = staging.jobs;
  outcome_.summary.data_moved_gb = staging.bytes / 1e9;
  outcome_.summary.staging_hours = staging.seconds / units::kSecondsPerHour;
  // Read the plugin before cancelling: in 3.32 cancel() does not update its integral.
  if (exec_mode_) read_plugin_energy();
  for (const sg4::ExecPtr& exec : cut_execs_) {
    try {
      exec->cancel();
    } catch (const simgrid::Exception&) {
      // Already failed with its host.
    }
  }
  finished_ = true;
}

void LifecycleRunner::read_plugin_energy() {
  sg_host_energy_update_all();
  const RunSummary& summary = outcome_.summary;
  double worst = 0;
  for (std::size_t i = 0; i < platform_.sg_hosts.size(); ++i) {
    const double plugin_j = sg_host_get_consumed_energy(platform_.sg_hosts[i]);
    const double ours_j = summary.hosts[i].simgrid_model_j;
    outcome_.plugin_host_energy_j.push_back(plugin_j);
    const double scale = std::max(std::abs(plugin_j), std::abs(ours_j));
    if (scale > 0) worst = std::max(worst, std::abs(plugin_j - ours_j) / scale);
  }
  outcome_.plugin_max_rel_diff = worst;
}

}  // namespace mlcycle
