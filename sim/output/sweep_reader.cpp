#include "output/sweep_reader.hpp"

#include <cstring>
#include <optional>

#include "core/input_error.hpp"
#include "output/h5_attributes.hpp"
#include "output/h5_bounded_read.hpp"
#include "output/h5_datasets.hpp"
#include "output/h5_types.hpp"
#include "output/run_summary_reader.hpp"
#include "output/sweep_table.hpp"

namespace mlcycle {

namespace {

std::uint64_t count_attribute(hid_t root, const char* name) {
  return h5::read_uint64_attribute(root, name).value_or(0);
}

// Reads field `name` of every row of `dataset` into `buffer` (rows x size(memory_member)).
bool read_field(hid_t dataset, const std::string& name, hid_t memory_member,
                std::vector<unsigned char>& buffer, std::size_t rows) {
  buffer.assign(rows * h5::size_of(memory_member), 0);
  return h5::read_field_bytes(dataset, name.c_str(), memory_member, buffer.data(), rows);
}

// One /runs field into column c of `rows`; false when it cannot be read.
bool read_column(hid_t dataset, hid_t member_type, const std::string& name, std::size_t c,
                 SweepColumn& column, std::vector<std::vector<SweepCell>>& rows) {
  const std::size_t n = rows.size();
  std::vector<unsigned char> buffer;
  switch (h5::class_of(member_type)) {
    case H5T_INTEGER: {
      const bool is_signed = h5::is_signed_integer(member_type);
      column.type = is_signed ? SweepColumnType::signed_integer : SweepColumnType::unsigned_integer;
      if (!read_field(dataset, name, is_signed ? H5T_NATIVE_INT64 : H5T_NATIVE_UINT64, buffer, n))
        return false;
      for (std::size_t r = 0; r < n; ++r) {
        if (is_signed)
          std::memcpy(&rows[r][c].signed_value, &buffer[r * 8], 8);
        else
          std::memcpy(&rows[r][c].unsigned_value, &buffer[r * 8], 8);
      }
      return true;
    }
    case H5T_FLOAT:
      column.type = SweepColumnType::real;
      if (!read_field(dataset, name, H5T_NATIVE_DOUBLE, buffer, n)) return false;
      for (std::size_t r = 0; r < n; ++r) std::memcpy(&rows[r][c].real, &buffer[r * 8], 8);
      return true;
    case H5T_ENUM: {
      column.type = SweepColumnType::label;
      h5::Handle native = h5::native_type(member_type);
      if (!native.valid() || !read_field(dataset, name, native.id(), buffer, n)) return false;
      const std::size_t size = h5::size_of(native.id());
      for (std::size_t r = 0; r < n; ++r) {
        if (std::optional<std::string> label = h5::enum_name(native.id(), &buffer[r * size]))
          rows[r][c].text = std::move(*label);
        else
          rows[r][c].text.assign(1, '?');  // (not `= "?"`: GCC 12 -Wrestrict false positive)
      }
      return true;
    }
    case H5T_STRING: {  // read bounded by the file: variable-length data may be corrupt
      column.type = SweepColumnType::text;
      const std::vector<std::string> texts = h5::read_string_field(dataset, name.c_str());
      if (texts.size() != n) return false;
      for (std::size_t r = 0; r < n; ++r) rows[r][c].text = texts[r];
      return true;
    }
    default:
      column.type = SweepColumnType::text;  // not written by mlcycle: shown as "?"
      for (auto& row : rows) row[c].text.assign(1, '?');
      return true;
  }
}

void read_runs(hid_t root, SweepListing& listing) {
  const std::string& path = listing.path;
  if (!h5::has_link(root, "runs")) throw file_error(path, "no /runs table");
  h5::Handle dataset = h5::open_dataset(root, "runs");
  h5::Handle type = h5::dataset_type(dataset.id());
  if (h5::class_of(type.id()) != H5T_COMPOUND || h5::rank_of(dataset.id()) != 1)
    throw file_error(path, "/runs is not a 1-D compound table");
  const std::optional<std::size_t> count = h5::rows_within_file(dataset.id());
  const int members = h5::member_count(type.id());
  if (!count) throw file_error(path, "/runs is larger than the file or of a corrupt type");
  // Every field takes a byte at least: more fields than bytes is a corrupt type.
  if (members < 0 || static_cast<std::size_t>(members) > h5::size_of(type.id()))
    throw file_error(path, "cannot read /runs");
  listing.columns.resize(static_cast<std::size_t>(members));
  listing.rows.assign(*count, std::vector<SweepCell>(static_cast<std::size_t>(members)));
  for (int m = 0; m < members; ++m) {
    const auto c = static_cast<std::size_t>(m);
    std::optional<std::string> name = h5::member_name(type.id(), static_cast<unsigned>(m));
    if (!name) throw file_error(path, "cannot read the fields of /runs");
    listing.columns[c].name = std::move(*name);
    h5::Handle member = h5::member_type(type.id(), static_cast<unsigned>(m));
    if (!member.valid() || !read_column(dataset.id(), member.id(), listing.columns[c].name, c,
                                        listing.columns[c], listing.rows))
      throw file_error(path, "cannot read field '" + listing.columns[c].name + "' of /runs");
  }
  // The varied keys sit between `seed` and `status` (docs/hdf5-schema.md, /runs).
  bool inside = false;
  for (const SweepColumn& column : listing.columns) {
    if (column.name == "status") break;
    if (inside) listing.varied.push_back(column.name);
    if (column.name == "seed") inside = true;
  }
}

}  // namespace

SweepListing read_sweep_listing(const std::string& path) {
  const std::string format = mlcycle_file_format(path);  // exists, HDF5, an mlcycle format
  if (format != kSweepFormat)
    throw file_error(path, "not an mlcycle sweep file (format \"" + format + "\")");
  h5::QuietErrors quiet;
  SweepListing listing;
  listing.path = path;
  h5::Handle file = h5::open_file(path);
  if (!file.valid()) throw file_error(path, "cannot be opened by HDF5");
  const hid_t root = file.id();
  const std::optional<std::int64_t> version = h5::read_int64_attribute(root, "format_version");
  if (!version) throw file_error(path, "not an mlcycle sweep file (no format_version attribute)");
  if (*version != kSweepFormatVersion)
    throw file_error(path, "schema version " + std::to_string(*version) +
                               " is not supported (this mlcycle reads version " +
                               std::to_string(kSweepFormatVersion) + ")");
  listing.format_version = *version;
  listing.mlcycle_version = h5::read_string_attribute(root, "mlcycle_version").value_or("");
  listing.scenario = h5::read_string_attribute(root, "scenario").value_or("");
  listing.definition = h5::read_string_attribute(root, "definition").value_or("");
  listing.replicates = count_attribute(root, "replicates");
  listing.base_seed = count_attribute(root, "base_seed");
  listing.points = count_attribute(root, "points");
  listing.runs = count_attribute(root, "runs");
  listing.failed = count_attribute(root, "failed");
  read_runs(root, listing);
  return listing;
}

}  // namespace mlcycle
