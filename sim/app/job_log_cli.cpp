#include "app/job_log_cli.hpp"

#include "app/option_error.hpp"
#include "core/input_error.hpp"
#include "core/utc_timestamp.hpp"
#include "workload/log_fields.hpp"

namespace mlcycle {

namespace po = boost::program_options;

namespace {

// "a=b,c=d" into pairs; `what` names the option in errors.
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

std::optional<double> parse_utc_offset_s(const std::string& text) {
  // [+|-]H, HH, HH:MM or HHMM.
  std::string_view rest(text);
  double sign = 1;
  if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
    sign = rest.front() == '-' ? -1 : 1;
    rest.remove_prefix(1);
  }
  const auto digits = [](std::string_view t) {
    return !t.empty() && t.find_first_not_of("0123456789") == std::string_view::npos;
  };
  std::string_view hours = rest, minutes;
  if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos) {
    hours = rest.substr(0, colon);
    minutes = rest.substr(colon + 1);
    if (hours.size() != 2 || minutes.size() != 2) return std::nullopt;
  } else if (rest.size() == 4) {
    hours = rest.substr(0, 2);
    minutes = rest.substr(2);
  } else if (rest.size() > 2) {
    return std::nullopt;
  }
  if (!digits(hours) || (!minutes.empty() && !digits(minutes))) return std::nullopt;
  const int h = std::stoi(std::string(hours));
  const int m = minutes.empty() ? 0 : std::stoi(std::string(minutes));
  if (h > 14 || m >= 60) return std::nullopt;
  return sign * (h * 3600.0 + m * 60.0);
}

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

void read_job_log_options(const po::variables_map& vm, JobLogCli& cli) {
  const auto text = [&](const char* name, std::string& into) {
    if (vm.count(name)) into = vm[name].as<std::string>();
  };
  text("format", cli.format);
  text("utc-offset", cli.utc_offset);
  text("processors-per-gpu", cli.processors_per_gpu);
  text("log-start", cli.log_start);
  text("columns", cli.columns);
  text("time", cli.time);
  text("duration-unit", cli.duration_unit);
  text("gpu-units", cli.gpu_units);
  text("states", cli.states);
}

JobLogSpec job_log_spec(const JobLogCli& cli) {
  JobLogSpec spec;
  spec.path = cli.path;
  if (cli.format.empty())
    spec.format = format_of_path(cli.path);
  else if (cli.format == "sacct")
    spec.format = JobLogFormat::sacct;
  else if (cli.format == "swf")
    spec.format = JobLogFormat::swf;
  else if (cli.format == "csv")
    spec.format = JobLogFormat::csv;
  else
    throw option_error("--format", in_quotes(cli.format) + " is not sacct, swf or csv");
  const bool sacct = spec.format == JobLogFormat::sacct, swf = spec.format == JobLogFormat::swf,
             csv = spec.format == JobLogFormat::csv;
  const auto only_for = [&](const std::string& value, const char* option, bool applies,
                            const char* formats) {
    if (!value.empty() && !applies)
      throw option_error(option, std::string("is for ") + formats + " logs");
  };
  only_for(cli.utc_offset, "--utc-offset", sacct || csv, "sacct and csv");
  only_for(cli.processors_per_gpu, "--processors-per-gpu", swf, "swf");
  only_for(cli.log_start, "--log-start", swf || csv, "swf and csv");
  for (const auto& [value, option] : {std::pair{&cli.columns, "--columns"},
                                      {&cli.time, "--time"},
                                      {&cli.duration_unit, "--duration-unit"},
                                      {&cli.gpu_units, "--gpu-units"},
                                      {&cli.states, "--states"}})
    only_for(*value, option, csv, "csv");
  double offset_s = 0;
  if (!cli.utc_offset.empty()) {
    const std::optional<double> offset = parse_utc_offset_s(cli.utc_offset);
    if (!offset)
      throw option_error("--utc-offset",
                         in_quotes(cli.utc_offset) + " is not an offset like +01:00 or -05:00");
    offset_s = *offset;
  }
  double start_s = 0;
  if (!cli.log_start.empty()) {
    const std::optional<double> start = parse_utc_timestamp(cli.log_start);
    if (!start)
      throw option_error("--log-start", in_quotes(cli.log_start) + " is not an ISO-8601 time");
    start_s = *start;
  }
  spec.sacct.utc_offset_s = offset_s;
  spec.swf.start_unix_s = start_s;
  if (!cli.processors_per_gpu.empty()) {
    const std::optional<double> ratio = parse_log_number(cli.processors_per_gpu);
    if (!ratio || !(*ratio > 0))
      throw option_error("--processors-per-gpu",
                         in_quotes(cli.processors_per_gpu) + " is not a number > 0");
    spec.swf.processors_per_gpu = *ratio;
  }
  if (!csv) return spec;
  JobCsvOptions& o = spec.csv;
  o.where = kCommandLine;
  o.utc_offset_s = offset_s;
  o.start_unix_s = start_s;
  for (auto& [field, column] : pairs_of(cli.columns, "--columns")) o.columns[field] = column;
  if (cli.time.empty() || cli.time == "iso")
    o.time = LogTimeFormat::iso;
  else if (cli.time == "unix")
    o.time = LogTimeFormat::unix;
  else if (cli.time == "seconds")
    o.time = LogTimeFormat::seconds;
  else
    throw option_error("--time", in_quotes(cli.time) + " is not iso, unix or seconds");
  if (cli.duration_unit == "min")
    o.duration_unit_s = 60;
  else if (cli.duration_unit == "h")
    o.duration_unit_s = 3600;
  else if (!cli.duration_unit.empty() && cli.duration_unit != "s")
    throw option_error("--duration-unit", in_quotes(cli.duration_unit) + " is not s, min or h");
  if (!cli.gpu_units.empty()) {
    const std::optional<double> units = parse_log_number(cli.gpu_units);
    if (!units || !(*units > 0))
      throw option_error("--gpu-units", in_quotes(cli.gpu_units) + " is not a number > 0");
    o.gpu_units = *units;
  }
  for (auto& [text, state] : pairs_of(cli.states, "--states")) {
    const std::optional<LoggedState> named = logged_state_named(state);
    if (!named)
      throw option_error("--states", in_quotes(state) +
                                         " is not a state (completed, failed, cancelled, timeout, "
                                         "node_fail, out_of_memory, preempted, running, pending, "
                                         "other)");
    o.states[text] = *named;
  }
  return spec;
}

}  // namespace mlcycle
