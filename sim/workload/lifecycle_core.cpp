#include "workload/lifecycle_core.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/special_values.hpp"

namespace mlcycle {

namespace {
constexpr std::size_t kCacheLineBytes = 64;
}  // namespace

LifecycleCore::LifecycleCore(const Scenario& scenario, std::vector<CoreHost> hosts,
                             const std::vector<ClusterGpus>& clusters,
                             std::vector<std::uint32_t> campaign_clusters,
                             LifecycleEffects& effects)
    : scenario_(scenario),
      hosts_(std::move(hosts)),
      campaign_clusters_(std::move(campaign_clusters)),
      effects_(effects),
      scheduler_(clusters, scenario.scheduler.policy),
      stages_(scenario),
      host_idle_token_(hosts_.size(), 0) {
  // At most one job a GPU runs at once: room for all of them up front spares the slot array's,
  // and the event heap's regrowth (each copies the array and touches fresh
  // pages) on a platform of 100,000 GPUs.
  std::size_t gpus = 0;
  for (const ClusterGpus& cluster : clusters)
    for (std::uint32_t cores : cluster.cores) gpus += cores;
  const std::size_t jobs = std::min<std::size_t>(gpus, kReservedSlotsMax);
  slots_.reserve(jobs);
  events_.reserve(jobs);
}

void LifecycleCore::push(double time_s, EventKind kind, std::uint64_t order, std::uint32_t target,
                         std::uint32_t generation) {
  if (order >> kOrderBits) throw std::logic_error("LifecycleCore: event order out of range");
  const std::uint64_t rank = static_cast<std::uint64_t>(kind) << kOrderBits | order;
  events_.push(Event{time_s, rank, target, generation});
}

// Campaigns outside any stage open at time 0 (their submit_at delays them); staged ones when
// their stage run starts.
void LifecycleCore::open_stage_runs(double now_s) {
  auto open = [&](std::uint32_t campaign, std::uint32_t stage, std::uint32_t run, double t) {
    CampaignRunInfo info{campaign, scheduler_.next_source_index(), stage, run, t};
    effects_.campaign_run_opened(campaign);
    auto source = std::make_unique<CampaignSource>(
        scenario_.campaigns[campaign], info, scenario_.simulation.start, scenario_.simulation.seed);
    source->set_run_time_factor(cap_factor(campaign));
    if (campaign < release_policies_.size())
      source->set_release_policy(release_policies_[campaign]);
    scheduler_.open(std::move(source), campaign_clusters_[campaign],
                    campaign < placements_.size() ? placements_[campaign] : nullptr);
  };
  if (now_s == 0 && scheduler_.sources() == 0)
    for (std::uint32_t c = 0; c < scenario_.campaigns.size(); ++c)
      if (scenario_.campaigns[c].stage.empty()) open(c, kNoStage, 0, 0);
  for (const StageRunEvent& run : stages_.take_starts(now_s))
    for (std::uint32_t c : stages_.campaigns_of(run.stage)) open(c, run.stage, run.run, run.time_s);
}

// A job placed on switched-off nodes begins when the last of them has booted.
// Each started job goes straight into a free slot; the slots are then begun in start order.
void LifecycleCore::take(JobStart&& start) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& s = slots_[slot].emplace();
  s.generation = ++generation_;
  s.start = std::move(start);
  started_slots_.push_back(slot);
}

void LifecycleCore::dispatch(double now_s) {
  effects_.before_dispatch(now_s);
  started_slots_.clear();
  scheduler_.dispatch(now_s, *this);
  for (const std::uint32_t slot : started_slots_) {
    const JobStart& start = slots_[slot]->start;
    double boot_end_s = now_s;
    for (std::uint32_t host : start.woken) {
      effects_.host_booting(host);
      boot_end_s = std::max(boot_end_s, now_s + hosts_[host].boot_s);
      push(now_s + hosts_[host].boot_s, EventKind::boot_done, sequence_++, host, 0);
    }
    // Taken nodes are busy: a power-off armed while they were idle no longer applies.
    for (const HostShare& share : start.allocation) ++host_idle_token_[share.host];
    if (boot_end_s > now_s)
      push(boot_end_s, EventKind::job_begin, start.request.job_id, slot, slots_[slot]->generation);
    else
      begin_job(slot, now_s);
  }
  effects_.after_dispatch(now_s);
}

