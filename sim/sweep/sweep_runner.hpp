#pragma once
// Runs a sweep's points: as local child processes, `jobs` at a time, and, under MPI, on every
// rank too (rank 0 runs points itself and serves the others). Each point is a normal
// `mlcycle run` of the scenario with the point's `--set` values, writing its own run file.
#include <functional>
#include <string>
#include <vector>

#include "sweep/child_process.hpp"
#include "sweep/mpi_link.hpp"
#include "sweep/point_outcome.hpp"
#include "sweep/sweep_plan.hpp"

namespace mlcycle {

struct SweepRunOptions {
  std::string dir;         // the sweep directory; run files go to dir/runs/
  unsigned jobs = 1;       // concurrent local processes per rank
  std::string executable;  // the mlcycle to start for each point
  bool progress = false;   // a progress line on stderr
};

// Run file of a point, relative to the sweep directory.
std::string run_file_of(const SweepPoint& point);

// The command line of one point: `mlcycle run SCENARIO --set ... --seed S -o FILE --quiet`.
std::vector<std::string> point_argv(const std::string& executable, const SweepPlan& plan,
                                    const SweepPoint& point, const std::string& run_file_path);

// Turns a finished point process into its outcome (reads the run file's results).
using FinishPoint = std::function<PointOutcome(const SweepPoint&, const ProcessResult&,
                                               const std::string& run_file_path)>;

// Rank 0 (or a run without MPI): runs `to_run` (indices into plan.points) and fills `outcomes`.
void run_points(const SweepPlan& plan, const std::vector<std::size_t>& to_run,
                const SweepRunOptions& options, const FinishPoint& finish,
                std::vector<PointOutcome>& outcomes, MpiLink* mpi);

// Ranks other than 0: run the points rank 0 hands out until it says stop.
void serve_points(const SweepPlan& plan, const SweepRunOptions& options, const FinishPoint& finish,
                  MpiLink& mpi);

}  // namespace mlcycle
