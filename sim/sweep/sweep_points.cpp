#include "sweep/sweep_points.hpp"

#include <filesystem>
#include <limits>

#include "output/run_file_reader.hpp"
#include "sweep/sweep_runner.hpp"

namespace mlcycle {

namespace fs = std::filesystem;

namespace {

std::string first_line(const std::string& text) {
  std::size_t begin = text.find_first_not_of("\r\n \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find('\n', begin) - begin);
}

}  // namespace

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

}  // namespace mlcycle
