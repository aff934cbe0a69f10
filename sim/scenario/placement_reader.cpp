#include "scenario/placement_reader.hpp"

#include <algorithm>
#include <cmath>

#include "scenario/forecast_reader.hpp"

namespace mlcycle {

namespace {

PlacementSpec read_placement_table(TomlTableReader& t) {
  PlacementSpec spec;
  spec.where = t.error_here("").where();
  if (!t.has("policy"))
    throw t.error_here("missing key 'policy' (" + enum_name_list<PlacementPolicy>(true) + ")");
  const std::string policy = *t.string("policy");
  const std::optional<PlacementPolicy> parsed = parse_enum<PlacementPolicy>(policy);
  if (!parsed) throw t.error_at("policy", not_one_of<PlacementPolicy>(policy, true));
  spec.policy = *parsed;
  if (spec.policy == PlacementPolicy::lowest_forecast) {
    read_forecast_keys(t, spec);
  } else {
    for (const char* key :
         {"forecast", "forecast_lag", "forecast_error", "forecast_correlation", "expected_length"})
      if (t.has(key)) throw t.error_at(key, "applies to policy = \"lowest-forecast\" only");
  }
  if (t.has("data_gb")) {
    const double gb = *t.number("data_gb");
    if (!(gb >= 0) || !std::isfinite(gb))
      throw t.error_at("data_gb", "must be a data volume of at least 0 GB");
    constexpr double kMaxDataGb = 1e9;  // an exabyte per job; keeps the bytes in 64 bits
    if (gb > kMaxDataGb) throw t.error_at("data_gb", "at most 1e9 GB (an exabyte) per job");
    spec.data_gb = gb;
  }
  t.reject_unknown_keys();
  return spec;
}

}  // namespace

std::vector<std::string> read_clusters_key(TomlTableReader& c, std::string& cluster,
                                           SourceLocation& cluster_where) {
  if (!c.has("clusters")) return {};
  if (c.has("cluster")) throw c.error_at("clusters", "give 'cluster' or 'clusters', not both");
  std::vector<std::string> clusters = read_cluster_names(c);
  cluster = clusters.front();
  cluster_where = c.location_of_key("clusters");
  return clusters;
}

std::vector<std::string> read_cluster_names(TomlTableReader& c) {
  const toml::array* list = c.array("clusters");
  if (!list) throw c.error_at("clusters", "expected a list of cluster names");
  std::vector<std::string> names;
  for (const toml::node& item : *list) {
    if (!item.is_string()) throw c.error_at("clusters", "expected cluster names (strings)");
    std::string name = item.as_string()->get();
    if (name.empty()) throw c.error_at("clusters", "a cluster name must not be empty");
    if (std::find(names.begin(), names.end(), name) != names.end())
      throw c.error_at("clusters", "'" + name + "' is listed twice");
    names.push_back(std::move(name));
  }
  if (names.empty()) throw c.error_at("clusters", "must name at least one cluster");
  return names;
}

void read_placement(TomlTableReader& c, CampaignSpec& spec, const std::string& key,
                    const std::string& file) {
  std::vector<std::string> clusters = read_clusters_key(c, spec.cluster, spec.cluster_where);
  const bool several = clusters.size() > 1;
  if (c.has("placement")) {
    TomlTableReader t(*c.table("placement"), key + ".placement", file);
    if (!several)
      throw t.error_here(
          "needs 'clusters' with two or more clusters to place jobs on (e.g. clusters = "
          "[\"de\", \"fr\"])");
    spec.placement = read_placement_table(t);
  } else if (several) {
    spec.placement = PlacementSpec{};  // round-robin: the baseline
    spec.placement->where = c.location_of_key("clusters");
  }
  if (!several) return;
  spec.clusters = std::move(clusters);
  // One job, one decision: a shift or a cap would need the grid of a cluster not yet chosen.
  if (spec.shift)
    throw c.error_at("shift",
                     "a campaign placed over several clusters cannot also shift in time: use "
                     "'clusters' or 'shift'");
  if (spec.power_cap)
    throw c.error_at("power_cap",
                     "a campaign placed over several clusters cannot be power-capped (a cap's "
                     "run-time factor depends on the cluster a job lands on)");
}

}  // namespace mlcycle
