#include "engine/lifecycle_runner.hpp"

#include <simgrid/plugins/energy.h>
#include <algorithm>
#include <cmath>
#include <limits>
#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "core/units.hpp"

namespace mlcycle {

namespace sg4 = simgrid::s4u;

namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
}

LifecycleRunner::LifecycleRunner(const Scenario& scenario, const LoadedPlatform& platform,
                                 PowerMeter& meter, RunRecorder& recorder, RunOutcome& outcome,
                                 std::vector<std::uint32_t> fleet_sites)
    : scenario_(scenario),
      platform_(platform),
      meter_(meter),
      recorder_(recorder),
      outcome_(outcome),
      exec_mode_(scenario.simulation.engine == EngineMode::exec),
      scheduler_(platform.clusters, scenario.scheduler.policy),
      stages_(scenario),
      watch_(platform.sg_hosts),
      deployments_(scenario, platform, meter, scheduler_, stages_, std::move(fleet_sites)),
      host_idle_token_(platform.hosts.size(), 0),
      tally_(scenario.campaigns) {
  watch_.install();
  deployments_.on_release([this](const Allocation& allocation, double now_s) {
    for (const HostShare& share : allocation) arm_power_off(share.host, now_s);
  });
}

void LifecycleRunner::push(double time_s, EventKind kind, std::uint64_t order, std::uint32_t target,
                           std::uint64_t generation) {
  events_.push(Event{time_s, kind, order, target, generation});
}

// Campaigns outside any stage open at time 0 (their submit_at delays them); staged ones when
// their stage run starts.
void LifecycleRunner::open_stage_runs(double now_s) {
  auto open = [&](std::uint32_t campaign, std::uint32_t stage, std::uint32_t run, double t) {
    CampaignRunInfo info{campaign, scheduler_.next_source_index(), stage, run, t};
    tally_.run_opened(campaign);
    scheduler_.open(
        std::make_unique<CampaignSource>(scenario_.campaigns[campaign], info,
                                         scenario_.simulation.start, scenario_.simulation.seed),
        platform_.campaign_clusters[campaign]);
  };
  if (now_s == 0 && scheduler_.sources() == 0)
    for (std::uint32_t c = 0; c < scenario_.campaigns.size(); ++c)
      if (scenario_.campaigns[c].stage.empty()) open(c, kNoStage, 0, 0);
  for (const StageRunEvent& run : stages_.take_starts(now_s))
    for (std::uint32_t c : stages_.campaigns_of(run.stage)) open(c, run.stage, run.run, run.time_s);
}

void LifecycleRunner::dispatch(double now_s) {
  deployments_.advance(now_s);
  for (JobStart& start : scheduler_.dispatch(now_s)) {
    std::uint32_t slot;
    if (free_slots_.empty()) {
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    } else {
      slot = free_slots_.back();
      free_slots_.pop_back();
    }
    Slot s;
    s.generation = ++generation_;
    double boot_end_s = now_s;
    for (std::uint32_t host : start.woken) {
      meter_.set_host_state(host, HostPowerState::booting);
      boot_end_s = std::max(boot_end_s, now_s + platform_.hosts[host].boot_s);
      push(now_s + platform_.hosts[host].boot_s, EventKind::boot_done, sequence_++, host, 0);
    }
    for (const HostShare& share : start.allocation) ++host_idle_token_[share.host];
    const std::uint64_t job_id = start.request.job_id;
    s.start = std::move(start);
    slots_[slot] = std::move(s);
    if (boot_end_s > now_s)
      push(boot_end_s, EventKind::job_begin, job_id, slot, slots_[slot]->generation);
    else
      begin_job(slot, now_s);
  }
  for (std::uint32_t c = 0; c < scheduler_.clusters(); ++c)
    meter_.set_queue_length(c, scheduler_.waiting(c, now_s));
}

// GPUs allocated and powered: data-parallel jobs first measure their all-reduce.
void LifecycleRunner::begin_job(std::uint32_t index, double now_s) {
  Slot& slot = *slots_[index];
  const CampaignSpec& spec = scenario_.campaigns[slot.start.request.campaign];
  if (slot.start.allocation.size() > 1 && spec.gradient_mb > 0) {
    slot.state = JobState::probing;
    std::vector<sg4::Host*> ring;
    for (const HostShare& share : slot.start.allocation)
      ring.push_back(platform_.sg_hosts[share.host]);
    ++probes_pending_;
    sg4::Actor::create(
        "allreduce-probe", ring.front(),
        AllReduceProbe(ring, spec.gradient_mb * 1e6, slot.start.request.job_id, watch_));
    return;
  }
  launch_job(index, now_s, 1);
}

