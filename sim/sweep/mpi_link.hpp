#pragma once
// The MPI side of a sweep: rank 0 hands out points one at a time to ranks that ask, so long
// and short runs balance; a rank that finishes a point sends its outcome with its next request.
// Built only where Open MPI is installed; without it, `available()` is false.
#include <cstdint>
#include <optional>

#include "sweep/point_outcome.hpp"

namespace mlcycle {

struct PointReport {
  std::uint64_t index = 0;  // into SweepPlan::points
  PointOutcome outcome;
};

// A worker asks for one point per free slot (its --jobs); every slot ends with one "stop".
struct WorkerRequest {
  int rank = 0;
  std::uint32_t slots = 1;            // the worker's number of slots
  std::optional<PointReport> report;  // the point that freed this slot, if any
};

class MpiLink {
 public:
  static bool available();
  // True when this process was started by mpirun/srun (Open MPI, PMI or Slurm variables), in
  // any build: one without MPI then refuses to run rather than run the sweep once per rank.
  static bool launched_by_mpi();

  MpiLink(int* argc, char*** argv);  // MPI_Init
  ~MpiLink();                        // MPI_Finalize
  MpiLink(const MpiLink&) = delete;
  MpiLink& operator=(const MpiLink&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  // Rank 0.
  std::optional<WorkerRequest> poll_request();  // non-blocking
  void send_point(int worker, std::uint64_t index);
  void send_stop(int worker);
  // Other ranks.
  void request(std::uint32_t slots, const std::optional<PointReport>& report);
  std::optional<std::uint64_t> receive_point();  // nullopt: no more points
  void barrier();
  // Every rank calls this once with its own status; all get the largest, so that no rank goes on
  // (or waits for the others) when one of them cannot.
  int agree_status(int status);

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace mlcycle
