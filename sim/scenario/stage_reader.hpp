#pragma once
// [[stage]] tables, the [scheduler] table, and the checks that tie stages, campaigns and
// deployments together (names exist, no dependency cycle).
#include <vector>

#include "scenario/scenario.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

std::vector<StageSpec> read_stages(TomlTableReader& root, const UtcTime& start);
SchedulerSpec read_scheduler(TomlTableReader& root);

// Every `stage`, `after` and `updates_from` names a stage; the `after` graph has no cycle.
void check_stage_references(const Scenario& scenario);

}  // namespace mlcycle
