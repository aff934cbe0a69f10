#include "sweep/sweep_check.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "core/input_error.hpp"
#include "sweep/child_process.hpp"
#include "sweep/sweep_setup.hpp"

namespace mlcycle {

namespace {

std::string point_settings(const SweepPoint& point) {
  std::string text;
  for (const auto& [key, value] : point.settings)
    text += (text.empty() ? "" : ", ") + key + "=" + value.text;
  return text;
}

// The first line the child wrote on stderr: its located error.
std::string first_line_of(const std::string& text) {
  const std::size_t end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

}  // namespace

SweepCheckReport check_sweep(const std::string& sweep_path,
                             const std::vector<std::string>& overrides) {
  SweepRequest request;
  request.input = sweep_path;
  request.overrides = overrides;
  std::uint32_t replicates = 1;
  std::optional<unsigned> jobs;
  const SweepPlan plan = make_plan(request, replicates, jobs);  // base scenario and keys checked

  // Replicates differ only by seed: one check per point of the product.
  const std::string self = current_executable();
  const std::string stderr_path =
      (std::filesystem::temp_directory_path() / ("mlcycle-check-" + std::to_string(getpid())))
          .string();
  std::set<std::size_t> checked;
  for (const SweepPoint& point : plan.points) {
    if (!checked.insert(point.point).second) continue;
    std::vector<std::string> argv{self, "check", plan.scenario_path};
    for (const std::string& o : plan.base_overrides) argv.insert(argv.end(), {"--set", o});
    for (const auto& [key, value] : point.settings)
      argv.insert(argv.end(), {"--set", key + "=" + value.text});
    ChildProcess child(argv, stderr_path);
    const ProcessResult& result = child.wait();
    if (result.exit_code == 0) continue;
    const std::string what =
        result.signal ? "mlcycle check was killed by signal " + std::to_string(result.signal)
                      : first_line_of(result.stderr_text);
    throw InputError(SourceLocation{sweep_path, 0, 0},
                     "point " + point.id.substr(0, point.id.find('-')),
                     "(" + point_settings(point) + "): " + what);
  }
  return SweepCheckReport{checked.size(), plan.replicates, plan.scenario_path};
}

}  // namespace mlcycle
