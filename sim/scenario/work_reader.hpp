#pragma once
// Reader of a campaign's `work = {...}` table; see docs/hardware.md.
#include "scenario/toml_reader.hpp"
#include "scenario/work_spec.hpp"

namespace mlcycle {

WorkSpec read_work(TomlTableReader& t);

}  // namespace mlcycle
