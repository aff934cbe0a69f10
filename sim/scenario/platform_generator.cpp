#include "scenario/platform_generator.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "core/limits.hpp"
#include "core/number_text.hpp"

#include "scenario/topology_shapes.hpp"

namespace mlcycle {

namespace {

// A [[cluster]] key is "cluster[0].nodes"; on the command line (no `key`), "--nodes".
InputError cluster_error(const GeneratedCluster& c, const std::string& key,
                         const std::string& message) {
  if (!c.key.empty()) return InputError(c.where, c.key + (key.empty() ? "" : "." + key), message);
  std::string option = "--" + (key.empty() ? std::string("name") : key);
  std::replace(option.begin(), option.end(), '_', '-');
  return InputError(c.where, option, message);
}

struct ResolvedCluster {
  const AcceleratorSpec* gpu = nullptr;
  std::uint32_t gpus_per_node = 0;
  double node_overhead_w = 0;
  std::string topology_parameters;
};

ResolvedCluster resolve(const GeneratedCluster& c, const HardwareCatalog& catalog) {
  ResolvedCluster r;
  r.gpu = catalog.accelerator(c.gpu);
  if (!r.gpu)
    throw cluster_error(
        c, "gpu", "unknown accelerator '" + c.gpu + "' (known: " + catalog.accelerator_ids() + ")");
  const HostProfile* host = nullptr;
  if (!c.host.empty()) {
    host = catalog.host(c.host);
    if (!host)
      throw cluster_error(
          c, "host", "unknown host profile '" + c.host + "' (known: " + catalog.host_ids() + ")");
  }
  if (c.nodes < 1 || c.nodes > limits::kMaxHosts)
    throw cluster_error(c, "nodes", "must be 1 to " + std::to_string(limits::kMaxHosts));
  if (c.gpus_per_node > limits::kMaxCoresPerHost)
    throw cluster_error(c, "gpus_per_node",
                        "must be 1 to " + std::to_string(limits::kMaxCoresPerHost));
  if (!plain_name(c.name))
    throw cluster_error(c, "", "'" + c.name + "' is not a cluster id (letters, digits, _ -)");
  if (!c.region.empty() && !plain_name(c.region))
    throw cluster_error(c, "region",
                        "'" + c.region + "' is not a grid region name (letters, digits, _ -)");
  if (host && host->gpu != c.gpu)
    throw cluster_error(c, "host",
                        "host profile '" + host->id + "' holds " + host->gpu + ", not " + c.gpu);
  r.gpus_per_node = c.gpus_per_node;
  if (r.gpus_per_node == 0) {
    if (!host) throw cluster_error(c, "gpus_per_node", "missing (or give a host profile)");
    r.gpus_per_node = host->gpus;
  } else if (host && host->gpus != r.gpus_per_node) {
    throw cluster_error(c, "gpus_per_node",
                        std::to_string(r.gpus_per_node) + " GPUs per node, but host profile '" +
                            host->id + "' holds " + std::to_string(host->gpus));
  }
  r.node_overhead_w = c.node_overhead_w.value_or(host ? host->overhead_busy_w : 0.0);
  r.topology_parameters = topology_parameters(c);
  return r;
}

std::string router_of(const GeneratedCluster& c) {
  return c.name + "-" + c.name + "_router";
}

void write_cluster(std::ostringstream& xml, const GeneratedCluster& c, const ResolvedCluster& r,
                   const std::string& indent) {
  const double gpus = r.gpus_per_node;
  xml << indent << "<!-- " << c.nodes << " nodes x " << r.gpus_per_node << " " << r.gpu->name
      << " (catalog '" << r.gpu->id << "'), " << topology_name(c.topology) << " -->\n";
  xml << indent << "<cluster id=\"" << c.name << "\" prefix=\"" << c.name
      << "-\" suffix=\"\" radical=\"0-" << c.nodes - 1 << "\" core=\"" << r.gpus_per_node
      << "\" speed=\"" << shortest_text(r.gpu->training_peak_flops()) << "f\" bw=\""
      << shortest_text(c.link_bps) << "bps\" lat=\"" << shortest_text(c.latency_s) << "s\"";
  if (c.topology == Topology::star) {
    // A non-blocking switch: the backbone carries every node's link at once.
    xml << " bb_bw=\"" << shortest_text(c.link_bps * c.nodes) << "bps\" bb_lat=\""
        << shortest_text(c.latency_s) << "s\"";
  } else {
    xml << " topology=\"" << simgrid_topology_tag(c.topology) << "\" topo_parameters=\""
        << r.topology_parameters << "\"";
  }
  xml << ">\n";
  const std::string prop = indent + "  <prop id=\"";
  xml << prop << "wattage_per_state\" value=\"" << shortest_text(gpus * r.gpu->idle_w) << ":"
      << shortest_text(gpus * r.gpu->idle_w) << ":" << shortest_text(gpus * r.gpu->tdp_w)
      << "\"/>\n";
  xml << prop << "node_overhead_w\" value=\"" << shortest_text(r.node_overhead_w) << "\"/>\n";
  if (c.pue) xml << prop << "pue\" value=\"" << shortest_text(*c.pue) << "\"/>\n";
  if (!c.region.empty()) xml << prop << "grid_region\" value=\"" << c.region << "\"/>\n";
  xml << prop << "accelerator\" value=\"" << r.gpu->id << "\"/>\n";
  xml << indent << "</cluster>\n";
}

}  // namespace

bool plain_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}

