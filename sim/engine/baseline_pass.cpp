#include "engine/baseline_pass.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "engine/platform_preflight.hpp"
#include "scenario/policy_switch.hpp"

namespace mlcycle {

namespace {

// The report: 'E' and the error message, or 'R' and the figures as raw doubles and integers
// (same machine, same binary: no portable encoding needed).
class ReportWriter {
 public:
  void put(const void* data, std::size_t bytes) {
    text_.append(static_cast<const char*>(data), bytes);
  }
  template <typename T>
  void put(T value) {
    put(&value, sizeof value);
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_ = "R";
};

class ReportReader {
 public:
  explicit ReportReader(std::string text) : text_(std::move(text)) {}
  void get(void* data, std::size_t bytes) {
    if (at_ + bytes > text_.size()) throw std::runtime_error("baseline pass: truncated report");
    std::memcpy(data, text_.data() + at_, bytes);
    at_ += bytes;
  }
  template <typename T>
  T get() {
    T value;
    get(&value, sizeof value);
    return value;
  }

 private:
  std::string text_;
  std::size_t at_ = 1;  // after the 'R'
};

std::string encode(const BaselineResult& result) {
  ReportWriter out;
  out.put(result.totals);
  const ShiftFigures& f = result.figures;
  out.put(f.jobs_co2_g);
  out.put(f.jobs_energy_j);
  out.put(f.jobs);
  out.put(f.deadline_misses);
  out.put(f.trial_end_s.size());
  for (const auto& [key, ends] : f.trial_end_s) {
    out.put(key.first);
    out.put(key.second);
    out.put(ends.size());
    out.put(ends.data(), ends.size() * sizeof(double));
  }
  return out.text();
}

BaselineResult decode(std::string text) {
  ReportReader in(std::move(text));
  BaselineResult result;
  result.totals = in.get<PassTotals>();
  ShiftFigures& f = result.figures;
  f.jobs_co2_g = in.get<double>();
  f.jobs_energy_j = in.get<double>();
  f.jobs = in.get<std::uint64_t>();
  f.deadline_misses = in.get<std::uint64_t>();
  const auto runs = in.get<std::size_t>();
  for (std::size_t r = 0; r < runs; ++r) {
    const auto campaign = in.get<std::uint32_t>();
    const auto stage_run = in.get<std::uint32_t>();
    std::vector<double>& ends = f.trial_end_s[{campaign, stage_run}];
    ends.resize(in.get<std::size_t>());
    in.get(ends.data(), ends.size() * sizeof(double));
  }
  return result;
}

class DiscardRecords final : public RunRecorder {
 public:
  void record_job(const JobRecord&) override {}
  void record_bin(const TraceBin&) override {}
};

[[noreturn]] void run_child(const Scenario& scenario, EngineOptions options, int report_fd) {
  // The parent prints; the child's SimGrid log lines would only repeat its own.
  const int null_fd = open("/dev/null", O_WRONLY);
  if (null_fd >= 0) {
    dup2(null_fd, STDOUT_FILENO);
    dup2(null_fd, STDERR_FILENO);
  }
  std::string report;
  int code = 0;
  try {
    const Scenario baseline = without_policies(scenario);
    options.tally_shifts_of = &scenario;
    options.on_engine_created = nullptr;
    DiscardRecords discard;
    RunOutcome outcome = run_simulation(baseline, discard, options);
    report = encode(BaselineResult{pass_totals(outcome.summary, outcome.deployments_under_policy),
                                   outcome.shift_figures.value_or(ShiftFigures{})});
  } catch (const std::exception& error) {
    report = std::string("E") + error.what();
    code = 1;
  }
  const char* data = report.data();
  std::size_t left = report.size();
  while (left > 0) {
    const ssize_t written = write(report_fd, data, left);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) _exit(2);
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  _exit(code);
}

}  // namespace

BaselinePass::BaselinePass(const Scenario& scenario, EngineOptions options)
    : report_(std::make_unique<MemoryFile>("mlcycle-baseline-pass")) {
  std::fflush(nullptr);  // nothing buffered may be written twice
  child_ = fork();
  if (child_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (child_ == 0) run_child(scenario, std::move(options), report_->fd());
}

BaselinePass::~BaselinePass() {
  if (child_ <= 0) return;
  kill(child_, SIGKILL);
  int status = 0;
  while (waitpid(child_, &status, 0) < 0 && errno == EINTR) {
  }
}

BaselineResult BaselinePass::wait() {
  int status = 0;
  while (waitpid(child_, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
  child_ = -1;
  std::string report = report_->read_all();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !report.empty() && report[0] == 'R')
    return decode(std::move(report));
  if (!report.empty() && report[0] == 'E')
    throw std::runtime_error("the baseline pass (policies off) failed: " + report.substr(1));
  throw std::runtime_error(WIFSIGNALED(status) ? "the baseline pass (policies off) died (" +
                                                     std::string(strsignal(WTERMSIG(status))) + ")"
                                               : "the baseline pass (policies off) failed");
}

}  // namespace mlcycle
