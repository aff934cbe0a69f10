#pragma once
// `mlcycle check SCENARIO.toml`: the scenario loaded and its platform resolved against every
// campaign, nothing run; one ok line with what it holds. A sweep file goes to the sweep check.
#include <ostream>

#include "app/cli.hpp"

namespace mlcycle {

int run_check_command(const CliOptions& cli, std::ostream& out);

}  // namespace mlcycle