// GPUs allocated, powered and (placed jobs) their data there: data-parallel jobs first
// measure their all-reduce.
void LifecycleCore::begin_compute(std::uint32_t index, double now_s) {
  Slot& slot = *slots_[index];
  const CampaignSpec& spec = scenario_.campaigns[slot.start.request.campaign];
  if (slot.start.allocation.size() > 1 && spec.gradient_mb > 0) {
    slot.state = JobState::probing;
    ++probes_pending_;
    effects_.start_probe(index, slot.start, spec.gradient_mb * 1e6);
    return;
  }
  launch_job(index, now_s, 1, cap_factor(slot.start.request.campaign));
}

void LifecycleCore::on_probe_result(std::uint64_t job_id, double allreduce_s, double now_s) {
  // A probe whose job a node failure dropped meanwhile finds no slot: nothing to launch.
  for (std::uint32_t i = 0; i < slots_.size(); ++i)
    if (slots_[i] && slots_[i]->state == JobState::probing &&
        slots_[i]->start.request.job_id == job_id) {
      --probes_pending_;
      // A power cap slows the step's compute, not its all-reduce.
      const std::uint32_t campaign = slots_[i]->start.request.campaign;
      const double step_s = scenario_.campaigns[campaign].step_s;
      launch_job(i, now_s, (step_s + allreduce_s) / step_s,
                 (step_s * cap_factor(campaign) + allreduce_s) / step_s);
    }
}

// The attempt's crash (if any) is drawn now; a walltime shorter than the run kills it there.
// `stretch`: run time per unit of work uncapped (with a data-parallel job's all-reduce),
// `capped_stretch` under the campaign's power cap (the same without one). A carbon-cap job
// plans in uncapped seconds and runs them on its schedule's clock.
void LifecycleCore::launch_job(std::uint32_t index, double now_s, double stretch,
                               double capped_stretch) {
  Slot& slot = *slots_[index];
  JobRequest& request = slot.start.request;
  CampaignSource& source = scheduler_.source(request.source);
  const CampaignSpec& spec = source.spec();
  slot.state = JobState::running;
  const CapSchedule* schedule = cap_schedule(request.campaign);
  slot.cap_ratio = schedule ? capped_stretch / stretch : 0;
  slot.stretch = schedule ? stretch : capped_stretch;
  slot.launch_s = now_s;
  slot.plan = source.plan_attempt(request, slot.stretch);
  // A resumed job restores its checkpoint first (its GPUs busy), then computes.
  slot.restore_s = request.resumed && spec.shift ? spec.shift->restore_s : 0;
  slot.paused_work_s = 0;
  double run_s = slot.restore_s + slot.plan.run_s;
  if (schedule) {
    run_s = capped_wall_end_s(*schedule, slot.cap_ratio, now_s, run_s) - now_s;
    slot.start.cap_engaged = schedule->capped_at(now_s);
  }
  slot.reason = slot.plan.crashes ? StopReason::crashed : StopReason::completed;
  if (spec.walltime_s && run_s > *spec.walltime_s) {
    run_s = *spec.walltime_s;
    slot.reason = StopReason::walltime;
  }
  request.duration_s = run_s;
  effects_.job_launched(index, slot.start, now_s, source.is_search());
  push(now_s + run_s, EventKind::job_end, request.job_id, index, slot.generation);
  arm_pause(index, now_s, run_s);
  if (schedule) arm_cap_switch(index, now_s);
}

