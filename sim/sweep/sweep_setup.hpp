#pragma once
// Before any point runs: the plan (command line and sweep file merged, the base scenario loaded
// and every varied key checked) and the sweep directory (fresh, or the same sweep resumed).
#include <cstdint>
#include <optional>
#include <string>

#include "sweep/sweep_plan.hpp"
#include "sweep/sweep_request.hpp"

namespace mlcycle {

// Every option of the sweep, from the request and, when its input is a sweep file, the file;
// the base scenario is loaded and every varied key checked. `replicates` and `jobs` are filled
// from the sweep file where the request left them unset. Throws InputError.
SweepPlan make_plan(const SweepRequest& request, std::uint32_t& replicates,
                    std::optional<unsigned>& jobs);

// DIR/runs exists; without --resume, DIR must not already hold a sweep or run files.
void prepare_directory(const std::string& dir, bool resume);

// DIR/sweep-definition.txt: written for a new sweep; with --resume, must equal `definition`.
void check_definition(const std::string& dir, const std::string& definition, bool resume);

}  // namespace mlcycle
