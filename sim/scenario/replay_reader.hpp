#pragma once
// One [[replay]] table: a job log and how to replay it, read into a campaign (docs/replay.md).
//   [[replay]]
//   name = "cluster-2024", log = "cluster.sacct", utc_offset = "+01:00",
//   anchor = "first-submit", speed = 1.5, phase_by = "account", phases = { prod = "training" }
#include <cstddef>
#include <filesystem>
#include <set>
#include <string>

#include "scenario/scenario.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

CampaignSpec read_replay(const toml::node& node, std::size_t index, const std::string& file,
                         const std::filesystem::path& base_dir, std::set<std::string>& names);

}  // namespace mlcycle
