#pragma once
// `mlcycle sweep` and `mlcycle check SWEEP.toml` on the command line: the sweep wing does the
// work (sweep/sweep_session.hpp, sweep/sweep_check.hpp); these print its report.
#include <ostream>
#include <string>
#include <vector>

#include "sweep/sweep_request.hpp"

namespace mlcycle {

// Returns the exit status: 0 every point done, 1 some points failed. Throws InputError.
int run_sweep_command(const SweepRequest& request, int* argc, char*** argv, std::ostream& out);

// Prints one ok line; the first failing point is an InputError naming the point.
int run_sweep_check_command(const std::string& sweep_path,
                            const std::vector<std::string>& overrides, std::ostream& out);

}  // namespace mlcycle
