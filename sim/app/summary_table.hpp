#pragma once
// The summary table: printed by `mlcycle run` from the run just simulated, and by `mlcycle info`
// from a trace file's /summary. Both fill a SummaryTable and print it with the same function.
#include <array>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

#include "accounting/run_records.hpp"
#include "core/utc_time.hpp"
#include "engine/simulation.hpp"
#include "scenario/scenario.hpp"

namespace mlcycle {

// Everything the table shows (the trace file's /summary and root start_utc).
struct SummaryTable {
  std::array<SeriesTotals, kSeriesCount> series{};  // phases, then idle
  SeriesTotals total;
  UtcTime start;  // simulation time 0
  std::string currency = "USD";
  double peak_power_w = 0;
  double makespan_s = 0;
  double mean_utilization = 0;
  std::uint64_t jobs_pending = 0;
  std::uint64_t jobs_unfinished = 0;
  std::uint64_t total_gpus = 0;
  bool marginal_available = false;
  double crossover_s = std::numeric_limits<double>::quiet_NaN();
  double plugin_max_rel_diff = -1;  // exec engine only; negative: no energy check line
};

SummaryTable summary_table(const Scenario& scenario, const RunOutcome& outcome);

// The table's lines, from `simulated span` to the energy check: no heading, no trace line.
void print_summary_table(std::ostream& out, const SummaryTable& table);

// What `mlcycle run` prints: a heading, the table, the trace file.
void print_summary(std::ostream& out, const Scenario& scenario, const RunOutcome& outcome,
                   const std::string& trace_path);

}  // namespace mlcycle
