#pragma once
// Reader of a campaign's spatial shifting: `clusters = [...]` (two or more clusters a job may
// be placed on) and `placement = {...}` (how); see docs/scenarios.md and docs/carbon-aware.md.
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

// The `clusters` list of table `c`: names, each once, at least one (a campaign's, or a serving
// deployment's).
std::vector<std::string> read_cluster_names(TomlTableReader& c);
// The same if `c` has the key (else none), which then replaces `cluster` (an error with it):
// `cluster` becomes the first, located at the list.
std::vector<std::string> read_clusters_key(TomlTableReader& c, std::string& cluster,
                                           SourceLocation& cluster_where);

// Reads `clusters` and `placement` of the campaign table `c` into `spec` (after its `shift`
// and `power_cap`, which a placement over several clusters excludes). `key`: the campaign's
// key in error messages (campaign[i]).
void read_placement(TomlTableReader& c, CampaignSpec& spec, const std::string& key,
                    const std::string& file);

}  // namespace mlcycle
