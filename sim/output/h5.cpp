#include "output/h5.hpp"

#include <zlib.h>

#include <stdexcept>

#include "output/h5_bounded_read.hpp"
#include "output/h5_header_check.hpp"

namespace mlcycle::h5 {

Handle::Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    closer_ = std::exchange(other.closer_, nullptr);
  }
  return *this;
}

void Handle::reset() {
  if (id_ >= 0 && closer_) closer_(id_);
  id_ = H5I_INVALID_HID;
}

hid_t check(hid_t id, const char* what) {
  if (id < 0) throw std::runtime_error(std::string("HDF5: ") + what + " failed");
  return id;
}

void check(herr_t status, const char* what) {
  if (status < 0) throw std::runtime_error(std::string("HDF5: ") + what + " failed");
}

Handle create_file(const std::string& path) {
  return Handle(
      check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "creating the file"),
      H5Fclose);
}

Handle create_group(hid_t parent, const std::string& name) {
  return Handle(check(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                      "creating a group"),
                H5Gclose);
}

Handle string_type() {
  Handle type(check(H5Tcopy(H5T_C_S1), "copying the string type"), H5Tclose);
  check(H5Tset_size(type.id(), H5T_VARIABLE), "setting a string size");
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "setting a string charset");
  return type;
}

namespace {

void write_scalar_attribute(hid_t object, const std::string& name, hid_t type, const void* value) {
  Handle space(check(H5Screate(H5S_SCALAR), "creating a dataspace"), H5Sclose);
  Handle attr(check(H5Acreate2(object, name.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                    "creating an attribute"),
              H5Aclose);
  check(H5Awrite(attr.id(), type, value), "writing an attribute");
}

}  // namespace

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
  Handle type = string_type();
  const char* text = value.c_str();
  write_scalar_attribute(object, name, type.id(), &text);
}

void write_attribute(hid_t object, const std::string& name, double value) {
  write_scalar_attribute(object, name, H5T_NATIVE_DOUBLE, &value);
}

void write_attribute(hid_t object, const std::string& name, std::int64_t value) {
  write_scalar_attribute(object, name, H5T_NATIVE_INT64, &value);
}

void write_attribute(hid_t object, const std::string& name, std::uint64_t value) {
  write_scalar_attribute(object, name, H5T_NATIVE_UINT64, &value);
}

