#pragma once
// A serving deployment's `llm` table (docs/llm-serving.md, docs/scenarios.md): the model, the
// replica's GPU and tensor parallelism, efficiencies and the request segments.
#include <filesystem>
#include <vector>

#include "scenario/deployment_spec.hpp"
#include "scenario/hardware_catalog.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

// Reads `llm` of the deployment table `d` into spec.replica.llm, when there is one. The
// replica table and latency_target_ms do not go with it (a located InputError). A `measured`
// table's path is relative to `base_dir` (the scenario's directory).
void read_llm(TomlTableReader& d, ServingSpec& spec, const std::filesystem::path& base_dir);

// Fills each llm replica's peak FLOP/s, memory and bandwidth from the catalog entry its `gpu`
// names (figures given in the table win); an unknown id is an InputError listing the known ones.
// A replica from measured operating points takes nothing from the catalog: its `gpu` only
// picks the table's rows.
void resolve_llm_gpus(std::vector<DeploymentSpec>& deployments, const HardwareCatalog& catalog);

}  // namespace mlcycle