std::optional<Topology> parse_topology(const std::string& name) {
  if (name == "star") return Topology::star;
  if (name == "fat-tree") return Topology::fat_tree;
  if (name == "torus") return Topology::torus;
  if (name == "dragonfly") return Topology::dragonfly;
  return std::nullopt;
}

const char* topology_name(Topology topology) {
  switch (topology) {
    case Topology::star:
      return "star";
    case Topology::fat_tree:
      return "fat-tree";
    case Topology::torus:
      return "torus";
    case Topology::dragonfly:
      return "dragonfly";
  }
  return "?";
}

std::string topology_parameters(const GeneratedCluster& c) {
  if (c.topology == Topology::star) {
    if (!c.topology_parameters.empty())
      throw cluster_error(c, "topology", "a star takes no parameters");
    return "";
  }
  std::string error;
  const std::string parameters =
      c.topology_parameters.empty()
          ? choose_topology_parameters(c.topology, c.nodes, error)
          : check_topology_parameters(c.topology, c.topology_parameters, c.nodes, error);
  if (!error.empty()) throw cluster_error(c, "topology", error);
  return parameters;
}

std::string generate_platform_xml(const std::vector<GeneratedCluster>& clusters,
                                  const HardwareCatalog& catalog, const WideAreaLink& wan) {
  std::vector<ResolvedCluster> resolved;
  for (const GeneratedCluster& c : clusters) {
    for (const GeneratedCluster& other : clusters)
      if (&other != &c && other.name == c.name)
        throw cluster_error(c, "", "two clusters named '" + c.name + "'");
    resolved.push_back(resolve(c, catalog));
  }
  std::ostringstream xml;
  xml << "<?xml version='1.0'?>\n"
         "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
         "<!-- Generated by mlcycle from its hardware catalog (platforms/hardware.toml, sources\n"
         "     there). A busy GPU draws its TDP, an idle one its idle power. -->\n"
         "<platform version=\"4.1\">\n";
  if (clusters.size() == 1) {
    write_cluster(xml, clusters[0], resolved[0], "  ");
  } else {
    xml << "  <zone id=\"clusters\" routing=\"Full\">\n";
    for (std::size_t i = 0; i < clusters.size(); ++i)
      write_cluster(xml, clusters[i], resolved[i], "    ");
    // SimGrid's DTD wants every <link> of a zone before its first route.
    for (std::size_t i = 0; i < clusters.size(); ++i)
      for (std::size_t j = i + 1; j < clusters.size(); ++j)
        xml << "    <link id=\"" << clusters[i].name << "--" << clusters[j].name
            << "\" bandwidth=\"" << shortest_text(wan.bps) << "bps\" latency=\""
            << shortest_text(wan.latency_s) << "s\"/>\n";
    for (std::size_t i = 0; i < clusters.size(); ++i)
      for (std::size_t j = i + 1; j < clusters.size(); ++j)
        xml << "    <zoneRoute src=\"" << clusters[i].name << "\" dst=\"" << clusters[j].name
            << "\" gw_src=\"" << router_of(clusters[i]) << "\" gw_dst=\"" << router_of(clusters[j])
            << "\"><link_ctn id=\"" << clusters[i].name << "--" << clusters[j].name
            << "\"/></zoneRoute>\n";
    xml << "  </zone>\n";
  }
  xml << "</platform>\n";
  return xml.str();
}

}  // namespace mlcycle
