#pragma once
// Reading a sweep's DIR/sweep.h5 back (docs/hdf5-schema.md, "Sweep file") for `mlcycle info`:
// the root attributes and the /runs table as plain rows of typed cells, whatever its varied
// keys. Plain types only: no HDF5 header leaks to the callers.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace mlcycle {

enum class SweepColumnType {
  signed_integer,    // int64 and other signed integers (varied integer keys)
  unsigned_integer,  // point, replicate, seed
  real,              // float64: results, wall time, varied float keys
  label,             // an HDF5 enum: status (done, failed), varied booleans (FALSE, TRUE)
  text,              // strings: point_id, error, run_file, varied string keys
};

struct SweepColumn {
  std::string name;
  SweepColumnType type = SweepColumnType::text;
};

// One cell: the member matching its column's type holds the value.
struct SweepCell {
  std::int64_t signed_value = 0;
  std::uint64_t unsigned_value = 0;
  double real = std::numeric_limits<double>::quiet_NaN();
  std::string text;  // text columns; label columns: the enum member's name
};

struct SweepListing {
  std::string path;  // the sweep.h5 read
  std::int64_t format_version = 0;
  std::string mlcycle_version;
  std::string scenario;
  std::string definition;  // `name = value` lines
  std::uint64_t replicates = 0;
  std::uint64_t base_seed = 0;
  std::uint64_t points = 0;
  std::uint64_t runs = 0;
  std::uint64_t failed = 0;
  std::vector<SweepColumn> columns;          // /runs fields, in file order
  std::vector<std::string> varied;           // the varied keys: the fields between seed and status
  std::vector<std::vector<SweepCell>> rows;  // rows[r][c], in file (point-id) order
};

// Reads `path` (a sweep.h5). Throws InputError (`PATH: what is wrong`) when it is missing, not
// an mlcycle sweep file, of another format_version, or has no readable /runs table.
SweepListing read_sweep_listing(const std::string& path);

}  // namespace mlcycle
