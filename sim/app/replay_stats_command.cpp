#include "app/replay_stats_command.hpp"

#include <cmath>
#include <iomanip>
#include <memory>
#include <sstream>

#include "app/option_error.hpp"
#include "core/input_error.hpp"
#include "core/utc_time.hpp"
#include "workload/job_log_stats.hpp"
#include "workload/job_log_text.hpp"
#include "workload/log_fields.hpp"

namespace mlcycle {

namespace po = boost::program_options;

namespace {

std::string when(double unix_s) {
  return format_iso8601(UtcTime{static_cast<std::int64_t>(std::floor(unix_s))});
}

std::string count_text(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

std::string bucket_label(std::size_t k) {
  if (k == 0) return "1";
  if (k == 1) return "2";
  return count_text((std::uint64_t{1} << (k - 1)) + 1) + "-" + count_text(std::uint64_t{1} << k);
}

}  // namespace

po::options_description replay_stats_options() {
  po::options_description options = job_log_options();
  options.add_options()("gpus", po::value<std::string>(),
                        "the logged cluster's GPUs: its utilization in %");
  return options;
}

void parse_replay_stats_options(const std::vector<std::string>& args, ReplayStatsCli& cli) {
  po::options_description options = replay_stats_options();
  options.add_options()("log", po::value<std::vector<std::string>>(), "");
  po::positional_options_description position;
  position.add("log", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(position).run(), vm);
  if (!vm.count("log")) throw InputError(kCommandLine, "LOG", "missing: the job log to read");
  const auto& logs = vm["log"].as<std::vector<std::string>>();
  if (logs.size() != 1) throw InputError(kCommandLine, "LOG", "expected one log, got several");
  cli.log.path = logs.front();
  read_job_log_options(vm, cli.log);
  if (vm.count("gpus")) cli.gpus = vm["gpus"].as<std::string>();
}

int run_replay_stats_command(const ReplayStatsCli& cli, std::ostream& out) {
  std::optional<std::uint32_t> capacity;
  if (!cli.gpus.empty()) {
    capacity = parse_log_count(cli.gpus);
    if (!capacity || *capacity == 0)
      throw InputError(kCommandLine, "--gpus", in_quotes(cli.gpus) + " is not a count >= 1");
  }
  const std::unique_ptr<JobLogReader> reader = open_job_log(job_log_spec(cli.log));
  const JobLogStats s = tally_job_log(*reader);
  // Everything is read before anything is printed: a bad record prints nothing but its error.
  std::ostringstream text;
  const auto row = [&](const std::string& name, const std::string& value) {
    text << "  " << std::left << std::setw(30) << name << value << "\n";
  };
  text << cli.log.path << "\n";
  std::string jobs = count_text(s.jobs);
  if (s.records_skipped)
    jobs += " (" + std::string(reader->skipped_what()) +
            " skipped: " + count_text(s.records_skipped) + ")";
  row("jobs", jobs);
  std::string states;
  for (int k = 0; k < kLoggedStateCount; ++k)
    if (s.by_state[k])
      states += (states.empty() ? "" : ", ") +
                std::string(logged_state_name(static_cast<LoggedState>(k))) + " " +
                count_text(s.by_state[k]);
  row("by state", states.empty() ? "-" : states);
  row("replayable (ran, with GPUs)", count_text(s.replayable));
  row("still running at the end",
      count_text(s.running) + (s.running_without_elapsed
                                   ? " (" + count_text(s.running_without_elapsed) +
                                         " without Elapsed: cut at the log's last time)"
                                   : ""));
  row("never started", count_text(s.never_started));
  row("ran without GPUs", count_text(s.without_gpus));
  if (s.start_before_submit)
    row("start before submit", count_text(s.start_before_submit) + " (moved up to the submit)");
  if (s.jobs) {
    std::ostringstream span;
    span << std::fixed << when(s.first_submit_s) << " .. " << when(s.last_time_s) << " ("
         << std::setprecision(2) << s.span_s() / 86400.0 << " d)";
    row("span", span.str());
  }
  std::ostringstream hours;
  hours << std::fixed << std::setprecision(1) << s.gpu_hours;
  row("GPU-hours", hours.str());
  std::string sizes;
  for (std::size_t k = 0; k < s.gpus_histogram.size(); ++k)
    if (s.gpus_histogram[k])
      sizes +=
          (sizes.empty() ? "" : ", ") + bucket_label(k) + ": " + count_text(s.gpus_histogram[k]);
  row("GPUs per job", sizes.empty() ? "-" : sizes);
  std::ostringstream busy;
  busy << std::fixed << std::setprecision(1) << s.mean_busy_gpus() << " mean, "
       << count_text(s.peak_gpus) << " peak";
  if (s.peak_gpus) busy << " (" << when(s.peak_at_s) << ")";
  row("GPUs busy", busy.str());
  if (capacity) {
    std::ostringstream use;
    use << std::fixed << std::setprecision(1) << 100.0 * s.mean_busy_gpus() / *capacity << " % of "
        << count_text(*capacity) << " GPUs";
    if (s.peak_gpus > *capacity) use << " (the peak exceeds them: is --gpus the logged cluster's?)";
    row("utilization", use.str());
  }
  out << text.str();
  return 0;
}

}  // namespace mlcycle
