#include "app/platform_command.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>

#include "app/option_error.hpp"
#include "core/input_error.hpp"
#include "scenario/hardware_catalog.hpp"
#include "scenario/link_units.hpp"
#include "scenario/platform_generator.hpp"

namespace mlcycle {

namespace po = boost::program_options;

namespace {

std::uint32_t count_option(const std::string& option, const std::string& text, bool required) {
  if (text.empty()) {
    if (required) throw option_error(option, "missing (a whole number of at least 1)");
    return 0;
  }
  if (text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos ||
      std::strtoul(text.c_str(), nullptr, 10) == 0)
    throw option_error(option, "'" + text + "' is not a whole number of at least 1");
  return static_cast<std::uint32_t>(std::strtoul(text.c_str(), nullptr, 10));
}

std::optional<double> number_option(const std::string& option, const std::string& text,
                                    double min_value) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(value))
    throw option_error(option, "'" + text + "' is not a number");
  if (value < min_value)
    throw option_error(option, "must be at least " + std::to_string(static_cast<int>(min_value)) +
                                   ", got " + text);
  return value;
}

GeneratedCluster cluster_from(const PlatformCli& cli) {
  GeneratedCluster c;
  c.where = kCommandLine;
  c.name = cli.name;
  if (c.name.empty() || c.name.find_first_of(" \"<>&'") != std::string::npos)
    throw option_error("--name", "'" + c.name + "' is not a cluster name (no spaces or quotes)");
  if (cli.gpu.empty()) throw option_error("--gpu", "missing (mlcycle platform --list names them)");
  c.gpu = cli.gpu;
  c.host = cli.host;
  c.nodes = count_option("--nodes", cli.nodes, true);
  c.gpus_per_node = count_option("--gpus-per-node", cli.gpus_per_node, cli.host.empty());
  const std::size_t colon = cli.topology.find(':');
  const auto topology = parse_topology(cli.topology.substr(0, colon));
  if (!topology)
    throw option_error("--topology", "'" + cli.topology.substr(0, colon) +
                                         "' is not one of: star, fat-tree, torus, dragonfly");
  c.topology = *topology;
  if (colon != std::string::npos) c.topology_parameters = cli.topology.substr(colon + 1);
  std::string error;
  const auto bps = parse_bandwidth_bps(cli.link, error);
  if (!bps) throw option_error("--link", error);
  c.link_bps = *bps;
  const auto latency = parse_latency_s(cli.latency, error);
  if (!latency) throw option_error("--latency", error);
  c.latency_s = *latency;
  c.region = cli.region;
  c.pue = number_option("--pue", cli.pue, 1);
  c.node_overhead_w = number_option("--node-overhead-w", cli.node_overhead_w, 0);
  return c;
}

int list_catalog(std::ostream& out) {
  const HardwareCatalog& catalog = builtin_catalog();
  out << std::left << std::setw(16) << "accelerator" << std::right << std::setw(10) << "BF16 TF/s"
      << std::setw(10) << "FP16 TF/s" << std::setw(10) << "FP32 TF/s" << std::setw(8) << "GB"
      << std::setw(8) << "TB/s" << std::setw(7) << "TDP W" << std::setw(8) << "idle W"
      << std::setw(6) << "MFU"
      << "  name\n";
  out << std::fixed;
  for (const AcceleratorSpec& a : catalog.accelerators)
    out << std::left << std::setw(16) << a.id << std::right << std::setprecision(1) << std::setw(10)
        << a.bf16_tflops << std::setw(10) << a.fp16_tflops << std::setw(10) << a.fp32_tflops
        << std::setprecision(0) << std::setw(8) << a.memory_gb << std::setprecision(2)
        << std::setw(8) << a.memory_tbps << std::setprecision(0) << std::setw(7) << a.tdp_w
        << std::setw(8) << a.idle_w << std::setprecision(2) << std::setw(6) << a.mfu << "  "
        << a.name << "\n";
  out << "\n"
      << std::left << std::setw(16) << "host" << std::right << std::setw(6) << "GPUs"
      << "  " << std::left << std::setw(16) << "accelerator" << std::right << std::setw(10)
      << "max W" << std::setw(14) << "overhead W"
      << "  name\n";
  for (const HostProfile& h : catalog.hosts)
    out << std::left << std::setw(16) << h.id << std::right << std::setw(6) << h.gpus << "  "
        << std::left << std::setw(16) << h.gpu << std::right << std::setprecision(0)
        << std::setw(10) << h.max_system_w << std::setw(7) << h.overhead_idle_w << "-" << std::left
        << std::setw(6) << h.overhead_busy_w << std::right << "  " << h.name << "\n";
  out << "\nfigures and their sources: platforms/hardware.toml, docs/hardware.md\n";
  return 0;
}

}  // namespace

