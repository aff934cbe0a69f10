#pragma once
// A whole `mlcycle sweep`: the plan, the directory, the points run as `mlcycle run` processes
// locally (--jobs N) and, under mpirun/srun, across MPI ranks; the tables at the end.
#include <cstddef>

#include "sweep/sweep_request.hpp"

namespace mlcycle {

struct SweepReport {
  int status = 0;       // 0 every point done, 1 some failed (or a rank's own failure status)
  bool leader = false;  // this process wrote the tables (rank 0, or no MPI)
  std::size_t runs = 0;
  std::size_t run_now = 0;  // the rest were kept from an earlier start (--resume)
  std::size_t failed = 0;
};

// Throws InputError on bad input (said once, by rank 0 under MPI).
SweepReport run_sweep(const SweepRequest& request, int* argc, char*** argv);

}  // namespace mlcycle
