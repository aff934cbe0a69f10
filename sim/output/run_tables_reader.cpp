#include "output/run_tables_reader.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "core/input_error.hpp"
#include "output/h5.hpp"
#include "output/h5_bounded_read.hpp"

namespace mlcycle {

namespace {

InputError file_error(const std::string& path, const std::string& message) {
  return InputError(SourceLocation{path, 0, 0}, "", message);
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
    const std::optional<std::size_t> rows = h5::rows_within_file(dataset_.id());
    if (!rows) throw file_error(path_, what_ + " is larger than the file or of a corrupt type");
    rows_ = *rows;
  }
  std::size_t rows() const { return rows_; }
  bool has(const char* field) const { return H5Tget_member_index(type_.id(), field) >= 0; }

  template <typename T>
  std::vector<T> numbers(const char* field, hid_t memory_type) const {
    std::vector<T> values(rows_);
    read(field, memory_type, values.data());
    return values;
  }
  std::vector<std::string> texts(const char* field) const {
    if (H5Tget_member_index(type_.id(), field) < 0)
      throw file_error(path_, what_ + " has no field '" + field + "'");
    return h5::read_string_field(dataset_.id(), field);  // bounded by the file: may be corrupt
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

}  // namespace

void read_campaign_rows(hid_t root, const std::string& path, RunSummary& summary) {
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

void read_deployment_rows(hid_t root, const std::string& path, RunSummary& summary) {
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
  // Added within schema 1 (serving utilizations): absent from older files, left 0 and NaN.
  if (table.has("reserved_gpus")) count_column(table, out, "reserved_gpus", &D::reserved_gpus);
  for (auto [field, member] : {std::pair{"busy_gpu_hours", &D::busy_gpu_hours},
                               {"reserved_utilization", &D::reserved_utilization},
                               {"activity_utilization", &D::activity_utilization}})
    if (table.has(field)) real_column(table, out, field, member);
}

}  // namespace mlcycle
