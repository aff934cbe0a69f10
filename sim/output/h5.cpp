#include "output/h5.hpp"

#include <stdexcept>

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
  if (H5Tis_variable_str(type.id()) > 0) {
    char* text = nullptr;
    if (H5Aread(attribute.id(), type.id(), &text) < 0) return std::nullopt;
    std::string value = text ? text : "";
    H5free_memory(text);
    return value;
  }
  std::string value(H5Tget_size(type.id()), '\0');
  if (H5Aread(attribute.id(), type.id(), value.data()) < 0) return std::nullopt;
  return value.substr(0, value.find('\0'));
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

AppendableDataset::AppendableDataset(hid_t parent, const std::string& name, hid_t type,
                                     hsize_t columns, hsize_t chunk_rows)
    : type_(type), columns_(columns) {
  const int rank = columns == 0 ? 1 : 2;
  const hsize_t initial[2] = {0, columns};
  const hsize_t maximum[2] = {H5S_UNLIMITED, columns};
  const hsize_t chunk[2] = {chunk_rows, columns};
  Handle space(check(H5Screate_simple(rank, initial, maximum), "creating a dataspace"), H5Sclose);
  Handle props(check(H5Pcreate(H5P_DATASET_CREATE), "creating dataset properties"), H5Pclose);
  check(H5Pset_chunk(props.id(), rank, chunk), "setting the chunk size");
  check(H5Pset_shuffle(props.id()), "enabling shuffle");
  check(H5Pset_deflate(props.id(), 1), "enabling compression");
  dataset_ = Handle(check(H5Dcreate2(parent, name.c_str(), type, space.id(), H5P_DEFAULT,
                                     props.id(), H5P_DEFAULT),
                          "creating an appendable dataset"),
                    H5Dclose);
}

void AppendableDataset::append(const void* rows, hsize_t count) {
  if (count == 0) return;
  const int rank = columns_ == 0 ? 1 : 2;
  const hsize_t new_size[2] = {rows_ + count, columns_};
  check(H5Dset_extent(dataset_.id(), new_size), "extending a dataset");
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
