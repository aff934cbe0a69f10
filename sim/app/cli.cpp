#include "app/cli.hpp"

#include <boost/program_options.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "core/input_error.hpp"

namespace mlcycle {

namespace po = boost::program_options;

namespace {

InputError usage_error(const std::string& message) {
  return InputError(SourceLocation{"command line", 0, 0}, "", message + " (see mlcycle --help)");
}

po::options_description run_options() {
  po::options_description options("run / check options");
  // clang-format off
  options.add_options()
      ("output,o", po::value<std::string>(), "trace file to write (default results/<scenario>.h5)")
      ("set", po::value<std::vector<std::string>>()->composing(),
       "override a scenario value: KEY.PATH=VALUE (repeatable)")
      ("seed", po::value<std::string>(), "same as --set simulation.seed=N")
      ("quiet,q", po::bool_switch(), "print nothing on success")
      ("sg-cfg", po::value<std::vector<std::string>>()->composing(),
       "SimGrid setting KEY:VALUE (repeatable)")
      ("sg-log", po::value<std::vector<std::string>>()->composing(),
       "SimGrid log control, e.g. root.thres:info (repeatable)");
  // clang-format on
  return options;
}

// SimGrid aborts the process on malformed settings (xbt_die): check their shape first. Whether
// a --sg-cfg key exists only SimGrid knows; it throws, and that becomes an input error too.
std::optional<std::string> sg_cfg_problem(const std::string& setting) {
  const std::size_t colon = setting.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == setting.size())
    return "expected KEY:VALUE, e.g. network/model:CM02";
  return std::nullopt;
}

std::optional<std::string> sg_log_problem(const std::string& setting) {
  static const std::set<std::string> kLevels{"trace",   "debug", "verbose", "info",
                                             "warning", "error", "critical"};
  static const std::set<std::string> kKinds{"thres",    "threshold", "fmt",       "app",
                                            "appender", "add",       "additivity"};
  const std::size_t colon = setting.find(':');
  const std::size_t dot = setting.rfind('.', colon);
  if (colon == std::string::npos || dot == std::string::npos || dot == 0)
    return "expected CATEGORY.KIND:VALUE, e.g. root.thres:info";
  const std::string kind = setting.substr(dot + 1, colon - dot - 1);
  if (!kKinds.count(kind)) return "'" + kind + "' is not one of thres, fmt, app, add";
  const std::string value = setting.substr(colon + 1);
  if ((kind == "thres" || kind == "threshold") && !kLevels.count(value))
    return "'" + value + "' is not a level (trace, debug, verbose, info, warning, error, critical)";
  if ((kind == "add" || kind == "additivity") && value != "yes" && value != "no" && value != "on" &&
      value != "off" && value != "1" && value != "0")
    return "'" + value + "' is not yes or no";
  if (value.empty()) return "empty value";
  return std::nullopt;
}

po::options_description sweep_options() {
  po::options_description options("sweep options");
  // clang-format off
  options.add_options()
      ("output,o", po::value<std::string>(), "sweep directory (runs/, sweep.h5, sweep.csv)")
      ("vary", po::value<std::vector<std::string>>()->composing(),
       "an axis: KEY=V1,V2,... or KEY=START:STOP:STEP (repeatable; the product is swept)")
      ("zip", po::value<std::vector<std::string>>()->composing(),
       "KEY=V1,V2,...: all --zip keys vary together, as one axis")
      ("set", po::value<std::vector<std::string>>()->composing(), "override for every point")
      ("replicates", po::value<std::uint32_t>(), "seeds per point: the scenario's seed + 0..N-1")
      ("jobs,j", po::value<unsigned>(),
       "runs at once on this machine; under MPI, on every rank")
      ("resume", po::bool_switch(), "keep the complete run files of DIR and run the rest");
  // clang-format on
  return options;
}

void parse_sweep_options(const std::vector<std::string>& args, SweepRequest& sweep) {
  po::options_description options = sweep_options();
  options.add_options()("input", po::value<std::vector<std::string>>(), "");
  po::positional_options_description input;
  input.add("input", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(input).run(), vm);
  if (!vm.count("input")) throw usage_error("missing SCENARIO or SWEEP file");
  if (vm["input"].as<std::vector<std::string>>().size() != 1)
    throw usage_error("expected one SCENARIO or SWEEP file");
  sweep.input = vm["input"].as<std::vector<std::string>>().front();
  if (!vm.count("output")) throw usage_error("sweep needs -o DIR");
  sweep.dir = vm["output"].as<std::string>();
  if (sweep.dir.empty()) throw usage_error("--output: empty path");
  auto strings = [&](const char* name) {
    return vm.count(name) ? vm[name].as<std::vector<std::string>>() : std::vector<std::string>{};
  };
  sweep.vary = strings("vary");
  sweep.zip = strings("zip");
  sweep.overrides = strings("set");
  if (vm.count("replicates")) {
    sweep.replicates = vm["replicates"].as<std::uint32_t>();
    if (*sweep.replicates == 0) throw usage_error("--replicates: at least 1");
  }
  if (vm.count("jobs")) {
    sweep.jobs = vm["jobs"].as<unsigned>();
    if (*sweep.jobs == 0) throw usage_error("--jobs: at least 1");
  }
  sweep.resume = vm["resume"].as<bool>();
}

po::options_description info_options() {
  po::options_description options("info options (sweep directories)");
  // clang-format off
  options.add_options()
      ("sort", po::value<std::string>(), "order the runs by this /runs column (numeric or text)")
      ("desc", po::bool_switch(), "with --sort: largest first")
      ("columns", po::value<std::string>(),
       "A,B,...: the result columns to show (default co2_g_total, energy_j_total, cost, "
       "makespan_s, inference_share)");
  // clang-format on
  return options;
}

void parse_info_options(const std::vector<std::string>& args, InfoCli& info) {
  po::options_description options = info_options();
  options.add_options()("input", po::value<std::vector<std::string>>(), "");
  po::positional_options_description input;
  input.add("input", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(input).run(), vm);
  if (!vm.count("input")) throw usage_error("missing RUN.h5 or SWEEP_DIR");
  if (vm["input"].as<std::vector<std::string>>().size() != 1)
    throw usage_error("expected one RUN.h5 or SWEEP_DIR");
  info.path = vm["input"].as<std::vector<std::string>>().front();
  if (info.path.empty()) throw usage_error("info: empty path");
  if (vm.count("sort")) {
    info.sort = vm["sort"].as<std::string>();
    if (info.sort.empty()) throw usage_error("--sort: empty column name");
  }
  info.descending = vm["desc"].as<bool>();
  if (info.descending && info.sort.empty()) throw usage_error("--desc needs --sort COLUMN");
  if (vm.count("columns")) {
    std::istringstream list(vm["columns"].as<std::string>());
    for (std::string name; std::getline(list, name, ',');) {
      const std::size_t first = name.find_first_not_of(' ');
      const std::size_t last = name.find_last_not_of(' ');
      if (first == std::string::npos)
        throw usage_error("--columns: expected A,B,... (column names, no empty ones)");
      info.columns.push_back(name.substr(first, last - first + 1));
    }
    if (info.columns.empty()) throw usage_error("--columns: expected A,B,... (column names)");
  }
}

std::string help_text() {
  std::ostringstream text;
  text << "mlcycle: discrete-event simulation of ML experiment lifecycles, energy and carbon\n\n"
          "usage:\n"
          "  mlcycle run SCENARIO.toml [-o OUT.h5] [--set KEY=VALUE]... [--seed N] [--quiet]\n"
          "  mlcycle check SCENARIO.toml [--set KEY=VALUE]...   validate, run nothing\n"
          "  mlcycle sweep SCENARIO.toml|SWEEP.toml -o DIR [--vary KEY=V1,V2,...|KEY=A:B:STEP]...\n"
          "                [--zip KEY=V1,V2,...]... [--replicates N] [--jobs N] [--resume]\n"
          "                (under mpirun or srun, the points are shared among the ranks)\n"
          "  mlcycle info RUN.h5|SWEEP_DIR [--sort COLUMN [--desc]] [--columns A,B,...]\n"
          "                a run's summary table, or a sweep's runs\n"
          "  mlcycle platform --gpu ID --nodes N [--gpus-per-node K] [--topology T] -o OUT.xml\n"
          "                a SimGrid platform from the hardware catalog (--list: the catalog)\n"
          "  mlcycle replay-stats LOG [--format sacct|swf] [--gpus N]\n"
          "                what a cluster's job log holds (Slurm sacct, SWF), before any run\n"
          "  mlcycle --help | --version\n\n"
       << run_options() << "\n"
       << sweep_options() << "\n"
       << info_options() << "\n"
       << platform_options() << "\n"
       << replay_stats_options()
       << "\nexit status: 0 success, 2 bad input or usage, 1 runtime failure\n";
  return text.str();
}

}  // namespace

