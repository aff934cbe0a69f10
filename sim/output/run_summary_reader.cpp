#include "output/run_summary_reader.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/input_error.hpp"
#include "output/h5.hpp"
#include "output/record_table.hpp"
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
  char* series = nullptr;
  std::uint64_t jobs = 0;
  double gpu_hours = kNaN;
  double it_energy_j = kNaN;
  double energy_j = kNaN;
  double co2_g = kNaN;
  double cost = kNaN;
  double co2_marginal_g = kNaN;
};

// /summary/by_series into summary.series and summary.total, rows matched by name.
void read_by_series(hid_t group, const std::string& path, RunSummary& summary) {
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
  if (memory.id() < 0 ||
      H5Tinsert(memory.id(), "series", offsetof(SummaryRow, series), text.id()) < 0)
    throw file_error(path, "cannot read " + what);
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
  };
  for (const Field& f : fields) {
    if (H5Tget_member_index(file_type.id(), f.name) < 0) {
      if (f.required) throw file_error(path, what + " has no field '" + f.name + "'");
      continue;  // left NaN
    }
    if (H5Tinsert(memory.id(), f.name, f.offset, f.type) < 0)
      throw file_error(path, "cannot read " + what);
  }
  h5::Handle space(H5Dget_space(dataset.id()), H5Sclose);
  if (space.id() < 0 || H5Sget_simple_extent_ndims(space.id()) != 1)
    throw file_error(path, what + " is not a 1-D table");
  const hssize_t count = H5Sget_simple_extent_npoints(space.id());
  std::vector<SummaryRow> rows(count > 0 ? static_cast<std::size_t>(count) : 0);
  if (count > 0 &&
      H5Dread(dataset.id(), memory.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) < 0)
    throw file_error(path, "cannot read " + what);
  std::array<bool, kSeriesCount + 1> found{};
  for (const SummaryRow& row : rows) {
    if (!row.series) continue;
    for (int i = 0; i <= kSeriesCount; ++i) {
      const std::string_view name = i < kSeriesCount ? kSeriesNames[i] : "total";
      if (name != row.series) continue;
      SeriesTotals& t = i < kSeriesCount ? summary.series[i] : summary.total;
      t = SeriesTotals{row.jobs,  row.gpu_hours, row.it_energy_j,   row.energy_j,
                       row.co2_g, row.cost,      row.co2_marginal_g};
      found[i] = true;
    }
  }
#if H5_VERSION_GE(1, 12, 0)
  if (count > 0) H5Treclaim(memory.id(), space.id(), H5P_DEFAULT, rows.data());
#else
  if (count > 0) H5Dvlen_reclaim(memory.id(), space.id(), H5P_DEFAULT, rows.data());
#endif
  for (int i = 0; i <= kSeriesCount; ++i)
    if (!found[i])
      throw file_error(path, what + " has no row '" +
                                 std::string(i < kSeriesCount ? kSeriesNames[i] : "total") + "'");
}

// A 1-D compound table (/campaigns, /deployments) read a field at a time: small tables only.
// Every field is required; numbers convert as HDF5 converts them, enums by member name.
class FieldTable {
 public:
  FieldTable(hid_t parent, const char* name, const std::string& path)
      : path_(path), what_(std::string("/") + name) {
    dataset_ = h5::Handle(H5Dopen2(parent, name, H5P_DEFAULT), H5Dclose);
    type_ = h5::Handle(dataset_.id() < 0 ? H5I_INVALID_HID : H5Dget_type(dataset_.id()), H5Tclose);
    space_ =
        h5::Handle(dataset_.id() < 0 ? H5I_INVALID_HID : H5Dget_space(dataset_.id()), H5Sclose);
    if (type_.id() < 0 || H5Tget_class(type_.id()) != H5T_COMPOUND || space_.id() < 0 ||
        H5Sget_simple_extent_ndims(space_.id()) != 1)
      throw file_error(path_, what_ + " is not a 1-D compound table");
    rows_ =
        static_cast<std::size_t>(std::max<hssize_t>(0, H5Sget_simple_extent_npoints(space_.id())));
  }
  std::size_t rows() const { return rows_; }

  template <typename T>
  std::vector<T> numbers(const char* field, hid_t memory_type) const {
    std::vector<T> values(rows_);
    read(field, memory_type, values.data());
    return values;
  }
  std::vector<std::string> texts(const char* field) const {
    h5::Handle text = h5::string_type();
    std::vector<char*> pointers(rows_, nullptr);
    const h5::Handle memory = read(field, text.id(), pointers.data());
    std::vector<std::string> values;
    for (const char* p : pointers) values.emplace_back(p ? p : "");
#if H5_VERSION_GE(1, 12, 0)
    if (rows_ > 0) H5Treclaim(memory.id(), space_.id(), H5P_DEFAULT, pointers.data());
#else
    if (rows_ > 0) H5Dvlen_reclaim(memory.id(), space_.id(), H5P_DEFAULT, pointers.data());
#endif
    return values;
  }

