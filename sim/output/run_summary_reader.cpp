#include "output/run_summary_reader.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/input_error.hpp"
#include "output/h5.hpp"
#include "output/h5_bounded_read.hpp"
#include "output/record_table_h5.hpp"
#include "output/run_tables_reader.hpp"
#include "output/trace_file.hpp"

namespace mlcycle {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

InputError file_error(const std::string& path, const std::string& message) {
  return InputError(SourceLocation{path, 0, 0}, "", message);
}

bool is_hdf5(const std::string& path) {
#if H5_VERSION_GE(1, 12, 0)
  return H5Fis_accessible(path.c_str(), H5P_DEFAULT) > 0;
#else
  return H5Fis_hdf5(path.c_str()) > 0;
#endif
}

// Opens `path` read-only after checking it is an HDF5 file with an mlcycle `format`; the format
// is returned in `format`. Errors silenced: the caller holds a QuietH5Errors.
h5::Handle open_mlcycle_file(const std::string& path, std::string& format) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw file_error(path, "no such file or directory");
  if (fs::is_directory(status))
    throw file_error(path, "is a directory, not an mlcycle trace or sweep file");
  if (!is_hdf5(path)) throw file_error(path, "not an HDF5 file");
  h5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (file.id() < 0)
    throw file_error(path, "cannot be opened by HDF5 (is a run still writing it?)");
  const std::optional<std::string> text = h5::read_string_attribute(file.id(), "format");
  if (!text) throw file_error(path, "not an mlcycle trace (no format attribute)");
  if (*text != kTraceFormat && *text != kSweepFormat)
    throw file_error(path, "not an mlcycle trace (format \"" + *text + "\")");
  format = *text;
  return file;
}

// format_version, checked against the one this program reads.
std::int64_t check_version(hid_t file, const std::string& path, std::int64_t supported) {
  const std::optional<std::int64_t> version = h5::read_int64_attribute(file, "format_version");
  if (!version) throw file_error(path, "not an mlcycle trace (no format_version attribute)");
  if (*version != supported)
    throw file_error(path, "schema version " + std::to_string(*version) +
                               " is not supported (this mlcycle reads version " +
                               std::to_string(supported) + ")");
  return *version;
}

// "YYYY-MM-DDTHH:MM:SSZ", as TraceFile writes start_utc.
std::optional<UtcTime> parse_utc(const std::string& text) {
  int year = 0, hour = 0, minute = 0, second = 0;
  unsigned month = 0, day = 0;
  char zulu = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2uT%2d:%2d:%2d%c%n", &year, &month, &day, &hour, &minute,
                  &second, &zulu, &consumed) != 7 ||
      zulu != 'Z' || static_cast<std::size_t>(consumed) != text.size())
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  return make_utc(year, month, day, hour, minute, second);
}

struct SummaryRow {
  std::uint64_t jobs = 0;
  double gpu_hours = kNaN;
  double it_energy_j = kNaN;
  double energy_j = kNaN;
  double co2_g = kNaN;
  double cost = kNaN;
  double co2_marginal_g = kNaN;
  std::uint64_t deployments = 0;
};

