#include "scenario/routing_reader.hpp"

#include <algorithm>
#include <cmath>

#include "scenario/placement_reader.hpp"

namespace mlcycle {

namespace {

// `latency_ms = { fr = 12 }`: the latency added to a request served in each listed cluster
// but the first (where requests arrive).
std::vector<double> read_added_latency(TomlTableReader& t, const std::vector<std::string>& clusters,
                                       const std::string& key, const std::string& file) {
  std::vector<double> added_ms(clusters.size(), 0.0);
  const toml::table* table = t.table("latency_ms");
  if (!table) {
    if (t.has("latency_ms"))
      throw t.error_at("latency_ms",
                       "expected a table of milliseconds per cluster, e.g. { fr = 12 }");
    return added_ms;
  }
  TomlTableReader latency(*table, key + ".latency_ms", file);
  for (const auto& [name, value] : *table) {
    const std::string cluster(name.str());
    const auto found = std::find(clusters.begin(), clusters.end(), cluster);
    if (found == clusters.end())
      throw latency.error_at(cluster, "'" + cluster + "' is not one of the deployment's clusters");
    if (found == clusters.begin())
      throw latency.error_at(cluster,
                             "requests arrive at the first cluster: no latency is added there");
    const std::optional<double> ms = latency.number(cluster);
    if (!ms || !(*ms >= 0) || !std::isfinite(*ms))
      throw latency.error_at(cluster, "must be a latency of at least 0 ms");
    added_ms[static_cast<std::size_t>(found - clusters.begin())] = *ms;
  }
  return added_ms;
}

}  // namespace

void read_routing(TomlTableReader& d, DeploymentSpec& spec, const std::string& key,
                  const std::string& file) {
  std::vector<std::string> clusters = read_clusters_key(d, spec.cluster, spec.cluster_where);
  const bool several = clusters.size() > 1;
  RoutingSpec routing;
  routing.where = d.location_of_key("clusters");
  if (d.has("routing")) {
    TomlTableReader t(*d.table("routing"), key + ".routing", file);
    if (!several)
      throw t.error_here(
          "needs 'clusters' with two or more clusters to route requests between (e.g. clusters "
          "= [\"de\", \"fr\"])");
    routing.where = t.error_here("").where();
    if (auto policy = t.string("policy")) {
      const std::optional<RoutingPolicy> parsed = parse_enum<RoutingPolicy>(*policy);
      if (!parsed) throw t.error_at("policy", not_one_of<RoutingPolicy>(*policy, true));
      routing.policy = *parsed;
    }
    routing.added_latency_ms = read_added_latency(t, clusters, key + ".routing", file);
    t.reject_unknown_keys();
  }
  if (!several) return;
  if (routing.added_latency_ms.empty()) routing.added_latency_ms.assign(clusters.size(), 0.0);
  spec.clusters = std::move(clusters);
  spec.serving.routing = std::move(routing);
  if (spec.serving.power_cap)
    throw d.error_at("power_cap",
                     "a service over several clusters cannot be power-capped (a cap's factors "
                     "depend on each cluster's GPUs)");
}

}  // namespace mlcycle
