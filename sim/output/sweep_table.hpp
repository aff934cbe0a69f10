#pragma once
// The outputs of `mlcycle sweep`: one row per run (and per point over its replicates), as
// DIR/sweep.h5 and DIR/sweep.csv. Both are written as X.tmp and renamed to X when complete.
//
// sweep.h5
//   /            attributes: format = "mlcycle-sweep", format_version = 1, mlcycle_version,
//                scenario, definition, replicates, base_seed, points, runs, failed
//   /runs        compound [runs], in plan order: point_id (string), point (uint64),
//                replicate (uint32), seed (uint64), one field per varied key (named by the key;
//                int64, float64, enum FALSE/TRUE over uint8, or string: string when the key's
//                values mix types), status (enum over uint8: done = 0, failed = 1),
//                wall_time_s (float64), error (string, "" when done), run_file (string,
//                relative to DIR), then the headline_names() columns (float64, NaN unknown)
//   /aggregates  (replicates > 1) compound [points]: point (uint64), the varied keys,
//                n_done (uint32), then <headline>_mean, _std, _ci95_low, _ci95_high for each
//                headline (summarize(): failed runs and NaN ignored)
//   /run_files/  one external link per done run, named by point_id, to "/" of its run file
//                (relative path, resolved against the directory of sweep.h5). Failed runs have
//                no file and no link.
// sweep.csv: the /runs columns in the same order (RFC 4180; NaN empty; booleans true/false;
//   status done/failed).
#include <string>
#include <vector>

#include "sweep/run_results.hpp"
#include "sweep/sweep_plan.hpp"

namespace mlcycle {

inline constexpr int kSweepFormatVersion = 1;

struct SweepRow {
  SweepPoint point;
  PointOutcome outcome;
  std::string run_file;  // relative to the sweep dir, e.g. runs/p0001-r0.h5
};

// Writes DIR/sweep.h5 and DIR/sweep.csv (creating DIR if needed). Rows are written in plan
// order whatever their order in `rows`. Throws std::runtime_error when a file cannot be written
// (no partial X is left; X.tmp is removed).
void write_sweep_outputs(const std::string& dir, const SweepPlan& plan,
                         const std::vector<SweepRow>& rows);

}  // namespace mlcycle
