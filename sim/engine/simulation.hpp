#pragma once
// Runs one scenario on SimGrid. The only entry point into sim/engine for the layers above;
// it includes no SimGrid header, so sim/app and the tests see plain types.
#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "accounting/run_outcome.hpp"
#include "accounting/run_records.hpp"
#include "scenario/scenario.hpp"

namespace mlcycle {

struct EngineOptions {
  std::vector<std::string> sg_cfg;  // "key:value", passed to Engine::set_config
  std::vector<std::string> sg_log;  // "category.thres:level", passed to xbt_log_control_set
  // Called once SimGrid's engine exists: SimGrid installs its own SIGINT handler (status, then
  // exit(1)) as the engine starts, so the run's clean-up handlers are put back here.
  std::function<void()> on_engine_created;
  // Called once the platform's size is known, before SimGrid builds it, with the memory the
  // platform and the jobs it can run at once are expected to take: the caller may get that
  // memory ready meanwhile (app/huge_page_heap.hpp's HeapPrefault).
  std::function<void(std::size_t expected_bytes)> on_platform_sized;
  // The scenario whose shifting campaigns are tallied (RunOutcome::shift_figures): the run's
  // own when null. The baseline pass of a policy comparison runs without policies but tallies
  // the campaigns the policy pass shifts.
  const Scenario* tally_shifts_of = nullptr;
};

struct PlatformCheck {
  std::vector<std::string> cluster_names;
  std::vector<GridRegionUse> grid;
  std::vector<std::uint64_t> cluster_gpus;
  std::size_t hosts = 0;
  // What a run should expect for the platform alone (measured on SimGrid 3.32, see
  // docs/performance.md): CPU time to load it twice (pre-flight and load) and peak memory.
  double expected_load_cpu_s = 0;
  double expected_memory_mb = 0;
};

// Loads the platform and resolves every campaign against it, runs nothing (`mlcycle check`).
PlatformCheck check_platform(const Scenario& scenario, const EngineOptions& options);

// One SimGrid engine per process: call at most once (and not after check_platform).
RunOutcome run_simulation(const Scenario& scenario, RunRecorder& recorder,
                          const EngineOptions& options);

}  // namespace mlcycle
