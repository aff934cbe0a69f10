#pragma once
// The summary table: printed by `mlcycle run` from the run just simulated, and by `mlcycle info`
// from a trace file's /summary, both through print_summary_table.
#include <cstdint>
#include <ostream>
#include <string>

#include "accounting/run_records.hpp"
#include "core/utc_time.hpp"
#include "engine/simulation.hpp"
#include "scenario/scenario.hpp"

namespace mlcycle {

// The table's lines, from `simulated span` to the energy check: no heading, no trace line.
// `plugin_max_rel_diff` < 0 (analytic engine) leaves out the energy check line.
void print_summary_table(std::ostream& out, const RunSummary& summary, UtcTime start,
                         const std::string& currency, double plugin_max_rel_diff);

// What `mlcycle run` prints: a heading, the table, the trace file.
void print_summary(std::ostream& out, const Scenario& scenario, const RunOutcome& outcome,
                   const std::string& trace_path);

}  // namespace mlcycle
