#pragma once
// The command line, parsed by Boost.Program_options into plain options before SimGrid exists.
#include <string>
#include <vector>

#include "app/info_command.hpp"
#include "app/platform_command.hpp"
#include "app/replay_stats_command.hpp"
#include "engine/simulation.hpp"
#include "sweep/sweep_request.hpp"

namespace mlcycle {

enum class Command { help, version, run, check, sweep, info, platform, replay_stats };

struct CliOptions {
  Command command = Command::help;
  std::string scenario_path;
  std::string output_path;             // empty: results/<scenario name>.h5
  std::vector<std::string> overrides;  // --set, then --seed, in order
  bool quiet = false;
  EngineOptions engine;
  SweepRequest sweep;
  InfoCli info;
  PlatformCli platform;
  ReplayStatsCli replay_stats;
  std::string help_text;
};

// Throws InputError (exit 2) on a usage error.
CliOptions parse_cli(int argc, const char* const argv[]);

}  // namespace mlcycle
