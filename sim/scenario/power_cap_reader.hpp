#pragma once
// Reader of a campaign's `power_cap = { limit = ... }` table; see docs/scenarios.md.
#include "scenario/power_cap_spec.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

PowerCapSpec read_power_cap(TomlTableReader& t);

}  // namespace mlcycle
