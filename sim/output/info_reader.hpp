#pragma once
// What `mlcycle info` reads, from the path it is given: a trace file, or a sweep (its directory
// or the sweep.h5 in it). Plain types only: no HDF5 header leaks to the callers.
#include <string>

#include "output/run_summary_reader.hpp"
#include "output/sweep_reader.hpp"

namespace mlcycle {

struct InfoFile {
  bool is_sweep = false;  // which one is filled: `listing` (a sweep) or `trace`
  TraceInfo trace;
  SweepListing listing;
};

// Reads RUN.h5, SWEEP_DIR or SWEEP_DIR/sweep.h5 whole. Throws InputError (`PATH: what is wrong`)
// for anything but a complete mlcycle trace or sweep file of a supported version, whatever its
// bytes: no crash, no allocation beyond what the file's size allows. HDF5's automatic error
// printing is switched off for the calling thread for good (h5::silence_errors_for_good), so
// nothing but that one error reaches stderr, at exit either.
InfoFile read_info_file(const std::string& path);

}  // namespace mlcycle
