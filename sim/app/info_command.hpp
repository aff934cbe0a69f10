#pragma once
// `mlcycle info`: what a trace file or a sweep directory holds. A trace (RUN.h5): the summary
// table `mlcycle run` printed for it. A sweep (DIR, or DIR/sweep.h5): the sweep's definition and
// one line per run, sortable by any /runs column.
#include <ostream>
#include <string>
#include <vector>

namespace mlcycle {

struct InfoCli {
  std::string path;                  // RUN.h5, SWEEP_DIR or SWEEP_DIR/sweep.h5
  std::string sort;                  // a /runs column; empty: file (point-id) order
  bool descending = false;           // --desc
  std::vector<std::string> columns;  // --columns; empty: the default headline columns
};

// Prints to `out` and returns the exit status (0). Throws InputError (exit 2) when the path is
// not an mlcycle file or directory, or a --sort / --columns name is not a /runs column.
int run_info_command(const InfoCli& cli, std::ostream& out);

}  // namespace mlcycle