po::options_description platform_options() {
  po::options_description options("platform options");
  // clang-format off
  options.add_options()
      ("list", po::bool_switch(), "list the hardware catalog and exit")
      ("gpu", po::value<std::string>(), "accelerator id of the catalog (e.g. h100-sxm)")
      ("host", po::value<std::string>(), "host profile id (node power besides its GPUs)")
      ("nodes", po::value<std::string>(), "number of nodes")
      ("gpus-per-node", po::value<std::string>(), "GPUs per node (default: the host profile's)")
      ("topology", po::value<std::string>(),
       "star | fat-tree | torus | dragonfly, optionally :PARAMETERS (SimGrid's)")
      ("link", po::value<std::string>(), "each node's link, e.g. 400Gbps (default 100Gbps)")
      ("latency", po::value<std::string>(), "each link's latency, e.g. 1us (default)")
      ("region", po::value<std::string>(), "grid region of the cluster (grid_region)")
      ("pue", po::value<std::string>(), "the cluster's PUE (default: none, 1.0)")
      ("node-overhead-w", po::value<std::string>(),
       "W per node besides its GPUs (default: the host profile's busy overhead, else 0)")
      ("name", po::value<std::string>(), "cluster id (default \"cluster\")");
  // clang-format on
  return options;
}

void parse_platform_options(const std::vector<std::string>& args, PlatformCli& platform) {
  po::options_description options = platform_options();
  options.add_options()("output,o", po::value<std::string>(), "");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  const auto text = [&](const char* name, std::string& into) {
    if (vm.count(name)) into = vm[name].as<std::string>();
  };
  platform.list = vm["list"].as<bool>();
  text("gpu", platform.gpu);
  text("host", platform.host);
  text("nodes", platform.nodes);
  text("gpus-per-node", platform.gpus_per_node);
  text("topology", platform.topology);
  text("link", platform.link);
  text("latency", platform.latency);
  text("region", platform.region);
  text("pue", platform.pue);
  text("node-overhead-w", platform.node_overhead_w);
  text("name", platform.name);
  text("output", platform.output_path);
  if (!platform.list && platform.output_path.empty())
    throw InputError(kCommandLine, "-o", "missing: the platform file to write");
}

int run_platform_command(const PlatformCli& cli, std::ostream& out) {
  if (cli.list) return list_catalog(out);
  const GeneratedCluster cluster = cluster_from(cli);
  const std::string xml = generate_platform_xml({cluster}, builtin_catalog());
  // Written whole to OUT.tmp, then renamed: no partial platform file.
  const std::filesystem::path path(cli.output_path);
  const std::filesystem::path tmp = path.string() + ".tmp";
  std::error_code unknown;
  if (std::filesystem::is_directory(path, unknown))
    throw InputError(kCommandLine, "-o", path.string() + " is a directory, not a file");
  const std::filesystem::path parent = path.parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent, unknown))
    throw InputError(kCommandLine, "-o", "no directory " + parent.string());
  {
    std::ofstream file(tmp, std::ios::binary);
    file << xml;
    file.close();
    if (!file) {
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      throw std::runtime_error("cannot write " + tmp.string());
    }
  }
  std::error_code renamed;
  std::filesystem::rename(tmp, path, renamed);
  if (renamed) {
    std::filesystem::remove(tmp, unknown);
    throw std::runtime_error("cannot write " + path.string() + ": " + renamed.message());
  }
  const AcceleratorSpec& gpu = *builtin_catalog().accelerator(cluster.gpu);
  const std::uint32_t per_node =
      cluster.gpus_per_node ? cluster.gpus_per_node : builtin_catalog().host(cluster.host)->gpus;
  out << path.string() << ": cluster '" << cluster.name << "', " << cluster.nodes << " nodes x "
      << per_node << " " << gpu.name << " = "
      << static_cast<std::uint64_t>(cluster.nodes) * per_node << " GPUs, "
      << topology_name(cluster.topology);
  const std::string parameters = topology_parameters(cluster);
  if (!parameters.empty()) out << " " << parameters;
  out << "\n";
  return 0;
}

}  // namespace mlcycle
