#include "workload/job_log_text.hpp"

#include "core/utc_timestamp.hpp"
#include "workload/log_fields.hpp"

namespace mlcycle {

namespace {

InputError error_of(const LogOption& option, const std::string& message) {
  return InputError(option.where, option.key, message);
}

// A number > 0 (--processors-per-gpu, --gpu-units), or `fallback` when not given.
double positive_option(const LogOption& option, double fallback) {
  if (option.value.empty()) return fallback;
  const std::optional<double> value = parse_log_number(option.value);
  if (!value || !(*value > 0))
    throw error_of(option, in_quotes(option.value) + " is not a number > 0");
  return *value;
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

JobLogSpec job_log_spec(const JobLogText& text) {
  JobLogSpec spec;
  spec.path = text.path;
  const std::string& format = text.format.value;
  if (format.empty())
    spec.format = format_of_path(text.path);
  else if (format == "sacct")
    spec.format = JobLogFormat::sacct;
  else if (format == "swf")
    spec.format = JobLogFormat::swf;
  else if (format == "csv")
    spec.format = JobLogFormat::csv;
  else
    throw error_of(text.format, in_quotes(format) + " is not sacct, swf or csv");
  const bool sacct = spec.format == JobLogFormat::sacct, swf = spec.format == JobLogFormat::swf,
             csv = spec.format == JobLogFormat::csv;
  const auto only_for = [&](const LogOption& option, bool given, bool applies,
                            const char* formats) {
    if (given && !applies) throw error_of(option, std::string("is for ") + formats + " logs");
  };
  only_for(text.utc_offset, !text.utc_offset.value.empty(), sacct || csv, "sacct and csv");
  only_for(text.processors_per_gpu, !text.processors_per_gpu.value.empty(), swf, "swf");
  only_for(text.log_start, !text.log_start.value.empty(), swf || csv, "swf and csv");
  for (const LogOption* option : {&text.time, &text.duration_unit, &text.gpu_units})
    only_for(*option, !option->value.empty(), csv, "csv");
  only_for(text.columns_at, !text.columns.empty(), csv, "csv");
  only_for(text.states_at, !text.states.empty(), csv, "csv");
  double offset_s = 0;
  if (!text.utc_offset.value.empty()) {
    const std::optional<double> offset = parse_utc_offset_s(text.utc_offset.value);
    if (!offset)
      throw error_of(text.utc_offset,
                     in_quotes(text.utc_offset.value) + " is not an offset like +01:00 or -05:00");
    offset_s = *offset;
  }
  double start_s = 0;
  if (!text.log_start.value.empty()) {
    const std::optional<double> start = parse_utc_timestamp(text.log_start.value);
    if (!start)
      throw error_of(text.log_start, in_quotes(text.log_start.value) + " is not an ISO-8601 time");
    start_s = *start;
  }
  spec.sacct.utc_offset_s = offset_s;
  spec.swf.start_unix_s = start_s;
  spec.swf.processors_per_gpu = positive_option(text.processors_per_gpu, 1);
  if (!csv) return spec;
  JobCsvOptions& o = spec.csv;
  o.where = text.columns_at.where;
  o.utc_offset_s = offset_s;
  o.start_unix_s = start_s;
  for (const auto& [field, column] : text.columns) o.columns[field] = column;
  const std::string& time = text.time.value;
  if (time.empty() || time == "iso")
    o.time = LogTimeFormat::iso;
  else if (time == "unix")
    o.time = LogTimeFormat::unix;
  else if (time == "seconds")
    o.time = LogTimeFormat::seconds;
  else
    throw error_of(text.time, in_quotes(time) + " is not iso, unix or seconds");
  const std::string& unit = text.duration_unit.value;
  if (unit == "min")
    o.duration_unit_s = 60;
  else if (unit == "h")
    o.duration_unit_s = 3600;
  else if (!unit.empty() && unit != "s")
    throw error_of(text.duration_unit, in_quotes(unit) + " is not s, min or h");
  o.gpu_units = positive_option(text.gpu_units, 1);
  for (const auto& [logged, state] : text.states) {
    const std::optional<LoggedState> named = logged_state_named(state);
    if (!named)
      throw error_of(text.states_at, in_quotes(state) +
                                         " is not a state (completed, failed, cancelled, timeout, "
                                         "node_fail, out_of_memory, preempted, running, pending, "
                                         "other)");
    o.states[logged] = *named;
  }
  return spec;
}

}  // namespace mlcycle
