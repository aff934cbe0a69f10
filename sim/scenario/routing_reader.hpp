#pragma once
// Reader of a serving deployment's carbon-aware routing: `clusters = [...]` (two or more
// clusters holding replicas) and `routing = {...}` (how requests are shared between them);
// see docs/scenarios.md and docs/spatial-shifting.md.
#include <string>

#include "scenario/deployment_spec.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

// Reads `clusters` and `routing` of the serving deployment table `d` into `spec` (after its
// `power_cap`, which several clusters exclude). `key`: deployment[i].
void read_routing(TomlTableReader& d, DeploymentSpec& spec, const std::string& key,
                  const std::string& file);

}  // namespace mlcycle
