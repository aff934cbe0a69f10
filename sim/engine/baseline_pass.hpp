#pragma once
// The counterfactual pass of a policy comparison: the scenario with every policy off, run on
// the same seed in a child process (SimGrid allows one engine per process) while the parent
// runs the policy pass; on a 2-core machine the two overlap. It tallies the campaigns the
// policy pass shifts and reports back through an anonymous file. No SimGrid header here.
#include <sys/types.h>
#include <memory>

#include "accounting/policy_comparison.hpp"
#include "accounting/trial_delays.hpp"
#include "engine/simulation.hpp"

namespace mlcycle {

struct BaselineResult {
  PassTotals totals;
  ShiftFigures figures;
};

class MemoryFile;

class BaselinePass {
 public:
  // Forks the child. Call before this process starts threads or SimGrid.
  BaselinePass(const Scenario& scenario, EngineOptions options);
  ~BaselinePass();  // a child not waited for is killed
  BaselinePass(const BaselinePass&) = delete;
  BaselinePass& operator=(const BaselinePass&) = delete;

  // Waits for the child; throws std::runtime_error with its error when it failed. The
  // baseline's trial ends go to `delays` as they are read (the result's figures have none).
  BaselineResult wait(TrialDelays& delays);

 private:
  std::unique_ptr<MemoryFile> report_;
  pid_t child_ = -1;
};

}  // namespace mlcycle
