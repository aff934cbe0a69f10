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
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "output/record_table.hpp"

namespace mlcycle {

inline constexpr int kSweepFormatVersion = 1;

// The root attributes of sweep.h5 besides format, format_version and mlcycle_version.
struct SweepFileHeader {
  std::string scenario;
  std::string definition;
  std::uint64_t replicates = 0;
  std::uint64_t base_seed = 0;
  std::uint64_t points = 0;
  std::uint64_t runs = 0;
  std::uint64_t failed = 0;
};

struct SweepRunLink {
  std::string name;      // the run's point_id
  std::string run_file;  // relative to DIR
};

// What the sweep wing assembles (sweep/sweep_tables.hpp) and this writes.
struct SweepTables {
  SweepFileHeader header;
  RecordTable runs;
  std::optional<RecordTable> aggregates;  // replicates > 1
  std::vector<SweepRunLink> run_links;    // done runs with a file
};

// Writes DIR/sweep.h5 and DIR/sweep.csv (creating DIR if needed), each as X.tmp renamed to X
// when complete. Throws std::runtime_error when a file cannot be written (no partial X is left;
// X.tmp is removed).
void write_sweep_files(const std::string& dir, const SweepTables& tables);

}  // namespace mlcycle
