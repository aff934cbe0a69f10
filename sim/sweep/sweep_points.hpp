#pragma once
// One point's outcome from its finished `mlcycle run` process, and which points still need a
// run when a sweep starts or resumes.
#include <cstddef>
#include <string>
#include <vector>

#include "sweep/child_process.hpp"
#include "sweep/point_outcome.hpp"
#include "sweep/sweep_plan.hpp"

namespace mlcycle {

// Done with the run file's headline results when the process exited 0 and the file is
// complete; otherwise failed, with the process's first stderr line (or its signal) as error.
PointOutcome finish_point(const SweepPoint& point, const ProcessResult& process,
                          const std::string& run_file);

// Points whose run files are complete are kept (--resume) with their outcomes filled in;
// half-written files are removed. Returns the indexes of the points to run.
std::vector<std::size_t> points_to_run(const SweepPlan& plan, const std::string& dir, bool resume,
                                       std::vector<PointOutcome>& outcomes);

}  // namespace mlcycle
