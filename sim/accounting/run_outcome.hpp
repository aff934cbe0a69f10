#pragma once
// What one run found, as the engine hands it to the trace writer and the summary printer: the
// summary, the clusters and grid signals used, the energy plugin's cross-check, and apart from
// these the run's provenance.
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "accounting/policy_comparison.hpp"
#include "accounting/policy_tally.hpp"
#include "accounting/run_records.hpp"

namespace mlcycle {

// One grid region's signal as the run used it (after wrap and fill), for the trace's /grid.
struct GridRegionUse {
  std::string name;
  std::string kind;
  std::string source;
  std::vector<double> time_s;  // step starts within the run
  std::vector<double> intensity_g_per_kwh;
  std::vector<std::string> mix_sources;  // mix and synthetic
  std::vector<double> generation_mw;     // [steps x mix_sources], NaN where a step has no row
};

// Where and how a run was made, kept apart from what it found: these differ from machine to
// machine and run to run while the results stay bit-identical.
struct RunProvenance {
  std::string simgrid_version;
  // How SimGrid was driven: "main" (the scheduler advanced its clock with Engine::run_until
  // from the main context: SimGrid had nothing else to simulate) or "actor" (a SimGrid actor).
  std::string scheduler_context;
  // Whether the heap asked the kernel for 2 MiB pages: "on", "off" or "unavailable"
  // (app/huge_page_heap.hpp). Set by the caller before writing, like the wall time.
  std::string heap_huge_pages;
  double wall_time_s = 0;  // of the whole `mlcycle run`, set by the caller before writing
};

struct RunOutcome {
  RunSummary summary;
  std::vector<std::string> cluster_names;
  std::vector<GridRegionUse> grid;
  // Exec mode only: largest relative difference between SimGrid's host energy plugin and our
  // meter over all hosts (-1 in analytic mode, where the plugin is not loaded).
  double plugin_max_rel_diff = -1;
  std::vector<double> plugin_host_energy_j;
  // An input error met while running (grid data that does not cover the run): rethrown by
  // run_simulation once SimGrid has returned.
  std::exception_ptr failure;
  RunProvenance provenance;
  // Runs whose scenario shifts work: this pass's deferrable jobs, and (policy pass, once the
  // baseline pass is back) the comparison of the two.
  std::optional<ShiftFigures> shift_figures;
  // Per [[deployment]] of the tallied scenario, whether a power cap (its own or its cluster's)
  // puts it under a policy: the serving figures of the policy comparison.
  std::vector<bool> deployments_under_policy;
  std::optional<PolicyComparison> policy;
};

}  // namespace mlcycle
