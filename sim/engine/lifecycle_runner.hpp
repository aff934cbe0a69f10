#pragma once
// The scheduler actor. It keeps its own heap of timed events (job ends, node boots, power-offs)
// and waits until the next one, or until SimGrid reports a node failure or an all-reduce probe
// ends; so the cost per job is a few heap operations and one wake-up, whatever the cluster
// size. Each wake-up handles, in order: node events, probe results, job ends, boots and job
// begins, power-offs, stage starts and deployment steps, then dispatches. In exec mode every
// job also runs as SimGrid execs on its hosts (one per host share, one thread per GPU), so
// SimGrid's energy plugin can be compared with the meter.
#include <cstdint>
#include <optional>
#include <queue>
#include <simgrid/s4u/Exec.hpp>
#include <vector>

#include "accounting/campaign_tally.hpp"
#include "accounting/power_meter.hpp"
#include "engine/deployment_driver.hpp"
#include "engine/node_watch.hpp"
#include "engine/platform_loader.hpp"
#include "engine/simulation.hpp"
#include "workload/job_scheduler.hpp"
#include "workload/stage_plan.hpp"

namespace mlcycle {

class LifecycleRunner {
 public:
  LifecycleRunner(const Scenario& scenario, const LoadedPlatform& platform, PowerMeter& meter,
                  RunRecorder& recorder, RunOutcome& outcome,
                  std::vector<std::uint32_t> fleet_sites);
  void operator()();

 private:
  enum class JobState : std::uint8_t { booting, probing, running };
  struct Slot {
    JobStart start;
    JobState state = JobState::booting;
    std::optional<ActiveJob> active;
    double launch_s = 0;
    double stretch = 1;
    AttemptPlan plan;
    StopReason reason = StopReason::completed;
    std::uint64_t generation = 0;
    std::vector<simgrid::s4u::ExecPtr> execs;
  };
  enum class EventKind : std::uint8_t { job_end = 0, boot_done = 1, job_begin = 2, power_off = 3 };
  struct Event {
    double time_s;
    EventKind kind;
    std::uint64_t order;   // job id for job events, sequence otherwise: a total, stable order
    std::uint32_t target;  // slot or host
    std::uint64_t generation;
    bool operator>(const Event& o) const {
      if (time_s != o.time_s) return time_s > o.time_s;
      if (kind != o.kind) return kind > o.kind;
      return order > o.order;
    }
  };

  void run();
  double next_event_s() const;
  bool work_left(double now_s) const;
  void handle_due(double now_s);
  void open_stage_runs(double now_s);
  void dispatch(double now_s);
  void begin_job(std::uint32_t slot, double now_s);
  void launch_job(std::uint32_t slot, double now_s, double stretch);
  void end_job(std::uint32_t slot, StopReason reason, double now_s);
  void drop_unstarted(std::uint32_t slot, double now_s);
  void release(std::uint32_t slot, double now_s, bool cut = false);
  double next_node_up_s(double now_s) const;
  void on_node_event(const NodeEvent& event, double now_s);
  void arm_power_off(std::uint32_t host, double now_s);
  void power_off_idle_nodes();
  void check_run_span(double next_s) const;
  void push(double time_s, EventKind kind, std::uint64_t order, std::uint32_t target,
            std::uint64_t generation);
  void wait_for_execs(Slot& slot);
  void finish_run(double now_s);
  void read_plugin_energy();

  const Scenario& scenario_;
  const LoadedPlatform& platform_;
  PowerMeter& meter_;
  RunRecorder& recorder_;
  RunOutcome& outcome_;
  const bool exec_mode_;
  JobScheduler scheduler_;
  StagePlan stages_;
  NodeWatch watch_;
  DeploymentDriver deployments_;

  std::vector<std::optional<Slot>> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  std::uint64_t sequence_ = 0;
  std::uint64_t generation_ = 0;
  std::vector<std::uint64_t> host_idle_token_;
  std::vector<Event> due_power_offs_;  // power-offs due now, applied after the dispatch
  std::uint32_t probes_pending_ = 0;
  CampaignTally tally_;
  std::vector<simgrid::s4u::ExecPtr> cut_execs_;
};

}  // namespace mlcycle
