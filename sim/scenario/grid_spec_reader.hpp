#pragma once
#include <filesystem>
#include <vector>

#include "scenario/scenario.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

// The [grid.<region>] tables (docs/grids.md); paths resolve against `base_dir`.
std::vector<GridRegionSpec> read_grid_regions(TomlTableReader& root,
                                              const std::filesystem::path& base_dir);

// The [pue.<name>] profiles (docs/scenarios.md).
std::vector<PueProfileSpec> read_pue_profiles(TomlTableReader& root,
                                              const std::filesystem::path& base_dir);

// wrap / hold / fill / max_gap of a data-backed signal.
CoverageSpec read_coverage(TomlTableReader& table);

}  // namespace mlcycle
