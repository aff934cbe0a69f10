#pragma once
// `mlcycle run`: load the scenario, run it on SimGrid, write the trace file (OUT.h5.tmp renamed
// to OUT.h5 when complete, removed on interrupt), print the summary.
#include <chrono>
#include <ostream>

#include "app/cli.hpp"

namespace mlcycle {

// `started` is when the process started: the run file's wall_time_s counts from it.
int run_run_command(const CliOptions& cli, std::chrono::steady_clock::time_point started,
                    std::ostream& out);

}  // namespace mlcycle
