#pragma once
// The lifecycle's decisions, apart from the engine that carries them out: which queued jobs
// start (through the JobScheduler and its policy), which nodes boot for them and which idle
// nodes switch off, when a job ends and why, what a crash or a node failure sends back to its
// queue. It keeps its own heap of timed events (job ends, node boots, job begins, power-offs);
// the engine asks for the next event time, advances its clock to it, feeds back what only it
// knows (node failures, all-reduce probe results) and calls handle_due(). Every effect on the
// world (meter states, SimGrid executions, probes, records) goes out through LifecycleEffects,
// in the order the decisions are taken, so that the core runs the same without SimGrid.
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "core/quaternary_heap.hpp"
#include "scenario/scenario.hpp"
#include "workload/cap_schedule.hpp"
#include "workload/job_log.hpp"
#include "workload/job_placement.hpp"
#include "workload/job_scheduler.hpp"
#include "workload/release_policy.hpp"
#include "workload/stage_plan.hpp"

namespace mlcycle {

// What the core needs of a platform host: its cluster (whose GPU pool holds it) and boot time.
struct CoreHost {
  std::uint32_t cluster = 0;
  double boot_s = 0;
};

// How a started job ended, as decided by the core.
struct JobEnding {
  StopReason reason = StopReason::completed;
  bool crash = false;      // crashed or cut by a node failure (a retry may follow)
  bool cut = false;        // stopped before its planned end: the engine cancels its executions
  double lost_s = 0;       // run time whose work is lost (crash or failure): wasted
  double work_done_s = 0;  // compute seconds the attempt did (lost or kept), checkpoints aside
  double score = std::numeric_limits<double>::quiet_NaN();  // searches: completed jobs only
  bool is_search = false;
  const LoggedIdentity* logged = nullptr;  // a replayed job's log record, during job_ended
};

// The engine's side. Calls arrive in decision order; `slot` numbers a started job until its end.
class LifecycleEffects {
 public:
  virtual ~LifecycleEffects() = default;
  virtual void campaign_run_opened(std::uint32_t campaign) = 0;
  virtual void host_booting(std::uint32_t host) = 0;
  virtual void host_boot_done(std::uint32_t host) = 0;
  virtual void host_off(std::uint32_t host) = 0;
  // A data-parallel job's GPUs are ready: measure one all-reduce of `bytes`, then call
  // LifecycleCore::on_probe_result with the job's id.
  virtual void start_probe(std::uint32_t slot, const JobStart& job, double bytes) = 0;
  // A job placed away from its campaign's first cluster: move `bytes` of its data from `host`
  // (the first host of that cluster that is up) to its GPUs, then call
  // LifecycleCore::on_staging_done with the job's id.
  virtual void start_staging(std::uint32_t slot, const JobStart& job, std::uint32_t host,
                             double bytes) = 0;
  virtual void job_launched(std::uint32_t slot, const JobStart& job, double now_s,
                            bool is_search) = 0;
  // A job reached its planned end (called before job_ended: exec mode waits for its execs).
  virtual void job_end_due(std::uint32_t slot) = 0;
  // carbon-cap: the job's cap engaged or released (job.cap_engaged says which); its planned
  // end is `remaining_s` away.
  virtual void job_cap_switched(std::uint32_t slot, const JobStart& job, double now_s,
                                double remaining_s) = 0;
  virtual void job_ended(std::uint32_t slot, const JobStart& job, const JobEnding& ending,
                         double now_s) = 0;
  virtual void stage_run_finished(const StageRunEvent& run, bool stage_done) = 0;
  // Around each dispatch: deployments take their GPUs before the queue, queue lengths after.
  virtual void before_dispatch(double now_s) = 0;
  virtual void after_dispatch(double now_s) = 0;
};

class LifecycleCore : private StartSink {
 public:
  // `campaign_clusters`: the cluster of each [[campaign]].
  LifecycleCore(const Scenario& scenario, std::vector<CoreHost> hosts,
                const std::vector<ClusterGpus>& clusters,
                std::vector<std::uint32_t> campaign_clusters, LifecycleEffects& effects);
  LifecycleCore(const LifecycleCore&) = delete;
  LifecycleCore& operator=(const LifecycleCore&) = delete;

