#include "app/sweep_command.hpp"

#include <unistd.h>

#include <toml++/toml.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

#include "core/input_error.hpp"
#include "output/run_file_reader.hpp"
#include "scenario/scenario_loader.hpp"
#include "sweep/sweep_file.hpp"
#include "sweep/sweep_runner.hpp"
#include "sweep/sweep_tables.hpp"

namespace mlcycle {

namespace fs = std::filesystem;

namespace {

InputError sweep_error(const std::string& key, const std::string& message) {
  return InputError(SourceLocation{"command line", 0, 0}, key, message);
}

}  // namespace

bool is_sweep_file(const std::string& path) {
  try {
    return toml::parse_file(path).contains("sweep");
  } catch (const toml::parse_error&) {
    return false;  // the scenario loader reports the syntax error with its location
  }
}

SweepPlan make_plan(const SweepCli& cli, std::uint32_t& replicates, std::optional<unsigned>& jobs) {
  SweepPlan plan;
  std::vector<std::string> vary = cli.vary, zip = cli.zip;
  plan.base_overrides = cli.overrides;
  plan.scenario_path = cli.input;
  replicates = cli.replicates.value_or(1);
  std::string definition = "input = " + cli.input + "\n";
  if (is_sweep_file(cli.input)) {
    SweepFileSpec file = read_sweep_file(cli.input);
    plan.scenario_path = file.scenario_path;
    vary.insert(vary.begin(), file.vary.begin(), file.vary.end());
    zip.insert(zip.begin(), file.zip.begin(), file.zip.end());
    plan.base_overrides.insert(plan.base_overrides.begin(), file.set.begin(), file.set.end());
    if (!cli.replicates) replicates = file.replicates;
    if (!jobs) jobs = file.jobs;
  }
  for (const std::string& v : vary) {
    plan.axes.push_back(parse_vary(v));
    definition += "vary = " + v + "\n";
  }
  if (!zip.empty()) {
    plan.axes.push_back(parse_zip(zip));
    for (const std::string& z : zip) definition += "zip = " + z + "\n";
  }
  for (const std::string& s : plan.base_overrides) definition += "set = " + s + "\n";
  definition += "replicates = " + std::to_string(replicates) + "\n";
  plan.replicates = replicates;
  plan.definition_text = definition;

  // The scenario must load with the sweep's own overrides; its seed is replicate 0's.
  const Scenario base = load_scenario(plan.scenario_path, plan.base_overrides);
  plan.base_seed = base.simulation.seed;
  // A key that does not address the scenario is a usage error (exit 2); a value that only
  // some points get wrong fails those points, recorded in the table.
  for (std::size_t a = 0; a < plan.axes.size(); ++a) {
    const SweepAxis& axis = plan.axes[a];
    const std::string option = !zip.empty() && a + 1 == plan.axes.size() ? "--zip " : "--vary ";
    for (std::size_t k = 0; k < axis.keys.size(); ++k) {
      std::vector<std::string> overrides = plan.base_overrides;
      overrides.push_back(axis.keys[k] + "=" + axis.values[k].front().text);
      try {
        load_scenario(plan.scenario_path, overrides);
      } catch (const InputError& e) {
        const std::string what = e.what();
        for (const char* key_problem :
             {"unknown key", "no element", "is not a table", "is an array", "only scalar values"})
          if (what.find(key_problem) != std::string::npos)
            throw sweep_error(option + axis.keys[k], "not a key of the scenario (" + what + ")");
      }
    }
  }
  plan.points = expand_points(plan.axes, plan.replicates, plan.base_seed);
  // A varied seed is the point's seed: replicate r of seed S runs with S + r.
  for (SweepPoint& point : plan.points)
    for (const auto& [key, value] : point.settings)
      if (key == "simulation.seed") {
        if (value.type != SweepValue::Type::integer || value.integer < 0)
          throw sweep_error("--vary simulation.seed", "seeds are non-negative integers");
        point.seed = static_cast<std::uint64_t>(value.integer) + point.replicate;
      }
  return plan;
}

namespace {

std::string first_line(const std::string& text) {
  std::size_t begin = text.find_first_not_of("\r\n \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find('\n', begin) - begin);
}

PointOutcome finish_point(const SweepPoint&, const ProcessResult& process,
                          const std::string& run_file) {
  PointOutcome outcome;
  outcome.wall_time_s = process.wall_time_s;
  if (process.exit_code == 0) {
    if (std::optional<RunResults> results = read_run_results(run_file)) {
      outcome.status = PointStatus::done;
      outcome.results = std::move(*results);
      if (auto wall = read_run_wall_time_s(run_file)) outcome.wall_time_s = *wall;
      return outcome;
    }
    outcome.error = "the run exited 0 but its file is incomplete";
  } else if (process.signal != 0) {
    outcome.error = "killed by signal " + std::to_string(process.signal);
  } else {
    outcome.error = first_line(process.stderr_text);
    if (outcome.error.empty()) outcome.error = "exit status " + std::to_string(process.exit_code);
  }
  outcome.status = PointStatus::failed;
  outcome.results.headline.assign(headline_names().size(),
                                  std::numeric_limits<double>::quiet_NaN());
  return outcome;
}

// Points whose run files are complete are kept (--resume); half-written files are removed.
std::vector<std::size_t> points_to_run(const SweepPlan& plan, const std::string& dir, bool resume,
                                       std::vector<PointOutcome>& outcomes) {
  std::vector<std::size_t> to_run;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir + "/runs")) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".tmp") || name.ends_with(".stderr")) fs::remove(entry.path());
  }
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    const std::string run_file = dir + "/" + run_file_of(plan.points[i]);
    if (resume && run_file_complete(run_file)) {
      ProcessResult finished;
      finished.exit_code = 0;
      outcomes[i] = finish_point(plan.points[i], finished, run_file);
      if (outcomes[i].status == PointStatus::done) continue;
    }
    to_run.push_back(i);
  }
  return to_run;
}

