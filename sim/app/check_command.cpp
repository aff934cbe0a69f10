#include "app/check_command.hpp"

#include <iomanip>

#include "app/sweep_command.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/sweep_file_reader.hpp"

namespace mlcycle {

int run_check_command(const CliOptions& cli, std::ostream& out) {
  if (is_sweep_file(cli.scenario_path))
    return run_sweep_check_command(cli.scenario_path, cli.overrides, out);
  const Scenario scenario = load_scenario(cli.scenario_path, cli.overrides);
  const PlatformCheck check = check_platform(scenario, cli.engine);
  out << cli.scenario_path << ": ok (" << scenario.campaigns.size() << " campaign(s), ";
  if (!scenario.stages.empty()) out << scenario.stages.size() << " stage(s), ";
  if (!scenario.deployments.empty()) out << scenario.deployments.size() << " deployment(s), ";
  out << check.hosts << " host(s)";
  for (std::size_t i = 0; i < check.cluster_names.size(); ++i)
    out << (i ? ", " : "; ") << check.cluster_names[i] << ": " << check.cluster_gpus[i] << " GPUs";
  out << ")\n";
  if (check.hosts >= 10000)  // a large platform: say what loading it costs a run
    out << "  the platform alone: about " << std::fixed << std::setprecision(1)
        << check.expected_load_cpu_s << " s of CPU to load (twice: pre-flight and run) and "
        << std::setprecision(0) << check.expected_memory_mb << " MB of memory\n";
  return 0;
}

}  // namespace mlcycle
