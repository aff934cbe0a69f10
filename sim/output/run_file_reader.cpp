#include "output/run_file_reader.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string_view>
#include <vector>

#include "core/input_error.hpp"
#include "core/special_values.hpp"
#include "output/h5_attributes.hpp"
#include "output/h5_bounded_read.hpp"
#include "output/h5_datasets.hpp"
#include "output/h5_types.hpp"

namespace mlcycle {

namespace {

constexpr std::array<std::string_view, 5> kRows = {"experimentation", "training", "inference",
                                                   "idle", "total"};
constexpr std::size_t kEnergyColumn = 0;  // energy_j_<row>
constexpr std::size_t kCo2Column = 5;     // co2_g_<row>
constexpr std::size_t kShareColumn = 10;  // inference_share
// The columns from here on are /summary attributes of the same names (headline_names()).
constexpr std::size_t kAttributeColumn = 11;

// The open file when it is a complete run file, else an invalid handle. Errors silenced.
h5::Handle open_complete(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return {};
  h5::Handle file = h5::open_file(path);
  if (!file.valid()) return {};
  std::optional<std::string> format;
  std::optional<std::int64_t> complete;
  try {
    format = h5::read_string_attribute(file.id(), "format");
    complete = h5::read_int64_attribute(file.id(), "complete");
  } catch (const InputError&) {  // data or a header that contradicts the file: not a complete run
    return {};
  }
  if (format != "mlcycle-trace" || complete != 1) return {};
  return file;
}

struct SeriesRow {
  double energy_j = kNaN;
  double co2_g = kNaN;
};

// /summary/by_series: energy and CO2e into headline[row] and headline[5 + row], by row name.
bool read_headline_by_series(hid_t summary, std::vector<double>& headline) {
  h5::Handle dataset = h5::open_dataset(summary, "by_series");
  if (h5::class_of(h5::dataset_type(dataset.id()).id()) != H5T_COMPOUND) return false;
  h5::CompoundType memory(sizeof(SeriesRow));
  memory.add("energy_j", offsetof(SeriesRow, energy_j), H5T_NATIVE_DOUBLE)
      .add("co2_g", offsetof(SeriesRow, co2_g), H5T_NATIVE_DOUBLE);
  const std::optional<std::size_t> count = h5::rows_within_file(dataset.id());
  if (!count) return false;
  std::vector<SeriesRow> rows(*count);
  std::vector<std::string> names;
  try {  // the names are read bounded by the file, which may be corrupt
    names = h5::read_string_field(dataset.id(), "series");
  } catch (const InputError&) {
    return false;
  }
  if (names.size() != rows.size() ||
      !h5::read_rows(dataset.id(), memory.id(), rows.data(), rows.size()))
    return false;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t i = 0; i < kRows.size(); ++i) {
      if (kRows[i] != names[r]) continue;
      headline[kEnergyColumn + i] = rows[r].energy_j;
      headline[kCo2Column + i] = rows[r].co2_g;
    }
  }
  return true;
}

}  // namespace

bool run_file_complete(const std::string& path) {
  try {
    h5::QuietErrors quiet;
    return open_complete(path).valid();
  } catch (...) {
    return false;
  }
}

std::optional<RunResults> read_run_results(const std::string& path) {
  h5::QuietErrors quiet;
  h5::Handle file = open_complete(path);
  if (!file.valid()) return std::nullopt;
  h5::Handle summary = h5::open_group(file.id(), "summary");
  if (!summary.valid()) return std::nullopt;
  RunResults results;
  std::vector<double>& headline = results.headline;
  headline.assign(headline_names().size(), kNaN);
  try {
    if (!read_headline_by_series(summary.id(), headline)) return std::nullopt;
  } catch (const InputError&) {
    return std::nullopt;  // a corrupt object header (h5_header_check.hpp): no results
  }
  // Inference's share of the lifecycle's job CO2e (idle excluded).
  const double inference = headline[kCo2Column + 2];
  const double lifecycle = headline[kCo2Column] + headline[kCo2Column + 1] + inference;
  headline[kShareColumn] = lifecycle == 0 ? kNaN : inference / lifecycle;
  try {
    const std::vector<std::string>& names = headline_names();
    for (std::size_t i = kAttributeColumn; i < names.size(); ++i)
      headline[i] = h5::read_double_attribute(summary.id(), names[i].c_str()).value_or(kNaN);
  } catch (const InputError&) {
    return std::nullopt;  // a corrupt object header (h5_header_check.hpp): no results
  }
  return results;
}

std::optional<double> read_run_wall_time_s(const std::string& path) {
  h5::QuietErrors quiet;
  h5::Handle file = open_complete(path);
  if (!file.valid()) return std::nullopt;
  try {
    return h5::read_double_attribute(file.id(), "wall_time_s");
  } catch (const InputError&) {
    return std::nullopt;  // a corrupt object header (h5_header_check.hpp)
  }
}

}  // namespace mlcycle
