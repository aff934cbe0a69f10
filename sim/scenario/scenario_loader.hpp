#pragma once
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace mlcycle {

// Reads, overrides (`--set key.path=value`, in order) and validates a scenario file.
// Throws InputError with the file, line, column and key of the first problem.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

// Same, from TOML text (tests); `path` names the source in messages and anchors relative paths.
Scenario load_scenario_text(const std::string& text, const std::string& path,
                            const std::vector<std::string>& overrides = {});

}  // namespace mlcycle
