#pragma once
// The tables of a sweep's outputs built from its plan and its runs' outcomes: /runs (one row per
// run, plan order) and /aggregates (one row per point, statistics over its replicates). The
// format is documented in output/sweep_table.hpp, which writes them.
#include <string>
#include <vector>

#include "output/sweep_table.hpp"
#include "sweep/point_outcome.hpp"
#include "sweep/sweep_plan.hpp"

namespace mlcycle {

struct SweepRow {
  SweepPoint point;
  PointOutcome outcome;
  std::string run_file;  // relative to the sweep dir, e.g. runs/p0001-r0.h5
};

// The tables and links of DIR/sweep.h5 and DIR/sweep.csv. Rows are in plan order whatever
// their order in `rows`.
SweepTables make_sweep_tables(const SweepPlan& plan, const std::vector<SweepRow>& rows);

// Writes DIR/sweep.h5 and DIR/sweep.csv (make_sweep_tables, then write_sweep_files).
void write_sweep_outputs(const std::string& dir, const SweepPlan& plan,
                         const std::vector<SweepRow>& rows);

}  // namespace mlcycle
