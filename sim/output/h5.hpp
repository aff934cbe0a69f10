#pragma once
// A thin RAII layer over the HDF5 C API: handles that close themselves, attributes, and
// chunked, compressed datasets that grow by appending rows (HighFive's idiom, on the C API).
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlcycle::h5 {

// Owns one hid_t and closes it with the matching H5*close function.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer);
  Handle(Handle&& other) noexcept { *this = std::move(other); }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  hid_t id() const { return id_; }
  void reset();

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// Throws std::runtime_error naming `what` when an HDF5 call fails.
hid_t check(hid_t id, const char* what);
void check(herr_t status, const char* what);

Handle create_file(const std::string& path);
Handle create_group(hid_t parent, const std::string& name);
Handle string_type();  // variable-length UTF-8

void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, double value);
void write_attribute(hid_t object, const std::string& name, std::int64_t value);
void write_attribute(hid_t object, const std::string& name, std::uint64_t value);

// Scalar attributes read back: nullopt when absent, not scalar, or of another class (numbers
// convert between integer and float types as HDF5 converts them). A string attribute whose data
// contradicts the file throws InputError (h5_bounded_read.hpp).
std::optional<std::string> read_string_attribute(hid_t object, const char* name);
std::optional<double> read_double_attribute(hid_t object, const char* name);
std::optional<std::int64_t> read_int64_attribute(hid_t object, const char* name);
std::optional<std::uint64_t> read_uint64_attribute(hid_t object, const char* name);

// A complete 1-D dataset of strings or numbers, written at once (small tables only).
void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values);
void write_doubles(hid_t parent, const std::string& name, const std::vector<double>& values);

// A dataset of `columns` values of `type` per row (columns 0: a 1-D dataset), unlimited in
// rows, chunked and compressed (shuffle, then deflate), to which rows are appended as the run
// goes. `type` must be the file's layout too (no conversion): whole chunks are shuffled and
// deflated here and written as they are, in the standard zlib format any HDF5 reader
// inflates. `run_length`: deflate with zlib's run-length strategy, which on the byte planes of
// wide records (the /jobs rows) compresses as small as the default and about twice as fast;
// on series of doubles the default strategy compresses better.
class AppendableDataset {
 public:
  AppendableDataset(hid_t parent, const std::string& name, hid_t type, hsize_t columns,
                    hsize_t chunk_rows, bool run_length = false);
  void append(const void* rows, hsize_t count);
  hid_t id() const { return dataset_.id(); }
  hsize_t rows() const { return rows_; }

 private:
  void write_chunk(const unsigned char* rows, hsize_t first_row);

  Handle dataset_;
  hid_t type_;
  hsize_t columns_;
  hsize_t chunk_rows_;
  std::size_t value_bytes_;  // one value of `type`: the shuffle filter's element
  std::size_t row_bytes_;
  int strategy_;  // zlib's
  hsize_t rows_ = 0;
  std::vector<unsigned char> shuffled_, compressed_;
};

}  // namespace mlcycle::h5