  JobScheduler& scheduler() { return scheduler_; }
  const JobScheduler& scheduler() const { return scheduler_; }
  const StagePlan& stages() const { return stages_; }

  // Per [[campaign]], the policy that releases its jobs (nullptr: none). Before the first
  // handle_due(); the policies outlive the core.
  void set_release_policies(std::vector<const ReleasePolicy*> policies) {
    release_policies_ = std::move(policies);
  }
  // Per [[campaign]], the run-time factor of its GPUs under its power cap (1 or absent:
  // uncapped). Before the first handle_due().
  void set_power_cap_factors(std::vector<double> factors) { cap_factors_ = std::move(factors); }
  // Per [[campaign]], when its cap holds (nullptr: always, if it has one). carbon-cap jobs
  // switch while they run. Before the first handle_due(); the schedules outlive the core.
  void set_cap_schedules(std::vector<const CapSchedule*> schedules) {
    cap_schedules_ = std::move(schedules);
  }
  // Per [[campaign]], the placement of its jobs over several clusters (nullptr: its one
  // cluster). Before the first handle_due(); the placements outlive the core.
  void set_placements(std::vector<JobPlacement*> placements) {
    placements_ = std::move(placements);
  }
  const DataStagingTotals& staging() const { return staging_; }
  // Every idle node starts its power-off countdown at time 0.
  void arm_all_power_offs();
  // Handles what is due at `now_s`: job ends, boots, begins, stage runs, the dispatch, then the
  // power-offs due (after the dispatch: a node that work takes at this very instant stays on).
  void handle_due(double now_s);
  // The next time something of the core happens (infinity: nothing).
  double next_event_s(double now_s) const;
  // The slot whose job ends next, if the next event is a job end (else none). The engine
  // prefetches its state before it hands control to SimGrid, so that the cache misses on it
  // overlap SimGrid's work instead of stalling the end.
  std::optional<std::uint32_t> next_ending_slot() const;
  // Asks the memory system for the core's state of `slot` (a hint: no effect on the results).
  void prefetch_slot(std::uint32_t slot) const;
  // Jobs started or waiting, probes out, stage runs to come.
  bool work_left(double now_s) const;
  bool probes_pending() const { return probes_pending_ > 0; }
  // Slots reserved up front (one a GPU, bounded): the engine sizes its own slot array alike.
  std::size_t reserved_slots() const { return slots_.capacity(); }

  void on_node_up(std::uint32_t host, double now_s);
  // A node failed: running jobs on it end (node_failure), jobs not yet computing go back.
  void on_node_down(std::uint32_t host, double now_s);
  void on_probe_result(std::uint64_t job_id, double allreduce_s, double now_s);
  // A placed job's data has arrived (it took `staging_s`; `complete`: all of it, not cut by a
  // failure of the data's host): it computes now.
  void on_staging_done(std::uint64_t job_id, double staging_s, bool complete, double now_s);
  // Called by a node-release elsewhere (a serving reservation ended): arm its power-off.
  void node_released(std::uint32_t host, double now_s) { arm_power_off(host, now_s); }

  // At the horizon: jobs due exactly then complete; nothing new starts.
  void end_jobs_due_at_horizon(double now_s);
  // The run's end: running jobs are cut (StopReason::horizon), unstarted ones go back.
  void finish(double now_s);

