#pragma once
// Readers of a scenario's generated platform: [catalog.gpu.<id>] / [catalog.host.<id>] entries,
// [[cluster]] tables and [wide_area]; see docs/hardware.md.
#include <string>
#include <vector>

#include "scenario/hardware_catalog.hpp"
#include "scenario/platform_generator.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

// The built-in catalog with the scenario's [catalog] entries added (replacing same ids).
HardwareCatalog read_scenario_catalog(TomlTableReader& root);

struct GeneratedPlatform {
  std::vector<GeneratedCluster> clusters;
  WideAreaLink wide_area;
  std::string xml;  // empty: no [[cluster]]
};

// Every [[cluster]] checked against `catalog` (errors at their keys) and the platform XML.
GeneratedPlatform read_generated_platform(TomlTableReader& root, const HardwareCatalog& catalog);

}  // namespace mlcycle