namespace {

Handle open_attribute(hid_t object, const char* name) {
  check_attribute_messages(object);  // before HDF5 decodes any attribute of a corrupt header
  if (H5Aexists(object, name) <= 0) return {};
  return Handle(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
}

bool is_scalar(hid_t attribute) {
  Handle space(H5Aget_space(attribute), H5Sclose);
  return space.id() >= 0 && H5Sget_simple_extent_npoints(space.id()) == 1;
}

template <typename T>
std::optional<T> read_number_attribute(hid_t object, const char* name, hid_t memory_type) {
  Handle attribute = open_attribute(object, name);
  if (attribute.id() < 0 || !is_scalar(attribute.id())) return std::nullopt;
  Handle type(H5Aget_type(attribute.id()), H5Tclose);
  const H5T_class_t type_class = type.id() < 0 ? H5T_NO_CLASS : H5Tget_class(type.id());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) return std::nullopt;
  if (!type_within_size(type.id())) return std::nullopt;  // corrupt: HDF5 would convert it anyway
  T value{};
  if (H5Aread(attribute.id(), memory_type, &value) < 0) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::string> read_string_attribute(hid_t object, const char* name) {
  Handle attribute = open_attribute(object, name);
  if (attribute.id() < 0 || !is_scalar(attribute.id())) return std::nullopt;
  Handle type(H5Aget_type(attribute.id()), H5Tclose);
  if (type.id() < 0 || H5Tget_class(type.id()) != H5T_STRING) return std::nullopt;
  return read_string_value(attribute.id());  // checked against the file: it may be corrupt
}

std::optional<double> read_double_attribute(hid_t object, const char* name) {
  return read_number_attribute<double>(object, name, H5T_NATIVE_DOUBLE);
}
std::optional<std::int64_t> read_int64_attribute(hid_t object, const char* name) {
  return read_number_attribute<std::int64_t>(object, name, H5T_NATIVE_INT64);
}
std::optional<std::uint64_t> read_uint64_attribute(hid_t object, const char* name) {
  return read_number_attribute<std::uint64_t>(object, name, H5T_NATIVE_UINT64);
}

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
  Handle type = string_type();
  const hsize_t count = values.size();
  Handle space(check(H5Screate_simple(1, &count, nullptr), "creating a dataspace"), H5Sclose);
  Handle dataset(check(H5Dcreate2(parent, name.c_str(), type.id(), space.id(), H5P_DEFAULT,
                                  H5P_DEFAULT, H5P_DEFAULT),
                       "creating a string dataset"),
                 H5Dclose);
  std::vector<const char*> pointers;
  for (const std::string& v : values) pointers.push_back(v.c_str());
  if (count > 0)
    check(H5Dwrite(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          "writing strings");
}

void write_doubles(hid_t parent, const std::string& name, const std::vector<double>& values) {
  const hsize_t count = values.size();
  Handle space(check(H5Screate_simple(1, &count, nullptr), "creating a dataspace"), H5Sclose);
  Handle dataset(check(H5Dcreate2(parent, name.c_str(), H5T_NATIVE_DOUBLE, space.id(), H5P_DEFAULT,
                                  H5P_DEFAULT, H5P_DEFAULT),
                       "creating a dataset"),
                 H5Dclose);
  if (count > 0)
    check(H5Dwrite(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "writing numbers");
}

namespace {

constexpr int kDeflateLevel = 1;

// The shuffle filter's byte planes: byte b of every value, then byte b + 1 of every value...
void shuffle_bytes(const unsigned char* in, std::size_t values, std::size_t value_bytes,
                   unsigned char* out) {
  for (std::size_t b = 0; b < value_bytes; ++b) {
    unsigned char* plane = out + b * values;
    const unsigned char* from = in + b;
    for (std::size_t v = 0; v < values; ++v) plane[v] = from[v * value_bytes];
  }
}

// A zlib stream (header, deflate, Adler-32), what HDF5's deflate filter stores and inflates.
std::size_t deflate_bytes(const unsigned char* in, std::size_t size, int strategy,
                          std::vector<unsigned char>& out) {
  z_stream stream{};
  if (deflateInit2(&stream, kDeflateLevel, Z_DEFLATED, 15, 8, strategy) != Z_OK)
    throw std::runtime_error("zlib: deflateInit2 failed");
  out.resize(deflateBound(&stream, static_cast<uLong>(size)));
  stream.next_in = const_cast<unsigned char*>(in);
  stream.avail_in = static_cast<uInt>(size);
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  const std::size_t written = stream.total_out;
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("zlib: deflate failed");
  return written;
}

}  // namespace

AppendableDataset::AppendableDataset(hid_t parent, const std::string& name, hid_t type,
                                     hsize_t columns, hsize_t chunk_rows, bool run_length)
    : type_(type),
      columns_(columns),
      chunk_rows_(chunk_rows),
      value_bytes_(H5Tget_size(type)),
      row_bytes_(value_bytes_ * (columns == 0 ? 1 : columns)),
      strategy_(run_length ? Z_RLE : Z_DEFAULT_STRATEGY) {
  if (value_bytes_ == 0) throw std::runtime_error("HDF5: getting a type's size failed");
  const int rank = columns == 0 ? 1 : 2;
  const hsize_t initial[2] = {0, columns};
  const hsize_t maximum[2] = {H5S_UNLIMITED, columns};
  const hsize_t chunk[2] = {chunk_rows, columns};
  Handle space(check(H5Screate_simple(rank, initial, maximum), "creating a dataspace"), H5Sclose);
  Handle props(check(H5Pcreate(H5P_DATASET_CREATE), "creating dataset properties"), H5Pclose);
  check(H5Pset_chunk(props.id(), rank, chunk), "setting the chunk size");
  check(H5Pset_shuffle(props.id()), "enabling shuffle");
  check(H5Pset_deflate(props.id(), kDeflateLevel), "enabling compression");
  dataset_ = Handle(check(H5Dcreate2(parent, name.c_str(), type, space.id(), H5P_DEFAULT,
                                     props.id(), H5P_DEFAULT),
                          "creating an appendable dataset"),
                    H5Dclose);
}

void AppendableDataset::write_chunk(const unsigned char* rows, hsize_t first_row) {
  const std::size_t bytes = chunk_rows_ * row_bytes_;
  shuffled_.resize(bytes);
  shuffle_bytes(rows, bytes / value_bytes_, value_bytes_, shuffled_.data());
  const std::size_t size = deflate_bytes(shuffled_.data(), bytes, strategy_, compressed_);
  const hsize_t offset[2] = {first_row, 0};
  check(H5Dwrite_chunk(dataset_.id(), H5P_DEFAULT, 0, offset, size, compressed_.data()),
        "writing a chunk");
}

void AppendableDataset::append(const void* rows, hsize_t count) {
  if (count == 0) return;
  const int rank = columns_ == 0 ? 1 : 2;
  const hsize_t new_size[2] = {rows_ + count, columns_};
  check(H5Dset_extent(dataset_.id(), new_size), "extending a dataset");
  // Whole chunks go straight to the file (filter mask 0: both filters applied); a partial one
  // (the run's last rows) goes through HDF5's own pipeline.
  const auto* bytes = static_cast<const unsigned char*>(rows);
  if (value_bytes_ > 1 && rows_ % chunk_rows_ == 0) {
    while (count >= chunk_rows_) {
      write_chunk(bytes, rows_);
      bytes += chunk_rows_ * row_bytes_;
      rows_ += chunk_rows_;
      count -= chunk_rows_;
    }
    if (count == 0) return;
    rows = bytes;
  }
  Handle file_space(check(H5Dget_space(dataset_.id()), "getting a dataspace"), H5Sclose);
  const hsize_t start[2] = {rows_, 0};
  const hsize_t block[2] = {count, columns_};
  check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start, nullptr, block, nullptr),
        "selecting rows");
  Handle memory_space(check(H5Screate_simple(rank, block, nullptr), "creating a dataspace"),
                      H5Sclose);
  check(H5Dwrite(dataset_.id(), type_, memory_space.id(), file_space.id(), H5P_DEFAULT, rows),
        "appending rows");
  rows_ += count;
}

}  // namespace mlcycle::h5
