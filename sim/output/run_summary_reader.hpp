#pragma once
// Reading a trace file's root attributes, /summary, /campaigns and /deployments back
// (docs/hdf5-schema.md) for `mlcycle info`. Plain types only: no HDF5 header leaks to the callers.
// Every problem with the file is an InputError whose text is one line `PATH: what is wrong`.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "accounting/policy_comparison.hpp"
#include "accounting/run_records.hpp"
#include "core/utc_time.hpp"

namespace mlcycle {

inline constexpr const char* kTraceFormat = "mlcycle-trace";
inline constexpr const char* kSweepFormat = "mlcycle-sweep";

// A complete trace file: its root attributes and /summary.
struct TraceInfo {
  std::string path;  // as given
  std::string format;
  std::int64_t format_version = 0;
  std::string mlcycle_version;  // "" when absent
  std::string simgrid_version;  // "" when absent
  std::string scenario_path;    // "" when absent (files written before the attribute existed)
  std::string scenario_toml;
  std::uint64_t seed = 0;
  std::string engine;     // "analytic" or "exec"
  std::string start_utc;  // as stored
  UtcTime start;          // start_utc parsed
  double end_s = 0;
  double wall_time_s = std::numeric_limits<double>::quiet_NaN();
  // /summary (by_series rows and attributes), /campaigns and /deployments, in the simulator's
  // own summary type: what `mlcycle run` printed. Hosts and trace totals stay empty.
  RunSummary summary;
  std::string currency;
  double simgrid_plugin_max_rel_diff = -1;  // -1: analytic run (or absent)
  std::optional<PolicyComparison> policy;   // /policy: runs with carbon-aware policies
};

// The root attribute `format` of an mlcycle HDF5 file: "mlcycle-trace" or "mlcycle-sweep".
// Throws InputError when `path` is missing, not a file, not HDF5, or of another format.
std::string mlcycle_file_format(const std::string& path);

// Reads a trace file. Throws InputError when it is not an mlcycle trace, its format_version is
// not kTraceFormatVersion, it lacks `complete` (an unfinished run), or /summary, /campaigns or
// /deployments lack what the summary table shows. Version-1 files older than the lifecycle
// tables (/campaigns a list of names, no /deployments, no node_* attributes) read with no
// campaign or deployment rows and no node line.
TraceInfo read_trace_info(const std::string& path);

}  // namespace mlcycle
