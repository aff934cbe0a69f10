#pragma once
// Reader of a campaign's `shift = {...}` table (temporal shifting of deferrable jobs): every
// key checked against the policy it belongs to; see docs/scenarios.md and docs/carbon-aware.md.
#include "scenario/shift_spec.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

ShiftSpec read_shift(TomlTableReader& t);

}  // namespace mlcycle