void LifecycleRunner::launch_job(std::uint32_t index, double now_s, double stretch) {
  Slot& slot = *slots_[index];
  JobRequest& request = slot.start.request;
  CampaignSource& source = scheduler_.source(request.source);
  const CampaignSpec& spec = source.spec();
  slot.state = JobState::running;
  slot.stretch = stretch;
  slot.launch_s = now_s;
  slot.plan = source.plan_attempt(request, stretch);
  double run_s = slot.plan.run_s;
  slot.reason = slot.plan.crashes ? StopReason::crashed : StopReason::completed;
  if (spec.walltime_s && run_s > *spec.walltime_s) {
    run_s = *spec.walltime_s;
    slot.reason = StopReason::walltime;
  }
  request.duration_s = run_s;
  if (exec_mode_) {
    for (const HostShare& share : slot.start.allocation) {
      sg4::Host* host = platform_.sg_hosts[share.host];
      // SimGrid runs `thread_count` threads of `flops` each: duration = flops / speed.
      slot.execs.push_back(sg4::Exec::init()
                               ->set_flops_amount(run_s * host->get_speed())
                               ->set_host(host)
                               ->set_thread_count(static_cast<int>(share.cores)));
      slot.execs.back()->start();
    }
  }
  slot.active = meter_.start_job(slot.start);
  tally_.job_started(request, now_s - request.submit_s, source.is_search());
  push(now_s + run_s, EventKind::job_end, request.job_id, index, slot.generation);
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

void LifecycleRunner::release(std::uint32_t index, double now_s, bool cut) {
  Slot& slot = *slots_[index];
  scheduler_.finish(slot.start);
  for (const HostShare& share : slot.start.allocation) arm_power_off(share.host, now_s);
  if (cut && !slot.execs.empty()) {
    // A job cut short (its node failed) leaves executions running on its other nodes: stop
    // them now. In 3.32 cancel() does not update the plugin's integral: update it first.
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
  for (sg4::ExecPtr& exec : slot.execs) cut_execs_.push_back(std::move(exec));
  slots_[index].reset();
  free_slots_.push_back(index);
}

void LifecycleRunner::end_job(std::uint32_t index, StopReason reason, double now_s) {
  Slot& slot = *slots_[index];
  const JobRequest& request = slot.start.request;
  CampaignSource& source = scheduler_.source(request.source);
  const bool crash = reason == StopReason::crashed || reason == StopReason::node_failure;
  if (crash && request.attempt + 1 >= source.spec().failures.max_retries + 1)
    reason = StopReason::failed;
  AttemptPlan plan = slot.plan;
  if (reason == StopReason::node_failure || (reason == StopReason::failed && !slot.plan.crashes))
    plan = source.cut_attempt(request, slot.stretch, now_s - slot.launch_s);
  JobRecord record = meter_.end_job(
      *slot.active, reason == StopReason::horizon ? JobStatus::unfinished : JobStatus::completed);
  record.stop_reason = reason;
  if (crash || reason == StopReason::failed) {
    const double lost_s = std::max(0.0, (plan.work_done_s - plan.work_saved_s) * slot.stretch);
    record.wasted_gpu_hours = request.gpus * lost_s / units::kSecondsPerHour;
    record.wasted_co2_g = meter_.job_co2_g(*slot.active, now_s - lost_s, now_s);
  }
  source.on_end(request, reason, crash ? plan.work_saved_s : 0, now_s);
  record.score = reason == StopReason::completed ? source.score_of(request)
                                                 : std::numeric_limits<double>::quiet_NaN();
  tally_.job_ended(record, crash, source.is_search());
  recorder_.record_job(record);
  release(
      index, now_s,
      reason == StopReason::node_failure || (reason == StopReason::failed && !slot.plan.crashes));
  if (reason != StopReason::horizon && source.finished() && request.stage != kNoStage)
    stages_.campaign_finished(request.stage, request.stage_run, now_s);
}

bool LifecycleRunner::work_left(double now_s) const {
  if (probes_pending_ > 0 || deployments_.busy()) return true;
  for (const auto& slot : slots_)
    if (slot) return true;
  for (std::uint32_t s = 0; s < scheduler_.sources(); ++s)
    if (!scheduler_.source(s).finished()) return true;
  return stages_.next_start_after(now_s) != kNever;
}

double LifecycleRunner::next_event_s() const {
  double next = events_.empty() ? kNever : events_.top().time_s;
  next = std::min(next, scheduler_.next_release_after(meter_.now_s()));
  next = std::min(next, stages_.next_start_after(meter_.now_s()));
  next = std::min(next, deployments_.next_event_s());
  return next;
}

void LifecycleRunner::handle_due(double now_s) {
  for (const NodeEvent& event : watch_.take_node_events()) on_node_event(event, now_s);
  for (const ProbeResult& result : watch_.take_probe_results()) {
    // A probe whose job a node failure dropped meanwhile finds no slot: nothing to launch.
    for (std::uint32_t i = 0; i < slots_.size(); ++i)
      if (slots_[i] && slots_[i]->state == JobState::probing &&
          slots_[i]->start.request.job_id == result.job_id) {
        --probes_pending_;
        const double step_s = scenario_.campaigns[slots_[i]->start.request.campaign].step_s;
        launch_job(i, now_s, (step_s + result.allreduce_s) / step_s);
      }
  }
  while (!events_.empty() && events_.top().time_s <= now_s) {
    const Event event = events_.top();
    events_.pop();
    switch (event.kind) {
      case EventKind::job_end: {
        auto& slot = slots_[event.target];
        if (!slot || slot->generation != event.generation) break;  // ended by a node failure
        if (exec_mode_) wait_for_execs(*slot);
        end_job(event.target, slot->reason, now_s);
        break;
      }
      case EventKind::boot_done:
        if (meter_.host_state(event.target) == HostPowerState::booting)
          meter_.set_host_state(event.target, HostPowerState::on);
        break;
      case EventKind::job_begin: {
        auto& slot = slots_[event.target];
        if (slot && slot->generation == event.generation) begin_job(event.target, now_s);
        break;
      }
      case EventKind::power_off:
        due_power_offs_.push_back(event);
        break;
    }
  }
  open_stage_runs(now_s);
  for (const StageRunEvent& run : stages_.take_finished())
    deployments_.on_stage_run_finished(run, stages_.finished_at(run.stage).has_value());
  dispatch(now_s);
  // After the dispatch: a node that work takes at this very instant was never idle.
  power_off_idle_nodes();
}

void LifecycleRunner::operator()() {
  // An exception must not escape a SimGrid actor: keep it for run_simulation to rethrow.
  try {
    run();
  } catch (...) {
    outcome_.failure = std::current_exception();
    for (auto& slot : slots_)
      if (slot)
        for (const sg4::ExecPtr& exec : slot->execs) exec->cancel();
  }
}

void LifecycleRunner::run() {
  const double horizon_s = scenario_.simulation.horizon_s.value_or(kNever);
  double now_s = 0;
  for (std::uint32_t host = 0; host < platform_.hosts.size(); ++host) arm_power_off(host, 0);
  handle_due(now_s);
  while (true) {
    // Without a horizon the run ends with the work: a node's pending power-off does not extend it.
    const bool work = work_left(meter_.now_s());
    double next_s = std::min(horizon_s != kNever || work ? next_event_s() : kNever, horizon_s);
    // Work may wait for a failed node: wake when its state profile brings it back.
    if (work) next_s = std::min(next_s, next_node_up_s(meter_.now_s()));
    check_run_span(next_s);
    if (next_s == kNever && probes_pending_ == 0) break;  // nothing left to happen
    // With no node that can fail and no probe out, nothing can wake us early: a plain sleep
    // costs SimGrid far less per wake-up than the condition variable's timed wait.
    bool woken = false;
    if (probes_pending_ > 0 || !platform_.profiles.failing_hosts.empty())
      woken = watch_.wait_until(next_s);
    else
      sg4::this_actor::sleep_until(next_s);
    // A timed wake uses the heap's value, not the clock's rounding of now + (next - now).
    now_s = woken ? std::max(now_s, sg4::Engine::get_clock()) : next_s;
    if (now_s > horizon_s) now_s = horizon_s;
    meter_.advance_to(now_s);
    if (now_s >= horizon_s) {
      // Jobs due exactly at the horizon complete; nothing new starts.
      while (!events_.empty() && events_.top().time_s <= now_s &&
             events_.top().kind == EventKind::job_end) {
        const Event event = events_.top();
        events_.pop();
        auto& slot = slots_[event.target];
        if (!slot || slot->generation != event.generation) continue;
        if (exec_mode_) wait_for_execs(*slot);
        end_job(event.target, slot->reason, now_s);
      }
      break;
    }
    handle_due(now_s);
  }
  finish_run(now_s);
}

void LifecycleRunner::finish_run(double now_s) {
  // Jobs still running at the horizon are cut there; their records say so.
  for (std::uint32_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i]) continue;
    if (slots_[i]->state == JobState::running)
      end_job(i, StopReason::horizon, now_s);
    else
      drop_unstarted(i, now_s);
  }
  std::vector<DeploymentResult> deployments = deployments_.finish(now_s);
  for (std::uint32_t s = 0; s < scheduler_.sources(); ++s) {
    const CampaignSource& source = scheduler_.source(s);
    const SearchAlgorithm* search = source.search();
    const SearchResults results = search ? search->results() : SearchResults{};
    tally_.run_finished(source.info().campaign, source.never_started(), search ? &results : nullptr,
                        source.full_trial_gpu_hours());
  }
  outcome_.summary = meter_.finish(now_s, scheduler_.never_started());
  outcome_.summary.campaigns = tally_.results();
  outcome_.summary.deployments = std::move(deployments);
  // Read the plugin before cancelling: in 3.32 cancel() does not update its integral.
  if (exec_mode_) read_plugin_energy();
  for (const sg4::ExecPtr& exec : cut_execs_) {
    try {
      exec->cancel();
    } catch (const simgrid::Exception&) {
      // Already failed with its host.
    }
  }
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
