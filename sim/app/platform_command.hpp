#pragma once
// `mlcycle platform`: write a SimGrid platform for one cluster from the hardware catalog, or
// list the catalog (--list).
#include <ostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace mlcycle {

struct PlatformCli {
  bool list = false;
  std::string gpu, host, name = "cluster", topology = "star", link = "100Gbps", latency = "1us";
  std::string region, output_path;
  std::string nodes, gpus_per_node, pue, node_overhead_w;  // checked when the command runs
};

boost::program_options::options_description platform_options();
// Throws InputError (exit 2) on a usage error.
void parse_platform_options(const std::vector<std::string>& args, PlatformCli& platform);
int run_platform_command(const PlatformCli& platform, std::ostream& out);

}  // namespace mlcycle
