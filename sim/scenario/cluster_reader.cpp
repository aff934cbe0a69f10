#include "scenario/cluster_reader.hpp"

#include "core/limits.hpp"
#include "scenario/hardware_catalog_reader.hpp"
#include "scenario/link_units.hpp"

namespace mlcycle {

namespace {

std::uint32_t count(TomlTableReader& t, std::string_view key, bool required, std::int64_t most) {
  auto value = t.integer(key);
  if (!value) {
    if (required) throw t.error_here("missing key '" + std::string(key) + "'");
    return 0;
  }
  if (*value < 1 || *value > most) throw t.error_at(key, "must be 1 to " + std::to_string(most));
  return static_cast<std::uint32_t>(*value);
}

// A link's bandwidth (key `bandwidth_key`) and `latency`, each kept as given when absent.
void read_link(TomlTableReader& t, std::string_view bandwidth_key, double& bps, double& latency_s) {
  std::string error;
  if (auto text = t.string(bandwidth_key)) {
    auto parsed = parse_bandwidth_bps(*text, error);
    if (!parsed) throw t.error_at(bandwidth_key, error);
    bps = *parsed;
  }
  if (auto text = t.string("latency")) {
    auto parsed = parse_latency_s(*text, error);
    if (!parsed) throw t.error_at("latency", error);
    latency_s = *parsed;
  }
}

GeneratedCluster read_cluster(TomlTableReader& t, const HardwareCatalog& catalog,
                              const std::string& key) {
  GeneratedCluster c;
  c.where = t.location_of_key("name");
  auto name = t.string("name");
  if (!name) throw t.error_here("missing key 'name' (the cluster's id)");
  if (!plain_name(*name))
    throw t.error_at("name", "'" + *name + "' is not a cluster id (letters, digits, _ -)");
  c.name = *name;
  c.key = key;
  auto gpu = t.string("gpu");
  if (!gpu) throw t.error_here("missing key 'gpu' (an accelerator of the catalog)");
  if (!catalog.accelerator(*gpu))
    throw t.error_at(
        "gpu", "unknown accelerator '" + *gpu + "' (known: " + catalog.accelerator_ids() + ")");
  c.gpu = *gpu;
  if (auto host = t.string("host")) {
    const HostProfile* profile = catalog.host(*host);
    if (!profile)
      throw t.error_at("host",
                       "unknown host profile '" + *host + "' (known: " + catalog.host_ids() + ")");
    if (profile->gpu != c.gpu)
      throw t.error_at("host",
                       "host profile '" + *host + "' holds " + profile->gpu + ", not " + c.gpu);
    c.host = *host;
  }
  c.nodes = count(t, "nodes", true, static_cast<std::int64_t>(limits::kMaxHosts));
  c.gpus_per_node = count(t, "gpus_per_node", c.host.empty(), limits::kMaxCoresPerHost);
  if (!c.host.empty() && c.gpus_per_node && catalog.host(c.host)->gpus != c.gpus_per_node)
    throw t.error_at("gpus_per_node", std::to_string(c.gpus_per_node) +
                                          " GPUs per node, but host profile '" + c.host +
                                          "' holds " + std::to_string(catalog.host(c.host)->gpus));
  if (auto topology = t.string("topology")) {
    const std::size_t colon = topology->find(':');
    const auto parsed = parse_topology(topology->substr(0, colon));
    if (!parsed)
      throw t.error_at("topology", "'" + topology->substr(0, colon) +
                                       "' is not one of: star, fat-tree, torus, dragonfly");
    c.topology = *parsed;
    if (colon != std::string::npos) c.topology_parameters = topology->substr(colon + 1);
  }
  read_link(t, "link", c.link_bps, c.latency_s);
  if (auto region = t.string("region")) {
    if (!plain_name(*region))
      throw t.error_at("region",
                       "'" + *region + "' is not a grid region name (letters, digits, _ -)");
    c.region = *region;
  }
  if (auto pue = t.number("pue")) {
    if (*pue < 1) throw t.error_at("pue", "must be at least 1");
    c.pue = pue;
  }
  if (auto overhead = t.number("node_overhead_w")) {
    if (*overhead < 0) throw t.error_at("node_overhead_w", "must not be negative");
    c.node_overhead_w = overhead;
  }
  t.reject_unknown_keys();
  // The shape's errors belong to the topology key.
  GeneratedCluster located = c;
  located.where = t.location_of_key("topology");
  topology_parameters(located);
  return c;
}

WideAreaLink read_wide_area(TomlTableReader& root) {
  WideAreaLink wan;
  const toml::table* table = root.table("wide_area");
  if (!table) return wan;
  TomlTableReader t(*table, "wide_area", root.file());
  read_link(t, "bandwidth", wan.bps, wan.latency_s);
  t.reject_unknown_keys();
  return wan;
}

}  // namespace

HardwareCatalog read_scenario_catalog(TomlTableReader& root) {
  HardwareCatalog catalog = builtin_catalog();
  if (const toml::table* table = root.table("catalog")) {
    TomlTableReader t(*table, "catalog", root.file());
    read_catalog_entries(t, catalog, false);
  }
  return catalog;
}

GeneratedPlatform read_generated_platform(TomlTableReader& root, const HardwareCatalog& catalog) {
  GeneratedPlatform platform;
  const toml::array* clusters = root.array("cluster");
  const bool has_wide_area = root.has("wide_area");
  platform.wide_area = read_wide_area(root);
  if (!clusters) {
    if (has_wide_area)
      throw root.error_at("wide_area", "joins [[cluster]] tables, and the scenario has none");
    return platform;
  }
  std::vector<SourceLocation> topology_keys;
  for (std::size_t i = 0; i < clusters->size(); ++i) {
    const toml::node& node = *clusters->get(i);
    const std::string key = "cluster[" + std::to_string(i) + "]";
    if (!node.is_table())
      throw InputError(toml_location(node, root.file()), key, "expected a table");
    TomlTableReader t(*node.as_table(), key, root.file());
    platform.clusters.push_back(read_cluster(t, catalog, key));
    topology_keys.push_back(t.location_of_key("topology"));
  }
  std::uint64_t hosts = 0;
  for (const GeneratedCluster& c : platform.clusters) hosts += c.nodes;
  if (hosts > limits::kMaxHosts)
    throw root.error_at("cluster", "the clusters hold " + std::to_string(hosts) +
                                       " nodes, more than " + std::to_string(limits::kMaxHosts));
  // SimGrid 3.32 builds fat-tree, torus and dragonfly clusters without a router, and its XML
  // cannot give them one: nothing could route between them and another cluster.
  for (std::size_t i = 0; platform.clusters.size() > 1 && i < platform.clusters.size(); ++i)
    if (platform.clusters[i].topology != Topology::star)
      throw InputError(topology_keys[i], platform.clusters[i].key + ".topology",
                       std::string("a ") + topology_name(platform.clusters[i].topology) +
                           " cluster has no gateway in SimGrid 3.32, so it cannot be joined to "
                           "other clusters: use \"star\" in a platform of several clusters");
  platform.xml = generate_platform_xml(platform.clusters, catalog, platform.wide_area);
  return platform;
}

}  // namespace mlcycle