CliOptions parse_cli(int argc, const char* const argv[]) {
  CliOptions cli;
  cli.help_text = help_text();
  po::options_description global("global");
  global.add_options()("help,h", "show this help")("version", "show the version")(
      "command", po::value<std::string>(), "")("args", po::value<std::vector<std::string>>(), "");
  po::positional_options_description positional;
  positional.add("command", 1).add("args", -1);

  po::variables_map vm;
  try {
    po::parsed_options parsed = po::command_line_parser(argc, argv)
                                    .options(global)
                                    .positional(positional)
                                    .allow_unregistered()
                                    .run();
    po::store(parsed, vm);
    if (vm.count("help")) return cli;
    if (vm.count("version")) {
      cli.command = Command::version;
      return cli;
    }
    if (!vm.count("command"))
      throw usage_error("missing command (run, check, sweep, info, platform or replay-stats)");
    const std::string command = vm["command"].as<std::string>();
    if (command == "run")
      cli.command = Command::run;
    else if (command == "check")
      cli.command = Command::check;
    else if (command == "sweep")
      cli.command = Command::sweep;
    else if (command == "info")
      cli.command = Command::info;
    else if (command == "platform")
      cli.command = Command::platform;
    else if (command == "replay-stats")
      cli.command = Command::replay_stats;
    else if (command == "help")
      return cli;
    else
      throw usage_error("unknown command '" + command + "'");

    std::vector<std::string> rest =
        po::collect_unrecognized(parsed.options, po::include_positional);
    rest.erase(rest.begin());  // the command itself
    if (cli.command == Command::sweep) {
      parse_sweep_options(rest, cli.sweep);
      return cli;
    }
    if (cli.command == Command::info) {
      parse_info_options(rest, cli.info);
      return cli;
    }
    if (cli.command == Command::platform) {
      parse_platform_options(rest, cli.platform);
      return cli;
    }
    if (cli.command == Command::replay_stats) {
      parse_replay_stats_options(rest, cli.replay_stats);
      return cli;
    }
    po::options_description options = run_options();
    options.add_options()("scenario", po::value<std::vector<std::string>>(), "");
    po::positional_options_description scenario_position;
    scenario_position.add("scenario", -1);
    po::variables_map args;
    po::store(po::command_line_parser(rest).options(options).positional(scenario_position).run(),
              args);
    if (!args.count("scenario")) throw usage_error("missing SCENARIO file");
    const auto& scenarios = args["scenario"].as<std::vector<std::string>>();
    if (scenarios.size() != 1) throw usage_error("expected one SCENARIO file, got several");
    cli.scenario_path = scenarios.front();
    if (args.count("output")) {
      cli.output_path = args["output"].as<std::string>();
      if (cli.output_path.empty()) throw usage_error("--output: empty path");
    }
    if (args.count("set")) cli.overrides = args["set"].as<std::vector<std::string>>();
    if (args.count("seed")) {
      const std::string seed = args["seed"].as<std::string>();
      if (seed.empty() || seed.find_first_not_of("0123456789") != std::string::npos)
        throw usage_error("--seed: '" + seed + "' is not a non-negative integer");
      cli.overrides.push_back("simulation.seed=" + seed);
    }
    cli.quiet = args["quiet"].as<bool>();
    if (args.count("sg-cfg")) cli.engine.sg_cfg = args["sg-cfg"].as<std::vector<std::string>>();
    if (args.count("sg-log")) cli.engine.sg_log = args["sg-log"].as<std::vector<std::string>>();
    for (const std::string& setting : cli.engine.sg_cfg)
      if (auto problem = sg_cfg_problem(setting))
        throw usage_error("--sg-cfg " + setting + ": " + *problem);
    for (const std::string& setting : cli.engine.sg_log)
      if (auto problem = sg_log_problem(setting))
        throw usage_error("--sg-log " + setting + ": " + *problem);
    if (cli.command == Command::check && args.count("output"))
      throw usage_error("check writes nothing: --output does not apply");
  } catch (const po::error& e) {
    throw usage_error(e.what());
  }
  return cli;
}

}  // namespace mlcycle
