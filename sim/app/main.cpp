// mlcycle: parse the command line -> load the scenario -> run on SimGrid -> write the trace
// -> print the summary (or: run a sweep of such runs; or describe a trace file or a sweep).
// Bad input anywhere is one line on stderr and exit status 2.
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "app/cli.hpp"
#include "app/interrupt_cleanup.hpp"
#include "app/summary_table.hpp"
#include "app/sweep_command.hpp"
#include "core/input_error.hpp"
#include "output/trace_file.hpp"
#include "scenario/scenario_loader.hpp"

namespace {

std::chrono::steady_clock::time_point started;  // for the run file's wall_time_s

std::string default_output(const std::string& scenario_path) {
  std::filesystem::create_directories("results");
  return "results/" + std::filesystem::path(scenario_path).stem().string() + ".h5";
}

int run(const mlcycle::CliOptions& cli, int* argc, char*** argv) {
  using namespace mlcycle;
  if (cli.command == Command::sweep) return run_sweep_command(cli.sweep, argc, argv);
  if (cli.command == Command::info) return run_info_command(cli.info, std::cout);
  if (cli.command == Command::check && is_sweep_file(cli.scenario_path))
    return run_sweep_check(cli.scenario_path, cli.overrides, std::cout);
  Scenario scenario = load_scenario(cli.scenario_path, cli.overrides);
  if (cli.command == Command::check) {
    PlatformCheck check = check_platform(scenario, cli.engine);
    std::cout << cli.scenario_path << ": ok (" << scenario.campaigns.size() << " campaign(s), ";
    if (!scenario.stages.empty()) std::cout << scenario.stages.size() << " stage(s), ";
    if (!scenario.deployments.empty())
      std::cout << scenario.deployments.size() << " deployment(s), ";
    std::cout << check.hosts << " host(s)";
    for (std::size_t i = 0; i < check.cluster_names.size(); ++i)
      std::cout << (i ? ", " : "; ") << check.cluster_names[i] << ": " << check.cluster_gpus[i]
                << " GPUs";
    std::cout << ")\n";
    if (check.hosts >= 10000)  // a large platform: say what loading it costs a run
      std::cout << "  the platform alone: about " << std::fixed << std::setprecision(1)
                << check.expected_load_cpu_s << " s of CPU to load (twice: pre-flight and run) and "
                << std::setprecision(0) << check.expected_memory_mb << " MB of memory\n";
    return 0;
  }
  const std::string output =
      cli.output_path.empty() ? default_output(cli.scenario_path) : cli.output_path;
  // Ctrl-C or a batch time limit leaves no partial file, before and after SimGrid's engine
  // (which installs a SIGINT handler of its own) exists.
  const std::string temp_path = output + ".tmp";
  remove_on_interrupt(temp_path);
  EngineOptions engine = cli.engine;
  engine.on_engine_created = [&temp_path] { remove_on_interrupt(temp_path); };
  TraceFile trace(output, scenario.grids.size());
  RunOutcome outcome = run_simulation(scenario, trace, engine);
  outcome.provenance.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  trace.commit(scenario, outcome);
  keep_on_interrupt();
  if (!cli.quiet) print_summary(std::cout, scenario, outcome, output);
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  started = std::chrono::steady_clock::now();
  try {
    const mlcycle::CliOptions cli = mlcycle::parse_cli(argc, argv);
    switch (cli.command) {
      case mlcycle::Command::help:
        std::cout << cli.help_text;
        return 0;
      case mlcycle::Command::version:
        std::cout << "mlcycle " << MLCYCLE_VERSION << "\n";
        return 0;
      default:
        return run(cli, &argc, &argv);
    }
  } catch (const mlcycle::InputError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "mlcycle: error: " << mlcycle::one_line(e.what()) << "\n";
    return 1;
  }
}