// The sweep's definition is kept beside its runs, so that --resume cannot mix two sweeps.
void check_definition(const std::string& dir, const std::string& definition, bool resume) {
  const std::string path = dir + "/sweep-definition.txt";
  if (resume && fs::exists(path)) {
    std::ifstream in(path);
    std::ostringstream kept;
    kept << in.rdbuf();
    if (kept.str() != definition)
      throw sweep_error("-o " + dir,
                        "was started with another sweep definition (" + path +
                            "): --resume needs the same scenario, axes and replicates");
    return;
  }
  std::ofstream(path) << definition;
}

void prepare_directory(const std::string& dir, bool resume) {
  if (!resume && fs::exists(dir + "/sweep.h5"))
    throw sweep_error("-o " + dir, "already holds a sweep: use --resume, or another directory");
  if (!resume && fs::is_directory(dir + "/runs") && !fs::is_empty(dir + "/runs"))
    throw sweep_error("-o " + dir, "already holds run files: use --resume, or another directory");
  std::error_code ec;
  fs::create_directories(dir + "/runs", ec);
  if (ec) throw sweep_error("-o " + dir, "cannot create the directory: " + ec.message());
}

}  // namespace

int run_sweep_command(const SweepCli& cli, int* argc, char*** argv) {
  std::unique_ptr<MpiLink> mpi;
  if (MpiLink::launched_by_mpi() && MpiLink::available())
    mpi = std::make_unique<MpiLink>(argc, argv);
  const bool leader = !mpi || mpi->rank() == 0;

  std::uint32_t replicates = 1;
  std::optional<unsigned> jobs = cli.jobs;
  SweepPlan plan;
  // Every rank makes the plan; rank 0 prepares the directory. All ranks then agree on going on:
  // each calls agree_status exactly once on every path, so none can wait for another.
  std::exception_ptr failure;
  int status = 0;
  try {
    plan = make_plan(cli, replicates, jobs);
    if (leader) {
      prepare_directory(cli.dir, cli.resume);
      check_definition(cli.dir, plan.definition_text, cli.resume);
    }
  } catch (const InputError&) {
    failure = std::current_exception();
    status = 2;
  } catch (const std::exception&) {
    failure = std::current_exception();
    status = 1;
  }
  if (!mpi) {
    if (failure) std::rethrow_exception(failure);
  } else {
    const int any_status = mpi->agree_status(status);
    const int leader_status = mpi->agree_status(leader ? status : 0);
    if (failure && leader) std::rethrow_exception(failure);  // said once, by rank 0
    if (failure && leader_status == 0) {  // only this rank failed (a node that lacks a file)
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        std::cerr << "rank " << mpi->rank() << ": " << e.what() << "\n";
      }
    }
    if (any_status != 0) return any_status;
  }

  SweepRunOptions options;
  options.dir = cli.dir;
  options.jobs = jobs.value_or(1);
  options.executable = current_executable();
  options.progress = leader && isatty(STDERR_FILENO);
  if (!leader) {
    serve_points(plan, options, finish_point, *mpi);
    return 0;
  }
  std::vector<PointOutcome> outcomes(plan.points.size());
  const std::vector<std::size_t> to_run = points_to_run(plan, cli.dir, cli.resume, outcomes);
  run_points(plan, to_run, options, finish_point, outcomes, mpi.get());

  std::vector<SweepRow> rows;
  std::size_t failed = 0;
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    failed += outcomes[i].status == PointStatus::failed;
    // A failed run has no file: its row names none.
    rows.push_back(SweepRow{
        plan.points[i], outcomes[i],
        outcomes[i].status == PointStatus::done ? run_file_of(plan.points[i]) : std::string()});
  }
  write_sweep_outputs(cli.dir, plan, rows);
  std::cout << "sweep: " << rows.size() << " runs (" << to_run.size() << " run now, "
            << rows.size() - to_run.size() << " kept), " << failed << " failed -> " << cli.dir
            << "/sweep.h5, " << cli.dir << "/sweep.csv\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace mlcycle
