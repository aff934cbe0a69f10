#include "output/h5_attributes.hpp"

#include "output/h5_bounded_read.hpp"
#include "output/h5_header_check.hpp"
#include "output/h5_types.hpp"

namespace mlcycle::h5 {

namespace {

void write_scalar_attribute(hid_t object, const std::string& name, hid_t type, const void* value) {
  Handle space(check(H5Screate(H5S_SCALAR), "creating a dataspace"), H5Sclose);
  Handle attr(check(H5Acreate2(object, name.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                    ("creating attribute " + name).c_str()),
              H5Aclose);
  check(H5Awrite(attr.id(), type, value), ("writing attribute " + name).c_str());
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
  return space.valid() && H5Sget_simple_extent_npoints(space.id()) == 1;
}

template <typename T>
std::optional<T> read_number_attribute(hid_t object, const char* name, hid_t memory_type) {
  Handle attribute = open_attribute(object, name);
  if (!attribute.valid() || !is_scalar(attribute.id())) return std::nullopt;
  Handle type = attribute_type(attribute.id());
  const H5T_class_t type_class = class_of(type.id());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) return std::nullopt;
  if (!type_within_size(type.id())) return std::nullopt;  // corrupt: HDF5 would convert it anyway
  T value{};
  if (H5Aread(attribute.id(), memory_type, &value) < 0) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::string> read_string_attribute(hid_t object, const char* name) {
  Handle attribute = open_attribute(object, name);
  if (!attribute.valid() || !is_scalar(attribute.id())) return std::nullopt;
  if (class_of(attribute_type(attribute.id()).id()) != H5T_STRING) return std::nullopt;
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

}  // namespace mlcycle::h5
