// mlcycle: parse the command line, hand the command to its file (run_command, check_command,
// sweep_command, info_command, platform_command), print what it reports. Bad input anywhere is one
// line on stderr and exit status 2; any other failure one line and exit status 1.
#include <chrono>
#include <iostream>

#include "app/check_command.hpp"
#include "app/cli.hpp"
#include "app/huge_page_heap.hpp"
#include "app/info_command.hpp"
#include "app/platform_command.hpp"
#include "app/replay_stats_command.hpp"
#include "app/run_command.hpp"
#include "app/sweep_command.hpp"
#include "core/input_error.hpp"

int main(int argc, char* argv[]) {
  const auto started = std::chrono::steady_clock::now();  // for the run file's wall_time_s
  using namespace mlcycle;
  back_heap_with_huge_pages();
  try {
    const CliOptions cli = parse_cli(argc, argv);
    switch (cli.command) {
      case Command::help:
        std::cout << cli.help_text;
        return 0;
      case Command::version:
        std::cout << "mlcycle " << MLCYCLE_VERSION << "\n";
        return 0;
      case Command::run:
        return run_run_command(cli, started, std::cout);
      case Command::check:
        return run_check_command(cli, std::cout);
      case Command::sweep:
        return run_sweep_command(cli.sweep, &argc, &argv, std::cout);
      case Command::info:
        return run_info_command(cli.info, std::cout);
      case Command::platform:
        return run_platform_command(cli.platform, std::cout);
      case Command::replay_stats:
        return run_replay_stats_command(cli.replay_stats, std::cout);
    }
    return 0;
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "mlcycle: error: " << one_line(e.what()) << "\n";
    return 1;
  }
}
