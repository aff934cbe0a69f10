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
// (same machine, same binary: no portable encoding needed), written to the anonymous file
// through a small buffer (a million trials' ends are not copied into one string first).
class ReportWriter {
 public:
  ReportWriter(int fd, char kind) : fd_(fd) { put(kind); }
  void put(const void* data, std::size_t bytes) {
    const char* in = static_cast<const char*>(data);
    while (bytes > 0) {
      const std::size_t n = std::min(bytes, sizeof buffer_ - used_);
      std::memcpy(buffer_ + used_, in, n);
      used_ += n;
      in += n;
      bytes -= n;
      if (used_ == sizeof buffer_) flush();
    }
  }
  template <typename T>
  void put(T value) {
    put(&value, sizeof value);
  }
  void flush() {
    const char* data = buffer_;
    while (used_ > 0) {
      const ssize_t written = write(fd_, data, used_);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) _exit(2);
      data += written;
      used_ -= static_cast<std::size_t>(written);
    }
  }

 private:
  int fd_;
  char buffer_[1 << 16];
  std::size_t used_ = 0;
};

// Reads the report straight from the anonymous file into the figures: a million trials' ends
// are not held once more as one string.
class ReportReader {
 public:
  explicit ReportReader(int fd) : fd_(fd) {}
  void get(void* data, std::size_t bytes) {
    char* out = static_cast<char*>(data);
    while (bytes > 0) {
      const ssize_t n = pread(fd_, out, bytes, at_);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw std::runtime_error("baseline pass: truncated report");
      out += n;
      bytes -= static_cast<std::size_t>(n);
      at_ += n;
    }
  }
  template <typename T>
  T get() {
    T value;
    get(&value, sizeof value);
    return value;
  }

 private:
  int fd_;
  off_t at_ = 1;  // after the 'R'
};

void write_report(int fd, const PassTotals& totals, const ShiftFigures& f) {
  auto out = std::make_unique<ReportWriter>(fd, 'R');
  out->put(totals);
  out->put(f.jobs_co2_g);
  out->put(f.jobs_energy_j);
  out->put(f.jobs);
  out->put(f.deadline_misses);
  // Each campaign run's trial ends, read from the store in chunks (never held whole).
  const auto runs = f.trial_end_s.runs();
  out->put(runs.size());
  std::vector<double> chunk(8192);
  for (const auto& [key, trials] : runs) {
    out->put(key.first);
    out->put(key.second);
    out->put(static_cast<std::size_t>(trials));
    for (std::uint64_t first = 0; first < trials; first += chunk.size()) {
      const std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), trials - first));
      f.trial_end_s.read(key, first, std::span<double>(chunk.data(), n));
      out->put(chunk.data(), n * sizeof(double));
    }
  }
  out->flush();
}

// The figures, and each campaign run's trial ends handed to `delays` in chunks as they are
// read (never held whole).
BaselineResult decode(int fd, TrialDelays& delays) {
  ReportReader in(fd);
  BaselineResult result;
  result.totals = in.get<PassTotals>();
  ShiftFigures& f = result.figures;
  f.jobs_co2_g = in.get<double>();
  f.jobs_energy_j = in.get<double>();
  f.jobs = in.get<std::uint64_t>();
  f.deadline_misses = in.get<std::uint64_t>();
  const auto runs = in.get<std::size_t>();
  std::vector<double> chunk(8192);
  for (std::size_t r = 0; r < runs; ++r) {
    const auto campaign = in.get<std::uint32_t>();
    const auto stage_run = in.get<std::uint32_t>();
    const auto trials = in.get<std::size_t>();
    for (std::size_t first = 0; first < trials; first += chunk.size()) {
      const std::size_t n = std::min(chunk.size(), trials - first);
      in.get(chunk.data(), n * sizeof(double));
      delays.pair({campaign, stage_run}, first, {chunk.data(), n});
    }
  }
  return result;
}

class DiscardRecords final : public RunRecorder {
 public:
  void record_job(const JobRecord&) override {}
  void record_bin(const TraceBin&) override {}
};

[[noreturn]] void run_baseline_child(const Scenario& scenario, EngineOptions options,
                                     int report_fd) {
  // The parent prints; the child's SimGrid log lines would only repeat its own.
  const int null_fd = open("/dev/null", O_WRONLY);
  if (null_fd >= 0) {
    dup2(null_fd, STDOUT_FILENO);
    dup2(null_fd, STDERR_FILENO);
  }
  int code = 0;
  try {
    const Scenario baseline = without_policies(scenario);
    options.tally_shifts_of = &scenario;
    options.on_engine_created = nullptr;
    DiscardRecords discard;
    RunOutcome outcome = run_simulation(baseline, discard, options);
    const ShiftFigures none;
    write_report(report_fd, pass_totals(outcome.summary, outcome.deployments_under_policy),
                 outcome.shift_figures ? *outcome.shift_figures : none);
  } catch (const std::exception& error) {
    const std::string message = error.what();
    auto out = std::make_unique<ReportWriter>(report_fd, 'E');
    out->put(message.data(), message.size());
    out->flush();
    code = 1;
  }
  _exit(code);
}

}  // namespace

BaselinePass::BaselinePass(const Scenario& scenario, EngineOptions options)
    : report_(std::make_unique<MemoryFile>("mlcycle-baseline-pass")) {
  std::fflush(nullptr);  // nothing buffered may be written twice
  child_ = fork();
  if (child_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (child_ == 0) run_baseline_child(scenario, std::move(options), report_->fd());
}

BaselinePass::~BaselinePass() {
  if (child_ <= 0) return;
  kill(child_, SIGKILL);
  int status = 0;
  while (waitpid(child_, &status, 0) < 0 && errno == EINTR) {
  }
}

BaselineResult BaselinePass::wait(TrialDelays& delays) {
  int status = 0;
  while (waitpid(child_, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
  child_ = -1;
  char kind = 0;
  const bool reported = pread(report_->fd(), &kind, 1, 0) == 1;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && reported && kind == 'R')
    return decode(report_->fd(), delays);
  const std::string report = reported && kind == 'E' ? report_->read_all() : std::string();
  if (!report.empty())
    throw std::runtime_error("the baseline pass (policies off) failed: " + report.substr(1));
  throw std::runtime_error(WIFSIGNALED(status) ? "the baseline pass (policies off) died (" +
                                                     std::string(strsignal(WTERMSIG(status))) + ")"
                                               : "the baseline pass (policies off) failed");
}

}  // namespace mlcycle