// suspend-resume: before the trial's deadline, the job pauses at the first rise of the
// intensity above the threshold while it runs.
void LifecycleCore::arm_pause(std::uint32_t index, double now_s, double run_s) {
  const Slot& slot = *slots_[index];
  const JobRequest& request = slot.start.request;
  const CampaignSpec& spec = scenario_.campaigns[request.campaign];
  if (!spec.shift || spec.shift->policy != ShiftPolicy::suspend_resume) return;
  if (request.campaign >= release_policies_.size() || !release_policies_[request.campaign]) return;
  const double until_s = std::min(now_s + run_s, request.shift_deadline_s);
  if (!(now_s < until_s)) return;
  const double pause_s = release_policies_[request.campaign]->pause_at_s(now_s, until_s);
  if (pause_s < until_s) push(pause_s, EventKind::pause, request.job_id, index, slot.generation);
}

// The job stops computing now and ends once its checkpoint is written. Its work so far is
// its run time past the restore, in units of work (a stretch of data-parallel steps aside,
// one second of run is one second of work; a campaign's own periodic checkpoints are not
// subtracted).
void LifecycleCore::pause_if_current(const Event& event, double now_s) {
  auto& entry = slots_[event.target];
  if (!entry || entry->generation != event.generation || entry->state != JobState::running) return;
  Slot& slot = *entry;
  const CampaignSpec& spec = scenario_.campaigns[slot.start.request.campaign];
  const double computed_s = std::max(0.0, progress_s(slot, now_s) - slot.restore_s);
  slot.paused_work_s = std::min(slot.start.request.work_s, computed_s / slot.stretch);
  slot.reason = StopReason::suspended;
  slot.generation = ++generation_;  // the planned end no longer applies
  push(now_s + spec.shift->checkpoint_write_s, EventKind::job_end, slot.start.request.job_id,
       event.target, slot.generation);
}

// A crash without retries left fails the trial; a job stopped before its planned crash (node
// failure, or failed by one) keeps only the work up to its last checkpoint before `now_s`.
void LifecycleCore::end_job(std::uint32_t index, StopReason reason, double now_s) {
  Slot& slot = *slots_[index];
  const JobRequest& request = slot.start.request;
  CampaignSource& source = scheduler_.source(request.source);
  const bool crash = reason == StopReason::crashed || reason == StopReason::node_failure;
  if (crash && request.attempt + 1 >= source.spec().failures.max_retries + 1)
    reason = StopReason::failed;
  JobEnding ending;
  ending.reason = reason;
  ending.crash = crash;
  ending.cut = reason == StopReason::node_failure || reason == StopReason::suspended ||
               (reason == StopReason::failed && !slot.plan.crashes);
  AttemptPlan plan = slot.plan;
  if (ending.cut) plan = source.cut_attempt(request, slot.stretch, progress_s(slot, now_s));
  if (crash || reason == StopReason::failed)
    ending.lost_s = wall_span_s(
        slot, now_s, std::max(0.0, (plan.work_done_s - plan.work_saved_s) * slot.stretch));
  const double kept_work_s = reason == StopReason::suspended ? slot.paused_work_s
                             : crash                         ? plan.work_saved_s
                                                             : 0;
  if (reason == StopReason::completed)
    ending.work_done_s = request.work_s;
  else if (reason == StopReason::suspended)
    ending.work_done_s = slot.paused_work_s;
  else if (crash || reason == StopReason::failed)
    ending.work_done_s = plan.work_done_s;
  else  // walltime, horizon: the compute its progress covers
    ending.work_done_s = std::min(
        request.work_s, std::max(0.0, progress_s(slot, now_s) - slot.restore_s) / slot.stretch);
  const bool again = source.on_end(request, reason, kept_work_s, now_s);
  if (reason == StopReason::completed) ending.score = source.score_of(request);
  ending.is_search = source.is_search();
  ending.logged = source.logged_of(request);
  effects_.job_ended(index, slot.start, ending, now_s);
  if (!again) source.forget_logged(request);  // its last attempt
  const std::uint32_t stage = request.stage;
  const std::uint32_t stage_run = request.stage_run;
  release(index, now_s);
  if (reason != StopReason::horizon && source.finished() && stage != kNoStage)
    stages_.campaign_finished(stage, stage_run, now_s);
}