// /summary/by_series into summary.series and summary.total, rows matched by name. Returns
// whether it has the `deployments` field (added within schema 1).
bool read_by_series(hid_t group, const std::string& path, RunSummary& summary) {
  const std::string what = "/summary/by_series";
  if (H5Lexists(group, "by_series", H5P_DEFAULT) <= 0)
    throw file_error(path, "no " + what + " (not a complete trace)");
  h5::Handle dataset(H5Dopen2(group, "by_series", H5P_DEFAULT), H5Dclose);
  h5::Handle file_type(dataset.id() < 0 ? H5I_INVALID_HID : H5Dget_type(dataset.id()), H5Tclose);
  if (file_type.id() < 0 || H5Tget_class(file_type.id()) != H5T_COMPOUND)
    throw file_error(path, what + " is not a compound table");
  const int series_index = H5Tget_member_index(file_type.id(), "series");
  h5::Handle text(series_index < 0
                      ? H5I_INVALID_HID
                      : H5Tget_member_type(file_type.id(), static_cast<unsigned>(series_index)),
                  H5Tclose);
  if (text.id() < 0 || H5Tis_variable_str(text.id()) <= 0)
    throw file_error(path, what + " has no variable-length string field 'series'");
  h5::Handle memory(H5Tcreate(H5T_COMPOUND, sizeof(SummaryRow)), H5Tclose);
  if (memory.id() < 0) throw file_error(path, "cannot read " + what);
  struct Field {
    const char* name;
    std::size_t offset;
    hid_t type;
    bool required;
  };
  const Field fields[] = {
      {"jobs", offsetof(SummaryRow, jobs), H5T_NATIVE_UINT64, true},
      {"gpu_hours", offsetof(SummaryRow, gpu_hours), H5T_NATIVE_DOUBLE, true},
      {"it_energy_j", offsetof(SummaryRow, it_energy_j), H5T_NATIVE_DOUBLE, true},
      {"energy_j", offsetof(SummaryRow, energy_j), H5T_NATIVE_DOUBLE, true},
      {"co2_g", offsetof(SummaryRow, co2_g), H5T_NATIVE_DOUBLE, true},
      {"cost", offsetof(SummaryRow, cost), H5T_NATIVE_DOUBLE, true},
      {"co2_marginal_g", offsetof(SummaryRow, co2_marginal_g), H5T_NATIVE_DOUBLE, false},
      {"deployments", offsetof(SummaryRow, deployments), H5T_NATIVE_UINT64, false},
  };
  for (const Field& f : fields) {
    if (H5Tget_member_index(file_type.id(), f.name) < 0) {
      if (f.required) throw file_error(path, what + " has no field '" + f.name + "'");
      continue;  // left NaN (0 deployments)
    }
    if (H5Tinsert(memory.id(), f.name, f.offset, f.type) < 0)
      throw file_error(path, "cannot read " + what);
  }
  h5::Handle space(H5Dget_space(dataset.id()), H5Sclose);
  if (space.id() < 0 || H5Sget_simple_extent_ndims(space.id()) != 1)
    throw file_error(path, what + " is not a 1-D table");
  const std::optional<std::size_t> count = h5::rows_within_file(dataset.id());
  if (!count) throw file_error(path, what + " is larger than the file or of a corrupt type");
  // The names bounded by the file (it may be corrupt), the numbers read by HDF5.
  const std::vector<std::string> names = h5::read_string_field(dataset.id(), "series");
  std::vector<SummaryRow> rows(*count);
  if (*count > 0 &&
      H5Dread(dataset.id(), memory.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) < 0)
    throw file_error(path, "cannot read " + what);
  std::array<bool, kSeriesCount + 1> found{};
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const SummaryRow& row = rows[r];
    for (int i = 0; i <= kSeriesCount; ++i) {
      const std::string_view name = i < kSeriesCount ? kSeriesNames[i] : "total";
      if (name != names[r]) continue;
      SeriesTotals& t = i < kSeriesCount ? summary.series[i] : summary.total;
      t = SeriesTotals{row.jobs,  row.gpu_hours, row.it_energy_j,    row.energy_j,
                       row.co2_g, row.cost,      row.co2_marginal_g, row.deployments};
      found[i] = true;
    }
  }
  for (int i = 0; i <= kSeriesCount; ++i)
    if (!found[i])
      throw file_error(path, what + " has no row '" +
                                 std::string(i < kSeriesCount ? kSeriesNames[i] : "total") + "'");
  return H5Tget_member_index(file_type.id(), "deployments") >= 0;
}

// Files written before by_series counted deployments: those that started, from /deployments.
void count_deployments(RunSummary& summary) {
  std::uint64_t started = 0;
  for (const DeploymentResult& d : summary.deployments)
    if (!std::isnan(d.start_s)) ++started;
  summary.series[static_cast<int>(Phase::inference)].deployments = started;
  summary.total.deployments = started;
}

