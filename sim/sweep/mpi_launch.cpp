// How a process knows it was started by an MPI launcher, in builds with and without MPI.
#include <cstdlib>

#include "sweep/mpi_link.hpp"

namespace mlcycle {

bool MpiLink::launched_by_mpi() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "SLURM_STEP_ID"})
    if (std::getenv(variable)) return true;
  return false;
}

}  // namespace mlcycle
