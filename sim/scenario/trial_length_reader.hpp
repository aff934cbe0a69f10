#pragma once
#include "scenario/scenario.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

// `length = { distribution = "...", ... }` of a campaign; see docs/scenarios.md.
TrialLengthSpec read_trial_length(TomlTableReader& table);

}  // namespace mlcycle
