#pragma once
// [[deployment]] tables: the keys every deployment has, then the serving or fleet model's own.
#include <filesystem>
#include <vector>

#include "scenario/scenario.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

std::vector<DeploymentSpec> read_deployments(TomlTableReader& root, const UtcTime& start,
                                             const std::filesystem::path& base_dir);

}  // namespace mlcycle
