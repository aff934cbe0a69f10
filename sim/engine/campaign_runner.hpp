#pragma once
// The scheduler actor. It keeps its own heap of job completion times and sleeps until the
// next event (a completion, a campaign's submit time, the horizon), so the cost per job is a
// heap operation and one wake-up, whatever the cluster size. In exec mode every job also runs
// as SimGrid execs on its hosts (one per host share, one thread per GPU) and the actor waits
// for them, so SimGrid's CPU model sets the end times and its energy plugin can be compared.
#include <cstdint>
#include <optional>
#include <queue>
#include <simgrid/s4u/Exec.hpp>
#include <vector>

#include "accounting/power_meter.hpp"
#include "engine/platform_loader.hpp"
#include "engine/simulation.hpp"

namespace mlcycle {

class CampaignRunner {
 public:
  CampaignRunner(const Scenario& scenario, const LoadedPlatform& platform, PowerMeter& meter,
                 FifoDispatcher& dispatcher, RunOutcome& outcome);
  void operator()();

 private:
  struct Running {
    ActiveJob job;
    double end_s = 0;
    std::vector<simgrid::s4u::ExecPtr> execs;
  };
  struct Completion {
    double end_s;
    std::uint64_t job_id;
    std::uint32_t slot;
    bool operator>(const Completion& o) const {
      return end_s != o.end_s ? end_s > o.end_s : job_id > o.job_id;
    }
  };

  void run();
  void start_ready_jobs(double now_s);
  void complete(std::uint32_t slot, JobStatus status);
  double wait_for_next_completion();
  bool execs_done(Running& running);
  void read_plugin_energy();

  const Scenario& scenario_;
  const LoadedPlatform& platform_;
  PowerMeter& meter_;
  FifoDispatcher& dispatcher_;
  RunOutcome& outcome_;
  const bool exec_mode_;

  std::vector<std::optional<Running>> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<simgrid::s4u::ExecPtr> cut_execs_;  // still running at the horizon
  std::priority_queue<Completion, std::vector<Completion>, std::greater<>> completions_;
};

}  // namespace mlcycle