 private:
  // Reads `field` as `member` (rows x its size, packed) into `out`; returns the memory type.
  h5::Handle read(const char* field, hid_t member, void* out) const {
    if (H5Tget_member_index(type_.id(), field) < 0)
      throw file_error(path_, what_ + " has no field '" + field + "'");
    h5::Handle memory(H5Tcreate(H5T_COMPOUND, H5Tget_size(member)), H5Tclose);
    if (memory.id() < 0 || H5Tinsert(memory.id(), field, 0, member) < 0 ||
        (rows_ > 0 && H5Dread(dataset_.id(), memory.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0))
      throw file_error(path_, "cannot read field '" + std::string(field) + "' of " + what_);
    return memory;
  }

  const std::string& path_;
  std::string what_;
  h5::Handle dataset_, type_, space_;
  std::size_t rows_ = 0;
};

// Whether `name` under `root` is a table of this schema. Files of schema version 1 written
// before the lifecycle tables have no /deployments and a string list of names as /campaigns:
// those have no rows to show (their summary table had none).
bool has_table(hid_t root, const char* name) {
  if (H5Lexists(root, name, H5P_DEFAULT) <= 0) return false;
  h5::Handle dataset(H5Dopen2(root, name, H5P_DEFAULT), H5Dclose);
  h5::Handle type(dataset.id() < 0 ? H5I_INVALID_HID : H5Dget_type(dataset.id()), H5Tclose);
  return type.id() < 0 || H5Tget_class(type.id()) != H5T_STRING;
}

// Reads a real column into `member` of every result.
template <typename Result>
void real_column(const FieldTable& table, std::vector<Result>& out, const char* field,
                 double Result::*member) {
  const std::vector<double> values = table.numbers<double>(field, H5T_NATIVE_DOUBLE);
  for (std::size_t i = 0; i < out.size(); ++i) out[i].*member = values[i];
}

template <typename Result, typename Count>
void count_column(const FieldTable& table, std::vector<Result>& out, const char* field,
                  Count Result::*member) {
  const hid_t type = sizeof(Count) == 4 ? H5T_NATIVE_UINT32 : H5T_NATIVE_UINT64;
  const std::vector<Count> values = table.numbers<Count>(field, type);
  for (std::size_t i = 0; i < out.size(); ++i) out[i].*member = values[i];
}

void read_campaigns(hid_t root, const std::string& path, RunSummary& summary) {
  if (!has_table(root, "campaigns")) return;
  const FieldTable table(root, "campaigns", path);
  std::vector<CampaignResult>& out = summary.campaigns;
  out.resize(table.rows());
  const std::vector<std::string> names = table.texts("name");
  const std::vector<std::string> stages = table.texts("stage");
  h5::Handle phase(h5::check(H5Tenum_create(H5T_NATIVE_UINT8), "creating an enum"), H5Tclose);
  for (std::uint8_t k = 0; k < kPhaseCount; ++k)
    h5::check(H5Tenum_insert(phase.id(), std::string(kSeriesNames[k]).c_str(), &k),
              "adding an enum member");
  const std::vector<std::uint8_t> phases = table.numbers<std::uint8_t>("phase", phase.id());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].name = names[i];
    out[i].stage = stages[i];
    out[i].phase = static_cast<Phase>(phases[i]);
  }
  using C = CampaignResult;
  count_column(table, out, "runs", &C::runs);
  for (auto [field, member] : {std::pair{"trials_started", &C::trials_started},
                               {"jobs", &C::jobs},
                               {"completed", &C::completed},
                               {"stopped_early", &C::stopped_early},
                               {"failed", &C::failed},
                               {"crashes", &C::crashes},
                               {"unfinished", &C::unfinished}})
    count_column(table, out, field, member);
  for (auto [field, member] : {std::pair{"gpu_hours", &C::gpu_hours},
                               {"wasted_gpu_hours", &C::wasted_gpu_hours},
                               {"energy_j", &C::energy_j},
                               {"co2_g", &C::co2_g},
                               {"wasted_co2_g", &C::wasted_co2_g},
                               {"full_budget_gpu_hours", &C::full_budget_gpu_hours},
                               {"saved_gpu_hours", &C::saved_gpu_hours},
                               {"best_score", &C::best_score},
                               {"mean_wait_s", &C::mean_wait_s},
                               {"first_submit_s", &C::first_submit_s},
                               {"last_end_s", &C::last_end_s}})
    real_column(table, out, field, member);
}

void read_deployments(hid_t root, const std::string& path, RunSummary& summary) {
  if (!has_table(root, "deployments")) return;
  const FieldTable table(root, "deployments", path);
  std::vector<DeploymentResult>& out = summary.deployments;
  out.resize(table.rows());
  const std::vector<std::string> names = table.texts("name");
  const std::vector<std::string> kinds = table.texts("kind");
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].name = names[i];
    out[i].kind = kinds[i];
  }
  using D = DeploymentResult;
  count_column(table, out, "max_replicas", &D::max_replicas);
  count_column(table, out, "updates", &D::updates);
  for (auto [field, member] : {std::pair{"start_s", &D::start_s},
                               {"end_s", &D::end_s},
                               {"gpu_hours", &D::gpu_hours},
                               {"it_energy_j", &D::it_energy_j},
                               {"energy_j", &D::energy_j},
                               {"co2_g", &D::co2_g},
                               {"requests", &D::requests},
                               {"served", &D::served},
                               {"dropped", &D::dropped},
                               {"late", &D::late},
                               {"replica_hours", &D::replica_hours},
                               {"wh_per_request", &D::wh_per_request},
                               {"co2_g_per_request", &D::co2_g_per_request},
                               {"vehicles_end", &D::vehicles_end},
                               {"vehicle_days", &D::vehicle_days},
                               {"driving_hours", &D::driving_hours},
                               {"onboard_energy_j", &D::onboard_energy_j},
                               {"fuel_l", &D::fuel_l}})
    real_column(table, out, field, member);
}

void read_summary(hid_t file, const std::string& path, TraceInfo& info) {
  RunSummary& s = info.summary;
  if (H5Lexists(file, "summary", H5P_DEFAULT) <= 0)
    throw file_error(path, "no /summary group (not a complete trace)");
  h5::Handle group(H5Gopen2(file, "summary", H5P_DEFAULT), H5Gclose);
  if (group.id() < 0) throw file_error(path, "/summary is not a group");
  read_by_series(group.id(), path, s);
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
  read_campaigns(file, path, s);
  read_deployments(file, path, s);
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
