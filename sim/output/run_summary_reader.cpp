#include "output/run_summary_reader.hpp"

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
#include "core/special_values.hpp"
#include "output/h5_attributes.hpp"
#include "output/h5_bounded_read.hpp"
#include "output/h5_datasets.hpp"
#include "output/h5_types.hpp"
#include "output/policy_group.hpp"
#include "output/run_tables_reader.hpp"
#include "output/trace_file.hpp"

namespace mlcycle {

namespace {

// Opens `path` read-only after checking it is an HDF5 file with an mlcycle `format`; the format
// is returned in `format`. Errors silenced: the caller holds an h5::QuietErrors.
h5::Handle open_mlcycle_file(const std::string& path, std::string& format) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw file_error(path, "no such file or directory");
  if (fs::is_directory(status))
    throw file_error(path, "is a directory, not an mlcycle trace or sweep file");
  if (!h5::is_hdf5_file(path)) throw file_error(path, "not an HDF5 file");
  h5::Handle file = h5::open_file(path);
  if (!file.valid())
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

struct SummaryRowRead {
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
bool read_series_rows(hid_t group, const std::string& path, RunSummary& summary) {
  const std::string what = "/summary/by_series";
  if (!h5::has_link(group, "by_series"))
    throw file_error(path, "no " + what + " (not a complete trace)");
  h5::Handle dataset = h5::open_dataset(group, "by_series");
  h5::Handle file_type = h5::dataset_type(dataset.id());
  if (h5::class_of(file_type.id()) != H5T_COMPOUND)
    throw file_error(path, what + " is not a compound table");
  const std::optional<unsigned> series_index = h5::member_index(file_type.id(), "series");
  if (!series_index || !h5::is_variable_string(h5::member_type(file_type.id(), *series_index).id()))
    throw file_error(path, what + " has no variable-length string field 'series'");
  h5::CompoundType memory(sizeof(SummaryRowRead));
  struct Field {
    const char* name;
    std::size_t offset;
    hid_t type;
    bool required;
  };
  const Field fields[] = {
      {"jobs", offsetof(SummaryRowRead, jobs), H5T_NATIVE_UINT64, true},
      {"gpu_hours", offsetof(SummaryRowRead, gpu_hours), H5T_NATIVE_DOUBLE, true},
      {"it_energy_j", offsetof(SummaryRowRead, it_energy_j), H5T_NATIVE_DOUBLE, true},
      {"energy_j", offsetof(SummaryRowRead, energy_j), H5T_NATIVE_DOUBLE, true},
      {"co2_g", offsetof(SummaryRowRead, co2_g), H5T_NATIVE_DOUBLE, true},
      {"cost", offsetof(SummaryRowRead, cost), H5T_NATIVE_DOUBLE, true},
      {"co2_marginal_g", offsetof(SummaryRowRead, co2_marginal_g), H5T_NATIVE_DOUBLE, false},
      {"deployments", offsetof(SummaryRowRead, deployments), H5T_NATIVE_UINT64, false},
  };
  for (const Field& f : fields) {
    if (!h5::has_member(file_type.id(), f.name)) {
      if (f.required) throw file_error(path, what + " has no field '" + f.name + "'");
      continue;  // left NaN (0 deployments)
    }
    memory.add(f.name, f.offset, f.type);
  }
  if (h5::rank_of(dataset.id()) != 1) throw file_error(path, what + " is not a 1-D table");
  const std::optional<std::size_t> count = h5::rows_within_file(dataset.id());
  if (!count) throw file_error(path, what + " is larger than the file or of a corrupt type");
  // The names bounded by the file (it may be corrupt), the numbers read by HDF5.
  const std::vector<std::string> names = h5::read_string_field(dataset.id(), "series");
  std::vector<SummaryRowRead> rows(*count);
  if (!h5::read_rows(dataset.id(), memory.id(), rows.data(), rows.size()))
    throw file_error(path, "cannot read " + what);
  std::array<bool, kSeriesCount + 1> found{};
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const SummaryRowRead& row = rows[r];
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
  return h5::has_member(file_type.id(), "deployments");
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
  if (!h5::has_link(file, "summary"))
    throw file_error(path, "no /summary group (not a complete trace)");
  h5::Handle group = h5::open_group(file, "summary");
  if (!group.valid()) throw file_error(path, "/summary is not a group");
  const bool counts_deployments = read_series_rows(group.id(), path, s);
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
  h5::QuietErrors quiet;
  std::string format;
  open_mlcycle_file(path, format);
  return format;
}

TraceInfo read_trace_info(const std::string& path) {
  h5::QuietErrors quiet;
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
  try {
    info.policy = read_policy_group(root);
  } catch (const std::runtime_error& error) {
    throw file_error(path, error.what());
  }
  return info;
}

}  // namespace mlcycle
