#pragma once
// Whole datasets, written at once and read back: string and number lists, matrices of doubles,
// tables of compound rows (small ones only: they are in memory whole). Datasets that grow as a
// run goes are h5_appendable.hpp's.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "output/h5.hpp"

namespace mlcycle::h5 {

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values);
void write_doubles(hid_t parent, const std::string& name, const std::vector<double>& values);
// A rows x columns dataset of doubles, `values` row after row (empty: left at the fill value).
void write_matrix(hid_t parent, const std::string& name, std::size_t rows, std::size_t columns,
                  const std::vector<double>& values);
// A 1-D table of `count` rows: stored as `file_type`, converted from `rows` laid out as
// `memory_type` (the same type when the rows are already in the file's layout).
void write_rows(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                const void* rows, std::size_t count);

// Invalid when absent or not openable.
Handle open_dataset(hid_t parent, const char* name);
// The rank of a dataset's dataspace; -1 when HDF5 cannot tell.
int rank_of(hid_t dataset);

// Every element of `dataset` converted to `memory_type` (a compound of some of the file's
// fields, matched by name) into `out`, which holds `count` of them (rows_within_file(): the
// caller checked the count against the file). False when HDF5 cannot read or convert them.
bool read_rows(hid_t dataset, hid_t memory_type, void* out, std::size_t count);

// Field `field` of the `count` rows of a compound dataset, converted to `member` (a native
// number or enum type of sizeof(T) bytes); nullopt when the dataset has no such field or it
// cannot be read.
template <typename T>
std::optional<std::vector<T>> read_field(hid_t dataset, const char* field, hid_t member,
                                         std::size_t count);
bool read_field_bytes(hid_t dataset, const char* field, hid_t member, void* out, std::size_t count);

template <typename T>
std::optional<std::vector<T>> read_field(hid_t dataset, const char* field, hid_t member,
                                         std::size_t count) {
  std::vector<T> values(count);
  if (!read_field_bytes(dataset, field, member, values.data(), count)) return std::nullopt;
  return values;
}

}  // namespace mlcycle::h5
