#pragma once
#include <ostream>
#include <string>

#include "engine/simulation.hpp"
#include "scenario/scenario.hpp"

namespace mlcycle {

// The short table `mlcycle run` prints: span, jobs, GPU-hours, energy, CO2e, cost by phase.
void print_summary(std::ostream& out, const Scenario& scenario, const RunOutcome& outcome,
                   const std::string& trace_path);

}  // namespace mlcycle
