#pragma once
// The scheduler actor. The decisions (what starts, what ends and why, what goes back to its
// queue, which nodes boot or switch off) are LifecycleCore's; the actor carries them out in
// SimGrid and the meter, and feeds back what SimGrid decides: node failures and all-reduce
// probe results. It waits until the core's next event, or until SimGrid reports a node failure
// or a probe's end; so the cost per job is a few heap operations and one wake-up, whatever the
// cluster size. In exec mode every job also runs as SimGrid execs on its hosts (one per host
// share, one thread per GPU), so SimGrid's energy plugin can be compared with the meter.
#include <cstdint>
#include <memory>
#include <optional>
#include <simgrid/s4u/Exec.hpp>
#include <vector>

#include "accounting/campaign_tally.hpp"
#include "accounting/power_meter.hpp"
#include "engine/deployment_driver.hpp"
#include "engine/node_watch.hpp"
#include "engine/platform_loader.hpp"
#include "engine/power_cap_setup.hpp"
#include "engine/simulation.hpp"
#include "workload/compute_work.hpp"
#include "workload/lifecycle_core.hpp"

namespace mlcycle {

class LifecycleRunner : private LifecycleEffects {
 public:
  LifecycleRunner(const Scenario& scenario, const LoadedPlatform& platform, PowerMeter& meter,
                  RunRecorder& recorder, RunOutcome& outcome,
                  std::vector<std::uint32_t> fleet_sites);
  void operator()();
  // Per [[campaign]] (null: none); they outlive the runner's run.
  void set_release_policies(const std::vector<std::unique_ptr<ReleasePolicy>>& policies);
  // Per [[campaign]], the placement of its jobs over several clusters (nullptr: one cluster);
  // they outlive the runner's run. Before the run starts.
  void set_placements(const std::vector<std::unique_ptr<JobPlacement>>& placements);
  // Per [[deployment]], the router of a service over several clusters (nullptr: nearest
  // first); they outlive the runner's run. Before the run starts.
  void set_routers(const std::vector<std::unique_ptr<RequestRouter>>& routers);
  // Per [[campaign]], its checked power cap (none: uncapped) and, for carbon-cap, when it holds
  // (they outlive the runner's run). Before the run starts.
  void set_power_caps(const ResolvedPowerCaps& caps, const CapSchedules& schedules);
  // Per [[campaign]], its compute rate when sized by `work` (peak 0: not). Before the run.
  void set_work_rates(std::vector<WorkRate> rates) { work_rates_ = std::move(rates); }
  // Whether the run reached its end (SimGrid returns early when its actors deadlock).
  bool finished() const { return finished_; }
  // Whether the run needs SimGrid only as its clock: no executions (sleep engine), no node
  // that can fail, no all-reduce probe and no data staging. Then nothing in SimGrid can end a
  // wait early, and the runner is called from the main context (not as an actor) and advances
  // SimGrid's clock with Engine::run_until, which costs SimGrid far less per event than an
  // actor's sleep (no context switch, no sleep activity).
  bool drives_clock() const { return drives_clock_; }

 private:
  // What the engine keeps of a started job: its meter entry and, in exec mode, its executions.
  struct Slot {
    std::optional<ActiveJob> active;
    std::vector<simgrid::s4u::ExecPtr> execs;
  };

  void run();
  void wait_until(double next_s, bool& woken);
  void allow_quiet_arrivals();
  void count_quiet_arrivals(double until_s);
  double next_event_s() const;
  bool work_left(double now_s) const;
  void handle_due(double now_s);
  double next_node_up_s(double now_s) const;
  void on_node_event(const NodeEvent& event, double now_s);
  void check_run_span(double next_s) const;
  void prefetch_next_end() const;
  void start_execs(Slot& slot, const JobStart& job, double run_s);
  void wait_for_execs(Slot& slot);
  void cancel_execs(Slot& slot);
  void finish_run(double now_s);
  void read_plugin_energy();

  // LifecycleEffects: the core's decisions carried out.
  void campaign_run_opened(std::uint32_t campaign) override;
  void host_booting(std::uint32_t host) override;
  void host_boot_done(std::uint32_t host) override;
  void host_off(std::uint32_t host) override;
  void start_probe(std::uint32_t slot, const JobStart& job, double bytes) override;
  void start_staging(std::uint32_t slot, const JobStart& job, std::uint32_t host,
                     double bytes) override;
  void job_launched(std::uint32_t slot, const JobStart& job, double now_s, bool is_search) override;
  void job_end_due(std::uint32_t slot) override;
  void job_cap_switched(std::uint32_t slot, const JobStart& job, double now_s,
                        double remaining_s) override;
  void job_ended(std::uint32_t slot, const JobStart& job, const JobEnding& ending,
                 double now_s) override;
  void stage_run_finished(const StageRunEvent& run, bool stage_done) override;
  void before_dispatch(double now_s) override;
  void after_dispatch(double now_s) override;

  const Scenario& scenario_;
  const LoadedPlatform& platform_;
  PowerMeter& meter_;
  RunRecorder& recorder_;
  RunOutcome& outcome_;
  const bool exec_mode_;
  const bool drives_clock_;
  const bool has_replays_;
  LifecycleCore core_;
  NodeWatch watch_;
  DeploymentDriver deployments_;

  std::vector<Slot> slots_;  // indexed as the core's slots
  CampaignTally tally_;
  std::vector<simgrid::s4u::ExecPtr> cut_execs_;
  std::vector<const CapSchedule*> cap_schedules_;
  std::vector<WorkRate>
      work_rates_;  // per [[campaign]]  // per [[campaign]]: carbon-cap's, else null
  bool finished_ = false;
};

}  // namespace mlcycle
