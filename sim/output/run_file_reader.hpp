#pragma once
// Reading back a run's trace file (docs/hdf5-schema.md): is it complete, and its headline
// results for a sweep table. Plain types only: no HDF5 header leaks to the callers.
#include <optional>
#include <string>

#include "accounting/run_results.hpp"

namespace mlcycle {

// True only when `path` opens as HDF5 and its root carries format == "mlcycle-trace" and
// complete == 1 (written last by TraceFile::commit). HDF5 errors are not printed; never throws.
bool run_file_complete(const std::string& path);

// The headline results (headline_names() order) of a complete run file: energies and CO2e per
// series from /summary/by_series, inference_share, and /summary attributes. A value the file
// lacks is NaN. nullopt when the file is not complete or has no readable /summary/by_series;
// never throws (except std::bad_alloc).
std::optional<RunResults> read_run_results(const std::string& path);

// The root attribute wall_time_s (seconds the whole `mlcycle run` took) of a complete run file;
// nullopt when the file is not complete or lacks it. Never throws (except std::bad_alloc).
std::optional<double> read_run_wall_time_s(const std::string& path);

}  // namespace mlcycle
