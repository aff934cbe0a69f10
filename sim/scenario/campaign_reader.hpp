#pragma once
// One [[campaign]] table: its trials (independent or a search), arrivals, failures, requests
// for the scheduler and the data-parallel step model.
#include <cstddef>
#include <set>
#include <string>

#include "scenario/scenario.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

// The keys a [[campaign]] and a [[replay]] share: `name` (default `default_name`, unique among
// `names`; a clash names the `earlier` kind of table), `phase` and `cluster`.
void read_campaign_identity(TomlTableReader& r, CampaignSpec& spec, const std::string& default_name,
                            std::set<std::string>& names, const std::string& earlier);

CampaignSpec read_campaign(const toml::node& node, std::size_t index, const std::string& file,
                           std::set<std::string>& names);

}  // namespace mlcycle
