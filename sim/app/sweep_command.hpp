#pragma once
// `mlcycle sweep`: the points of a parameter sweep run as `mlcycle run` processes, locally
// (--jobs N) and, under mpirun/srun, across MPI ranks; one table of results at the end.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

}  // namespace mlcycle
