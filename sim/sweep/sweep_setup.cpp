#include "sweep/sweep_setup.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/input_error.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/sweep_file_reader.hpp"
#include "sweep/sweep_file.hpp"

namespace mlcycle {

namespace fs = std::filesystem;

namespace {

InputError sweep_error(const std::string& key, const std::string& message) {
  return InputError(SourceLocation{"command line", 0, 0}, key, message);
}

}  // namespace

SweepPlan make_plan(const SweepRequest& request, std::uint32_t& replicates,
                    std::optional<unsigned>& jobs) {
  SweepPlan plan;
  std::vector<std::string> vary = request.vary, zip = request.zip;
  plan.base_overrides = request.overrides;
  plan.scenario_path = request.input;
  replicates = request.replicates.value_or(1);
  std::string definition = "input = " + request.input + "\n";
  if (is_sweep_file(request.input)) {
    SweepFileSpec file = read_sweep_file(request.input);
    plan.scenario_path = file.scenario_path;
    vary.insert(vary.begin(), file.vary.begin(), file.vary.end());
    zip.insert(zip.begin(), file.zip.begin(), file.zip.end());
    plan.base_overrides.insert(plan.base_overrides.begin(), file.set.begin(), file.set.end());
    if (!request.replicates) replicates = file.replicates;
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

}  // namespace mlcycle