void read_summary(hid_t file, const std::string& path, TraceInfo& info) {
  RunSummary& s = info.summary;
  if (H5Lexists(file, "summary", H5P_DEFAULT) <= 0)
    throw file_error(path, "no /summary group (not a complete trace)");
  h5::Handle group(H5Gopen2(file, "summary", H5P_DEFAULT), H5Gclose);
  if (group.id() < 0) throw file_error(path, "/summary is not a group");
  const bool counts_deployments = read_by_series(group.id(), path, s);
  const hid_t g = group.id();
  auto required = [&](auto value, const char* name) {
    if (!value) throw file_error(path, std::string("/summary has no attribute '") + name + "'");
    return *value;
  };
  info.currency = required(h5::read_string_attribute(g, "currency"), "currency");
  s.peak_power_w = required(h5::read_double_attribute(g, "peak_power_w"), "peak_power_w");
  s.makespan_s = required(h5::read_double_attribute(g, "makespan_s"), "makespan_s");
  s.mean_utilization =
      required(h5::read_double_attribute(g, "mean_utilization"), "mean_utilization");
  s.total_gpus = required(h5::read_uint64_attribute(g, "total_gpus"), "total_gpus");
  s.jobs_pending = required(h5::read_uint64_attribute(g, "jobs_pending"), "jobs_pending");
  s.jobs_unfinished = required(h5::read_uint64_attribute(g, "jobs_unfinished"), "jobs_unfinished");
  info.simgrid_plugin_max_rel_diff =
      h5::read_double_attribute(g, "simgrid_plugin_max_rel_diff").value_or(-1);
  s.marginal_available = h5::read_int64_attribute(g, "marginal_available").value_or(0) == 1;
  s.crossover_s = h5::read_double_attribute(g, "crossover_s").value_or(kNaN);
  // Absent from files written before node power states: nothing to report.
  s.node_boots = h5::read_uint64_attribute(g, "node_boots").value_or(0);
  s.node_off_hours = h5::read_double_attribute(g, "node_off_hours").value_or(0);
  s.node_down_hours = h5::read_double_attribute(g, "node_down_hours").value_or(0);
  read_campaign_rows(file, path, s);
  read_deployment_rows(file, path, s);
  if (!counts_deployments) count_deployments(s);
}

}  // namespace

std::string mlcycle_file_format(const std::string& path) {
  QuietH5Errors quiet;
  std::string format;
  open_mlcycle_file(path, format);
  return format;
}

TraceInfo read_trace_info(const std::string& path) {
  QuietH5Errors quiet;
  TraceInfo info;
  info.path = path;
  h5::Handle file = open_mlcycle_file(path, info.format);
  const hid_t root = file.id();
  if (info.format != kTraceFormat)
    throw file_error(path, "not an mlcycle trace (format \"" + info.format + "\")");
  info.format_version = check_version(root, path, kTraceFormatVersion);
  if (h5::read_int64_attribute(root, "complete") != 1)
    throw file_error(path, "the trace is incomplete (the run did not finish)");
  info.mlcycle_version = h5::read_string_attribute(root, "mlcycle_version").value_or("");
  info.simgrid_version = h5::read_string_attribute(root, "simgrid_version").value_or("");
  info.scenario_path = h5::read_string_attribute(root, "scenario_path").value_or("");
  info.scenario_toml = h5::read_string_attribute(root, "scenario_toml").value_or("");
  info.seed = h5::read_uint64_attribute(root, "seed").value_or(0);
  info.engine = h5::read_string_attribute(root, "engine").value_or("");
  info.end_s = h5::read_double_attribute(root, "end_s").value_or(kNaN);
  info.wall_time_s = h5::read_double_attribute(root, "wall_time_s").value_or(kNaN);
  const std::optional<std::string> start = h5::read_string_attribute(root, "start_utc");
  if (!start) throw file_error(path, "no root attribute 'start_utc'");
  const std::optional<UtcTime> parsed = parse_utc(*start);
  if (!parsed)
    throw file_error(path, "start_utc '" + *start + "' is not a time YYYY-MM-DDTHH:MM:SSZ");
  info.start_utc = *start;
  info.start = *parsed;
  read_summary(root, path, info);
  return info;
}

}  // namespace mlcycle
