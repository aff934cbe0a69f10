#include "output/run_tables_reader.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "core/input_error.hpp"
#include "output/h5_attributes.hpp"
#include "output/h5_bounded_read.hpp"
#include "output/h5_datasets.hpp"
#include "output/h5_types.hpp"

namespace mlcycle {

namespace {

// A 1-D compound table (/campaigns, /deployments) read a field at a time: small tables only.
// Every field is required; numbers convert as HDF5 converts them, enums by member name.
class FieldTable {
 public:
  FieldTable(hid_t parent, const char* name, const std::string& path)
      : path_(path), what_(std::string("/") + name) {
    dataset_ = h5::open_dataset(parent, name);
    type_ = h5::dataset_type(dataset_.id());
    if (h5::class_of(type_.id()) != H5T_COMPOUND || h5::rank_of(dataset_.id()) != 1)
      throw file_error(path_, what_ + " is not a 1-D compound table");
    const std::optional<std::size_t> rows = h5::rows_within_file(dataset_.id());
    if (!rows) throw file_error(path_, what_ + " is larger than the file or of a corrupt type");
    rows_ = *rows;
  }
  std::size_t rows() const { return rows_; }
  bool has(const char* field) const { return h5::has_member(type_.id(), field); }

  template <typename T>
  std::vector<T> numbers(const char* field, hid_t memory_type) const {
    require(field);
    std::optional<std::vector<T>> values =
        h5::read_field<T>(dataset_.id(), field, memory_type, rows_);
    if (!values)
      throw file_error(path_, "cannot read field '" + std::string(field) + "' of " + what_);
    return std::move(*values);
  }
  std::vector<std::string> texts(const char* field) const {
    require(field);
    return h5::read_string_field(dataset_.id(), field);  // bounded by the file: may be corrupt
  }

 private:
  void require(const char* field) const {
    if (!has(field)) throw file_error(path_, what_ + " has no field '" + field + "'");
  }

  const std::string& path_;
  std::string what_;
  h5::Handle dataset_, type_;
  std::size_t rows_ = 0;
};

// Whether `name` under `root` is a table of this schema. Files of schema version 1 written
// before the lifecycle tables have no /deployments and a string list of names as /campaigns:
// those have no rows to show (their summary table had none).
bool has_table(hid_t root, const char* name) {
  if (!h5::has_link(root, name)) return false;
  h5::Handle dataset = h5::open_dataset(root, name);
  return h5::class_of(h5::dataset_type(dataset.id()).id()) != H5T_STRING;
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
  const h5::Handle phase =
      h5::enum_type({kSeriesNames.begin(), kSeriesNames.begin() + kPhaseCount});
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
  // Added within schema 1 (LLM serving): absent from older files, left NaN.
  for (auto [field, member] : {std::pair{"static_energy_j", &D::static_energy_j},
                               {"input_tokens", &D::input_tokens},
                               {"output_tokens", &D::output_tokens},
                               {"j_per_output_token", &D::j_per_output_token},
                               {"ttft_mean_s", &D::ttft_mean_s},
                               {"ttft_p50_s", &D::ttft_p50_s},
                               {"ttft_p90_s", &D::ttft_p90_s},
                               {"ttft_p99_s", &D::ttft_p99_s},
                               {"tpot_mean_s", &D::tpot_mean_s},
                               {"tpot_p50_s", &D::tpot_p50_s},
                               {"tpot_p90_s", &D::tpot_p90_s},
                               {"tpot_p99_s", &D::tpot_p99_s}})
    if (table.has(field)) real_column(table, out, field, member);
}

}  // namespace mlcycle
