#include "app/job_log_cli.hpp"

#include "app/option_error.hpp"
#include "core/input_error.hpp"

namespace mlcycle {

namespace po = boost::program_options;

namespace {

// "a=b,c=d" into pairs; `option` names the option in errors.
std::vector<std::pair<std::string, std::string>> pairs_of(const std::string& text,
                                                          const std::string& option) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string_view rest(text);
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos || equals == 0 || equals + 1 == item.size())
      throw option_error(option, in_quotes(item) + " is not NAME=VALUE");
    pairs.emplace_back(std::string(item.substr(0, equals)), std::string(item.substr(equals + 1)));
  }
  return pairs;
}

}  // namespace

po::options_description job_log_options() {
  po::options_description options("job log options (replay-stats)");
  // clang-format off
  options.add_options()
      ("format", po::value<std::string>(),
       "sacct | swf | csv (default: swf for *.swf, csv for *.csv, else sacct)")
      ("utc-offset", po::value<std::string>(),
       "sacct, csv: the offset of the log's local times from UTC, e.g. +01:00 (default +00:00)")
      ("processors-per-gpu", po::value<std::string>(), "swf: processors per GPU (default 1)")
      ("log-start", po::value<std::string>(),
       "swf without '; UnixStartTime:', csv with --time seconds: the ISO-8601 time of 0 s")
      ("columns", po::value<std::string>(),
       "csv: FIELD=COLUMN,... (fields: id, submit, start, end, duration, wait, gpus, nodes, "
       "state, user, account, partition, gpu_type, walltime)")
      ("time", po::value<std::string>(), "csv: iso | unix | seconds (default iso)")
      ("duration-unit", po::value<std::string>(),
       "csv: s | min | h, of duration, wait and walltime (default s)")
      ("gpu-units", po::value<std::string>(), "csv: the GPU column's units per GPU (default 1)")
      ("states", po::value<std::string>(), "csv: TEXT=STATE,... (e.g. Pass=completed)");
  // clang-format on
  return options;
}

void read_job_log_options(const po::variables_map& vm, JobLogText& log) {
  const auto option = [&](const char* name) {
    LogOption read{"", std::string("--") + name, kCommandLine};
    if (vm.count(name)) read.value = vm[name].as<std::string>();
    return read;
  };
  log.format = option("format");
  log.utc_offset = option("utc-offset");
  log.processors_per_gpu = option("processors-per-gpu");
  log.log_start = option("log-start");
  log.time = option("time");
  log.duration_unit = option("duration-unit");
  log.gpu_units = option("gpu-units");
  log.columns_at = option("columns");
  log.states_at = option("states");
  log.columns = pairs_of(log.columns_at.value, "--columns");
  log.states = pairs_of(log.states_at.value, "--states");
}

}  // namespace mlcycle
