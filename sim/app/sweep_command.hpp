#pragma once
// `mlcycle sweep`: the points of a parameter sweep run as `mlcycle run` processes, locally
// (--jobs N) and, under mpirun/srun, across MPI ranks; one table of results at the end.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sweep/sweep_plan.hpp"

namespace mlcycle {

struct SweepCli {
  std::string input;  // a scenario, or a sweep file ([sweep] table)
  std::string dir;
  std::vector<std::string> vary;
  std::vector<std::string> zip;
  std::vector<std::string> overrides;
  std::optional<std::uint32_t> replicates;  // default: the sweep file's, else 1
  std::optional<unsigned> jobs;
  bool resume = false;
};

// Returns the exit status: 0 every point done, 1 some points failed. Throws InputError.
int run_sweep_command(const SweepCli& cli, int* argc, char*** argv);

// A TOML file with a [sweep] table (else a scenario, or a file the scenario loader reports on).
bool is_sweep_file(const std::string& path);

// Every option of the sweep, from the command line and, when given, a sweep file; the base
// scenario is loaded and every varied key checked. `replicates` and `jobs` are filled from the
// sweep file where the command line left them unset.
SweepPlan make_plan(const SweepCli& cli, std::uint32_t& replicates, std::optional<unsigned>& jobs);

// `mlcycle check SWEEP.toml`: the base scenario and every point (each checked by an
// `mlcycle check` child with the point's settings, so each platform load has its own SimGrid
// engine). Prints one ok line; the first failing point is an InputError naming the point.
int run_sweep_check(const std::string& sweep_path, const std::vector<std::string>& overrides,
                    std::ostream& out);

}  // namespace mlcycle
