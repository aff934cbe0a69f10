#pragma once
// One [[campaign]] table: its trials (independent or a search), arrivals, failures, requests
// for the scheduler and the data-parallel step model.
#include <cstddef>
#include <set>
#include <string>

#include "scenario/scenario.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

CampaignSpec read_campaign(const toml::node& node, std::size_t index, const std::string& file,
                           std::set<std::string>& names);

}  // namespace mlcycle