void LifecycleCore::release(std::uint32_t index, double now_s) {
  const Slot& slot = *slots_[index];
  scheduler_.finish(slot.start);
  for (const HostShare& share : slot.start.allocation) arm_power_off(share.host, now_s);
  slots_[index].reset();
  free_slots_.push_back(index);
}

// A job end whose slot a node failure freed (or reused) meanwhile is stale: skipped.
void LifecycleCore::end_if_current(const Event& event, double now_s) {
  auto& slot = slots_[event.target];
  if (!slot || slot->generation != event.generation) return;
  // A paused job's executions are cut, not awaited.
  if (slot->reason != StopReason::suspended) effects_.job_end_due(event.target);
  end_job(event.target, slot->reason, now_s);
}

bool LifecycleCore::work_left(double now_s) const {
  if (probes_pending_ > 0) return true;
  for (const auto& slot : slots_)
    if (slot) return true;
  for (std::uint32_t s = 0; s < scheduler_.sources(); ++s)
    if (!scheduler_.source(s).finished()) return true;
  return stages_.next_start_after(now_s) != kNever;
}

std::optional<std::uint32_t> LifecycleCore::next_ending_slot() const {
  if (events_.empty() || events_.top().kind() != EventKind::job_end) return std::nullopt;
  return events_.top().target;
}

void LifecycleCore::prefetch_slot(std::uint32_t slot) const {
  if (slot >= slots_.size()) return;
  const char* bytes = reinterpret_cast<const char*>(&slots_[slot]);
  for (std::size_t offset = 0; offset < sizeof(slots_[slot]); offset += kCacheLineBytes)
    __builtin_prefetch(bytes + offset);
}

double LifecycleCore::next_event_s(double now_s) const {
  double next = events_.empty() ? kNever : events_.top().time_s;
  next = std::min(next, scheduler_.next_release_after(now_s));
  next = std::min(next, stages_.next_start_after(now_s));
  return next;
}

void LifecycleCore::handle_due(double now_s) {
  while (!events_.empty() && events_.top().time_s <= now_s) {
    const Event event = events_.top();
    events_.pop();
    switch (event.kind()) {
      case EventKind::job_end:
        end_if_current(event, now_s);
        break;
      case EventKind::boot_done:
        effects_.host_boot_done(event.target);
        break;
      case EventKind::job_begin: {
        auto& slot = slots_[event.target];
        if (slot && slot->generation == event.generation) begin_job(event.target, now_s);
        break;
      }
      case EventKind::power_off:
        due_power_offs_.push_back(event);
        break;
      case EventKind::pause:
        pause_if_current(event, now_s);
        break;
      case EventKind::cap_switch:
        cap_switch_if_current(event, now_s);
        break;
    }
  }
  open_stage_runs(now_s);
  for (const StageRunEvent& run : stages_.take_finished())
    effects_.stage_run_finished(run, stages_.finished_at(run.stage).has_value());
  dispatch(now_s);
  // After the dispatch: a node that work takes at this very instant was never idle.
  power_off_idle_nodes();
}

void LifecycleCore::end_jobs_due_at_horizon(double now_s) {
  while (!events_.empty() && events_.top().time_s <= now_s &&
         events_.top().kind() == EventKind::job_end) {
    const Event event = events_.top();
    events_.pop();
    end_if_current(event, now_s);
  }
}

void LifecycleCore::finish(double now_s) {
  for (std::uint32_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i]) continue;
    if (slots_[i]->state == JobState::running)
      end_job(i, StopReason::horizon, now_s);
    else
      drop_unstarted(i, now_s);
  }
}

}  // namespace mlcycle