 private:
  enum class JobState : std::uint8_t { booting, staging, probing, running };
  static constexpr std::size_t kReservedSlotsMax = 1 << 20;
  struct Slot {
    JobStart start;
    JobState state = JobState::booting;
    double launch_s = 0;
    double stretch = 1;  // run time per unit of work (carbon-cap: uncapped)
    // carbon-cap: capped / uncapped run time per unit of work (0: no schedule); the clock of
    // the job's progress is then its campaign's schedule's (cap_schedule.hpp).
    double cap_ratio = 0;
    AttemptPlan plan;
    StopReason reason = StopReason::completed;
    std::uint32_t generation = 0;
    double restore_s = 0;      // a resumed job's checkpoint restore, at the start of its run
    double paused_work_s = 0;  // work done before a pause (suspend-resume)
  };
  enum class EventKind : std::uint8_t {
    job_end = 0,
    boot_done = 1,
    job_begin = 2,
    power_off = 3,
    pause = 4,       // suspend-resume: the job writes a checkpoint, then ends as suspended
    cap_switch = 5,  // carbon-cap: the intensity crossed the threshold while the job runs
  };
  // 24 bytes, so that the four children of a heap node fit in two cache lines. Generations
  // and idle tokens are 32-bit: a stale event could be taken for a current one only after
  // four billion starts on one slot (or power-off countdowns on one node) while it waits.
  struct Event {
    double time_s;
    std::uint64_t rank;    // kind (top 2 bits), then order: job id for job events, else sequence
    std::uint32_t target;  // slot or host
    std::uint32_t generation;  // slot generation or idle token: the event is stale if changed
    EventKind kind() const { return static_cast<EventKind>(rank >> kOrderBits); }
  };
  static constexpr int kOrderBits = 61;
  struct EarlierEvent {  // time, then kind, then order: a total, stable order
    bool operator()(const Event& a, const Event& b) const {
      return a.time_s < b.time_s || (a.time_s == b.time_s && a.rank < b.rank);
    }
  };

  void push(double time_s, EventKind kind, std::uint64_t order, std::uint32_t target,
            std::uint32_t generation);
  void open_stage_runs(double now_s);
  void take(JobStart&& start) override;  // StartSink: a job the dispatch started
  void dispatch(double now_s);
  void begin_job(std::uint32_t slot, double now_s);
  void begin_compute(std::uint32_t slot, double now_s);
  void launch_job(std::uint32_t slot, double now_s, double stretch, double capped_stretch);
  void arm_cap_switch(std::uint32_t slot, double now_s);
  void cap_switch_if_current(const Event& event, double now_s);
  // Run time since launch counted in progress (uncapped seconds under carbon-cap).
  double progress_s(const Slot& slot, double now_s) const;
  // Wall time before `now_s` over which the last `progress_s` of progress was made.
  double wall_span_s(const Slot& slot, double now_s, double progress_s) const;
  void end_job(std::uint32_t slot, StopReason reason, double now_s);
  void end_if_current(const Event& event, double now_s);
  void pause_if_current(const Event& event, double now_s);
  void arm_pause(std::uint32_t slot, double now_s, double run_s);
  void drop_unstarted(std::uint32_t slot, double now_s);
  void release(std::uint32_t slot, double now_s);
  double cap_factor(std::uint32_t campaign) const {
    return campaign < cap_factors_.size() ? cap_factors_[campaign] : 1.0;
  }
  const CapSchedule* cap_schedule(std::uint32_t campaign) const {
    return campaign < cap_schedules_.size() ? cap_schedules_[campaign] : nullptr;
  }
  // The schedule a running carbon-cap job follows (nullptr: none).
  const CapSchedule* schedule_of(const Slot& slot) const {
    return slot.cap_ratio > 0 ? cap_schedules_[slot.start.request.campaign] : nullptr;
  }
  static double planned_end_s(const Slot& slot) {
    return slot.launch_s + slot.start.request.duration_s;
  }
  void arm_power_off(std::uint32_t host, double now_s);
  void power_off_idle_nodes();
  GpuPool& pool_of(std::uint32_t host) { return scheduler_.pool(hosts_[host].cluster); }

  const Scenario& scenario_;
  std::vector<CoreHost> hosts_;
  std::vector<std::uint32_t> campaign_clusters_;
  std::vector<const ReleasePolicy*> release_policies_;
  std::vector<double> cap_factors_;
  std::vector<const CapSchedule*> cap_schedules_;
  std::vector<JobPlacement*> placements_;
  DataStagingTotals staging_;
  LifecycleEffects& effects_;
  JobScheduler scheduler_;
  StagePlan stages_;

  std::vector<std::optional<Slot>> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<std::uint32_t> started_slots_;  // of the dispatch under way, in start order
  QuaternaryHeap<Event, EarlierEvent> events_;
  std::uint64_t sequence_ = 0;
  std::uint32_t generation_ = 0;
  std::vector<std::uint32_t> host_idle_token_;
  std::vector<Event> due_power_offs_;  // power-offs due now, applied after the dispatch
  std::uint32_t probes_pending_ = 0;
};

}  // namespace mlcycle
